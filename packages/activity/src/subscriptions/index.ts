import { conditionFailedAt, loadOnce, transactOnce, withInbox, type Clock, type EventEnvelope, type ModuleStore, type Subscription, type WorkQueue } from '@budgeting/platform';
import {
  budgetCreated,
  budgetDeleted,
  budgetMemberAdded,
  budgetMemberRemoved,
  budgetMemberRoleChanged,
  budgetMemberShareChanged,
  budgetSettlementDeleted,
  budgetSettlementRecorded,
  budgetSettlementUpdated,
  budgetUpdated,
  type BudgetDeletedData,
} from '@budgeting/budgets';
import { expenseCommentAdded, expenseCommentDeleted, incomeDeleted, incomeRecorded, incomeUpdated } from '@budgeting/expenses';
import { ACTIVITY_CLEANUP } from '../jobs/names';
import type { ActivityRepository } from '../repository/activity.repository';

/**
 * The budget part of the activity log is built from the budgets module's events, delivered
 * through the outbox and the bus like every other subscriber. Why not written in the same
 * transaction as each change: a subscriber keeps the budgets module free of the log, and the
 * outbox already guarantees an event exists exactly when its change committed. The price is
 * a short delay (the relay's), fine for a history.
 *
 * Expense events are NOT copied here: every expense write's change-log entry already carries
 * its event, and the activity route reads them from the expenses module
 * (ExpenseActivitySource). A copy would cost a transaction (entry + inbox item) and a read
 * after every expense write (issue 11).
 *
 * Each entry is written in ONE transaction with the subscriber's inbox item (transactOnce),
 * so a redelivered event adds nothing. Comments on expenses are copied the same way (their
 * events are the only record of a deleted comment; they are not in the expenses change log,
 * which is about the expenses themselves), and so is income (income.recorded / updated /
 * deleted: not in the change log either, each write's outbox item is its only record of what
 * changed). budget.deleted closes the budget's log (ActivityRepository.close: an entry written
 * after that fails its transaction's check and is dropped) and queues its removal
 * (jobs/activity-cleanup-job.ts: bounded steps across invocations, whatever its size).
 */
export const ACTIVITY_ON_BUDGETS = 'activity-on-budgets';
export const ACTIVITY_ON_COMMENTS = 'activity-on-comments';
export const ACTIVITY_ON_INCOME = 'activity-on-income';

export function activitySubscriptions(d: {
  store: ModuleStore;
  clock: Clock;
  /** Loaded on the first event (create-module.ts): an HTTP request never runs a subscriber. */
  repository: () => Promise<ActivityRepository>;
  work: WorkQueue;
}): Subscription[] {
  const describe = loadOnce(async () => (await import('../service/deferred')).describe);
  const loaded = loadOnce(async () => ({ repository: await d.repository(), closedCheck: (await import('../service/deferred')).ENTRY_CLOSED_CHECK }));
  const recorder = (name: string): Subscription['handle'] => async (event) => {
    const entry = (await describe())(event);
    if (!entry) return;
    const { repository, closedCheck } = await loaded();
    try {
      await transactOnce(d.store, name, event, d.clock, () => repository.putItems(entry));
    } catch (err) {
      // The budget was deleted and its log closed (ActivityRepository.close): nothing to record,
      // now or on a redelivery (which fails the same check).
      if (!conditionFailedAt(err, closedCheck)) throw err;
    }
  };
  const onBudgets = recorder(ACTIVITY_ON_BUDGETS);
  const cleanup = withInbox(d.store, `${ACTIVITY_ON_BUDGETS}-cleanup`, d.clock, async (event: EventEnvelope) => {
    const { budgetId } = event.data as BudgetDeletedData;
    // Closed first, so the cleanup's reads find every entry that will ever be written.
    await (await d.repository()).close(budgetId, d.clock.now());
    // Queueing twice (a redelivery) is harmless: the cleanup is idempotent.
    await d.work.enqueue(ACTIVITY_CLEANUP, [{ budgetId }], d.clock.now());
  });
  return [
    {
      name: ACTIVITY_ON_BUDGETS,
      events: [budgetCreated, budgetUpdated, budgetMemberAdded, budgetMemberRoleChanged, budgetMemberShareChanged, budgetMemberRemoved, budgetSettlementRecorded, budgetSettlementUpdated, budgetSettlementDeleted, budgetDeleted],
      handle: (event, ctx) => (event.type === budgetDeleted.type ? cleanup(event, ctx) : onBudgets(event, ctx)),
    },
    { name: ACTIVITY_ON_COMMENTS, events: [expenseCommentAdded, expenseCommentDeleted], handle: recorder(ACTIVITY_ON_COMMENTS) },
    { name: ACTIVITY_ON_INCOME, events: [incomeRecorded, incomeUpdated, incomeDeleted], handle: recorder(ACTIVITY_ON_INCOME) },
  ];
}
