import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger, type Clock, type EmailMessage, type EmailSender } from '@budgeting/platform';
import type { WorkMessage } from '../../../packages/app/src/jobs/messages';
import { localJobQueue } from '../../../packages/app/src/local/jobs-runtime';
import { afterAll, beforeAll } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { createTestSystem, type TestSystem, type TestSystemOptions } from '../../support/test-system';

/**
 * A test system whose fan-out jobs go through the local work queue (the stand-in of SQS:
 * separate deliveries, retries, a dead-letter folder), with every delivery's duration
 * recorded, and an optional "crash": a worker that dies right AFTER some transaction
 * committed (the write is in, the process never learns it), so the unit is delivered again.
 * Each BatchWriteItem a delivery sends is recorded with how long after the delivery began
 * it was sent (`batchWrites`), so a test can see whether a step started after the deadline.
 */
export async function createFanOutSystem(
  options: {
    clock?: Clock;
    unitBudgetMs?: number;
    planBudgetMs?: number;
    concurrency?: number;
    /**
     * Awaited before each delivery: a test holds a job's units back (an export "still running"),
     * or throws, as if the invocation had been killed before the job's code ran.
     */
    beforeDelivery?: (job: string, message: WorkMessage) => Promise<void>;
    /** How mail leaves (a recorder). */
    mail?: EmailSender;
    /** Extra configuration (environment variables). */
    env?: Record<string, string>;
    /** Expenses tuning (smaller data-export pages). */
    expenses?: TestSystemOptions['expenses'];
    /** Give the table its stream (a test that drives the stream relay: stream-relay-once.ts). */
    stream?: boolean;
  } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fan-out-'));
  const jobs = localJobQueue({
    dataDir,
    logger: createLogger('SILENT'),
    concurrency: options.concurrency ?? 6,
    retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 50 },
  });
  const deliveries: { job: string; ms: number }[] = [];
  const batchWrites: { job: string; atMs: number }[] = [];
  const delivery = new AsyncLocalStorage<{ job: string; started: number }>();
  const t: TestSystem = await createTestSystem({
    clock: options.clock,
    mail: options.mail,
    env: options.env,
    stream: options.stream,
    expenses: options.expenses,
    jobs: {
      unitBudgetMs: options.unitBudgetMs,
      planBudgetMs: options.planBudgetMs,
      transport: (deliver) =>
        jobs.transport(async (message, ctx) => {
          await options.beforeDelivery?.(message.job, message);
          const started = performance.now();
          try {
            await delivery.run({ job: message.job, started }, () => deliver(message, ctx));
          } finally {
            deliveries.push({ job: message.job, ms: performance.now() - started });
          }
        }),
    },
  });

  // `limit` caps the crashes, so no unit can use up its attempts on crashes alone (the local
  // queue tries six times) and end dead-lettered instead of resumed. `only` (optional): count
  // just the transactions whose input it accepts (e.g. those of one kind of write).
  const crash: { everyNth: number; count: number; crashed: number; limit: number; only?: (input: Record<string, any>) => boolean } = { everyNth: 0, count: 0, crashed: 0, limit: Number.POSITIVE_INFINITY };
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const counted = context.commandName === 'TransactWriteItemsCommand' && (!crash.only || crash.only(args.input as Record<string, any>));
      if (crash.everyNth > 0 && counted && crash.crashed < crash.limit && ++crash.count % crash.everyNth === 0) {
        crash.crashed++;
        throw new Error('worker crashed right after its transaction committed');
      }
      return out;
    },
    { step: 'initialize', name: 'crashAfterCommit' },
  );

  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const current = delivery.getStore();
      // lib-dynamodb's BatchWriteCommand reaches the middleware as the client's BatchWriteItemCommand.
      if (current && context.commandName === 'BatchWriteItemCommand') batchWrites.push({ job: current.job, atMs: performance.now() - current.started });
      return next(args);
    },
    { step: 'initialize', name: 'recordBatchWrites' },
  );

  return { t, queue: jobs.queue, deliveries, batchWrites, crash, dataDir };
}

export type FanOutSystem = Awaited<ReturnType<typeof createFanOutSystem>>;

/**
 * A fan-out system delivering one unit at a time whose outgoing mail is kept in `mail`, built
 * before the file's tests and destroyed after them (the locale tests of mailed jobs): `fan.s`
 * is the system once built.
 */
export function mailingFanOutSuite() {
  const fan = { mail: [] as EmailMessage[], s: undefined as unknown as FanOutSystem };
  beforeAll(async () => {
    fan.s = await createFanOutSystem({ concurrency: 1, mail: { send: async (m) => void fan.mail.push(m) } });
  });
  afterAll(async () => {
    await fan.s?.t.destroy();
  });
  return fan;
}

/**
 * The preamble of the rename files (merchant-rename, tag-rename): a fan-out system made with
 * `options` and four accounts (`${prefix}owner`, `${prefix}editor`, `${prefix}viewer`,
 * `${prefix}stranger`), made by a beforeAll that runs before the file's own (`accounts` is
 * filled then) and destroyed after; `api(who)`, requests as `who` (the editor unless told); and
 * `teamBudget(category)`, a budget of the owner with that one category, the editor and the
 * viewer its members: its id and the category's.
 */
export function fanOutTeamSuite(prefix: string, options: Parameters<typeof createFanOutSystem>[0]) {
  const accounts = {} as { s: FanOutSystem; owner: Actor; editor: Actor; viewer: Actor; stranger: Actor };
  beforeAll(async () => {
    const s = await createFanOutSystem(options);
    const [owner, editor, viewer, stranger] = (await Promise.all(['owner', 'editor', 'viewer', 'stranger'].map((l) => signUp(s.t.app, `${prefix}${l}`)))) as [Actor, Actor, Actor, Actor];
    Object.assign(accounts, { s, owner, editor, viewer, stranger });
  });
  afterAll(() => accounts.s.t.destroy());

  return {
    accounts,
    api: (who: Actor = accounts.editor) => as(accounts.s.t.app, who),
    async teamBudget(category: string) {
      const { s, owner, editor, viewer } = accounts;
      const budget = await createBudget(s.t.app, owner, { categories: [{ name: category }] });
      await addMember(s.t.app, owner, budget.id, editor, 'editor');
      await addMember(s.t.app, owner, budget.id, viewer, 'viewer');
      return { id: budget.id, category: budget.categories[0]!.id };
    },
  };
}

/** Every item of a kind (a Scan: tests only). */
export async function itemsOfKind(t: TestSystem, kind: string): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.doc.send(
      new ScanCommand({ TableName: t.tableName, FilterExpression: 'kind = :k', ExpressionAttributeValues: { ':k': kind }, ExclusiveStartKey: start }),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** How many items share each value of `field`. */
export function countBy(items: Record<string, any>[], field: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i[field], (counts.get(i[field]) ?? 0) + 1);
  return counts;
}
