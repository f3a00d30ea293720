import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { FanOutJob, WorkQueue } from './fan-out';

/**
 * A job watchdog: what a long job a user waits on (a CSV import, a merchant rename) needs so
 * that it never reads `running` for ever when the last attempt of one of its units dies
 * without running its failure handler (a Lambda timeout) or is lost. The job's record moves
 * (`updatedAt`) while its units make progress; the module's read path fails an open record
 * that has stood still past the stall window (WORK_UNIT_STALLED_AFTER_MS, from the job queue's
 * figures: work-queue-limits.ts). The watchdog is ONE delayed unit per started job (WorkQueue
 * `notBefore`), due when the record would read as stalled; a delivery reads the record through
 * that same read path (so the same rule and the same conditional write fail it, once) and
 * then ends the watch (the job ended, or is gone) or re-arms it (still moving).
 *
 * Here: the stall rule, the due instant with its margin, the re-arm-or-end decision, the arming
 * that must not decide the job's fate, and the fan-out job with its unit parsing. The module
 * keeps what is its own: reading and failing its record (conditionally, with its message).
 */

/** What a watchdog looks at: the job's record as the module's read path gives it. */
export interface WatchedRecord {
  status: string;
  /** When the job last moved (created, started, a unit counted, finished). */
  updatedAt: string;
}

/** Statuses of a job still under way: the only ones that can stall (the others are final). */
const OPEN_STATUSES: ReadonlySet<string> = new Set(['queued', 'running']);

/**
 * The watchdog is held this much past the stall window: the stall test is `>` the window, and
 * the instant the unit is due is measured by the runner of another invocation than the one
 * that reads the record; a minute keeps its delivery clear of the edge, so a due watchdog finds
 * the job stalled rather than re-arming for a minute more.
 */
export const WATCHDOG_MARGIN_MS = 60_000;

/** How a delivery ended: the watch is over (the job ended or is gone), or queued again. */
export type WatchOutcome = 'ended' | 'rearmed';

export function isOpenJob(status: string): boolean {
  return OPEN_STATUSES.has(status);
}

/**
 * The stall rule: still queued or running, and not moved for MORE than the window (exactly the
 * window is not stalled yet: a unit could still be retried).
 */
export function isStalled(record: WatchedRecord, now: Date, stalledAfterMs: number): boolean {
  return isOpenJob(record.status) && now.getTime() - Date.parse(record.updatedAt) > stalledAfterMs;
}

/** The window in whole minutes, as the stall messages say it. */
export function stallMinutes(stalledAfterMs: number): number {
  return Math.round(stalledAfterMs / 60_000);
}

/**
 * When the watchdog of a record that last moved at `updatedAt` is due: when the record would
 * read as stalled, and at least `now` (then the margin): should a read ever leave a job open
 * though past its window (its stall write refused for a reason the rule did not foresee), the
 * watchdog comes back a minute later instead of at once, in a loop.
 */
export function watchdogDueAt(updatedAt: string, now: Date, stalledAfterMs: number): Date {
  return new Date(Math.max(Date.parse(updatedAt) + stalledAfterMs, now.getTime()) + WATCHDOG_MARGIN_MS);
}

/** A watchdog unit: a few string fields naming the job's record (e.g. budgetId and importId). */
export type WatchdogUnit = Record<string, string>;

/**
 * One kind of job's watchdog, held by the module's service: `arm` when the job has started,
 * `watch` for each delivery (the job's fan-out job, `watchdogJob`, calls the service, which
 * passes its read path).
 */
export class JobWatchdog<U extends WatchdogUnit> {
  constructor(
    private readonly deps: {
      /** The watchdog's fan-out job. */
      job: string;
      /** What is watched, as the log says it ("import", "merchant rename"). */
      watched: string;
      work: WorkQueue;
      clock: Clock;
      stalledAfterMs: number;
      /** Where a watchdog that could not be queued is reported (nothing else fails for it). */
      logger?: Pick<Logger, 'warn'>;
    },
  ) {}

  /**
   * Queues the job's watchdog once the job's own units are queued, as a step of its own: it is
   * another job with its own `notBefore`, so one send could not carry both anyway, and above
   * all it must not decide the job's fate. The job is under way; were the watchdog refused,
   * failing the job would throw away a good one for a safety net, and a half-started one
   * (units queued, record failed) would work under a failed record. So a refusal is logged and
   * the job goes on without it: a read still fails it once stalled.
   */
  async arm(unit: U, record: WatchedRecord): Promise<void> {
    try {
      await this.enqueue(unit, record);
    } catch (err) {
      this.deps.logger?.warn(`${this.deps.watched} watchdog not queued; a read of the ${this.deps.watched} still fails it once stalled`, {
        ...unit,
        error: (err as Error).message,
      });
    }
  }

  /**
   * One delivery: `read` is the module's read path (the stall rule and its conditional failure
   * applied, so a stalled job is failed there, once, however many deliveries read it). Ended
   * (not queued or running) or gone: the watch ends. Still moving: queued again, due one window
   * (+ the margin) after the job last moved. A refused re-arm throws: the queue delivers the
   * unit again (a read and a send, nothing else).
   */
  async watch(unit: U, read: () => Promise<WatchedRecord | undefined>): Promise<WatchOutcome> {
    const record = await read();
    if (!record || !isOpenJob(record.status)) return 'ended';
    await this.enqueue(unit, record);
    return 'rearmed';
  }

  private enqueue(unit: U, record: WatchedRecord): Promise<void> {
    const now = this.deps.clock.now();
    return this.deps.work.enqueue(this.deps.job, [unit], now, { notBefore: watchdogDueAt(record.updatedAt, now, this.deps.stalledAfterMs) });
  }
}

/**
 * A watchdog's fan-out job (no schedule): a unit names the record by `fields` (all strings, only
 * they are kept), and a delivery is the service's `watch` (which calls JobWatchdog.watch with
 * its read path). `done` counts the watches that ended.
 */
export function watchdogJob<U extends WatchdogUnit>(spec: {
  name: string;
  /** What is watched, as the unit's parse error says it ("import", "merchant rename"). */
  watched: string;
  fields: readonly (keyof U & string)[];
  watch(unit: U): Promise<WatchOutcome>;
}): FanOutJob<U> {
  return {
    name: spec.name,
    async work(unit) {
      const outcome = await spec.watch(unit);
      return { done: outcome === 'ended' ? 1 : 0 };
    },
    parseUnit(raw) {
      const given = raw as Record<string, unknown> | null;
      if (!given || typeof given !== 'object' || spec.fields.some((field) => typeof given[field] !== 'string')) {
        throw new Error(`${spec.watched} watchdog unit needs ${spec.fields.join(' and ')}`);
      }
      return Object.fromEntries(spec.fields.map((field) => [field, given[field]])) as U;
    },
  };
}
