/**
 * What a user feels of a cold start (issue 11): a fresh process imports the bundled handler
 * and answers ONE authenticated GET /v1/budgets/{id}/summary against DynamoDB Local, next to
 * the baseline (bench/baseline/hello-handler.ts, Hono + DocumentClient) answering one GetItem
 * route. Interleaved fresh processes (app, baseline, baseline, app ...), medians; the ratio is
 * the median of the pairs' ratios. Also the bytes of bundle files loaded before the answer.
 *
 * Standalone: `npx tsx bench/cold-start-summary.ts [runs]`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { APP_ENTRY, BASELINE_ENTRY } from './bundle';
import { buildBundle, repoRoot } from './lib/bundles';
import { COLD_START_ENV, HTTP_EVENT } from './lib/cold-start';
import { BENCH_SIGNING_KEY, seedOwnerAndBudget, startMeteredSystem } from './lib/metered-system';
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

export interface ColdSummaryResult {
  app: { firstResponse: Summary; firstResponseCpu: Summary; bytesLoaded: number };
  baseline: { firstResponse: Summary; firstResponseCpu: Summary; bytesLoaded: number };
  ratio: number;
  pairRatios: number[];
}

export async function coldStartSummaryBench(runs: number): Promise<ColdSummaryResult> {
  const app = await buildBundle('app', APP_ENTRY);
  const baseline = await buildBundle('baseline', BASELINE_ENTRY);
  const s = await startMeteredSystem();
  try {
    const { budgetId, token } = await seedOwnerAndBudget(s);
    await s.request('POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 1234, occurredOn: '2026-11-03' });
    await s.doc.send(new PutCommand({ TableName: s.tableName, Item: { pk: 'hello', sk: 'hello', note: 'baseline item' } }));
    const env = {
      ...COLD_START_ENV,
      TABLE_NAME: s.tableName,
      DYNAMODB_ENDPOINT: s.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: s.endpoint,
      TOKEN_SIGNING_KEY: BENCH_SIGNING_KEY,
      ...(process.env.BENCH_LOADED_DIR ? { BENCH_LOADED_DIR: process.env.BENCH_LOADED_DIR } : {}),
    };
    const probes = {
      app: [app.entry, HTTP_EVENT, 'GET', `/v1/budgets/${budgetId}/summary?date=2026-11-24`, token],
      baseline: [baseline.entry, HTTP_EVENT, 'GET', '/items/hello'],
    };
    const probe = async (args: string[], bytes = false): Promise<Sample> => {
      const { stdout } = await run(process.execPath, [PROBE, ...args, ...(bytes ? ['--bytes'] : [])], { env, cwd: repoRoot });
      return JSON.parse(stdout) as Sample;
    };
    // Unmeasured: the files into the page cache, DynamoDB Local's first answers.
    await probe(probes.app);
    await probe(probes.baseline);
    const samples = { app: [] as Sample[], baseline: [] as Sample[] };
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        samples.app.push(await probe(probes.app));
        samples.baseline.push(await probe(probes.baseline));
      } else {
        samples.baseline.push(await probe(probes.baseline));
        samples.app.push(await probe(probes.app));
      }
    }
    const bytes = { app: (await probe(probes.app, true)).bytesLoaded, baseline: (await probe(probes.baseline, true)).bytesLoaded };
    const pairRatios = samples.app.map((a, i) => a.firstResponseMs / samples.baseline[i]!.firstResponseMs);
    const side = (name: 'app' | 'baseline') => ({
      firstResponse: summarize(samples[name].map((x) => x.firstResponseMs)),
      firstResponseCpu: summarize(samples[name].map((x) => x.firstResponseCpuMs)),
      bytesLoaded: bytes[name],
    });
    return { app: side('app'), baseline: side('baseline'), ratio: median(pairRatios), pairRatios };
  } finally {
    await s.stop();
  }
}

export function formatColdSummary(r: ColdSummaryResult): string {
  return formatTable(
    ['process', 'first response ms (median)', 'p25..p75', 'CPU ms (median)', 'bytes loaded before the answer'],
    (['app', 'baseline'] as const).map((name) => [
      name === 'app' ? 'app: GET summary (authenticated)' : 'baseline: GET one item',
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
      notes: [`ratio: median over ${r.pairRatios.length} interleaved pairs of (app / baseline) first-response time.`],
      data: r,
      figures: {
        'coldStart.firstSummary.ratio': r.ratio,
        'coldStart.firstSummary.appMs': r.app.firstResponse.median,
        'coldStart.firstSummary.baselineMs': r.baseline.firstResponse.median,
        'coldStart.firstSummary.bytesLoaded': r.app.bytesLoaded,
        'coldStart.firstSummary.baselineBytesLoaded': r.baseline.bytesLoaded,
      },
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatColdSummary(await coldStartSummaryBench(Number(process.argv[2] ?? 9))));
}
