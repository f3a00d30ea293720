import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger, loadConfig } from '@budgeting/platform';
import { createSystem } from '../system';
import { DEV_MFA_SECRETS_KEY } from './dev-mfa-secrets-key';
import { DEV_WEBHOOK_SECRETS_KEY } from './dev-webhook-secrets-key';
import { localJobQueue } from './jobs-runtime';

/**
 * The system as the operator tools (`npm run job`, `npm run dead-letters`) build it, against
 * one of two tables (see `cliTarget`): the one `npm start` uses, or a deployed one. The units
 * run here, on the local work queue with its dead-letter folder under DATA_DIR (default
 * .data). Nothing is served and no stream is read: the table's own relay (`npm start`'s, or
 * the deployed stream's) publishes the events the jobs' writes put in the outbox.
 */
export function openCliSystem(env: NodeJS.ProcessEnv = process.env) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = cliDataDir(env);
  const target = cliTarget(env);
  const config = operatorConfig({
    ...env,
    // Jobs sign no tokens; the key only has to satisfy the configuration.
    TOKEN_SIGNING_KEY: env.TOKEN_SIGNING_KEY ?? devSigningKey(dataDir),
    // Jobs may read webhooks (an account's deletion): the same key the table's server seals
    // them with; `npm start`'s dev key only for the local table (cliTarget asks for it otherwise).
    WEBHOOK_SECRETS_KEY: env.WEBHOOK_SECRETS_KEY ?? (target === 'local' ? DEV_WEBHOOK_SECRETS_KEY : undefined),
    // No job opens a TOTP secret (only sign-in and /v1/me/mfa do): the key only has to satisfy the configuration.
    MFA_SECRETS_KEY: env.MFA_SECRETS_KEY ?? DEV_MFA_SECRETS_KEY,
    LOG_LEVEL: env.LOG_LEVEL ?? 'WARN',
    // Mail of an operation (a user's notice) goes where `npm start`'s goes, for the local table.
    MAIL_DIR: env.MAIL_DIR ?? (target === 'local' && !env.MAIL_FROM ? join(dataDir, 'mail') : undefined),
  });
  const logger = createLogger(config.logLevel);
  const jobs = localJobQueue({ dataDir, logger, concurrency: cliJobConcurrency(env) });
  const system = createSystem({ config, logger, jobs: { transport: jobs.transport } });
  return { system, queue: jobs.queue, dataDir, logger };
}

/**
 * What the operator tools refuse in their environment before anything runs (a missing table, a
 * bad JOB_CONCURRENCY, any other invalid variable): the operator's input, not a failed run, so the job CLI exits 2 on it as
 * on its other refusals (1 is a run that failed).
 */
export class CliInputError extends Error {
  override name = 'CliInputError';
}

/** loadConfig, its refusal of a variable (a bad LOG_LEVEL, a short key) being the operator's input: exit 2, not a failed run's 1. */
function operatorConfig(env: NodeJS.ProcessEnv): ReturnType<typeof loadConfig> {
  try {
    return loadConfig(env);
  } catch (err) {
    throw new CliInputError((err as Error).message);
  }
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

function devSigningKey(dataDir: string): string {
  const file = join(dataDir, 'dev-signing-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : randomBytes(48).toString('base64url');
}
