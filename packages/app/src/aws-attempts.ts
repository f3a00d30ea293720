/**
 * The request handler settings of the SDK clients the function calls AWS services with besides
 * DynamoDB: SQS (the job queue, the webhook delivery queue), SES (mail), SNS (push, and a
 * device's registration in its request) and EventBridge (the outbox relay). Each attempt is
 * given up after 3 s, its connection after 1 s, then retried (the SDK's standard retry: 3
 * attempts; EventBridge's own putEventsWithRetry). These services answer in milliseconds to a
 * few hundred; one that never answers (a lost packet, a stuck connection) was waited on for the
 * SDK's service default of 300 s (SQS: 900 s) of silence, holding a request past API Gateway's
 * 29 s (a 504) and a job unit, subscriber or stream batch until the function was killed, its
 * failure handling never run. Now such a call fails in about 10 s, as an error the request
 * answers (503) and the unit's or event's retry takes. The same bound as the DynamoDB client's
 * (platform dynamo/client.ts, DYNAMO_ATTEMPT_TIMEOUT_MS). Not S3's: a part copy of a large
 * export takes longer, legitimately.
 */
export const AWS_ATTEMPT_HANDLER = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true } as const;
