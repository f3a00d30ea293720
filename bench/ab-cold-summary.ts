/**
 * A/B of cold first GET summaries: several already built app bundles (e.g. main's and this
 * branch's) and the baseline, interleaved fresh processes against one DynamoDB Local; prints
 * median and minimum wall and CPU ms per bundle. For trying a change before a full bench run.
 *   npx tsx bench/ab-cold-summary.ts <runs> [--floors] [--trace] name=/path/to/handler.mjs ...
 * A `name=<entry>.ts` is built first (with the app's build options). `--floors` adds the three
 * summary floors (bench/baseline/summary-floor-*.ts: the summary's shape with the required
 * libraries and no app code; with zod-openapi, with zod only, without zod), so a run also says
 * how far the app is from what its libraries alone cost. `--trace` adds one probe per bundle under
 * lib/trace-cold-requests.mjs (CPU and wall ms at each DynamoDB request, and any ad hoc marks).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BASELINE_ENTRY } from './bundle';
import { buildBundle, repoRoot } from './lib/bundles';
import { HTTP_EVENT } from './lib/cold-start';
import { seedColdSummary, warmDynamoDbLocal } from './lib/cold-summary-seed';
import { LAMBDA_NODE } from './lib/lambda-node';
import { startMeteredSystem } from './lib/metered-system';
import { interleavedProbes } from './lib/interleaved-probes';
import { median } from './lib/stats';

const run = promisify(execFile);
const PROBE = join(repoRoot, 'bench/lib/probe-request.mjs');
const TRACE = join(repoRoot, 'bench/lib/trace-cold-requests.mjs');
const runs = Number(process.argv[2] ?? 9);
const FLOORS: [string, string][] = ['openapi', 'zod', 'plain'].map((f) => [`floor-${f}`, join(repoRoot, `bench/baseline/summary-floor-${f}.ts`)]);
const args = process.argv.slice(3);
// `name=<entry>[::<node flag>,...]`: node flags for that probe's process (e.g. --min-semi-space-size=16).
const named = [
  ...args.filter((a) => !a.startsWith('--')).map((a) => {
    const [name, rest] = a.split(/=(.*)/s) as [string, string];
    const [entry, flags] = rest.split('::') as [string, string | undefined];
    return [name, entry, flags ? flags.split(',') : []] as [string, string, string[]];
  }),
  ...(args.includes('--floors') ? FLOORS.map(([n, e]) => [n, e, []] as [string, string, string[]]) : []),
];
// --baseline-flags=<flag>,...: node flags for the baseline's processes.
const baselineFlags = args.find((a) => a.startsWith('--baseline-flags='))?.slice('--baseline-flags='.length).split(',') ?? [];
const apps: [string, string, string[]][] = [];
for (const [name, entry, flags] of named) apps.push([name, entry.endsWith('.ts') ? (await buildBundle(name, entry)).entry : entry, flags]);
const baseline = await buildBundle('baseline', BASELINE_ENTRY);
const s = await startMeteredSystem();
try {
  const { env, token, summaryPath } = await seedColdSummary(s);
  await warmDynamoDbLocal(s, summaryPath, token);
  const probes: [string, string[], string[]][] = [
    ...apps.map(([name, entry, flags]) => [name, [entry, HTTP_EVENT, 'GET', summaryPath, token], flags] as [string, string[], string[]]),
    ['baseline', [baseline.entry, HTTP_EVENT, 'GET', '/items/hello'], baselineFlags],
  ];
  const samples = await interleavedProbes(probes, runs, env);
  // Against the baseline of the same round (interleaved): the median of the pairs' CPU ratios.
  const base = samples.get('baseline')!;
  for (const [name, xs] of samples) {
    if (name === 'baseline') continue;
    const pairs = xs.map((x, i) => x.firstResponseCpuMs / base[i]!.firstResponseCpuMs);
    const wallPairs = xs.map((x, i) => x.firstResponseMs / base[i]!.firstResponseMs);
    console.log(`${name.padEnd(14)} over baseline, median of pair ratios: cpu ${median(pairs).toFixed(2)}x  wall ${median(wallPairs).toFixed(2)}x`);
  }
  // Bytes of bundle files loaded before the answer: one untimed run each with the loader hook.
  for (const [name, args] of probes) {
    // BENCH_LOADED_DIR=<dir>: the probe also writes which bundle files it loaded (probe-request.mjs).
    const loadedDir = process.env.BENCH_LOADED_DIR ? { BENCH_LOADED_DIR: process.env.BENCH_LOADED_DIR } : {};
    const { bytesLoaded } = JSON.parse((await run(LAMBDA_NODE, [PROBE, ...args, '--bytes'], { env: { ...env, ...loadedDir }, cwd: repoRoot })).stdout) as { bytesLoaded: number };
    console.log(`${name.padEnd(14)} bytes loaded before the answer ${bytesLoaded}`);
  }
  if (args.includes('--trace')) {
    for (const [name, args] of probes) {
      const { stderr } = await run(LAMBDA_NODE, ['--import', TRACE, PROBE, ...args], { env, cwd: repoRoot });
      console.log(`${name}:\n${stderr}`);
    }
  }
} finally {
  await s.stop();
}
