import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger, loadConfig } from '@budgeting/platform';
import { createSystem } from '../system';
import { DEV_WEBHOOK_SECRETS_KEY } from './dev-webhook-secrets-key';
import { localJobQueue } from './jobs-runtime';

/**
 * The system as the operator tools (`npm run job`, `npm run dead-letters`) build it: the
 * table `npm start` uses (DYNAMODB_ENDPOINT, TABLE_NAME, the same variables), the local work
 * queue with its dead-letter folder under DATA_DIR (default .data). Nothing is served and no
 * stream is read: `npm start`'s relay publishes the events the jobs' writes put in the outbox.
 */
export function openCliSystem(env: NodeJS.ProcessEnv = process.env) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  if (!env.DYNAMODB_ENDPOINT) {
    throw new Error('DYNAMODB_ENDPOINT is not set: point it at the DynamoDB `npm start` uses (e.g. http://localhost:8000), with TABLE_NAME if not the default');
  }
  const config = loadConfig({
    ...env,
    // Jobs sign no tokens; the key only has to satisfy the configuration.
    TOKEN_SIGNING_KEY: env.TOKEN_SIGNING_KEY ?? devSigningKey(dataDir),
    // Jobs may read webhooks (an account's deletion): the same key `npm start` seals them with.
    WEBHOOK_SECRETS_KEY: env.WEBHOOK_SECRETS_KEY ?? DEV_WEBHOOK_SECRETS_KEY,
    LOG_LEVEL: env.LOG_LEVEL ?? 'WARN',
  });
  const logger = createLogger(config.logLevel);
  const jobs = localJobQueue({ dataDir, logger, concurrency: Number(env.JOB_CONCURRENCY ?? 8) });
  const system = createSystem({ config, logger, jobs: { transport: jobs.transport } });
  return { system, queue: jobs.queue, dataDir, logger };
}

function devSigningKey(dataDir: string): string {
  const file = join(dataDir, 'dev-signing-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : randomBytes(48).toString('base64url');
}
