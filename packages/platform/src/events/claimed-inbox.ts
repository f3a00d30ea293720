import { randomUUID } from 'node:crypto';
import { epochSeconds, type Clock } from '../clock';
import { isConditionFailed } from '../dynamo/condition-failed';
import type { ModuleStore } from '../dynamo/module-store';
import { TABLE } from '../dynamo/table-definition';
import type { EventEnvelope } from './contract';
import { INBOX_KIND, INBOX_RETENTION_SECONDS, inboxKey } from './inbox';

/**
 * How long a delivery's claim keeps every other delivery of the same event from running its
 * effect: twice the function's 30 s timeout (infra/function.ts), so a claim outlives the
 * invocation that made it, however it ended, and has lapsed by Lambda's first retry of an
 * asynchronous invocation (about a minute after a failure). A claim whose holder died is taken
 * over after it.
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

/**
 * For a handler whose effect cannot be repeated unnoticed (a mail): as withInbox (inbox.ts), a
 * processed event is skipped, but a delivery first CLAIMS the event (a conditional PutItem of
 * its inbox item with `claimId` and `claimedUntil`), and marks it processed after the handler
 * (an UpdateItem). Two deliveries at once (EventBridge delivers at least once; a retry can
 * overlap a slow first attempt) therefore run the handler once: the second finds the claim and
 * fails with DeliveryInFlightError instead of sending a second mail. withInbox let both run.
 * What is left: a process that dies after the effect and before the mark repeats it once the
 * claim has lapsed (at least once, as before). A handler that throws gives its claim back (a
 * conditional DeleteItem, best effort: otherwise it lapses), so the retry runs at once.
 *
 * Cost: the same two requests as withInbox's (the claim replaces its read of the inbox), two
 * writes instead of a read and a write; a duplicate adds one strongly consistent read.
 */
export function withClaimedInbox<E extends Pick<EventEnvelope, 'id'>, C>(
  store: ModuleStore,
  subscription: string,
  clock: Clock,
  handler: (event: E, ctx: C) => Promise<void>,
): (event: E, ctx: C) => Promise<void> {
  return async (event, ctx) => {
    const Key = inboxKey(store, subscription, event.id);
    const claimId = randomUUID();
    if (!(await claim(store, Key, { subscription, eventId: event.id, claimId }, clock.now()))) return;
    try {
      await handler(event, ctx);
    } catch (err) {
      await store.delete({ Key, ConditionExpression: 'claimId = :mine', ExpressionAttributeValues: { ':mine': claimId } }).catch(() => undefined);
      throw err;
    }
    // Whoever holds the claim now (ours, or one that took it over past its lease), the event is processed.
    await store.update({ Key, UpdateExpression: 'SET processedAt = :at REMOVE claimId, claimedUntil', ExpressionAttributeValues: { ':at': clock.now().toISOString() } });
  };
}

/** Claims the event: true to run the handler, false when it was processed already; DeliveryInFlightError while another delivery's claim holds. */
async function claim(store: ModuleStore, Key: ReturnType<typeof inboxKey>, fields: { subscription: string; eventId: string; claimId: string }, now: Date): Promise<boolean> {
  try {
    await store.put({
      Item: {
        ...Key,
        kind: INBOX_KIND,
        ...fields,
        claimedUntil: new Date(now.getTime() + DELIVERY_CLAIM_LEASE_SECONDS * 1000).toISOString(),
        [TABLE.ttlAttribute]: epochSeconds(now) + INBOX_RETENTION_SECONDS,
      },
      // No inbox item, or a claim that lapsed (its holder died): never over a processed one.
      ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(processedAt) AND claimedUntil < :now)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    });
    return true;
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
  const found = await store.get({ Key, ConsistentRead: true });
  if (found === undefined) throw new DeliveryInFlightError(`${fields.subscription}: the claim of event ${fields.eventId} was given back meanwhile; retried`);
  if (found.processedAt !== undefined) return false;
  throw new DeliveryInFlightError(`${fields.subscription}: another delivery of event ${fields.eventId} holds its claim until ${String(found.claimedUntil)}`);
}
