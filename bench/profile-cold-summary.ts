/**
 * Where the cold first GET summary spends its CPU (issue 11): builds the app unminified (names
 * and `// path` comments intact), seeds DynamoDB Local like cold-start-summary.ts, runs the
 * probe under `node --cpu-prof`, then prints the self time per source file (the bundle's
 * `// packages/...` / `// node_modules/...` comments mark where each input starts) and per
 * function. The .cpuprofile stays in bench/results/profile/ for Chrome DevTools.
 *
 *   npx tsx bench/profile-cold-summary.ts [top=40] [runs=1]
 * With runs > 1, that many fresh processes are profiled and every figure is the mean per run
 * (one profile is too coarse at 0.2 ms sampling to rank files of a few ms).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LAMBDA_NODE } from './lib/lambda-node';
import { APP_ENTRY } from './bundle';
import { buildBundle, packageOf, repoRoot } from './lib/bundles';
import { HTTP_EVENT } from './lib/cold-start';
import { seedColdSummary } from './lib/cold-summary-seed';
import { startMeteredSystem } from './lib/metered-system';

const run = promisify(execFile);
const PROBE = join(repoRoot, 'bench/lib/probe-request.mjs');
const profileDir = join(repoRoot, 'bench/results/profile');

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** For each bundle file: the sorted start lines of its inputs, from esbuild's `// path` comments. */
function inputsByLine(file: string): { line: number; input: string }[] {
  const marks: { line: number; input: string }[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const m = text.match(/^\/\/ ((?:\.\.\/)*(?:packages|node_modules|bench)\/\S+)$/);
      if (m) marks.push({ line, input: m[1]! });
    });
  return marks;
}

function inputAt(marks: { line: number; input: string }[], line: number): string {
  let found = '(bundle prelude)';
  for (const m of marks) {
    if (m.line > line) break;
    found = m.input;
  }
  return found;
}

async function main() {
  const top = Number(process.argv[2] ?? 40);
  const runs = Number(process.argv[3] ?? 1);
  const app = await buildBundle('app-profile', APP_ENTRY, { minify: false });
  const s = await startMeteredSystem();
  try {
    const { env, token, summaryPath } = await seedColdSummary(s);
    const args = [app.entry, HTTP_EVENT, 'GET', summaryPath, token];
    await run(LAMBDA_NODE, [PROBE, ...args], { env, cwd: repoRoot }); // file cache, DynamoDB Local warm
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
    for (let i = 0; i < runs; i++) {
      const { stdout } = await run(LAMBDA_NODE, ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', profileDir, PROBE, ...args], { env, cwd: repoRoot });
      console.log('probe:', stdout);
    }
  } finally {
    await s.stop();
  }
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  // Several runs: one profile of all of them, node ids offset per file, time divided by the runs.
  const profile: Profile = { nodes: [], samples: [], timeDeltas: [] };
  let offset = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(profileDir, f), 'utf8')) as Profile;
    const shift = offset;
    for (const n of p.nodes) profile.nodes.push({ ...n, id: n.id + shift, children: n.children?.map((c) => c + shift) });
    profile.samples.push(...p.samples.map((id) => id + shift));
    profile.timeDeltas.push(...p.timeDeltas.map((d) => d / files.length));
    offset += Math.max(...p.nodes.map((n) => n.id)) + 1;
  }
  const file = files.length === 1 ? files[0]! : `${files.length} profiles, ms per run`;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const marks = new Map<string, { line: number; input: string }[]>();
  const perInput = new Map<string, number>();
  const perPackage = new Map<string, number>();
  const perFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)!;
    total += us;
    let where = callFrame.url ? callFrame.url.replace(/^file:\/\//, '') : `(${callFrame.functionName || 'native'})`;
    if (where.startsWith(app.outdir)) {
      if (!marks.has(where)) marks.set(where, inputsByLine(where));
      where = inputAt(marks.get(where)!, callFrame.lineNumber);
    } else if (where.startsWith('node:') || !where.startsWith('/')) {
      where = where.startsWith('node:') ? `node:${where.split(':')[1]!.split('/')[0]}` : where;
    }
    perInput.set(where, (perInput.get(where) ?? 0) + us);
    perPackage.set(packageOf(where), (perPackage.get(packageOf(where)) ?? 0) + us);
    const fn = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber}`;
    perFunction.set(fn, (perFunction.get(fn) ?? 0) + us);
  }
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (self ms, of ${(total / 1000).toFixed(1)} ms sampled)`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(us / 1000).toFixed(1).padStart(8)}  ${k}`);
  };
  // Inclusive: each sample counts once for every input file on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const whereOf = (n: Node): string => {
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    if (!url.startsWith(app.outdir)) return '';
    if (!marks.has(url)) marks.set(url, inputsByLine(url));
    return inputAt(marks.get(url)!, n.callFrame.lineNumber);
  };
  const inclusive = new Map<string, number>();
  // Total (self + callees) per function of our own packages: module bodies are `(anonymous)` at their init line.
  const ownTotal = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    const fns = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const node = byId.get(n)!;
      const w = whereOf(node);
      if (w) seen.add(w);
      if (w.startsWith('packages/')) fns.add(`${node.callFrame.functionName || '(anonymous)'} ${w}:${node.callFrame.lineNumber}`);
    }
    for (const w of seen) inclusive.set(w, (inclusive.get(w) ?? 0) + (profile.timeDeltas[i] ?? 0));
    for (const f of fns) ownTotal.set(f, (ownTotal.get(f) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  print('per package', perPackage);
  print('inclusive per input file', inclusive);
  print('per input file', perInput);
  print('per function', perFunction);
  print('total (self + callees) per function of our packages', ownTotal);
  console.log(`\nprofile: ${profileDir} (${file})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
