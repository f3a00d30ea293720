import { deleteInStepsJob, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { DeliveriesRepository } from '../repository/deliveries.repository';
import type { WebhooksRepository } from '../repository/webhooks.repository';
import { DELIVERIES_CLEANUP_JOB } from './names';

/**
 * The user.deleted cascade of a deleted account's webhook (platform deleteInStepsJob):
 * `webhooks-on-users` queues one unit per webhook of the account. A delivery holds its owner's id
 * and the event's body (names, amounts, notes) for 30 days: personal data of an account that is
 * gone. Each invocation deletes the webhook's item first (so no fan-out or ping can add a
 * delivery after: their transactions check it, DeliveriesRepository.create), then its deliveries
 * and ping counter in bounded steps (a busy webhook holds a delivery per event of 30 days).
 * Left to their TTL (30 days): the webhook's streams' heads, sequence pointers and event guards
 * (webhook, budget, event and delivery ids and numbers; nothing of the person).
 */

export interface DeliveriesCleanupUnit extends Record<string, string> {
  ownerId: string;
  webhookId: string;
}

export function deliveriesCleanupJob(d: { store: ModuleStore; webhooks: WebhooksRepository; deliveries: DeliveriesRepository }): FanOutJob<DeliveriesCleanupUnit> {
  return deleteInStepsJob<DeliveriesCleanupUnit>({
    name: DELIVERIES_CLEANUP_JOB,
    store: d.store,
    before: async (unit) => {
      await d.webhooks.forget(unit.ownerId, unit.webhookId);
    },
    slice: (unit, limit) => d.deliveries.sliceOfWebhook(unit.webhookId, limit),
    logMessage: 'webhook deliveries deleted with the account',
    unit: { what: 'deliveries cleanup', fields: ['ownerId', 'webhookId'] },
  });
}
