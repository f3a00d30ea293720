/**
 * `@budgeting/app/wiring`: what infra/ needs to know about the code, as plain data with no
 * module code behind it (SST evaluates infra/ at deploy time): the bus rules and schedules
 * the modules register (manifest.ts, generated), the input transformer of a bus rule, the
 * event filter of the table stream's mapping (the records the outbox relay is handed), and
 * the one check of schedule expressions, the guard metrics' filter patterns, the jobs'
 * metrics namespace and metric names, and the placeholder of the previous signing key.
 */
export { SCHEDULES, SUBSCRIPTIONS } from './manifest';
export type { ScheduleRow, SubscriptionRow } from './rows';
export { SUBSCRIPTION_RULE_INPUT } from './rule-input';
export { RELAY_FILTER_PATTERNS, type FilterPattern } from '../events/relay-filter';
export { parseRate, ScheduleExpressionError, type Rate, type RateExpression } from './schedule-expression';
export { GUARD_FIELD, GUARD_METRICS, GUARD_METRICS_NAMESPACE, GUARDS, guardFilterPattern, type Guard, type GuardMetric } from '@budgeting/platform/guards';
export { NO_PREVIOUS_SIGNING_KEY } from './secrets';
export { JOB_METRICS_NAMESPACE, jobMetricsNamespace } from '../jobs/metrics-namespace';
export { JOB_METRICS, JOB_METRIC_NAMES, SCHEDULES_WITHOUT_DUE_AGE, TOTALS_VERIFY_JOB, type JobMetricName } from '../jobs/metric-names';
