import { randomUUID } from 'node:crypto';
import { attr, claimedOnce, conditionFailedAt, epochSeconds, isConditionFailed, limitPage, refusingItem, type Clock, type Item, type ModuleStore } from '@budgeting/platform';
import { DELIVERY_STATUSES, type Delivery, type DeliveryAttempt, type DeliveryStatus, type StreamDelivery } from '../model';
import { DELIVERY_RETENTION_SECONDS, webhookKeys, type WebhookKeys } from './keys';

const KIND = 'delivery';
/** The highest sequence number a pointer's key holds (12 digits). */
const LAST_SEQUENCE = 999_999_999_999;
/** Sequence pointers read per page when looking for the first one still kept (firstKeptAfter). */
const POINTERS_READ = 100;
/** Attempts kept on a delivery (24 h of retries is 20; redeliveries add a few). */
const MAX_ATTEMPTS_KEPT = 40;

/**
 * The attempts a delivery keeps: all up to MAX_ATTEMPTS_KEPT, then its first ordered attempt
 * and the latest others. The first ordered one stays because the retries' 24 hours count from
 * it (delivery.service.ts): dropped by a run of redeliveries, the window would restart.
 */
function keptAttempts(attempts: DeliveryAttempt[]): DeliveryAttempt[] {
  if (attempts.length <= MAX_ATTEMPTS_KEPT) return attempts;
  const first = attempts.findIndex((a) => !a.redelivery);
  const latest = attempts.slice(-(MAX_ATTEMPTS_KEPT - 1));
  if (first < 0 || first >= attempts.length - latest.length) return attempts.slice(-MAX_ATTEMPTS_KEPT);
  return [attempts[first]!, ...latest];
}

/** The ordered stream of one (webhook, budget): sequence numbers given, and delivered through. */
export interface StreamHead {
  lastSequence: number;
  deliveredThrough: number;
  /** The webhook version whose re-enabling last queued this stream's next delivery (absent or 0: none did; see markResumed). */
  resumedFor?: number;
}

/** 'webhook-gone': the webhook was deleted (by its owner, or with their account) since it was read; nothing written. */
export type CreateOutcome = { kind: 'created' } | { kind: 'raced' } | { kind: 'duplicate'; deliveryId: string } | { kind: 'webhook-gone' };

/** How long a redelivery's claim is kept: past the queue's 4 days and its dead letters' 14. */
const REDELIVERY_CLAIM_SECONDS = 14 * 24 * 60 * 60;

export class DeliveriesRepository {
  private readonly keys: WebhookKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = webhookKeys(store);
  }

  async head(webhookId: string, budgetId: string): Promise<StreamHead> {
    const item = await this.store.get({ Key: this.keys.head(webhookId, budgetId), ConsistentRead: true });
    return { lastSequence: Number(item?.lastSequence ?? 0), deliveredThrough: Number(item?.deliveredThrough ?? 0), resumedFor: Number(item?.resumedFor ?? 0) };
  }

  /**
   * Records on the stream's head that the re-enabling of the webhook at `version` queued its next
   * delivery, so a redelivered resume unit (or one that pages onto the stream again) does not
   * queue it twice; false when the head is gone (expired) or a later re-enabling marked it already.
   */
  async markResumed(webhookId: string, budgetId: string, version: number): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.head(webhookId, budgetId),
      UpdateExpression: 'SET resumedFor = :v',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(resumedFor) OR resumedFor < :v)',
      ExpressionAttributeValues: { ':v': version },
    });
  }

  /**
   * Creates `delivery` as number `delivery.sequence` of its stream, in one transaction with the
   * head (only if no other delivery took that number since `head` was read: 'raced', read again)
   * and the event's guard (a second delivery of the same event: 'duplicate', with the first's id),
   * only while the webhook exists (a ConditionCheck of its item, last: 'webhook-gone'). A fan-out
   * that listed the webhook before its owner's account was deleted would otherwise store, after
   * `webhooks-on-users` and its deliveries' cleanup had run, a delivery holding the owner's id
   * and the event's body for its 30 days (packages/users/docs/account-deletion.md).
   */
  async create(delivery: StreamDelivery, head: StreamHead, now: Date): Promise<CreateOutcome> {
    const expiresAt = epochSeconds(now) + DELIVERY_RETENTION_SECONDS;
    const { webhookId, budgetId } = delivery;
    const guardKey = this.keys.eventGuard(webhookId, budgetId, delivery.eventId);
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.head(webhookId, budgetId),
            UpdateExpression: 'SET lastSequence = :next, deliveredThrough = if_not_exists(deliveredThrough, :zero), kind = :kind, expiresAt = :exp',
            ConditionExpression: head.lastSequence === 0 ? 'attribute_not_exists(lastSequence)' : 'lastSequence = :current',
            ExpressionAttributeValues: {
              ':next': delivery.sequence,
              ':zero': 0,
              ':kind': 'stream-head',
              ':exp': expiresAt,
              ...(head.lastSequence === 0 ? {} : { ':current': head.lastSequence }),
            },
          },
        },
        {
          Put: {
            Item: { ...guardKey, kind: 'event-guard', deliveryId: delivery.id, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { Item: { ...this.keys.sequence(webhookId, budgetId, delivery.sequence), kind: 'sequence', deliveryId: delivery.id, expiresAt } } },
        { Put: { Item: { ...this.keys.delivery(webhookId, delivery.id), kind: KIND, ...delivery, expiresAt } } },
        this.webhookExists(delivery),
      ]);
      return { kind: 'created' };
    } catch (err) {
      if (conditionFailedAt(err, 4)) return { kind: 'webhook-gone' };
      if (conditionFailedAt(err, 1)) {
        const guard = await this.store.get({ Key: guardKey, ConsistentRead: true });
        return { kind: 'duplicate', deliveryId: String(guard?.deliveryId) };
      }
      if (conditionFailedAt(err, 0)) return { kind: 'raced' };
      throw err;
    }
  }

  /**
   * Creates a delivery outside every stream (a ping): a conditional put, so the retry of a
   * request that had committed (same Idempotency-Key, same reserved id) finds it: 'exists'; in
   * one transaction with the webhook's ConditionCheck, as `create`: 'webhook-gone' when it was
   * deleted since it was read (a ping that passed the request's account check just before
   * DELETE /v1/me, written after the cleanup, would otherwise stay its 30 days).
   */
  async createAlone(delivery: Delivery, now: Date): Promise<'created' | 'exists' | 'webhook-gone'> {
    try {
      await this.store.transactWrite([
        {
          Put: {
            Item: { ...this.keys.delivery(delivery.webhookId, delivery.id), kind: KIND, ...delivery, expiresAt: epochSeconds(now) + DELIVERY_RETENTION_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.webhookExists(delivery),
      ]);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'webhook-gone';
      if (conditionFailedAt(err, 0)) return 'exists';
      throw err;
    }
  }

  /** The delivery's webhook still exists: its owner's item (gone with a DELETE of it, or of the account). */
  private webhookExists(delivery: Pick<Delivery, 'ownerId' | 'webhookId'>) {
    return this.store.conditionCheck({ Key: this.keys.webhook(delivery.ownerId, delivery.webhookId), ConditionExpression: 'attribute_exists(pk)' });
  }

  /**
   * One slice (at most `limit` keys) of what is kept under the webhook itself: its deliveries
   * and its ping counter (the deliveries' cleanup after its owner's account was deleted).
   */
  async sliceOfWebhook(webhookId: string, limit: number): Promise<{ pk: string; sk: string }[]> {
    const { items } = await this.store.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.keys.deliveriesPartition(webhookId) },
      ProjectionExpression: 'pk, sk',
      Limit: limit,
    });
    return items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) }));
  }

  /**
   * Runs `attempt` for the redelivery `redeliveryId` once, however often the queue hands its message
   * (platform claimedOnce on `webhooks#redelivery#<id>` in the webhook's partition: a copy while it
   * runs fails with DeliveryInFlightError and is handed again, one after it does nothing). Kept
   * REDELIVERY_CLAIM_SECONDS, past every receive of its message (the queue keeps it 4 days, the
   * dead letters 14), and deleted with the webhook's deliveries (sliceOfWebhook).
   */
  async onceForRedelivery(webhookId: string, redeliveryId: string, clock: Clock, attempt: () => Promise<void>): Promise<void> {
    const item = { Key: this.keys.redelivery(webhookId, redeliveryId), kind: 'redelivery-once', fields: { webhookId, redeliveryId }, retentionSeconds: REDELIVERY_CLAIM_SECONDS };
    await claimedOnce(this.store, item, clock, attempt);
  }

  /** `now`: only while it is kept (see `page`); without it, whatever is stored (the worker). */
  async get(webhookId: string, id: string, now?: Date): Promise<Delivery | undefined> {
    const item = await this.store.get({ Key: this.keys.delivery(webhookId, id), ConsistentRead: true });
    if (!item || (now && !keptAt(item, now))) return undefined;
    return toDelivery(item);
  }

  /**
   * Takes a pending delivery for one attempt until `until` (so a duplicate queue message does
   * not send it twice at once); false when it is not pending or someone else holds it, or, for a
   * retry's message (`dueAt`), when the delivery has moved on to another retry since it was read.
   * The claim carries a token of this call's, and a refusal brings the delivery back (ALL_OLD): one
   * holding this token is this call's claim (the write committed, its answer was lost, and the
   * SDK's second sending met it). Until 2026-12-07 that was "someone else holds it": the message
   * was done with, and the delivery stayed pending with no message, its stream waiting for good.
   */
  async claim(delivery: Delivery, now: Date, until: Date, dueAt?: string): Promise<boolean> {
    const token = randomUUID();
    try {
      await this.store.update({
        Key: this.keys.delivery(delivery.webhookId, delivery.id),
        UpdateExpression: 'SET leaseUntil = :until, claimToken = :token',
        ConditionExpression: `#s = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)${dueAt === undefined ? '' : ' AND nextAttemptAt = :due'}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':until': until.toISOString(), ':now': now.toISOString(), ':pending': 'pending', ':token': token, ...(dueAt === undefined ? {} : { ':due': dueAt }) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return true;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const held = refusingItem(err);
      return held?.claimToken === token && held.status === 'pending';
    }
  }

  /** Gives back the claim taken until `until` (DeliveryService: its work failed), only while it is still that one. */
  async unclaim(delivery: Delivery, until: Date): Promise<void> {
    await this.store.updateIf({
      Key: this.keys.delivery(delivery.webhookId, delivery.id),
      UpdateExpression: 'REMOVE leaseUntil, claimToken',
      ConditionExpression: 'leaseUntil = :until',
      ExpressionAttributeValues: { ':until': until.toISOString() },
    });
  }

  /**
   * Appends an attempt to the delivery AS IT WAS READ (`read`: its status and attempts) and sets
   * the outcome; releases the claim when the caller holds it (`claimed`: a redelivery holds none,
   * and must not end the lease of an ordered attempt in flight). `changed` (the delivery as it is
   * now) when another attempt was recorded since the read (a redelivery racing the ordered retry:
   * each read the delivery before its POST), nothing written: the caller decides its outcome again
   * on what is there. Unconditioned, the later write put back the attempts and status it had read: the
   * other's attempt vanished, and a redelivery landing after a retry that delivered set it back
   * to `pending` for good (no message left to settle it). 'gone': deleted
   * meanwhile (its owner's account deleted during the attempt, the deliveries' cleanup run); an
   * UpdateItem would store its attempts with no TTL.
   */
  async recordAttempt(
    read: Delivery,
    attempt: DeliveryAttempt,
    outcome: { status: DeliveryStatus; reason: string | null; nextAttemptAt: string | null },
    claimed = true,
  ): Promise<'recorded' | 'gone' | { changed: Delivery }> {
    const attempts = keptAttempts([...read.attempts, attempt]);
    const last = read.attempts.length - 1;
    // The attempts as read: as many, the last one the same (once trimmed, their number stays MAX_ATTEMPTS_KEPT).
    const asRead = `size(attempts) = :count${last >= 0 ? ` AND attempts[${last}].#at = :lastAt` : ''}`;
    // This record's own token: a refusal by a delivery holding it is this very write (it
    // committed, its answer was lost, and the SDK's second sending met it). Until 2026-12-07 that
    // read as another attempt recorded meanwhile, and the caller appended its attempt again: the
    // log listed an attempt that never was (attempts 1 and 2 for one POST).
    const recordToken = randomUUID();
    try {
      await this.store.update({
        Key: this.keys.delivery(read.webhookId, read.id),
        UpdateExpression: `SET attempts = :attempts, #s = :status, reason = :reason, nextAttemptAt = :next, recordToken = :recordToken${claimed ? ' REMOVE leaseUntil, claimToken' : ''}`,
        ConditionExpression: `attribute_exists(pk) AND #s = :readStatus AND ${asRead}`,
        ExpressionAttributeNames: { '#s': 'status', ...(last >= 0 ? { '#at': 'at' } : {}) },
        ExpressionAttributeValues: {
          ':attempts': attempts,
          ':status': outcome.status,
          ':reason': outcome.reason,
          ':next': outcome.nextAttemptAt,
          ':readStatus': read.status,
          ':count': read.attempts.length,
          ...(last >= 0 ? { ':lastAt': read.attempts[last]!.at } : {}),
          ':recordToken': recordToken,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return 'recorded';
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      if (refusingItem(err)?.recordToken === recordToken) return 'recorded';
    }
    const now = await this.get(read.webhookId, read.id);
    return now ? { changed: now } : 'gone';
  }

  /** Sets the outcome without an attempt (skipped: the owner lost access). */
  async settle(delivery: Delivery, status: DeliveryStatus, reason: string): Promise<void> {
    // Only onto the delivery as it is (as recordAttempt).
    await this.store.updateIf({
      Key: this.keys.delivery(delivery.webhookId, delivery.id),
      UpdateExpression: 'SET #s = :status, reason = :reason, nextAttemptAt = :null REMOVE leaseUntil, claimToken',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':status': status, ':reason': reason, ':null': null },
    });
  }

  /**
   * The stream's first delivery numbered after `after` that is still kept (its pointer not past
   * its 30-day TTL at `now`: an expired one may linger until DynamoDB deletes it, and its delivery,
   * of the same expiry, may be gone already), or undefined. Pointers are read in order, a page of
   * POINTERS_READ at a time, until one is kept.
   */
  async firstKeptAfter(webhookId: string, budgetId: string, after: number, now: Date): Promise<{ sequence: number; deliveryId: string } | undefined> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const { items, lastKey } = await this.store.query({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeValues: {
          ':pk': this.keys.head(webhookId, budgetId).pk,
          ':from': this.keys.sequence(webhookId, budgetId, after + 1).sk,
          ':to': this.keys.sequence(webhookId, budgetId, LAST_SEQUENCE).sk,
          ':now': epochSeconds(now),
        },
        ConsistentRead: true,
        Limit: POINTERS_READ,
        ExclusiveStartKey: startKey,
      });
      const [first] = items;
      if (first) return { sequence: Number(String(first.sk).split('#').at(-1)), deliveryId: String(first.deliveryId) };
      startKey = lastKey;
    } while (startKey);
    return undefined;
  }

  /**
   * Moves the stream from `deliveredThrough` to `through` at once, over deliveries that expired
   * (their TTL) before they were sent; false when the stream moved meanwhile.
   */
  async skipExpired(webhookId: string, budgetId: string, deliveredThrough: number, through: number): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.head(webhookId, budgetId),
      UpdateExpression: 'SET deliveredThrough = :through',
      ConditionExpression: 'deliveredThrough = :current',
      ExpressionAttributeValues: { ':through': through, ':current': deliveredThrough },
    });
  }

  /** Moves the stream past `sequence` if it stood just before it; false otherwise (done already). */
  async advance(webhookId: string, budgetId: string, sequence: number): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.head(webhookId, budgetId),
      UpdateExpression: 'SET deliveredThrough = :seq',
      ConditionExpression: 'deliveredThrough = :previous',
      ExpressionAttributeValues: { ':seq': sequence, ':previous': sequence - 1 },
    });
  }

  /**
   * A page of a webhook's deliveries kept at `now`, newest first. Kept 30 days: one past its
   * `expiresAt` is gone for the API although DynamoDB's TTL deletes it later (within days), so
   * the log shows (and redelivers) no more than its 30 days (until feat/hooks it did). One more is
   * read than the page holds (limitPage): the page that holds the oldest delivery has no resume
   * key (with `Limit: limit` a full last page had one, to a page of nothing).
   */
  async page(webhookId: string, limit: number, now: Date, startKey?: Record<string, unknown>) {
    const read = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': this.keys.deliveriesPartition(webhookId), ':d': this.keys.deliveryPrefix(), ':now': epochSeconds(now) },
      ScanIndexForward: false,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    const { items, lastKey } = limitPage(read.items, limit, read.lastKey, ['pk', 'sk']);
    return { items: items.map(toDelivery), lastKey };
  }

  /**
   * One page of a webhook's pending deliveries (at most `limit` deliveries read, oldest first):
   * the budgets of the streams they wait in (a ping, in no stream, is left out), and where the
   * next page starts. Only the budget is read back: a re-enabled webhook's resume unit needs
   * which streams wait, not the bodies.
   */
  async pendingStreams(webhookId: string, limit: number, startKey?: Record<string, unknown>): Promise<{ budgetIds: string[]; lastKey?: Record<string, unknown> }> {
    const { items, lastKey } = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
      FilterExpression: '#s = :pending AND attribute_type(budgetId, :string)',
      ProjectionExpression: 'budgetId',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': this.keys.deliveriesPartition(webhookId), ':d': this.keys.deliveryPrefix(), ':pending': 'pending', ':string': 'S' },
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    return { budgetIds: [...new Set(items.map((i) => String(i.budgetId)))], ...(lastKey ? { lastKey } : {}) };
  }
}

/** A delivery as stored (its keys, kind, expiry and lease left out), and one of its attempts. */
const ATTEMPT_FIELDS = {
  attempt: attr.num, at: attr.str, responseStatus: attr.nullableNum, latencyMs: attr.num, error: attr.nullableStr, redelivery: attr.bool,
};
const DELIVERY_FIELDS = {
  id: attr.str, webhookId: attr.str, ownerId: attr.str, budgetId: attr.nullableStr, sequence: attr.nullableNum, eventId: attr.str, eventType: attr.str,
  body: attr.str, status: attr.among(DELIVERY_STATUSES), reason: attr.nullableStr,
  attempts: (item: Item, field: string): DeliveryAttempt[] => attr.mapList(item, field).map((a) => attr.fields(a, ATTEMPT_FIELDS)),
  createdAt: attr.str, nextAttemptAt: attr.nullableStr,
};
const toDelivery = (item: Item): Delivery => attr.fields(item, DELIVERY_FIELDS);
/** Not past its retention (its TTL's `expiresAt`, epoch seconds). */
const keptAt = (item: Item, now: Date): boolean => typeof item.expiresAt !== 'number' || item.expiresAt > epochSeconds(now);
