import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@budgeting/platform';
import { createSystem } from '../system';
import { DEV_MFA_SECRETS_KEY } from './dev-mfa-secrets-key';
import { DEV_WEBHOOK_SECRETS_KEY } from './dev-webhook-secrets-key';
import { deadLetterDir, localJobQueue } from './jobs-runtime';
import { CliInputError, cliDataDir, cliJobConcurrency, cliTarget } from './cli-environment';

export { CliInputError, cliDataDir, cliJobConcurrency, cliTarget };

/**
 * The system as the operator tools (`npm run job`, `npm run dead-letters`) build it, against
 * one of two tables (see `cliTarget`): the one `npm start` uses, or a deployed one. The units
 * run here, on the local work queue with its dead-letter folder under DATA_DIR (default
 * .data). Nothing is served and no stream is read: the table's own relay (`npm start`'s, or
 * the deployed stream's) publishes the events the jobs' writes put in the outbox.
 */
export function openCliSystem(env: NodeJS.ProcessEnv = process.env, options: { webhookDeliveries?: boolean } = {}) {
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
  // `webhookDeliveries` (the dead letters' replay): the webhook attempts it queues wait where npm start's do,
  // for npm start to make (the caller stops the queue before it exits, so none is cut short).
  const webhooks = options.webhookDeliveries ? { webhookQueueDir: join(dataDir, 'webhook-deliveries'), webhookDeadLetterDir: deadLetterDir(dataDir) } : {};
  const system = createSystem({ config, logger, jobs: { transport: jobs.transport }, ...webhooks });
  return { system, queue: jobs.queue, dataDir, logger };
}

/** loadConfig, its refusal of a variable (a bad LOG_LEVEL, a short key) being the operator's input: exit 2, not a failed run's 1. */
function operatorConfig(env: NodeJS.ProcessEnv): ReturnType<typeof loadConfig> {
  try {
    return loadConfig(env);
  } catch (err) {
    throw new CliInputError((err as Error).message);
  }
}

function devSigningKey(dataDir: string): string {
  const file = join(dataDir, 'dev-signing-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : randomBytes(48).toString('base64url');
}
