/**
 * The one DynamoDB table, described once. infra/ builds the AWS table from it and the local
 * runtime and tests create DynamoDB Local tables from it, so they can never drift apart.
 * This file imports nothing at runtime because SST evaluates it while deploying.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Global secondary indexes: generic names, each module fills them with its own prefixes. */
  indexes: {
    gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    gsi2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Sparse: only items that need attention carry it (expenses: the unreviewed ones, the review inbox). */
    gsi3: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /**
     * Sparse: only items of one series carry it (expenses: those a recurring expense recorded,
     * one partition per bill, its payment history; income entries a recurring income recorded,
     * one partition per definition). A table created before it gets it from
     * ensureTable (local) or the deploy (infra/table.ts); items written before, from a back-fill.
     */
    gsi4: { partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  },
  /** Items with this epoch-seconds attribute are removed by DynamoDB TTL. */
  ttlAttribute: 'expiresAt',
  /** The stream feeds the outbox relay, so it needs the new image of each item. */
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

export type IndexName = keyof typeof TABLE.indexes;

/** Every attribute that is part of a table or index key. */
export const KEY_ATTRIBUTES: readonly string[] = [
  TABLE.partitionKey,
  TABLE.sortKey,
  ...Object.values(TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
];

/** Input for DynamoDB CreateTable (local runtime and tests; AWS uses infra/table.ts). */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: Object.entries(TABLE.indexes).map(([name, idx]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: idx.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: idx.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
  };
}
