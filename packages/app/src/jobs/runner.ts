import { randomUUID } from 'node:crypto';
import { DeliveryInFlightError, MAX_QUEUE_DELAY_SECONDS, type FanOutJob, type HandlerContext, type Logger, type PlanPage, type ScheduledJob, type WorkQueue } from '@budgeting/platform';
import { loggedAlready } from './logged-failure';
import { loggedUnit } from './logged-unit';
import type { JobMetrics } from './metrics';
import type { WorkMessage, WorkTransport } from './messages';
import { deferralDelaySeconds, RELAYED_UNIT_MAX_DEFERRALS, type RelayedUnitGuard } from './relayed-units';

/**
 * Plans and works the fan-out jobs (packages/platform/src/jobs/fan-out.ts) over a work
 * transport. The same code runs in Lambda (schedule -> planner, SQS batch -> worker), in
 * `npm start` and in `npm run job` (the local stand-in of the queue).
 *
 * Planner: pages the job's due index as of the tick and sends every page's units; when its
 * time budget is spent it sends its cursor as a `plan` message, so a later invocation goes
 * on. No cap on units per tick: the plan is as long as the due list.
 *
 * Worker: one message at a time; a unit that ran out of time comes back as `again` and is
 * sent as a new message. A failure throws (the queue retries, then dead-letters). A unit
 * delivered before its `notBefore` (a queue delays a message at most 15 minutes) is sent back
 * with the delay still needed, unworked: one place, so every transport waits alike.
 */
export interface JobRunnerOptions {
  jobs: FanOutJob[];
  transport: () => WorkTransport;
  logger: Logger;
  metrics: JobMetrics;
  /** How long one planner invocation pages before handing on its cursor (Lambda timeout is 30 s). */
  planBudgetMs?: number;
  /** How long one unit may start new steps in one invocation. */
  unitBudgetMs?: number;
  now?: () => number;
  /**
   * The system's clock (epoch ms), which units' `notBefore` instants are on; default the wall
   * clock. Not `now`: that one measures time budgets, which a test's fixed clock would stop.
   */
  clock?: () => number;
  /**
   * Claims a relayed unit (one the stream relay sent: `relayed`) for its send before it is
   * worked, and marks the claim done after, so another send of the same item is dropped, or
   * deferred while the claim's attempt may still run (relayed-units.ts). Absent (unit tests
   * of the runner alone), relayed units are worked as any other.
   */
  relayedUnits?: RelayedUnitGuard;
}

export class UnknownJobError extends Error {
  constructor(job: string) {
    super(`no fan-out job named "${job}"`);
    this.name = 'UnknownJobError';
  }
}

export type JobRunner = ReturnType<typeof createJobRunner>;

export function createJobRunner(options: JobRunnerOptions) {
  const now = options.now ?? Date.now;
  const waitOf = (notBefore: string | undefined) => queueDelayUntil(notBefore, options.clock ?? Date.now);
  const planBudgetMs = options.planBudgetMs ?? 20_000;
  const unitBudgetMs = options.unitBudgetMs ?? 20_000;
  const jobOf = (name: string) => {
    const job = options.jobs.find((j) => j.name === name);
    if (!job) throw new UnknownJobError(name);
    return job;
  };

  /** The planner: pages from `cursor` until the plan is done or the time budget is spent. */
  async function plan(name: string, tick: Date, ctx: HandlerContext, cursor?: string): Promise<void> {
    const job = jobOf(name);
    if (!job.plan) throw new Error(`job "${name}" has no planner (it is started by events, not a schedule)`);
    await options.metrics.ready();
    const deadline = now() + planBudgetMs;
    const tickIso = tick.toISOString();
    let position = cursor;
    do {
      const page = await job.plan(tick, position, ctx);
      if (page.units.length > 0) {
        await options.transport().send(page.units.map((unit) => ({ type: 'unit', job: name, tick: tickIso, unit })));
      }
      countPage(options.metrics, name, page, tick);
      position = page.cursor;
      if (position && now() >= deadline) {
        // Checkpoint: the rest of the plan runs in another invocation, as of the same tick.
        await options.transport().send([{ type: 'plan', job: name, tick: tickIso, cursor: position }]);
        ctx.logger.info('planner handed on its cursor', { job: name, tick: tickIso });
        return;
      }
    } while (position);
  }

  /** The worker: one message. Throws when the unit failed (the queue retries it). */
  async function deliver(message: WorkMessage, ctx: HandlerContext, deadline = now() + unitBudgetMs): Promise<void> {
    const tick = new Date(message.tick);
    if (message.type === 'plan') return plan(message.job, tick, ctx, message.cursor);
    const job = jobOf(message.job);
    const wait = waitOf(message.notBefore); // not due yet (a queue delays one message 15 minutes at most): back to the queue, unworked
    if (wait > 0) return options.transport().send([message], { delaySeconds: wait });
    await options.metrics.ready();
    const unit = await parsedUnit(job, message, ctx.logger, options.metrics);
    // This delivery's own id, which a relayed unit's claim holds: SQS may hand one message to two
    // invocations at once, and both carry the same send (relayed-units.ts).
    const attempt = randomUUID();
    if (!(await mayWork(message, attempt, { guard: options.relayedUnits, logger: ctx.logger, metrics: options.metrics, transport: options.transport, clock: options.clock ?? Date.now }))) return;
    const continued = await workUnit(options, job, unit, { message, attempt }, { ...ctx, deadline });
    // After the work: it is done, so a failed mark neither releases the claim nor fails the message.
    // A unit that continues is not done: its last part marks the claim (continuationOf).
    if (!continued) await markClaimDone(message, attempt, options.relayedUnits, ctx.logger);
  }

  /** The scheduled face of a planned job: its schedule tick runs the planner. */
  function scheduled(): ScheduledJob[] {
    return options.jobs
      .filter((j) => j.schedule && j.plan)
      .map((job) => ({ name: job.name, schedule: job.schedule!, run: (time, ctx) => plan(job.name, time, ctx) }));
  }

  /** What modules get as `deps.work`: units for later invocations. */
  const queue = workQueue(jobOf, options.transport, waitOf);

  /** Jobs a tick can start: the scheduled ones, and operator jobs (a planner, no schedule). */
  const plannable = () => options.jobs.filter((j) => j.plan).map((j) => j.name);

  // `send`: messages as they are, to the transport (job units the local stream relay read: outbox-relay.ts).
  const send = (messages: WorkMessage[]) => options.transport().send(messages);
  return { plan, deliver, scheduled, queue, send, metrics: options.metrics, plannable, jobNames: () => options.jobs.map((j) => j.name) };
}

/**
 * Works one delivered unit; true when it continues (its rest sent as a new message). A failure
 * is counted, logged, releases a relayed unit's claim, and is thrown (the queue retries it).
 */
async function workUnit(
  options: JobRunnerOptions,
  job: FanOutJob,
  unit: unknown,
  { message, attempt }: { message: WorkMessage & { type: 'unit' }; attempt: string },
  ctx: HandlerContext & { deadline: number },
): Promise<boolean> {
  try {
    const outcome = await job.work(unit, new Date(message.tick), { logger: ctx.logger, deadline: ctx.deadline, ...(ctx.lastAttempt ? { lastAttempt: true } : {}) });
    if (outcome?.notDue) options.metrics.count(job.name, 'NotDueReads', 1);
    if (outcome?.report) options.metrics.report(job.name, outcome.report);
    const continued = outcome?.again !== undefined;
    if (continued) await options.transport().send([continuationOf(message, attempt, outcome.again)], { continuation: true });
    options.metrics.count(job.name, continued ? 'UnitsContinued' : 'UnitsProcessed', 1);
    return continued;
  } catch (err) {
    options.metrics.count(job.name, 'UnitsFailed', 1);
    // A second receive of a unit meeting the first one's claim (platform claimedOnce) is no fault: it fails only to be handed again.
    if (err instanceof DeliveryInFlightError) ctx.logger.warn('job unit handed while another receive of it runs: handed again later', { job: job.name, error: err.message });
    // The unit's ids, never its personal data (an address a mail unit carries): logged-unit.ts.
    // With its stack: a fault of ours (a TypeError) is found from where it was thrown, not its message.
    else ctx.logger.error('job unit failed', { job: job.name, unit: loggedUnit(message.unit) as never, error: (err as Error).message, stack: (err as Error).stack });
    await releaseClaim(message, attempt, options.relayedUnits, ctx.logger);
    throw loggedAlready(err);
  }
}

/**
 * The message's unit as its job reads it. A unit the job refuses is a failed attempt like one
 * whose work threw (the queue retries it, then dead-letters it): counted under UnitsFailed and
 * logged once, with what of the unit may be logged (logged-unit.ts).
 */
async function parsedUnit(job: FanOutJob, message: WorkMessage & { type: 'unit' }, logger: Logger, metrics: JobMetrics): Promise<unknown> {
  try {
    return await job.parseUnit(message.unit);
  } catch (err) {
    metrics.count(job.name, 'UnitsFailed', 1);
    logger.error('job unit refused by its job', { job: job.name, unit: loggedUnit(message.unit) as never, error: (err as Error).message });
    throw loggedAlready(err);
  }
}

/** Units of a known job, as messages on the transport; held ones (`notBefore`) delayed. */
function workQueue(jobOf: (name: string) => FanOutJob, transport: () => WorkTransport, waitOf: (notBefore: string | undefined) => number): WorkQueue {
  return {
    async enqueue(job, units, tick, enqueueOptions) {
      jobOf(job);
      if (units.length === 0) return;
      const notBefore = enqueueOptions?.notBefore?.toISOString();
      const messages: WorkMessage[] = units.map((unit) => ({ type: 'unit', job, tick: tick.toISOString(), unit, ...(notBefore === undefined ? {} : { notBefore }) }));
      const wait = waitOf(notBefore);
      await transport().send(messages, wait > 0 ? { delaySeconds: wait } : undefined);
    },
  };
}

/**
 * The rest of a unit that ran out of time, as a message of its own. A relayed unit's rest carries
 * the same `relayed` (key and send; no deferral count: that bounds one message's waits, and this
 * is a new message) and `heldBy`, the attempt of the part that sends it, so it is worked under
 * its send's claim: its claim, conditioned on that attempt's claim not done, hands the claim on to
 * its own attempt and renews the lease, and only the unit's LAST part marks the claim done. Marking it after
 * the first part would drop the stream's re-read of a unit whose rest was lost (the in-memory
 * queue of `npm start` dies with the process) although the rest never ran; not done, the claim
 * is taken over by that re-read once its lease has passed, and the unit is worked again from its
 * first part (the jobs that continue, the renames, skip the parts done before: their parts are
 * idempotent).
 */
function continuationOf(message: WorkMessage & { type: 'unit' }, attempt: string, rest: unknown): WorkMessage {
  const relayed = message.relayed;
  return { type: 'unit', job: message.job, tick: message.tick, unit: rest, ...(relayed ? { relayed: { key: relayed.key, send: relayed.send, heldBy: attempt } } : {}) };
}

/**
 * False for another send of an item the stream handed the relay twice (relayed-units.ts): its
 * unit ran (the claim is done) under the send that claimed it: dropped, and counted
 * (RelayedUnitDuplicatesDropped; `deliver` readies the metrics before the claim, since a dropped
 * send may be a cold container's first message). Or the claim is not done and within its lease:
 * that attempt may still run or may have died, so the send is deferred, not dropped: sent again
 * with its deferral count, delayed until just after the lease, as a unit with a `notBefore` is
 * (one more queue message; SQS, the local queue and the inline transport all delay it).
 * Each deferral is counted (RelayedUnitsDeferred). Once deferred RELAYED_UNIT_MAX_DEFERRALS times
 * it is NOT dropped: it fails (logged as an error, counted as UnitsFailed), so the queue hands it
 * back after its visibility timeout (the lease's length) and dead-letters it after its receives.
 * Dropping it could lose the unit: the claim it meets may be its own message's, whose attempts all
 * died (a unit that times out every time: each death's redelivery comes within the lease and is
 * deferred, a new message with a fresh receive count), and then nothing else remains to work it.
 * A deferral the queue does not take throws too: the message fails, and its retry claims again.
 * Every other message may be worked.
 */
async function mayWork(
  message: WorkMessage & { type: 'unit' },
  attempt: string,
  on: { guard: RelayedUnitGuard | undefined; logger: Logger; metrics: JobMetrics; transport: () => WorkTransport; clock: () => number },
): Promise<boolean> {
  const relayed = message.relayed;
  if (!relayed || !on.guard) return true;
  const found = await on.guard.claim(relayed, attempt);
  if (found.outcome === 'claimed') return true;
  const unitKey = relayed.key;
  const deferred = relayed.deferred ?? 0;
  if (found.outcome === 'running' && deferred < RELAYED_UNIT_MAX_DEFERRALS) {
    const delaySeconds = deferralDelaySeconds(found.leaseUntil, on.clock());
    await on.transport().send([{ ...message, relayed: { ...relayed, deferred: deferred + 1 } }], { delaySeconds });
    // Counted once the queue took it: a deferral it refused throws, and the retry decides again.
    on.metrics.relayedUnitDeferred(message.job);
    on.logger.info('relayed job unit sent again while another send may work it: deferred past its lease', { job: message.job, unitKey, delaySeconds, deferred: deferred + 1 });
    return false;
  }
  if (found.outcome === 'running') {
    on.logger.error('relayed job unit deferred too often (its claim keeps a lease running): failed, for the queue to retry and dead-letter', { job: message.job, unitKey, deferred });
    on.metrics.count(message.job, 'UnitsFailed', 1);
    throw loggedAlready(new RelayedUnitDeferredTooOftenError(unitKey));
  }
  on.logger.info('relayed job unit sent again: dropped, its first send has it', { job: message.job, unitKey });
  on.metrics.relayedDuplicateDropped(message.job);
  return false;
}

/** A relayed unit's send that met a running claim after its last deferral: failed, not dropped (mayWork). */
export class RelayedUnitDeferredTooOftenError extends Error {
  constructor(unitKey: string) {
    super(`relayed job unit ${unitKey} deferred ${RELAYED_UNIT_MAX_DEFERRALS} times, its claim still within a lease`);
    this.name = 'RelayedUnitDeferredTooOftenError';
  }
}

/**
 * A relayed unit whose work failed gives its attempt's claim up, so the next send to come (this
 * message's retry, or another send of the item) works it: the stream's redelivery of a unit the
 * inline transport failed is not dropped. A release that fails is logged: the claim then stays
 * with this attempt until its lease has passed, and the sends that come meanwhile (this message's
 * retry too) are deferred past it and then take it over.
 */
async function releaseClaim(message: WorkMessage & { type: 'unit' }, attempt: string, guard: RelayedUnitGuard | undefined, logger: Logger): Promise<void> {
  if (!message.relayed || !guard) return;
  await guard.release(message.relayed, attempt).catch((err: unknown) => logger.error('relayed job unit claim not released', { job: message.job, unitKey: message.relayed?.key, error: (err as Error).message }));
}

/**
 * A relayed unit whose attempt succeeded and worked it to the end (its last part, when it
 * continued: continuationOf) marks its claim done, so another send of the item is dropped however late it comes, also after the
 * claim's lease (relayed-units.ts). A mark that fails, or finds the claim taken over (this
 * attempt outlived its lease), is logged and the message still succeeds: throwing would make the
 * queue redeliver this send, which works the unit again for sure, while an unmarked claim is
 * only taken over by another send of the item arriving after the lease.
 */
async function markClaimDone(message: WorkMessage & { type: 'unit' }, attempt: string, guard: RelayedUnitGuard | undefined, logger: Logger): Promise<void> {
  if (!message.relayed || !guard) return;
  const unitKey = message.relayed.key;
  try {
    if (!(await guard.done(message.relayed, attempt))) logger.warn('relayed job unit claim taken over before it was marked done', { job: message.job, unitKey });
  } catch (err) {
    logger.error('relayed job unit claim not marked done', { job: message.job, unitKey, error: (err as Error).message });
  }
}

/** Seconds a unit must still wait before its `notBefore` on `clock` (0: due), at most one queue hop. */
function queueDelayUntil(notBefore: string | undefined, clock: () => number): number {
  if (notBefore === undefined) return 0;
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((Date.parse(notBefore) - clock()) / 1000)));
}

/** A planner page's figures: the page, its due units, its not-due reads, the oldest due unit's age. */
function countPage(metrics: JobMetrics, job: string, page: PlanPage<unknown>, tick: Date): void {
  metrics.count(job, 'PlannerPages', 1);
  if (page.units.length > 0) metrics.count(job, 'DueUnits', page.units.length);
  if (page.notDue) metrics.count(job, 'NotDueReads', page.notDue);
  if (page.oldestDueAt) metrics.oldestDueAge(job, Math.max(0, (tick.getTime() - Date.parse(page.oldestDueAt)) / 1000));
}
