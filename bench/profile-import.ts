/**
 * Where a 5,000-row import's time goes (issue 11): the bench's import (one POST, the job on
 * the local work queue, 4 deliveries at once), WARM times unmeasured (default 1; DynamoDB
 * Local's JIT), then once measured: wall time, this process's CPU ms per row, DynamoDB
 * Local's (java) CPU ms per row, the DynamoDB requests and items written per 1,000 rows by
 * kind (with the summed time each kind waited). Then, on the same DynamoDB Local, what parts
 * of it cost on their own: the marker reads, the chunk items, and the items the import stored
 * written as BatchWriteItem (the bench's floor) and as TransactWriteItems of 99 (with and
 * without conditions; WRITERS=1 also with 1, 2, 4, 8 writers; TX_SIZES=25,50 other sizes).
 * For a profile of the app: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-import.ts`.
 *
 * `[WARM=n] npx tsx bench/profile-import.ts [rows]`
 */
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger } from '@budgeting/platform';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localJobQueue } from '../packages/app/src/local/jobs-runtime';
import { importThroughApi } from './lib/csv-import';
import { seedOwnerAndBudget, startMeteredSystem, type MeteredSystem } from './lib/metered-system';
import { dynamoDbLocalCpuMs } from './lib/process-cpu';

const ROWS = Number(process.argv[2] ?? 5_000);


const importOnce = async (s: MeteredSystem, token: string, budgetId: string, offset: number) =>
  (await importThroughApi(s, token, budgetId, ROWS, offset)).imported;

const jobs = localJobQueue({ dataDir: mkdtempSync(join(tmpdir(), 'profile-import-')), logger: createLogger('SILENT') });
const s = await startMeteredSystem(undefined, { jobs: { transport: jobs.transport } });
const waits = new Map<string, { n: number; ms: number }>();
s.doc.middlewareStack.add(
  (next, context) => async (args) => {
    const started = performance.now();
    try {
      return await next(args);
    } finally {
      const kind = (context.commandName ?? '?').replace(/Command$/, '');
      const w = waits.get(kind) ?? { n: 0, ms: 0 };
      w.n++;
      w.ms += performance.now() - started;
      waits.set(kind, w);
    }
  },
  { step: 'initialize', name: 'profileWaits' },
);
try {
  const javaCpuMs = () => dynamoDbLocalCpuMs(s.endpoint);
  const { token, budgetId } = await seedOwnerAndBudget(s);
  for (let round = 0; round < Number(process.env.WARM ?? 1); round++) {
    const warm = await s.request('POST', '/v1/budgets', token, { name: `Warm-up ${round}`, currency: 'USD', limit: 5_000_000, categories: [{ name: 'Groceries' }] });
    const j0 = javaCpuMs();
    const t0 = performance.now();
    await importOnce(s, token, String(warm.json!.id), 100_000 * (round + 1));
    console.log(`warm-up import ${round + 1}: ${(ROWS / ((performance.now() - t0) / 1000)).toFixed(1)} rows/s, DynamoDB Local CPU ${((javaCpuMs() - j0) / ROWS).toFixed(3)} ms/row`);
  }

  s.meter.reset();
  waits.clear();
  const java0 = javaCpuMs();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const imported = await importOnce(s, token, budgetId, 0);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const java = javaCpuMs() - java0;

  const per1000 = (n: number) => ((n * 1000) / ROWS).toFixed(1);
  console.log(`${imported}/${ROWS} rows in ${seconds.toFixed(2)} s = ${(imported / seconds).toFixed(1)} rows/s`);
  console.log(`app CPU ${((cpu.user + cpu.system) / 1000 / ROWS).toFixed(3)} ms/row, DynamoDB Local CPU ${(java / ROWS).toFixed(3)} ms/row`);
  console.log(`requests per 1,000 rows ${per1000(s.meter.commands.length)}, items written per 1,000 rows ${per1000(s.meter.itemsWritten)}`);
  for (const [kind, w] of [...waits.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${kind.padEnd(20)} ${per1000(w.n).padStart(8)} /1000 rows, waited ${(w.ms / 1000).toFixed(2)} s in all (${(w.ms / w.n).toFixed(1)} ms each)`);
  }

  if (process.env.AFTER) {
    // What the import causes afterwards (not part of the bench's time: its event runtime is
    // driven by hand): the stream relay and the subscribers for every stream record so far.
    s.meter.reset();
    waits.clear();
    const j0 = javaCpuMs();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const records = await s.drainEvents();
    const c = process.cpuUsage(c0);
    console.log(`after-work: ${records} stream records relayed and delivered in ${((performance.now() - t0) / 1000).toFixed(1)} s (all imports so far), this process ${((c.user + c.system) / 1000 / records).toFixed(3)} ms, DynamoDB Local ${((javaCpuMs() - j0) / records).toFixed(3)} ms per record`);
    console.log(`  requests per 1,000 records ${((s.meter.commands.length * 1000) / records).toFixed(1)}: ${[...waits.entries()].map(([k, w]) => `${k} ${((w.n * 1000) / records).toFixed(1)}`).join(', ')}`);
  }

  // The same items the import stored, under other prefixes: BatchWriteItem (the bench's
  // floor), then TransactWriteItems of 99 items (no conditions), 4 writers each.
  const stored: Record<string, unknown>[] = [];
  for (const pk of [`expenses#budget#${budgetId}`, `expenses#changes#${budgetId}`]) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await s.doc.send(new QueryCommand({ TableName: s.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }));
      stored.push(...(page.Items ?? []).filter((i) => ['expense', 'import-marker', 'expense-change'].includes(String(i.kind))));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  const renamed = (prefix: string) =>
    stored.map((item) => {
      const copy = { ...item };
      for (const attr of ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']) if (typeof copy[attr] === 'string') copy[attr] = prefix + (copy[attr] as string).slice('expenses#'.length);
      return copy;
    });
  const writers = async (items: Record<string, unknown>[], size: number, write: (batch: Record<string, unknown>[]) => Promise<unknown>, count = 4) => {
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
    const j0 = javaCpuMs();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: count }, async () => { for (let b = batches.shift(); b; b = batches.shift()) await write(b); }));
    return `${(ROWS / ((performance.now() - t0) / 1000)).toFixed(1)} rows/s, DynamoDB Local CPU ${((javaCpuMs() - j0) / ROWS).toFixed(3)} ms/row`;
  };
  const javaOf = async (what: string, work: () => Promise<unknown>) => {
    const j0 = javaCpuMs();
    const t0 = performance.now();
    await work();
    console.log(`${what}: ${(performance.now() - t0).toFixed(0)} ms, DynamoDB Local CPU ${((javaCpuMs() - j0) / ROWS).toFixed(3)} ms/row`);
  };
  const markerKeys = Array.from({ length: ROWS }, (_, i) => ({ pk: `expenses#budget#${budgetId}`, sk: `expenses#import#${i.toString(16).padStart(64, 'f')}` }));
  await javaOf('marker reads (BatchGetItem 100, consistent, 4 at once)', () =>
    Promise.all(Array.from({ length: 4 }, async (_, w) => {
      for (let i = w * 100; i < ROWS; i += 400) await s.doc.send(new BatchGetCommand({ RequestItems: { [s.tableName]: { Keys: markerKeys.slice(i, i + 100), ConsistentRead: true } } }));
    })),
  );
  const chunkRows = JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ line: i + 2, fingerprint: i.toString(16).padStart(64, 'a'), row: { occurredOn: '2026-10-01', amount: 12345, categoryId: '01JABCDEFGHJKMNPQRSTVWXYZ', description: `row ${i}`, merchant: `Shop ${i % 37}` } })));
  console.log(`chunk JSON ${chunkRows.length} bytes`);
  const chunkKey = (n: number) => ({ pk: `expenses#budget#${budgetId}`, sk: `expenses#importchunk#x#${n}` });
  await javaOf('chunks: put 10, get 10, update REMOVE rows 10', async () => {
    await Promise.all(Array.from({ length: ROWS / 500 }, (_, n) => s.doc.send(new PutCommand({ TableName: s.tableName, Item: { ...chunkKey(n), kind: 'import-chunk', rows: chunkRows } }))));
    for (let n = 0; n < ROWS / 500; n++) {
      await s.doc.send(new GetCommand({ TableName: s.tableName, Key: chunkKey(n), ConsistentRead: true }));
      await s.doc.send(new UpdateCommand({ TableName: s.tableName, Key: chunkKey(n), UpdateExpression: 'SET done = :t REMOVE #rows', ExpressionAttributeNames: { '#rows': 'rows' }, ExpressionAttributeValues: { ':t': true } }));
    }
  });
  console.log('floor, BatchWriteItem 25:', await writers(renamed('raw#'), 25, (b) => s.doc.send(new BatchWriteCommand({ RequestItems: { [s.tableName]: b.map((Item) => ({ PutRequest: { Item } })) } }))));
  console.log('TransactWriteItems 99, no conditions:', await writers(renamed('tx#'), 99, (b) => s.doc.send(new TransactWriteCommand({ TransactItems: b.map((Item) => ({ Put: { TableName: s.tableName, Item } })) }))));
  if (process.env.WRITERS) {
    for (const count of [1, 2, 4, 8]) {
      console.log(`${count} writer(s): BatchWriteItem 25:`, await writers(renamed(`wb${count}#`), 25, (b) => s.doc.send(new BatchWriteCommand({ RequestItems: { [s.tableName]: b.map((Item) => ({ PutRequest: { Item } })) } })), count));
      console.log(`${count} writer(s): TransactWriteItems 99:`, await writers(renamed(`wt${count}#`), 99, (b) => s.doc.send(new TransactWriteCommand({ TransactItems: b.map((Item) => ({ Put: { TableName: s.tableName, Item } })) })), count));
    }
  }
  for (const size of (process.env.TX_SIZES ?? '').split(',').filter(Boolean).map(Number)) {
    console.log(`TransactWriteItems ${size}, no conditions:`, await writers(renamed(`tx${size}#`), size, (b) => s.doc.send(new TransactWriteCommand({ TransactItems: b.map((Item) => ({ Put: { TableName: s.tableName, Item } })) }))));
  }
  console.log('TransactWriteItems 99, attribute_not_exists on each:', await writers(renamed('txc#'), 99, (b) => s.doc.send(new TransactWriteCommand({ TransactItems: b.map((Item) => ({ Put: { TableName: s.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } })) }))));
  console.log('floor again, BatchWriteItem 25:', await writers(renamed('raw2#'), 25, (b) => s.doc.send(new BatchWriteCommand({ RequestItems: { [s.tableName]: b.map((Item) => ({ PutRequest: { Item } })) } }))));
} finally {
  await s.stop();
}
