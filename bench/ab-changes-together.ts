/**
 * A/B of GET /changes between checkouts of this repository IN ONE PROCESS: each checkout's
 * whole system (its packages/app/src/system.ts, with its own DynamoDB client) on one table of
 * one DynamoDB Local, serving GET /changes alike (same user; each its own budget, written by
 * that checkout, with the same rows, then a token and 20 new changes), and
 * the floor (one Query), all three alternating in blocks of BLOCK calls (rotating which goes
 * first) for ROUNDS rounds of ROUND_MS. On a machine shared with other work, whole processes
 * run one after the other meet different loads; here every side sees the same
 * moments. What they share: the heap (a GC one side's garbage causes can land in the other's
 * block, which narrows a difference rather than widening it) and the libraries' JIT.
 * Per side: calls/s, this process's CPU ms per call, DynamoDB Local's CPU ms per call, and the
 * ratio to the floor (each round's calls/s over the floor's; medians over the rounds).
 *
 * `[ROWS=150] [ROUNDS=6] [ROUND_MS=9000] [BLOCK=10] npx tsx bench/ab-changes-together.ts base=/path/to/checkout new=/path/to/other`
 * (a checkout needs node_modules whose @budgeting/* point at its own packages).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '@budgeting/platform';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureTable, localClient, startDynamoDbLocal } from '../packages/app/src/local/dynamodb-local';
import { appRequest, type InProcessApp } from './lib/app-request';
import { csvOfRows } from './lib/csv-import';
import { benchConfig } from './lib/metered-system';
import { dynamoDbLocalCpuReader, ownCpuMs } from './lib/process-cpu';
import { median } from './lib/stats';

const ROWS = Number(process.env.ROWS ?? 150);
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const ROUND_MS = Number(process.env.ROUND_MS ?? 9_000);
/** Unmeasured first: a fresh DynamoDB Local's JIT takes tens of seconds to settle on these reads. */
const WARM_MS = Number(process.env.WARM_MS ?? 30_000);
const BLOCK = Number(process.env.BLOCK ?? 10);
const NEW_CHANGES = 20;


const checkouts = process.argv.slice(2).map((s) => {
  const [name, dir] = s.split('=') as [string, string];
  return { name, dir };
});
if (checkouts.length < 1) throw new Error('usage: ab-changes-together.ts name=/dir [name2=/dir2 ...]');

const call = async (app: InProcessApp, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) =>
  (await appRequest(app, method, path, token, body, headers)).json ?? {};

const local = await startDynamoDbLocal();
const tableName = `ab-${Date.now().toString(36)}`;
await ensureTable(localClient(local.endpoint), tableName);
const config = benchConfig(tableName, local.endpoint);
const apps: { name: string; app: InProcessApp }[] = [];
for (const c of checkouts) {
  const mod = (await import(pathToFileURL(join(c.dir, 'packages/app/src/system.ts')).href)) as { createSystem: (o: object) => { app: InProcessApp } };
  const { doc } = createDynamoClients({ region: 'us-east-1', endpoint: local.endpoint });
  apps.push({ name: c.name, app: mod.createSystem({ config, doc }).app });
}
const { doc } = createDynamoClients({ region: 'us-east-1', endpoint: local.endpoint });
try {
  const first = apps[0]!.app;
  const signup = await call(first, 'POST', '/v1/auth/signup', undefined, { email: 'ab@example.com', password: 'correct horse battery staple' });
  const token = String(signup.tokens.accessToken);
  // Each checkout writes its own budget (same rows, same changes): what it reads is in the
  // format it writes.
  const setUp = async (app: InProcessApp) => {
    const budget = await call(app, 'POST', '/v1/budgets', token, { name: 'AB', currency: 'USD', limit: 5_000_000, categories: [{ name: 'Groceries' }] });
    const budgetId = String(budget.id);
    await call(app, 'POST', `/v1/budgets/${budgetId}/expenses/import`, token, csvOfRows(ROWS, 0), { prefer: 'wait=60' });
    const path = `/v1/budgets/${budgetId}/changes`;
    let page = await call(app, 'GET', `${path}?limit=500`, token);
    while (page.hasMore) page = await call(app, 'GET', `${path}?limit=500&since=${encodeURIComponent(String(page.serverKnowledge))}`, token);
    for (let i = 0; i < NEW_CHANGES; i++) await call(app, 'POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 10 + i, occurredOn: '2026-11-05' });
    return { budgetId, url: `${path}?limit=100&since=${encodeURIComponent(String(page.serverKnowledge))}` };
  };
  const budgets: { budgetId: string; url: string }[] = [];
  for (const a of apps) budgets.push(await setUp(a.app));
  const budgetId = budgets[0]!.budgetId;

  const sides = [
    {
      name: 'floor',
      call: async () => {
        await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `expenses#changes#${budgetId}` }, ConsistentRead: true, Limit: 100 }));
      },
    },
    ...apps.map((a, i) => ({
      name: a.name,
      call: async () => {
        const body = await call(a.app, 'GET', budgets[i]!.url, token);
        if (body.expenses.length !== NEW_CHANGES) throw new Error(`${a.name}: ${body.expenses.length} expenses`);
      },
    })),
  ];
  const java = dynamoDbLocalCpuReader(local.endpoint);
  type Totals = { calls: number; ms: number; cpuMs: number; javaMs: number };
  const round = async (ms: number): Promise<Totals[]> => {
    const totals = sides.map(() => ({ calls: 0, ms: 0, cpuMs: 0, javaMs: 0 }));
    const started = performance.now();
    for (let step = 0; performance.now() - started < ms; step++) {
      for (let k = 0; k < sides.length; k++) {
        const i = (step + k) % sides.length;
        const j0 = java();
        const own = process.cpuUsage();
        const t0 = performance.now();
        for (let n = 0; n < BLOCK; n++) await sides[i]!.call();
        totals[i]!.ms += performance.now() - t0;
        totals[i]!.cpuMs += ownCpuMs(own);
        totals[i]!.javaMs += java() - j0;
        totals[i]!.calls += BLOCK;
      }
    }
    return totals;
  };
  await round(WARM_MS); // warm-up (JIT of both processes)
  const rounds: Totals[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const totals = await round(ROUND_MS);
    rounds.push(totals);
    console.log(`round ${r + 1}: ${sides.map((s, i) => `${s.name} ${(totals[i]!.calls / (totals[i]!.ms / 1000)).toFixed(1)}/s cpu ${(totals[i]!.cpuMs / totals[i]!.calls).toFixed(2)} java ${(totals[i]!.javaMs / totals[i]!.calls).toFixed(2)}`).join(' | ')}`);
  }
  const rate = (t: { calls: number; ms: number }) => t.calls / (t.ms / 1000);
  console.log('\nmedians over the rounds: calls/s, CPU ms/call (this process), DynamoDB Local CPU ms/call, ratio to the floor');
  sides.forEach((s, i) => {
    const m = (f: (t: Totals, r: Totals[]) => number) => median(rounds.map((r) => f(r[i]!, r)));
    console.log(
      `${s.name.padEnd(8)} ${m((t) => rate(t)).toFixed(1).padStart(7)} ${m((t) => t.cpuMs / t.calls).toFixed(2).padStart(7)} ${m((t) => t.javaMs / t.calls).toFixed(2).padStart(7)} ${m((t, r) => rate(t) / rate(r[0]!)).toFixed(3).padStart(7)}`,
    );
  });
} finally {
  doc.destroy();
  await local.stop();
}
