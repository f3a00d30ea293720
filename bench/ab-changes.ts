/**
 * A/B of GET /changes between two checkouts of this repository (e.g. main and a branch), on ONE
 * DynamoDB Local: `profile-changes.ts` of each checkout runs in a fresh process, alternately
 * (A B, B A, ...), PAIRS times; prints each run and the medians of the app's CPU ms per call,
 * DynamoDB Local's CPU ms per call, wall ms per call and the ratio to the floor (the raw Query
 * measured in the same process, interleaved). One unmeasured run of the first checkout goes
 * first: a fresh DynamoDB Local's JIT is cold, and whichever run came first would pay for it.
 *
 * `npx tsx bench/ab-changes.ts <pairs> name=/path/to/checkout name2=/path/to/other [...]`
 * (ROWS, ROUNDS, ROUND_MS, BLOCK, WARM_MS are passed on to profile-changes.ts.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../packages/app/src/local/dynamodb-local';
import { median } from './lib/stats';

const [pairsArg, ...sides] = process.argv.slice(2);
const pairs = Number(pairsArg);
const checkouts = sides.map((s) => {
  const [name, dir] = s.split('=') as [string, string];
  if (!existsSync(join(dir, 'bench/profile-changes.ts'))) throw new Error(`${dir}: no bench/profile-changes.ts (copy it there)`);
  return { name, dir };
});
if (!(pairs > 0) || checkouts.length < 2) throw new Error('usage: ab-changes.ts <pairs> name=/dir name2=/dir2 [...]');

interface Run {
  app: { wallMs: number; cpuMs: number; javaMs: number };
  raw: { wallMs: number; cpuMs: number; javaMs: number };
  ratio: number;
}

const local = await startDynamoDbLocal();
const runs = new Map<string, Run[]>(checkouts.map((c) => [c.name, []]));
const runOnce = (dir: string): Run => {
  const out = spawnSync('npx', ['tsx', 'bench/profile-changes.ts'], {
    cwd: dir,
    env: { ...process.env, DYNAMODB_ENDPOINT: local.endpoint },
    encoding: 'utf8',
  });
  const last = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !last.startsWith('{')) throw new Error(`${dir}: exit ${out.status}\n${out.stdout}\n${out.stderr}`);
  return JSON.parse(last) as Run;
};
try {
  runOnce(checkouts[0]!.dir); // DynamoDB Local's JIT warm-up
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? checkouts : [...checkouts].reverse();
    for (const c of order) {
      const run = runOnce(c.dir);
      runs.get(c.name)!.push(run);
      console.log(
        `${c.name.padEnd(8)} app cpu ${run.app.cpuMs.toFixed(2)} java ${run.app.javaMs.toFixed(2)} wall ${run.app.wallMs.toFixed(2)} | raw cpu ${run.raw.cpuMs.toFixed(2)} java ${run.raw.javaMs.toFixed(2)} wall ${run.raw.wallMs.toFixed(2)} | ratio ${run.ratio.toFixed(3)}`,
      );
    }
  }
  console.log('\nmedians per call: app CPU ms, DynamoDB Local CPU ms (app), app wall ms, raw wall ms, ratio');
  for (const [name, rs] of runs) {
    const m = (f: (r: Run) => number) => median(rs.map(f));
    console.log(
      `${name.padEnd(8)} ${m((r) => r.app.cpuMs).toFixed(2)}  ${m((r) => r.app.javaMs).toFixed(2)}  ${m((r) => r.app.wallMs).toFixed(2)}  ${m((r) => r.raw.wallMs).toFixed(2)}  ${m((r) => r.ratio).toFixed(3)}`,
    );
  }
} finally {
  await local.stop();
}
