import { randomUUID } from 'node:crypto';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '@budgeting/platform';
import type { EventBridgeEvent } from 'aws-lambda';
import { expect } from 'vitest';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import type { App } from '../../../packages/app/src/http/create-app';
import { call, type CallOptions } from '../../support/http';
import type { TestSystem } from '../../support/test-system';

/**
 * The subscribers run on the whole system: real accounts, budgets and expenses over HTTP,
 * their real outbox items, and delivery through the Lambda's own bus-delivery code (the path
 * EventBridge takes in AWS). Nothing relays here: a test picks the outbox items to deliver.
 */
export interface User {
  id: string;
  email: string;
  token: string;
}

export interface OutboxEvent {
  pk: string;
  source: string;
  detailType: string;
  envelope: EventEnvelope<string, any>;
}

export const asUser = (app: App, user: User) => (method: string, path: string, options: CallOptions = {}) =>
  call(app, method, path, { ...options, token: user.token });

let counter = 0;
export async function signup(app: App, label: string): Promise<User> {
  counter += 1;
  const email = `${label}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await call(app, 'POST', '/v1/auth/signup', { body: { email, password: 'correct horse battery staple' } });
  expect(res.status, res.text).toBe(201);
  return { id: res.json.user.id, email, token: res.json.tokens.accessToken };
}

export async function createBudget(app: App, owner: User, body: Record<string, unknown> = {}) {
  const res = await asUser(app, owner)('POST', '/v1/budgets', {
    body: { name: 'Household', currency: 'EUR', period: 'monthly', timezone: 'UTC', limit: 10_000, ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; categories: { id: string; name: string; limit?: number }[]; version: number };
}

export async function addMember(app: App, owner: User, budgetId: string, member: User, role: 'editor' | 'viewer') {
  const res = await asUser(app, owner)('POST', `/v1/budgets/${budgetId}/members`, { body: { email: member.email, role } });
  expect(res.status, res.text).toBe(201);
}

export async function addExpense(app: App, user: User, budgetId: string, body: { amount: number; occurredOn: string; categoryId?: string }) {
  const res = await asUser(app, user)('POST', `/v1/budgets/${budgetId}/expenses`, { body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; version: number };
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

/** The items whose partition key starts with one of `prefixes` (e.g. "budgets#"). */
export async function itemsUnder(t: TestSystem, ...prefixes: string[]) {
  return (await tableItems(t.doc, t.tableName)).filter((i) => prefixes.some((p) => String(i.pk).startsWith(p)));
}

/** Events in the outbox (relayed or not), oldest first; optionally only one type. */
export async function outboxEvents(t: TestSystem, type?: string): Promise<OutboxEvent[]> {
  const items = (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === 'outbox' && (!type || i.detailType === type));
  return items
    .map((i) => ({ pk: i.pk, source: i.source, detailType: i.detailType, envelope: JSON.parse(i.detail) }))
    .sort((a, b) => a.envelope.id.localeCompare(b.envelope.id));
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
