import type { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { JobReport } from '@budgeting/platform';
import { mergeReports } from '@budgeting/platform/segmented-scan';
import { REPORT_METRIC_NAMES, type ReportMetricName } from '@budgeting/platform/report-metrics';
import { JOB_METRICS, type JobMetricName } from './metric-names';
import { jobMetricsNamespace } from './metrics-namespace';

/**
 * The jobs' figures: per job, due units found by planners, units processed and failed,
 * reads of items that were not due, and the age of the oldest due unit a planner saw. In
 * Lambda each figure is a CloudWatch EMF line (Powertools Metrics, namespace
 * `Budgeting/Jobs/<stage>`, dimension "job"; their names are metric-names.ts's); the alarms in
 * infra/jobs.ts watch them and infra/dashboard.ts graphs every one. Every process also keeps running
 * totals, which `npm run job` prints and the tests read.
 */
export type JobFigure = Exclude<JobMetricName, typeof JOB_METRICS.oldestDueAgeSeconds | typeof RELAYED_UNIT_DUPLICATES_DROPPED | typeof RELAYED_UNITS_DEFERRED | ReportMetricName>;

/** A unit's report figure that is also a metric (platform REPORT_METRICS): emitted by `report`, not among the JobFigures. */
const isReportMetric = (name: string): name is ReportMetricName => (REPORT_METRIC_NAMES as readonly string[]).includes(name);

/**
 * Another send of a relayed unit dropped unworked (relayed-units.ts: the stream handed its item
 * to the relay again). Kept apart from the JobFigures: it is no work of the job (`totals`, which
 * `npm run job` prints and tests compare whole, leaves it out), and seen as a figure of its own it
 * shows how often the stream hands units twice (partial batch responses, replays).
 */
export const RELAYED_UNIT_DUPLICATES_DROPPED = JOB_METRICS.relayedUnitDuplicatesDropped;

/**
 * A send of a relayed unit deferred past the lease of another send's claim (relayed-units.ts):
 * one more queue message, no work. Kept out of the JobFigures for the same reason as the dropped
 * sends; a send deferred too often is not dropped but fails (runner.ts mayWork: the claim it
 * meets may be its own dead attempts', and dropping it would lose the unit): counted under
 * UnitsFailed, with an error log of its own, retried and dead-lettered by the queue.
 */
export const RELAYED_UNITS_DEFERRED = JOB_METRICS.relayedUnitsDeferred;

export interface JobMetrics {
  count(job: string, figure: JobFigure, value: number): void;
  /** Seconds between the tick and the instant the oldest unit a planner page saw fell due. */
  oldestDueAge(job: string, seconds: number): void;
  totals(job: string): Record<JobFigure | 'OldestDueAgeSeconds', number>;
  /** One more send of a relayed unit of `job` dropped (RELAYED_UNIT_DUPLICATES_DROPPED). */
  relayedDuplicateDropped(job: string): void;
  /** How many sends of `job`'s relayed units this process dropped. */
  relayedDuplicatesDropped(job: string): number;
  /** One more send of a relayed unit of `job` deferred past a running claim's lease (RELAYED_UNITS_DEFERRED). */
  relayedUnitDeferred(job: string): void;
  /** How many sends of `job`'s relayed units this process deferred. */
  relayedUnitsDeferred(job: string): number;
  /**
   * Adds a unit's own figures (WorkOutcome.report) to its job's report in this process, and
   * emits each number named as a REPORT_METRICS metric (e.g. BudgetsDrifted) as that metric.
   */
  report(job: string, figures: JobReport): void;
  /** The job's report so far in this process (what `npm run job` prints); empty when none. */
  reportOf(job: string): JobReport;
  /**
   * Loads what emitting needs (Powertools Metrics, only when emitting): the runner awaits it
   * before a planner or worker runs, so the library is loaded by the first job, not by the
   * API's cold start.
   */
  ready(): Promise<void>;
}

export function createJobMetrics(options: { emit: boolean; stage: string }): JobMetrics {
  const totals = new Map<string, Record<string, number>>();
  const reports = new Map<string, JobReport>();
  let powertools: Metrics | undefined;
  let loading: Promise<void> | undefined;
  const of = (job: string) => {
    let t = totals.get(job);
    if (!t) totals.set(job, (t = {}));
    return t;
  };
  // One EMF document per figure: a batch of queue messages mixes jobs, and a stored buffer
  // carries one dimension set, so each figure is emitted on its own with its job.
  // `name` is a JobMetricName: a metric the dashboard does not know cannot be emitted.
  const emit = (job: string, name: JobMetricName, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number) => {
    // Not yet loaded only if a figure came before ready(): the running totals still count it.
    if (!powertools) return;
    const single = powertools.singleMetric();
    single.addDimension('job', job);
    single.addMetric(name, unit, value);
  };
  // A relayed unit's figure (a send dropped, one deferred): counted apart from the job's totals.
  const countOne = (job: string, name: typeof RELAYED_UNIT_DUPLICATES_DROPPED | typeof RELAYED_UNITS_DEFERRED) => {
    const t = of(job);
    t[name] = (t[name] ?? 0) + 1;
    emit(job, name, 'Count', 1);
  };
  return {
    ready() {
      if (!options.emit) return Promise.resolve();
      return (loading ??= import('@aws-lambda-powertools/metrics').then(({ Metrics }) => {
        powertools = new Metrics({ namespace: jobMetricsNamespace(options.stage), serviceName: 'jobs' });
      }).catch((err: unknown) => {
        loading = undefined;
        throw err;
      }));
    },
    count(job, figure, value) {
      const t = of(job);
      t[figure] = (t[figure] ?? 0) + value;
      emit(job, figure, 'Count', value);
    },
    oldestDueAge(job, seconds) {
      const t = of(job);
      t.OldestDueAgeSeconds = Math.max(t.OldestDueAgeSeconds ?? 0, seconds);
      emit(job, JOB_METRICS.oldestDueAgeSeconds, 'Seconds', seconds);
    },
    relayedDuplicateDropped: (job) => countOne(job, RELAYED_UNIT_DUPLICATES_DROPPED),
    relayedDuplicatesDropped: (job) => of(job)[RELAYED_UNIT_DUPLICATES_DROPPED] ?? 0,
    relayedUnitDeferred: (job) => countOne(job, RELAYED_UNITS_DEFERRED),
    relayedUnitsDeferred: (job) => of(job)[RELAYED_UNITS_DEFERRED] ?? 0,
    report(job, figures) {
      reports.set(job, mergeReports(reports.get(job) ?? {}, figures));
      for (const [name, value] of Object.entries(figures)) if (typeof value === 'number' && isReportMetric(name)) emit(job, name, 'Count', value);
    },
    reportOf(job) {
      return reports.get(job) ?? {};
    },
    totals(job) {
      const t = of(job);
      return {
        DueUnits: t.DueUnits ?? 0,
        UnitsProcessed: t.UnitsProcessed ?? 0,
        UnitsFailed: t.UnitsFailed ?? 0,
        UnitsContinued: t.UnitsContinued ?? 0,
        NotDueReads: t.NotDueReads ?? 0,
        PlannerPages: t.PlannerPages ?? 0,
        OldestDueAgeSeconds: t.OldestDueAgeSeconds ?? 0,
      };
    },
  };
}
