import { AsyncLocalStorage } from 'node:async_hooks';
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item, Key } from './module-store';
import { waitBefore, type JitterPolicy } from '../retry/backoff';
import { UnprocessedAfterRetriesError } from './unprocessed';

/**
 * Per-request coalescing of strongly consistent key reads (a tiny DataLoader for one table).
 *
 * Why: an authenticated request reads the caller's account (a deleted account's token must get
 * 401, issue 12) and then, on a budget route, the budget and the caller's membership (one
 * BatchGetItem). Two round trips where one would do. The auth middleware runs the account
 * check inside `deferReads()`: its GetItem is queued, not sent. The next consistent key read
 * of the request (the route's access BatchGetItem) takes the queued keys along, so both travel
 * in ONE BatchGetItem; each module still asks only for its own keys through its ModuleStore,
 * which checks their prefixes before they are queued.
 *
 * What keeps this safe: every write of the request first waits for the queued reads and the
 * request's guards (the account check): a ModuleStore write calls `beforeWrite()`, which sends
 * whatever is still queued and rethrows a failed guard, so nothing is written for a deleted
 * account. The auth middleware also settles the check before the answer leaves, so a route
 * that never reads a key still answers 401.
 *
 * Outside a request scope (subscribers, jobs, the stream relay) nothing is deferred or merged.
 */
interface Waiter {
  key: Key;
  resolve: (item: Item | undefined) => void;
  reject: (err: unknown) => void;
  /** Only asks whether the item exists: a transaction may verify that instead of a read. */
  existence?: boolean;
  /** ...and, if given, whether it also meets this condition (checked the same two ways). */
  condition?: ItemCondition;
}

/**
 * A condition an existing item must meet (e.g. "the profile's session epoch is 3"), in both
 * forms the request may check it: a DynamoDB condition expression (values only, placeholders
 * of its own) for a ConditionCheck riding a transaction, and `holds` for an item read. The
 * expression must be one term (a comparison, a function, a parenthesized OR) or an AND chain
 * of such terms, never wrapped in parentheses itself: it is joined to `attribute_exists(pk) AND`
 * as it is, since DynamoDB refuses redundant parentheses.
 */
export interface ItemCondition {
  expression: string;
  values: Record<string, unknown>;
  holds(item: Item): boolean;
}

/**
 * Marks the stand-in item a riding check is answered with after its transaction committed:
 * DynamoDB verified the condition, there is no item to evaluate `holds` on.
 */
const VERIFIED_BY_TRANSACTION = Symbol('verified by the transaction');

/** Whether `item` (an answer to a queued existence check) meets `condition`. */
export function meets(item: Item | undefined, condition: ItemCondition | undefined): boolean {
  if (item === undefined) return false;
  return !condition || (item as Record<symbol, unknown>)[VERIFIED_BY_TRANSACTION] === true || condition.holds(item);
}

/** The one condition every waiter of a key asks (undefined: none), or 'mixed' when they differ. */
function sharedCondition(list: Waiter[]): ItemCondition | undefined | 'mixed' {
  const ids = new Set(list.map((w) => (w.condition ? `${w.condition.expression}\n${JSON.stringify(w.condition.values)}` : '')));
  return ids.size > 1 ? 'mixed' : list[0]?.condition;
}

/** A promise the request's writes wait for, and the queued reads it waits on (deferGuard). */
interface Guard {
  promise: Promise<unknown>;
  needs: Waiter[];
}

interface Shared {
  /** Keys queued by deferred reads, by "pk\nsk" (a BatchGetItem refuses duplicate keys). */
  pending: Map<string, Waiter[]>;
  /** The client and table of the queued keys (only reads of the same table are merged). */
  target?: { doc: DynamoDBDocumentClient; tableName: string };
  /** Promises every write of the request waits for; a rejected one stops the write. */
  guards: Guard[];
  /** Called when a key is queued (settle() waits for it instead of polling). */
  wake?: () => void;
}

interface Context {
  shared: Shared;
  /** Inside deferReads(): consistent key reads are queued. */
  defer: boolean;
  /** Inside deferGuard(): the reads queued, so the guard knows what it waits on. */
  collect?: Waiter[];
}

const storage = new AsyncLocalStorage<Context>();
const MAX_KEYS = 100;
const MAX_ATTEMPTS = 8;
/**
 * The wait before asking again for unprocessed keys (throttled reads): 50 ms, doubling
 * (25 * 2^attempt ms). No cap: MAX_ATTEMPTS bounds it, the last wait at most 3.2 s.
 */
const UNPROCESSED_WAIT: JitterPolicy = { baseMs: 50, capMs: Number.POSITIVE_INFINITY, growth: 'doubling' };

const keyId = (k: Key) => `${k.pk}\n${k.sk}`;

/** Runs `fn` (the rest of a request) with its own read scope. */
export function withRequestReads<T>(fn: () => Promise<T>): Promise<T> {
  return storage.run({ shared: { pending: new Map(), guards: [] }, defer: false }, fn);
}

/** Runs `fn` with its consistent key reads queued instead of sent (see above). */
export function deferReads<T>(fn: () => Promise<T>): Promise<T> {
  const context = storage.getStore();
  if (!context) return fn();
  return storage.run({ shared: context.shared, defer: true }, fn);
}

/**
 * Runs `fn` with its reads deferred (as deferReads) and makes every later write of the request
 * wait for it and fail if it rejects. When all `fn` waits on is existence checks (ModuleStore.exists)
 * and the request's next write is a transaction, the checks ride that transaction as
 * ConditionChecks instead of being read first: a write request costs one round trip, and the
 * write still commits only if the checks hold (see takeRiders).
 */
export function deferGuard<T>(fn: () => Promise<T>): Promise<T> {
  const context = storage.getStore();
  if (!context) return fn();
  const needs: Waiter[] = [];
  const promise = storage.run({ shared: context.shared, defer: true, collect: needs }, fn);
  // Observed here so a rejection before any write is not reported as unhandled.
  promise.catch(() => undefined);
  context.shared.guards.push({ promise, needs });
  return promise;
}

/**
 * Waits for `promise`, sending the queued reads it may be waiting on (a deferred read nobody
 * else took along).
 */
export async function settle<T>(promise: Promise<T>): Promise<T> {
  const scope = storage.getStore()?.shared;
  if (!scope) return promise;
  let done = false;
  const finished = promise.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    if (scope.pending.size > 0) {
      await flush(scope, []).catch(() => undefined);
      continue;
    }
    await Promise.race([finished, new Promise<void>((resolve) => (scope.wake = resolve))]);
    scope.wake = undefined;
  }
  return promise;
}

/**
 * Before a write: queued reads are sent and every guard must have succeeded, except the
 * guards whose checks ride the write itself (`riding`, see takeRiders).
 */
export async function beforeWrite(riding?: Riders): Promise<void> {
  const scope = storage.getStore()?.shared;
  if (!scope) return;
  if (scope.pending.size > 0) await flush(scope, []);
  for (const guard of scope.guards) if (!riding?.guards.includes(guard)) await settle(guard.promise);
}

type RiderItem = { ConditionCheck: { TableName: string; Key: Key; ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> } };

/** Existence checks taken off the read queue to ride one transaction as ConditionChecks. */
export interface Riders {
  /** To append to the transaction's items, in this order. */
  items: RiderItem[];
  guards: Guard[];
  /** After the commit: every check held. */
  committed(): Promise<void>;
  /**
   * After the transaction failed: checks whose ConditionCheck failed (by `reasons`, the
   * cancellation codes of the whole transaction) are answered "missing", the others are read;
   * then the riding guards are settled, so a failed guard's error is thrown instead of `err`.
   */
  failed(err: unknown, reasons: (string | undefined)[], firstIndex: number): Promise<never>;
}

/**
 * The queued existence checks of `doc`/`tableName` that may ride a transaction writing
 * `transactionKeys` with room for `room` more items: each one's key is not written by the
 * transaction (DynamoDB refuses two operations on one item), and every guard waiting on one
 * waits on riders only (a guard also waiting on a read would never settle before the write).
 * Undefined when there are none.
 */
export function takeRiders(doc: DynamoDBDocumentClient, tableName: string, transactionKeys: Key[], room: number): Riders | undefined {
  const scope = storage.getStore()?.shared;
  if (!scope || scope.pending.size === 0 || scope.target?.doc !== doc || scope.target.tableName !== tableName) return undefined;
  const written = new Set(transactionKeys.map(keyId));
  const candidates = new Set<string>();
  for (const [id, list] of scope.pending) if (!written.has(id) && list.every((w) => w.existence) && sharedCondition(list) !== 'mixed') candidates.add(id);
  const guards = scope.guards.filter((g) => g.needs.some((w) => candidates.has(keyId(w.key))));
  for (const g of guards) if (!g.needs.every((w) => candidates.has(keyId(w.key)))) for (const w of g.needs) candidates.delete(keyId(w.key));
  const ids = [...candidates].slice(0, Math.max(0, room));
  if (ids.length === 0) return undefined;
  const taken = ids.map((id) => ({ id, waiters: scope.pending.get(id)! }));
  for (const { id } of taken) scope.pending.delete(id);
  const riding = scope.guards.filter((g) => g.needs.length > 0 && g.needs.every((w) => ids.includes(keyId(w.key))));
  const answer = (list: Waiter[], item: Item | undefined) => list.forEach((w) => w.resolve(item));
  return {
    items: taken.map(({ waiters }) => conditionCheck(tableName, waiters[0]!.key, sharedCondition(waiters) as ItemCondition | undefined)),
    guards: riding,
    async committed() {
      for (const { waiters } of taken) answer(waiters, { ...waiters[0]!.key, [VERIFIED_BY_TRANSACTION]: true });
      for (const g of riding) await g.promise;
    },
    async failed(err, reasons, firstIndex) {
      const unknown: typeof taken = [];
      taken.forEach((t, i) => (reasons[firstIndex + i] === 'ConditionalCheckFailed' ? answer(t.waiters, undefined) : unknown.push(t)));
      if (unknown.length > 0) {
        for (const { id, waiters } of unknown) scope.pending.set(id, waiters);
        await flush(scope, []).catch(() => undefined);
      }
      for (const g of riding) await settle(g.promise);
      throw err;
    },
  };
}

/** The ConditionCheck a queued existence check (with its condition, if any) rides a transaction as. */
function conditionCheck(TableName: string, Key: Key, condition: ItemCondition | undefined): RiderItem {
  if (!condition) return { ConditionCheck: { TableName, Key, ConditionExpression: 'attribute_exists(pk)' } };
  return {
    ConditionCheck: {
      TableName,
      Key,
      ConditionExpression: `attribute_exists(pk) AND ${condition.expression}`,
      ExpressionAttributeValues: condition.values,
    },
  };
}

/**
 * A consistent read of one key: queued when deferring (resolved by the next flush), otherwise
 * undefined (the caller reads as usual).
 */
export function deferredGet(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
  existence = false,
  condition?: ItemCondition,
): Promise<Item | undefined> | undefined {
  const context = storage.getStore();
  if (!context?.defer) return undefined;
  const scope = context.shared;
  if (scope.target && (scope.target.doc !== doc || scope.target.tableName !== tableName)) return undefined;
  scope.target = { doc, tableName };
  return new Promise((resolve, reject) => {
    const id = keyId(key);
    const waiter: Waiter = { key, resolve, reject, existence, ...(condition ? { condition } : {}) };
    scope.pending.set(id, [...(scope.pending.get(id) ?? []), waiter]);
    context.collect?.push(waiter);
    scope.wake?.();
  });
}

/**
 * A consistent read of `keys` that takes the request's queued keys along in the same
 * BatchGetItem; undefined when there is nothing to merge with (the caller reads as usual).
 */
export function mergedBatchGet(doc: DynamoDBDocumentClient, tableName: string, keys: Key[]): Promise<Item[]> | undefined {
  const scope = storage.getStore()?.shared;
  if (!scope || scope.pending.size === 0 || !scope.target) return undefined;
  if (scope.target.doc !== doc || scope.target.tableName !== tableName) return undefined;
  if (new Set([...scope.pending.keys(), ...keys.map(keyId)]).size > MAX_KEYS) return undefined;
  return flush(scope, keys);
}

/** Sends the queued keys plus `keys` in one BatchGetItem; returns the items of `keys`. */
async function flush(scope: Shared, keys: Key[]): Promise<Item[]> {
  const waiters = scope.pending;
  const target = scope.target!;
  scope.pending = new Map();
  const wanted = new Map<string, Key>();
  for (const [id, list] of waiters) wanted.set(id, list[0]!.key);
  for (const k of keys) wanted.set(keyId(k), { pk: k.pk, sk: k.sk });
  try {
    const found = await batchGetAll(target.doc, target.tableName, [...wanted.values()]);
    const byId = new Map(found.map((item) => [keyId(item as Key), item]));
    for (const [id, list] of waiters) for (const w of list) w.resolve(byId.get(id));
    return keys.map((k) => byId.get(keyId(k))).filter((i): i is Item => i !== undefined);
  } catch (err) {
    for (const list of waiters.values()) for (const w of list) w.reject(err);
    throw err;
  }
}

async function batchGetAll(doc: DynamoDBDocumentClient, tableName: string, keys: Key[]): Promise<Item[]> {
  if (keys.length > MAX_KEYS) {
    const chunks = Array.from({ length: Math.ceil(keys.length / MAX_KEYS) }, (_, i) => keys.slice(i * MAX_KEYS, (i + 1) * MAX_KEYS));
    return (await Promise.all(chunks.map((chunk) => batchGetAll(doc, tableName, chunk)))).flat();
  }
  const found: Item[] = [];
  let pending: Record<string, { Keys: Key[]; ConsistentRead: boolean }> | undefined = {
    [tableName]: { Keys: keys, ConsistentRead: true },
  };
  for (let attempt = 1; pending && Object.keys(pending).length > 0; attempt++) {
    const out: BatchGetCommandOutput = await doc.send(new BatchGetCommand({ RequestItems: pending }));
    found.push(...((out.Responses?.[tableName] ?? []) as Item[]));
    pending = out.UnprocessedKeys as typeof pending;
    if (pending && Object.keys(pending).length > 0) {
      if (attempt >= MAX_ATTEMPTS) throw new UnprocessedAfterRetriesError('keys', 'BatchGet');
      await waitBefore(attempt, UNPROCESSED_WAIT);
    }
  }
  return found;
}
