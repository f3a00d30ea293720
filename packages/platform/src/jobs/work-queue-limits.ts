/**
 * How the job work queue (SQS, infra/jobs.ts) redelivers a unit, in one place: infra/jobs.ts
 * builds the queue and its backlog alarm from these numbers, the SQS consumer
 * (packages/app/src/jobs/sqs-consumer.ts) tells a unit's last attempt from the receive count,
 * and a module whose units belong to something a user waits on (the CSV import) derives from
 * them how long that thing may stand still before it is surely stalled. No imports: infra loads
 * this file (`@budgeting/platform/work-queue`).
 */

/** The one function's timeout (infra/function.ts): API Gateway gives up after 30 s anyway; stream batches, job units and webhook batches fit in it. */
export const FUNCTION_TIMEOUT_SECONDS = 30;

/**
 * Lambda's retries of a failed asynchronous invocation of the function (a bus rule's event, a
 * schedule's tick: infra/function.ts `retries`), after which it goes to the dead-letter queue.
 * The local bus makes as many attempts (1 + these retries) before it dead-letters an event.
 */
export const ASYNC_INVOCATION_RETRIES = 2;

/**
 * A received message is hidden this long; a failed or killed receive is redelivered after it.
 * Six times the function's timeout (AWS's advice for a Lambda event source), so a message is
 * not redelivered while its batch still runs. Both queues the function consumes use it (the
 * job queue, infra/jobs.ts; the webhook deliveries, infra/webhooks.ts).
 */
export const WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS = 6 * FUNCTION_TIMEOUT_SECONDS;

/** Receives before SQS moves a message to the job dead letters (the queue's maxReceiveCount). */
export const WORK_QUEUE_MAX_RECEIVES = 5;

/**
 * Receives before SQS moves a webhook delivery message the worker itself failed on (an error of
 * ours, not a failed attempt: those the worker records and queues again) to WebhookDeadLetters
 * (infra/webhooks.ts, the queue's maxReceiveCount). The local stand-in (packages/app/src/local/delivery-queue.ts)
 * receives a message as often before it dead-letters it.
 */
export const WEBHOOK_QUEUE_MAX_RECEIVES = 5;

/** The JobBacklogAge and WebhookBacklogAge alarms: the oldest message has waited this long for a worker, the workers do not keep up (someone is paged). */
export const WORK_QUEUE_BACKLOG_ALARM_SECONDS = 3600;

/**
 * The longest a unit can take from its first receive to the dead letters: receive n + 1 comes
 * one visibility timeout after receive n at the latest (a failed delivery is reported, a
 * killed one is not, and both become visible again then), and the last receive runs at most
 * the function's timeout (FUNCTION_TIMEOUT_SECONDS), shorter than a visibility timeout. So at most
 * (maxReceives - 1) x 180 s + 30 s = 12.5 minutes, bounded here by maxReceives x 180 s = 15 minutes.
 */
export const WORK_UNIT_RETRIES_MAX_SECONDS = WORK_QUEUE_MAX_RECEIVES * WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS;

/**
 * How long a unit's effect (a write it makes when it succeeds, or its failure handler on its
 * last attempt) can fail to appear without anything being wrong that nobody is told about:
 * the wait for a first receive, up to the backlog alarm's hour, then all its retries. Past
 * this, the unit was killed on its last attempt (a Lambda timeout: no failure handler ran) or
 * lost (the local in-memory queue's process ended) and sits in the dead letters, or never
 * will run. 75 minutes.
 */
export const WORK_UNIT_STALLED_AFTER_MS = (WORK_QUEUE_BACKLOG_ALARM_SECONDS + WORK_UNIT_RETRIES_MAX_SECONDS) * 1000;
