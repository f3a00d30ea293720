import { conditionFailedAt } from './condition-failed';
import type { Key } from './module-store';

/**
 * A count item that caps a collection (an account's webhooks, a budget's rules, ...). It moves in
 * the same transaction as each create and delete of a member, so creates racing at the cap
 * cannot all pass (a count of the list before the write would let each of them through), and
 * "all of the collection" stays one small Query. The module owns the item: it passes its own
 * Key (with its prefix); nothing here builds a key.
 */
export interface CappedCount {
  Key: Key;
  /** How many members the collection may hold. */
  max: number;
  /** Written as the count item's `kind` with every move; none: the item's kind was written when it was started. */
  kind?: string;
  /**
   * What an absent count item stands for: a number (the members the collection's list held when
   * read, for a collection older than its count; 0 when it was counted from its first member:
   * the default), or 'refused' when the module starts the item itself before its first create
   * (then a create without it is refused, as at the cap).
   */
  absent?: number | 'refused';
}

/** One element of a transaction (ModuleStore.transactWrite): an Update. */
export interface CountUpdate {
  Update: {
    Key: Key;
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  };
}

/** A further clause on the count item's move: ADD clauses (e.g. `participants :author`) with their values. */
export interface CountAlso {
  add: string;
  values: Record<string, unknown>;
}

/**
 * The transaction item that takes one place in the count: one more, only while it is below
 * `max` (an absent item: per `absent`, started at it when let through).
 */
export function takePlace(count: CappedCount, also?: CountAlso): CountUpdate {
  const names = { '#count': 'count' };
  const values: Record<string, unknown> = { ':one': 1, ':max': count.max, ...kindValue(count), ...also?.values };
  const refusedAbsent = count.absent === 'refused';
  if (!refusedAbsent) values[':absent'] = count.absent ?? 0;
  return {
    Update: {
      Key: count.Key,
      UpdateExpression: moveExpression(count, refusedAbsent ? '#count + :one' : 'if_not_exists(#count, :absent) + :one', also),
      // An absent item is let through only when what it stands for is below the cap.
      ConditionExpression: refusedAbsent ? '#count < :max' : '(attribute_not_exists(#count) AND :absent < :max) OR #count < :max',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * The transaction item that gives one place back (the member deleted with it took one). No
 * condition: a delete is never refused by its count. An absent item stands for at least the
 * member deleted, so it is started at `absent - 1`, never below 0 (the cap plays no part).
 * `also`: a further ADD clause on the count item, as takePlace's.
 */
export function giveBackPlace(count: Omit<CappedCount, 'max'>, also?: CountAlso): CountUpdate {
  const before = typeof count.absent === 'number' ? Math.max(count.absent, 1) : 1;
  return {
    Update: {
      Key: count.Key,
      UpdateExpression: moveExpression(count, 'if_not_exists(#count, :before) - :one', also),
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':before': before, ...kindValue(count), ...also?.values },
    },
  };
}

/**
 * Was the cap what refused this transaction? `at`: the index of the takePlace item in it (a
 * TransactionCanceledException names a ConditionalCheckFailed reason per item).
 */
export function capRefused(err: unknown, at: number): boolean {
  return conditionFailedAt(err, at);
}

function moveExpression(count: Omit<CappedCount, 'max'>, next: string, also?: CountAlso): string {
  const sets = [...(count.kind === undefined ? [] : ['kind = :kind']), `#count = ${next}`];
  return `SET ${sets.join(', ')}${also ? ` ADD ${also.add}` : ''}`;
}

function kindValue(count: Omit<CappedCount, 'max'>): Record<string, unknown> {
  return count.kind === undefined ? {} : { ':kind': count.kind };
}
