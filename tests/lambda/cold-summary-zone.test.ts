import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from '../support/actors';
import { BUNDLE, httpResult, lambdaContext, loadBundledHandler, type BundledHandler } from './support/bundle';
import { lambdaEnvironment } from './support/environment';
import { apiEvent } from './support/fixtures';

/**
 * Issue 11, for most users: a budget's zone defaults to its owner's, so the first summary
 * after a cold start is usually of a non-UTC budget, and a process's first
 * Intl.DateTimeFormat costs 28-33 ms of CPU (ICU's set-up;
 * bench/HISTORY.md#cold-start-the-127-ms-between-round-trips-gc-files-and-time-zones-featcold8-2026-12-01).
 * The summary reads its local dates through TZ instead (platform timezones.ts). This runs the
 * BUNDLE in a fresh process, as a cold Lambda would, counts the Intl.DateTimeFormat objects
 * built while it answers a Europe/Berlin budget's summary, and checks the answer is right.
 */
const exec = promisify(execFile);
let env: Awaited<ReturnType<typeof lambdaEnvironment>>;
let handler: BundledHandler;
let dir: string;

beforeAll(async () => {
  env = await lambdaEnvironment();
  handler = await loadBundledHandler(env.env);
  dir = mkdtempSync(join(tmpdir(), 'cold-summary-zone-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await env?.destroy();
});

async function call(method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = httpResult(await handler(apiEvent('apigw-v2-request-no-authorizer', { method, path, headers, body }), lambdaContext()));
  expect(res.status, res.text).toBeLessThan(300);
  return res.json;
}

/** A fresh node process: counts DateTimeFormat constructions, imports the bundle, answers one event. */
const PROBE = `
const counted = { formatters: 0 };
const Original = Intl.DateTimeFormat;
Intl.DateTimeFormat = new Proxy(Original, { construct(target, args) { counted.formatters++; return new target(...args); }, apply(target, self, args) { counted.formatters++; return target(...args); } });
const { readFileSync } = await import('node:fs');
const event = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { handler } = await import(process.argv[1]);
const result = await handler(event, { awsRequestId: 'cold-zone', getRemainingTimeInMillis: () => 30000 });
process.stdout.write(JSON.stringify({ status: result.statusCode, body: result.body, formatters: counted.formatters }));
`;

describe('the first summary of a non-UTC budget in a fresh process', () => {
  it('builds no Intl.DateTimeFormat, and answers the period of that zone', async () => {
    const signup = await call('POST', '/v1/auth/signup', undefined, { email: uniqueEmail('zone'), password: PASSWORD });
    const token = signup.tokens.accessToken as string;
    const budget = await call('POST', '/v1/budgets', token, { name: 'Berlin', currency: 'EUR', limit: 100_000, period: 'monthly', timezone: 'Europe/Berlin' });
    // Today in Berlin, worked out here with Intl (the test's process, not the bundle's).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    const [year, month] = today.split('-').map(Number) as [number, number];
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const monthOf = (day: number) => `${today.slice(0, 8)}${String(day).padStart(2, '0')}`;
    await call('POST', `/v1/budgets/${budget.id}/expenses`, token, { amount: 1_250, occurredOn: today });
    const eventFile = join(dir, 'event.json');
    // The app's own call: no date, so the summary works out today's period in the budget's zone.
    writeFileSync(eventFile, JSON.stringify(apiEvent('apigw-v2-request-no-authorizer', { path: `/v1/budgets/${budget.id}/summary`, headers: { authorization: `Bearer ${token}` } })));

    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', PROBE, BUNDLE, eventFile], { env: { PATH: process.env.PATH, ...env.env } });
    const answer = JSON.parse(stdout) as { status: number; body: string; formatters: number };

    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ periodStart: monthOf(1), periodEnd: monthOf(lastDay), spent: 1_250 });
    expect(answer.formatters, 'Intl.DateTimeFormat objects built on the way to the first summary').toBe(0);
  });
});
