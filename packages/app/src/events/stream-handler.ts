import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { System } from '../system';

/**
 * The table's stream. The outbox relay (issue 4) will publish outbox items from here; until
 * then records are acknowledged and counted.
 */
export function createStreamHandler(system: System) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    system.deps.logger.debug('stream batch', { records: event.Records.length });
    return { batchItemFailures: [] };
  };
}
