import type { Subscription } from '@budgeting/platform';
import {
  budgetCreated,
  budgetDeleted,
  budgetMemberAdded,
  budgetMemberRemoved,
  budgetMemberRoleChanged,
  budgetMemberShareChanged,
  budgetOverspendProjected,
  budgetSettlementDeleted,
  budgetSettlementRecorded,
  budgetSettlementUpdated,
  budgetThresholdCrossed,
  budgetUpdated,
  reportGenerated,
} from '@budgeting/budgets';
import { expenseCommentAdded, expenseCommentDeleted, expenseDeleted, expenseImportFinished, expenseImportUndoFinished, expenseMerchantRenameFinished, expenseRecorded, expenseRecurringDueSoon, expenseUpdated, incomeDeleted, incomeRecorded, incomeUpdated } from '@budgeting/expenses';
import { userDeleted, type UserDeletedData } from '@budgeting/users';
import { WEBHOOK_EVENT_TYPES } from '../domain/event-types';
import type { Webhook } from '../model';
import type { WebhooksRepository } from '../repository/webhooks.repository';
import type { FanOutService } from '../service/fan-out.service';

export const WEBHOOKS_ON_BUDGETS = 'webhooks-on-budgets';
export const WEBHOOKS_ON_EXPENSES = 'webhooks-on-expenses';
export const WEBHOOKS_ON_USERS = 'webhooks-on-users';

const BUDGET_EVENTS = [budgetCreated, budgetUpdated, budgetDeleted, budgetMemberAdded, budgetMemberRoleChanged, budgetMemberShareChanged, budgetMemberRemoved, budgetSettlementRecorded, budgetSettlementUpdated, budgetSettlementDeleted, budgetThresholdCrossed, budgetOverspendProjected, reportGenerated];
// Income (income.recorded / updated / deleted) is published by the expenses module too: the same bus rule.
const EXPENSE_EVENTS = [
  expenseRecorded,
  expenseUpdated,
  expenseDeleted,
  expenseCommentAdded,
  expenseCommentDeleted,
  expenseImportFinished,
  expenseMerchantRenameFinished,
  expenseImportUndoFinished,
  expenseRecurringDueSoon,
  incomeRecorded,
  incomeUpdated,
  incomeDeleted,
];

// The list subscribers may pick from is exactly what the module subscribes to.
const subscribed = [...BUDGET_EVENTS, ...EXPENSE_EVENTS].map((c) => c.type).sort();
if (JSON.stringify(subscribed) !== JSON.stringify([...WEBHOOK_EVENT_TYPES].sort())) {
  throw new Error(`WEBHOOK_EVENT_TYPES (${WEBHOOK_EVENT_TYPES.join(', ')}) must be the events the webhooks module subscribes to (${subscribed.join(', ')})`);
}

/**
 * Every event of a budget becomes deliveries (one bus rule per publisher: budgets, expenses).
 * No inbox: the fan-out is idempotent by itself (one guard per (webhook, budget, event)).
 * user.deleted removes the account's webhooks, and queues the deletion of each one's deliveries
 * (jobs/deliveries-cleanup-job.ts); messages still queued for them find nothing.
 */
export function webhooksSubscriptions(d: {
  /** Loaded on the first event (create-module.ts): an HTTP request never runs a subscriber. */
  fanOut: () => Promise<FanOutService>;
  webhooks: () => Promise<WebhooksRepository>;
  /** Queues the deliveries' cleanup of each of a deleted account's webhooks. */
  cleanUpDeliveries: (webhooks: Pick<Webhook, 'ownerId' | 'id'>[]) => Promise<void>;
}): Subscription[] {
  return [
    { name: WEBHOOKS_ON_BUDGETS, events: BUDGET_EVENTS, handle: async (event, ctx) => (await d.fanOut()).onEvent(event, ctx.logger) },
    // After every expense write: a budget nobody watches costs one read (FanOutService).
    {
      name: WEBHOOKS_ON_EXPENSES,
      events: EXPENSE_EVENTS,
      handle: async (event, ctx) => (await d.fanOut()).onEvent(event, ctx.logger, { skipUnwatched: true }),
    },
    {
      name: WEBHOOKS_ON_USERS,
      events: [userDeleted],
      // The deliveries' cleanup is queued before the webhooks go: a redelivered event (a crash
      // in between) still lists them and queues it again; its unit deletes the webhook first.
      handle: async (event) => {
        const { userId } = event.data as UserDeletedData;
        const webhooks = await d.webhooks();
        await d.cleanUpDeliveries(await webhooks.list(userId));
        await webhooks.deleteAllOf(userId);
      },
    },
  ];
}
