/**
 * A/B of cold first GET summaries: several already built app bundles (e.g. main's and this
 * branch's) and the baseline, interleaved fresh processes against one DynamoDB Local; prints
 * median and minimum wall and CPU ms per bundle. For trying a change before a full bench run.
 *   npx tsx bench/ab-cold-summary.ts <runs> name=/path/to/handler.mjs ...
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { BASELINE_ENTRY } from './bundle';
import { buildBundle, repoRoot } from './lib/bundles';
import { COLD_START_ENV, HTTP_EVENT } from './lib/cold-start';
import { BENCH_SIGNING_KEY, seedOwnerAndBudget, startMeteredSystem } from './lib/metered-system';
import { median } from './lib/stats';

const run = promisify(execFile);
const PROBE = join(repoRoot, 'bench/lib/probe-request.mjs');
const runs = Number(process.argv[2] ?? 9);
const apps = process.argv.slice(3).map((a) => a.split('=') as [string, string]);
const baseline = await buildBundle('baseline', BASELINE_ENTRY);
const s = await startMeteredSystem();
try {
  const { budgetId, token } = await seedOwnerAndBudget(s);
  await s.request('POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 1234, occurredOn: '2026-11-03' });
  await s.doc.send(new PutCommand({ TableName: s.tableName, Item: { pk: 'hello', sk: 'hello' } }));
  const env = { ...COLD_START_ENV, TABLE_NAME: s.tableName, DYNAMODB_ENDPOINT: s.endpoint, AWS_ENDPOINT_URL_DYNAMODB: s.endpoint, TOKEN_SIGNING_KEY: BENCH_SIGNING_KEY };
  const probes: [string, string[]][] = [
    ...apps.map(([name, entry]) => [name, [entry, HTTP_EVENT, 'GET', `/v1/budgets/${budgetId}/summary?date=2026-11-24`, token]] as [string, string[]]),
    ['baseline', [baseline.entry, HTTP_EVENT, 'GET', '/items/hello']],
  ];
  const probe = async (args: string[]) => JSON.parse((await run(process.execPath, [PROBE, ...args], { env, cwd: repoRoot })).stdout) as { firstResponseMs: number; firstResponseCpuMs: number };
  for (const [, args] of probes) await probe(args);
  const samples = new Map(probes.map(([n]) => [n, [] as { firstResponseMs: number; firstResponseCpuMs: number }[]]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? probes : [...probes].reverse();
    for (const [name, args] of order) samples.get(name)!.push(await probe(args));
  }
  for (const [name, xs] of samples) {
    const wall = xs.map((x) => x.firstResponseMs);
    const cpu = xs.map((x) => x.firstResponseCpuMs);
    console.log(`${name.padEnd(10)} wall median ${median(wall).toFixed(1)} min ${Math.min(...wall).toFixed(1)}   cpu median ${median(cpu).toFixed(1)} min ${Math.min(...cpu).toFixed(1)}`);
  }
} finally {
  await s.stop();
}
