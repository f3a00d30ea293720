import { randomUUID } from 'node:crypto';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '@budgeting/platform';
import type { EventBridgeEvent } from 'aws-lambda';
import { expect } from 'vitest';
import { createBusDelivery } from '../../packages/app/src/events/bus-delivery';
import type { TestSystem } from './test-system';

/**
 * Reading the table and the outbox in tests, and delivering outbox events through the
 * Lambda's own bus-delivery code (the path EventBridge takes in AWS) without a relay.
 */
export interface OutboxEvent {
  pk: string;
  source: string;
  detailType: string;
  envelope: EventEnvelope<string, any>;
}

/** Every item of the test's table (a test may scan; modules never do), in key order. */
export async function tableItems(doc: DynamoDBDocumentClient, tableName: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => `${a.pk}\u0000${a.sk}`.localeCompare(`${b.pk}\u0000${b.sk}`));
}

/**
 * What is left in a user's notifications partition, as `<kind> <sk>` per item, in key order (the
 * race tests' "nothing outlives the account / the membership" checks).
 */
export async function notificationItemsOf(t: { doc: DynamoDBDocumentClient; tableName: string }, userId: string): Promise<string[]> {
  const items = await tableItems(t.doc, t.tableName);
  return items.filter((i) => i.pk === `notifications#user#${userId}`).map((i) => `${i.kind} ${i.sk}`);
}

/** The items whose partition key starts with one of `prefixes` (e.g. "budgets#"). */
export async function itemsUnder(t: TestSystem, ...prefixes: string[]) {
  return (await tableItems(t.doc, t.tableName)).filter((i) => prefixes.some((p) => String(i.pk).startsWith(p)));
}

/**
 * Events written to be published (outbox items, and items of another kind that carry one,
 * like the expenses change log's entries), oldest first; optionally only one type.
 */
export async function outboxEvents(t: TestSystem, type?: string): Promise<OutboxEvent[]> {
  const items = (await tableItems(t.doc, t.tableName)).filter(
    (i) => (i.kind === 'outbox' || i.publishes === true) && (!type || i.detailType === type),
  );
  return items
    .map((i) => ({ pk: i.pk, source: i.source, detailType: i.detailType, envelope: JSON.parse(i.detail) }))
    .sort((a, b) => a.envelope.id.localeCompare(b.envelope.id));
}

/** The outbox events of `type` whose data's `field` is `value` (e.g. one import's expense.import_finished), oldest first. */
export async function eventsAbout(t: TestSystem, type: string, field: string, value: unknown): Promise<OutboxEvent[]> {
  return (await outboxEvents(t, type)).filter((e) => e.envelope.data[field] === value);
}

/** The one outbox event of `type` whose data matches `data` (fails otherwise). */
export async function theEvent(t: TestSystem, type: string, data: Record<string, unknown>): Promise<OutboxEvent> {
  const found = (await outboxEvents(t, type)).filter((e) => Object.entries(data).every(([k, v]) => e.envelope.data[k] === v));
  expect(found, `${type} with ${JSON.stringify(data)}`).toHaveLength(1);
  return found[0]!;
}

/** The event as an EventBridge rule hands it to the function (a fresh bus event id each time, as for a redelivery). */
export function busEvent(e: OutboxEvent): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': e.detailType,
    source: e.source,
    account: '123456789012',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [],
    detail: structuredClone(e.envelope),
  };
}

/** Delivers through bus-delivery to every subscription of the table; a refusal fails the test. */
export async function deliver(t: TestSystem, ...events: OutboxEvent[]): Promise<void> {
  const delivery = createBusDelivery(t.system);
  for (const e of events) {
    const result = await delivery(busEvent(e));
    expect(result, `${e.detailType} ${e.envelope.id}`).toBeUndefined();
  }
}
