import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LAMBDA_NODE } from './lambda-node';
import { repoRoot } from './bundles';
import { median } from './stats';

const run = promisify(execFile);
const PROBE = join(repoRoot, 'bench/lib/probe-request.mjs');

export interface ProbeSample {
  firstResponseMs: number;
  firstResponseCpuMs: number;
}

/** One fresh process answering one request (probe-request.mjs); its first response's wall and CPU ms. */
export async function probeOnce(args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<ProbeSample> {
  return JSON.parse((await run(LAMBDA_NODE, [...nodeArgs, PROBE, ...args], { env, cwd: repoRoot })).stdout) as ProbeSample;
}

/**
 * Each probe once unmeasured, then `runs` rounds of every probe in a fresh process, the order
 * reversed every other round (who goes first meets another load); the samples by probe name,
 * round i of every probe at index i, for per-round ratios. Prints each probe's median and
 * minimum wall and CPU ms.
 */
export async function interleavedProbes(probes: [string, string[], string[]?][], runs: number, env: NodeJS.ProcessEnv): Promise<Map<string, ProbeSample[]>> {
  for (const [, args, nodeArgs] of probes) await probeOnce(args, env, nodeArgs);
  const samples = new Map(probes.map(([n]) => [n, [] as ProbeSample[]]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? probes : [...probes].reverse();
    for (const [name, args, nodeArgs] of order) samples.get(name)!.push(await probeOnce(args, env, nodeArgs));
  }
  for (const [name, xs] of samples) {
    const wall = xs.map((x) => x.firstResponseMs);
    const cpu = xs.map((x) => x.firstResponseCpuMs);
    console.log(`${name.padEnd(14)} wall median ${median(wall).toFixed(1)} min ${Math.min(...wall).toFixed(1)}   cpu median ${median(cpu).toFixed(1)} min ${Math.min(...cpu).toFixed(1)}`);
  }
  return samples;
}
