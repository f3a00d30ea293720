/**
 * What a user feels of a cold start (issue 11): a fresh process imports the bundled handler
 * and answers ONE authenticated GET /v1/budgets/{id}/summary against DynamoDB Local, next to
 * the baseline (bench/baseline/hello-handler.ts, Hono + DocumentClient) answering one GetItem
 * route. Interleaved fresh processes (app, baseline, baseline, app ...), medians; the ratio is
 * the median of the pairs' ratios. Also the bytes of bundle files loaded before the answer, the
 * same ratio in CPU ms (steadier on a shared machine), and a third process in every round: the
 * summary floor (bench/baseline/summary-floor-openapi.ts: the summary's route shape with the
 * required libraries - zod + @hono/zod-openapi, jose, Powertools logger - and no app code), so
 * each run says how much of the ratio the libraries alone take. The probes run on the Lambda
 * runtime's Node major (lib/lambda-node.ts), after DynamoDB Local has served a few hundred of
 * both sides' requests (its JIT: lib/cold-summary-seed.ts, warmDynamoDbLocal).
 *
 * Standalone: `npx tsx bench/cold-start-summary.ts [runs]`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { APP_ENTRY, BASELINE_ENTRY } from './bundle';
import { buildBundle, repoRoot } from './lib/bundles';
import { HTTP_EVENT } from './lib/cold-start';
import { seedColdSummary, warmDynamoDbLocal } from './lib/cold-summary-seed';
import { LAMBDA_NODE, lambdaNodeVersion } from './lib/lambda-node';
import { startMeteredSystem } from './lib/metered-system';
import { median, summarize, type Summary } from './lib/stats';
import { formatTable } from './lib/table';
import { target, type BenchOptions, type BenchSuite, type SuiteReport } from './suite';

const run = promisify(execFile);
const PROBE = join(repoRoot, 'bench/lib/probe-request.mjs');

interface Sample {
  importMs: number;
  firstResponseMs: number;
  firstResponseCpuMs: number;
  bytesLoaded: number;
}

type Side = { firstResponse: Summary; firstResponseCpu: Summary; bytesLoaded: number };
type Name = 'app' | 'floor' | 'baseline';

export interface ColdSummaryResult {
  app: Side;
  floor: Side;
  baseline: Side;
  /** Median of the pairs' (app / baseline) first-response wall times: the target's figure. */
  ratio: number;
  pairRatios: number[];
  /** The same in CPU ms of the process. */
  cpuRatio: number;
  /** The floor over the baseline of the same round, wall and CPU. */
  floorRatio: number;
  floorCpuRatio: number;
}

export const SUMMARY_FLOOR_ENTRY = join(repoRoot, 'bench/baseline/summary-floor-openapi.ts');

export async function coldStartSummaryBench(runs: number): Promise<ColdSummaryResult> {
  const app = await buildBundle('app', APP_ENTRY);
  const floor = await buildBundle('summary-floor', SUMMARY_FLOOR_ENTRY);
  const baseline = await buildBundle('baseline', BASELINE_ENTRY);
  const s = await startMeteredSystem();
  try {
    const seeded = await seedColdSummary(s);
    const { token, summaryPath } = seeded;
    const env = { ...seeded.env, ...(process.env.BENCH_LOADED_DIR ? { BENCH_LOADED_DIR: process.env.BENCH_LOADED_DIR } : {}) };
    await warmDynamoDbLocal(s, summaryPath, token);
    const probes: Record<Name, string[]> = {
      app: [app.entry, HTTP_EVENT, 'GET', summaryPath, token],
      floor: [floor.entry, HTTP_EVENT, 'GET', summaryPath, token],
      baseline: [baseline.entry, HTTP_EVENT, 'GET', '/items/hello'],
    };
    const probe = async (args: string[], bytes = false): Promise<Sample> => {
      const { stdout } = await run(LAMBDA_NODE, [PROBE, ...args, ...(bytes ? ['--bytes'] : [])], { env, cwd: repoRoot });
      return JSON.parse(stdout) as Sample;
    };
    // Unmeasured: the files into the page cache, DynamoDB Local's first answers.
    const names: Name[] = ['app', 'floor', 'baseline'];
    for (const name of names) await probe(probes[name]);
    const samples: Record<Name, Sample[]> = { app: [], floor: [], baseline: [] };
    for (let i = 0; i < runs; i++) {
      // app, floor, baseline; then baseline, floor, app: each meets the other's moments alike.
      for (const name of i % 2 === 0 ? names : [...names].reverse()) samples[name].push(await probe(probes[name]));
    }
    const bytes = {} as Record<Name, number>;
    for (const name of names) bytes[name] = (await probe(probes[name], true)).bytesLoaded;
    const over = (name: Name, of: (x: Sample) => number) => samples[name].map((a, i) => of(a) / of(samples.baseline[i]!));
    const pairRatios = over('app', (x) => x.firstResponseMs);
    const side = (name: Name): Side => ({
      firstResponse: summarize(samples[name].map((x) => x.firstResponseMs)),
      firstResponseCpu: summarize(samples[name].map((x) => x.firstResponseCpuMs)),
      bytesLoaded: bytes[name],
    });
    return {
      app: side('app'),
      floor: side('floor'),
      baseline: side('baseline'),
      ratio: median(pairRatios),
      pairRatios,
      cpuRatio: median(over('app', (x) => x.firstResponseCpuMs)),
      floorRatio: median(over('floor', (x) => x.firstResponseMs)),
      floorCpuRatio: median(over('floor', (x) => x.firstResponseCpuMs)),
    };
  } finally {
    await s.stop();
  }
}

export function formatColdSummary(r: ColdSummaryResult): string {
  return formatTable(
    ['process', 'first response ms (median)', 'p25..p75', 'CPU ms (median)', 'bytes loaded before the answer'],
    (['app', 'floor', 'baseline'] as const).map((name) => [
      { app: 'app: GET summary (authenticated)', floor: 'summary floor: same route, libraries only', baseline: 'baseline: GET one item' }[name],
      r[name].firstResponse.median.toFixed(1),
      `${r[name].firstResponse.p25.toFixed(1)}..${r[name].firstResponse.p75.toFixed(1)}`,
      r[name].firstResponseCpu.median.toFixed(1),
      r[name].bytesLoaded,
    ]),
  );
}

export const coldStartSummarySuite: BenchSuite = {
  name: 'cold-start',
  async run(options: BenchOptions): Promise<SuiteReport> {
    const r = await coldStartSummaryBench(Math.max(9, options.runs));
    return {
      title: 'Cold start as a user feels it: import + one authenticated GET summary, against a GetItem hello-world (fresh processes)',
      table: formatColdSummary(r),
      targets: [target('coldStart.firstSummary.ratio', r.ratio, 1.3)],
      notes: [
        `ratio: median over ${r.pairRatios.length} interleaved pairs of (app / baseline) first-response time; in CPU ms ${r.cpuRatio.toFixed(2)}x.`,
        `probes on node ${lambdaNodeVersion()} (the Lambda runtime's major), after ${process.env.BENCH_COLD_WARM_ROUNDS ?? 300} warm-up rounds of DynamoDB Local.`,
        `summary floor (baseline/summary-floor-openapi.ts, the required libraries on the same route, no app code): ${r.floorRatio.toFixed(2)}x the baseline, ${r.floorCpuRatio.toFixed(2)}x in CPU ms.`,
      ],
      data: r,
      figures: {
        'coldStart.firstSummary.ratio': r.ratio,
        'coldStart.firstSummary.appMs': r.app.firstResponse.median,
        'coldStart.firstSummary.baselineMs': r.baseline.firstResponse.median,
        'coldStart.firstSummary.bytesLoaded': r.app.bytesLoaded,
        'coldStart.firstSummary.baselineBytesLoaded': r.baseline.bytesLoaded,
        'coldStart.firstSummary.cpuRatio': r.cpuRatio,
        'coldStart.firstSummary.appCpuMs': r.app.firstResponseCpu.median,
        'coldStart.firstSummary.baselineCpuMs': r.baseline.firstResponseCpu.median,
        'coldStart.firstSummary.floorRatio': r.floorRatio,
        'coldStart.firstSummary.floorCpuRatio': r.floorCpuRatio,
        'coldStart.firstSummary.floorBytesLoaded': r.floor.bytesLoaded,
      },
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatColdSummary(await coldStartSummaryBench(Number(process.argv[2] ?? 9))));
}
