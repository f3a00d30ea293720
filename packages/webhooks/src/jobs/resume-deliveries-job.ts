import type { FanOutJob } from '@budgeting/platform';
import type { DeliveryQueue } from '../contract';
import type { DeliveriesRepository } from '../repository/deliveries.repository';
import type { WebhooksRepository } from '../repository/webhooks.repository';
import { RESUME_DELIVERIES_JOB } from './names';

/**
 * A re-enabled webhook's waiting deliveries, resumed outside the request: the enabling PATCH
 * writes one unit in its own transaction (so an enabled webhook always has its resume coming),
 * and the unit pages through the webhook's pending deliveries (a busy webhook disabled for days
 * holds thousands) and queues, per budget stream met, only the stream's next delivery
 * (`deliveredThrough + 1`): the worker sends the rest in order, each settled delivery queuing
 * the next (service/delivery.service.ts). When its invocation's time is up the rest of the pages
 * is queued as the same unit with the page to start from.
 *
 * Each stream is queued once per re-enabling: the head records the webhook version that
 * resumed it (DeliveriesRepository.markResumed), after the message went, so a redelivered unit,
 * or a later page meeting the stream again, finds it marked and queues nothing (a second
 * message for a delivery waiting out its backoff would attempt it at once). A crash between the
 * message and the mark queues it again on the retry: at least once, never a stream left stuck.
 * A ping waits in no stream and kept its own messages while the webhook was disabled: left out.
 */

/** Deliveries read per page (pending or not: the filter keeps the pending ones after the read). */
const PAGE = 1_000;

export interface ResumeDeliveriesUnit {
  ownerId: string;
  webhookId: string;
  /** The webhook's version the enabling PATCH wrote: what the streams' heads are marked with. */
  version: number;
  /** Where the pending deliveries go on (a Query's LastEvaluatedKey, as JSON); absent at the start. */
  startKey?: string;
}

export function resumeDeliveriesJob(d: {
  webhooks: WebhooksRepository;
  deliveries: DeliveriesRepository;
  queue: DeliveryQueue;
  /** Deliveries read per page (tests page in twos; production passes nothing). */
  page?: number;
}): FanOutJob<ResumeDeliveriesUnit> {
  const pageSize = d.page ?? PAGE;
  /** Queues the stream's next delivery unless this re-enabling (or a later one) did; true when one was queued. */
  async function resumeStream(unit: ResumeDeliveriesUnit, budgetId: string, now: Date): Promise<boolean> {
    const head = await d.deliveries.head(unit.webhookId, budgetId);
    if ((head.resumedFor ?? 0) >= unit.version) return false;
    // The next one still kept, whatever its status: a settled one whose stream did not move on (a
    // crash in between) is repaired by the worker, which then queues the one after it. Kept: a
    // webhook disabled about 30 days finds its oldest waiting deliveries gone with their TTL and
    // the later ones still there; the stream moves over the gone ones (they can no longer be
    // sent), else it waited for ever on a delivery that no longer exists, and every new event of
    // the budget behind it (until feat/hooks).
    const next = await d.deliveries.firstKeptAfter(unit.webhookId, budgetId, head.deliveredThrough, now);
    if (next && next.sequence > head.deliveredThrough + 1) await d.deliveries.skipExpired(unit.webhookId, budgetId, head.deliveredThrough, next.sequence - 1);
    if (next) await d.queue.send({ webhookId: unit.webhookId, ownerId: unit.ownerId, deliveryId: next.deliveryId }, 0);
    await d.deliveries.markResumed(unit.webhookId, budgetId, unit.version);
    return next !== undefined;
  }

  return {
    name: RESUME_DELIVERIES_JOB,
    async work(unit, now, ctx) {
      // Deleted, or disabled again since: nothing to resume (the next re-enabling queues its own unit).
      const webhook = await d.webhooks.get(unit.ownerId, unit.webhookId);
      if (!webhook || webhook.status !== 'enabled') return { done: 0 };
      let startKey = unit.startKey ? (JSON.parse(unit.startKey) as Record<string, unknown>) : undefined;
      const met = new Set<string>();
      let queued = 0;
      do {
        const page = await d.deliveries.pendingStreams(unit.webhookId, pageSize, startKey);
        for (const budgetId of page.budgetIds.filter((b) => !met.has(b))) {
          met.add(budgetId);
          if (await resumeStream(unit, budgetId, now)) queued++;
        }
        startKey = page.lastKey;
      } while (startKey && Date.now() < ctx.deadline);
      ctx.logger.info('webhook deliveries resumed', { webhookId: unit.webhookId, streams: met.size, queued, finished: !startKey });
      return { done: queued, ...(startKey ? { again: { ...unit, startKey: JSON.stringify(startKey) } } : {}) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<ResumeDeliveriesUnit> | null;
      if (!unit || typeof unit.ownerId !== 'string' || unit.ownerId.length === 0) throw new Error('resume deliveries unit needs an ownerId');
      if (typeof unit.webhookId !== 'string' || unit.webhookId.length === 0) throw new Error('resume deliveries unit needs a webhookId');
      if (!Number.isInteger(unit.version) || unit.version! < 1) throw new Error('resume deliveries unit needs a positive integer version');
      if (unit.startKey !== undefined && typeof unit.startKey !== 'string') throw new Error('resume deliveries unit: startKey is a string');
      return { ownerId: unit.ownerId, webhookId: unit.webhookId, version: unit.version!, ...(unit.startKey === undefined ? {} : { startKey: unit.startKey }) };
    },
  };
}
