/**
 * GET /changes against its floor alone (the changes part of import-changes.ts, without the
 * 5,000-row import bench before it): a budget with ROWS imported rows, the client's token,
 * NEW_CHANGES new changes, then WARM_MS of each call unmeasured, then ROUNDS interleaved rounds
 * of CALLS calls each: per call the wall ms, this process's CPU ms (the app, in-process as in
 * the bench; or the floor's client) and DynamoDB Local's java CPU ms. Prints a table, and one
 * JSON line last (for ab-changes.ts).
 *
 * `[DYNAMODB_ENDPOINT=...] [ROWS=500] [ROUNDS=6] [CALLS=300] npx tsx bench/profile-changes.ts`
 * Profile of the app side: `PROFILE_DIR=/tmp/prof ... node --import tsx bench/profile-changes.ts`
 * writes a .cpuprofile of the measured app calls only (node:inspector).
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changesCalls } from './lib/changes-calls';
import { importThroughApi } from './lib/csv-import';
import { seedOwnerAndBudget, startMeteredSystem, type MeteredSystem } from './lib/metered-system';
import { dynamoDbLocalCpuMs, ownCpuMs } from './lib/process-cpu';
import { median } from './lib/stats';

const ROWS = Number(process.env.ROWS ?? 500);
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const CALLS = Number(process.env.CALLS ?? 300);
const WARM_MS = Number(process.env.WARM_MS ?? 3_000);

interface PerCall {
  wallMs: number;
  cpuMs: number;
  javaMs: number;
}

async function perCall(s: MeteredSystem, calls: number, call: () => Promise<void>): Promise<PerCall> {
  const java = dynamoDbLocalCpuMs(s.endpoint);
  const own = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return {
    wallMs: (performance.now() - started) / calls,
    cpuMs: ownCpuMs(own) / calls,
    javaMs: (dynamoDbLocalCpuMs(s.endpoint) - java) / calls,
  };
}

async function forMs(ms: number, call: () => Promise<void>) {
  const started = performance.now();
  while (performance.now() - started < ms) await call();
}

const s = await startMeteredSystem();
try {
  const { token, budgetId } = await seedOwnerAndBudget(s);
  if (ROWS > 0) await importThroughApi(s, token, budgetId, ROWS, 0);
  const { appCall, rawCall } = await changesCalls(s, token, budgetId);
  await forMs(WARM_MS, appCall);
  await forMs(WARM_MS, rawCall);
  const session = process.env.PROFILE_DIR ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
  }
  const app: PerCall[] = [];
  const raw: PerCall[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const measureApp = async () => {
      await session?.post('Profiler.start');
      app.push(await perCall(s, CALLS, appCall));
      if (session) {
        const { profile } = await session.post('Profiler.stop');
        mkdirSync(process.env.PROFILE_DIR!, { recursive: true });
        writeFileSync(join(process.env.PROFILE_DIR!, `changes-app-${round}.cpuprofile`), JSON.stringify(profile));
      }
    };
    if (round % 2 === 0) {
      raw.push(await perCall(s, CALLS, rawCall));
      await measureApp();
    } else {
      await measureApp();
      raw.push(await perCall(s, CALLS, rawCall));
    }
  }
  const med = (xs: PerCall[], k: keyof PerCall) => median(xs.map((x) => x[k]));
  const ratios = app.map((a, i) => raw[i]!.wallMs / a.wallMs);
  const out = {
    app: { wallMs: med(app, 'wallMs'), cpuMs: med(app, 'cpuMs'), javaMs: med(app, 'javaMs') },
    raw: { wallMs: med(raw, 'wallMs'), cpuMs: med(raw, 'cpuMs'), javaMs: med(raw, 'javaMs') },
    ratio: median(ratios),
    ratios,
  };
  console.log(`per call (median of ${ROUNDS} rounds of ${CALLS}):  wall ms   own CPU ms   DynamoDB Local CPU ms`);
  for (const side of ['app', 'raw'] as const) {
    console.log(`  ${side.padEnd(4)} ${out[side].wallMs.toFixed(2).padStart(8)} ${out[side].cpuMs.toFixed(2).padStart(12)} ${out[side].javaMs.toFixed(2).padStart(12)}`);
  }
  console.log(`ratio (raw wall / app wall) ${out.ratio.toFixed(3)}; rounds ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
  console.log(JSON.stringify(out));
} finally {
  await s.stop();
}
