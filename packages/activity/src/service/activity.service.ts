import { problems, type CursorCodec } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import type { ExpenseActivitySource } from '@budgeting/expenses';
import { describe } from '../domain/describe';
import type { ActivityEntry, ActorRef } from '../model';
import type { ActivityRepository } from '../repository/activity.repository';
import type { ActivityQueryInput } from '../schemas/activity.schemas';

/**
 * GET /v1/budgets/{budgetId}/activity: any member, newest first. Actor names are looked up
 * when read (users facade), so a renamed user shows the current name and a deleted one null.
 *
 * Two sources, merged by (time, event id): the module's own entries (budget settings and
 * members, written by its subscriber) and the expense events the expenses module keeps in its
 * change log (ExpenseActivitySource), translated by the same describe(). A page reads up to
 * `limit` from each, keeps the newest `limit`, and its cursor is the position of the last one
 * shown: the next page reads both sources strictly before it. A source cut short (DynamoDB's
 * 1 MB page) ends the page where it stopped, with a cursor there: nothing is skipped.
 */
export class ActivityService {
  constructor(
    private readonly d: {
      repository: ActivityRepository;
      expenses: ExpenseActivitySource;
      budgets: BudgetsFacade;
      users: UsersFacade;
      cursors: CursorCodec;
    },
  ) {}

  async list(budgetId: string, userId: string, query: ActivityQueryInput) {
    const access = await this.d.budgets.getAccess(budgetId, userId);
    if (!access) throw problems.notFound('Budget not found.');
    const binding = JSON.stringify(['activity', budgetId]);
    const before = position(this.d.cursors.decode(query.cursor, binding));
    const [own, expenses] = await Promise.all([
      this.d.repository.page(budgetId, query.limit, before),
      this.d.expenses.events(budgetId, query.limit, before),
    ]);
    const fromExpenses = expenses.events.map(describe).filter((e): e is ActivityEntry => e !== undefined);
    // A source that stopped with more to read (its Limit, or DynamoDB's 1 MB) has not read what
    // is older than where it stopped: the page ends there (the newer of the two such places), so
    // the other source's older entries wait for the next page instead of jumping over those.
    const floor = [own.readTo, expenses.readTo].flatMap((p) => (p ? [p] : [])).sort((a, b) => (order(b) < order(a) ? -1 : 1))[0];
    const merged = [...own.entries, ...fromExpenses]
      .filter((e) => !floor || order(e) >= order(floor))
      .sort((a, b) => (order(b) < order(a) ? -1 : order(b) > order(a) ? 1 : 0));
    const items = merged.slice(0, query.limit);
    // Past a full page: after its last entry. Else everything from `floor` on was shown: after `floor` (none: the end).
    const next = merged.length > query.limit ? items[items.length - 1] : floor;
    const names = await this.names(items);
    return {
      items: items.map((e) => present(e, names)),
      nextCursor: this.d.cursors.encode(next ? { at: next.at, id: next.id } : undefined, binding),
    };
  }

  private async names(entries: ActivityEntry[]): Promise<Map<string, string | null>> {
    const ids = new Set(entries.map((e) => actorUserId(e.actor)));
    const found = await Promise.all([...ids].map(async (id) => [id, await this.d.users.getById(id)] as const));
    return new Map(found.map(([id, user]) => [id, user ? (user.name ?? user.email) : null]));
  }
}

/** The sort order of both sources: time, then event id. */
const order = (e: { at: string; id: string }) => `${e.at}#${e.id}`;

function position(decoded: Record<string, unknown> | undefined): { at: string; id: string } | undefined {
  if (!decoded) return undefined;
  return typeof decoded.at === 'string' && typeof decoded.id === 'string' ? { at: decoded.at, id: decoded.id } : undefined;
}

const actorUserId = (a: ActorRef) => (a.type === 'user' ? a.id : a.onBehalfOf);

function present(e: ActivityEntry, names: Map<string, string | null>) {
  const person = (id: string) => ({ id, name: names.get(id) ?? null });
  const actor =
    e.actor.type === 'user'
      ? { type: 'user' as const, ...person(e.actor.id) }
      : { type: 'schedule' as const, name: e.actor.name, onBehalfOf: person(e.actor.onBehalfOf) };
  return {
    id: e.id,
    at: e.at,
    actor,
    action: e.action,
    subject: e.subject,
    ...(e.changes ? { changes: e.changes } : {}),
    ...(e.recurringExpenseId ? { recurringExpenseId: e.recurringExpenseId } : {}),
    ...(e.categorizedBy ? { categorizedBy: { ruleId: e.categorizedBy.ruleId } } : {}),
    ...(e.renamedBy ? { renamedBy: { ruleId: e.renamedBy.ruleId } } : {}),
    ...(e.expenseId ? { expenseId: e.expenseId } : {}),
  };
}
