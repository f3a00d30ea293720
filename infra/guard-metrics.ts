import { GUARD_METRICS, GUARD_METRICS_NAMESPACE, GUARDS, guardFilterPattern } from '@budgeting/app/wiring';
import { alarm } from './alarm';
import { fn } from './function';

/**
 * How many requests each guard refuses (429): CloudWatch Logs metric filters on the function's
 * JSON log group count the access lines whose `refusedBy` names a guard of the metric
 * (packages/platform/src/http/guards.ts holds the names, the metrics and their patterns, so the
 * app and these filters cannot drift apart). Three custom metrics, no dimensions, in a
 * namespace of the stage's own (two stages' log groups must not add up into one metric).
 * The dashboard graphs them (infra/dashboard.ts).
 */
export const guardMetricsNamespace = `${GUARD_METRICS_NAMESPACE}/${$app.stage}`;

// SST creates the log group with the function (`logging` in infra/function.ts); without it
// (a `logging.logGroup` of another's, or logging off) there would be nothing to filter.
const logGroupName = fn.nodes.logGroup.apply((group) => {
  if (!group) throw new Error('infra/guard-metrics.ts: the function has no log group of its own to filter');
  return group.name;
});

export const guardMetricFilters = GUARD_METRICS.map(
  (metric) =>
    new aws.cloudwatch.LogMetricFilter(metric.metricName, {
      name: metric.metricName,
      logGroupName,
      pattern: guardFilterPattern(metric),
      // One per refused request; no default value: nothing is published while nothing is refused.
      metricTransformation: { name: metric.metricName, namespace: guardMetricsNamespace, value: '1', unit: 'Count' },
    }),
);

const accountRateLimit = GUARD_METRICS.find((m) => m.guards.includes(GUARDS.accountRateLimit))!;

// The per-account rate limit refusing more than one request a second, for 15 minutes on end:
// not a burst (the limit's job) but a client stuck retrying, or a limit below real use. The
// sign-in and password-reset limits are not alarmed: their refusals are mostly someone else's
// guessing, which the limits already stop; the dashboard shows them.
export const accountRateLimitAlarm = alarm('AccountRateLimitRefusals', {
  alarmDescription:
    'The per-account rate limit refused more than 300 requests in each of 3 five-minute periods (15 minutes): a client in a retry loop, or API_RATE_LIMIT_PER_MINUTE set below real use. In Logs Insights on the function log group: filter refusedBy = "account-rate-limit" | stats count() by path; fix the client, or raise the limit (README, "Rate limits").',
  namespace: guardMetricsNamespace,
  metricName: accountRateLimit.metricName,
  statistic: 'Sum',
  period: 300,
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  threshold: 300,
});
