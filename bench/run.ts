/**
 * `npm run bench [-- --runs 11] [-- --explain | --explain-files] [-- --only bundle] [-- --strict]`: builds, measures, prints
 * one table per suite with PASS/FAIL per target, and writes the numbers to bench/results/
 * (git-ignored). Run on demand on a quiet machine; never part of `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleSuite } from './bundle';
import { coldStartSummarySuite } from './cold-start-summary';
import { dynamodbOpsSuite } from './dynamodb-ops';
import { httpThroughputSuite } from './http-throughput';
import { importChangesSuite } from './import-changes';
import { readerMemorySuite } from './reader-memory';
import { scheduledWorkSuite } from './scheduled-work';
import { writeCostSuite } from './write-cost';
import { repoRoot } from './lib/bundles';
import type { BenchSuite, SuiteReport } from './suite';

/** Every table `npm run bench` prints; a new one is a new file and one line here. */
const SUITES: BenchSuite[] = [writeCostSuite, httpThroughputSuite, coldStartSummarySuite, importChangesSuite, bundleSuite, dynamodbOpsSuite, scheduledWorkSuite, readerMemorySuite];

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    explain: { type: 'boolean', default: false },
    'explain-files': { type: 'boolean', default: false },
    only: { type: 'string' },
    // Exit non-zero when a target fails (for CI); by default the bench only reports.
    strict: { type: 'boolean', default: false },
  },
});
// An unknown name ran no suite and overwrote latest.json with no figures: refused, with the names.
if (values.only && !SUITES.some((s) => s.name === values.only)) {
  console.error(`--only: no suite "${values.only}"; the suites: ${SUITES.map((s) => s.name).join(', ')}`);
  process.exit(1);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 7) {
  console.error('--runs must be an integer >= 7 (medians of fewer fresh processes are noise)');
  process.exit(1);
}

const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavg: loadavg() };
console.log(`node ${machine.node}, ${machine.cpus} CPUs, load average ${machine.loadavg.map((l) => l.toFixed(2)).join(' ')}`);
if (machine.loadavg[0]! > machine.cpus) {
  console.log('warning: the machine is busy; timings will be noisy (ratios are measured interleaved, so less so)');
}

const reports: Record<string, SuiteReport> = {};
for (const suite of SUITES.filter((s) => !values.only || s.name === values.only)) {
  const explain = values['explain-files'] ? 'files' : values.explain ? 'packages' : false;
  const report = await suite.run({ runs, explain });
  reports[suite.name] = report;
  console.log(`\n== ${report.title}\n`);
  console.log(report.table);
  console.log();
  for (const t of report.targets) {
    const bound = t.bound === 'min' ? '>=' : '<=';
    console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value.toFixed(2)} (target ${bound} ${t.limit})`);
  }
  for (const note of report.notes) console.log(`\n${note}`);
}

const dir = join(repoRoot, 'bench/results');
mkdirSync(dir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const figures = Object.assign({}, ...Object.values(reports).map((r) => r.figures ?? {})) as Record<string, number>;
const json = JSON.stringify({ at: new Date().toISOString(), machine, runs, ...figureTree(figures), figures, suites: reports }, null, 2);
writeFileSync(join(dir, `bench-${stamp}.json`), json);
// latest.json holds every suite's figures: a one-suite run (--only) leaves the last full run's in place.
if (!values.only) writeFileSync(join(dir, 'latest.json'), json);
console.log(`\nresults: bench/results/bench-${stamp}.json${values.only ? ' (one suite: latest.json, the last full run, left as it was)' : ''}`);

const failed = Object.values(reports).flatMap((r) => r.targets.filter((t) => !t.pass));
if (values.strict && failed.length > 0) process.exitCode = 1;

/** `{ 'a.b.c': 1 }` -> `{ a: { b: { c: 1 } } }`, so latest.json reads as write.createExpense.itemsWritten. */
function figureTree(flat: Record<string, number>): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    const parts = name.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return tree;
}
