import { TABLE } from '@budgeting/platform/table';

/**
 * The one DynamoDB table, built from the SAME definition DynamoDB Local uses
 * (`@budgeting/platform/table`), so AWS and the laptop cannot drift.
 * Component name "Table" is what packages/app/src/lambda/sst-environment.ts reads.
 */
const indexEntries = Object.entries(TABLE.indexes);

/** Every key attribute is a string: keys are `<module>#<entity>#<id>` values. */
const fields: Record<string, 'string'> = { [TABLE.partitionKey]: 'string', [TABLE.sortKey]: 'string' };
for (const [, index] of indexEntries) {
  fields[index.partitionKey] = 'string';
  fields[index.sortKey] = 'string';
}

const streamViews = {
  NEW_AND_OLD_IMAGES: 'new-and-old-images',
  NEW_IMAGE: 'new-image',
  OLD_IMAGE: 'old-image',
  KEYS_ONLY: 'keys-only',
} as const;

export const table = new sst.aws.Dynamo('Table', {
  fields,
  primaryIndex: { hashKey: TABLE.partitionKey, rangeKey: TABLE.sortKey },
  globalIndexes: Object.fromEntries(
    indexEntries.map(([name, index]) => [name, { hashKey: index.partitionKey, rangeKey: index.sortKey, projection: 'all' as const }]),
  ),
  // The stream feeds the outbox relay (the one function); TTL expires relayed outbox items.
  stream: streamViews[TABLE.streamView],
  ttl: TABLE.ttlAttribute,
  deletionProtection: $app.stage === 'production',
  transform: {
    table: {
      billingMode: 'PAY_PER_REQUEST',
      pointInTimeRecovery: { enabled: $app.stage === 'production' },
    },
  },
});
