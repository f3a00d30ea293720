import { SCHEDULES, SUBSCRIPTIONS } from '../packages/app/src/events/subscription-table';
import { bus, deadLetters } from './bus';
import { fn } from './function';
import { table } from './table';
import { busRules, componentName, scheduleExpression, scheduleRuleName } from './wiring';

/**
 * Everything that is not HTTP and still invokes the one function: the table's stream (the
 * outbox relay), one bus rule per subscription row, one EventBridge schedule per job row.
 * The two tables are plain data, so rows added later need no change here.
 */

// EventBridge gives up on a target after this long / this many tries, then the DLQ gets it.
const busRetry = { maximumEventAgeInSeconds: 24 * 60 * 60, maximumRetryAttempts: 185 };

// The outbox relay. TRIM_HORIZON, not SST's LATEST: if the mapping is ever re-created, records
// written in between are still relayed (duplicates are fine, subscribers are idempotent; lost
// events are not). Failed records are retried alone (bisect + ReportBatchItemFailures: the
// handler returns batchItemFailures) and land in the DLQ after the last attempt.
export const relay = table.subscribe('Relay', fn.arn, {
  transform: {
    eventSourceMapping: {
      startingPosition: 'TRIM_HORIZON',
      batchSize: 100,
      maximumBatchingWindowInSeconds: 1,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumRetryAttempts: 10,
      destinationConfig: { onFailure: { destinationArn: deadLetters.arn } },
    },
  },
});

export const busSubscriptions = busRules(SUBSCRIPTIONS).map((rule) =>
  bus.subscribe(componentName('Sub', rule.name), fn, {
    pattern: { source: [rule.source], detailType: rule.detailTypes },
    transform: {
      target: { deadLetterConfig: { arn: deadLetters.arn }, retryPolicy: busRetry },
    },
  }),
);

export const schedules = SCHEDULES.map(
  (job) =>
    new sst.aws.Cron(componentName('Schedule', job.name), {
      function: fn,
      schedule: scheduleExpression(job.name, job.schedule),
      transform: {
        // The handler finds the job by this name's `-<job>` suffix.
        rule: { name: scheduleRuleName($app.name, $app.stage, job.name) },
        target: (args) => {
          // SST sends a constant `{}` by default; the handler needs the real Scheduled Event
          // (its `resources` hold the rule ARN, its `time` the scheduled time).
          delete args.input;
          args.deadLetterConfig = { arn: deadLetters.arn };
          args.retryPolicy = busRetry;
        },
      },
    }),
);
