/**
 * Figures a job's unit may report (WorkOutcome.report) that the job system also emits as
 * CloudWatch metrics of that job (packages/app/src/jobs/metrics.ts `report`; JOB_METRICS lists
 * them with every job metric, so infra/ graphs them and may alarm on them): a number reported
 * under one of these names is also that metric's value. Other report figures stay in the run's
 * report (`npm run job` prints it). Plain data: the app's wiring (and so infra/) reads it.
 */
export const REPORT_METRICS = {
  /** Budgets whose running totals were compared with their expenses to the end (expenses-totals-verify). */
  budgetsVerified: 'BudgetsVerified',
  /** Of those, budgets whose totals differ from their expenses: a bug, alarmed (ExpensesTotalsDrift). */
  budgetsDrifted: 'BudgetsDrifted',
  /** Budgets not verified because writes landed during every round's reads (a later day's sample may take them again). */
  budgetsBusy: 'BudgetsBusy',
  /** Budgets not verified because their check did not finish within one invocation, twice. */
  budgetsSkipped: 'BudgetsSkipped',
} as const;

export type ReportMetricName = (typeof REPORT_METRICS)[keyof typeof REPORT_METRICS];

export const REPORT_METRIC_NAMES: readonly ReportMetricName[] = Object.values(REPORT_METRICS);
