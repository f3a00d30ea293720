import { JOB_METRICS, SCHEDULES, SCHEDULES_WITHOUT_DUE_AGE, TOTALS_VERIFY_JOB, jobMetricsNamespace } from '@budgeting/app/wiring';
import { WORK_QUEUE_BACKLOG_ALARM_SECONDS, WORK_QUEUE_MAX_RECEIVES, WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS } from '@budgeting/platform/work-queue';
import { alarm } from './alarm';
import { queueAlarm } from './queue-alarm';

/**
 * The work queue of the fan-out jobs (packages/app/src/jobs/): schedule ticks run a planner
 * that sends one message per unit of work (a budget's reports, a recurring definition's
 * occurrences, a slice of a cascade) and the one function consumes them (infra/job-triggers.ts).
 * Component name "JobQueue" is what packages/app/src/lambda/sst-environment.ts reads.
 *
 * - Visibility timeout 3 minutes: six times the function's 30 s timeout, as AWS advises for a
 *   Lambda event source, so a message is not redelivered while a batch is still running.
 * - A message that failed 5 receives moves to JobDeadLetters (14 days, the SQS maximum), where
 *   `npm run dead-letters` (README) lists it and a redrive re-delivers it.
 * These numbers (and the backlog alarm's hour) come from packages/platform/src/jobs/work-queue-limits.ts:
 * the consumer tells a unit's last attempt from them, and the CSV import derives from them when
 * an import that stopped moving is surely stalled.
 */
export const jobDeadLetters = new sst.aws.Queue('JobDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60, sqsManagedSseEnabled: true } },
});

// The consumer tells a unit its last attempt from this number (packages/app/src/jobs/sqs-consumer.ts
// reads the same constant; the infra rehearsal test checks the queue's redrive policy against it).
export const JOB_QUEUE_MAX_RECEIVES = WORK_QUEUE_MAX_RECEIVES;

export const jobQueue = new sst.aws.Queue('JobQueue', {
  visibilityTimeout: `${WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS} seconds`,
  dlq: { queue: jobDeadLetters.arn, retry: JOB_QUEUE_MAX_RECEIVES },
  transform: { queue: { messageRetentionSeconds: 4 * 24 * 60 * 60, sqsManagedSseEnabled: true } },
});

// Anything in a dead-letter queue is work that failed every attempt: someone must look.
export const jobDeadLettersAlarm = queueAlarm('JobDeadLettersPresent', {
  description: 'Job units failed every attempt and wait in the job dead-letter queue (npm run dead-letters).',
  queue: jobDeadLetters,
  metricName: 'ApproximateNumberOfMessagesVisible',
  period: 300,
  threshold: 0,
});

// The work queue's backlog: the oldest unit has waited more than an hour for a worker.
export const jobBacklogAgeAlarm = queueAlarm('JobBacklogAge', {
  description: 'The oldest message in the job queue is more than an hour old: the workers do not keep up.',
  queue: jobQueue,
  metricName: 'ApproximateAgeOfOldestMessage',
  period: 300,
  threshold: WORK_QUEUE_BACKLOG_ALARM_SECONDS,
});

// Per scheduled job, from the planners' EMF figures: a due unit older than an hour at a tick
// means work is found late (a planner failing, or ticks not running), even with an empty queue.
// Not for a job whose planner reports no due unit (SCHEDULES_WITHOUT_DUE_AGE): it could never fire.
export const jobDueAgeAlarms = SCHEDULES.filter((row) => !SCHEDULES_WITHOUT_DUE_AGE.includes(row.name)).map(
  (row) =>
    alarm(`JobDueAge-${row.name}`, {
      alarmDescription: `Job ${row.name}: the oldest due unit a tick found had been due for more than an hour.`,
      namespace: jobMetricsNamespace($app.stage),
      metricName: JOB_METRICS.oldestDueAgeSeconds,
      dimensions: { service: 'jobs', job: row.name },
      statistic: 'Maximum',
      period: 3600,
      threshold: 3600,
    }),
);

// The daily totals verification (expenses-totals-verify) found a budget whose running totals
// differ from its expenses: a bug. One day's period, so the alarm stays up for the day of the
// run (it checks each budget once per sweep: the drift is not seen again before someone acts).
export const totalsDriftAlarm = alarm('ExpensesTotalsDrift', {
  alarmDescription: `Job ${TOTALS_VERIFY_JOB} found budgets whose running totals differ from their expenses (a bug). In Logs Insights on the function log group: filter message = "expenses totals drift" | fields budgetId, months, figures. For each budget: npm run job -- expenses-totals-check --budget <id> (read the differences), find the cause, then npm run job -- expenses-totals-check --budget <id> --repair yes --reason <ticket> (README "How to operate").`,
  namespace: jobMetricsNamespace($app.stage),
  metricName: JOB_METRICS.budgetsDrifted,
  dimensions: { service: 'jobs', job: TOTALS_VERIFY_JOB },
  statistic: 'Sum',
  period: 86400,
  threshold: 0,
});
