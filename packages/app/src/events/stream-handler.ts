import type { Logger, PlatformDeps } from '@budgeting/platform';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { WorkMessage } from '../jobs/messages';
import { sqsTransport } from '../jobs/sqs-transport';
import { eventBridgeSender } from './eventbridge-sender';
import { createOutboxRelay } from './outbox-relay';
import type { PutEventsSender, RetryPolicy } from './put-events';

/** What the relay needs: the Lambda's init-time config, clients and clock. */
export interface StreamHost {
  config: { region: string; tableName: string; eventBusName: string; eventBridgeEndpoint?: string; jobQueueUrl?: string };
  deps: Pick<PlatformDeps, 'clock'> & { logger: Logger; doc: DynamoDBDocumentClient };
}

export interface StreamHandlerOptions {
  /** Another PutEvents target (the local in-process bus, a fake). */
  send?: PutEventsSender;
  /** An EventBridge client to use instead of the lazily created one (tests). */
  eventBridgeClient?: EventBridgeClient;
  retry?: Partial<RetryPolicy>;
  /** Another target for the job units (a fake); default: the work queue of JOB_QUEUE_URL. */
  work?: (messages: WorkMessage[]) => Promise<void>;
}

/**
 * The table's stream trigger: publishes the batch's outbox items to the bus and reports the
 * records to redeliver (ReportBatchItemFailures must be on for the event source mapping).
 * The mapping's event filter (RELAY_FILTER_PATTERNS, infra/triggers.ts) lets only outbox
 * INSERTs through, so the function is not invoked for the table's other writes or TTL expiries.
 * Job units written in a change's transaction go to the work queue (SQS, JOB_QUEUE_URL: the
 * function is linked to it, and the SQS client is loaded on the first unit only).
 */
export function createStreamHandler(system: StreamHost, options: StreamHandlerOptions = {}) {
  const { config, deps } = system;
  const relay = createOutboxRelay({
    send:
      options.send ??
      eventBridgeSender({ region: config.region, endpoint: config.eventBridgeEndpoint, client: options.eventBridgeClient }),
    eventBusName: config.eventBusName,
    logger: deps.logger,
    retry: options.retry,
    work: options.work ?? (config.jobQueueUrl ? sqsTransport({ queueUrl: config.jobQueueUrl, region: config.region }).send : undefined),
  });
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => relay(event.Records ?? []);
}
