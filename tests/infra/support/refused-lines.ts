import { createLogger, GUARDS, problems, type AppEnv, type Guard } from '@budgeting/platform';
import { Hono } from 'hono';
import { requestContext } from '../../../packages/app/src/http/conventions';
import { errorHandler } from '../../../packages/app/src/http/error-handler';

/**
 * The access line the function writes for a request each guard refuses, as written: the app's
 * own access-log middleware, error handler and logger (Powertools, JSON to stdout), stdout
 * captured while one request is refused with the guard's 429. The metric filters' patterns are
 * evaluated against these lines (tests/infra/support/log-filter.ts); that each guard's throw
 * site names it is shown through HTTP (tests/integration/platform/rate-limit.test.ts).
 */
export async function refusedAccessLines(): Promise<Record<Guard, string>> {
  const lines = {} as Record<Guard, string>;
  for (const guard of Object.values(GUARDS)) lines[guard] = await refusedLine(guard);
  return lines;
}

async function refusedLine(guard: Guard): Promise<string> {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(createLogger('INFO')));
  app.onError(errorHandler);
  app.get('/v1/me', () => {
    throw problems.tooManyRequests(guard, 30);
  });
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: unknown) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    const res = await app.request('/v1/me');
    if (res.status !== 429) throw new Error(`refused with ${res.status}, not 429`);
  } finally {
    process.stdout.write = write;
  }
  const lines = written.join('').split('\n').filter((l) => l.startsWith('{'));
  if (lines.length !== 1) throw new Error(`one access line per request, got ${lines.length}: ${written.join('')}`);
  return lines[0]!;
}
