import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type BatchWriteCommandOutput,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  type GetCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { beforeWrite, deferredGet, meets, mergedBatchGet, takeRiders, type ItemCondition } from './request-reads';
import { KEY_ATTRIBUTES } from './table-definition';
import { waitBefore, type JitterPolicy } from '../retry/backoff';
import { cancellationCodes, cancelledOnlyByConflicts, conditionHeld } from './condition-failed';
import { UnprocessedAfterRetriesError } from './unprocessed';

/**
 * A module's only door to the table. Every key a module reads or writes must start with the
 * module's own prefix ("users#", "budgets#", ...); anything else throws before a request is
 * sent. That is how "a module reads and writes only its own prefixes" is enforced at runtime
 * (tests/architecture checks statically that modules never reach the SDK around it).
 *
 * The methods take the DocumentClient's own input shapes minus TableName, so nothing new
 * has to be learned. There is deliberately no general scan: `scanSegment` exists for one-off
 * operator migrations only.
 */
export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };

type NoTable<T> = Omit<T, 'TableName'>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** One element of a ModuleStore.transactWrite call (a Put, Update, Delete or ConditionCheck without the table's name). */
export type NoTableTransactItem = {
  [K in keyof TransactItem]?: NoTable<NonNullable<TransactItem[K]>>;
};

/** One page of one segment of a parallel Scan (ModuleStore.scanSegment). */
export interface ScanSegmentInput {
  segment: number;
  totalSegments: number;
  /** Items evaluated (read and billed) per page, before the filter. */
  limit: number;
  startKey?: Record<string, unknown>;
  /** Kept on top of "the item is this module's"; names and values as in any expression. */
  filter?: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
  /** Must include `pk` and `sk` (every item returned is checked to be the module's). */
  projection?: string;
}

export class KeyOwnershipError extends Error {
  constructor(module: string, attribute: string, value: unknown) {
    super(`Module "${module}" may not use key ${attribute}=${JSON.stringify(value)}: it lacks the "${module}#" prefix`);
    this.name = 'KeyOwnershipError';
  }
}

/**
 * Transaction items built by the platform under its own prefix that may join a module's
 * transaction (today: the Idempotency-Key record of http/idempotent-write.ts, which must
 * commit with the change it guards). Recognized by identity, and only the platform can add
 * to the set: this function is not exported from the package's entries.
 */
const platformItems = new WeakSet<object>();

export function admitToModuleTransactions<T extends object>(item: T): T {
  platformItems.add(item);
  return item;
}

/**
 * ConditionChecks a module built on its OWN items (ModuleStore.conditionCheck) for another
 * module's transaction to carry: e.g. budgets vouching "this caller may write this budget" in
 * the transaction that records an expense. A check only reads, so carrying one lets no module
 * write another's items; the key's prefix was checked by its owner's store. Also the Updates a
 * module built on its own items for another's transaction (ModuleStore.ownerUpdate: the
 * expenses module's change counters marked in the budget's archive): the owner decides what
 * is written to its items, the carrier only makes it commit with its own change.
 */
const ownerChecks = new WeakSet<object>();

/** DynamoDB's limit of items per TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

const MAX_TRANSACTION_ATTEMPTS = 8;
const MAX_BATCH_ATTEMPTS = 8;

export class ModuleStore {
  readonly prefix: string;

  constructor(
    readonly module: string,
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {
    this.prefix = `${module}#`;
  }

  /** Builds a key part: key('user', id) -> "users#user#<id>". */
  key(...parts: (string | number)[]): string {
    return this.prefix + parts.join('#');
  }

  async get<T extends Item = Item>(input: NoTable<GetCommandInput> & { Key: Key }): Promise<T | undefined> {
    this.assertKey(input.Key);
    // A plain consistent read of a whole item may travel with the request's other key reads
    // (request-reads.ts: the account check and the route's access read in one BatchGetItem).
    if (input.ConsistentRead === true && Object.keys(input).length === 2) {
      const merged = deferredGet(this.doc, this.tableName, input.Key) ?? mergedBatchGet(this.doc, this.tableName, [input.Key])?.then((items) => items[0]);
      if (merged) return (await merged) as T | undefined;
    }
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, ...input }));
    return out.Item as T | undefined;
  }

  /**
   * Whether the item exists (strongly consistent), and meets `condition` when one is given.
   * Inside deferGuard() the question is queued like a key read, and when the request's next
   * write is a transaction it rides that transaction as a ConditionCheck (the condition in its
   * expression) instead of being read (request-reads.ts takeRiders).
   */
  async exists(key: Key, condition?: ItemCondition): Promise<boolean> {
    this.assertKey(key);
    const queued = deferredGet(this.doc, this.tableName, key, true, condition) ?? mergedBatchGet(this.doc, this.tableName, [key])?.then((items) => items[0]);
    if (queued) return meets(await queued, condition);
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ...(condition ? {} : { ProjectionExpression: 'pk' }) }),
    );
    return meets(out.Item, condition);
  }

  /** A ConditionCheck on one of this module's items that another module's transaction may carry (see ownerChecks). */
  conditionCheck(check: NonNullable<NoTableTransactItem['ConditionCheck']> & { Key: Key }): NoTableTransactItem {
    this.assertKey(check.Key);
    const item = { ConditionCheck: { ...check, TableName: this.tableName } };
    ownerChecks.add(item);
    return item;
  }

  /**
   * A Put of a NEW item of this module's (conditioned on its absence: a queued job unit, say)
   * that another module's transaction may carry (see ownerChecks): the users module's security
   * notice of a credential another module makes, written exactly when that commits.
   */
  ownerPut(put: NonNullable<NoTableTransactItem['Put']>): NoTableTransactItem {
    this.assertItem(put.Item ?? {});
    const item = { Put: { ...put, TableName: this.tableName } };
    ownerChecks.add(item);
    return item;
  }

  /**
   * An Update of one of this module's items that another module's transaction may carry (see
   * ownerChecks), for a change of the other module's that must commit with it.
   */
  ownerUpdate(update: NonNullable<NoTableTransactItem['Update']> & { Key: Key }): NoTableTransactItem {
    this.assertKey(update.Key);
    const item = { Update: { ...update, TableName: this.tableName } };
    ownerChecks.add(item);
    return item;
  }

  async put(input: NoTable<PutCommandInput>) {
    this.assertItem(input.Item ?? {});
    await beforeWrite();
    return this.doc.send(new PutCommand({ TableName: this.tableName, ...input }));
  }

  async update(input: NoTable<UpdateCommandInput> & { Key: Key }) {
    this.assertKey(input.Key);
    await beforeWrite();
    return this.doc.send(new UpdateCommand({ TableName: this.tableName, ...input }));
  }

  /**
   * A conditional update: true when it was written, false when its condition did not hold
   * (conditionHeld); the type asks for the condition, so none is forgotten.
   */
  async updateIf(input: NoTable<UpdateCommandInput> & { Key: Key; ConditionExpression: string }): Promise<boolean> {
    return conditionHeld(this.update(input));
  }

  async delete(input: NoTable<DeleteCommandInput> & { Key: Key }) {
    this.assertKey(input.Key);
    await beforeWrite();
    return this.doc.send(new DeleteCommand({ TableName: this.tableName, ...input }));
  }

  async query<T extends Item = Item>(input: NoTable<QueryCommandInput>) {
    this.assertKeyCondition(input);
    const out = await this.doc.send(new QueryCommand({ TableName: this.tableName, ...input }));
    return { items: (out.Items ?? []) as T[], lastKey: out.LastEvaluatedKey, out };
  }

  /**
   * One page of one segment of a parallel Scan, keeping only this module's items (a filter on
   * the partition key's prefix, ANDed with the caller's `filter`). For ONE-OFF OPERATOR
   * MIGRATIONS ONLY (a fan-out job, a unit per segment), over items that no index reaches: a
   * Scan reads, and is billed for, every item of the table, the other modules' included,
   * whatever the filter keeps. Everything else queries its own keys.
   */
  async scanSegment<T extends Item = Item>(input: ScanSegmentInput): Promise<{ items: T[]; lastKey?: Record<string, unknown>; scanned: number }> {
    const own = 'begins_with(#modulePk, :modulePrefix)';
    const out = await this.doc.send(
      new ScanCommand({
        TableName: this.tableName,
        Segment: input.segment,
        TotalSegments: input.totalSegments,
        Limit: input.limit,
        ExclusiveStartKey: input.startKey,
        FilterExpression: input.filter ? `${own} AND (${input.filter})` : own,
        ExpressionAttributeNames: { ...input.names, '#modulePk': 'pk' },
        ExpressionAttributeValues: { ...input.values, ':modulePrefix': this.prefix },
        ...(input.projection ? { ProjectionExpression: input.projection } : {}),
      }),
    );
    const items = (out.Items ?? []) as T[];
    items.forEach((item) => this.assertKey({ pk: item.pk, sk: item.sk }));
    // `scanned`: items the page read (and was billed for) before the filter, every module's.
    return { items, lastKey: out.LastEvaluatedKey, scanned: out.ScannedCount ?? 0 };
  }

  /** Follows LastEvaluatedKey until the end (for bounded partitions only). */
  async queryAll<T extends Item = Item>(input: NoTable<QueryCommandInput>): Promise<T[]> {
    const all: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.query<T>({ ...input, ExclusiveStartKey: startKey });
      all.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return all;
  }

  /**
   * Atomic multi-item write. Optimistic transaction conflicts (two writers touching the same
   * running total at once) are retried with jittered backoff: the transaction is all or
   * nothing, so retrying it is safe. Condition failures are returned to the caller untouched.
   */
  async transactWrite(items: NoTableTransactItem[], clientRequestToken?: string) {
    for (const item of items) {
      if (platformItems.has(item) || ownerChecks.has(item)) continue;
      if (item.Put) this.assertItem(item.Put.Item ?? {});
      if (item.Update) this.assertKey(item.Update.Key as Key);
      if (item.Delete) this.assertKey(item.Delete.Key as Key);
      if (item.ConditionCheck) this.assertKey(item.ConditionCheck.Key as Key);
    }
    const TransactItems = items.map((item) => {
      const out: Record<string, unknown> = {};
      for (const [op, body] of Object.entries(item)) out[op] = { TableName: this.tableName, ...body };
      return out;
    }) as NonNullable<TransactWriteCommandInput['TransactItems']>;
    // The request's pending existence checks (the account check) ride along, last, so the
    // caller's item indexes in a cancellation are unchanged.
    const riders = takeRiders(this.doc, this.tableName, items.map(keyOf).filter((k): k is Key => k !== undefined), MAX_TRANSACTION_ITEMS - TransactItems.length);
    await beforeWrite(riders);
    const all = riders ? [...TransactItems, ...riders.items] : TransactItems;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.doc.send(new TransactWriteCommand({ TransactItems: all, ClientRequestToken: clientRequestToken }));
        await riders?.committed();
        return out;
      } catch (err) {
        if (attempt < MAX_TRANSACTION_ATTEMPTS && cancelledOnlyByConflicts(err)) {
          await waitBefore(attempt, CONFLICT_WAIT);
          continue;
        }
        if (riders) await riders.failed(err, cancellationCodes(err), TransactItems.length);
        throw err;
      }
    }
  }

  async batchGet<T extends Item = Item>(keys: Key[], consistent = false): Promise<T[]> {
    keys.forEach((k) => this.assertKey(k));
    if (consistent) {
      // Inside deferReads(): every key is queued for the request's next BatchGetItem.
      const queued = keys.map((k) => deferredGet(this.doc, this.tableName, k));
      if (keys.length > 0 && queued.every((q) => q !== undefined)) {
        return (await Promise.all(queued)).filter((i): i is Item => i !== undefined) as T[];
      }
      const merged = mergedBatchGet(this.doc, this.tableName, keys);
      if (merged) return (await merged) as T[];
    }
    const found: T[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: BatchGetCommandInput['RequestItems'] = {
        [this.tableName]: { Keys: keys.slice(i, i + 100), ConsistentRead: consistent },
      };
      for (let attempt = 1; pending && Object.keys(pending).length > 0; attempt++) {
        const out: BatchGetCommandOutput = await this.doc.send(new BatchGetCommand({ RequestItems: pending }));
        found.push(...((out.Responses?.[this.tableName] ?? []) as T[]));
        pending = out.UnprocessedKeys;
        if (pending && Object.keys(pending).length > 0) {
          if (attempt >= MAX_BATCH_ATTEMPTS) throw new UnprocessedAfterRetriesError('keys', 'BatchGet');
          await waitBefore(attempt, CONFLICT_WAIT);
        }
      }
    }
    return found;
  }

  /** Deletes many items, 25 per request, retrying unprocessed ones. Idempotent. */
  async batchDelete(keys: Key[]): Promise<void> {
    keys.forEach((k) => this.assertKey(k));
    await beforeWrite();
    for (let i = 0; i < keys.length; i += 25) {
      let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        const out: BatchWriteCommandOutput = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length > 0) {
          if (attempt >= MAX_BATCH_ATTEMPTS) throw new UnprocessedAfterRetriesError('items', 'BatchWrite');
          await waitBefore(attempt, CONFLICT_WAIT);
        }
      }
    }
  }

  private owns(value: unknown): boolean {
    return typeof value === 'string' && value.startsWith(this.prefix);
  }

  private assertKey(key: Record<string, unknown>) {
    for (const [attr, value] of Object.entries(key)) {
      if (!this.owns(value)) throw new KeyOwnershipError(this.module, attr, value);
    }
  }

  private assertItem(item: Item) {
    for (const attr of KEY_ATTRIBUTES) {
      if (attr in item && item[attr] !== undefined && !this.owns(item[attr])) {
        throw new KeyOwnershipError(this.module, attr, item[attr]);
      }
    }
    if (!this.owns(item.pk)) throw new KeyOwnershipError(this.module, 'pk', item.pk);
  }

  /** Every value a key condition compares against must carry the module's prefix. */
  private assertKeyCondition(input: NoTable<QueryCommandInput>) {
    const expression = input.KeyConditionExpression ?? '';
    const tokens = expression.match(/:[A-Za-z0-9_]+/g) ?? [];
    if (tokens.length === 0) throw new KeyOwnershipError(this.module, 'KeyConditionExpression', expression);
    for (const token of tokens) {
      const value = input.ExpressionAttributeValues?.[token];
      if (!this.owns(value)) throw new KeyOwnershipError(this.module, token, value);
    }
  }
}

function keyOf(item: NoTableTransactItem): Key | undefined {
  const key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key;
  return key ? { pk: String(key.pk), sk: String(key.sk) } : undefined;
}

/**
 * The wait before retrying a transaction conflict or unprocessed batch items: 40 ms, doubling,
 * at most 1 s (20 * 2^attempt ms, capped), drawn with full jitter.
 */
const CONFLICT_WAIT: JitterPolicy = { baseMs: 40, capMs: 1000, growth: 'doubling' };
