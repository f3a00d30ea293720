import type { EmailSender, Logger } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { DeliveryMessage } from '../contract';
import { givenUp, retryDelayMs, type RetryPolicy } from '../domain/backoff';
import { messageWhenDue } from '../domain/delivery-message';
import { BUDGET_GONE_EVENTS } from '../domain/event-types';
import { GONE_LAST, GONE_STATUS } from '../domain/endpoint-gone';
import { inStream, type Delivery, type DeliveryAttempt, type StreamDelivery, type Webhook } from '../model';
import type { WebhookPoster } from './http-poster';
import type { WebhookServiceDeps } from './service-deps';

export interface DeliveryDeps extends WebhookServiceDeps {
  users: UsersFacade;
  mail: EmailSender;
  post: WebhookPoster;
  retry: RetryPolicy;
  /** The longest delay the queue takes at once (SQS: 900 s); longer waits are re-queued. */
  maxQueueDelayMs: number;
}

/** How long one attempt holds its delivery (the request's timeout and some margin). */
const CLAIM_MS = 60_000;
/**
 * Tries to record an attempt on a delivery that keeps changing under it: only another attempt
 * recorded between the read and the write changes it (a redelivery, each a request of its owner).
 */
const RECORD_ROUNDS = 5;

/** What an attempt leaves the delivery at. */
type AttemptOutcome = { status: Delivery['status']; reason: string | null; nextAttemptAt: string | null };

/**
 * Works one queue message: one attempt of one delivery. Never sleeps: a retry is a new message
 * with a delay. Per (webhook, budget) stream, deliveries go strictly in sequence order: only
 * the stream's next delivery is attempted; a later one waits (its message is dropped) until
 * the one before it is settled (delivered, skipped or failed for good), which queues the next.
 *
 * Access is checked here, at delivery time, through the budgets facade: a member who lost
 * access (removed, left, budget deleted) gets nothing more of that budget, nor does an owner
 * whose account is deleted (read through the users facade with it); the delivery is
 * `skipped` and the stream moves on. After `retry.giveUpAfterMs` (24 h) of failures the
 * delivery fails for good, the webhook is disabled and its owner emailed.
 *
 * A ping (no budget, no stream) is attempted and retried the same way, on its own: nothing
 * waits for it and it waits for nothing, there is no access to check (it says nothing about a
 * budget), and it is sent whether the webhook is enabled or not: its owner asked for it, e.g.
 * to test a fixed endpoint before enabling the webhook again. Its success does not enable the
 * webhook (only PATCH `enabled: true` does, as after a redelivery).
 */
export class DeliveryService {
  constructor(private readonly d: DeliveryDeps) {}

  async handle(message: DeliveryMessage, logger: Logger): Promise<void> {
    const now = this.d.clock.now();
    if (message.notBefore && Date.parse(message.notBefore) > now.getTime()) {
      // Still waiting out a delay longer than the queue can hold.
      await this.d.queue.send(message, Math.min(this.d.maxQueueDelayMs, Date.parse(message.notBefore) - now.getTime()));
      return;
    }
    const webhook = await this.d.webhooks.get(message.ownerId, message.webhookId);
    const delivery = webhook && (await this.d.deliveries.get(webhook.id, message.deliveryId));
    if (!webhook || !delivery) return logger.info('webhook delivery dropped: webhook or delivery gone', { ...message });
    // One attempt per redelivery asked for, however often the queue hands its message (one queued before the id: as before).
    if (message.redelivery) {
      if (message.redeliveryId === undefined) return this.redeliver(webhook, delivery);
      return this.d.deliveries.onceForRedelivery(webhook.id, message.redeliveryId, this.d.clock, () => this.redeliver(webhook, delivery));
    }
    // Its give-up died between the disable and the mail: finish that, no attempt more.
    if (webhook.disabledMailOwed?.deliveryId === delivery.id) return this.finishGiveUp(webhook, delivery, webhook.disabledMailOwed.last);
    if (staleRetry(message, delivery)) return this.retryWhenDue(delivery, now);
    if (!inStream(delivery)) return this.sendAlone(webhook, delivery, now, message.dueAt);
    if (webhook.status !== 'enabled') return; // resumed when it is enabled again
    if (delivery.status !== 'pending') return this.repair(delivery); // settled: make sure the next one goes
    const head = await this.d.deliveries.head(webhook.id, delivery.budgetId);
    if (delivery.sequence > head.deliveredThrough + 1) return; // an earlier one is still under way; it queues this one
    await this.whileClaimed(delivery, now, message.dueAt, async () => {
      const refused = await this.refusal(webhook, delivery);
      if (refused !== null) {
        await this.d.deliveries.settle(delivery, 'skipped', refused);
        return this.moveOn(delivery);
      }
      if (await this.attemptOnce(webhook, delivery)) await this.moveOn(delivery);
    });
  }

  /**
   * A copy of a retry's message handed again after that retry was attempted (SQS delivers at
   * least once: a lost delete, a receive past the visibility timeout): the attempt recorded since
   * moved the delivery to its next retry. Attempting it now would ignore the backoff, and its
   * failure would queue a second retry beside the one queued already: two chains of messages, every
   * later failure attempted twice (and again twice for each further copy). Instead the copy waits
   * for the retry now due (it cannot tell whether that one's message went: the process may have
   * died between the record and the send) and is worked then as any message of it: the first of
   * them to claim the delivery attempts it, the others find it held (dropped) or moved on again
   * (waiting once more), so no attempt is ever made twice or early, and none is lost.
   */
  private async retryWhenDue(delivery: Delivery & { nextAttemptAt: string }, now: Date): Promise<void> {
    const { message, delayMs } = messageWhenDue(delivery, now, this.d.maxQueueDelayMs);
    await this.d.queue.send(message, delayMs);
  }

  /** A ping: one attempt if it is still pending and nobody else holds it (the same lease). */
  private async sendAlone(webhook: Webhook, delivery: Delivery, now: Date, dueAt: string | undefined): Promise<void> {
    if (delivery.status !== 'pending') return;
    await this.whileClaimed(delivery, now, dueAt, async () => {
      await this.attemptOnce(webhook, delivery);
    });
  }

  /**
   * Runs `work` holding the delivery's claim (nothing when another message holds it). A `work`
   * that throws (an error of ours: a refused write, a failed read) gives the claim back before
   * the message is retried: the retry would otherwise find it held for CLAIM_MS, do nothing and
   * be done with, leaving the delivery pending with no message, and its stream waiting behind it
   * for good. Until feat/hooks that was the local queue's retry (200 ms later); SQS redelivers
   * after its visibility timeout (180 s), past the claim. A claim that cannot be given back
   * either ends by itself (CLAIM_MS).
   */
  private async whileClaimed(delivery: Delivery, now: Date, dueAt: string | undefined, work: () => Promise<void>): Promise<void> {
    const until = new Date(now.getTime() + CLAIM_MS);
    // A retry's message claims only the retry it was queued for: a copy that read the delivery just
    // before another copy's attempt was recorded finds it moved on here (staleRetry's race).
    if (!(await this.d.deliveries.claim(delivery, now, until, dueAt))) return;
    try {
      await work();
    } catch (err) {
      await this.d.deliveries.unclaim(delivery, until).catch(() => undefined);
      throw err;
    }
  }

  /**
   * One attempt of a claimed delivery and its outcome: delivered, failed for good after 24 h
   * (true: settled), or recorded and queued again after the backoff delay (false).
   */
  private async attemptOnce(webhook: Webhook, delivery: Delivery): Promise<boolean> {
    const { attempt, retryAfterMs } = await this.attempt(webhook, delivery, false);
    if (attempt.responseStatus !== null && attempt.responseStatus >= 200 && attempt.responseStatus < 300) {
      await this.record(delivery, attempt, () => ({ status: 'delivered', reason: null, nextAttemptAt: null }));
      return true;
    }
    // 410 Gone: the receiver is "no longer interested in receiving webhooks from this source", and
    // Standard Webhooks has the sender disable the endpoint and stop sending it messages: given up
    // at once, as after 24 h of failures (disabled, its owner mailed why: disabledReason).
    if (attempt.responseStatus === GONE_STATUS) {
      await this.giveUp(webhook, delivery, attempt);
      return true;
    }
    // The ordered attempts since the webhook was last enabled again: the days it was disabled
    // are no failures, so a delivery that failed before it was turned off has its 24 h of
    // retries (and its backoff) from the re-enabling. Counting from its first attempt ever, one
    // more failure after days disabled gave it up at once and disabled the webhook again, the
    // mail saying every attempt had failed for 24 hours (until feat/hooks).
    const since = webhook.enabledAt ? Date.parse(webhook.enabledAt) : Number.NEGATIVE_INFINITY;
    const ordered = delivery.attempts.filter((a) => !a.redelivery && Date.parse(a.at) >= since);
    const failedAttempts = ordered.length + 1;
    const firstAttemptAt = new Date(ordered[0]?.at ?? attempt.at);
    const after = this.d.clock.now();
    if (givenUp(firstAttemptAt, after, this.d.retry)) {
      await this.giveUp(webhook, delivery, attempt);
      return true;
    }
    // No sooner than the endpoint's Retry-After asked (Standard Webhooks: taken "into consideration
    // when scheduling the next attempt"), within the backoff's longest wait: a receiver cannot
    // push its retries past the 24 h, nor hold a message longer than any other wait.
    const delay = Math.max(retryDelayMs(failedAttempts, this.d.retry), Math.min(retryAfterMs ?? 0, this.d.retry.maxDelayMs));
    const nextAttemptAt = new Date(after.getTime() + delay).toISOString();
    await this.record(delivery, attempt, () => ({ status: 'pending', reason: describe(attempt), nextAttemptAt }));
    await this.d.queue.send(
      { webhookId: webhook.id, ownerId: webhook.ownerId, deliveryId: delivery.id, dueAt: nextAttemptAt, ...(delay > this.d.maxQueueDelayMs ? { notBefore: nextAttemptAt } : {}) },
      Math.min(delay, this.d.maxQueueDelayMs),
    );
    return false;
  }

  /**
   * POST .../redeliver: one attempt now, whatever the order; a success settles a failed delivery.
   * It holds no claim: its outcome is decided on the delivery as it is when recorded (record).
   */
  private async redeliver(webhook: Webhook, delivery: Delivery): Promise<void> {
    const refused = await this.refusal(webhook, delivery);
    const attempt: DeliveryAttempt =
      refused === null
        ? (await this.attempt(webhook, delivery, true)).attempt
        : { attempt: nextAttemptNumber(delivery), at: this.d.clock.now().toISOString(), responseStatus: null, latencyMs: 0, error: `not sent: ${refused}`, redelivery: true };
    const ok = attempt.responseStatus !== null && attempt.responseStatus >= 200 && attempt.responseStatus < 300;
    await this.record(
      delivery,
      attempt,
      (current) => {
        const settled = ok && current.status === 'failed';
        return { status: settled ? 'delivered' : current.status, reason: settled ? null : current.reason, nextAttemptAt: current.nextAttemptAt };
      },
      false,
    );
  }

  /**
   * Records an attempt on the delivery as read, its outcome decided by `outcome` on it; when
   * another attempt was recorded meanwhile (a redelivery and an ordered attempt at once), on the
   * delivery as it is then, numbered after what is there (deliveries.recordAttempt). `claimed`:
   * the attempt held the delivery's claim (an ordered one or a ping's), released by the write.
   */
  private async record(read: Delivery, attempt: DeliveryAttempt, outcome: (current: Delivery) => AttemptOutcome, claimed = true): Promise<void> {
    let current = read;
    for (let round = 1; round <= RECORD_ROUNDS; round++) {
      const written = await this.d.deliveries.recordAttempt(current, { ...attempt, attempt: nextAttemptNumber(current) }, outcome(current), claimed);
      if (written === 'recorded' || written === 'gone') return;
      current = written.changed;
    }
    throw new Error(`webhook delivery ${read.id}: its attempt could not be recorded after ${RECORD_ROUNDS} rounds`);
  }

  /** One POST of the delivery: the attempt as recorded, and the wait its answer's Retry-After asks for (not recorded). */
  private async attempt(webhook: Webhook, delivery: Delivery, redelivery: boolean): Promise<{ attempt: DeliveryAttempt; retryAfterMs?: number }> {
    const at = this.d.clock.now();
    const secrets = [webhook.secret];
    if (webhook.previousSecret && webhook.previousSecretExpiresAt && Date.parse(webhook.previousSecretExpiresAt) > at.getTime()) {
      secrets.push(webhook.previousSecret);
    }
    // The signing library is loaded by the first delivery, not at start (the API does not sign).
    const { signedHeaders } = await import('../domain/signature');
    const result = await this.d.post(webhook.url, { ...signedHeaders(delivery.id, at, delivery.body, secrets) }, delivery.body);
    return {
      attempt: { attempt: nextAttemptNumber(delivery), at: at.toISOString(), responseStatus: result.status, latencyMs: result.latencyMs, error: result.error, redelivery },
      ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
    };
  }

  /** Why nothing of this delivery may go to the webhook's owner now (the delivery's `reason`), null when it may. */
  private async refusal(webhook: Webhook, delivery: Delivery): Promise<string | null> {
    // A ping carries nothing of a budget: it goes to the webhook's owner, who asked for it.
    if (!inStream(delivery)) return null;
    // The owner's account, read with the access: a deleted account gets nothing more of any
    // budget from its deletion on (as its tokens and calendar feeds), not only once user.deleted's
    // cleanups have removed its memberships and webhooks (asynchronous; retried when they fail).
    // Nor does one support suspended (a stolen account: the thief's URL must not keep receiving
    // the household's expenses), as its calendar feeds; its deliveries meanwhile are skipped, and
    // once the suspension is lifted the next events go again (the skipped ones can be redelivered).
    const [owner, access] = await Promise.all([
      this.d.users.activeById(webhook.ownerId),
      // The budget is gone for everybody: membership was checked from the event itself.
      BUDGET_GONE_EVENTS.includes(delivery.eventType) ? true : this.d.budgets.getAccess(delivery.budgetId, webhook.ownerId),
    ]);
    if (owner === null) return "The owner's account is deleted or suspended.";
    return access === null ? 'The owner of the webhook can no longer read this budget.' : null;
  }

  /**
   * 24 h of failures: the webhook is disabled, then its owner emailed, only when this call
   * disabled it (`disable` is conditioned on the webhook still being there and enabled): a
   * webhook deleted while its final attempt was in flight is not written back, and its owner,
   * who deleted it, is not told it was disabled. The mail is at least once: the disable records
   * it as owed by this delivery (`disabledMailOwed`), removed after it went; a process dying in
   * between leaves it for the message's retry, which finds it owed by itself (handle: no
   * attempt more, finishGiveUp). A crash after the mail and before its removal mails twice. A
   * webhook deleted meanwhile is read as gone by the retry: nothing mailed.
   */
  private async giveUp(webhook: Webhook, delivery: Delivery, attempt: DeliveryAttempt): Promise<void> {
    const last = describe(attempt);
    if (webhook.status === 'enabled' && (await this.d.webhooks.disable(webhook, disabledReason(last), this.d.clock.now().toISOString(), { deliveryId: delivery.id, last }))) {
      await this.mailDisabled(webhook, delivery, last);
    }
    await this.record(delivery, attempt, () => ({ status: 'failed', reason: disabledReason(last), nextAttemptAt: null }));
  }

  /**
   * The retry of a give-up that died after its disable: the mail still owed, the delivery failed
   * (its final attempt was not recorded: it died with the process; the reason says how it ended),
   * the stream moved on as attemptOnce's give-up does.
   */
  private async finishGiveUp(webhook: Webhook, delivery: Delivery, last: string): Promise<void> {
    await this.mailDisabled(webhook, delivery, last);
    if (delivery.status !== 'pending') return;
    await this.d.deliveries.settle(delivery, 'failed', disabledReason(last));
    if (inStream(delivery)) await this.moveOn(delivery);
  }

  /** The "Webhook disabled" mail, then nothing owed any more. */
  private async mailDisabled(webhook: Webhook, delivery: Delivery, last: string): Promise<void> {
    const owner = await this.d.users.getById(webhook.ownerId);
    if (owner) {
      // The mail and its message catalog are loaded by the first webhook given up on, not with the delivery worker.
      const { disabledEmail } = await import('../domain/disabled-email');
      await this.d.mail.send(disabledEmail(webhook, owner.email, last, delivery.id, owner.locale));
    }
    await this.d.webhooks.disabledMailSent(webhook, delivery.id);
  }

  /** The stream moves past a settled delivery and the next one, if any, is queued. */
  private async moveOn(delivery: StreamDelivery): Promise<void> {
    await this.d.deliveries.advance(delivery.webhookId, delivery.budgetId, delivery.sequence);
    await this.queueNext(delivery);
  }

  /**
   * A message for a delivery that is settled already (a duplicate, or the retry of an
   * invocation that crashed after settling it): finish what may be missing (the stream's
   * advance, the next one's message), but only where the stream stands at this delivery, so
   * a stale duplicate does not walk the whole stream again.
   */
  private async repair(delivery: StreamDelivery): Promise<void> {
    const head = await this.d.deliveries.head(delivery.webhookId, delivery.budgetId);
    if (head.deliveredThrough === delivery.sequence - 1) return this.moveOn(delivery);
    if (head.deliveredThrough === delivery.sequence) await this.queueNext(delivery);
  }

  /**
   * Queues the stream's next delivery still kept. One numbered in between that is gone reached
   * its 30-day TTL before it could be sent (a webhook re-enabled near the end of them: the one
   * before it retried meanwhile); the stream moves over it, else it waited for good on it, and
   * every later event of the budget behind it (until feat/hooks). None is missing otherwise: a
   * number is taken with its pointer, in one transaction, in order.
   *
   * The message names the attempt the next delivery waits for, with the delay until it
   * (messageWhenDue; one GetItem of it): its own first message (the fan-out's) may be worked too,
   * when it came after this one settled, and a copy of a settled delivery's message queues it
   * again (repair) while it waits out a failure's backoff. Queued at once and naming nothing, it
   * was attempted beside the other, its failure queuing a second retry, or at once, ignoring the
   * backoff (until feat/replays).
   */
  private async queueNext(delivery: StreamDelivery): Promise<void> {
    const now = this.d.clock.now();
    const next = await this.d.deliveries.firstKeptAfter(delivery.webhookId, delivery.budgetId, delivery.sequence, now);
    if (!next) return;
    if (next.sequence > delivery.sequence + 1) await this.d.deliveries.skipExpired(delivery.webhookId, delivery.budgetId, delivery.sequence, next.sequence - 1);
    const waiting = await this.d.deliveries.get(delivery.webhookId, next.deliveryId);
    if (waiting?.status === 'pending' && waiting.nextAttemptAt !== null) {
      const { message, delayMs } = messageWhenDue({ ...waiting, nextAttemptAt: waiting.nextAttemptAt }, now, this.d.maxQueueDelayMs);
      return this.d.queue.send(message, delayMs);
    }
    await this.d.queue.send({ webhookId: delivery.webhookId, ownerId: delivery.ownerId, deliveryId: next.deliveryId }, 0);
  }
}

/**
 * A retry's message (it names the retry it was queued for) that meets the pending delivery at
 * another attempt: that one was made already (DeliveryService.retryWhenDue). A message naming
 * none (a resume's, one queued before messages named their attempt) is never stale.
 */
function staleRetry(message: DeliveryMessage, delivery: Delivery): delivery is Delivery & { nextAttemptAt: string } {
  return message.dueAt !== undefined && delivery.status === 'pending' && delivery.nextAttemptAt !== null && delivery.nextAttemptAt !== message.dueAt;
}

/**
 * Why the webhook was disabled, from the last attempt (`last`, describe's): its endpoint answered
 * 410 Gone, or every attempt failed for 24 hours. Stored and answered by the API in English (a
 * field, not a text for a reader); the mail words it in the owner's locale (disabled-email.ts).
 */
const disabledReason = (last: string) =>
  last === GONE_LAST ? 'The endpoint answered 410 Gone: it asked for no more deliveries.' : `Every attempt failed for 24 hours (last: ${last}).`;

function describe(attempt: DeliveryAttempt): string {
  return attempt.responseStatus !== null ? `HTTP ${attempt.responseStatus}` : (attempt.error ?? 'no response');
}

/**
 * The number of a delivery's next attempt: one after its last. Not the count of attempts + 1:
 * a delivery keeps only its last 40 (deliveries.repository.ts), so past them the count stays 40.
 */
function nextAttemptNumber(delivery: Delivery): number {
  return (delivery.attempts.at(-1)?.attempt ?? 0) + 1;
}
