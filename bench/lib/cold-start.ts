import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LAMBDA_NODE } from './lambda-node';
import { repoRoot } from './bundles';
import { summarize, type Summary } from './stats';

const run = promisify(execFile);
const PROBE = join(repoRoot, 'bench/lib/probe.mjs');
export const HTTP_EVENT = join(repoRoot, '../shared/fixtures/aws-events/apigw-v2-request-no-authorizer.json');

/**
 * The environment of a cold Lambda container, the same for every bundle: nothing inherited
 * from the developer's shell (no DYNAMODB_ENDPOINT, no profile), credentials in variables as
 * Lambda provides them, logs silenced so writing them is not what gets measured.
 */
export const COLD_START_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TABLE_NAME: 'bench',
  TOKEN_SIGNING_KEY: 'bench-signing-key-0123456789abcdef0123456789',
  WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 0x42).toString('base64'),
  MFA_SECRETS_KEY: Buffer.alloc(32, 0x43).toString('base64'),
  LOG_LEVEL: 'SILENT',
};

export interface ColdStart {
  importMs: number;
  firstResponseMs: number;
  importCpuMs: number;
  firstResponseCpuMs: number;
  /** process.hrtime in microseconds at start, after the import, after the response. */
  marks: { start: number; imported: number; answered: number };
}

export async function coldStart(entry: string, nodeArgs: string[] = []): Promise<ColdStart> {
  const { stdout } = await run(LAMBDA_NODE, [...nodeArgs, PROBE, entry, HTTP_EVENT], { env: COLD_START_ENV, cwd: repoRoot });
  return JSON.parse(stdout) as ColdStart;
}

export interface ColdStartSummary {
  import: Summary;
  firstResponse: Summary;
  importCpu: Summary;
  firstResponseCpu: Summary;
  samples: ColdStart[];
}

/**
 * `runs` fresh processes per bundle, one after the other and interleaved (A B, B A, A B ...)
 * so that a slow moment of a shared machine hits every bundle alike; one unmeasured start
 * each first, so the bundles are in the file cache for all measured runs.
 */
export async function measureColdStarts(entries: Record<string, string>, runs: number): Promise<Record<string, ColdStartSummary>> {
  const names = Object.keys(entries);
  for (const name of names) await coldStart(entries[name]!);
  const samples: Record<string, ColdStart[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const name of order) samples[name]!.push(await coldStart(entries[name]!));
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        import: summarize(samples[n]!.map((s) => s.importMs)),
        firstResponse: summarize(samples[n]!.map((s) => s.firstResponseMs)),
        importCpu: summarize(samples[n]!.map((s) => s.importCpuMs)),
        firstResponseCpu: summarize(samples[n]!.map((s) => s.firstResponseCpuMs)),
        samples: samples[n]!,
      },
    ]),
  );
}

/**
 * The first summary the cold-start figure measures: the app's own call (no `date`: today's
 * period) on a budget in Europe/Berlin. A budget's zone defaults to its owner's, so most
 * users' budgets are not in UTC, and a non-UTC budget is the path that needs the zone's rules
 * (until 2026-12-01 the bench used a UTC budget and a fixed date, which skipped them).
 */
export const COLD_SUMMARY_TIMEZONE = 'Europe/Berlin';
export const coldSummaryPath = (budgetId: string) => `/v1/budgets/${budgetId}/summary`;
