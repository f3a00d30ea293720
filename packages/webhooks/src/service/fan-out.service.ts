import { newId, sleep as sleepFor, type EventEnvelope, type Logger } from '@budgeting/platform';
import type { BudgetWatchers } from '@budgeting/budgets';
import type { KnowledgePort } from '../contract';
import { BUDGET_GONE_EVENTS, type WebhookEventType } from '../domain/event-types';
import { DEFAULT_RACE_BACKOFF, raceDelayMs, type RaceBackoff } from '../domain/race-backoff';
import type { StreamDelivery, Webhook } from '../model';
import { messageWhenDue } from '../domain/delivery-message';
import type { WebhookServiceDeps } from './service-deps';

export interface FanOutDeps extends WebhookServiceDeps {
  knowledge: KnowledgePort;
  /** The waits between races for a stream's next number (default DEFAULT_RACE_BACKOFF, a timer, Math.random); tests wait no wall-clock time. */
  races?: Partial<RaceBackoff> & { sleep?: (ms: number) => Promise<void>; random?: () => number };
  /** The longest delay the queue takes at once (default SQS's 900 s, create-module's MAX_QUEUE_DELAY_MS); a re-queued delivery's longer wait carries `notBefore`. */
  maxQueueDelayMs?: number;
}

export interface FanOutOptions {
  /**
   * Skip the budget with ONE read when the budgets module knows that none of its members
   * watches it (no enabled webhook for it), instead of reading the members and each one's
   * webhooks. For expense events: after every expense write (issue 11).
   */
  skipUnwatched?: boolean;
}

/**
 * One event of a budget -> one delivery per matching, enabled webhook of each member (the
 * owner of a webhook must be a member: all roles may read). Each delivery is numbered in its
 * (webhook, budget) stream and carries the budget's serverKnowledge as the webhook's owner
 * would get it from GET /changes.
 *
 * Ordering: the sequence number is taken with a conditional write on the stream's head, and
 * the knowledge is read AFTER reading the head. If another event took the number meanwhile,
 * the write fails and both are read again (after a jittered wait, domain/race-backoff.ts: a
 * burst of events of one budget would otherwise race in lockstep), so a delivery with a higher
 * sequence number always carries a knowledge read after (>=) that of every lower one. The
 * worker sends a stream's deliveries strictly in sequence order (delivery.service.ts), so a
 * receiver sees each budget's serverKnowledge move forward only.
 *
 * Idempotent: a redelivered event finds its guard and only re-queues the delivery it created.
 */
export class FanOutService {
  constructor(private readonly d: FanOutDeps) {}

  async onEvent(event: EventEnvelope, logger: Logger, options: FanOutOptions = {}): Promise<void> {
    const data = event.data as { budgetId: string; ownerId?: string; memberIds?: string[] };
    const gone = BUDGET_GONE_EVENTS.includes(event.type);
    const watch = options.skipUnwatched && !gone && this.d.watchers ? await this.d.watchers.eventWatchers(data.budgetId) : undefined;
    if (watch?.known && watch.watchers.length === 0) return; // nobody watches this budget
    const owners = gone ? [...new Set([data.ownerId!, ...(data.memberIds ?? [])])] : await this.d.budgets.memberIds(data.budgetId);
    const all = (await Promise.all(owners.map((owner) => this.d.webhooks.list(owner)))).flat();
    if (watch) await this.recordWatchers(data.budgetId, watch, all, logger);
    const webhooks = all.filter((w) => wants(w, data.budgetId, event.type));
    // Each webhook numbers its own stream, so their deliveries are made side by side: an event
    // takes the longest webhook's time, not the sum (a webhook losing races waits up to 2.81 s),
    // and one webhook failing does not hold the others' deliveries back. The event is still given
    // back when any failed; its redelivery finds the others' guards and only re-queues those.
    const outcomes = await Promise.allSettled(
      webhooks.map(async (webhook) => {
        await this.createDelivery(webhook, event, data.budgetId, gone);
        logger.debug('webhook delivery created', { webhookId: webhook.id, eventId: event.id });
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Tells the budgets module who watches the budget now (read after `watch`), so the next
   * events skip it with one read while that stays true. Conditional on `watch.gen`: a member
   * added or a webhook created meanwhile makes it fail, and the next event reads again.
   * Best effort: failing only costs reads later.
   */
  private async recordWatchers(budgetId: string, watch: BudgetWatchers, webhooks: Webhook[], logger: Logger): Promise<void> {
    // A pinned user (a webhook being created: BudgetWatchersFacade.pinEventWatcher) is recorded whatever was found.
    const found = webhooks.filter((w) => w.status === 'enabled' && (!w.budgetIds || w.budgetIds.includes(budgetId))).map((w) => w.ownerId);
    const watchers = [...new Set([...found, ...watch.pinned])].sort();
    // Pins past their lifetime (a crash's, between a webhook's commit and its mark: the hint is
    // unknown while there are any) are dropped by this record.
    if (watch.known && JSON.stringify([...watch.watchers].sort()) === JSON.stringify(watchers)) return;
    await this.d.watchers!.recordEventWatchers(budgetId, watchers, watch.gen, watch.expiredPins).catch((err: unknown) => {
      logger.warn('could not record the budget watchers', { budgetId, error: (err as Error).message });
    });
  }

  private async createDelivery(webhook: Webhook, event: EventEnvelope, budgetId: string, gone: boolean): Promise<void> {
    const { sleep = sleepFor, random = Math.random, ...tuning } = this.d.races ?? {};
    const backoff = { ...DEFAULT_RACE_BACKOFF, ...tuning };
    for (let race = 1; race <= backoff.maxRaces; race++) {
      // Re-read only after the others had a chance to commit: the head and the knowledge are
      // read again below, in that order, so the ordering argument above holds for every try.
      if (race > 1) await sleep(raceDelayMs(race - 1, backoff, random));
      const head = await this.d.deliveries.head(webhook.id, budgetId);
      const serverKnowledge = gone ? null : await this.d.knowledge.knowledge(budgetId, webhook.ownerId);
      const now = this.d.clock.now();
      const sequence = head.lastSequence + 1;
      const id = `msg_${newId(now.getTime())}`;
      const delivery: StreamDelivery = {
        id,
        webhookId: webhook.id,
        ownerId: webhook.ownerId,
        budgetId,
        sequence,
        eventId: event.id,
        eventType: event.type,
        // The Standard Webhooks payload shape: type, timestamp, data.
        body: JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: { budgetId, sequence, serverKnowledge, event } }),
        status: 'pending',
        reason: null,
        attempts: [],
        createdAt: now.toISOString(),
        nextAttemptAt: now.toISOString(),
      };
      const outcome = await this.d.deliveries.create(delivery, head, now);
      if (outcome.kind === 'raced') continue;
      // Deleted since it was listed (by its owner, or with their account): nothing to deliver.
      if (outcome.kind === 'webhook-gone') return;
      // Queued after the commit; if this send is lost (a crash), the bus redelivers the event
      // and the 'duplicate' branch queues it again. It names its first attempt (`dueAt`), so a
      // copy the queue hands again once it was made waits for the retry (DeliveryService).
      if (outcome.kind === 'created') return this.d.queue.send({ webhookId: webhook.id, ownerId: webhook.ownerId, deliveryId: id, dueAt: delivery.nextAttemptAt! }, 0);
      return this.queueAgain(webhook, outcome.deliveryId, now);
    }
    throw new Error(`webhook ${webhook.id}: could not take a sequence number for budget ${budgetId} after ${backoff.maxRaces} tries`);
  }

  /**
   * The event delivered again found its delivery made: its message is queued again (the first
   * send may have been lost), for the attempt the delivery waits for. One failing and waiting out
   * its backoff is queued for its retry, beside the retry's own message (the first of them
   * attempts it): queued at once, it was attempted at once, ignoring the backoff, and its failure
   * queued a second retry, every later failure attempted twice (until feat/replays). One settled,
   * or not found, as before (the worker makes sure its stream moves on).
   */
  private async queueAgain(webhook: Webhook, deliveryId: string, now: Date): Promise<void> {
    const current = await this.d.deliveries.get(webhook.id, deliveryId);
    if (current?.status === 'pending' && current.nextAttemptAt !== null) {
      const { message, delayMs } = messageWhenDue({ ...current, nextAttemptAt: current.nextAttemptAt }, now, this.d.maxQueueDelayMs ?? 900_000);
      return this.d.queue.send(message, delayMs);
    }
    await this.d.queue.send({ webhookId: webhook.id, ownerId: webhook.ownerId, deliveryId }, 0);
  }
}

function wants(webhook: Webhook, budgetId: string, type: string): boolean {
  if (webhook.status !== 'enabled') return false;
  if (webhook.budgetIds && !webhook.budgetIds.includes(budgetId)) return false;
  return !webhook.eventTypes || webhook.eventTypes.includes(type as WebhookEventType);
}
