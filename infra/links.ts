/**
 * Least privilege for linked resources. SST's built-in links grant every action of a service
 * on what they link (`dynamodb:*` on the table, its indexes and stream, `events:*` on the bus,
 * `sqs:*` on a queue). These wraps keep the same runtime properties (what
 * packages/app/src/lambda/sst-environment.ts reads) and replace the grants with the actions the
 * function needs: the calls its code makes (tests/infra derives them from the bundle's SDK
 * commands and fails on a call without a grant AND on a grant without a call), the item actions
 * a TransactWriteItems is also authorized as, and the calls AWS makes with the function's role
 * for its event sources. Imported by sst.config.ts before any link is made.
 */

/**
 * DynamoDB calls of the code, plus UpdateItem and ConditionCheckItem: a TransactWriteItems needs
 * the action of each item it holds. Scan is ModuleStore.scanSegment's, used only by one-off
 * operator jobs over items no index reaches (webhooks-reseal-secrets, users-mfa-reseal), whose units the function
 * works like any other job's; it reads nothing the other grants do not already reach.
 */
export const TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:TransactWriteItems',
  'dynamodb:UpdateItem',
];

/** What the stream's event source mapping reads with the function's role (the outbox relay). */
export const STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

/**
 * A linked queue: the code sends to it (SendMessageBatch is authorized as SendMessage), and
 * Lambda's SQS event source mapping receives and deletes with the function's role (the
 * actions of AWS's AWSLambdaSQSQueueExecutionRole).
 */
export const QUEUE_ACTIONS = ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

/** The outbox relay publishes; nothing else touches the bus. */
export const BUS_ACTIONS = ['events:PutEvents'];

/**
 * The receipts bucket: the code reads metadata (HeadObject is authorized as GetObject), signs
 * downloads (a presigned GET is authorized as the signer's GetObject) and uploads (a presigned
 * POST as its PutObject), deletes (DeleteObjects as DeleteObject per key) and lists a prefix
 * (ListObjectsV2 as ListBucket, on the bucket itself) for the cascades. The data export writes
 * its parts (PutObject) and joins them with a multipart upload (CreateMultipartUpload,
 * UploadPart and CompleteMultipartUpload are all authorized as PutObject) and reads the parts
 * back (GetObject), all under `exports/`.
 */
export const BUCKET_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
export const BUCKET_ACTIONS = ['s3:ListBucket'];

sst.Linkable.wrap(sst.aws.Bucket, (bucket) => ({
  properties: { name: bucket.name },
  include: [
    sst.aws.permission({ actions: BUCKET_OBJECT_ACTIONS, resources: [$interpolate`${bucket.arn}/*`] }),
    sst.aws.permission({ actions: BUCKET_ACTIONS, resources: [bucket.arn] }),
  ],
}));

sst.Linkable.wrap(sst.aws.Dynamo, (table) => ({
  properties: { name: table.name },
  include: [
    sst.aws.permission({ actions: TABLE_ACTIONS, resources: [table.arn, $interpolate`${table.arn}/index/*`] }),
    sst.aws.permission({ actions: STREAM_ACTIONS, resources: [$interpolate`${table.arn}/stream/*`] }),
  ],
}));

sst.Linkable.wrap(sst.aws.Bus, (bus) => ({
  properties: { name: bus.name, arn: bus.arn },
  include: [sst.aws.permission({ actions: BUS_ACTIONS, resources: [bus.arn] })],
}));

sst.Linkable.wrap(sst.aws.Queue, (queue) => ({
  properties: { url: queue.url },
  include: [sst.aws.permission({ actions: QUEUE_ACTIONS, resources: [queue.arn] })],
}));
