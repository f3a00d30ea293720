import { epochSeconds, type Clock } from '../clock';
import { conditionFailedAt, isConditionFailed } from '../dynamo/condition-failed';
import type { ModuleStore } from '../dynamo/module-store';
import { TABLE } from '../dynamo/table-definition';
import type { EventEnvelope } from './contract';

/**
 * The subscriber's inbox: one item per (subscription, event id) it has processed, so a
 * redelivered event (EventBridge retries, a relay that republishes after a crash) is a no-op.
 *
 * Best: write the inbox item in the SAME transaction as the subscriber's own changes
 * (`inboxPut` / `transactOnce`): either both commit or neither, and a concurrent duplicate
 * loses on the inbox item's condition. `withInbox` is for handlers whose effects are
 * naturally idempotent (deletes, puts of a fixed key) where "skip if seen" only saves work.
 */
export const INBOX_KIND = 'inbox';

/**
 * Kept well beyond every redelivery window: EventBridge retries for up to 24 h, a stream
 * keeps records 24 h, and the DLQ may be redriven later by hand.
 */
export const INBOX_RETENTION_SECONDS = 14 * 24 * 60 * 60;

export function inboxKey(store: ModuleStore, subscription: string, eventId: string) {
  return { pk: store.key('inbox', subscription, eventId), sk: store.key('inbox') };
}

/** A transact item recording that `subscription` processed `eventId`; fails if it already did. */
export function inboxPut(store: ModuleStore, subscription: string, eventId: string, clock: Clock) {
  const now = clock.now();
  return {
    Put: {
      Item: {
        ...inboxKey(store, subscription, eventId),
        kind: INBOX_KIND,
        subscription,
        eventId,
        processedAt: now.toISOString(),
        [TABLE.ttlAttribute]: epochSeconds(now) + INBOX_RETENTION_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function alreadyProcessed(store: ModuleStore, subscription: string, eventId: string): Promise<boolean> {
  const item = await store.get({ Key: inboxKey(store, subscription, eventId), ConsistentRead: true });
  return item !== undefined;
}

type TransactItems = Parameters<ModuleStore['transactWrite']>[0];

/** A subscriber's handler of one event: what withInbox and withClaimedInbox wrap and return. */
export type EventHandler<E, C> = (event: E, ctx: C) => Promise<void>;

/**
 * Commits the subscriber's writes together with its inbox item, exactly once per event.
 * `build` computes the writes (it may read first); the inbox item is appended last.
 * Returns 'duplicate' when the event was already processed (seen up front, or a concurrent
 * delivery won the race on the inbox condition); other failures propagate so the delivery
 * is retried.
 */
export async function transactOnce(
  store: ModuleStore,
  subscription: string,
  event: Pick<EventEnvelope, 'id'>,
  clock: Clock,
  build: () => Promise<TransactItems> | TransactItems,
): Promise<'processed' | 'duplicate'> {
  if (await alreadyProcessed(store, subscription, event.id)) return 'duplicate';
  const items = await build();
  const inboxIndex = items.length;
  try {
    await store.transactWrite([...items, inboxPut(store, subscription, event.id, clock)]);
    return 'processed';
  } catch (err) {
    if (conditionFailedAt(err, inboxIndex)) return 'duplicate';
    throw err;
  }
}

/**
 * For naturally idempotent effects: skips an event already recorded, otherwise runs the
 * handler and records the event afterwards. A crash between the two re-runs the handler on
 * redelivery, which is why the handler itself must be idempotent.
 */
export function withInbox<E extends Pick<EventEnvelope, 'id'>, C>(
  store: ModuleStore,
  subscription: string,
  clock: Clock,
  handler: EventHandler<E, C>,
): EventHandler<E, C> {
  return async (event, ctx) => {
    if (await alreadyProcessed(store, subscription, event.id)) return;
    await handler(event, ctx);
    try {
      await store.put(inboxPut(store, subscription, event.id, clock).Put);
    } catch (err) {
      // A concurrent delivery recorded it first: both ran an idempotent handler, fine.
      if (!isConditionFailed(err)) throw err;
    }
  };
}
