import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from '../suite';
import { buildBundle, buildDir, packageOf, type BuiltBundle } from './bundles';
import { coldStart, type ColdStart } from './cold-start';
import { formatTable, kb } from './table';

/**
 * `npm run bench -- --explain`: where the app's extra bytes and milliseconds go.
 * Bytes come from esbuild's metafile. Time comes from V8 CPU profiles of the same probe as
 * the measurement (import, then one GET /health), run on UNMINIFIED builds of the same code
 * so that every sample, module top-level code included, maps back through the source map to
 * the package it came from. The profiler slows everything down: read shares, not absolutes.
 */
export async function explainBundles(app: BuiltBundle, baseline: BuiltBundle, options: BenchOptions): Promise<string> {
  const bytes = bytesTable(app, baseline);
  const group = options.explain === 'files' ? sourceFileOf : packageOf;
  const profiled = {
    app: await profile('app-profile', app, options.runs, group),
    baseline: await profile('baseline-profile', baseline, options.runs, group),
  };
  return [
    'Where the bytes go (KB in the output, by package; top differences):',
    bytes,
    '',
    `Where the time goes (ms per cold start by ${options.explain === 'files' ? 'source file' : 'package'}, CPU profile of unminified builds, mean of ${options.runs} runs):`,
    timeTable(profiled.app, profiled.baseline),
  ].join('\n');
}

function bytesTable(app: BuiltBundle, baseline: BuiltBundle): string {
  const a = app.stats;
  const b = baseline.stats;
  const names = new Set([...Object.keys(a.byPackage), ...Object.keys(b.byPackage)]);
  const rows = [...names]
    .map((n) => ({
      n,
      all: a.byPackage[n] ?? 0,
      base: b.byPackage[n] ?? 0,
      eager: a.eagerByPackage[n] ?? 0,
      baseEager: b.eagerByPackage[n] ?? 0,
    }))
    .sort((x, y) => y.all - y.base - (x.all - x.base))
    .slice(0, 20);
  return formatTable(
    ['package', 'app', 'baseline', 'diff', 'app at import', 'baseline at import'],
    rows.map((r) => [r.n, kb(r.all), kb(r.base), kb(r.all - r.base), kb(r.eager), kb(r.baseEager)]),
  );
}

type Phase = 'import' | 'response';
type Buckets = Record<string, Record<Phase, number>>;

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    positionTicks?: { line: number; ticks: number }[];
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Our files by path, dependencies by package and file: for --explain-files. */
function sourceFileOf(input: string): string {
  const pkg = packageOf(input);
  const file = input.replace(/^.*node_modules\/(?:@[^/]+\/)?[^/]+\//, '').replace(/^(\.\.\/)+/, '');
  return pkg.startsWith('@budgeting/') ? file : `${pkg}: ${file}`;
}

async function profile(name: string, measured: BuiltBundle, runs: number, group: (input: string) => string): Promise<Buckets> {
  const unminified = await buildBundle(name, measured.entryPoint, { minify: false });
  const dir = join(buildDir, `${name}-cpu`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const buckets: Buckets = {};
  const mapper = new PositionMapper(group);
  for (let i = 0; i < runs; i++) {
    const runDir = join(dir, String(i));
    const { marks } = await coldStart(unminified.entry, ['--cpu-prof', `--cpu-prof-dir=${runDir}`, '--cpu-prof-interval=200']);
    const [file] = readdirSync(runDir);
    attribute(JSON.parse(readFileSync(join(runDir, file!), 'utf8')) as CpuProfile, marks, mapper, buckets);
  }
  for (const b of Object.values(buckets)) {
    b.import /= runs;
    b.response /= runs;
  }
  return buckets;
}

/** Adds each sample's time to the package its code came from, split at the probe's marks. */
function attribute(prof: CpuProfile, marks: ColdStart['marks'], mapper: PositionMapper, buckets: Buckets) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const shares = new Map<number, [string, number][]>();
  const sharesOf = (id: number) => {
    let s = shares.get(id);
    if (!s) shares.set(id, (s = bucketShares(byId.get(id)!, mapper)));
    return s;
  };
  let t = prof.startTime;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    t += dt;
    if (t < marks.start || t > marks.answered) return;
    const phase: Phase = t <= marks.imported ? 'import' : 'response';
    for (const [bucket, share] of sharesOf(id)) {
      const b = (buckets[bucket] ??= { import: 0, response: 0 });
      b[phase] += (dt * share) / 1000;
    }
  });
}

/** A profile node's self time, as shares per bucket (several when its lines span packages). */
function bucketShares(node: CpuProfile['nodes'][number], mapper: PositionMapper): [string, number][] {
  const { url, functionName, lineNumber, columnNumber } = node.callFrame;
  if (!url) return [[`(V8: ${(functionName || 'native').replace(/^\((.*)\)$/, '$1')})`, 1]];
  if (url.startsWith('node:')) {
    if (functionName === 'compileSourceTextModule') return [['(V8: parse + compile of bundle files)', 1]];
    return [['(node: module loader and built-ins)', 1]];
  }
  if (!url.startsWith('file:')) return [['(other)', 1]];
  const file = fileURLToPath(url);
  const ticks = node.positionTicks ?? [];
  const total = ticks.reduce((s, p) => s + p.ticks, 0);
  if (total === 0) return [[mapper.packageAt(file, lineNumber, columnNumber), 1]];
  const out = new Map<string, number>();
  for (const p of ticks) {
    const pkg = mapper.packageAt(file, p.line - 1, -1);
    out.set(pkg, (out.get(pkg) ?? 0) + p.ticks / total);
  }
  return [...out];
}

/** Generated position -> original source -> package, through each output's source map. */
class PositionMapper {
  private maps = new Map<string, { map: SourceMap; lines: string[] } | null>();

  constructor(private readonly group: (input: string) => string) {}

  packageAt(file: string, line: number, column: number): string {
    const m = this.load(file);
    if (!m) return '(bundle, no source map)';
    // column -1: the line's first non-blank character (positionTicks only give lines).
    const col = column >= 0 ? column : Math.max(0, (m.lines[line] ?? '').search(/\S/));
    const entry = m.map.findEntry(line, col) as { originalSource?: string };
    return entry?.originalSource ? this.group(entry.originalSource) : '(bundle glue)';
  }

  private load(file: string) {
    if (!this.maps.has(file)) {
      try {
        this.maps.set(file, {
          map: new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))),
          lines: readFileSync(file, 'utf8').split('\n'),
        });
      } catch {
        this.maps.set(file, null);
      }
    }
    return this.maps.get(file)!;
  }
}

function timeTable(app: Buckets, baseline: Buckets): string {
  const names = new Set([...Object.keys(app), ...Object.keys(baseline)]);
  const total = (b: Buckets, p: Phase) => Object.values(b).reduce((s, x) => s + x[p], 0);
  const rows = [...names]
    .map((n) => ({ n, a: app[n] ?? { import: 0, response: 0 }, b: baseline[n] ?? { import: 0, response: 0 } }))
    .sort((x, y) => y.a.import + y.a.response - (x.a.import + x.a.response))
    .filter((r) => r.a.import + r.a.response + r.b.import + r.b.response >= 0.3)
    .slice(0, 30);
  const f = (v: number) => v.toFixed(1);
  return formatTable(
    ['bucket', 'app import', 'app 1st response', 'baseline import', 'baseline 1st response'],
    [
      ...rows.map((r) => [r.n, f(r.a.import), f(r.a.response), f(r.b.import), f(r.b.response)]),
      ['total', f(total(app, 'import')), f(total(app, 'response')), f(total(baseline, 'import')), f(total(baseline, 'response'))],
    ],
  );
}
