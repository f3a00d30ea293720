import { randomUUID } from 'node:crypto';
import { attr, conditionFailedAt, dueIndexPage, isConditionFailed, refusingItem, shardOf, type ModuleStore, type TransactItem } from '@budgeting/platform';
import { userKeys } from './keys';
import type { AlertGuard, SummaryKey } from './notifications.repository';

/**
 * The quiet-hours summaries' due index (gsi1, sparse: only a reservation whose summary is still
 * to go carries its keys) is spread over this many partitions, by user id: the scheduled tick
 * reads them all (one Query each when nothing is due), and a night's first held pushes write
 * their entries over as many index partitions (each takes ~1,000 writes a second).
 */
export const SUMMARY_DUE_SHARDS = 4;

/** One due summary, as the index gives it: whose, and the occurrence (ISO-8601 instants). */
export interface SummaryDueEntry {
  userId: string;
  windowStart: string;
  windowEnd: string;
}

/** Sorts after every user id (ULIDs: Crockford base32), closing an inclusive upper bound. */
const HIGH = '~';

/**
 * The quiet-hours summaries: one reservation per occurrence of a user's quiet hours
 * (`notifications#summary#<windowEnd>` in the user's partition, keyed as a guard: its push is
 * marked as a guard's, NotificationsRepository.markDelivered), and their due index (gsi1, see keys.ts).
 */
export class SummariesRepository {
  private readonly keys: ReturnType<typeof userKeys>;

  constructor(private readonly store: ModuleStore) {
    this.keys = userKeys(store);
  }

  private summaryDueKeys = (k: SummaryKey) => ({
    gsi1pk: this.store.key('summarydue', shardOf(k.userId, SUMMARY_DUE_SHARDS)),
    gsi1sk: this.store.key('summarydue', k.windowEnd, k.userId),
  });

  /**
   * Reserves the summary of one occurrence of the quiet hours (a conditional put): 'reserved' for
   * the first caller, 'taken' when it was reserved already (the occurrence's other held pushes
   * write nothing). The reservation carries the due index's keys (gsi1, `notifications#summarydue#<shard>`,
   * `notifications#summarydue#<end>#<userId>`), so the scheduled tick finds it once the occurrence
   * has ended (summariesDue). Kept until `expiresAt` (TTL): the same occurrence is never reserved twice.
   * Only while the user's account exists (`accountCheck`: UsersFacade.accountCheck, in the same
   * transaction), else 'account-gone', nothing written: a held push whose notification was
   * written before the account's deletion, reserving after user.deleted's cleanup emptied the
   * partition, would otherwise leave a reservation of a deleted account (as createOnce).
   */
  async reserveSummary(key: SummaryKey, windowStart: string, expiresAt: number, accountCheck: TransactItem): Promise<'reserved' | 'taken' | 'account-gone'> {
    try {
      await this.store.transactWrite([
        {
          Put: {
            Item: { ...this.keys.guard(key), ...this.summaryDueKeys(key), kind: 'quiet-summary', windowStart, windowEnd: key.windowEnd, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        accountCheck,
      ]);
      return 'reserved';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'account-gone';
      if (conditionFailedAt(err, 0)) return 'taken';
      throw err;
    }
  }

  /**
   * One page of one shard of the summaries' due index: the reservations whose occurrence ended
   * at or before `until` (ISO-8601) and that are still indexed, oldest end first. gsi1 is
   * eventually consistent: the unit reads the reservation again before it pushes. The Query
   * is platform dueIndexPage's (the recurring due index reads its shards the same way).
   */
  async summariesDue(shard: number, until: string, limit: number, startKey?: Record<string, unknown>): Promise<{ entries: SummaryDueEntry[]; lastKey?: Record<string, unknown> }> {
    const { items, lastKey } = await dueIndexPage(this.store, {
      pk: this.store.key('summarydue', shard),
      lo: this.store.key('summarydue', ''),
      hi: this.store.key('summarydue', until, HIGH),
      attributes: ['windowStart', 'windowEnd'],
      limit,
      startKey,
    });
    return {
      entries: items.map((i) => ({ userId: attr.str(i, 'pk').slice(this.keys.userPk('').length), windowStart: attr.str(i, 'windowStart'), windowEnd: attr.str(i, 'windowEnd') })),
      ...(lastKey ? { lastKey } : {}),
    };
  }

  /**
   * Takes a reservation out of the due index (its summary will not go: nothing to sum up, no
   * device, switched off, or its unit gave up); the reservation itself stays until its TTL, so
   * the occurrence is never reserved again. Nothing when it is gone (the account was deleted).
   */
  async unindexSummary(key: SummaryKey): Promise<void> {
    try {
      await this.store.update({ Key: this.keys.guard(key), UpdateExpression: 'REMOVE gsi1pk, gsi1sk', ConditionExpression: 'attribute_exists(pk)' });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /**
   * Claims the summary's push for one unit (a conditional UpdateItem, `sendingAt = at`, with a
   * token of this call's): true for the only caller that finds the reservation there, not pushed
   * and not claimed; false for every other (a concurrent unit of the same night, a redelivery
   * after a claim). The claim is never timed out: a unit that dies between the claim and the push
   * loses the summary rather than risk doubling it (at most once). A refusal brings the
   * reservation back (ALL_OLD): one holding this call's token is its own claim (the write
   * committed, its answer was lost, and the SDK's second sending met it; until 2026-12-07 that
   * was "another unit's", and the night's summary was lost though nothing died).
   */
  async claimSummary(key: SummaryKey, at: string): Promise<boolean> {
    const token = randomUUID();
    try {
      await this.store.update({
        Key: this.keys.guard(key),
        UpdateExpression: 'SET sendingAt = :at, sendingToken = :token',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(pushedAt) AND attribute_not_exists(sendingAt)',
        ExpressionAttributeValues: { ':at': at, ':token': token },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return true;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const held = refusingItem(err);
      return held?.sendingToken === token && held.pushedAt === undefined;
    }
  }

  /** Gives back the claim made at `at` (no device took the push: the queue's next delivery may try again). */
  async releaseSummary(key: SummaryKey, at: string): Promise<void> {
    try {
      await this.store.update({ Key: this.keys.guard(key), UpdateExpression: 'REMOVE sendingAt, sendingToken', ConditionExpression: 'sendingAt = :at', ExpressionAttributeValues: { ':at': at } });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** A summary's reservation (undefined: none, or deleted with the account); its push marks as a guard's. */
  async summary(key: SummaryKey): Promise<AlertGuard | undefined> {
    const item = await this.store.get<AlertGuard & Record<string, unknown>>({ Key: this.keys.guard(key), ConsistentRead: true });
    return item ?? undefined;
  }
}
