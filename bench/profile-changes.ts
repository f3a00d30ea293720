/**
 * GET /changes against its floor alone (the changes part of import-changes.ts, without the
 * 5,000-row import bench before it): a budget with ROWS imported rows, the client's token,
 * NEW_CHANGES new changes, then WARM_MS unmeasured, then ROUNDS rounds of ROUND_MS in which the
 * app and the floor alternate in blocks of BLOCK calls (as the bench does): per call the wall
 * ms, this process's CPU ms (the app, in-process as in the bench; or the floor's client) and
 * DynamoDB Local's java CPU ms. Prints a table, and one JSON line last (for scripts).
 *
 * `[DYNAMODB_ENDPOINT=...] [ROWS=500] [ROUNDS=6] [ROUND_MS=6000] npx tsx bench/profile-changes.ts`
 * With PROFILE_DIR=<dir>, then PROFILE_CALLS app calls alone under the inspector's CPU profiler
 * (a .cpuprofile in <dir>).
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changesCalls } from './lib/changes-calls';
import { importThroughApi } from './lib/csv-import';
import { seedOwnerAndBudget, startMeteredSystem } from './lib/metered-system';
import { alternatingBlocks, type SideTotals } from './lib/alternating';
import { dynamoDbLocalCpuReader } from './lib/process-cpu';
import { median } from './lib/stats';

const ROWS = Number(process.env.ROWS ?? 500);
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const ROUND_MS = Number(process.env.ROUND_MS ?? 6_000);
const BLOCK = Number(process.env.BLOCK ?? 10);
const WARM_MS = Number(process.env.WARM_MS ?? 4_000);
const PROFILE_CALLS = Number(process.env.PROFILE_CALLS ?? 1_000);

interface PerCall {
  wallMs: number;
  cpuMs: number;
  javaMs: number;
}

const perCall = (t: SideTotals): PerCall => ({ wallMs: t.ms / t.calls, cpuMs: t.cpuMs / t.calls, javaMs: t.dynamoDbLocalCpuMs / t.calls });

const s = await startMeteredSystem();
try {
  const { token, budgetId } = await seedOwnerAndBudget(s);
  if (ROWS > 0) await importThroughApi(s, token, budgetId, ROWS, 0);
  const { appCall, rawCall } = await changesCalls(s, token, budgetId);
  const options = { block: BLOCK, dynamoDbLocalCpu: dynamoDbLocalCpuReader(s.endpoint) };
  await alternatingBlocks(appCall, rawCall, { ...options, ms: WARM_MS });
  const app: PerCall[] = [];
  const raw: PerCall[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { a, b } = await alternatingBlocks(appCall, rawCall, { ...options, ms: ROUND_MS });
    app.push(perCall(a));
    raw.push(perCall(b));
  }
  if (process.env.PROFILE_DIR) {
    // The app's calls alone, after the measured rounds.
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    for (let i = 0; i < PROFILE_CALLS; i++) await appCall();
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(process.env.PROFILE_DIR, { recursive: true });
    writeFileSync(join(process.env.PROFILE_DIR, `changes-app-${process.pid}.cpuprofile`), JSON.stringify(profile));
  }
  const med = (xs: PerCall[], k: keyof PerCall) => median(xs.map((x) => x[k]));
  const ratios = app.map((a, i) => raw[i]!.wallMs / a.wallMs);
  const out = {
    app: { wallMs: med(app, 'wallMs'), cpuMs: med(app, 'cpuMs'), javaMs: med(app, 'javaMs') },
    raw: { wallMs: med(raw, 'wallMs'), cpuMs: med(raw, 'cpuMs'), javaMs: med(raw, 'javaMs') },
    ratio: median(ratios),
    ratios,
  };
  console.log(`per call (median of ${ROUNDS} rounds of ${ROUND_MS} ms, blocks of ${BLOCK}):  wall ms   own CPU ms   DynamoDB Local CPU ms`);
  for (const side of ['app', 'raw'] as const) {
    console.log(`  ${side.padEnd(4)} ${out[side].wallMs.toFixed(2).padStart(8)} ${out[side].cpuMs.toFixed(2).padStart(12)} ${out[side].javaMs.toFixed(2).padStart(12)}`);
  }
  console.log(`ratio (raw wall / app wall) ${out.ratio.toFixed(3)}; rounds ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
  console.log(JSON.stringify(out));
} finally {
  await s.stop();
}
