import type { Item, ModuleStore } from '@budgeting/platform';

/** A FilterExpression with its names and values. */
export interface StoredFilter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** One partition of a date index (gsi1, gsi2, the review inbox gsi3, or a bill's payments gsi4), read newest first. */
export interface IndexPartition {
  pk: string;
  /** Checked by DynamoDB on the items it reads (they are still read, and counted as examined). */
  filter?: StoredFilter;
}

/**
 * What the stream yields, newest first: a stored item, or a skip (no `item`): the items its
 * partition's Query read down to `key` and its FilterExpression dropped. `key` is the
 * position after the entry, shaped as DynamoDB's LastEvaluatedKey (table key + index key).
 */
export interface StreamEntry {
  key: Record<string, unknown>;
  item?: Item;
}

export interface IndexStreamRequest {
  index: 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4';
  /** One partition, or several merged by the index sort key (they share it: the expense's date and id). */
  partitions: IndexPartition[];
  /** The sort key range (inclusive). */
  lo: string;
  hi: string;
  /**
   * Where a previous walk stopped (a StreamEntry's key). One partition resumes from it as
   * DynamoDB's ExclusiveStartKey; merged partitions from its sort key, which is a position in
   * all of them (the key itself names one partition only).
   */
  after?: Record<string, unknown>;
  /** Size of each partition's first Query; each next Query of that partition doubles it. */
  firstChunk: number;
  /** At most this many stored items are read, over all partitions: the Limits of all Queries add up to no more (Infinity: unbounded). */
  maxExamined: number;
}

/**
 * Reads one or several partitions of a date index as ONE stream, newest first, in Queries of
 * growing size, and at most `maxExamined` stored items in all. An entry is only yielded once
 * every partition's next entry is known (read, or the partition ended), so the stream is in
 * order across partitions; items a partition read ahead but the stream did not yield yet were
 * examined (and count) but are not "taken": a walk resuming from the last taken entry's key
 * reads them again, as new, exactly once.
 */
export class IndexStream {
  private readonly readers: PartitionReader[];
  /** Stored items read so far (DynamoDB's ScannedCount: filtered ones too). */
  examined = 0;
  /** The Limits of the Queries sent so far: what the bound is checked on (a Query reads at most its Limit). */
  private asked = 0;
  /** True once the stream stopped because the bound was reached (not at the end of the range). */
  bounded = false;

  constructor(
    store: ModuleStore,
    private readonly req: IndexStreamRequest,
  ) {
    const merged = req.partitions.length > 1;
    const position = merged && typeof req.after?.[`${req.index}sk`] === 'string' ? String(req.after[`${req.index}sk`]) : undefined;
    this.readers = req.partitions.map(
      (p) => new PartitionReader(store, req, p, merged ? { position } : { exclusiveStartKey: req.after }),
    );
  }

  /** The next entry, newest first; undefined at the end of the range or (see `bounded`) at the bound. */
  async next(): Promise<StreamEntry | undefined> {
    const waiting = this.readers.filter((r) => r.waiting);
    if (waiting.length > 0) {
      // The bound is shared among the partitions that must be read before anything can be
      // yielded, so every one of them gets a Query (of at least two items on a first read: see
      // ExpenseQueries.indexStream).
      const share = Math.floor((this.req.maxExamined - this.asked) / waiting.length);
      if (share < 1) {
        this.bounded = true;
        return undefined;
      }
      const reads = await Promise.all(waiting.map((r) => r.read(share)));
      for (const { asked, scanned } of reads) {
        this.asked += asked;
        this.examined += scanned;
      }
      return this.next();
    }
    let newest: PartitionReader | undefined;
    for (const r of this.readers) if (r.head && (!newest || r.headSk > newest.headSk)) newest = r;
    return newest?.take();
  }
}

/** One partition's Queries and the entries read but not yet yielded. */
class PartitionReader {
  private readonly buffer: StreamEntry[] = [];
  private startKey: Record<string, unknown> | undefined;
  private ended = false;
  private chunk: number;
  private readonly sk: string;
  private readonly hi: string;

  constructor(
    private readonly store: ModuleStore,
    private readonly req: IndexStreamRequest,
    private readonly partition: IndexPartition,
    /** Where to resume: after DynamoDB's key, or below a sort key (its item, if here, is dropped). */
    private readonly from: { exclusiveStartKey?: Record<string, unknown> } | { position?: string },
  ) {
    this.sk = `${req.index}sk`;
    this.startKey = 'exclusiveStartKey' in from ? from.exclusiveStartKey : undefined;
    const position = 'position' in from ? from.position : undefined;
    // BETWEEN is inclusive: the item at the position itself comes back, and read() drops it
    // (so the first Query asks one more).
    this.hi = position !== undefined && position < req.hi ? position : req.hi;
    this.chunk = req.firstChunk + (position === undefined ? 0 : 1);
  }

  /** Nothing buffered and more to read: the stream cannot yield before this partition is read. */
  get waiting(): boolean {
    return this.buffer.length === 0 && !this.ended;
  }

  get head(): StreamEntry | undefined {
    return this.buffer[0];
  }

  get headSk(): string {
    return String(this.buffer[0]?.key[this.sk]);
  }

  take(): StreamEntry | undefined {
    return this.buffer.shift();
  }

  /** One Query of at most `max` items: its Limit (`asked`) and how many stored items it read. */
  async read(max: number): Promise<{ asked: number; scanned: number }> {
    const { index, lo } = this.req;
    const filter = this.partition.filter;
    const position = 'position' in this.from ? this.from.position : undefined;
    const limit = Math.min(this.chunk, max);
    const { items, lastKey, out } = await this.store.query({
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk AND ${index}sk BETWEEN :lo AND :hi`,
      ExpressionAttributeValues: { ':pk': this.partition.pk, ':lo': lo, ':hi': this.hi, ...filter?.values },
      ...(filter && { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names }),
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: this.startKey,
    });
    this.chunk *= 2;
    for (const item of items) {
      if (item[this.sk] !== position) this.buffer.push({ key: this.keyOf(item), item });
    }
    this.startKey = lastKey;
    if (!lastKey) this.ended = true;
    else {
      // The filter dropped the items read after the last one returned: a skip down to where
      // the Query stopped, so the walk's position can move past them.
      const lowest = items.length > 0 ? String(items[items.length - 1]![this.sk]) : (position ?? this.hi);
      if (String(lastKey[this.sk]) < lowest) this.buffer.push({ key: this.keyOf(lastKey) });
    }
    return { asked: limit, scanned: out.ScannedCount ?? items.length };
  }

  /** What DynamoDB would return as LastEvaluatedKey after this item: table key + index key. */
  private keyOf(item: Record<string, unknown>): Record<string, unknown> {
    const { index } = this.req;
    return { pk: item.pk, sk: item.sk, [`${index}pk`]: item[`${index}pk`], [`${index}sk`]: item[`${index}sk`] };
  }
}
