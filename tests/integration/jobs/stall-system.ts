import { WORK_UNIT_STALLED_AFTER_MS, type fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { CSV_IMPORT_JOB, IMPORT_WATCHDOG_JOB, MERCHANT_RENAME_JOB, MERCHANT_RENAME_WATCHDOG_JOB } from '../../../packages/expenses/src/jobs/names';
import { as, createBudget, signUp } from '../../support/actors';
import { eventsAbout, type OutboxEvent } from '../../support/events';
import { call } from '../../support/http';
import { readBarrier } from './read-barrier';
import { createFanOutSystem, itemsOfKind } from './support';
import { unitControls } from './unit-controls';

/**
 * The set-up the stall and watchdog tests of the two bulk jobs a user starts (CSV import,
 * merchant rename) share: a fan-out system on a fixed clock, its owner, and one DynamoDB client
 * middleware that passes every request through the file's own holds (`beforeSend`), the read
 * barrier, and counts the job's stall failures that landed (`isStallWrite`, sent and answered).
 * What differs between the files (the job, its units, the record, the stall write's shape, the
 * holds) is given; what each test does stays in its file.
 */
export async function startStallSystem(o: {
  ownerName: string;
  system: Parameters<typeof createFanOutSystem>[0];
  reads: ReturnType<typeof readBarrier>;
  /** The job's stall failure as the client sends it (a conditional write on the `updatedAt` seen). */
  isStallWrite: (commandName: string | undefined, input: unknown) => boolean;
  /** Called once a stall failure's request has succeeded. */
  onStallWrite: () => void;
  /** Awaited before a request is sent (a test's one-shot holds); told whether it is a stall write. */
  beforeSend?: (commandName: string | undefined, input: unknown, stallWrite: boolean) => Promise<void>;
}) {
  const s = await createFanOutSystem(o.system);
  const clock = s.t.clock as ReturnType<typeof fixedClock>;
  const owner = await signUp(s.t.app, o.ownerName);
  s.t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const stallWrite = o.isStallWrite(context.commandName, args.input);
      await o.beforeSend?.(context.commandName, args.input, stallWrite);
      await o.reads.atGetItem(context.commandName, args.input);
      const out = await next(args);
      if (stallWrite) o.onStallWrite();
      return out;
    },
    { step: 'initialize', name: 'stallTestHooks' },
  );

  /** A fresh access token (they last 15 minutes of the clock, which these tests move by hours). */
  let signedInAt = Number.NEGATIVE_INFINITY;
  async function api() {
    if (clock.now().getTime() - signedInAt > 10 * 60_000) {
      const res = await call(s.t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
      expect(res.status, res.text).toBe(200);
      owner.token = res.json.tokens.accessToken;
      signedInAt = clock.now().getTime();
    }
    return as(s.t.app, owner);
  }

  /** GET of a job resource through the API (which applies the stall rule itself). */
  async function read(location: string) {
    const res = await (await api())('GET', location);
    expect(res.status, res.text).toBe(200);
    return res.json;
  }

  /**
   * Hands the held messages over and waits until `runs` more deliveries of the watchdog `job`
   * have ended (units may be held at a gate, so not idle()).
   */
  async function releaseWatchdogs(job: string, runs: number) {
    const watchdogRuns = () => s.deliveries.filter((d) => d.job === job).length;
    const before = watchdogRuns();
    s.queue.releaseDelayed();
    await vi.waitFor(() => expect(watchdogRuns()).toBe(before + runs), { timeout: 10_000, interval: 5 });
  }

  return { s, clock, owner, api, read, releaseWatchdogs };
}

/**
 * A job's stall failure as the DynamoDB client sends it: ONE TransactWriteItems whose record
 * update sets `failure = <param>` under a condition on the `updatedAt` read (`:seen`).
 */
export const isStallFailureWrite = (failureParam: string) => (commandName: string | undefined, input: unknown): boolean => {
  if (commandName !== 'TransactWriteItemsCommand') return false;
  const items = (input as { TransactItems?: { Update?: { UpdateExpression?: string; ConditionExpression?: string } }[] }).TransactItems ?? [];
  return items.some((i) => i.Update?.UpdateExpression?.includes(`failure = ${failureParam}`) === true && i.Update.ConditionExpression?.includes(':seen') === true);
};

export type StallSystem = Awaited<ReturnType<typeof startStallSystem>>;

/**
 * What the stall and watchdog test files need to know of one bulk job a user starts: its job and
 * watchdog job, how a unit is named for unitControls, the parameter its stall failure sets, the
 * unit size these tests use (small, so a few rows or expenses make several units), its record's
 * kind and id attribute, and the event it ends with (named by the same id).
 */
export interface WatchedJob<U> {
  job: string;
  watchdogJob: string;
  unitKey: (unit: U) => string;
  failureParam: string;
  expenses: NonNullable<Parameters<typeof createFanOutSystem>[0]>['expenses'];
  recordKind: string;
  idField: string;
  finishedEvent: string;
}

/** The CSV import: chunks of 2 rows, so a 6-row file is 3 units named `${budgetId}#${chunk}`. */
export const CSV_IMPORT_WATCH: WatchedJob<{ budgetId: string; chunk: number }> = {
  job: CSV_IMPORT_JOB,
  watchdogJob: IMPORT_WATCHDOG_JOB,
  unitKey: (unit) => `${unit.budgetId}#${unit.chunk}`,
  failureParam: ':message',
  expenses: { csv: { chunkRows: 2 } },
  recordKind: 'import',
  idField: 'importId',
  finishedEvent: 'expense.import_finished',
};

/** The merchant rename: pages of 3 expenses, so 6 expenses are 2 units named `${budgetId}#${n}`. */
export const MERCHANT_RENAME_WATCH: WatchedJob<{ budgetId: string; n: number }> = {
  job: MERCHANT_RENAME_JOB,
  watchdogJob: MERCHANT_RENAME_WATCHDOG_JOB,
  unitKey: (unit) => `${unit.budgetId}#${unit.n}`,
  failureParam: ':reason',
  expenses: { merchantRename: { pageSize: 3 } },
  recordKind: 'merchant-rename',
  idField: 'renameId',
  finishedEvent: 'expense.merchant_rename_finished',
};

/**
 * The one preamble of a stall or watchdog test file of `watched`: a stall system (startStallSystem,
 * `concurrency` deliveries at once, the file's one-shot holds in `beforeSend`) made before the
 * file's tests and destroyed after; the job's unit controls (`killed`, `gate`, `gates`), the read
 * barrier (`reads`), and the count of stall failures that landed (`stallWrites`). `s`, `clock`
 * and `owner` are read after the file's beforeAll ran. Each test's steps and expectations stay in
 * its file.
 */
export function stallSuite<U>(
  watched: WatchedJob<U>,
  o: { ownerName: string; concurrency: number; beforeSend?: Parameters<typeof startStallSystem>[0]['beforeSend'] },
) {
  const controls = unitControls<U>(watched.job, watched.unitKey);
  const reads = readBarrier();
  let system: StallSystem | undefined;
  let stallWrites = 0;
  beforeAll(async () => {
    system = await startStallSystem({
      ownerName: o.ownerName,
      system: { concurrency: o.concurrency, expenses: watched.expenses, beforeDelivery: controls.beforeDelivery },
      reads,
      isStallWrite: isStallFailureWrite(watched.failureParam),
      onStallWrite: () => stallWrites++,
      beforeSend: o.beforeSend,
    });
  });
  afterAll(() => system?.s.t.destroy());
  const live = () => system ?? expect.fail('stallSuite: used before its beforeAll');
  const api = () => live().api();
  const releaseWatchdogs = (runs: number) => live().releaseWatchdogs(watched.watchdogJob, runs);

  return {
    ...controls,
    reads,
    get s(): StallSystem['s'] {
      return live().s;
    },
    get clock(): StallSystem['clock'] {
      return live().clock;
    },
    get owner(): StallSystem['owner'] {
      return live().owner;
    },
    /** Successful writes of the stall failure so far. */
    get stallWrites(): number {
      return stallWrites;
    },
    api,
    read: (location: string) => live().read(location),
    /** releaseWatchdogs of the job's watchdog. */
    releaseWatchdogs,
    /**
     * The clock set to `at` (epoch ms), then the held watchdog messages handed over and `runs`
     * deliveries waited for: the count of stall writes that had landed before them.
     */
    async watchdogAt(at: number, runs = 1): Promise<number> {
      live().clock.set(new Date(at));
      const writesBefore = stallWrites;
      await releaseWatchdogs(runs);
      return writesBefore;
    },
    /** The clock set to one stall window (WORK_UNIT_STALLED_AFTER_MS) and `plusMs` after `lastMoved` (a record's updatedAt). */
    clockAtWindow(lastMoved: string, plusMs = 0): void {
      live().clock.set(new Date(Date.parse(lastMoved) + WORK_UNIT_STALLED_AFTER_MS + plusMs));
    },
    /** watchdogAt, the clock moved on by `ms`. */
    async watchdogIn(ms: number, runs = 1): Promise<number> {
      live().clock.advance(ms);
      const writesBefore = stallWrites;
      await releaseWatchdogs(runs);
      return writesBefore;
    },
    /** A new budget of the owner (a fresh token first: the clock may have moved by hours). */
    async newBudget() {
      await api();
      return createBudget(live().s.t.app, live().owner);
    },
    /** The job's record as stored (not through GET, which would apply the stall rule itself). */
    async stored(id: string): Promise<Record<string, any>> {
      const [item] = (await itemsOfKind(live().s.t, watched.recordKind)).filter((i) => i[watched.idField] === id);
      return item!;
    },
    /** The job's finished events in the outbox for the job `id`. */
    finishedOf: (id: string): Promise<OutboxEvent[]> => eventsAbout(live().s.t, watched.finishedEvent, watched.idField, id),
  };
}

/** A CSV file of `rows` rows (a row a day from 2026-11-01, amounts 1.25, 2.25, ..., merchant Shop). */
export const stallCsv = (rows: number) =>
  `date,amount,category,description,merchant\n${Array.from({ length: rows }, (_, n) => `2026-11-0${1 + n},${n + 1}.25,,row ${n},Shop`).join('\n')}\n`;

/** A new budget of the suite's owner with `count` expenses of 2026-11-10 (100, 101, ... cents), all of the merchant 'AMZN MKTP US'. */
export async function budgetOfMerchant(suite: Pick<ReturnType<typeof stallSuite>, 'newBudget' | 'api'>, count: number) {
  const b = await suite.newBudget();
  for (let n = 0; n < count; n++) {
    const res = await (await suite.api())('POST', `/v1/budgets/${b.id}/expenses`, { body: { occurredOn: '2026-11-10', amount: 100 + n, merchant: 'AMZN MKTP US' } });
    expect(res.status, res.text).toBe(201);
  }
  return b;
}
