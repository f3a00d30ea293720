import { REPORT_METRICS } from '@budgeting/platform/report-metrics';

/**
 * The names of the jobs' CloudWatch metrics (metrics.ts emits them, in `Budgeting/Jobs/<stage>`
 * with the dimensions `service=jobs` and `job`): plain data, so infra/ graphs and alarms them by
 * these very constants (through `@budgeting/app/wiring`) and no name is typed twice. metrics.ts
 * emits only a name of JOB_METRIC_NAMES (its `emit` takes nothing else), and the infra rehearsal
 * checks the dashboard plots each one (tests/infra/support/wiring-checks.ts, checkDashboard).
 */
export const JOB_METRICS = {
  /** Units a planner page found due (scheduled jobs). */
  dueUnits: 'DueUnits',
  /** Pages a planner read (scheduled jobs). */
  plannerPages: 'PlannerPages',
  /** Items read that were not due: by a planner page, or by a unit that found its work not due. */
  notDueReads: 'NotDueReads',
  /** Units worked to the end (every job). */
  unitsProcessed: 'UnitsProcessed',
  /** Units that handed the rest of their work to a continuation unit (every job). */
  unitsContinued: 'UnitsContinued',
  /** Attempts of a unit that threw: SQS retries the unit, then dead-letters it (every job). */
  unitsFailed: 'UnitsFailed',
  /** Seconds between a tick and the instant the oldest unit a planner page saw fell due (scheduled jobs). */
  oldestDueAgeSeconds: 'OldestDueAgeSeconds',
  /**
   * Another send of a relayed unit dropped unworked, because the send that claimed it ran it
   * (its claim done; relayed-units.ts; a send deferred too often fails instead: UnitsFailed): the stream handed its item to the relay twice
   * (a stream replay, a partial batch redelivery), or SQS redelivered the send that ran it. No work of the job, so not among its totals.
   */
  relayedUnitDuplicatesDropped: 'RelayedUnitDuplicatesDropped',
  /**
   * A send of a relayed unit deferred past the lease of another send's claim not done (relayed-units.ts,
   * runner.ts mayWork): sent again, delayed, unworked. Sends racing attempts still running (partial batch
   * redeliveries, replays, units worked in many parts). No work of the job, so not among its totals.
   */
  relayedUnitsDeferred: 'RelayedUnitsDeferred',
  /**
   * Figures a unit reports (WorkOutcome.report) under these names, emitted as they come (metrics.ts
   * `report`): the daily totals verification's budgets verified, drifted, busy and skipped.
   */
  ...REPORT_METRICS,
} as const;

/**
 * The daily verification of the expenses module's running totals (packages/expenses/src/jobs/names.ts
 * TOTALS_VERIFY_JOB, which metrics.test.ts checks this agrees with): infra/jobs.ts alarms on its
 * BudgetsDrifted. Named here because infra/ may read the app's wiring only, never a module.
 */
export const TOTALS_VERIFY_JOB = 'expenses-totals-verify';

/**
 * The bill reminders (packages/expenses/src/jobs/names.ts RECURRING_REMINDERS_JOB, which
 * metrics.test.ts checks this agrees with): its planner reads the occurrences due in the hours
 * AFTER its tick, so it reports no oldest due unit. Named here for the same reason as TOTALS_VERIFY_JOB.
 */
export const RECURRING_REMINDERS_JOB = 'recurring-reminders';

/**
 * Scheduled jobs whose planner reports no oldest due unit (FanOutJob PlanPage.oldestDueAt): a
 * `JobDueAge-<job>` alarm (infra/jobs.ts) would watch a metric never emitted, so they get none.
 * The daily totals verification samples budgets; nothing of it is ever "due". The bill reminders
 * read what falls due after the tick (until 2026-12-07 they had an alarm that could never fire);
 * a reminders planner that stops shows in its PlannerPages on the dashboard, and fails its ticks
 * (FunctionErrors).
 */
export const SCHEDULES_WITHOUT_DUE_AGE: readonly string[] = [TOTALS_VERIFY_JOB, RECURRING_REMINDERS_JOB];

export type JobMetricName = (typeof JOB_METRICS)[keyof typeof JOB_METRICS];

/** Every metric the jobs emit. */
export const JOB_METRIC_NAMES: readonly JobMetricName[] = Object.values(JOB_METRICS);
