/**
 * The whole system in-process against DynamoDB Local, with every DynamoDB request of its
 * DocumentClient counted (command names, and items each write request writes), and the local
 * event runtime (stream -> outbox relay -> in-process bus -> subscribers) driven by hand, so a
 * bench can tell what one HTTP request costs in the request and what it causes afterwards.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClients, loadConfig, type Clock } from '@budgeting/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable, localClient, startDynamoDbLocal, type DynamoDbLocal } from '../../packages/app/src/local/dynamodb-local';
import { startLocalEvents } from '../../packages/app/src/local/events-runtime';
import { createSystem, type SystemOptions } from '../../packages/app/src/system';
import { appRequest } from './app-request';

export const BENCH_SIGNING_KEY = 'bench-signing-key-that-is-long-enough-0123456789';

/**
 * The per-caller rate limit stays ON in the benches (its per-request work is in every figure),
 * at a limit no bench reaches: they drive thousands of requests a second as one user. At this
 * limit a user's count is shared with DynamoDB only every 50,000,000 requests (limit / 20), so
 * the per-operation request counts (write-cost, dynamodb-ops) stay exact; the HTTP throughput
 * bench (serve-app.ts) shares it every BENCH_RATE_LIMIT_FLUSH_EVERY requests, as production's
 * default limit does, so its figures carry the counter's writes too.
 */
export const BENCH_RATE_LIMIT_PER_MINUTE = 1_000_000_000;
/** Production's default: max(1, floor(1,200 / 20)). */
export const BENCH_RATE_LIMIT_FLUSH_EVERY = 60;

/** The config of a bench's in-process system: its table on DynamoDB Local, a fixed signing key, no logs, the rate limit out of reach. */
export function benchConfig(tableName: string, endpoint: string) {
  return loadConfig({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    TOKEN_SIGNING_KEY: BENCH_SIGNING_KEY,
    WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 0x42).toString('base64'),
    MFA_SECRETS_KEY: Buffer.alloc(32, 0x43).toString('base64'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'SILENT',
    API_RATE_LIMIT_PER_MINUTE: String(BENCH_RATE_LIMIT_PER_MINUTE),
  });
}

/** Requests and written items seen since the last reset. */
export class RequestMeter {
  commands: string[] = [];
  itemsWritten = 0;

  reset() {
    this.commands = [];
    this.itemsWritten = 0;
  }

  record(command: string, input: Record<string, unknown>) {
    this.commands.push(command);
    this.itemsWritten += itemsWrittenBy(command, input);
  }
}

/**
 * Items a write request writes (what DynamoDB bills write units for and what becomes stream
 * records): each Put/Update/Delete of a transaction (not its ConditionChecks), each request
 * of a batch write, one for a single-item write.
 */
export function itemsWrittenBy(command: string, input: Record<string, unknown>): number {
  if (command === 'TransactWriteItems') {
    const items = (input.TransactItems ?? []) as Record<string, unknown>[];
    return items.filter((i) => i.Put || i.Update || i.Delete).length;
  }
  if (command === 'BatchWriteItem') {
    const tables = (input.RequestItems ?? {}) as Record<string, unknown[]>;
    return Object.values(tables).reduce((n, requests) => n + requests.length, 0);
  }
  return /^(PutItem|UpdateItem|DeleteItem)$/.test(command) ? 1 : 0;
}

/** `jobs`: how fan-out work travels (default inline, in the sending request); the import bench passes the local work queue. */
export async function startMeteredSystem(clock?: Clock, options: { jobs?: SystemOptions['jobs'] } = {}) {
  const local: DynamoDbLocal | undefined = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const tableName = `bench-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const raw = localClient(endpoint);
  await ensureTable(raw, tableName);

  const meter = new RequestMeter();
  const { doc } = createDynamoClients({ region: 'us-east-1', endpoint });
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      // The DocumentClient's commands reach this stack under the low-level names (GetItemCommand...).
      meter.record((context.commandName ?? 'unknown').replace(/Command$/, ''), args.input as Record<string, unknown>);
      return next(args);
    },
    { step: 'initialize', name: 'requestMeter' },
  );

  const config = benchConfig(tableName, endpoint);
  const system = createSystem({ config, clock, doc, jobs: options.jobs });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-events-'));
  const events = startLocalEvents(system, { dataDir, autoStart: false, scheduler: false });

  /** Relays and delivers everything the stream holds; returns the number of stream records. */
  async function drainEvents(): Promise<number> {
    let records = 0;
    for (;;) {
      const n = await events.relay.pollOnce();
      await events.bus.idle();
      if (n === 0) return records;
      records += n;
    }
  }

  const request = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) =>
    appRequest(system.app, method, path, token, body, headers);

  return {
    endpoint,
    tableName,
    system,
    meter,
    doc,
    raw,
    request,
    drainEvents,
    /** Stream records the local poller has handed the relay so far (after the relay's event filter). */
    recordsHandedToRelay: () => events.relay.stats().delivered,
    async stop() {
      await events.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      raw.destroy();
      doc.destroy();
      await local?.stop();
    },
  };
}

export type MeteredSystem = Awaited<ReturnType<typeof startMeteredSystem>>;

/** Signs up one user and creates a budget with two categories and alert thresholds. */
export async function seedOwnerAndBudget(s: MeteredSystem, email = 'bench@example.com', options: { timezone?: string } = {}) {
  const signup = await s.request('POST', '/v1/auth/signup', undefined, { email, password: 'correct horse battery staple' });
  const token = String(signup.json!.tokens.accessToken);
  const budget = await s.request('POST', '/v1/budgets', token, {
    name: 'Bench',
    currency: 'USD',
    limit: 5_000_000,
    categories: [{ name: 'Groceries', limit: 600_000 }, { name: 'Transport' }],
    ...(options.timezone ? { timezone: options.timezone } : {}),
  });
  return { token, userId: String(signup.json!.user.id), budgetId: String(budget.json!.id), categories: budget.json!.categories as { id: string; name: string }[] };
}

export const tally = (names: string[]) =>
  Object.entries(names.reduce<Record<string, number>>((acc, n) => ({ ...acc, [n]: (acc[n] ?? 0) + 1 }), {}))
    .map(([n, c]) => `${n} ${c}`)
    .join(', ');
