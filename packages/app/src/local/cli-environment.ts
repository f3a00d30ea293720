import { resolve } from 'node:path';

/**
 * What the operator tools (`npm run job`, `npm run dead-letters`) read of their environment
 * before they build the system (cli-system.ts): kept apart from it, which imports the whole app,
 * so that a refusal of the environment costs no import of the app.
 */

/**
 * What the operator tools refuse in their environment before anything runs (a missing table, a
 * bad JOB_CONCURRENCY, any other invalid variable): the operator's input, not a failed run, so the job CLI exits 2 on it as
 * on its other refusals (1 is a run that failed).
 */
export class CliInputError extends Error {
  override name = 'CliInputError';
}

/**
 * JOB_CONCURRENCY (default 8), how many units the tools run at once. Refused unless a whole
 * number of at least 1: the local work queue runs no unit at all under 0 or NaN, so a typo made
 * `npm run job` wait forever with its units due.
 */
export function cliJobConcurrency(env: NodeJS.ProcessEnv): number {
  const raw = env.JOB_CONCURRENCY;
  if (raw === undefined) return 8;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 1) throw new CliInputError(`JOB_CONCURRENCY must be a whole number of units, at least 1, got "${raw}"`);
  return n;
}

/** The folder the tools keep local state in (dead letters, the dev signing key): `npm start`'s. */
export function cliDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DATA_DIR ?? '.data');
}

/**
 * Which table the tools work on, from the environment, never by default:
 * - `local`: DYNAMODB_ENDPOINT is set (the DynamoDB `npm start` uses; TABLE_NAME if not the default);
 * - `aws`: no DYNAMODB_ENDPOINT, and TABLE_NAME and AWS_REGION both given (a deployed table,
 *   e.g. a one-off migration job; credentials from the SDK's usual chain), with the
 *   deployment's WEBHOOK_SECRETS_KEY, since a dev key there would misread every webhook.
 * Anything else is refused: a forgotten variable must not send writes to the default table
 * name or Region.
 */
export function cliTarget(env: NodeJS.ProcessEnv): 'local' | 'aws' {
  if (env.DYNAMODB_ENDPOINT) return 'local';
  const missing = ['TABLE_NAME', 'AWS_REGION', 'WEBHOOK_SECRETS_KEY'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new CliInputError(
      `Set DYNAMODB_ENDPOINT for the DynamoDB \`npm start\` uses (e.g. http://localhost:8000), or, for a deployed table, ` +
        `TABLE_NAME, AWS_REGION and the deployment's WEBHOOK_SECRETS_KEY, with AWS credentials (missing: ${missing.join(', ')})`,
    );
  }
  return 'aws';
}
