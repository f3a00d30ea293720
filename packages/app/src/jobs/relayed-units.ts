import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionFailed, MAX_QUEUE_DELAY_SECONDS, WORK_QUEUE_MAX_RECEIVES, WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS, type ModuleStore } from '@budgeting/platform';
import type { RelayedFrom } from './messages';

/**
 * Runs a relayed job unit once however often the stream hands its item to the relay, and never
 * loses it when an attempt dies.
 *
 * The stream relay (events/outbox-relay.ts) sends a job-unit item at least once: Lambda's
 * partial batch response hands back every record from the first one reported, so units the
 * queue took after a refused one are sent again, and a dead-letter replay of a stream batch
 * (operate/aws-dead-letters.ts) sends every unit of the batch's range again, also those sent
 * before the failure. Standard SQS queues have no deduplication, so the consumer decides:
 * before working a relayed unit the runner claims its item's key for this attempt (a fresh id
 * per delivery, `attempt`) with ONE conditional PutItem under the kernel's `jobs#` prefix, and
 * after a successful attempt it marks the claim done (ONE UpdateItem, conditioned on its own
 * attempt). The claim holds the attempt, not only the message's `send`: SQS delivers at least
 * once, and may hand one message to two invocations at once, both with the same send; keyed by
 * the send, both worked the unit, and the one that failed released the claim the other worked
 * under, so its done mark was lost and the unit was worked again by the next send to come.
 * A unit worked in parts (a job's continuation, `again`: the renames' later pages) is done at its
 * LAST part: each continuation carries the same `relayed` and `heldBy`, the attempt of the part
 * that sent it, and claims for its own attempt on condition that the claim is still that part's
 * and not done, which hands the claim on and renews the lease; only the part that finishes the
 * unit marks the claim done (runner.ts continuationOf). The claim's condition: no claim, or a
 * claim not done whose lease has passed (`leaseUntil`, see RELAYED_CLAIM_LEASE_SECONDS): its
 * attempt died (a timeout, a crash, the process of `npm start` or of the inline transport ended),
 * and this attempt takes the unit over; or the claim a continuation's part hands on; or a claim
 * written before attempts (no `attempt`: in flight across the deploy) of this send not done, which
 * goes on as it did then. A claim that refuses this attempt comes back with the refusal
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`, no other request): done (the unit ran: also
 * the queue's redelivery of the message that ran it, e.g. its delete failed), or a claim from
 * before leases: the send is dropped. Not done and within its lease: the attempt may still run, or
 * may have died, and nothing tells which before the lease ends (also for the queue's redelivery of
 * the claiming message itself, which looks like a second delivery running beside it); so the send
 * is not dropped but deferred (runner.ts): sent again, delayed until just after the lease, and
 * then dropped if the claim is done by then, or takes it over if not (at most
 * RELAYED_UNIT_MAX_DEFERRALS times). On SQS the claiming message's redelivery after a dead
 * attempt comes after the visibility timeout, the lease's length: about when the lease ends.
 *
 * Why the lease and the done mark: without them a claim was permanent, which is right on SQS
 * (the claiming message's own retries work the unit) but lost the unit where the claiming
 * send has no retries of its own: the in-memory queue of `npm start` and the inline transport
 * die with the process, and the stream's re-read after a restart is a new send. The done mark
 * is what tells "ran" from "died" once the lease has passed, so a replay of a unit that ran is
 * still dropped however late it comes; the deferral is what lets a re-read that comes within
 * the lease (a restart sooner than 3 minutes after the death) wait for it instead of being lost.
 * A deferred send waits as every delayed message does: in SQS, or locally on a timer that
 * ends with the process (local/work-queue.ts, inline-transport.ts).
 *
 * Why at the consumer and not the sender: the relay would need a write per unit to mark it
 * relayed AND a read per unit on every batch to skip marked ones (a stream record carries the
 * item as it was inserted, never a later mark); the claim and its done mark are two writes per
 * relayed unit and no read (docs/capacity.md, "Relayed job units"), and one PutItem more per
 * further part of a relayed unit worked in parts. Only relayed units and their continuations
 * carry `relayed`: planned units and their continuations cost nothing more.
 *
 * A failed attempt releases its own claim (one DeleteItem conditioned on its attempt and not
 * done, on failures only), so the next send to come works the unit at once: the message's own
 * retry, or another send of the item (the stream's redelivery of a unit the inline transport
 * failed); never the claim of another delivery, nor a done mark.
 */
export interface RelayedUnitGuard {
  /**
   * Whether this attempt (`attempt`: an id of this one delivery, fresh per delivery) may work the
   * unit: no claim, a claim not done whose lease passed, or the claim of the part that sent this
   * continuation (`from.heldBy`); and if not, why.
   */
  claim(from: RelayedFrom, attempt: string): Promise<RelayedClaim>;
  /** Marks this attempt's claim done after it succeeded; false when the claim is no longer this attempt's (taken over). */
  done(from: RelayedFrom, attempt: string): Promise<boolean>;
  /** Gives this attempt's claim up after it failed (nothing when another attempt holds it, or it is done). */
  release(from: RelayedFrom, attempt: string): Promise<void>;
}

/**
 * How long a claim is kept: longer than any other send of the same item can arrive. The stream
 * keeps a record 24 hours (a replay reads it within them), and a message can wait 14 days in
 * the job dead letters (infra/jobs.ts) before it is moved back.
 */
export const RELAYED_CLAIM_TTL_SECONDS = 15 * 24 * 60 * 60;

/**
 * How long a claim not marked done keeps other sends away: the longest one attempt can run.
 * The job queue's visibility timeout (infra/jobs.ts, platform work-queue-limits.ts: 180 s, six
 * times the function's 30 s timeout): Lambda has killed the attempt long before, and SQS hands
 * the claiming message itself back about then (a retry a little early waits out the rest of the
 * lease as any other send: it cannot be told from a second delivery running). Locally no timeout
 * stops an attempt, but a unit starts no step after its 20 s budget (runner.ts).
 */
export const RELAYED_CLAIM_LEASE_SECONDS = WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS;

/**
 * What a send's claim found. `claimed`: work the unit. `held`: drop the send (the claim is
 * done, or a claim from before leases, which the condition keeps as it was). `running`: another
 * send's claim, not done, whose lease ends at `leaseUntil` (epoch ms): defer the send past it.
 */
export type RelayedClaim = { outcome: 'claimed' } | { outcome: 'held' } | { outcome: 'running'; leaseUntil: number };

/**
 * How often one send is deferred before it fails instead (logged as an error, runner.ts mayWork). A claim's lease
 * is written anew only by a claim: a receive of the claiming message (SQS redelivers a message
 * whose attempt was killed, WORK_QUEUE_MAX_RECEIVES receives at most; the local queue's retries
 * are as many), a continuation of its unit (one more part of the same send: a unit worked in
 * parts keeps its lease running while it goes on, so a send deferred meanwhile is deferred
 * again), or another send taking an expired claim over, a deferred send too: its own message's
 * redelivery after its attempt died comes within the lease it wrote, and is deferred as a new
 * message with a fresh receive count. So the bound does not tell a claim rewritten without end
 * from a unit whose every attempt dies (a timeout each time): the send that reaches it fails
 * rather than being dropped, and the queue retries it after the lease and dead-letters it after
 * its receives; dropping it would lose that unit, with no message left to work it. This bounds
 * the send to this many extra messages and about as many leases of waiting (5 x 3 minutes).
 */
export const RELAYED_UNIT_MAX_DEFERRALS = WORK_QUEUE_MAX_RECEIVES;

/**
 * Seconds to delay a deferred send so it comes back after a lease ending at `leaseUntil`: the
 * rest of the lease, rounded up, and one second more (the condition wants the lease passed,
 * and the containers' clocks may differ a little); within one queue hop.
 */
export function deferralDelaySeconds(leaseUntil: number, now: number): number {
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((leaseUntil - now) / 1000)) + 1);
}

export function relayedUnitGuard(store: ModuleStore, clock: () => number): RelayedUnitGuard {
  const keyOf = (from: RelayedFrom) => ({ pk: store.key('ran', from.key), sk: store.key('ran') });
  return {
    async claim(from, attempt) {
      const now = clock();
      // The part that sent this continuation hands its claim on: only its own attempt's claim.
      const handedOn = from.heldBy === undefined ? '' : ' OR (#send = :send AND attribute_not_exists(#doneAt) AND #attempt = :heldBy)';
      try {
        await store.put({
          Item: {
            ...keyOf(from),
            send: from.send,
            attempt,
            claimedAt: new Date(now).toISOString(),
            leaseUntil: new Date(now + RELAYED_CLAIM_LEASE_SECONDS * 1000).toISOString(),
            expiresAt: Math.floor(now / 1000) + RELAYED_CLAIM_TTL_SECONDS,
          },
          // ISO-8601 instants of one format compare as strings. A claim written before leases
          // existed has no `leaseUntil`: the comparison is false, so it is kept as it was. A claim
          // written before attempts (no `attempt`: in flight across the deploy) lets its own send
          // go on as it did then, only while not done: this PutItem would clear the mark, and a
          // failure of that redelivery would then release the claim of a unit that ran.
          ConditionExpression: `attribute_not_exists(pk) OR (attribute_not_exists(#doneAt) AND #leaseUntil < :now) OR (#send = :send AND attribute_not_exists(#doneAt) AND attribute_not_exists(#attempt))${handedOn}`,
          ExpressionAttributeNames: { '#send': 'send', '#doneAt': 'doneAt', '#leaseUntil': 'leaseUntil', '#attempt': 'attempt' },
          ExpressionAttributeValues: { ':send': from.send, ':now': new Date(now).toISOString(), ...(from.heldBy === undefined ? {} : { ':heldBy': from.heldBy }) },
          // The claim that refused this send comes with the refusal: no read to learn why.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        return { outcome: 'claimed' };
      } catch (err) {
        if (isConditionFailed(err)) return refusedBy(err, now, attempt);
        throw err;
      }
    },
    async done(from, attempt) {
      // Conditioned on its own attempt: a send that took an expired claim over keeps it, and so
      // does the part a continuation handed it to.
      return store.updateIf({
        Key: keyOf(from),
        UpdateExpression: 'SET #doneAt = :now',
        ConditionExpression: '#attempt = :attempt',
        ExpressionAttributeNames: { '#attempt': 'attempt', '#doneAt': 'doneAt' },
        ExpressionAttributeValues: { ':attempt': attempt, ':now': new Date(clock()).toISOString() },
      });
    },
    async release(from, attempt) {
      try {
        // Its own attempt's claim, not done: never the claim another delivery of the same
        // message holds, nor a done mark (a unit that ran).
        await store.delete({
          Key: keyOf(from),
          ConditionExpression: '#attempt = :attempt AND attribute_not_exists(#doneAt)',
          ExpressionAttributeNames: { '#attempt': 'attempt', '#doneAt': 'doneAt' },
          ExpressionAttributeValues: { ':attempt': attempt },
        });
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
      }
    },
  };
}

/**
 * Why a claim refused a send, from the claim DynamoDB returned with the refusal. lib-dynamodb
 * leaves that item as DynamoDB sent it (attribute values, not unmarshalled: aws-sdk-js-v3 issue
 * 6723), so it is unmarshalled here. No item (not expected: a failed `attribute_not_exists`
 * means one exists) is taken as a lease running a full lease from now: the send waits, it is
 * not lost.
 */
function refusedBy(err: unknown, now: number, attempt: string): RelayedClaim {
  const raw = (err as { Item?: Parameters<typeof unmarshall>[0] }).Item;
  const claim = raw ? (unmarshall(raw) as { doneAt?: string; leaseUntil?: string; attempt?: string }) : undefined;
  if (!claim) return { outcome: 'running', leaseUntil: now + RELAYED_CLAIM_LEASE_SECONDS * 1000 };
  // This attempt's own claim (its id is fresh per delivery): the PutItem committed, its answer
  // was lost, and the SDK's second sending met it. Until 2026-12-07 read as another attempt's
  // running claim: the unit was deferred for a whole lease (3 minutes) behind itself.
  if (claim.attempt === attempt && claim.doneAt === undefined) return { outcome: 'claimed' };
  if (claim.doneAt !== undefined || claim.leaseUntil === undefined) return { outcome: 'held' };
  return { outcome: 'running', leaseUntil: Date.parse(claim.leaseUntil) };
}
