import {
  createEvent,
  defineEvent,
  outboxPut,
  transactOnce,
  type Clock,
  type EventEnvelope,
  type ModuleStore,
  type Subscription,
} from '@budgeting/platform';
import { z } from 'zod';
import type { SubscriptionRow } from '@budgeting/app/wiring';

/**
 * A tiny publisher and subscriber pair standing in for the real modules (whose subscribers
 * come later): the publisher records "things" with an event in the same transaction; the
 * subscriber keeps a running total, exactly once per event thanks to its inbox.
 */
export const thingRecorded = defineEvent(
  'fixturepub',
  'thing.recorded',
  1,
  z.object({ thingId: z.string(), amount: z.number().int().positive() }).strict(),
);

export const SUBSCRIBER_NAME = 'fixturesub-on-things';

export const fixtureRows: SubscriptionRow[] = [
  {
    name: SUBSCRIBER_NAME,
    module: 'fixturesub' as SubscriptionRow['module'],
    source: thingRecorded.source,
    detailTypes: [thingRecorded.type],
  },
];

export async function recordThing(store: ModuleStore, clock: Clock, thingId: string, amount: number) {
  const event = await createEvent(thingRecorded, { thingId, amount }, clock);
  await store.transactWrite([
    { Put: { Item: { pk: store.key('thing', thingId), sk: store.key('thing'), amount }, ConditionExpression: 'attribute_not_exists(pk)' } },
    outboxPut(store, thingRecorded, event),
  ]);
  return event;
}

export function createTotalsSubscriber(store: ModuleStore, clock: Clock) {
  const calls: EventEnvelope[] = [];
  const key = { pk: store.key('total'), sk: store.key('total') };
  const subscription: Subscription = {
    name: SUBSCRIBER_NAME,
    events: [thingRecorded],
    async handle(event) {
      calls.push(event);
      const { amount } = event.data as { amount: number };
      await transactOnce(store, SUBSCRIBER_NAME, event, clock, () => [
        {
          Update: {
            Key: key,
            UpdateExpression: 'ADD amount :amount, events :one',
            ExpressionAttributeValues: { ':amount': amount, ':one': 1 },
          },
        },
      ]);
    },
  };
  return {
    subscription,
    calls,
    async total() {
      const item = await store.get<{ amount: number; events: number }>({ Key: key, ConsistentRead: true });
      return { amount: item?.amount ?? 0, events: item?.events ?? 0 };
    },
  };
}
