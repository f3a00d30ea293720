import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Logger, type PlatformDeps, type ScheduledJob, type Subscription } from '@budgeting/platform';
import { createBusDelivery } from '../events/bus-delivery';
import { createOutboxRelay } from '../events/outbox-relay';
import type { WorkMessage } from '../jobs/messages';
import type { RetryPolicy } from '../events/put-events';
import { RELAY_FILTER_PATTERNS } from '../events/relay-filter';
import { SCHEDULES, SUBSCRIPTIONS } from '../wiring/manifest';
import type { ScheduleRow, SubscriptionRow } from '../wiring/rows';
import { createLocalBus, type LocalBus } from './events-bus';
import { startLocalScheduler, type LocalScheduler } from './events-scheduler';
import { createLocalStreamRelay, type LocalStreamRelay } from './events-stream-relay';

/**
 * Everything AWS does around the function, in the local process: the table's stream feeds
 * the outbox relay (same code as the Lambda's stream trigger) through the same event filter
 * as the deployed mapping (RELAY_FILTER_PATTERNS), the relay publishes to an
 * in-process bus (job units written in a change's transaction to the system's work queue), the bus delivers through the Lambda's bus-delivery code using
 * SUBSCRIPTIONS, and SCHEDULES run on timers. `npm start` and the integration tests use it.
 */
export interface LocalEventsHost {
  config: { tableName: string; dynamodbEndpoint?: string; region: string; eventBusName: string };
  deps: Pick<PlatformDeps, 'clock'> & { logger: Logger };
  /** The raw client the relay marks outbox items with (the system's, never a module's). */
  doc: DynamoDBDocumentClient;
  subscriptions: Subscription[];
  schedules: ScheduledJob[];
  /**
   * The system's work queue, for the job units the relay reads on the stream (the local queue
   * under npm start). Required, so a host that forgets it is a type error: without it every
   * unit (an invitation's mail, a data export) is reported and never worked. `null` only where
   * a test relays events alone (its units are then reported, never dropped). A queue that
   * accepts units at once in memory must offer `sendWorked` (local/work-queue.ts), which the
   * relay then uses: the batch is checkpointed only once its units have run, so a process that
   * dies first reads them again after its restart instead of losing them with its memory.
   */
  jobs: { send(messages: WorkMessage[]): Promise<void>; sendWorked?(messages: WorkMessage[]): Promise<void> } | null;
}

export interface LocalEventsOptions {
  /** Checkpoints and dead letters go under here (`.data` for npm start). */
  dataDir: string;
  rows?: SubscriptionRow[];
  scheduleRows?: ScheduleRow[];
  pollIntervalMs?: number;
  /** Run SCHEDULES on timers (off in tests that drive jobs themselves). */
  scheduler?: boolean;
  /** Start polling now (default); tests may drive `relay.pollOnce()` instead. */
  autoStart?: boolean;
  /** Delivery retries of the local bus before an event is dead-lettered. */
  busRetry?: Partial<RetryPolicy>;
}

export interface LocalEvents {
  bus: LocalBus;
  relay: LocalStreamRelay;
  scheduler?: LocalScheduler;
  stop(): Promise<void>;
}

export function startLocalEvents(host: LocalEventsHost, options: LocalEventsOptions): LocalEvents {
  const { config, deps } = host;
  if (!config.dynamodbEndpoint) throw new Error('The local event runtime needs DYNAMODB_ENDPOINT (DynamoDB Local)');
  const logger = deps.logger.createChild({ persistentKeys: { component: 'local-events' } });
  const rows = options.rows ?? SUBSCRIPTIONS;

  const bus = createLocalBus({
    rows,
    deliver: createBusDelivery(host, { rows }),
    logger,
    deadLetterDir: join(options.dataDir, 'dead-letters'),
    region: config.region,
    retry: options.busRetry,
  });
  const relay = createLocalStreamRelay({
    endpoint: config.dynamodbEndpoint,
    region: config.region,
    tableName: config.tableName,
    checkpointFile: join(options.dataDir, 'stream-checkpoints', `${config.tableName}.json`),
    relay: createOutboxRelay({
      send: bus.send,
      eventBusName: config.eventBusName,
      logger,
      work: host.jobs ? (messages) => (host.jobs!.sendWorked ? host.jobs!.sendWorked(messages) : host.jobs!.send(messages)) : undefined,
    }),
    filters: RELAY_FILTER_PATTERNS,
    afterBatch: bus.idle,
    logger,
    pollIntervalMs: options.pollIntervalMs,
  });
  const scheduler =
    options.scheduler === false
      ? undefined
      : startLocalScheduler({ rows: options.scheduleRows ?? SCHEDULES, jobs: host.schedules, logger, deadLetterDir: join(options.dataDir, 'dead-letters'), region: config.region });
  if (options.autoStart !== false) relay.start();

  return {
    bus,
    relay,
    scheduler,
    async stop() {
      scheduler?.stop();
      await relay.stop();
      await bus.stop();
    },
  };
}
