import type { Clock, EventEnvelope } from '@budgeting/platform';
import type { ChangeLog } from '../repository/change-log';

/**
 * What the activity module may ask of expenses: the budget's expense events (expense.recorded,
 * expense.updated, expense.deleted), newest first. They are read from the change log's
 * entries, each of which carries its write's event (actor, before/after), so no second copy
 * of expense activity is written anywhere.
 */
export interface ExpenseActivitySource {
  /**
   * Up to `limit` + 1 events, newest first (occurredAt, then id), strictly before `before` when
   * given (one more than `limit`: more follow).
   * `readTo`: the read stopped there with more to read (a page cut at 1 MB can stop short of `limit`).
   */
  events(budgetId: string, limit: number, before?: { at: string; id: string }): Promise<{ events: EventEnvelope[]; readTo?: { at: string; id: string } }>;
}

export function createExpenseActivitySource(changes: () => Promise<ChangeLog>, clock: Clock): ExpenseActivitySource {
  return {
    events: async (budgetId, limit, before) => (await changes()).events(budgetId, limit, clock.now(), before),
  };
}
