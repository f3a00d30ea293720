import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { toLambdaRecord } from '../events/lambda-stream-record';

/**
 * Resubmitting what landed in the deployed stack's dead-letter queue (`deadLetterQueue`),
 * through the deployed function itself, so a replay runs exactly the code a first delivery
 * runs. Three kinds of message arrive there (infra/function.ts, infra/triggers.ts):
 * - an EventBridge event a rule could not deliver (the rule target's DLQ): the body IS the event,
 *   with the rule's ARN in `resources`, so invoking the function with it runs that rule's
 *   subscription and no other;
 * - an asynchronous invocation that failed every retry (the function's on-failure destination):
 *   an invocation record whose `requestPayload` is the event;
 * - a stream batch the outbox relay failed on every attempt (the stream mapping's on-failure
 *   destination): only WHERE the batch is (`DDBStreamBatchInfo`: stream, shard, first and last
 *   sequence number). Its records are read back from the stream, which keeps them 24 hours, and
 *   handed to the function as the stream event Lambda would have built.
 * A message is deleted only once the function handled it without error (and, for a batch,
 * reported no failed record; for an event, did not refuse it); anything else stays, and tells why.
 */

export type DeadLetter =
  | { kind: 'event'; event: Record<string, unknown>; describe: string }
  | { kind: 'stream-batch'; batch: StreamBatchInfo; describe: string }
  | { kind: 'unknown'; describe: string };

export interface StreamBatchInfo {
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  batchSize?: number;
}

export function classifyDeadLetter(body: string): DeadLetter {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'unknown', describe: 'a body that is not JSON' };
  }
  if (!isObject(parsed)) return { kind: 'unknown', describe: 'a body that is not a JSON object' };
  const batch = parsed.DDBStreamBatchInfo;
  if (isObject(batch) && typeof batch.streamArn === 'string' && typeof batch.shardId === 'string' && typeof batch.startSequenceNumber === 'string' && typeof batch.endSequenceNumber === 'string') {
    const info: StreamBatchInfo = {
      streamArn: batch.streamArn,
      shardId: batch.shardId,
      startSequenceNumber: batch.startSequenceNumber,
      endSequenceNumber: batch.endSequenceNumber,
      ...(typeof batch.batchSize === 'number' ? { batchSize: batch.batchSize } : {}),
    };
    return {
      kind: 'stream-batch',
      batch: info,
      describe: `stream batch of ${info.batchSize ?? '?'} record(s), shard ${info.shardId}, ${info.startSequenceNumber}..${info.endSequenceNumber}${whyItFailed(parsed)}`,
    };
  }
  const event = isObject(parsed.requestPayload) && isObject(parsed.requestContext) ? parsed.requestPayload : parsed;
  if (typeof event['detail-type'] === 'string' && typeof event.source === 'string') {
    return { kind: 'event', event, describe: `event ${event['detail-type']} (${String(event.id)}) from ${event.source}${whyItFailed(parsed)}` };
  }
  return { kind: 'unknown', describe: `a message with keys ${Object.keys(parsed).slice(0, 6).join(', ')}` };
}

const MAX_EMPTY_PAGES = 5;
const RECEIVES_WITHOUT_NEWS = 3;
/**
 * Every receive is a long poll: a short poll (WaitTimeSeconds 0) asks only a sample of SQS's
 * servers and, with the few messages a dead-letter queue holds, may answer none while some wait
 * (SQS developer guide, "Short and long polling"), and the first empty answer ends the run: a
 * replay that said "0 seen" and exited 0 left the queue as it was. A long poll asks every server,
 * so its empty answer means nothing is visible; it answers as soon as a message is, and waits
 * this long only at the end of the queue.
 */
const RECEIVE_WAIT_SECONDS = 2;

/**
 * What a destination record says about the failure (Lambda's invocation and stream-batch
 * records carry it; an EventBridge DLQ message carries it in message attributes instead).
 */
function whyItFailed(record: Record<string, unknown>): string {
  const context = isObject(record.requestContext) ? record.requestContext : {};
  const response = isObject(record.responsePayload) ? record.responsePayload : {};
  const parts = [
    typeof context.condition === 'string' ? context.condition : undefined,
    typeof context.approximateInvokeCount === 'number' ? `${context.approximateInvokeCount} attempts` : undefined,
    typeof response.errorMessage === 'string' ? `${typeof response.errorType === 'string' ? `${response.errorType}: ` : ''}${response.errorMessage}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

/**
 * The batch's records, read back from the stream (AT its first sequence number, up to its last).
 * The range also holds the records the mapping's event filter dropped between them (never part
 * of a failed batch: they were never handed over); they go to the function with the batch and
 * the relay skips them as it skips any non-outbox record (outboxItemOf), so the replay publishes
 * what the failed invocation should have.
 */
export async function readStreamBatch(streams: DynamoDBStreamsClient, batch: StreamBatchInfo): Promise<StreamRecord[]> {
  const last = BigInt(batch.endSequenceNumber);
  const records: StreamRecord[] = [];
  let iterator = (
    await streams.send(
      new GetShardIteratorCommand({ StreamArn: batch.streamArn, ShardId: batch.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: batch.startSequenceNumber }),
    )
  ).ShardIterator;
  // A shard's records come in order, up to the batch's last one. An open shard may answer an
  // empty page before its next records, so only several empty pages in a row end the read.
  let emptyPages = 0;
  while (iterator && emptyPages < MAX_EMPTY_PAGES) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of page.Records ?? []) {
      if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > last) return records;
      records.push(record);
      if (record.dynamodb?.SequenceNumber === batch.endSequenceNumber) return records;
    }
    emptyPages = page.Records?.length ? 0 : emptyPages + 1;
    iterator = page.NextShardIterator;
  }
  return records;
}

export interface AwsDeadLetterClients {
  sqs: SQSClient;
  lambda: LambdaClient;
  streams: DynamoDBStreamsClient;
}

export interface ReplayOptions {
  queueUrl: string;
  functionName: string;
  /** Only say what is there, leaving every message visible. */
  listOnly: boolean;
  /** At most this many messages per run. */
  max: number;
  /** How long a received message stays hidden from other readers while it is replayed. */
  visibilitySeconds?: number;
  report: (line: string) => void;
}

export interface ReplaySummary {
  seen: number;
  replayed: number;
  failed: number;
  unknown: number;
}

export async function replayAwsDeadLetters(clients: AwsDeadLetterClients, options: ReplayOptions): Promise<ReplaySummary> {
  const summary: ReplaySummary = { seen: 0, replayed: 0, failed: 0, unknown: 0 };
  // Listing leaves every message visible (a replay right after must find them), so the same
  // messages come back: it stops after a few receives that bring nothing new. A replay hides
  // each message it receives for `visibilitySeconds`, but a long run outlasts that, and one
  // that failed again comes back: it is not replayed (nor counted) a second time either.
  const handled = new Set<string>();
  let receivesWithNothingNew = 0;
  while (summary.seen < options.max && receivesWithNothingNew < RECEIVES_WITHOUT_NEWS) {
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, options.max - summary.seen),
        VisibilityTimeout: options.listOnly ? 0 : (options.visibilitySeconds ?? 120),
        WaitTimeSeconds: RECEIVE_WAIT_SECONDS,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = (received.Messages ?? []).filter((m) => !handled.has(m.MessageId ?? ''));
    if ((received.Messages ?? []).length === 0) break;
    receivesWithNothingNew = messages.length === 0 ? receivesWithNothingNew + 1 : 0;
    for (const message of messages) {
      handled.add(message.MessageId ?? '');
      summary.seen++;
      const letter = classifyDeadLetter(message.Body ?? '');
      const why = message.MessageAttributes?.ErrorMessage?.StringValue ?? message.MessageAttributes?.ERROR_MESSAGE?.StringValue;
      options.report(`${message.MessageId}: ${letter.describe}${why ? ` (failed: ${why})` : ''}`);
      if (letter.kind === 'unknown') {
        summary.unknown++;
        continue;
      }
      if (options.listOnly) continue;
      const outcome = await replayOne(clients, options, letter);
      if (outcome === 'ok') {
        await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
        summary.replayed++;
        options.report('  replayed, removed from the queue');
      } else {
        summary.failed++;
        options.report(`  failed again, left in the queue: ${outcome}`);
      }
    }
  }
  return summary;
}

async function replayOne(clients: AwsDeadLetterClients, options: ReplayOptions, letter: Exclude<DeadLetter, { kind: 'unknown' }>): Promise<'ok' | string> {
  if (letter.kind === 'event') return invokeWith(clients, options, letter.kind, letter.event);
  let records: StreamRecord[];
  try {
    records = await readStreamBatch(clients.streams, letter.batch);
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TrimmedDataAccessException' || name === 'ResourceNotFoundException') {
      return `the stream no longer has these records (${name}: a stream keeps them 24 hours); the events they carried must be recovered from the table`;
    }
    throw err;
  }
  if (records.length === 0) return 'the stream returned none of these records';
  const parts = streamEvents(records.map((r) => toLambdaRecord(r, letter.batch.streamArn)));
  // In stream order, each after the one before succeeded: the relay publishes in that order, and
  // what follows a failed part is handed again with the message, which stays.
  for (const [i, part] of parts.entries()) {
    const outcome = await invokeWith(clients, options, letter.kind, part);
    if (outcome !== 'ok') return parts.length > 1 ? `${outcome} (invocation ${i + 1} of ${parts.length})` : outcome;
  }
  return 'ok';
}

/**
 * A synchronous invocation's payload is at most 6 MB (Lambda quotas: "Invocation payload
 * (request and response)"), and the relay's dead-lettered batch read back can be more: the
 * stream keeps whole images (NEW_AND_OLD_IMAGES, up to 400 KB each), and the range holds the
 * records the mapping's filter dropped between the batch's own. Sent as one, such a batch was
 * refused (RequestTooLargeException) and the whole replay stopped there, every run.
 */
export const INVOKE_PAYLOAD_MAX_BYTES = 6 * 1024 * 1024;

/** The records as stream events each smaller than INVOKE_PAYLOAD_MAX_BYTES (Lambda: "must be smaller than 6291456 bytes"), in order (one record always fits: two images of 400 KB). */
export function streamEvents<R>(records: R[], maxBytes = INVOKE_PAYLOAD_MAX_BYTES): { Records: R[] }[] {
  const envelope = Buffer.byteLength(JSON.stringify({ Records: [] }));
  const parts: { Records: R[] }[] = [];
  let current: R[] = [];
  let bytes = envelope;
  for (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (current.length > 0 && bytes + size >= maxBytes) {
      parts.push({ Records: current });
      current = [];
      bytes = envelope;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) parts.push({ Records: current });
  return parts;
}

/** Invokes the function with `payload`, synchronously: 'ok', or why not. */
async function invokeWith(clients: AwsDeadLetterClients, options: ReplayOptions, kind: 'event' | 'stream-batch', payload: unknown): Promise<'ok' | string> {
  const answer = await clients.lambda.send(
    new InvokeCommand({ FunctionName: options.functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
  );
  const text = answer.Payload ? new TextDecoder().decode(answer.Payload) : '';
  if (answer.FunctionError) return `the function failed: ${text.slice(0, 300)}`;
  // A refusal is an answer, not an error (lambda/dispatch.ts: no subscription for the event any
  // more, a detail its subscriber no longer accepts): nothing ran, so the message stays.
  const refusal = refusalOf(text);
  if (refusal !== undefined) return `the function refused it: ${refusal}`;
  if (kind === 'stream-batch') {
    const failures = parseFailures(text);
    if (failures > 0) return `the relay reported ${failures} failed record(s)`;
  }
  return 'ok';
}

/** The reason of a `{ refused: true, reason }` answer; undefined for any other. */
function refusalOf(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) && parsed.refused === true ? String(parsed.reason ?? '').slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

function parseFailures(text: string): number {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) && Array.isArray(parsed.batchItemFailures) ? parsed.batchItemFailures.length : 0;
  } catch {
    return 0;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
