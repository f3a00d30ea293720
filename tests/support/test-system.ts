import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { QUEUED_UNIT_KIND } from '@budgeting/platform/outbox';
import type { DynamoDBRecord } from 'aws-lambda';
import { createOutboxRelay } from '../../packages/app/src/events/outbox-relay';
import { createDynamoClients, fixedClock, loadConfig, type Clock, type EmailSender, type PushSender } from '@budgeting/platform';
import { dynamoEndpoint } from './dynamo-endpoint';
import { createApp } from '../../packages/app/src/http/create-app';
import { createSystem, type System, type SystemOptions } from '../../packages/app/src/system';
import { servedDocsScript } from '../../packages/app/src/local/docs-script';
import { ensureTable, localClient } from '../../packages/app/src/local/dynamodb-local';
import type { WebhooksModuleOptions } from '@budgeting/webhooks';

export const TEST_SIGNING_KEY = 'test-signing-key-that-is-long-enough-0123456789';
/** Seals webhook secrets in the tests' tables (32 bytes, base64). */
export const TEST_WEBHOOK_SECRETS_KEY = Buffer.alloc(32, 0x5e).toString('base64');
/** Seals TOTP secrets in the tests' tables (32 bytes, base64). */
export const TEST_MFA_SECRETS_KEY = Buffer.alloc(32, 0x6d).toString('base64');

/**
 * A whole system on its own fresh table in the run's DynamoDB Local. `clock` defaults to a
 * controllable fixed clock; pass `systemClock` for real time.
 */
/**
 * Password hashing at production cost takes ~100 ms of CPU per signup/login; suites that only
 * need users to exist use this cheaper (still real scrypt) cost. The users module's own tests
 * pass `productionPasswordHashing: true`.
 */
const TEST_SCRYPT = { logN: 10, r: 8, p: 1 };

export type ModuleName = 'users' | 'budgets' | 'expenses';

export interface TestSystemOptions {
  clock?: Clock;
  env?: Record<string, string>;
  productionPasswordHashing?: boolean;
  mail?: EmailSender;
  /** How pushes leave: a recorder in tests that count what was sent (default: the configuration's). */
  push?: PushSender;
  /** Fan-out jobs: the work transport (the local work queue) and time budgets. */
  jobs?: SystemOptions['jobs'];
  /** Serve only these modules: their routes, subscriptions and jobs (default: all three). */
  modules?: ModuleName[];
  /** Webhook tuning: scaled-down retry delays, a recording poster. */
  webhooks?: WebhooksModuleOptions;
  /** Expenses tuning: smaller pages and caps. */
  expenses?: SystemOptions['expenses'];
  /**
   * Serve another test system's table (e.g. the same data after a deploy changed a key)
   * instead of a fresh one; `destroy` then leaves the table to its owner.
   */
  tableName?: string;
  /**
   * Hand committed job units to the work queue inline (default true: no stream poller runs).
   * False where a stream poller of the test relays them (the e2e system, as npm start), or
   * each unit would be queued twice.
   */
  relayUnitsInline?: boolean;
  /**
   * Give the fresh table its stream (default false). Only a test that reads the stream needs it:
   * one driving the local stream relay (stream-relay-once.ts, local/events-runtime.ts) or
   * counting stream records. Everywhere else the tests relay units inline (relayUnitsInline)
   * and deliver events by hand (support/events.ts), and a stream nobody reads costs DynamoDB
   * Local a stream record per written item and a stream lookup per request. Measured 2026-12-07
   * on 48 of the main project's files (464 tests, 2 cores): the JVM's CPU 54.5 s -> 43.2 s, the
   * run's user CPU 110 s -> 94 s, every test passing either way. A reader on a table without a
   * stream fails loudly (events-stream-relay.ts: "has no stream").
   */
  stream?: boolean;
}

export async function createTestSystem(options: TestSystemOptions = {}) {
  const endpoint = dynamoEndpoint();
  const tableName = options.tableName ?? `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const raw = localClient(endpoint);
  if (!options.tableName) await ensureTable(raw, tableName, { stream: options.stream ?? false });
  const config = loadConfig({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    TOKEN_SIGNING_KEY: TEST_SIGNING_KEY,
    WEBHOOK_SECRETS_KEY: TEST_WEBHOOK_SECRETS_KEY,
    MFA_SECRETS_KEY: TEST_MFA_SECRETS_KEY,
    LOG_LEVEL: 'SILENT',
    ...options.env,
  });
  const clock = options.clock ?? fixedClock('2026-11-24T12:00:00Z');
  const { doc } = createDynamoClients({ region: config.region, endpoint });
  const whole = createSystem({
    config,
    clock,
    doc,
    users: options.productionPasswordHashing ? {} : { scrypt: TEST_SCRYPT },
    mail: options.mail,
    ...(options.push ? { push: options.push } : {}),
    docs: servedDocsScript(),
    webhooks: options.webhooks,
    expenses: options.expenses,
    jobs: options.jobs,
  });
  if (options.relayUnitsInline !== false) relayUnitsInline(doc, whole);
  const system = options.modules ? onlyModules(whole, options.modules) : whole;
  return {
    system,
    app: system.app,
    doc,
    tableName,
    clock,
    async destroy() {
      await whole.webhooks.localQueue?.stop();
      if (!options.tableName) await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      raw.destroy();
      doc.destroy();
    },
  };
}

export type TestSystem = Awaited<ReturnType<typeof createTestSystem>>;

/**
 * The system with only `names` wired: the other modules are still built (the chosen ones may
 * hold their facades) but serve no route, receive no event and run no job.
 */
function onlyModules(system: System, names: ModuleName[]): System {
  const modules = system.modules.filter((m) => names.includes(m.name as ModuleName));
  return {
    ...system,
    modules,
    app: createApp({ logger: system.deps.logger, modules, corsOrigins: system.config.corsOrigins }),
    subscriptions: modules.flatMap((m) => m.subscriptions ?? []),
    schedules: modules.flatMap((m) => m.schedules ?? []),
  };
}

/**
 * The table stream's relay for job units (README "Architecture": a unit written in a change's
 * transaction, platform queuedUnitPut), inline: a test system runs no stream poller, so once a
 * write that carries units has committed, the same relay code (outbox-relay.ts) hands them to
 * the system's work queue (inline: the job runs before the request answers, as it did when
 * requests queued their units themselves; held: heldJobs). Outermost on the client, so a write
 * that fails, or a process that "dies" right after its commit (crash-after-commit.ts), relays
 * nothing: then only a stream poller the test drives (local/events-runtime.ts) delivers them.
 * Events are not relayed here: tests deliver them (support/events.ts).
 */
function relayUnitsInline(doc: DynamoDBDocumentClient, system: System): void {
  const relay = createOutboxRelay({
    send: async () => {
      throw new Error('the inline unit relay publishes no events');
    },
    eventBusName: system.config.eventBusName,
    logger: system.deps.logger,
    work: (messages) => system.jobs.send(messages),
  });
  let sequence = 0;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const input = args.input as { Item?: Record<string, unknown>; TransactItems?: { Put?: { Item?: Record<string, unknown> } }[] };
      const written = context.commandName === 'TransactWriteItemsCommand' ? (input.TransactItems ?? []).map((i) => i.Put?.Item) : context.commandName === 'PutItemCommand' ? [input.Item] : [];
      const records: DynamoDBRecord[] = written
        .filter((item): item is Record<string, unknown> => item?.kind === QUEUED_UNIT_KIND)
        .map((item) => ({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { NewImage: marshall(item) as never, SequenceNumber: String(++sequence) } }));
      // As on the stream, the relay's failures are its own (logged), never the write's.
      if (records.length > 0) await relay(records);
      return out;
    },
    { step: 'initialize', priority: 'high', name: 'relayUnitsInline' },
  );
}
