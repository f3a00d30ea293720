/**
 * Bulk import and delta sync against their floors (issue 11), in-process against DynamoDB Local:
 *
 * - import.rows5000: a 5,000-row CSV through POST /expenses/import (one request: the import is
 *   a job) until GET /imports/{id} says succeeded, rows per second of wall time, over the
 *   floor: the same items the import stored (per row the expense with its index keys, its
 *   import marker and its change entry, which is also its event), copied and written with
 *   BatchWriteItem (25 per request, 4 writers), no conditions, no totals. Also reported:
 *   `ratioToRawExpenseItems`, over writing only the 5,000 expense items that way (the floor
 *   before the job; the import writes three items per row). `requests` counts the POST and
 *   the GETs of the import resource.
 * - changes: GET /changes?since=<token> with 20 new changes spread over the shards, calls per
 *   second, over one strongly consistent Query of the budget's change partition (Limit 100),
 *   interleaved rounds.
 *
 * Standalone: `npx tsx bench/import-changes.ts`.
 */
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger } from '@budgeting/platform';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { localJobQueue } from '../packages/app/src/local/jobs-runtime';
import { interleavedRounds } from './lib/interleaved';
import { seedOwnerAndBudget, startMeteredSystem, type MeteredSystem } from './lib/metered-system';
import { median } from './lib/stats';
import { formatTable } from './lib/table';
import { atLeast, type BenchSuite, type SuiteReport } from './suite';

const IMPORT_ROWS = 5_000;
const ROUND_MS = Number(process.env.BENCH_CHANGES_ROUND_MS ?? 3_000);

// Alike in shape to http-throughput.ts's row (a record of figures after the run's constants),
// not in content: each bench reports its own measurements.
export interface ImportChangesResult {
  import: {
    rows: number;
    imported: number;
    seconds: number;
    rowsPerSecond: number;
    rawRowsPerSecond: number;
    ratioToRaw: number;
    itemsPerRow: number;
    rawExpenseRowsPerSecond: number;
    ratioToRawExpenseItems: number;
    requests: number;
    /** The unmeasured first runs (see warmUpBoth). */
    warmUp: { importRowsPerSecond: number; floorRowsPerSecond: number };
  };
  changes: { callsPerSecond: number; rawPerSecond: number; ratioToRaw: number };
}

function csv(rows: number, offset: number): string {
  const lines = ['date,amount,category,description,merchant'];
  for (let i = 0; i < rows; i++) {
    const n = offset + i;
    lines.push(`2026-10-${String(1 + (n % 28)).padStart(2, '0')},${(1 + (n % 900)).toString()}.${String(n % 100).padStart(2, '0')},Groceries,row ${n},Shop ${n % 37}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The whole file in one POST (202 + Location), then GET of the import resource until it has
 * succeeded: the rows go in through the job (chunks on the local work queue, worked as
 * separate deliveries, as SQS + Lambda would). Rows per second of wall time from the POST to
 * the finished import.
 */
async function importBench(s: MeteredSystem, token: string, budgetId: string) {
  const warmUp = await warmUpBoth(s, token);
  const measured = await importOnce(s, token, budgetId, 0);
  const { imported, seconds } = measured;

  // The floor: the items the import stored (expense with its index keys, import marker,
  // change entry = event), copied under another prefix, written with BatchWriteItem.
  const stored = await storedImportItems(s, budgetId);
  const all = stored.map((i) => renamed(i));
  const expensesOnly = stored.filter((i) => i.kind === 'expense').map((i) => renamed(i, 'raw2#'));
  const rawSeconds = await batchWrite(s, all);
  const rawExpenseSeconds = await batchWrite(s, expensesOnly);
  const rowsPerSecond = imported / seconds;
  const rawRowsPerSecond = IMPORT_ROWS / rawSeconds;
  const rawExpenseRowsPerSecond = IMPORT_ROWS / rawExpenseSeconds;
  return {
    rows: IMPORT_ROWS,
    imported,
    seconds,
    rowsPerSecond,
    rawRowsPerSecond,
    ratioToRaw: rowsPerSecond / rawRowsPerSecond,
    itemsPerRow: all.length / IMPORT_ROWS,
    rawExpenseRowsPerSecond,
    ratioToRawExpenseItems: rowsPerSecond / rawExpenseRowsPerSecond,
    requests: measured.requests,
    warmUp,
  };
}

/**
 * DynamoDB Local is a JVM: its JIT warms up over the first thousands of writes, and whichever
 * of import and floor runs first pays for that (measured on the 2,000-row import: 8.4 ms of
 * Java CPU per row for the first import into a fresh DynamoDB Local, 3.8 for the second and
 * 2.1 for the third, the floor's BatchWriteItem 1.6-1.9). DynamoDB itself has no such
 * warm-up, and the floor used to run second. So both run once unmeasured first, on a budget
 * of their own with other rows; their figures are kept as `warmUp` (the first import's rows/s
 * is what a fresh DynamoDB Local shows).
 */
async function warmUpBoth(s: MeteredSystem, token: string) {
  const budget = await s.request('POST', '/v1/budgets', token, { name: 'Warm-up', currency: 'USD', limit: 5_000_000, categories: [{ name: 'Groceries' }] });
  const budgetId = String(budget.json!.id);
  const first = await importOnce(s, token, budgetId, 100_000);
  const floorSeconds = await batchWrite(s, (await storedImportItems(s, budgetId)).map((i) => renamed(i, 'warm#')));
  return { importRowsPerSecond: first.imported / first.seconds, floorRowsPerSecond: IMPORT_ROWS / floorSeconds };
}

/** One import of IMPORT_ROWS rows (row numbers from `offset`) until it has succeeded. */
async function importOnce(s: MeteredSystem, token: string, budgetId: string, offset: number) {
  const started = performance.now();
  const accepted = await s.request('POST', `/v1/budgets/${budgetId}/expenses/import`, token, csv(IMPORT_ROWS, offset), { prefer: 'wait=25' });
  const location = accepted.headers.get('location')!;
  let record = accepted.json!;
  let requests = 1;
  while (record.status === 'queued' || record.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    record = (await s.request('GET', location, token)).json!;
    requests++;
  }
  if (record.status !== 'succeeded') throw new Error(`import ${record.status}: ${JSON.stringify(record.errors)}`);
  return { imported: Number(record.imported), seconds: (performance.now() - started) / 1000, requests };
}

type StoredItem = Record<string, unknown>;

/** The budget's expenses and import markers, and its change entries (a Query each, paged). */
async function storedImportItems(s: MeteredSystem, budgetId: string): Promise<StoredItem[]> {
  const out: StoredItem[] = [];
  for (const pk of [`expenses#budget#${budgetId}`, `expenses#changes#${budgetId}`]) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await s.doc.send(new QueryCommand({ TableName: s.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }));
      out.push(...(page.Items ?? []).filter((i) => ['expense', 'import-marker', 'expense-change'].includes(String(i.kind))));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return out;
}

/** The item with its key and index attributes moved from the `expenses#` prefix to `prefix`. */
function renamed(item: StoredItem, prefix = 'raw#'): StoredItem {
  const copy = { ...item };
  for (const attr of ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']) {
    if (typeof copy[attr] === 'string') copy[attr] = prefix + (copy[attr] as string).slice('expenses#'.length);
  }
  return copy;
}

/** BatchWriteItem, 25 per request, 4 writers; seconds of wall time. */
async function batchWrite(s: MeteredSystem, items: StoredItem[]): Promise<number> {
  const started = performance.now();
  const batches: StoredItem[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const out = await s.doc.send(new BatchWriteCommand({ RequestItems: { [s.tableName]: pending } }));
          pending = (out.UnprocessedItems?.[s.tableName] ?? []) as typeof pending;
        }
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function changesBench(s: MeteredSystem, token: string, budgetId: string) {
  const path = `/v1/budgets/${budgetId}/changes`;
  const first = await s.request('GET', `${path}?limit=1`, token);
  let since = String(first.json!.serverKnowledge);
  // Page to the end of the first sync, then make 20 changes.
  for (let page = first; page.json!.hasMore; since = String(page.json!.serverKnowledge)) {
    page = await s.request('GET', `${path}?limit=500&since=${encodeURIComponent(since)}`, token);
  }
  for (let i = 0; i < 20; i++) await s.request('POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 10 + i, occurredOn: '2026-11-05' });
  const appCall = () => s.request('GET', `${path}?limit=100&since=${encodeURIComponent(since)}`, token);
  const rawCall = () =>
    s.doc.send(
      new QueryCommand({
        TableName: s.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `expenses#changes#${budgetId}` },
        ConsistentRead: true,
        Limit: 100,
      }),
    );
  const rate = async (call: () => Promise<unknown>) => {
    const started = performance.now();
    let calls = 0;
    while (performance.now() - started < ROUND_MS) {
      await call();
      calls++;
    }
    return calls / ((performance.now() - started) / 1000);
  };
  await rate(appCall); // warm-up
  const { app, floor: raw } = await interleavedRounds(4, { app: () => rate(appCall), floor: () => rate(rawCall) });
  const callsPerSecond = median(app);
  const rawPerSecond = median(raw);
  return { callsPerSecond, rawPerSecond, ratioToRaw: callsPerSecond / rawPerSecond };
}

export async function importChangesBench(): Promise<ImportChangesResult> {
  // Fan-out work through the local work queue (npm start's stand-in for SQS + Lambda).
  const jobs = localJobQueue({ dataDir: mkdtempSync(join(tmpdir(), 'bench-jobs-')), logger: createLogger('SILENT') });
  const s = await startMeteredSystem(undefined, { jobs: { transport: jobs.transport } });
  try {
    const { token, budgetId } = await seedOwnerAndBudget(s);
    const imported = await importBench(s, token, budgetId);
    const changes = await changesBench(s, token, budgetId);
    return { import: imported, changes };
  } finally {
    await s.stop();
  }
}

export function formatImportChanges(r: ImportChangesResult): string {
  return formatTable(
    ['what', 'app', 'floor', 'ratio to floor', 'notes'],
    [
      ['import, rows/s', r.import.rowsPerSecond.toFixed(1), r.import.rawRowsPerSecond.toFixed(1), r.import.ratioToRaw.toFixed(2), `${r.import.imported}/${r.import.rows} rows in ${r.import.seconds.toFixed(1)} s, ${r.import.requests} request(s); floor: the same ${r.import.itemsPerRow.toFixed(1)} items/row`],
      ['import, first run (JVM cold)', r.import.warmUp.importRowsPerSecond.toFixed(1), r.import.warmUp.floorRowsPerSecond.toFixed(1), '', 'unmeasured warm-up on a fresh DynamoDB Local; floor after it'],
      ['import vs expense items only', r.import.rowsPerSecond.toFixed(1), r.import.rawExpenseRowsPerSecond.toFixed(1), r.import.ratioToRawExpenseItems.toFixed(2), 'floor: only the expense items'],
      ['GET /changes, calls/s', r.changes.callsPerSecond.toFixed(1), r.changes.rawPerSecond.toFixed(1), r.changes.ratioToRaw.toFixed(2), '20 changes since the token; floor: one Query'],
    ],
  );
}

export const importChangesSuite: BenchSuite = {
  name: 'import-changes',
  async run(): Promise<SuiteReport> {
    const r = await importChangesBench();
    return {
      title: 'CSV import (5,000 rows) and GET /changes against their DynamoDB floors',
      table: formatImportChanges(r),
      targets: [atLeast('import.rows5000.ratioToRaw', r.import.ratioToRaw, 0.7), atLeast('changes.ratioToRaw', r.changes.ratioToRaw, 0.5)],
      notes: [],
      data: r,
      figures: {
        'import.rows5000.rowsPerSecond': r.import.rowsPerSecond,
        'import.rows5000.ratioToRaw': r.import.ratioToRaw,
        'import.rows5000.imported': r.import.imported,
        'import.rows5000.itemsPerRow': r.import.itemsPerRow,
        'import.rows5000.ratioToRawExpenseItems': r.import.ratioToRawExpenseItems,
        'import.rows5000.warmUp.importRowsPerSecond': r.import.warmUp.importRowsPerSecond,
        'import.rows5000.warmUp.floorRowsPerSecond': r.import.warmUp.floorRowsPerSecond,
        'changes.ratioToRaw': r.changes.ratioToRaw,
        'changes.callsPerSecond': r.changes.callsPerSecond,
      },
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatImportChanges(await importChangesBench()));
}
