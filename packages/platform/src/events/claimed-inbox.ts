import { randomUUID } from 'node:crypto';
import { epochSeconds, type Clock } from '../clock';
import { isConditionFailed } from '../dynamo/condition-failed';
import type { Key, ModuleStore } from '../dynamo/module-store';
import { TABLE } from '../dynamo/table-definition';
import type { EventEnvelope } from './contract';
import { INBOX_KIND, INBOX_RETENTION_SECONDS, inboxKey, type EventHandler } from './inbox';

/**
 * How long a delivery's claim keeps every other delivery of the same event (or unit) from
 * running its effect: twice the function's 30 s timeout (infra/function.ts), so a claim outlives
 * the invocation that made it, however it ended, and has lapsed by Lambda's first retry of an
 * asynchronous invocation (about a minute after a failure) and by the job queue's redelivery
 * (its 180 s visibility timeout). A claim whose holder died is taken over after it.
 */
export const DELIVERY_CLAIM_LEASE_SECONDS = 60;

/**
 * Another delivery of the same event holds its claim (it is running the effect right now, or
 * died within the lease): this one does nothing and fails, so it is delivered again later, when
 * the other has finished (then it finds the event processed) or its claim has lapsed (then it
 * takes it over). A duplicate delivery, not a fault.
 */
export class DeliveryInFlightError extends Error {
  override readonly name = 'DeliveryInFlightError';
}

/** The item a claim is written as: its key, its `kind` and what names it (ids only), kept `retentionSeconds` (TTL). */
export interface ClaimItem {
  Key: Key;
  kind: string;
  fields: Record<string, string>;
  retentionSeconds: number;
}

/**
 * Runs `effect` (one that cannot be repeated unnoticed: a mail) for the delivery that claims
 * `item` first, and never again once it succeeded: a conditional PutItem of the item with a
 * `claimId` and `claimedUntil` (DELIVERY_CLAIM_LEASE_SECONDS on) before the effect, an UpdateItem
 * marking it `processedAt` after. Two deliveries at once (EventBridge and SQS deliver at least
 * once; a retry can overlap a slow first attempt) therefore run it once: the second finds the
 * live claim and fails with DeliveryInFlightError; one that comes after finds it processed and
 * runs nothing (false). What is left: a process that dies after the effect and before the mark
 * repeats it once the claim has lapsed (at least once). An effect that throws gives its claim
 * back (a conditional DeleteItem, best effort: otherwise it lapses), so the retry runs at once.
 * True when the effect ran here.
 *
 * Cost: two writes (one more than a plain "done" mark after the effect); a duplicate adds one
 * strongly consistent read.
 */
export async function claimedOnce(store: ModuleStore, item: ClaimItem, clock: Clock, effect: () => Promise<void>): Promise<boolean> {
  const { Key } = item;
  const claimId = randomUUID();
  if (!(await claim(store, item, claimId, clock.now()))) return false;
  try {
    await effect();
  } catch (err) {
    await store.delete({ Key, ConditionExpression: 'claimId = :mine', ExpressionAttributeValues: { ':mine': claimId } }).catch(() => undefined);
    throw err;
  }
  // Whoever holds the claim now (ours, or one that took it over past its lease), the effect is done.
  // A delivery that took it over and gave it back (its effect failed) has deleted the item: the mark
  // writes it whole again, or it would be a bare key with no expiry, kept for ever.
  const now = clock.now();
  const names: Record<string, string> = { '#ttl': TABLE.ttlAttribute, '#kind': 'kind' };
  const values: Record<string, unknown> = { ':at': now.toISOString(), ':ttl': epochSeconds(now) + item.retentionSeconds, ':kind': item.kind };
  const sets = ['processedAt = :at', '#ttl = if_not_exists(#ttl, :ttl)', '#kind = :kind'];
  for (const [n, [field, value]] of Object.entries(item.fields).entries()) {
    names[`#f${n}`] = field;
    values[`:f${n}`] = value;
    sets.push(`#f${n} = :f${n}`);
  }
  await store.update({ Key, UpdateExpression: `SET ${sets.join(', ')} REMOVE claimId, claimedUntil`, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
  return true;
}

/**
 * For a subscriber whose effect cannot be repeated unnoticed (a mail): as withInbox (inbox.ts),
 * a processed event is skipped, but the event is claimed first (claimedOnce, on its inbox item),
 * so two deliveries of it at once run the handler once; withInbox let both run. Cost: the same
 * two requests as withInbox's (the claim replaces its read of the inbox), two writes instead of a
 * read and a write.
 */
export function withClaimedInbox<E extends Pick<EventEnvelope, 'id'>, C>(
  store: ModuleStore,
  subscription: string,
  clock: Clock,
  handler: EventHandler<E, C>,
): EventHandler<E, C> {
  return async (event, ctx) => {
    const item = { Key: inboxKey(store, subscription, event.id), kind: INBOX_KIND, fields: { subscription, eventId: event.id }, retentionSeconds: INBOX_RETENTION_SECONDS };
    await claimedOnce(store, item, clock, () => handler(event, ctx));
  };
}

/** Claims `item`: true to run the effect, false when it ran already; DeliveryInFlightError while another delivery's claim holds. */
async function claim(store: ModuleStore, item: ClaimItem, claimId: string, now: Date): Promise<boolean> {
  try {
    await store.put({
      Item: {
        ...item.Key,
        kind: item.kind,
        ...item.fields,
        claimId,
        claimedUntil: new Date(now.getTime() + DELIVERY_CLAIM_LEASE_SECONDS * 1000).toISOString(),
        [TABLE.ttlAttribute]: epochSeconds(now) + item.retentionSeconds,
      },
      // No item, or a claim that lapsed (its holder died): never over a processed one.
      ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(processedAt) AND claimedUntil < :now)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    });
    return true;
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
  const found = await store.get({ Key: item.Key, ConsistentRead: true });
  const what = Object.values(item.fields).join(' ');
  if (found === undefined) throw new DeliveryInFlightError(`${what}: the claim was given back meanwhile; retried`);
  if (found.processedAt !== undefined) return false;
  // This delivery's own claim: the PutItem committed, its answer was lost, and the SDK sent it
  // again, which met it. Until 2026-12-07 read as another delivery's: this one failed, and the
  // effect waited for the claim to lapse and a redelivery (or for none, once retries ran out).
  if (found.claimId === claimId) return true;
  throw new DeliveryInFlightError(`${what}: another delivery holds its claim until ${String(found.claimedUntil)}`);
}
