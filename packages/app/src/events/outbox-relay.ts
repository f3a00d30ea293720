import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Logger } from '@budgeting/platform';
import { isOutboxItem, isQueuedUnitItem, OUTBOX_KIND, PUBLISHES_ATTRIBUTE, QUEUED_UNIT_KIND, type OutboxItem, type QueuedUnitItem } from '@budgeting/platform/outbox';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { WorkMessagesRefusedError, type WorkMessage } from '../jobs/messages';
import {
  chunkEntries,
  DEFAULT_RETRY,
  entrySize,
  MAX_REQUEST_BYTES,
  putEventsWithRetry,
  type PutEventsSender,
  type RetryPolicy,
} from './put-events';

/**
 * The outbox relay: table stream records in, bus events out. The same function runs for the
 * Lambda stream trigger and for the local stream poller, so both behave identically.
 *
 * Only INSERTs of outbox items (kind outbox, or any item marked PUBLISHES_ATTRIBUTE) are
 * published; their expiry (a REMOVE) is ignored. Nothing is written back: an outbox item is
 * born with its TTL, so relaying costs no write and no further stream record.
 *
 * The stream's event filter (relay-filter.ts: the deployed mapping's FilterCriteria and the
 * local poller's) already keeps every other record away from the relay, so a batch normally
 * holds only outbox INSERTs; outboxItemOf still checks each record, which keeps the relay
 * correct on an unfiltered batch (a mapping without the filter, the dead-letters CLI's replay).
 *
 * Job units written in a change's transaction (kind job-unit, platform queuedUnitPut) go to the
 * work queue instead (`work`: SQS in AWS, the local queue under the local poller), as unit
 * messages of their job as of their tick; their expiry is ignored too. A unit the queue did not
 * take is reported like an event not published: the stream hands it again (at least once; every
 * fan-out job is idempotent). Units are sent after the events, and only those before the first
 * record reported: the stream hands everything from there again. A unit the stream does hand
 * again (SQS took it after a refused one in the same request, or an operator replays the
 * dead-lettered batch) is sent again: each message names the item and this send (`relayed`),
 * and the runner works an item for one send only (jobs/relayed-units.ts), so it is not mailed twice.
 *
 * What could not be published is reported the way a stream
 * consumer must: Lambda checkpoints at the LOWEST reported sequence number and redelivers
 * everything from there (AWS Lambda guide, "Configuring partial batch response with
 * DynamoDB and Lambda"), so the response lists the first failed record and every record after
 * it. Records after it that were published will be published again: that is why every
 * subscriber keeps an inbox.
 */
export interface OutboxRelayOptions {
  send: PutEventsSender;
  eventBusName: string;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /**
   * Hands job units to the work queue (WorkTransport.send). Absent (a relay without a queue),
   * a job unit is reported as failed, never dropped: the stream keeps offering it.
   */
  work?: (messages: WorkMessage[]) => Promise<void>;
}

export type OutboxRelay = (records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse>;

interface Candidate {
  position: number;
  item: OutboxItem;
  entry: PutEventsRequestEntry;
  size: number;
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const { logger } = options;

  return async (records) => {
    const candidates: Candidate[] = [];
    const units: { position: number; message: WorkMessage }[] = [];
    records.forEach((record, position) => {
      const unit = queuedUnitOf(record, logger);
      // `relayed`: this send of the item, so the runner works it for one send only (jobs/relayed-units.ts).
      if (unit) return void units.push({ position, message: { type: 'unit', job: unit.job, tick: unit.tick, unit: JSON.parse(unit.unit) as unknown, relayed: { key: unit.pk, send: randomUUID() } } });
      const item = outboxItemOf(record, logger);
      if (!item) return;
      const entry = toEntry(item, options.eventBusName);
      const size = entrySize(entry);
      if (!isPublishable(item, size, logger)) return;
      candidates.push({ position, item, entry, size });
    });
    if (candidates.length === 0 && units.length === 0) return { batchItemFailures: [] };

    const failedPositions: number[] = [];
    const published: Candidate[] = [];
    await Promise.all(
      chunkEntries(candidates, (c) => c.size).map(async (chunk) => {
        const failures = await putEventsWithRetry(options.send, chunk.map((c) => c.entry), policy, logger);
        const failed = new Set(failures.map((f) => f.index));
        chunk.forEach((c, i) => (failed.has(i) ? failedPositions.push(c.position) : published.push(c)));
        for (const f of failures) {
          logger.error('outbox event not published', {
            eventKey: chunk[f.index]?.item.pk,
            detailType: chunk[f.index]?.item.detailType,
            errorCode: f.errorCode,
            errorMessage: f.errorMessage,
          });
        }
      }),
    );
    // Units after it, the stream hands again anyway (Lambda resumes at the first failure): sent only before it.
    const queued = await queueUnits(units, options.work, logger, Math.min(Infinity, ...failedPositions));
    failedPositions.push(...queued.failed);
    logger.info('outbox relayed', { records: records.length, published: published.length, queued: queued.sent, failed: failedPositions.length });
    if (failedPositions.length === 0) return { batchItemFailures: [] };
    return { batchItemFailures: failuresFrom(records, Math.min(...failedPositions)) };
  };
}

/** Thrown when no record at or before the first failed one has a sequence number: the whole batch must be retried. */
export class UnreportableBatchError extends Error {
  constructor(records: number) {
    super(`the relay failed a record of a batch of ${records} whose records carry no dynamodb.SequenceNumber to report: retry the whole batch`);
    this.name = 'UnreportableBatchError';
  }
}

/**
 * The batchItemFailures that make Lambda hand everything from record `first` again. An
 * itemIdentifier is a record's `dynamodb.SequenceNumber`, and Lambda checkpoints at the lowest
 * one reported (AWS Lambda guide, "Configuring partial batch response with DynamoDB and
 * Lambda"); an empty or null itemIdentifier is documented as a complete failure of the batch,
 * which is why none is ever reported. A record without a sequence number (never one Lambda
 * built; a hand-made event) is left out; when the first failed record lacks one, the nearest
 * record before it that has one is the checkpoint (more is handed again, nothing is skipped),
 * and with none there the invocation fails (UnreportableBatchError): a function error is
 * retried as a whole batch, as the guide says of every result other than a partial response.
 */
export function failuresFrom(records: DynamoDBRecord[], first: number): { itemIdentifier: string }[] {
  let from = first;
  while (from >= 0 && !records[from]?.dynamodb?.SequenceNumber) from--;
  if (from < 0) throw new UnreportableBatchError(records.length);
  return records.slice(from).flatMap((r) => (r.dynamodb?.SequenceNumber ? [{ itemIdentifier: r.dynamodb.SequenceNumber }] : []));
}

/**
 * Units per work call: SendMessageBatch's maximum, so one call is one SQS request (as many
 * requests as one call for all) and a refusal names only its own ten (and of them, only the
 * entries SQS's Failed list names, and those after them).
 */
const UNITS_PER_SEND = 10;

/**
 * Sends the batch's job units before `before` (the first record the stream hands again: an
 * event not published) to the work queue, ten per call in stream order, up to the first call
 * refused: what follows it is handed again, so sending it now would queue it twice (a second
 * mail). Within a refused call, the units before the first entry the queue refused
 * (WorkMessagesRefusedError, from SQS's Failed list) were queued and are not reported. Returns
 * the first position refused, if any, and how many units were sent.
 */
async function queueUnits(units: { position: number; message: WorkMessage }[], work: OutboxRelayOptions['work'], logger: Logger, before: number): Promise<{ failed: number[]; sent: number }> {
  const sendable = units.filter((u) => u.position < before);
  for (let i = 0; i < sendable.length; i += UNITS_PER_SEND) {
    const chunk = sendable.slice(i, i + UNITS_PER_SEND);
    try {
      if (!work) throw new Error('this relay has no work queue');
      await work(chunk.map((u) => u.message));
    } catch (err) {
      // No queue (tests' inline transport): the units were handed over and their work failed.
      const message = (err as Error).name === 'WorkFailedError' ? 'job units failed, worked inline' : 'job units not queued';
      // SQS took the entries before the first it refused (SendMessageBatch's Failed list): those
      // are queued and not reported; from the refused one on, the stream hands everything again.
      const taken = err instanceof WorkMessagesRefusedError && err.refused.length > 0 ? Math.min(chunk.length - 1, ...err.refused) : 0;
      logger.error(message, { jobs: [...new Set(chunk.slice(taken).map((u) => u.message.job))], units: chunk.length - taken, error: (err as Error).message });
      return { failed: [chunk[taken]!.position], sent: i + taken };
    }
  }
  return { failed: [], sent: sendable.length };
}

/**
 * The job unit a stream record inserted, if it is one (the relay-filter pattern's kind, then
 * the whole item checked). A malformed one is logged and skipped: it can never become a unit.
 */
export function queuedUnitOf(record: DynamoDBRecord, logger?: Logger): QueuedUnitItem | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || image?.kind?.S !== QUEUED_UNIT_KIND) return undefined;
  try {
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (isQueuedUnitItem(item)) {
      JSON.parse(item.unit);
      return item;
    }
  } catch (err) {
    logger?.error('job unit item unreadable', { sequenceNumber: record.dynamodb?.SequenceNumber, error: (err as Error).message });
    return undefined;
  }
  logger?.error('malformed job unit item skipped', { sequenceNumber: record.dynamodb?.SequenceNumber });
  return undefined;
}

/**
 * The outbox item a stream record inserted, if it is one (cheap check before unmarshalling).
 * The same test as RELAY_FILTER_PATTERNS (relay-filter.ts); a property test keeps them equal.
 */
export function outboxItemOf(record: DynamoDBRecord, logger?: Logger): OutboxItem | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  if (image.kind?.S !== OUTBOX_KIND && image[PUBLISHES_ATTRIBUTE]?.BOOL !== true) return undefined;
  try {
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (isOutboxItem(item)) return item;
  } catch (err) {
    logger?.error('outbox item unreadable', { sequenceNumber: record.dynamodb?.SequenceNumber, error: (err as Error).message });
    return undefined;
  }
  logger?.error('malformed outbox item skipped', { sequenceNumber: record.dynamodb?.SequenceNumber });
  return undefined;
}

export function toEntry(item: OutboxItem, eventBusName: string): PutEventsRequestEntry {
  const time = new Date(item.createdAt);
  return {
    EventBusName: eventBusName,
    Source: item.source,
    DetailType: item.detailType,
    Detail: item.detail,
    ...(Number.isNaN(time.getTime()) ? {} : { Time: time }),
  };
}

/**
 * An item EventBridge can never accept (no source or detail-type, detail not a JSON object, over
 * 256 KB) is logged and skipped rather than reported: reporting it would make the stream retry
 * it (the mapping 10 times, holding back every event behind it on the shard, then the dead
 * letters; the local poller for good) although every PutEvents refuses it. createEvent refuses
 * all of them before they can commit, so this only guards against hand-written items (isOutboxItem
 * checks `source` and `detail` are strings, not that `detailType` is there); the item stays in the
 * table (no TTL).
 */
function isPublishable(item: OutboxItem, size: number, logger: Logger): boolean {
  let reason: string | undefined;
  if (!item.source || typeof item.detailType !== 'string' || !item.detailType) reason = 'no source or detail-type';
  else if (size > MAX_REQUEST_BYTES) reason = `entry is ${size} bytes (max ${MAX_REQUEST_BYTES})`;
  else {
    try {
      const detail: unknown = JSON.parse(item.detail);
      if (!detail || typeof detail !== 'object' || Array.isArray(detail)) reason = 'detail is not a JSON object';
    } catch {
      reason = 'detail is not JSON';
    }
  }
  if (reason) logger.error('outbox event can never be published: skipped', { eventKey: item.pk, reason });
  return !reason;
}
