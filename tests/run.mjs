#!/usr/bin/env node
// `npm test`'s vitest run: the heavy project (vitest.config.ts HEAVY: the files that write
// thousands of items or race dozens of writers) in a vitest process of its own, side by side with
// one running every other project, instead of after them in one process (vitest runs the groups of
// one process one after another, its `sequence.groupOrder`).
//
// Why: a test run on the 2-core CI machine is CPU-bound but keeps about a fifth of the CPU idle,
// and more workers in one process do not fill it (measured 2026-12-07 on 48 main files: 2 workers
// 70.5 s, 3 workers 70.6 s, the same CPU), while the heavy files on their own DynamoDB Local do:
// the 48 main files and the heavy project took 70 s + 143 s one after the other and 189 s side by
// side, every test passing. Each process still starts the DynamoDB Local of each of its projects
// (tests/support/global-setup.ts), so the heavy files keep a JVM of their own.
//
// The heavy process's report is printed after the others' (not interleaved with them); the run
// fails if either fails. With arguments (`npm test -- <filter or options>`) it is one plain
// `vitest run <arguments>`, as `npx vitest run` always is (the groups in order).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const args = process.argv.slice(2);

/** Runs vitest with `vitestArgs`; its output goes to this process's (live) or is kept (`keep`). */
function run(vitestArgs, { keep = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', ...vitestArgs], { stdio: keep ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const kept = [];
    if (keep) {
      child.stdout.on('data', (chunk) => kept.push(chunk));
      child.stderr.on('data', (chunk) => kept.push(chunk));
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(kept) }));
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => child.kill(signal));
  });
}

if (args.length > 0) {
  process.exitCode = (await run(args)).code;
} else {
  const heavy = run(['--project', 'heavy'], { keep: true });
  const others = await run(['--project', 'main', '--project', 'isolated', '--project', 'unit']);
  const heavyDone = await heavy;
  process.stdout.write('\n==== the heavy project (its own vitest process, run beside the others; tests/run.mjs)\n');
  process.stdout.write(heavyDone.output);
  if (others.code !== 0 || heavyDone.code !== 0) {
    console.error(`tests failed: main, isolated and unit exited ${others.code}, heavy exited ${heavyDone.code}`);
    process.exitCode = 1;
  }
}
