import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * The one vocabulary for "a write's condition did not hold". DynamoDB says it in two ways:
 *
 * - a single write (PutItem, UpdateItem, DeleteItem): `ConditionalCheckFailedException`;
 * - a TransactWriteItems: `TransactionCanceledException`, whose `CancellationReasons` hold one
 *   entry per item, in the transaction's order: `ConditionalCheckFailed` for an item whose
 *   condition failed, `None` for one that passed (or was not evaluated), and `TransactionConflict`,
 *   `ThrottlingError`, `ProvisionedThroughputExceeded`, `ValidationError`, ... for the rest.
 *
 * A transaction cancelled WITHOUT a failed condition (a conflict with another transaction that
 * outlasted ModuleStore.transactWrite's retries, throttling) says nothing about the data: it is
 * not a lost race to answer, it must be thrown on (http/aws-errors.ts answers it 503 with
 * Retry-After). Until 2026-12-06 several repositories read any TransactionCanceledException as
 * "the condition failed" (an import's chunk then went uncounted and its delivery succeeded), and
 * others read a transaction's refusal with the single-write name (a 500).
 */

type Cancellation = { name?: string; CancellationReasons?: { Code?: string }[] };

/** The cancellation codes of a transaction, one per item in its order; empty for any other error. */
export function cancellationCodes(err: unknown): (string | undefined)[] {
  const e = err as Cancellation | undefined;
  if (e?.name !== 'TransactionCanceledException') return [];
  return (e.CancellationReasons ?? []).map((r) => r?.Code);
}

/** The indexes of the transaction's items whose condition failed (empty: none did, or it was no transaction). */
export function failedConditions(err: unknown): number[] {
  return cancellationCodes(err).flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [i] : []));
}

/**
 * A SINGLE write's condition failed (ConditionalCheckFailedException). Never true for a
 * transaction: for one, ask isTransactionConditionFailed / conditionFailedAt, or conditionHeld
 * (both forms).
 */
export function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * A transaction was cancelled because a condition failed: the condition of item `index` when
 * given, of any of its items otherwise. False for a transaction cancelled only by conflicts or
 * throttling (to throw on: a 503), and for a single write's failure (isConditionFailed).
 */
export function isTransactionConditionFailed(err: unknown, index?: number): boolean {
  const failed = failedConditions(err);
  return index === undefined ? failed.length > 0 : failed.includes(index);
}

/** Was this transaction cancelled because the condition of item `index` failed? (isTransactionConditionFailed with an index.) */
export function conditionFailedAt(err: unknown, index: number): boolean {
  return isTransactionConditionFailed(err, index);
}

/**
 * The code DynamoDB gives an item of a cancelled transaction that did not cause the
 * cancellation: its condition held, or it was not evaluated. An entry without a code reads the
 * same where a whole cancellation is judged (cancelledOnlyAt, cancelledOnlyByConflicts): it
 * names no cause.
 */
const UNTOUCHED = 'None';
const causedNothing = (code: string | undefined) => code === undefined || code === UNTOUCHED;

/**
 * Was this transaction cancelled with its item at `index` untouched (code `None`: its
 * condition held, or it was not evaluated)? False for any other error, and for an index the
 * reasons do not cover: only an explicit `None` proves the item's condition did not fail (a
 * caller keeps what the item's condition vouched for, e.g. a counter's value).
 */
export function cancellationUntouched(err: unknown, index: number): boolean {
  return cancellationCodes(err)[index] === UNTOUCHED;
}

/**
 * Was this transaction cancelled because the condition of its item at `index` failed, and for
 * no other reason (every other item untouched)? The one lost race a caller may answer by
 * retrying its own item alone; a failure beside it (another condition, a conflict, throttling)
 * is not that race.
 */
export function cancelledOnlyAt(err: unknown, index: number): boolean {
  return conditionFailedAt(err, index) && cancellationCodes(err).every((code, i) => i === index || causedNothing(code));
}

/**
 * Was this transaction cancelled only by conflicts with other transactions (at least one item
 * `TransactionConflict`, every other untouched)? The cancellation worth retrying as it is
 * (ModuleStore.transactWrite); one with a failed condition or throttling beside it is not.
 */
export function cancelledOnlyByConflicts(err: unknown): boolean {
  const codes = cancellationCodes(err);
  return codes.includes('TransactionConflict') && codes.every((code) => causedNothing(code) || code === 'TransactionConflict');
}

/**
 * Awaits a conditional write: true when it was written, false when a condition did not hold (the
 * "someone else got there first" answer of a repository), whether `write` is a single write or a
 * transaction (any of its items: a caller that must know which asks conditionFailedAt itself).
 * Any other error throws, a transaction cancelled by conflicts or throttling included.
 */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (isConditionFailed(err) || isTransactionConditionFailed(err)) return false;
    throw err;
  }
}

/**
 * The item that refused a single write sent with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`
 * (undefined for any other error, or when there was no item), as plain values: lib-dynamodb
 * leaves it as DynamoDB sent it (attribute values; aws-sdk-js-v3 issue 6723). What a write that
 * claims something with a token of its own asks: a write whose answer was lost after it committed
 * is sent again by the SDK (a timeout, a reset connection), and its condition then meets the
 * claim it wrote itself, which must not be taken for another caller's.
 */
export function refusingItem(err: unknown): ReturnType<typeof unmarshall> | undefined {
  if (!isConditionFailed(err)) return undefined;
  const raw = (err as { Item?: Parameters<typeof unmarshall>[0] }).Item;
  return raw ? unmarshall(raw) : undefined;
}
