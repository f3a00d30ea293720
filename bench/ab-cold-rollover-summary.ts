/**
 * A/B of cold first GET summaries of a ROLLOVER budget (feat/summaryreads): like
 * ab-cold-summary.ts, but the budget was created in June with rollover on and has spending in
 * every month since, so its November summary reads this period's totals and everything before
 * it (the request the change merged). ab-cold-summary.ts's budget has no rollover, so its
 * summary never had that second totals read. Interleaved fresh processes per round (each
 * bundle, then the baseline; reversed every other round); prints median wall and CPU ms per
 * bundle and the median of the per-round CPU ratios of each bundle over the first one.
 *   npx tsx bench/ab-cold-rollover-summary.ts <runs> [--trace] old=/path/to/old/handler.mjs new=dist/lambda/handler.mjs
 * `--trace`: then one probe per bundle under lib/trace-cold-requests.mjs (each DynamoDB request
 * with its wall and CPU ms), which shows the requests each bundle's summary sends.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { LAMBDA_NODE } from './lib/lambda-node';
import { BASELINE_ENTRY } from './bundle';
import { buildBundle, repoRoot } from './lib/bundles';
import { COLD_START_ENV, HTTP_EVENT } from './lib/cold-start';
import { BENCH_SIGNING_KEY, startMeteredSystem } from './lib/metered-system';
import { interleavedProbes } from './lib/interleaved-probes';
import { median } from './lib/stats';

const run = promisify(execFile);
const PROBE = join(repoRoot, 'bench/lib/probe-request.mjs');
const TRACE = join(repoRoot, 'bench/lib/trace-cold-requests.mjs');
const runs = Number(process.argv[2] ?? 9);
const apps = process.argv
  .slice(3)
  .filter((a) => !a.startsWith('--'))
  .map((a) => a.split('=') as [string, string]);
if (apps.length === 0) throw new Error('usage: ab-cold-rollover-summary.ts <runs> name=/path/handler.mjs ...');
const baseline = await buildBundle('baseline', BASELINE_ENTRY);

const clock = fixedClock('2026-06-01T09:00:00Z');
const s = await startMeteredSystem(clock);
try {
  const signup = await s.request('POST', '/v1/auth/signup', undefined, { email: 'rollover@example.com', password: 'correct horse battery staple' });
  const userId = String(signup.json!.user.id);
  const budget = await s.request('POST', '/v1/budgets', String(signup.json!.tokens.accessToken), {
    name: 'Bench rollover',
    currency: 'USD',
    limit: 5_000_000,
    rollover: true,
    categories: [{ name: 'Groceries', limit: 600_000 }, { name: 'Transport' }],
  });
  const budgetId = String(budget.json!.id);
  // The probes run on the real clock: sign their token now.
  clock.set(new Date().toISOString());
  const token = await s.system.deps.tokens.sign({ userId });
  for (let month = 6; month <= 11; month++) {
    const occurredOn = `2026-${String(month).padStart(2, '0')}-${month === 11 ? '03' : '28'}`;
    const res = await s.request('POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 1000 + month, occurredOn });
    if (res.status !== 201) throw new Error(`seed: ${res.status}`);
  }
  await s.doc.send(new PutCommand({ TableName: s.tableName, Item: { pk: 'hello', sk: 'hello' } }));
  const env = { ...COLD_START_ENV, TABLE_NAME: s.tableName, DYNAMODB_ENDPOINT: s.endpoint, AWS_ENDPOINT_URL_DYNAMODB: s.endpoint, TOKEN_SIGNING_KEY: BENCH_SIGNING_KEY };
  const summaryPath = `/v1/budgets/${budgetId}/summary?date=2026-11-24`;

  const probes: [string, string[]][] = [
    ...apps.map(([name, entry]) => [name, [entry, HTTP_EVENT, 'GET', summaryPath, token]] as [string, string[]]),
    ['baseline', [baseline.entry, HTTP_EVENT, 'GET', '/items/hello']],
  ];
  const samples = await interleavedProbes(probes, runs, env);
  const first = samples.get(apps[0]![0])!;
  for (const [name, xs] of samples) {
    if (name === apps[0]![0]) continue;
    const cpu = xs.map((x, i) => x.firstResponseCpuMs / first[i]!.firstResponseCpuMs);
    const wall = xs.map((x, i) => x.firstResponseMs / first[i]!.firstResponseMs);
    console.log(`${name.padEnd(10)} over ${apps[0]![0]}, median of per-round ratios: cpu ${median(cpu).toFixed(3)}x  wall ${median(wall).toFixed(3)}x`);
  }
  if (process.argv.includes('--trace')) {
    for (const [name, args] of probes) {
      const { stderr } = await run(LAMBDA_NODE, ['--import', TRACE, PROBE, ...args], { env, cwd: repoRoot });
      console.log(`${name}:\n${stderr}`);
    }
  }
} finally {
  await s.stop();
}
