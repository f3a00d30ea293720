import { transactOnce, withInbox, type Clock, type EventEnvelope, type ModuleStore, type Subscription, type WorkQueue } from '@budgeting/platform';
import {
  budgetCreated,
  budgetDeleted,
  budgetMemberAdded,
  budgetMemberRemoved,
  budgetUpdated,
  type BudgetDeletedData,
} from '@budgeting/budgets';
import { expenseDeleted, expenseRecorded, expenseUpdated } from '@budgeting/expenses';
import { describe } from '../domain/describe';
import { ACTIVITY_CLEANUP } from '../jobs/activity-cleanup-job';
import type { ActivityRepository } from '../repository/activity.repository';

/**
 * The activity log is built from the domain events, delivered through the outbox and the bus
 * like every other subscriber (one Subscription per publisher, one row each in the app's
 * subscription table). Why not written in the same transaction as each change: the entries
 * span two modules (expenses and budgets) and one reader; a subscriber keeps both modules
 * free of the log, and the outbox already guarantees an event exists exactly when its change
 * committed. The price is a short delay (the relay's), fine for a history.
 *
 * Each entry is written in ONE transaction with the subscriber's inbox item (transactOnce),
 * so a redelivered event adds nothing. budget.deleted queues the removal of the budget's log
 * (jobs/activity-cleanup-job.ts: bounded steps across invocations, whatever its size).
 */
export const ACTIVITY_ON_EXPENSES = 'activity-on-expenses';
export const ACTIVITY_ON_BUDGETS = 'activity-on-budgets';

export function activitySubscriptions(d: { store: ModuleStore; clock: Clock; repository: ActivityRepository; work: WorkQueue }): Subscription[] {
  const recorder = (name: string): Subscription['handle'] => async (event) => {
    const entry = describe(event);
    if (!entry) return;
    await transactOnce(d.store, name, event, d.clock, () => [d.repository.putItem(entry)]);
  };
  const onBudgets = recorder(ACTIVITY_ON_BUDGETS);
  const cleanup = withInbox(d.store, `${ACTIVITY_ON_BUDGETS}-cleanup`, d.clock, async (event: EventEnvelope) => {
    // Queueing twice (a redelivery) is harmless: the cleanup is idempotent.
    await d.work.enqueue(ACTIVITY_CLEANUP, [{ budgetId: (event.data as BudgetDeletedData).budgetId }], d.clock.now());
  });
  return [
    {
      name: ACTIVITY_ON_EXPENSES,
      events: [expenseRecorded, expenseUpdated, expenseDeleted],
      handle: recorder(ACTIVITY_ON_EXPENSES),
    },
    {
      name: ACTIVITY_ON_BUDGETS,
      events: [budgetCreated, budgetUpdated, budgetMemberAdded, budgetMemberRemoved, budgetDeleted],
      handle: (event, ctx) => (event.type === budgetDeleted.type ? cleanup(event, ctx) : onBudgets(event, ctx)),
    },
  ];
}
