import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { expenseDeleted, expenseRecorded, expenseUpdated } from '@budgeting/expenses';
import { newId } from '@budgeting/platform';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxRelay, outboxItemOf } from '../../packages/app/src/events/outbox-relay';
import type { PutEventsSender } from '../../packages/app/src/events/put-events';
import { matchesRelayFilter } from '../../packages/app/src/events/relay-filter';
import { createLocalStreamRelay } from '../../packages/app/src/local/events-stream-relay';
import { addExpense, asUser, createBudget, signup, tableItems } from '../integration/subscribers/support';
import { recordingLogger } from '../unit/events/recording-logger';
import { startE2eSystem, type E2eSystem } from './support';

/**
 * The stream mapping's event filter, locally as `npm start` runs: real writes over HTTP (an
 * expense created with an Idempotency-Key, changed, deleted; a budget changed) and the
 * expiry of every TTL'd item, on DynamoDB Local's stream. The local events runtime must hand
 * the relay only the publishable records (what Lambda's FilterCriteria lets through), and
 * what gets published must be what the relay published when it was handed every record.
 *
 * `RELAY_FILTER_COUNTS=1` prints the records written and handed over per write (docs/capacity.md).
 */
let e2e: E2eSystem;

beforeAll(async () => {
  e2e = await startE2eSystem([expenseRecorded, expenseUpdated, expenseDeleted]);
});
afterAll(() => e2e?.stop());

/** Stream records the runtime read and handed to the relay while `op` and what it caused ran. */
async function measure(op: () => Promise<unknown>) {
  await e2e.settled();
  const before = e2e.events.relay.stats();
  await op();
  await e2e.settled();
  const after = e2e.events.relay.stats();
  return { written: after.read - before.read, delivered: after.delivered - before.delivered };
}

/** The whole stream from its start, as a mapping without filters hands it over. */
async function wholeStream(): Promise<DynamoDBRecord[]> {
  const { config } = e2e.t.system;
  const dir = mkdtempSync(join(tmpdir(), 'relay-filter-'));
  const records: DynamoDBRecord[] = [];
  const reader = createLocalStreamRelay({
    endpoint: config.dynamodbEndpoint!,
    region: config.region,
    tableName: config.tableName,
    checkpointFile: join(dir, 'checkpoint.json'),
    logger: recordingLogger(),
    relay: async (batch) => {
      records.push(...batch);
      return { batchItemFailures: [] };
    },
  });
  try {
    while ((await reader.pollOnce()) > 0);
  } finally {
    await reader.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return records;
}

/** What the relay publishes when handed `records` (event ids and payloads, in order). */
async function publishedFrom(records: DynamoDBRecord[]) {
  const entries: PutEventsRequestEntry[] = [];
  const send: PutEventsSender = async (batch) => {
    entries.push(...batch);
    return { FailedEntryCount: 0, Entries: batch.map(() => ({ EventId: newId() })) };
  };
  const relay = createOutboxRelay({ send, eventBusName: 'bus', logger: recordingLogger() });
  expect(await relay(records)).toEqual({ batchItemFailures: [] });
  return entries.map((e) => ({ source: e.Source, detailType: e.DetailType, detail: JSON.parse(e.Detail!) }));
}

const sequences = (records: DynamoDBRecord[]) => records.map((r) => r.dynamodb!.SequenceNumber);

describe('the relay filter on the local stream', { timeout: 180_000 }, () => {
  it('hands the relay only publishable records and publishes the same events as an unfiltered relay', async () => {
    const { t } = e2e;
    const counts: Record<string, { written: number; delivered: number }> = {};
    const alice = await signup(t.app, 'alice');
    const api = asUser(t.app, alice);
    let budget!: Awaited<ReturnType<typeof createBudget>>;
    counts['create budget'] = await measure(async () => (budget = await createBudget(t.app, alice)));
    await addExpense(t.app, alice, budget.id, { amount: 100, occurredOn: '2026-11-02' }); // first write of the month's totals
    const path = `/v1/budgets/${budget.id}/expenses`;

    let expenseId = '';
    // The key a ULID of the (test) clock's time, as the app sends it: its record rides on the expense.
    counts['create expense (Idempotency-Key)'] = await measure(async () => {
      const res = await api('POST', path, { body: { amount: 1_250, occurredOn: '2026-11-03', merchant: 'Corner Market' }, headers: { 'idempotency-key': newId(t.clock.now().getTime()) } });
      expect(res.status, res.text).toBe(201);
      expenseId = String(res.json.id);
    });
    counts['change expense (amount, day)'] = await measure(async () => {
      const res = await api('PATCH', `${path}/${expenseId}`, { body: { amount: 2_000, occurredOn: '2026-11-04' }, headers: { 'if-match': '"1"' } });
      expect(res.status, res.text).toBe(200);
    });
    counts['delete expense'] = await measure(async () => {
      const res = await api('DELETE', `${path}/${expenseId}`, { headers: { 'if-match': '"2"' } });
      expect(res.status, res.text).toBe(204);
    });
    counts['change budget (limit)'] = await measure(async () => {
      const current = await api('GET', `/v1/budgets/${budget.id}`);
      const res = await api('PATCH', `/v1/budgets/${budget.id}`, { body: { limit: 50_000 }, headers: { 'if-match': current.headers.get('etag')! } });
      expect(res.status, res.text).toBe(200);
    });
    // DynamoDB Local does not expire items: delete what has a TTL the way TTL does (a REMOVE each).
    const expiring = (await tableItems(t.doc, t.tableName)).filter((i) => typeof i.expiresAt === 'number');
    expect(expiring.filter((i) => i.kind === 'outbox' || i.publishes === true).length, 'outbox items among them').toBeGreaterThan(3);
    counts['TTL expiry of every item with one'] = await measure(async () => {
      for (const item of expiring) await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: item.pk, sk: item.sk } }));
    });
    expect(counts['TTL expiry of every item with one']).toEqual({ written: expiring.length, delivered: 0 });
    if (process.env.RELAY_FILTER_COUNTS) console.info(JSON.stringify(counts, null, 2));

    // Every write was read and only the publishable records were handed over ...
    const all = await wholeStream();
    const publishable = all.filter((r) => outboxItemOf(r));
    const stats = e2e.events.relay.stats();
    expect(stats.read).toBe(all.length);
    expect(stats.delivered).toBe(publishable.length);
    expect(publishable.length).toBeGreaterThanOrEqual(6);
    expect(all.length).toBeGreaterThan(2 * publishable.length);
    // ... which are the records the filter keeps: nothing lost, nothing more.
    expect(sequences(all.filter(matchesRelayFilter))).toEqual(sequences(publishable));
    for (const [op, { written, delivered }] of Object.entries(counts)) {
      expect(delivered, op).toBeLessThan(written);
      if (!op.startsWith('TTL')) expect(delivered, op).toBeGreaterThan(0);
    }

    // The same events are published as by a relay handed every record (as before the filter) ...
    const before = await publishedFrom(all);
    expect(await publishedFrom(all.filter(matchesRelayFilter))).toEqual(before);
    expect(before.map((e) => e.detailType)).toEqual(expect.arrayContaining(['budget.created', 'expense.recorded', 'expense.updated', 'expense.deleted', 'budget.updated']));
    // ... and the expense events reached the bus through the runtime, each once.
    const onBus = [...e2e.published.values()].flat().map((e) => e.id).sort();
    expect(onBus).toEqual(before.filter((e) => e.source === 'budgeting.expenses').map((e) => e.detail.id).sort());
  });
});
