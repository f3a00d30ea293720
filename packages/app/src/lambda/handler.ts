import type { ScheduledJob } from '@budgeting/platform';
import { createDynamoClients, createLogger, loadConfig, loadOnce, systemClock } from '@budgeting/platform/init';
import type { Context } from 'aws-lambda';
import { SCHEDULES } from '../wiring/manifest';
import { createTriggerDispatcher } from './dispatch';
import type { DocsScript } from '../http/docs-page';
import { environmentFromLinks } from './sst-environment';

/** Set by the build (packages/app/scripts/docs-script.mjs): the pinned CDN script and its SRI hash. */
declare const __DOCS_SCRIPT__: DocsScript;

/**
 * The ONE Lambda function. At init it builds only what every trigger needs: the configuration,
 * the root logger and the DynamoDB client. Each trigger's own code is loaded (a separate
 * esbuild chunk) and built on the first event of that kind, then reused while the container
 * is warm:
 * - HTTP: the composition root (modules, Hono app, zod schemas, OpenAPI registry);
 * - bus events, schedules and SQS batches (the jobs' work queue, webhook deliveries): the same
 *   composition root (module subscriptions, job planners and workers, the webhook worker);
 * - stream batches: only the outbox relay (and, inside it, the EventBridge client), never the
 *   HTTP stack.
 * So a stream batch does not pay for the API, and the API does not pay for the relay. `npm run
 * bench` reports the entry's import and the first HTTP response separately for that reason.
 */
const config = loadConfig(environmentFromLinks(process.env));
const logger = createLogger(config.logLevel);
const { doc } = createDynamoClients({ region: config.region, endpoint: config.dynamodbEndpoint });
const shared = { config, logger, doc, clock: systemClock };

const loadSystem = loadOnce(async () => {
  const { createSystem } = await import('../system');
  return createSystem({ config, logger, doc, clock: systemClock, docs: __DOCS_SCRIPT__ });
});

const loadHttp = loadOnce(async () => {
  // The adapter, with every answer fitted to what Lambda can send (http-answer.ts).
  const [system, { handleHttp }] = await Promise.all([loadSystem(), import('./http-answer')]);
  return handleHttp(system.app);
});

const loadBus = loadOnce(async () => {
  const [system, { createBusDelivery }] = await Promise.all([loadSystem(), import('../events/bus-delivery')]);
  return createBusDelivery(system);
});

const loadQueue = loadOnce(async () => {
  const [system, jobs, webhooks, { routeQueueBatches }] = await Promise.all([
    loadSystem(),
    import('../jobs/sqs-consumer'),
    import('../webhooks/sqs-consumer'),
    import('./queue-router'),
  ]);
  return routeQueueBatches({
    jobs: jobs.createSqsConsumer({ deliver: (m, ctx, deadline) => system.jobs.deliver(m, ctx, deadline), logger }),
    webhooks: webhooks.createDeliveryConsumer({ deliver: system.webhooks.deliver, logger }),
  });
});

const loadStream = loadOnce(async () => {
  const { createStreamHandler } = await import('../events/stream-handler');
  return createStreamHandler({ config, deps: shared });
});

/**
 * The dispatcher matches a schedule rule to a job by name; the names come from the schedule
 * table (plain data), and the module's real job runs once the system is loaded.
 */
const schedules: ScheduledJob[] = SCHEDULES.map((row) => ({
  name: row.name,
  schedule: row.schedule,
  async run(time, ctx) {
    const job = (await loadSystem()).schedules.find((j) => j.name === row.name);
    if (!job) throw new Error(`schedule "${row.name}" has no job registered by module ${row.module}`);
    return job.run(time, ctx);
  },
}));

const dispatch = createTriggerDispatcher({
  logger,
  http: async (event, context) => (await loadHttp())(event as never, context),
  bus: async (event) => (await loadBus())(event),
  stream: async (event) => (await loadStream())(event),
  queue: async (event, context) => (await loadQueue())(event, context),
  schedules,
});

export const handler = (event: unknown, context: Context) => dispatch(event, context);

