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
 *   the GETs of the import resource. Two imports and a floor run unmeasured first (JIT warm-up
 *   of DynamoDB Local), then 3 rounds of import and floor alternating (medians), with the CPU
 *   ms per row of the app and of DynamoDB Local (`import.rows5000.cpu.*`).
 *   Each round also writes the same items with TransactWriteItems (`import.rows5000.
 *   transactionFloor.*`): what writing them transactionally costs before any code of ours runs.
 * - changes: GET /changes?since=<token> with 20 new changes spread over the shards, calls per
 *   second, over one strongly consistent Query of the budget's change partition (Limit 100),
 *   interleaved rounds (changesBench).
 *
 * Standalone: `npx tsx bench/import-changes.ts`; `npx tsx bench/import-changes.ts --changes-only`
 * measures only GET /changes (after one unmeasured import of CHANGES_ONLY_ROWS rows, so the
 * budget has a history), about a minute. Per-call CPU and A/B of two checkouts:
 * profile-changes.ts, ab-changes-together.ts.
 */
import { BatchWriteCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger } from '@budgeting/platform';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { localJobQueue } from '../packages/app/src/local/jobs-runtime';
import { changesCalls } from './lib/changes-calls';
import { importThroughApi } from './lib/csv-import';
import { alternatingBlocks, type SideTotals } from './lib/alternating';
import { seedOwnerAndBudget, startMeteredSystem, type MeteredSystem } from './lib/metered-system';
import { dynamoDbLocalCpuMs, dynamoDbLocalCpuReader, ownCpuMs } from './lib/process-cpu';
import { median } from './lib/stats';
import { formatTable } from './lib/table';
import { atLeast, type BenchSuite, type SuiteReport } from './suite';

const IMPORT_ROWS = 5_000;
/** Measured rounds of import and floor (see importBench). */
const ROUNDS = Number(process.env.BENCH_IMPORT_ROUNDS ?? 3);
/** Unmeasured imports before them (see warmUpBoth). */
const WARM_UP_IMPORTS = Number(process.env.BENCH_IMPORT_WARM_UPS ?? 2);
const ROUND_MS = Number(process.env.BENCH_CHANGES_ROUND_MS ?? 3_000);
/** Rounds of GET /changes and its floor, and calls per block (see changesBench). */
const CHANGES_ROUNDS = Number(process.env.BENCH_CHANGES_ROUNDS ?? 8);
const CHANGES_BLOCK = Number(process.env.BENCH_CHANGES_BLOCK ?? 10);
/**
 * Unmeasured alternating blocks first. DynamoDB Local's JIT keeps settling on these reads for
 * tens of seconds (ab-changes-together.ts, fresh DynamoDB Local: the app's calls cost its java
 * 8-12 ms each in the first 10 s, 5-6 ms after a minute; the floor's Query 5-7, then 3-4), and
 * the app's two BatchGetItems pay more of that than the floor's one Query.
 */
const CHANGES_WARM_MS = Number(process.env.BENCH_CHANGES_WARM_MS ?? 20_000);

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
    /** Each measured round's import and floor, rows/s. */
    rounds: { importRowsPerSecond: number; floorRowsPerSecond: number; transactionFloorRowsPerSecond: number }[];
    /**
     * The same items written with TransactWriteItems (99 per transaction, each `attribute_not_exists(pk)`,
     * 4 writers as the import's 4 totals lanes): rows/s, its ratio to the BatchWriteItem floor
     * (median of the rounds' ratios), DynamoDB Local's CPU per row; and the import over it.
     */
    transactionFloor: { rowsPerSecond: number; ratioToRaw: number; dynamoDbLocalMsPerRow: number };
    ratioToTransactionFloor: number;
    /** CPU ms per row, medians over the rounds: this process (the app; the floor's client) and DynamoDB Local's java. */
    cpu: { appMsPerRow: number; appDynamoDbLocalMsPerRow: number; floorClientMsPerRow: number; floorDynamoDbLocalMsPerRow: number };
    /** The unmeasured first runs (see warmUpBoth). */
    warmUp: { importRowsPerSecond: number; floorRowsPerSecond: number; importDynamoDbLocalCpuMsPerRow: number };
  };
  changes: {
    callsPerSecond: number;
    rawPerSecond: number;
    ratioToRaw: number;
    /** Each round's ratio (app calls/s over the floor's, alternating in blocks within the round). */
    rounds: number[];
    /** CPU ms per call, medians over the rounds: this process (the app; the floor's client) and DynamoDB Local's java. */
    cpu: { appMsPerCall: number; appDynamoDbLocalMsPerCall: number; floorClientMsPerCall: number; floorDynamoDbLocalMsPerCall: number };
  };
}


/**
 * The whole file in one POST (202 + Location), then GET of the import resource until it has
 * succeeded: the rows go in through the job (chunks on the local work queue, worked as
 * separate deliveries, as SQS + Lambda would). Rows per second of wall time from the POST to
 * the finished import.
 *
 * After the warm-up, ROUNDS rounds of one import and one floor run, alternating which goes
 * first; the figures are medians over the rounds (the ratio: the median of each round's
 * ratio). With the CPU each side cost per row: this process's (the app, or the floor's
 * client), and DynamoDB Local's (its java process), which on a shared machine are steadier
 * than wall time.
 */
async function importBench(s: MeteredSystem, token: string, budgetId: string) {
  const warmUp = await warmUpBoth(s, token);
  // The floor writes the warm-up import's items (the same shapes and count as every round's).
  const stored = warmUp.stored;
  const rounds: { app: Measured; floor: Measured; tx: Measured }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const target = round === 0 ? budgetId : await newBudget(s, token, `Round ${round + 1}`);
    const floor = () => measured(s, IMPORT_ROWS, () => batchWrite(s, stored.map((i) => renamed(i, `raw${round}#`))));
    const tx = () => measured(s, IMPORT_ROWS, () => transactWrite(s, stored.map((i) => renamed(i, `tx${round}#`))));
    const app = () => measured(s, 0, () => importOnce(s, token, target, round * IMPORT_ROWS));
    // The three sides in a different order each round (who runs first meets another load).
    const sides = { app, floor, tx };
    const order = (['app', 'floor', 'tx'] as const).map((_, i, names) => names[(i + round) % 3]!);
    const runs: Partial<Record<keyof typeof sides, Measured>> = {};
    for (const side of order) runs[side] = await sides[side]();
    rounds.push({ app: runs.app!, floor: runs.floor!, tx: runs.tx! });
  }
  const expensesOnly = stored.filter((i) => i.kind === 'expense').map((i) => renamed(i, 'raw2#'));
  const rawExpenseSeconds = await batchWrite(s, expensesOnly);
  const rowsPerSecond = median(rounds.map((r) => r.app.rowsPerSecond));
  const rawExpenseRowsPerSecond = IMPORT_ROWS / rawExpenseSeconds;
  return {
    rows: IMPORT_ROWS,
    imported: Math.min(...rounds.map((r) => r.app.rows)),
    seconds: median(rounds.map((r) => r.app.seconds)),
    rowsPerSecond,
    rawRowsPerSecond: median(rounds.map((r) => r.floor.rowsPerSecond)),
    ratioToRaw: median(rounds.map((r) => r.app.rowsPerSecond / r.floor.rowsPerSecond)),
    rounds: rounds.map((r) => ({ importRowsPerSecond: r.app.rowsPerSecond, floorRowsPerSecond: r.floor.rowsPerSecond, transactionFloorRowsPerSecond: r.tx.rowsPerSecond })),
    transactionFloor: {
      rowsPerSecond: median(rounds.map((r) => r.tx.rowsPerSecond)),
      ratioToRaw: median(rounds.map((r) => r.tx.rowsPerSecond / r.floor.rowsPerSecond)),
      dynamoDbLocalMsPerRow: median(rounds.map((r) => r.tx.dynamoDbLocalCpuMsPerRow)),
    },
    ratioToTransactionFloor: median(rounds.map((r) => r.app.rowsPerSecond / r.tx.rowsPerSecond)),
    cpu: {
      appMsPerRow: median(rounds.map((r) => r.app.ownCpuMsPerRow)),
      appDynamoDbLocalMsPerRow: median(rounds.map((r) => r.app.dynamoDbLocalCpuMsPerRow)),
      floorClientMsPerRow: median(rounds.map((r) => r.floor.ownCpuMsPerRow)),
      floorDynamoDbLocalMsPerRow: median(rounds.map((r) => r.floor.dynamoDbLocalCpuMsPerRow)),
    },
    itemsPerRow: stored.length / IMPORT_ROWS,
    rawExpenseRowsPerSecond,
    ratioToRawExpenseItems: rowsPerSecond / rawExpenseRowsPerSecond,
    requests: median(rounds.map((r) => r.app.requests)),
    warmUp: { importRowsPerSecond: warmUp.importRowsPerSecond, floorRowsPerSecond: warmUp.floorRowsPerSecond, importDynamoDbLocalCpuMsPerRow: warmUp.importDynamoDbLocalCpuMsPerRow },
  };
}

interface Measured {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  requests: number;
  ownCpuMsPerRow: number;
  dynamoDbLocalCpuMsPerRow: number;
}

/** One run of `work` (an import, or a floor of `rows` rows), its wall time and the CPU both processes spent per row. */
async function measured(s: MeteredSystem, rows: number, work: () => Promise<number | { imported: number; requests: number }>): Promise<Measured> {
  const java = dynamoDbLocalCpuMs(s.endpoint);
  const own = process.cpuUsage();
  const started = performance.now();
  const out = await work();
  const seconds = (performance.now() - started) / 1000;
  const done = typeof out === 'number' ? rows : out.imported;
  return {
    rows: done,
    seconds,
    rowsPerSecond: done / seconds,
    requests: typeof out === 'number' ? 0 : out.requests,
    ownCpuMsPerRow: ownCpuMs(own) / done,
    dynamoDbLocalCpuMsPerRow: (dynamoDbLocalCpuMs(s.endpoint) - java) / done,
  };
}

async function newBudget(s: MeteredSystem, token: string, name: string): Promise<string> {
  const budget = await s.request('POST', '/v1/budgets', token, { name, currency: 'USD', limit: 5_000_000, categories: [{ name: 'Groceries' }] });
  return String(budget.json!.id);
}

/**
 * DynamoDB Local is a JVM: its JIT warms up over the first thousands of writes, and whichever
 * of import and floor runs first pays for that. DynamoDB itself has no such warm-up. Measured
 * (profile-import.ts, java CPU per imported row): 5.8-7.1 ms for the first import into a fresh
 * DynamoDB Local, 2.7-3.3 for the second, 2.0-2.8 from the third on; the floor 1.2-1.9. One
 * warm-up import left the measured import (the JVM's second) paying about a third more than
 * the floor that ran after it, so WARM_UP_IMPORTS imports (and a floor) run unmeasured first,
 * on budgets of their own with other rows; the first import's figures are kept as `warmUp`
 * (what a fresh DynamoDB Local shows).
 */
async function warmUpBoth(s: MeteredSystem, token: string) {
  let first: Measured | undefined;
  let stored: StoredItem[] = [];
  for (let n = 0; n < WARM_UP_IMPORTS; n++) {
    const budgetId = await newBudget(s, token, `Warm-up ${n + 1}`);
    const run = await measured(s, 0, () => importOnce(s, token, budgetId, 100_000 * (n + 1)));
    first ??= run;
    stored = await storedImportItems(s, budgetId);
  }
  const floorSeconds = await batchWrite(s, stored.map((i) => renamed(i, 'warm#')));
  return {
    importRowsPerSecond: first!.rowsPerSecond,
    importDynamoDbLocalCpuMsPerRow: first!.dynamoDbLocalCpuMsPerRow,
    floorRowsPerSecond: IMPORT_ROWS / floorSeconds,
    stored,
  };
}

/** One import of IMPORT_ROWS rows (row numbers from `offset`) until it has succeeded. */
const importOnce = (s: MeteredSystem, token: string, budgetId: string, offset: number, rows = IMPORT_ROWS) =>
  importThroughApi(s, token, budgetId, rows, offset);

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

/**
 * The same items with TransactWriteItems, 99 per transaction (the import's batches are 96-100
 * items), each Put conditioned `attribute_not_exists(pk)` (the import's markers and expenses
 * are), 4 writers (the import's 4 totals lanes); no totals, counters or checks. Seconds of wall
 * time. On DynamoDB Local this is 0.43-0.54 of BatchWriteItem of the same items, and 1 writer is
 * as fast as 4 (bench/HISTORY.md#import-the-transactional-floor-lead-2026-12-01): the floor an import that
 * keeps its rows in transactions cannot pass.
 */
async function transactWrite(s: MeteredSystem, items: StoredItem[]): Promise<number> {
  const started = performance.now();
  const batches: StoredItem[][] = [];
  for (let i = 0; i < items.length; i += 99) batches.push(items.slice(i, i + 99));
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        await s.doc.send(
          new TransactWriteCommand({ TransactItems: batch.map((Item) => ({ Put: { TableName: s.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } })) }),
        );
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/**
 * GET /changes against one Query (see changes-calls.ts): CHANGES_ROUNDS rounds in which the app
 * and the floor alternate in blocks of CHANGES_BLOCK calls (A B, B A, ...) for 2 x ROUND_MS,
 * after CHANGES_WARM_MS of the same unmeasured (both sides' JIT, and DynamoDB Local's). A
 * round's ratio is the app's calls per second over the floor's in that round; the figure is
 * the median of the rounds' ratios.
 * Before 2026-11-30 each side ran alone for a whole round, the app warmed up and the floor not,
 * and the ratio was of the two sides' separate medians: on a machine shared with other work a
 * few seconds apart can be a different load, and single runs gave 0.45-0.57 (rounds 0.37-1.31
 * under load). Also the CPU per call of this process (the app in-process; the floor's client)
 * and of DynamoDB Local.
 */
async function changesBench(s: MeteredSystem, token: string, budgetId: string) {
  const { appCall, rawCall } = await changesCalls(s, token, budgetId);
  const options = { ms: 2 * ROUND_MS, block: CHANGES_BLOCK, dynamoDbLocalCpu: dynamoDbLocalCpuReader(s.endpoint) };
  await alternatingBlocks(appCall, rawCall, { ...options, ms: CHANGES_WARM_MS });
  const rounds: { app: SideTotals; floor: SideTotals }[] = [];
  for (let round = 0; round < CHANGES_ROUNDS; round++) {
    const { a, b } = await alternatingBlocks(appCall, rawCall, options);
    rounds.push({ app: a, floor: b });
  }
  const perSecond = (t: SideTotals) => t.calls / (t.ms / 1000);
  const ratios = rounds.map((r) => perSecond(r.app) / perSecond(r.floor));
  const perCall = (pick: (r: { app: SideTotals; floor: SideTotals }) => SideTotals, f: (t: SideTotals) => number) => median(rounds.map((r) => f(pick(r)) / pick(r).calls));
  return {
    callsPerSecond: median(rounds.map((r) => perSecond(r.app))),
    rawPerSecond: median(rounds.map((r) => perSecond(r.floor))),
    ratioToRaw: median(ratios),
    rounds: ratios,
    cpu: {
      appMsPerCall: perCall((r) => r.app, (t) => t.cpuMs),
      appDynamoDbLocalMsPerCall: perCall((r) => r.app, (t) => t.dynamoDbLocalCpuMs),
      floorClientMsPerCall: perCall((r) => r.floor, (t) => t.cpuMs),
      floorDynamoDbLocalMsPerCall: perCall((r) => r.floor, (t) => t.dynamoDbLocalCpuMs),
    },
  };
}

/** `--changes-only`: the rows imported first, unmeasured (the floor reads 100 change entries). */
const CHANGES_ONLY_ROWS = 500;

/** Only the changes part (see `--changes-only`). */
export async function changesOnlyBench(): Promise<ImportChangesResult['changes']> {
  const jobs = localJobQueue({ dataDir: mkdtempSync(join(tmpdir(), 'bench-jobs-')), logger: createLogger('SILENT') });
  const s = await startMeteredSystem(undefined, { jobs: { transport: jobs.transport } });
  try {
    const { token, budgetId } = await seedOwnerAndBudget(s);
    await importOnce(s, token, budgetId, 0, CHANGES_ONLY_ROWS);
    return await changesBench(s, token, budgetId);
  } finally {
    await s.stop();
  }
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
      ['import, rows/s', r.import.rowsPerSecond.toFixed(1), r.import.rawRowsPerSecond.toFixed(1), r.import.ratioToRaw.toFixed(2), `median of ${r.import.rounds.length} rounds (${r.import.rounds.map((x) => `${x.importRowsPerSecond.toFixed(0)}/${x.floorRowsPerSecond.toFixed(0)}`).join(', ')}); ${r.import.imported}/${r.import.rows} rows in ${r.import.seconds.toFixed(1)} s, ${r.import.requests} request(s); floor: the same ${r.import.itemsPerRow.toFixed(1)} items/row`],
      ['import vs the same items transactionally', r.import.rowsPerSecond.toFixed(1), r.import.transactionFloor.rowsPerSecond.toFixed(1), r.import.ratioToTransactionFloor.toFixed(2), `floor: the same items, TransactWriteItems of 99, 4 writers (${r.import.rounds.map((x) => x.transactionFloorRowsPerSecond.toFixed(0)).join(', ')}); it is ${r.import.transactionFloor.ratioToRaw.toFixed(2)} of BatchWriteItem's, DynamoDB Local ${r.import.transactionFloor.dynamoDbLocalMsPerRow.toFixed(2)} CPU ms/row`],
      ['import, CPU ms/row: this process', r.import.cpu.appMsPerRow.toFixed(3), r.import.cpu.floorClientMsPerRow.toFixed(3), '', 'the app (parse, build, SDK) / the floor\'s client'],
      ['import, CPU ms/row: DynamoDB Local', r.import.cpu.appDynamoDbLocalMsPerRow.toFixed(3), r.import.cpu.floorDynamoDbLocalMsPerRow.toFixed(3), (r.import.cpu.floorDynamoDbLocalMsPerRow / r.import.cpu.appDynamoDbLocalMsPerRow).toFixed(2), 'its java process; on a busy machine steadier than rows/s'],
      ['import, first run (JVM cold)', r.import.warmUp.importRowsPerSecond.toFixed(1), r.import.warmUp.floorRowsPerSecond.toFixed(1), '', `unmeasured warm-up on a fresh DynamoDB Local (its CPU ${r.import.warmUp.importDynamoDbLocalCpuMsPerRow.toFixed(2)} ms/row); floor after the warm-up imports`],
      ['import vs expense items only', r.import.rowsPerSecond.toFixed(1), r.import.rawExpenseRowsPerSecond.toFixed(1), r.import.ratioToRawExpenseItems.toFixed(2), 'floor: only the expense items'],
      ['GET /changes, calls/s', r.changes.callsPerSecond.toFixed(1), r.changes.rawPerSecond.toFixed(1), r.changes.ratioToRaw.toFixed(2), `20 changes since the token; floor: one Query; median of the rounds' ratios (${r.changes.rounds.map((x) => x.toFixed(2)).join(', ')})`],
      ['GET /changes, CPU ms/call: this process', r.changes.cpu.appMsPerCall.toFixed(2), r.changes.cpu.floorClientMsPerCall.toFixed(2), '', 'the app in-process / the floor\'s client'],
      ['GET /changes, CPU ms/call: DynamoDB Local', r.changes.cpu.appDynamoDbLocalMsPerCall.toFixed(2), r.changes.cpu.floorDynamoDbLocalMsPerCall.toFixed(2), '', 'its java process'],
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
        'import.rows5000.warmUp.importDynamoDbLocalCpuMsPerRow': r.import.warmUp.importDynamoDbLocalCpuMsPerRow,
        'import.rows5000.rawRowsPerSecond': r.import.rawRowsPerSecond,
        'import.rows5000.cpu.appMsPerRow': r.import.cpu.appMsPerRow,
        'import.rows5000.cpu.appDynamoDbLocalMsPerRow': r.import.cpu.appDynamoDbLocalMsPerRow,
        'import.rows5000.cpu.floorClientMsPerRow': r.import.cpu.floorClientMsPerRow,
        'import.rows5000.cpu.floorDynamoDbLocalMsPerRow': r.import.cpu.floorDynamoDbLocalMsPerRow,
        'import.rows5000.warmUp.floorRowsPerSecond': r.import.warmUp.floorRowsPerSecond,
        'import.rows5000.transactionFloor.rowsPerSecond': r.import.transactionFloor.rowsPerSecond,
        'import.rows5000.transactionFloor.ratioToRaw': r.import.transactionFloor.ratioToRaw,
        'import.rows5000.transactionFloor.dynamoDbLocalMsPerRow': r.import.transactionFloor.dynamoDbLocalMsPerRow,
        'import.rows5000.ratioToTransactionFloor': r.import.ratioToTransactionFloor,
        'changes.ratioToRaw': r.changes.ratioToRaw,
        'changes.callsPerSecond': r.changes.callsPerSecond,
        'changes.rawPerSecond': r.changes.rawPerSecond,
        'changes.cpu.appMsPerCall': r.changes.cpu.appMsPerCall,
        'changes.cpu.appDynamoDbLocalMsPerCall': r.changes.cpu.appDynamoDbLocalMsPerCall,
        'changes.cpu.floorClientMsPerCall': r.changes.cpu.floorClientMsPerCall,
        'changes.cpu.floorDynamoDbLocalMsPerCall': r.changes.cpu.floorDynamoDbLocalMsPerCall,
      },
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--changes-only')) {
    const c = await changesOnlyBench();
    console.log(`GET /changes ${c.callsPerSecond.toFixed(1)} calls/s, floor ${c.rawPerSecond.toFixed(1)}: ratio ${c.ratioToRaw.toFixed(3)} (rounds ${c.rounds.map((x) => x.toFixed(2)).join(', ')})`);
    console.log(`CPU ms/call: app ${c.cpu.appMsPerCall.toFixed(2)} (DynamoDB Local ${c.cpu.appDynamoDbLocalMsPerCall.toFixed(2)}), floor ${c.cpu.floorClientMsPerCall.toFixed(2)} (DynamoDB Local ${c.cpu.floorDynamoDbLocalMsPerCall.toFixed(2)})`);
  } else {
    console.log(formatImportChanges(await importChangesBench()));
  }
}
