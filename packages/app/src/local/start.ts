import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createLogger, loadConfig } from '@budgeting/platform';
import { createSystem } from '../system';
import { servedDocsScript } from './docs-script';
import { ensureTable, localClient, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { startLocalEvents } from './events-runtime';
import { portFrom, portIsFree } from './ports';
import { deadLetterDir, localJobQueue } from './jobs-runtime';
import { DEV_MFA_SECRETS_KEY } from './dev-mfa-secrets-key';
import { DEV_WEBHOOK_SECRETS_KEY } from './dev-webhook-secrets-key';
import { answerMalformedRequestsWithProblems } from './malformed-request-answer';
import { answeringAsLambda } from './answer-fit';

/**
 * `npm start`: the whole system in one process on a laptop. DynamoDB Local runs from the
 * jar in node_modules with data under .data/ (git-ignored); DYNAMODB_ENDPOINT points at an
 * existing DynamoDB instead. Ctrl-C stops the server and Java together.
 */
// Node 20 is supported here; the SDK's notice about its future Node 22 floor is noise locally.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DATA_DIR = resolve(process.env.DATA_DIR ?? '.data');

function devSigningKey(): string {
  const file = join(DATA_DIR, 'dev-signing-key');
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

let dynamo: DynamoDbLocal | undefined;

/** Stops Java (if started) and exits with one line on stderr: no stack trace for a known problem. */
async function fail(message: string): Promise<never> {
  await dynamo?.stop().catch(() => undefined);
  console.error(`npm start: ${message}`);
  process.exit(1);
}

/** The configuration `npm start` runs with: the environment, with local defaults for what it leaves out. */
function localEnvironment(dynamoEndpoint: string | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT ?? dynamoEndpoint,
    TOKEN_SIGNING_KEY: process.env.TOKEN_SIGNING_KEY ?? devSigningKey(),
    WEBHOOK_SECRETS_KEY: process.env.WEBHOOK_SECRETS_KEY ?? DEV_WEBHOOK_SECRETS_KEY,
    MFA_SECRETS_KEY: process.env.MFA_SECRETS_KEY ?? DEV_MFA_SECRETS_KEY,
    MAIL_DIR: process.env.MAIL_DIR ?? join(DATA_DIR, 'mail'),
    PUSH_DIR: process.env.PUSH_DIR ?? join(DATA_DIR, 'push'),
    // Receipts: files here, served by the stand-in's own loopback server (packages/app/src/storage).
    ATTACHMENTS_DIR: process.env.ATTACHMENTS_DIR ?? join(DATA_DIR, 'attachments'),
    // Locally a webhook may point at http://localhost (refused in AWS: SSRF guard).
    WEBHOOK_ALLOW_LOCAL_URLS: process.env.WEBHOOK_ALLOW_LOCAL_URLS ?? 'true',
  };
}

async function main() {
  process.once('exit', () => void dynamo?.stop());
  const port = portFrom(process.env, 'PORT', 3000);
  if (!(await portIsFree(port))) {
    await fail(`port ${port} is already in use (another npm start?). Stop that process, or choose another port with PORT, e.g. PORT=${port + 1} npm start.`);
  }
  if (!process.env.DYNAMODB_ENDPOINT) {
    const dynamoPort = portFrom(process.env, 'DYNAMODB_LOCAL_PORT', 8000);
    // Starting anyway would let our requests reach whatever answers there (another npm
    // start's DynamoDB Local and its data), while our own Java fails to bind and exits.
    if (!(await portIsFree(dynamoPort))) {
      await fail(
        `port ${dynamoPort} for DynamoDB Local is already in use (another npm start?). Stop it, choose a free port with DYNAMODB_LOCAL_PORT, ` +
          `or use that instance on purpose with DYNAMODB_ENDPOINT=http://127.0.0.1:${dynamoPort}.`,
      );
    }
    dynamo = await startDynamoDbLocal({ port: dynamoPort, dbPath: join(DATA_DIR, 'dynamodb') });
  }
  const config = loadConfig(localEnvironment(dynamo?.endpoint));
  const raw = localClient(config.dynamodbEndpoint!);
  const table = await ensureTable(raw, config.tableName);
  raw.destroy();

  // Fan-out jobs: the schedules' planners and the cascades send units to the in-process
  // stand-in of the SQS queue, worked by the same worker code the Lambda runs.
  const logger = createLogger(config.logLevel);
  const jobs = localJobQueue({ dataDir: DATA_DIR, logger });
  // Webhook attempts waiting out a retry delay are kept in .data/ too, for the next start.
  const system = createSystem({ config, logger, jobs: { transport: jobs.transport }, webhookQueueDir: join(DATA_DIR, 'webhook-deliveries'), webhookDeadLetterDir: deadLetterDir(DATA_DIR), docs: servedDocsScript() });
  // Loopback only unless HOST widens it on purpose (e.g. HOST=0.0.0.0 to test from a phone).
  // Every answer sent as the Lambda handler sends it: large ones compressed, or a 406 (local/answer-fit.ts).
  const server = serve({ fetch: answeringAsLambda(system.app.fetch), port, hostname: process.env.HOST || '127.0.0.1' });
  // Requests Node's parser refuses get a problem+json too, not Node's bodyless 400/431.
  answerMalformedRequestsWithProblems(server);
  // The port was free a moment ago; if another process took it meanwhile, say so and stop Java.
  server.once('error', (err: NodeJS.ErrnoException) =>
    void fail(err.code === 'EADDRINUSE' ? `port ${port} is already in use. Choose another port with PORT, e.g. PORT=${port + 1} npm start.` : err.message),
  );
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const log = system.deps.logger;
  // Stream -> outbox relay -> in-process bus -> subscriptions, and the schedules (.data/ keeps
  // the stream checkpoint and dead letters).
  // The job units it reads go to the work queue itself (sendWorked: checkpointed once they ran).
  const events = startLocalEvents({ ...system, jobs: jobs.queue }, { dataDir: DATA_DIR });
  log.info('budgeting API ready', {
    url: `http://localhost:${port}`,
    docs: `http://localhost:${port}/docs`,
    dynamodb: config.dynamodbEndpoint,
    table: `${config.tableName} (${table})`,
    mail: config.mailDir ? `written as .eml files to ${config.mailDir} (not sent)` : `sent through SES from ${config.mailFrom ?? '(MAIL_FROM unset)'}`,
    schedules: events.scheduler?.nextRuns(),
    webhooks: config.webhookAllowLocalUrls
      ? 'http and loopback/private URLs ALLOWED (local only; AWS refuses them); deliveries retried by the in-process queue'
      : 'https URLs to public addresses only; deliveries retried by the in-process queue',
  });
  console.log(`\n  Budgeting API on http://localhost:${port}  (docs: http://localhost:${port}/docs)`);
  if (config.webhookAllowLocalUrls) {
    console.log('  Webhooks: http:// and loopback URLs are allowed here so a local receiver can be tried (AWS refuses them).');
  }
  console.log('  Ctrl-C to stop.\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await new Promise<void>((r) => server.close(() => r()));
    await events.stop(); // lets an in-flight batch be delivered and checkpointed
    await system.webhooks.localQueue?.stop();
    await jobs.queue.stop(); // and the queued job units be worked
    await dynamo?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: Error) => fail(err.message));
