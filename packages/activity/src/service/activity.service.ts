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
 * shown: the next page reads both sources strictly before it.
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
    const [own, expenseEvents] = await Promise.all([
      this.d.repository.page(budgetId, query.limit, before),
      this.d.expenses.events(budgetId, query.limit, before),
    ]);
    const fromExpenses = expenseEvents.map(describe).filter((e): e is ActivityEntry => e !== undefined);
    const merged = [...own, ...fromExpenses].sort((a, b) => (order(b) < order(a) ? -1 : order(b) > order(a) ? 1 : 0));
    const items = merged.slice(0, query.limit);
    // More may follow when either source filled its page (or the merge left some out).
    const more = own.length >= query.limit || expenseEvents.length >= query.limit || merged.length > query.limit;
    const last = items[items.length - 1];
    const names = await this.names(items);
    return {
      items: items.map((e) => present(e, names)),
      nextCursor: this.d.cursors.encode(more && last ? { at: last.at, id: last.id } : undefined, binding),
    };
  }

  private async names(entries: ActivityEntry[]): Promise<Map<string, string | null>> {
    const ids = new Set(entries.map((e) => actorUserId(e.actor)));
    const found = await Promise.all([...ids].map(async (id) => [id, await this.d.users.getById(id)] as const));
    return new Map(found.map(([id, user]) => [id, user ? (user.name ?? user.email) : null]));
  }
}

/** The sort order of both sources: time, then event id. */
const order = (e: ActivityEntry) => `${e.at}#${e.id}`;

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
