import { isConditionFailed, type ModuleStore } from '@budgeting/platform';
import type { RelayedFrom } from './messages';

/**
 * Runs a relayed job unit once however often the stream hands its item to the relay.
 *
 * The stream relay (events/outbox-relay.ts) sends a job-unit item at least once: Lambda's
 * partial batch response hands back every record from the first one reported, so units the
 * queue took after a refused one are sent again, and a dead-letter replay of a stream batch
 * (operate/aws-dead-letters.ts) sends every unit of the batch's range again, also those sent
 * before the failure. Standard SQS queues have no deduplication, so the consumer decides:
 * before working a relayed unit the runner claims its item's key for the message's `send`
 * with ONE conditional PutItem under the kernel's `jobs#` prefix. Another send of the same key
 * finds the claim and is dropped unworked; the queue's own redeliveries of the claiming
 * message (a failed attempt, the job dead letters moved back) carry the same `send` and go on.
 *
 * Why at the consumer and not the sender: the relay would need a write per unit to mark it
 * relayed AND a read per unit on every batch to skip marked ones (a stream record carries the
 * item as it was inserted, never a later mark); the claim is one write per relayed unit and no
 * read (docs/capacity.md, "Relayed job units"). Only relayed units carry `relayed`: planned
 * units and continuations cost nothing more.
 *
 * A failed attempt releases its claim (one conditional DeleteItem, on failures only), so the
 * next send to come works the unit: the message's own retry, or another send of the item (the
 * stream's redelivery of a unit the inline transport failed). A claim left by an attempt that
 * died (a timeout) stays with its send, whose retries, and its move back from the job dead
 * letters, keep the same `send` and go on.
 */
export interface RelayedUnitGuard {
  /** True when this send may work the unit (no claim, or its own claim again). */
  claim(from: RelayedFrom): Promise<boolean>;
  /** Gives this send's claim up after a failed attempt (nothing when another send holds it). */
  release(from: RelayedFrom): Promise<void>;
}

/**
 * How long a claim is kept: longer than any other send of the same item can arrive. The stream
 * keeps a record 24 hours (a replay reads it within them), and a message can wait 14 days in
 * the job dead letters (infra/jobs.ts) before it is moved back.
 */
export const RELAYED_CLAIM_TTL_SECONDS = 15 * 24 * 60 * 60;

export function relayedUnitGuard(store: ModuleStore, clock: () => number): RelayedUnitGuard {
  return {
    async claim(from) {
      const now = clock();
      try {
        await store.put({
          Item: {
            pk: store.key('ran', from.key),
            sk: store.key('ran'),
            send: from.send,
            claimedAt: new Date(now).toISOString(),
            expiresAt: Math.floor(now / 1000) + RELAYED_CLAIM_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #send = :send',
          ExpressionAttributeNames: { '#send': 'send' },
          ExpressionAttributeValues: { ':send': from.send },
        });
        return true;
      } catch (err) {
        if (isConditionFailed(err)) return false;
        throw err;
      }
    },
    async release(from) {
      try {
        await store.delete({
          Key: { pk: store.key('ran', from.key), sk: store.key('ran') },
          ConditionExpression: '#send = :send',
          ExpressionAttributeNames: { '#send': 'send' },
          ExpressionAttributeValues: { ':send': from.send },
        });
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
      }
    },
  };
}
