import { RELAY_FILTER_PATTERNS, SCHEDULES, SUBSCRIPTION_RULE_INPUT, SUBSCRIPTIONS } from '@budgeting/app/wiring';
import { bus, deadLetters } from './bus';
import { fn } from './function';
import { table } from './table';
import { componentName, ruleName, scheduleRules, subscriptionRules } from './wiring';

/**
 * Everything that is not HTTP and still invokes the one function: the table's stream (the
 * outbox relay), one bus rule per subscription row, one EventBridge schedule per job row.
 * The rows are plain data the modules' registrations generate (`@budgeting/app/wiring`), so
 * a subscription or job added later needs no change here.
 */

// EventBridge gives up on a target after this long / this many tries, then the DLQ gets it.
const busRetry = { maximumEventAgeInSeconds: 24 * 60 * 60, maximumRetryAttempts: 185 };

// The outbox relay. TRIM_HORIZON, not SST's LATEST: if the mapping is ever re-created, records
// written in between are still relayed (duplicates are fine, subscribers are idempotent; lost
// events are not). Failed records are retried alone (bisect + ReportBatchItemFailures: the
// handler returns batchItemFailures) and land in the DLQ after the last attempt.
// Filtered: Lambda hands the relay only the INSERTs of outbox items and of job units written in a
// change's transaction, which it sends to the job queue (RELAY_FILTER_PATTERNS, the
// same patterns the local stream poller applies); every other record (totals, counters,
// idempotency records, TTL expiries) is dropped before any invocation, checkpoint moving on.
// A change of the patterns updates the mapping in place (UpdateEventSourceMapping takes
// FilterCriteria; the component's name does not depend on them), so TRIM_HORIZON is not replayed.
export const relay = table.subscribe('Relay', fn.arn, {
  filters: [...RELAY_FILTER_PATTERNS],
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

// Named `<app>-<stage>-<row>` and given the rule ARN in `resources` (rule-input.ts), so the
// function runs exactly this row's subscription for an event matched by several rows.
export const busSubscriptions = subscriptionRules(SUBSCRIPTIONS).map((row) =>
  bus.subscribe(componentName('Sub', row.name), fn, {
    pattern: { source: [row.source], detailType: row.detailTypes },
    transform: {
      rule: { name: ruleName($app.name, $app.stage, row.name) },
      target: {
        inputTransformer: {
          inputPaths: { ...SUBSCRIPTION_RULE_INPUT.inputPathsMap },
          inputTemplate: SUBSCRIPTION_RULE_INPUT.inputTemplate,
        },
        deadLetterConfig: { arn: deadLetters.arn },
        retryPolicy: busRetry,
      },
    },
  }),
);

export const schedules = scheduleRules(SCHEDULES).map(
  (job) =>
    new sst.aws.Cron(componentName('Schedule', job.name), {
      function: fn,
      schedule: job.expression,
      transform: {
        // The handler finds the job by this name's `-<job>` suffix.
        rule: { name: ruleName($app.name, $app.stage, job.name) },
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
