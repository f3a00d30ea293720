import { epochSeconds, GUARDS, newId, problems } from '@budgeting/platform';
import { PING_EVENT_TYPE, PING_LIMIT, pingBody } from '../domain/ping';
import type { Delivery } from '../model';
import { PING_NOT_COUNTED, type PingCounter } from '../repository/ping-counter';
import type { WebhookServiceDeps } from './service-deps';

export interface PingDeps extends Pick<WebhookServiceDeps, 'webhooks' | 'deliveries' | 'queue' | 'clock'> {
  pings: PingCounter;
}

/**
 * POST /v1/webhooks/{webhookId}/ping: a `webhook.ping` delivery (domain/ping.ts), created and
 * queued as every delivery is, so the worker signs it with the current secret, sends it with
 * the same headers and retries it with the same backoff, and it is listed and redeliverable.
 * It skips only what belongs to budgets: the filters (a ping is for the whole webhook), the
 * ordered stream and the access check (delivery.service.ts sends it on its own).
 */
export class PingService {
  constructor(private readonly d: PingDeps) {}

  /** `reservedId`: the Idempotency-Key's reserved id, so a retry after a commit finds the same delivery. */
  async ping(ownerId: string, webhookId: string, reservedId?: string): Promise<Delivery> {
    const webhook = await this.d.webhooks.get(ownerId, webhookId);
    if (!webhook) throw problems.notFound('Webhook not found.');
    const now = this.d.clock.now();
    // A delivery id is `msg_<ULID>`; the reserved id is a ULID too.
    const id = `msg_${reservedId ?? newId(now.getTime())}`;
    const earlier = reservedId ? await this.d.deliveries.get(webhook.id, id) : undefined;
    if (earlier) {
      // The retry of a request that committed and then failed (or died) before answering: the
      // same ping, not counted twice; queued again only if it never got an attempt (the send
      // may be what was lost; the lease keeps a second message from sending it twice at once).
      if (earlier.status === 'pending' && earlier.attempts.length === 0) await this.queue(earlier);
      return earlier;
    }
    await this.admit(webhook.id, now);
    const delivery: Delivery = {
      id,
      webhookId: webhook.id,
      ownerId,
      budgetId: null,
      sequence: null,
      // No domain event behind it: the ping is its own event, named by its delivery id.
      eventId: id,
      eventType: PING_EVENT_TYPE,
      body: pingBody(webhook.id, now),
      status: 'pending',
      reason: null,
      attempts: [],
      createdAt: now.toISOString(),
      nextAttemptAt: now.toISOString(),
    };
    // Deleted since it was read (by its owner, or with their account: the ping stores nothing then).
    if ((await this.d.deliveries.createAlone(delivery, now)) === 'webhook-gone') throw problems.notFound('Webhook not found.');
    // Queued after the commit, as the fan-out does: a lost send is repaired by the retry above.
    await this.queue(delivery);
    return delivery;
  }

  /**
   * PING_LIMIT per webhook: the next ping is a 429 with Retry-After (the window's end), the
   * problem every 429 of the API is (`too-many-requests`; the access line names the guard).
   */
  private async admit(webhookId: string, now: Date): Promise<void> {
    const seconds = epochSeconds(now);
    const count = await this.d.pings.count(webhookId, seconds, PING_LIMIT.windowSeconds);
    // A counter that lost every round (its window replaced under it again and again) lets the
    // ping go uncounted rather than answer 500: the limit is a courtesy to the owner's own
    // receiver, not a security boundary (the per-account rate limit still bounds the requests),
    // so one ping too many under a rare race costs nothing, while refusing would fail a request
    // that did nothing wrong.
    if (count === PING_NOT_COUNTED || count.pings <= PING_LIMIT.maxPings) return;
    const detail = `At most ${PING_LIMIT.maxPings} pings per webhook per hour; retry after the time in Retry-After.`;
    throw problems.tooManyRequests(GUARDS.webhookPingLimit, count.windowEndsAt - seconds, detail);
  }

  /**
   * The ping's message names its first attempt (`dueAt`, the delivery's nextAttemptAt), as an
   * event's does: a copy the queue hands again once that attempt was made waits for the retry
   * (DeliveryService), where it attempted the ping again at once, ignoring the backoff, and its
   * failure queued a second retry (until feat/replays).
   */
  private queue(delivery: Delivery): Promise<void> {
    return this.d.queue.send({ webhookId: delivery.webhookId, ownerId: delivery.ownerId, deliveryId: delivery.id, ...(delivery.nextAttemptAt === null ? {} : { dueAt: delivery.nextAttemptAt }) }, 0);
  }
}
