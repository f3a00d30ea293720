import { randomUUID } from 'node:crypto';
import { conditionFailedAt, COUNTER_ROUNDS, countInWindow, isConditionFailed, NOT_COUNTED, type Key, type ModuleStore } from '@budgeting/platform';
import type { TransactItem } from './transact';
import type { ThrottleKeys } from './throttle-keys';

export interface AttemptCount {
  attempts: number;
  /** Epoch seconds when the current window ends (also the item's TTL). */
  windowEndsAt: number;
}

/**
 * recordAttempt's answer when it lost every round (the platform's countInWindow): the attempt is
 * not counted. The caller decides; every one today refuses it (429), failing closed: a throttle
 * that cannot count must not let an attempt through uncounted (a guesser hammering one key is
 * exactly who makes it lose), and a refused sign-in costs the user one retry.
 */
export { COUNTER_ROUNDS, NOT_COUNTED } from '@budgeting/platform';

/**
 * The Retry-After of an attempt refused because its counter lost every round: the window it
 * lost to is unknown, and the contention is momentary, so a short wait.
 */
export const CONTENDED_RETRY_AFTER_SECONDS = 1;

/**
 * Sign-in attempt counters (one item per counter key, see UsersKeys.throttle*), in fixed
 * windows that start at the first attempt. Counting is one atomic ADD, so concurrent
 * attempts are all counted; the window end doubles as the TTL so abandoned counters
 * disappear by themselves.
 */
export class ThrottleRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: ThrottleKeys,
  ) {}

  /**
   * Counts one attempt in its key's window (the platform's countInWindow: started at its first
   * attempt, counted once whatever the SDK resends); NOT_COUNTED after its lost rounds (until
   * 2026-12-06 it threw the last condition failure: a 500 to the client). Until 2026-12-07 a
   * lost answer cost a client one of its five tries, or an address one of its hashes.
   */
  async recordAttempt(key: Key, nowSeconds: number, windowSeconds: number): Promise<AttemptCount | typeof NOT_COUNTED> {
    const counted = await countInWindow(this.store, { Key: key, kind: 'login-throttle', attribute: 'attempts' }, nowSeconds, windowSeconds);
    return counted === NOT_COUNTED ? counted : { attempts: counted.count, windowEndsAt: counted.windowEndsAt };
  }

  /**
   * Counts one attempt only if the window still has room (below `maxAttempts`), in ONE
   * transaction with `alsoWrite` (a job unit the attempt queues: the password-reset mail), so
   * the unit exists exactly when the attempt was counted. A refused attempt writes nothing and
   * answers when its window ends (one GetItem to read it). A window that is over (TTL not run
   * yet) is replaced by a fresh one, with the same items.
   *
   * After COUNTER_ROUNDS lost rounds the attempt is refused (CONTENDED_RETRY_AFTER_SECONDS),
   * failing CLOSED: it is a limit on what one email can be sent, so an attempt it cannot count
   * must not queue its mail; the requester retries in a second. (Until 2026-12-06: a 500.)
   */
  async admitAttempt(key: Key, nowSeconds: number, windowSeconds: number, maxAttempts: number, alsoWrite: TransactItem[]): Promise<{ admitted: true } | { admitted: false; windowEndsAt: number }> {
    for (let round = 1; round <= COUNTER_ROUNDS; round++) {
      try {
        await this.store.transactWrite([
          {
            Update: {
              Key: key,
              UpdateExpression: 'SET kind = :kind, expiresAt = if_not_exists(expiresAt, :end) ADD attempts :one',
              ConditionExpression: 'attribute_not_exists(pk) OR (expiresAt > :now AND attempts < :max)',
              ExpressionAttributeValues: { ':kind': 'login-throttle', ':end': nowSeconds + windowSeconds, ':one': 1, ':now': nowSeconds, ':max': maxAttempts },
            },
          },
          ...alsoWrite,
        ]);
        return { admitted: true };
      } catch (err) {
        if (!conditionFailedAt(err, 0)) throw err;
      }
      const counter = await this.store.get<{ attempts?: number; expiresAt?: number }>({ Key: key, ConsistentRead: true });
      if (counter && (counter.expiresAt ?? 0) > nowSeconds) {
        if ((counter.attempts ?? 0) >= maxAttempts) return { admitted: false, windowEndsAt: counter.expiresAt! };
        continue; // another attempt's window began meanwhile: count into it
      }
      // The window is over but TTL has not removed the counter yet (or it just left): a new window.
      try {
        await this.store.transactWrite([
          {
            Put: {
              Item: { ...key, kind: 'login-throttle', attempts: 1, expiresAt: nowSeconds + windowSeconds },
              ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
              ExpressionAttributeValues: { ':now': nowSeconds },
            },
          },
          ...alsoWrite,
        ]);
        return { admitted: true };
      } catch (err) {
        if (!conditionFailedAt(err, 0)) throw err;
      }
    }
    return { admitted: false, windowEndsAt: nowSeconds + CONTENDED_RETRY_AFTER_SECONDS };
  }

  /**
   * Takes one attempt back (a sign-in that succeeded), never below zero or into a new item;
   * given `windowEndsAt`, only from the window that ends then (an attempt counted in an
   * earlier window is not taken out of a later one).
   *
   * The refund marks the counter with its own token (`refundToken`) and is refused by a counter
   * holding it: the SDK's second sending of a refund that committed but whose answer was lost
   * takes nothing more (until 2026-12-07 it gave back a second attempt: a guesser's).
   */
  async refund(key: Key, windowEndsAt?: number): Promise<void> {
    const own = 'attribute_not_exists(refundToken) OR refundToken <> :token';
    await this.store
      .update({
        Key: key,
        UpdateExpression: 'SET refundToken = :token ADD attempts :minusOne',
        ConditionExpression: windowEndsAt === undefined ? `attempts > :zero AND (${own})` : `attempts > :zero AND expiresAt = :end AND (${own})`,
        ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0, ':token': randomUUID(), ...(windowEndsAt === undefined ? {} : { ':end': windowEndsAt }) },
      })
      .catch((err: unknown) => {
        if (!isConditionFailed(err)) throw err;
      });
  }

  /** Remembers a client that signed in, until `untilSeconds` (also the TTL). */
  async markKnown(key: Key, untilSeconds: number): Promise<void> {
    await this.store.put({ Item: { ...key, kind: 'known-client', expiresAt: untilSeconds } });
  }

  async isKnown(key: Key, nowSeconds: number): Promise<boolean> {
    const item = await this.store.get({ Key: key, ProjectionExpression: 'expiresAt' });
    return typeof item?.expiresAt === 'number' && item.expiresAt > nowSeconds;
  }

  async reset(key: Key): Promise<void> {
    await this.store.delete({ Key: key });
  }

  /**
   * The partitions of an email's counters and known clients that sign-in attempts still write
   * (ThrottleKeys `hashedPartitions`: keyed hashes, never the address), for account deletion and
   * the email change: a `sign-in-counters` unit of the sessions cleanup deletes them in steps.
   * Anyone can try an address from as many client buckets as they hold, each attempt leaving a
   * counter until its TTL, so their number is not bounded by anything the account does.
   */
  hashedPartitionsOf(normalizedEmail: string): string[] {
    return this.keys.hashedPartitions(normalizedEmail);
  }

  /**
   * Deletes the items written before the keys were hashed (ThrottleKeys `legacyPartition`: the
   * address in clear, so deleted here, never handed to a unit). Nothing writes that partition any
   * more, so what it holds only shrinks (known clients expire within 90 days of that deploy).
   */
  async removeLegacy(normalizedEmail: string): Promise<void> {
    const found = await this.store.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': this.keys.legacyPartition(normalizedEmail) }, ProjectionExpression: 'pk, sk' });
    await this.store.batchDelete(found.map((i) => ({ pk: i.pk as string, sk: i.sk as string })));
  }
}
