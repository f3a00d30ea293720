/**
 * The request handler settings of the SDK clients the function sends SQS messages with (the job
 * queue, the webhook delivery queue): each attempt given up after 3 s, its connection after 1 s,
 * then retried by the SDK's standard retry (3 attempts). SQS answers a SendMessage(Batch) in
 * milliseconds; one that never answers (a lost packet, a stuck connection) was waited on for
 * the SDK's service default of 900 s of silence, holding an import's start or a redelivery past
 * API Gateway's 29 s (a 504) and a worker or planner until the function was killed. Now such a
 * send fails in about 10 s, as an error the request answers (503) and a unit's retry takes. The
 * same bound as the DynamoDB client's (platform dynamo/client.ts, DYNAMO_ATTEMPT_TIMEOUT_MS).
 */
export const SQS_REQUEST_HANDLER = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true } as const;
