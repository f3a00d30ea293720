import type { HandlerContext } from '../module-definition';

/**
 * Scheduled and bulk work that scales out: a job is split into UNITS (one budget's report
 * periods, one recurring definition's occurrences, one slice of a deleted budget's data), and
 * each unit is delivered to its own invocation of the one function by a work queue (SQS in
 * AWS, an in-process stand-in locally; see packages/app/src/jobs/). Modules describe their
 * jobs with this contract and never see the queue's transport.
 *
 * - `plan` (scheduled jobs only) reads ONE page of the job's due index as of the tick's time
 *   and returns its units and a cursor; the app's planner pages on, hands the units to the
 *   queue, and re-queues itself with the cursor when its invocation's time is up.
 * - `work` does one unit as of the tick's time (never the wall clock: a late or replayed tick
 *   does what it would have done on time). It must be idempotent: a unit can be delivered
 *   twice or crash half-way and be delivered again. It stops starting new steps once
 *   `ctx.deadline` has passed and returns `{ again }`: the rest of the unit, re-queued.
 */
export interface FanOutJob<U = unknown> {
  /** Unique, stable: names the schedule row (if scheduled), the messages and the metrics. */
  name: string;
  /** EventBridge schedule expression for jobs a schedule starts; absent for cascades. */
  schedule?: string;
  plan?(now: Date, cursor: string | undefined, ctx: HandlerContext): Promise<PlanPage<U>>;
  work(unit: U, now: Date, ctx: WorkContext): Promise<WorkOutcome<U> | void>;
  /**
   * Refuses a malformed unit before work sees it (messages come from outside the process).
   * May be async: a job loaded on first use (lazy-job.ts) parses once its code is loaded.
   */
  parseUnit(raw: unknown): U | Promise<U>;
}

export interface PlanPage<U> {
  units: U[];
  /** Where the next page starts; absent when the plan is complete. */
  cursor?: string;
  /** Units the page read that were not due (goal 0: the index is keyed by the instant work falls due). */
  notDue?: number;
  /** The instant the oldest unit of this page fell due (for the backlog-age metric). */
  oldestDueAt?: string;
}

export interface WorkOutcome<U> {
  /** The unfinished rest of this unit: delivered again, to a later invocation. */
  again?: U;
  /** Work done, for counts and metrics (e.g. reports written, items deleted). */
  done?: number;
  /** The unit turned out not to be due (read for nothing). */
  notDue?: boolean;
  /**
   * An operator job's own figures (e.g. items resealed, items that would not open): the runner
   * adds them up per job over the run's units (JobReport) and `npm run job` prints the sum.
   */
  report?: JobReport;
}

/**
 * Figures of one unit's work for the run's report: numbers are summed over units, lists (e.g.
 * the ids an operator must look at) concatenated and capped (segmented-scan.ts REPORT_LIST_CAP),
 * with their full count as a number beside them. Never anything secret: it reaches the logs.
 */
export type JobReport = Record<string, number | string[]>;

export interface WorkContext extends HandlerContext {
  /** Epoch ms after which no new step may start (the invocation's time budget). */
  deadline: number;
  /**
   * True when this is the unit's last attempt: should it fail, the queue dead-letters it. A job
   * whose units belong to something a user waits on (an import) marks that failed then, so it
   * is not left running for ever.
   */
  lastAttempt?: boolean;
}

/**
 * Hands units to later invocations. Modules use it to start a cascade from a subscriber.
 * `enqueue` fails in two ways: the units could not be handed over (the queue refused them:
 * any error), or, where no queue is configured and units are worked at once in the sending
 * process, they were handed over and the work itself failed (WorkFailedError).
 *
 * `notBefore` (by the system's clock) holds the units until then: a second pass that must come
 * after something outside our control has surely ended (an upload ticket's lifetime). The
 * queue delays each message by at most MAX_QUEUE_DELAY_SECONDS (SQS's limit); a unit delivered
 * before its instant is sent back, delayed again, without being worked, so any wait is
 * possible, in hops of at most that long.
 */
export interface WorkQueue {
  enqueue(job: string, units: unknown[], tick: Date, options?: { notBefore?: Date }): Promise<void>;
}

/** The longest one message can wait in the work queue before delivery (SQS DelaySeconds: 15 minutes). */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/**
 * Units were delivered and worked in this process (no queue configured), and some of that
 * work failed. Unlike a queue refusing units, this depends on what the units are about (a
 * caller that must answer alike for every input tells the two apart: the password reset).
 */
export class WorkFailedError extends AggregateError {
  override readonly name = 'WorkFailedError';
}
