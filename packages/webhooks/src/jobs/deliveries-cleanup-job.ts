import { deleteInSteps, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { DeliveriesRepository } from '../repository/deliveries.repository';
import type { WebhooksRepository } from '../repository/webhooks.repository';
import { DELIVERIES_CLEANUP_JOB } from './names';

/**
 * The user.deleted cascade of a deleted account's webhook, as a fan-out job without a schedule:
 * `webhooks-on-users` queues one unit per webhook of the account. A delivery holds its owner's id
 * and the event's body (names, amounts, notes) for 30 days: personal data of an account that is
 * gone. Each invocation deletes the webhook's item first (so no fan-out or ping can add a
 * delivery after: their transactions check it, DeliveriesRepository.create), then its
 * deliveries and ping counter in bounded steps (platform deleteInSteps: a busy webhook holds a
 * delivery per event of 30 days), and queues the rest as the same unit. Idempotent: each slice
 * is read anew, so a redelivered unit finds only what is left.
 * Left to their TTL (30 days): the webhook's streams' heads, sequence pointers and event guards
 * (webhook, budget, event and delivery ids and numbers; nothing of the person).
 */

/** Keys per slice read (one Query page of keys only). */
const SLICE = 1_000;

export interface DeliveriesCleanupUnit {
  ownerId: string;
  webhookId: string;
}

export function deliveriesCleanupJob(d: { store: ModuleStore; webhooks: WebhooksRepository; deliveries: DeliveriesRepository }): FanOutJob<DeliveriesCleanupUnit> {
  return {
    name: DELIVERIES_CLEANUP_JOB,
    async work(unit, _now, ctx) {
      await d.webhooks.forget(unit.ownerId, unit.webhookId);
      const { deleted, finished } = await deleteInSteps(d.store, () => d.deliveries.sliceOfWebhook(unit.webhookId, SLICE), ctx.deadline);
      ctx.logger.info('webhook deliveries deleted with the account', { webhookId: unit.webhookId, deleted, finished });
      return { done: deleted, ...(finished ? {} : { again: unit }) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<DeliveriesCleanupUnit> | null;
      if (!unit || typeof unit.ownerId !== 'string' || unit.ownerId.length === 0) throw new Error('deliveries cleanup unit needs an ownerId');
      if (typeof unit.webhookId !== 'string' || unit.webhookId.length === 0) throw new Error('deliveries cleanup unit needs a webhookId');
      return { ownerId: unit.ownerId, webhookId: unit.webhookId };
    },
  };
}
