import { problems, type CursorCodec } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { ExpenseActivitySource } from '@budgeting/expenses';
import { describe } from '../domain/describe';
import type { ActivityEntry } from '../model';
import type { ActivityRepository } from '../repository/activity.repository';
import type { ActivityQueryInput } from '../schemas/activity.schemas';

/**
 * GET /v1/budgets/{budgetId}/activity: any member, newest first. Actor names are the members
 * list's, read with the page (BudgetsFacade.memberNames: the name each membership keeps, refreshed
 * on a rename or an email change, else its email): someone no longer a member (left, removed, or
 * their account deleted) shows null, as the balances' former members, so the household they left
 * never sees the name or address they have now.
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
    const names = await this.names(budgetId);
    return {
      items: items.map((e) => present(e, names)),
      nextCursor: this.d.cursors.encode(next ? { at: next.at, id: next.id } : undefined, binding),
    };
  }

  /**
   * The budget's members' display names: ONE Query of its memberships (at most 50), where each
   * actor's account was read before (one GetItem per actor), also a former member's, whose name
   * or email (its current one, however changed since they left) the household then saw.
   */
  private async names(budgetId: string): Promise<Map<string, string | null>> {
    return new Map((await this.d.budgets.memberNames(budgetId)).map((m) => [m.userId, m.name]));
  }
}

/** The sort order of both sources: time, then event id. */
const order = (e: { at: string; id: string }) => `${e.at}#${e.id}`;

function position(decoded: Record<string, unknown> | undefined): { at: string; id: string } | undefined {
  if (!decoded) return undefined;
  return typeof decoded.at === 'string' && typeof decoded.id === 'string' ? { at: decoded.at, id: decoded.id } : undefined;
}


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
