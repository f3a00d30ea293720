import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { Logger } from '@budgeting/platform';
import { toLambdaRecord } from '../events/lambda-stream-record';
import type { OutboxRelay } from '../events/outbox-relay';
import { filterOf, type FilterPattern } from '../events/relay-filter';
import { loadCheckpoint, saveCheckpoint, type StreamCheckpoint } from './events-checkpoint';

/**
 * The local counterpart of Lambda's stream trigger: reads DynamoDB Local's table stream and
 * feeds each batch to the same outbox relay the Lambda runs.
 *
 * - Applies the mapping's event filter (`filters`, RELAY_FILTER_PATTERNS for the outbox relay)
 *   the way Lambda does: records it drops are never handed to the relay (a batch with none
 *   left is no call at all), and the checkpoint still moves past them.
 * - Resumes from a checkpoint file (TRIM_HORIZON the first time), and advances it only after
 *   a batch's events were published AND delivered (`afterBatch`), and its job units worked (the
 *   relay's work target resolves then: local/events-runtime.ts), so a process that dies at
 *   any moment loses nothing; it may deliver again, which the inboxes and the relayed units'
 *   claims absorb.
 * - On partial failure it checkpoints just before the first failed record and reads again
 *   from there after a backoff: the same contract as ReportBatchItemFailures in AWS.
 * - Shards: a child shard is read only after its parent is finished (closed and read to
 *   the end), which keeps each item's changes in order across a shard split; shards that
 *   left the stream are dropped from the checkpoint. A checkpoint of another stream (the
 *   table was recreated) is discarded.
 */
export interface LocalStreamRelayOptions {
  endpoint: string;
  region?: string;
  tableName: string;
  checkpointFile: string;
  relay: OutboxRelay;
  /** The event filter of the deployed mapping (Lambda's syntax, ORed); omitted: every record. */
  filters?: readonly FilterPattern[];
  /** Awaited after each batch, before it is checkpointed (the local bus's deliveries). */
  afterBatch?: () => Promise<void>;
  logger: Logger;
  pollIntervalMs?: number;
  /** Records per GetRecords (1..1000). */
  batchSize?: number;
}

export interface LocalStreamRelay {
  /**
   * Reads every shard once as far as it goes; resolves with the number of stream records it
   * moved past (handed to the relay or dropped by the filter).
   */
  pollOnce(): Promise<number>;
  /**
   * Since creation: stream records moved past (as pollOnce counts them), and records handed to
   * the relay (a redelivery after a failure counts again, as a Lambda invocation would).
   */
  stats(): { read: number; delivered: number };
  /** Starts polling in the background (start() is idempotent). */
  start(): void;
  /** Stops polling, letting an in-flight batch finish and be checkpointed. */
  stop(): Promise<void>;
}

const MAX_FAILURE_BACKOFF_MS = 30_000;

// One function over 80 lines on purpose: a factory whose returned methods (start, stop,
// pollOnce) share the relay's private state (clients, shard iterators, checkpoints, the
// polling loop) through its closure.
// eslint-disable-next-line max-lines-per-function -- a factory whose methods share the relay's state (see above)
export function createLocalStreamRelay(options: LocalStreamRelayOptions): LocalStreamRelay {
  const clientConfig = {
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const dynamo = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const { logger } = options;
  const pollInterval = options.pollIntervalMs ?? 250;
  const limit = options.batchSize ?? 100;
  // Validated here, once: a pattern the local matcher cannot evaluate fails at start.
  const handedToRelay = options.filters ? filterOf(options.filters, (i) => `filters[${i}]`) : undefined;
  const counts = { read: 0, delivered: 0 };

  let checkpoint: StreamCheckpoint | undefined;
  const iterators = new Map<string, string>();
  const retryAt = new Map<string, { at: number; failures: number }>();
  let loop: Promise<void> | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let busy: Promise<number> = Promise.resolve(0);

  async function init(): Promise<StreamCheckpoint> {
    if (checkpoint) return checkpoint;
    const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`Table ${options.tableName} has no stream: the relay cannot run`);
    const saved = loadCheckpoint(options.checkpointFile);
    if (saved && saved.streamArn !== streamArn) {
      logger.warn('stream checkpoint belongs to an older stream of the table: starting from the beginning', {
        saved: saved.streamArn,
        current: streamArn,
      });
    }
    checkpoint = saved?.streamArn === streamArn ? saved : { streamArn, shards: {} };
    return checkpoint;
  }

  async function listShards(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    // Oldest first, so a parent comes before its children.
    return shards.sort((a, b) => compareSeq(a.SequenceNumberRange?.StartingSequenceNumber, b.SequenceNumberRange?.StartingSequenceNumber));
  }

  async function iteratorFor(cp: StreamCheckpoint, shardId: string): Promise<string | undefined> {
    const cached = iterators.get(shardId);
    if (cached) return cached;
    const seq = cp.shards[shardId]?.sequenceNumber;
    try {
      const out = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: cp.streamArn,
          ShardId: shardId,
          ...(seq ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: seq } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      return out.ShardIterator;
    } catch (err) {
      if ((err as Error).name !== 'TrimmedDataAccessException' || !seq) throw err;
      // The checkpoint is older than the stream's retention: what it pointed at is gone.
      logger.error('stream records past the checkpoint were trimmed; resuming at the oldest record', { shardId, seq });
      delete cp.shards[shardId]!.sequenceNumber;
      return iteratorFor(cp, shardId);
    }
  }

  /** Reads one shard until it has nothing more for now; returns the records it moved past. */
  async function drainShard(cp: StreamCheckpoint, shardId: string): Promise<number> {
    let relayed = 0;
    let refetched = false;
    for (;;) {
      const iterator = await iteratorFor(cp, shardId);
      if (!iterator) return relayed;
      let out;
      try {
        out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
      } catch (err) {
        // An expired iterator (15 min) is fetched again from the checkpoint. So is a
        // "trimmed" one: DynamoDB Local hands out, for a shard that is still empty, an iterator
        // at the shard's starting sequence number, and once records arrive (numbered later,
        // the counter is shared by all tables) reading it says "trimmed". A fresh iterator
        // from the checkpoint (or TRIM_HORIZON) reads them; once per drain, so a real
        // problem still surfaces.
        const name = (err as Error).name;
        if (!refetched && (name === 'ExpiredIteratorException' || name === 'TrimmedDataAccessException')) {
          refetched = true;
          iterators.delete(shardId);
          continue;
        }
        throw err;
      }
      const records = out.Records ?? [];
      const state = (cp.shards[shardId] ??= {});
      if (records.length > 0) {
        const batch = records.map((r) => toLambdaRecord(r, cp.streamArn));
        const delivered = handedToRelay ? batch.filter(handedToRelay) : batch;
        counts.delivered += delivered.length;
        // Lambda invokes nothing for a batch its filter emptied; the checkpoint moves on.
        const result = delivered.length > 0 ? await options.relay(delivered) : { batchItemFailures: [] };
        if (delivered.length > 0) await options.afterBatch?.();
        const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
        const firstFailed = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
        if (result.batchItemFailures.length > 0) {
          // Same rule as Lambda: resume at the first failed record (unknown id: the whole batch).
          // Filtered-out records before it are read again and dropped again.
          const upTo = firstFailed < 0 ? 0 : firstFailed;
          if (upTo > 0) state.sequenceNumber = batch[upTo - 1]!.dynamodb!.SequenceNumber;
          saveCheckpoint(options.checkpointFile, cp);
          iterators.delete(shardId);
          const failures = (retryAt.get(shardId)?.failures ?? 0) + 1;
          const delay = Math.min(MAX_FAILURE_BACKOFF_MS, 500 * 2 ** (failures - 1));
          retryAt.set(shardId, { at: Date.now() + delay, failures });
          logger.warn('stream batch partly failed; will retry from the first failed record', { shardId, delayMs: delay });
          counts.read += upTo;
          return relayed + upTo;
        }
        retryAt.delete(shardId);
        state.sequenceNumber = batch[batch.length - 1]!.dynamodb!.SequenceNumber;
        relayed += records.length;
        counts.read += records.length;
      }
      if (!out.NextShardIterator) {
        state.finished = true; // closed shard read to its end: its children may start
        iterators.delete(shardId);
      } else {
        iterators.set(shardId, out.NextShardIterator);
      }
      if (records.length > 0 || state.finished) saveCheckpoint(options.checkpointFile, cp);
      if (records.length === 0 || state.finished) return relayed;
    }
  }

  async function pollOnceNow(): Promise<number> {
    const cp = await init();
    const shards = await listShards(cp.streamArn);
    const present = new Set(shards.map((s) => s.ShardId!));
    for (const id of Object.keys(cp.shards)) if (!present.has(id)) delete cp.shards[id];
    let relayed = 0;
    for (const shard of shards) {
      const id = shard.ShardId!;
      if (cp.shards[id]?.finished) continue;
      const parent = shard.ParentShardId;
      if (parent && present.has(parent) && !cp.shards[parent]?.finished) continue;
      if ((retryAt.get(id)?.at ?? 0) > Date.now()) continue;
      relayed += await drainShard(cp, id);
    }
    return relayed;
  }

  // One poll at a time, whether from the loop or a direct call.
  const pollOnce = () => (busy = busy.catch(() => 0).then(pollOnceNow));

  async function run() {
    let errors = 0;
    while (!stopped) {
      try {
        await pollOnce();
        errors = 0;
      } catch (err) {
        errors++;
        logger.error('local stream relay: poll failed', { error: (err as Error).message });
      }
      if (stopped) break;
      const wait = errors > 0 ? Math.min(MAX_FAILURE_BACKOFF_MS, pollInterval * 2 ** errors) : pollInterval;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    pollOnce,
    stats: () => ({ ...counts }),
    start() {
      if (!loop && !stopped) loop = run();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await busy.catch(() => 0);
      dynamo.destroy();
      streams.destroy();
    },
  };
}

/** Stream sequence numbers are decimal strings longer than a double can hold. */
function compareSeq(a: string | undefined, b: string | undefined): number {
  const x = BigInt(a ?? '0');
  const y = BigInt(b ?? '0');
  return x < y ? -1 : x > y ? 1 : 0;
}
