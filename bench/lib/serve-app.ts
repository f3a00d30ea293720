/**
 * The app as `npm start` serves it (Hono on @hono/node-server, the whole system), for the HTTP
 * throughput bench, without the local event runtime: what a write causes after its answer is
 * measured by write-cost.ts, and in AWS it runs in other function instances. Seeds a user and
 * a budget, then prints `{"port", "token", "budgetId"}` on stdout.
 *   TABLE_NAME=... DYNAMODB_ENDPOINT=... PORT=... tsx bench/lib/serve-app.ts
 */
import { serve } from '@hono/node-server';
import { createSystem } from '../../packages/app/src/system';
import { BENCH_RATE_LIMIT_FLUSH_EVERY, benchConfig } from './metered-system';

const config = benchConfig(process.env.TABLE_NAME!, process.env.DYNAMODB_ENDPOINT!);
// The rate limit on, out of reach, sharing counts as often as at production's default limit.
const system = createSystem({ config, rateLimit: { flushEvery: BENCH_RATE_LIMIT_FLUSH_EVERY } });
const port = Number(process.env.PORT);

async function call(method: string, path: string, body: unknown, token?: string) {
  const res = await system.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 400) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const signup = await call('POST', '/v1/auth/signup', { email: `http-${port}@example.com`, password: 'correct horse battery staple' });
const token = String(signup.tokens.accessToken);
const budget = await call('POST', '/v1/budgets', { name: 'HTTP bench', currency: 'USD', limit: 900_000_000 }, token);
serve({ fetch: system.app.fetch, port }, () => {
  process.stdout.write(`${JSON.stringify({ port, token, budgetId: budget.id })}\n`);
});
// Ends normally on SIGINT, so that a process run under `node --cpu-prof` writes its profile.
process.once('SIGINT', () => process.exit(0));
