/**
 * POST expense throughput over HTTP against its floor (issue 11): the app served as `npm start`
 * serves it (bench/lib/serve-app.ts) and a bare node:http server doing one two-item
 * TransactWriteItems per request (bench/lib/serve-raw.ts), each in a process of its own, both
 * on one DynamoDB Local, loaded by autocannon at 1, 8 and 32 connections, interleaved (raw,
 * same-items, app, then app, same-items, raw ...) so a slow moment of the machine hits all alike.
 *
 * A second floor (bench/lib/serve-same-items.ts) is the same bare server writing, in one
 * TransactWriteItems, the app's own six items (same kinds, keys, indexes and sizes: see
 * bench/lib/same-items.ts). It splits the ratio to raw in two: app / same-items floor
 * (`ratioToSameItems`) is what the app's own code costs, same-items floor / raw
 * (`http.sameItemsFloor.c<n>.ratioToRaw`) is what DynamoDB Local's work on the items costs.
 *
 * Standalone: `npx tsx bench/http-throughput.ts`.
 */
import { newId } from '@budgeting/platform';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { ensureTable, freePort, localClient, startDynamoDbLocal } from '../packages/app/src/local/dynamodb-local';
import { repoRoot } from './lib/bundles';
import { interleavedSides } from './lib/interleaved';
import { dynamoDbLocalCpuMs } from './lib/process-cpu';
import { median } from './lib/stats';
import { formatTable } from './lib/table';
import { atLeast, type BenchSuite, type SuiteReport } from './suite';

const CONNECTIONS = [1, 8, 32] as const;
const ROUNDS = 2;
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);

// This file's figures and settings look like import-changes.ts's to `duplicates` (lists of
// numbers and constants); they measure different things and share no code to extract.
export interface HttpRow {
  connections: number;
  appPerSecond: number;
  rawPerSecond: number;
  sameItemsPerSecond: number;
  ratioToRaw: number;
  /** app / same-items floor: the app's own code. */
  ratioToSameItems: number;
  /** same-items floor / raw: DynamoDB Local's work on the create's six items (4 written, 2 checked) against two. */
  sameItemsRatioToRaw: number;
  appErrors: number;
  sameItemsErrors: number;
  appP50Ms: number;
  rawP50Ms: number;
  sameItemsP50Ms: number;
  /** CPU ms of DynamoDB Local's java process per request served, while each side was loaded (NaN with an outside DYNAMODB_ENDPOINT). */
  dynamoCpuMs: { app: number; sameItems: number; raw: number };
}

/** Starts a bench server script (from `cwd`, default this checkout) and reads the line it prints when listening. */
export async function startServer(
  script: string,
  env: NodeJS.ProcessEnv,
  { cwd = repoRoot, nodeArgs = [] as string[] } = {},
): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd,
    env: { ...process.env, ...env, LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) as Record<string, string> };
}

async function load(url: string, connections: number, headers: Record<string, string>, body: () => string, endpoint: string) {
  const dynamoBefore = dynamoDbLocalCpuMs(endpoint);
  const result = await autocannon({
    url,
    connections,
    duration: SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    requests: [
      {
        method: 'POST',
        // A fresh Idempotency-Key and amount per request, as real clients send them.
        setupRequest: (req) => ({ ...req, body: body(), headers: { ...req.headers, 'idempotency-key': newId() } }),
      },
    ],
  });
  const dynamoCpuMs = (dynamoDbLocalCpuMs(endpoint) - dynamoBefore) / result.requests.total;
  return { perSecond: result.requests.average, errors: result.errors + result.non2xx, p50: result.latency.p50, dynamoCpuMs };
}

export async function httpThroughputBench(): Promise<HttpRow[]> {
  const local = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const tableName = `bench-http-${Date.now().toString(36)}`;
  const raw = localClient(endpoint);
  await ensureTable(raw, tableName);
  raw.destroy();
  const env = { TABLE_NAME: tableName, DYNAMODB_ENDPOINT: endpoint };
  const app = await startServer('bench/lib/serve-app.ts', { ...env, PORT: String(await freePort()) });
  const floor = await startServer('bench/lib/serve-raw.ts', { ...env, PORT: String(await freePort()) });
  const same = await startServer('bench/lib/serve-same-items.ts', { ...env, PORT: String(await freePort()) });
  try {
    let n = 0;
    const body = () => JSON.stringify({ amount: 100 + (n++ % 5000), occurredOn: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}` });
    const appUrl = `http://127.0.0.1:${app.info.port}/v1/budgets/${app.info.budgetId}/expenses`;
    const rawUrl = `http://127.0.0.1:${floor.info.port}/expenses`;
    const sameUrl = `http://127.0.0.1:${same.info.port}/expenses`;
    const appHeaders = { authorization: `Bearer ${app.info.token}` };
    // Warm-up: JIT, connection pools, the change counters' first reads.
    await load(appUrl, 8, appHeaders, body, endpoint);
    await load(rawUrl, 8, {}, body, endpoint);
    await load(sameUrl, 8, {}, body, endpoint);

    const rows: HttpRow[] = [];
    for (const connections of CONNECTIONS) {
      const runs = await interleavedSides(ROUNDS, {
        raw: () => load(rawUrl, connections, {}, body, endpoint),
        same: () => load(sameUrl, connections, {}, body, endpoint),
        app: () => load(appUrl, connections, appHeaders, body, endpoint),
      });
      const appPerSecond = median(runs.app.map((a) => a.perSecond));
      const rawPerSecond = median(runs.raw.map((r) => r.perSecond));
      const sameItemsPerSecond = median(runs.same.map((r) => r.perSecond));
      rows.push({
        connections,
        appPerSecond,
        rawPerSecond,
        sameItemsPerSecond,
        ratioToRaw: appPerSecond / rawPerSecond,
        ratioToSameItems: appPerSecond / sameItemsPerSecond,
        sameItemsRatioToRaw: sameItemsPerSecond / rawPerSecond,
        appErrors: runs.app.reduce((s, a) => s + a.errors, 0),
        sameItemsErrors: runs.same.reduce((s, a) => s + a.errors, 0),
        appP50Ms: median(runs.app.map((a) => a.p50)),
        rawP50Ms: median(runs.raw.map((r) => r.p50)),
        sameItemsP50Ms: median(runs.same.map((r) => r.p50)),
        dynamoCpuMs: {
          app: median(runs.app.map((r) => r.dynamoCpuMs)),
          sameItems: median(runs.same.map((r) => r.dynamoCpuMs)),
          raw: median(runs.raw.map((r) => r.dynamoCpuMs)),
        },
      });
    }
    return rows;
  } finally {
    app.child.kill();
    floor.child.kill();
    same.child.kill();
    await local?.stop();
  }
}

export function formatHttp(rows: HttpRow[]): string {
  return formatTable(
    ['connections', 'app req/s', 'same-items req/s', 'raw req/s', 'app/raw', 'app/same-items', 'same-items/raw', 'p50 ms app/same/raw', 'DDB Local CPU ms/req app/same/raw', 'errors app/same'],
    rows.map((r) => [
      r.connections,
      r.appPerSecond.toFixed(1),
      r.sameItemsPerSecond.toFixed(1),
      r.rawPerSecond.toFixed(1),
      r.ratioToRaw.toFixed(2),
      r.ratioToSameItems.toFixed(2),
      r.sameItemsRatioToRaw.toFixed(2),
      `${r.appP50Ms}/${r.sameItemsP50Ms}/${r.rawP50Ms}`,
      [r.dynamoCpuMs.app, r.dynamoCpuMs.sameItems, r.dynamoCpuMs.raw].map((v) => v.toFixed(1)).join('/'),
      `${r.appErrors}/${r.sameItemsErrors}`,
    ]),
  );
}

export const httpThroughputSuite: BenchSuite = {
  name: 'http',
  async run(): Promise<SuiteReport> {
    const rows = await httpThroughputBench();
    const figures: Record<string, number> = {};
    for (const r of rows) {
      figures[`http.postExpense.c${r.connections}.ratioToRaw`] = r.ratioToRaw;
      figures[`http.postExpense.c${r.connections}.requestsPerSecond`] = r.appPerSecond;
      figures[`http.postExpense.c${r.connections}.ratioToSameItems`] = r.ratioToSameItems;
      figures[`http.sameItemsFloor.c${r.connections}.ratioToRaw`] = r.sameItemsRatioToRaw;
      figures[`http.sameItemsFloor.c${r.connections}.requestsPerSecond`] = r.sameItemsPerSecond;
      figures[`http.dynamoDbLocalCpuMsPerRequest.c${r.connections}.app`] = r.dynamoCpuMs.app;
      figures[`http.dynamoDbLocalCpuMsPerRequest.c${r.connections}.sameItems`] = r.dynamoCpuMs.sameItems;
      figures[`http.dynamoDbLocalCpuMsPerRequest.c${r.connections}.raw`] = r.dynamoCpuMs.raw;
    }
    const c8 = rows.find((r) => r.connections === 8)!;
    return {
      title: 'POST expense over HTTP (autocannon) against one two-item TransactWriteItems behind node:http (raw) and the app\'s own six items behind it (same-items), interleaved',
      table: formatHttp(rows),
      targets: [atLeast('http.postExpense.c8.ratioToRaw', c8.ratioToRaw, 0.5)],
      notes: [
        `${ROUNDS} rounds of ${SECONDS} s per side and concurrency, medians. Each POST carries a fresh Idempotency-Key. ` +
          'The app process runs no event relay (write-cost.ts measures that work); the three servers share one DynamoDB Local. ' +
          'app/same-items is what the app\'s code costs; same-items/raw what DynamoDB Local\'s work on 6 items against 2 costs.',
      ],
      data: rows,
      figures,
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatHttp(await httpThroughputBench()));
}
