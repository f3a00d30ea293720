import { join } from 'node:path';
import { buildBundle, repoRoot, type BuiltBundle } from './lib/bundles';
import { measureColdStarts, type ColdStartSummary } from './lib/cold-start';
import { explainBundles } from './lib/explain';
import { formatTable, kb, ms, ratio } from './lib/table';
import { target, type BenchOptions, type BenchSuite, type SuiteReport } from './suite';

/** Issue 2's targets, as ratios against the hello-world baseline. */
export const TARGETS = { coldImport: 1.3, bundleSize: 1.5 };

export const APP_ENTRY = join(repoRoot, 'packages/app/src/lambda/handler.ts');
export const BASELINE_ENTRY = join(repoRoot, 'bench/baseline/hello-handler.ts');

/**
 * The bundled handler against a minimal Hono + DocumentClient handler bundled the same way
 * (packages/app/scripts/build.mjs), both built and measured in this run.
 */
export const bundleSuite: BenchSuite = {
  name: 'bundle',
  async run(options: BenchOptions): Promise<SuiteReport> {
    const app = await buildBundle('app', APP_ENTRY);
    const baseline = await buildBundle('baseline', BASELINE_ENTRY);
    const cold = await measureColdStarts({ app: app.entry, baseline: baseline.entry }, options.runs);
    const report = bundleReport(app, baseline, cold.app!, cold.baseline!, options.runs);
    if (options.explain) report.notes.push(await explainBundles(app, baseline, options));
    return report;
  },
};

function bundleReport(
  app: BuiltBundle,
  baseline: BuiltBundle,
  appCold: ColdStartSummary,
  baseCold: ColdStartSummary,
  runs: number,
): SuiteReport {
  const a = app.stats;
  const b = baseline.stats;
  const spread = (s: ColdStartSummary['import']) => `${s.p25.toFixed(1)}-${s.p75.toFixed(1)} ms`;
  const row = (what: string, ours: number, base: number, fmt: (n: number) => string, goal = '') => [
    what,
    fmt(ours),
    fmt(base),
    ratio(ours / base),
    goal,
  ];
  const table = formatTable(
    ['', 'app', 'baseline', 'ratio', 'target'],
    [
      row('bundle size, all chunks', a.totalBytes, b.totalBytes, kb, `<= ${TARGETS.bundleSize}x`),
      row('  gzip -9', a.totalGzipBytes, b.totalGzipBytes, kb),
      row('  loaded at import (entry + its static chunks)', a.eagerBytes, b.eagerBytes, kb),
      row(`cold import, median of ${runs}`, appCold.import.median, baseCold.import.median, ms, `<= ${TARGETS.coldImport}x`),
      ['  p25-p75', spread(appCold.import), spread(baseCold.import), '', ''],
      row('  CPU time, median', appCold.importCpu.median, baseCold.importCpu.median, ms, '(info)'),
      row('import + first GET /health, median', appCold.firstResponse.median, baseCold.firstResponse.median, ms, '(info)'),
      ['  p25-p75', spread(appCold.firstResponse), spread(baseCold.firstResponse), '', ''],
      row('  CPU time, median', appCold.firstResponseCpu.median, baseCold.firstResponseCpu.median, ms, '(info)'),
    ],
  );
  const targets = [
    target('cold import', appCold.import.median / baseCold.import.median, TARGETS.coldImport),
    target('bundle size', a.totalBytes / b.totalBytes, TARGETS.bundleSize),
  ];
  return {
    title: 'Lambda bundle vs hello-world Hono + DynamoDB DocumentClient (same esbuild options)',
    table,
    targets,
    notes: [
      `app: ${a.files} files; baseline: ${b.files} files (esbuild code splitting; source maps not counted).`,
      'cold import = import() of the entry in a fresh node process; the app builds its HTTP app on the first HTTP event, so that cost is in "first GET /health".',
      'CPU time (user + system, all threads) is printed because it is less disturbed than wall time on a busy machine; the targets use wall time.',
    ],
    data: {
      app: { stats: a, coldStart: appCold },
      baseline: { stats: b, coldStart: baseCold },
      ratios: {
        bundleSize: a.totalBytes / b.totalBytes,
        bundleGzip: a.totalGzipBytes / b.totalGzipBytes,
        eagerBytes: a.eagerBytes / b.eagerBytes,
        coldImport: appCold.import.median / baseCold.import.median,
        coldImportCpu: appCold.importCpu.median / baseCold.importCpu.median,
        firstResponse: appCold.firstResponse.median / baseCold.firstResponse.median,
        firstResponseCpu: appCold.firstResponseCpu.median / baseCold.firstResponseCpu.median,
      },
    },
  };
}
