import { capRefused, conditionFailedAt, conditionHeld, giveBackPlace, isTransactionConditionFailed, takePlace, type CappedCount, type CountAlso, type Item, type Key, type ModuleStore } from '@budgeting/platform';
import { expenseKeys } from './keys';
import { shardOf } from './totals-deltas';
import { transactGuarded, type WriterGuard } from './writer-guard';

/** How a capped create ended: written, already there (an Idempotency-Key retry), budget data deleted meanwhile, or at the cap. */
export type CappedCreateOutcome = 'created' | 'exists' | 'budget-closed' | 'full';

/** A further condition a create checks in its transaction (an attachment's: its expense still exists). */
export interface CreateCheck {
  Key: Key;
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** What a create may add to its transaction (a comment's: the author joins the count's participants; its event's outbox item). */
export interface CreateExtras {
  check?: CreateCheck;
  /** A further ADD clause on the count item, e.g. `participants :author`, with its values. */
  countAdds?: { clause: string; values: Record<string, unknown> };
  /** Written along, after the create's own items (an event's outbox item). */
  alsoWrite?: Parameters<ModuleStore['transactWrite']>[0];
  /** The writer's guard (writer-guard.ts), last in the transaction: WriterRefusedError when it fails. */
  guard?: WriterGuard;
  /** How the transaction is sent (default: transactGuarded); a recurring definition's takes its change number in it (stampedCommit). */
  commit?: Commit;
}

/** What a purge reads of the collection, as stored now: the members to delete and how many it leaves. */
export interface PurgeRead {
  gone: Key[];
  kept: number;
  /**
   * The count item's count as read; undefined: no count item. Each transaction is conditioned on
   * it (a member made or deleted since moves it) and sets it to the members left, so a count off
   * from its members (old data) is put right rather than failing the purge's condition for ever.
   */
  count: number | undefined;
  /**
   * The count item's `moves` as read (a collection that keeps them: CappedCollection's `moves`
   * option), the count READ BEFORE the members; undefined: none kept (yet). Each transaction is
   * then conditioned on it instead of the count's value.
   */
  moves?: number;
}

/** The ADD clause that moves a count item's `moves` (the collection's option `moves`). */
export const MOVED: CountAlso = { add: 'moves :one', values: {} };

/**
 * The members a cascade purges, of a collection whose owner went at `at` (an expense deleted, a
 * member removed from the budget): those made up to then, and every one while the owner is
 * still gone (`back()` false). Why not the instant alone: a member's `createdAt` is read from
 * its writer's clock before its transaction, the cascade's instant before the owner's own, so
 * one that committed just before the owner went can carry a later instant (another Lambda's
 * clock, or the owner's stamp read first) and was kept. While the owner is gone none can have
 * been made since (each create checks the owner in its transaction), so all are the cascade's
 * (or a later going's, whose cascade would take them too). Once the owner is back, those made
 * after the instant stay as the returned owner's, and so does one made in that window (no clock
 * tells them apart). `back` is asked only when a member is later than the instant, after the
 * members were read: most cascades cost no read more.
 */
export async function purgedByCascade<T extends { createdAt: string }>(members: T[], at: string, back: () => Promise<boolean>): Promise<T[]> {
  const madeBefore = members.filter((m) => m.createdAt <= at);
  if (madeBefore.length === members.length || (await back())) return madeBefore;
  return members;
}

/** A count item's count as a purge reads it (PurgeRead.count); undefined: no count item (or no count on it). */
export function countOf(item: Item | undefined): number | undefined {
  return item?.count === undefined ? undefined : Number(item.count);
}

/**
 * Deletes per transaction of a purge, with the count's item: within DynamoDB's 100 items a
 * transaction, and a comment cascade (at most 200) in three.
 */
const PURGE_DELETES_PER_TRANSACTION = 99;
/** Reads of a purge before it gives up (each after a member changed under it): the event is delivered again. */
const PURGE_ATTEMPTS = 5;

/** The count item as a purge read it: its count and `moves` (undefined: none). */
interface Held {
  count: number | undefined;
  moves?: number | undefined;
}

/** Sends a write's items with the guard in ONE transaction (transactGuarded's contract: the items' indexes stay). */
export type Commit = (items: Parameters<ModuleStore['transactWrite']>[0], guard: WriterGuard | undefined) => Promise<void>;

/** A condition that the item is still the version that was read. */
export interface Unchanged {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * A per-budget collection with at most `max` members (recurring definitions, categorization
 * rules): a count item (the platform's takePlace/giveBackPlace) moves in each create's and delete's transaction, so concurrent creates
 * cannot pass the cap together and "all of a budget's members" stays one Query page. A create
 * also checks the budget's closed marker (the one expense creations check), so nothing
 * outlives the budget.deleted cleanup.
 */
export class CappedCollection {
  private readonly closedKey: ReturnType<typeof expenseKeys>['closedBudget'];

  private readonly commit: Commit = (items, guard) => transactGuarded(this.store, items, guard);

  constructor(
    private readonly store: ModuleStore,
    private readonly countKey: (budgetId: string) => Key,
    private readonly countKind: string,
    readonly max: number,
    /**
     * `moves`: the count item also counts every create and delete (`moves`, which only grows),
     * for a collection whose purge cannot read its members and their count in one Query (a
     * member's calendar feeds): the purge reads the count first, then the members, and writes
     * only while `moves` is as read. A condition on the count's value alone let a member
     * deleted before the members' read and one made after it leave the count as read: set to
     * one too few, the cap was off by one.
     */
    private readonly options: { moves?: boolean } = {},
  ) {
    this.closedKey = expenseKeys(store).closedBudget;
  }

  /** The budget's count (counted from its first member: the platform's capped count). */
  private count(budgetId: string): CappedCount {
    return { Key: this.countKey(budgetId), max: this.max, kind: this.countKind };
  }

  /** Puts `item` (id `id`, new) unless the budget is closed or full, moving the count with it. */
  async create(budgetId: string, id: string, item: Item, guard?: WriterGuard, commit?: Commit): Promise<CappedCreateOutcome> {
    // Without a check there is no 'check-failed'.
    return (await this.createChecked(budgetId, id, item, { ...(guard ? { guard } : {}), ...(commit ? { commit } : {}) })) as CappedCreateOutcome;
  }

  /** As create(), with a further `check` (its own outcome 'check-failed'), more on the count and more items in the same transaction. */
  async createWith(budgetId: string, id: string, item: Item, extras: CreateExtras): Promise<CappedCreateOutcome | 'check-failed'> {
    return this.createChecked(budgetId, id, item, extras);
  }

  private async createChecked(budgetId: string, id: string, item: Item, extras: CreateExtras = {}): Promise<CappedCreateOutcome | 'check-failed'> {
    const { check, countAdds, alsoWrite = [], guard, commit = this.commit } = extras;
    try {
      await commit([
        { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        { ConditionCheck: { Key: this.closedKey(budgetId, shardOf(id)), ConditionExpression: 'attribute_not_exists(pk)' } },
        takePlace(this.count(budgetId), this.moved(countAdds && { add: countAdds.clause, values: countAdds.values })),
        ...(check ? [{ ConditionCheck: check }] : []),
        ...alsoWrite,
      ], guard);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'exists';
      if (conditionFailedAt(err, 1)) return 'budget-closed';
      if (capRefused(err, 2)) return 'full';
      if (check && conditionFailedAt(err, 3)) return 'check-failed';
      throw err;
    }
  }

  /**
   * Deletes the member at `key` if it is `unchanged`, giving its place back in the count, in one
   * transaction; `changed()` is thrown when it was changed or deleted since it was read,
   * WriterRefusedError when `guard` failed.
   */
  async remove(
    budgetId: string,
    key: Key,
    unchanged: Unchanged,
    changed: () => Error,
    alsoWrite: Parameters<ModuleStore['transactWrite']>[0] = [],
    guard?: WriterGuard,
    commit: Commit = this.commit,
  ): Promise<void> {
    try {
      await commit([
        { Delete: { Key: key, ...unchanged } },
        giveBackPlace(this.count(budgetId), this.moved()),
        // Written along (an import profile's name claim, deleted with it).
        ...alsoWrite,
      ], guard);
    } catch (err) {
      if (conditionFailedAt(err, 0)) throw changed();
      throw err;
    }
  }

  /**
   * Deletes a group of members (an expense's comments or receipts made up to its deletion) and
   * takes exactly them off the count. `read` reads the collection as it is now, every time it is
   * called. Each transaction deletes up to 99 of `gone`, each conditioned on still being there,
   * with the count set to the members left after it, conditioned on still holding what was read
   * (or set by the transaction before); the last, when the read keeps none, deletes the count
   * item instead, on the same condition. Why not a BatchWriteItem of the members read and the
   * count: a member made between the read and the write (the expense restored meanwhile and
   * given a new one) kept its place while the count went, and the cap was off from then on. Why
   * set, not move by as many: a count off from its members (that old data, or none at all) then
   * never matched the last transaction's condition, and the cascade failed every delivery. A
   * condition failed (a member deleted or made meanwhile): nothing of that transaction is
   * written, and the collection is read again. Idempotent. How many members it deleted.
   */
  async purge(budgetId: string, read: () => Promise<PurgeRead>): Promise<number> {
    let deleted = 0;
    for (let attempt = 1; attempt <= PURGE_ATTEMPTS; attempt++) {
      const { gone, kept, count, moves } = await read();
      if (gone.length === 0) {
        // Nothing to delete but a count item with no member left (conditioned: a member made since the read keeps it).
        if (kept === 0 && count !== undefined) await conditionHeld(this.store.delete(this.dropCount(budgetId, { count, moves }).Delete));
        return deleted;
      }
      let written = 0;
      let was: Held = { count, moves };
      try {
        for (let from = 0; from < gone.length; from += PURGE_DELETES_PER_TRANSACTION) {
          const keys = gone.slice(from, from + PURGE_DELETES_PER_TRANSACTION);
          const left = kept + gone.length - from - keys.length;
          await this.store.transactWrite([
            ...keys.map((Key) => ({ Delete: { Key, ConditionExpression: 'attribute_exists(pk)' } })),
            left === 0 ? this.dropCount(budgetId, was) : this.setCount(budgetId, was, left),
          ]);
          written += keys.length;
          // The set just moved `moves` too, when kept (from none: 1).
          was = { count: left, moves: this.options.moves === true ? (was.moves ?? 0) + 1 : undefined };
        }
        return deleted + written;
      } catch (err) {
        if (!isTransactionConditionFailed(err)) throw err;
        deleted += written;
      }
    }
    throw new Error(`${this.countKind}: the collection kept changing under its purge (${PURGE_ATTEMPTS} reads)`);
  }

  /** The count set to `left`, if it still holds `was` (its count undefined: no count item); its `moves` moved when kept. */
  private setCount(budgetId: string, was: Held, left: number) {
    const { ConditionExpression, values } = this.holding(was);
    const moved = this.options.moves === true;
    return {
      Update: {
        Key: this.countKey(budgetId),
        UpdateExpression: `SET #kind = :kind, #count = :left${moved ? ' ADD moves :one' : ''}`,
        ConditionExpression,
        ExpressionAttributeNames: { '#kind': 'kind', '#count': 'count' },
        ExpressionAttributeValues: { ':kind': this.countKind, ':left': left, ...(moved ? { ':one': 1 } : {}), ...values },
      },
    };
  }

  /** The count item deleted, if it still holds `was` (its count undefined: no count item, and none made since). */
  private dropCount(budgetId: string, was: Held) {
    const { ConditionExpression, values } = this.holding(was);
    return {
      Delete: {
        Key: this.countKey(budgetId),
        ConditionExpression,
        ...(ConditionExpression.includes('#count') ? { ExpressionAttributeNames: { '#count': 'count' } } : {}),
        ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
      },
    };
  }

  /**
   * A condition that the count item is as read: no create or delete since (`moves`, when the
   * read gave them), else holding the count read (undefined: there is no count) and, in a
   * collection that keeps moves, none kept yet.
   */
  private holding(was: Held): { ConditionExpression: string; values: Record<string, unknown> } {
    if (was.moves !== undefined) return { ConditionExpression: 'moves = :moves', values: { ':moves': was.moves } };
    const noMoves = this.options.moves === true ? ' AND attribute_not_exists(moves)' : '';
    return was.count === undefined
      ? { ConditionExpression: 'attribute_not_exists(#count)', values: {} }
      : { ConditionExpression: `#count = :was${noMoves}`, values: { ':was': was.count } };
  }

  /** `also` with the `moves` clause when the collection keeps them. */
  private moved(also?: CountAlso): CountAlso | undefined {
    if (this.options.moves !== true) return also;
    return also ? { add: `${also.add}, ${MOVED.add}`, values: { ...also.values, ...MOVED.values } } : MOVED;
  }
}
