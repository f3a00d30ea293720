import { readFileSync } from 'node:fs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Stream records in the exact shape Lambda delivers (the aws-lambda-go sample in
 * ../shared/fixtures/aws-events/dynamodb-event.json), with the project's items as images.
 */
const FIXTURE = JSON.parse(
  readFileSync(new URL('../../../../shared/fixtures/aws-events/dynamodb-event.json', import.meta.url), 'utf8'),
) as DynamoDBStreamEvent;
const TEMPLATE = FIXTURE.Records[0]!;

export const sampleStreamEvent = (): DynamoDBStreamEvent => structuredClone(FIXTURE);

let seq = 1000;
export function streamRecord(item: Record<string, unknown>, eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT'): DynamoDBRecord {
  const image = marshall(item, { removeUndefinedValues: true }) as never;
  const sequence = String(140540000000000206328n + BigInt(seq++));
  return {
    ...structuredClone(TEMPLATE),
    eventName,
    dynamodb: {
      ...structuredClone(TEMPLATE.dynamodb),
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: eventName === 'REMOVE' ? undefined : image,
      SequenceNumber: sequence,
    },
  };
}

export function outboxItem(module: string, id: string, data: Record<string, unknown> = { n: 1 }, type = 'thing.recorded') {
  const occurredAt = '2026-11-24T12:00:00.000Z';
  return {
    pk: `${module}#outbox#${id}`,
    sk: `${module}#outbox`,
    kind: 'outbox',
    source: `budgeting.${module}`,
    detailType: type,
    detail: JSON.stringify({ id, type, version: 1, occurredAt, data }),
    createdAt: occurredAt,
  };
}
