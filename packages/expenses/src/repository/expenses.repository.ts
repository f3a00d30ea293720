import {
  conditionFailedAt,
  keyRecordLive,
  type EventContract,
  type EventEnvelope,
  type KeyRecordOnItem,
  type ModuleStore,
} from '@budgeting/platform';
import { contributionOf, type Expense } from '../model';
import { ChangeLog, type ChangeRef } from './change-log';
import { expenseKeys, type ExpenseKeys } from './keys';
import { TOTALS_SHARDS, bucketDeltas, mergeBucketDeltas, shardOf, type BucketDelta } from './totals-deltas';
import { totalsLimitOf } from './totals-cap';
import { TotalsRepository } from './totals.repository';
import { isBudgetArchived } from '../domain/write-retry';
import { DeletedExpenses, type DeletedExpense } from './deleted-expenses';
import { WriterRefusedError, type WriterGuard } from './writer-guard';
import type { ImportedExpenseFacts } from './expense-queries.repository';
import {
  EXPENSE_KIND,
  HELD_KEY_RECORD,
  IMPORT_ID_ATTRIBUTE,
  KEY_RECORD_ATTRIBUTE,
  MATCH_RECURRING_ATTRIBUTE,
  TOMBSTONE_KIND,
  expenseKey,
  importOriginOf,
  toExpense,
  toItem,
  tombstoneUntil,
  type StoredExpense,
} from './expense-item';

/** The event to publish with a write (carried by the write's change-log entry, in the same transaction). */
export interface Publish {
  contract: EventContract;
  event: EventEnvelope;
}

/** A replace's own checks (`extra`) failed, nothing else: `failed` are their positions in `extra`. */
export class ExtraChecksFailedError extends Error {
  constructor(readonly failed: number[]) {
    super('A check of the write failed');
    this.name = 'ExtraChecksFailedError';
  }
}

/** The expense changed (or vanished) between our read and our write. */
export class ExpenseChangedError extends Error {
  constructor() {
    super('The expense changed concurrently');
    this.name = 'ExpenseChangedError';
  }
}

export type TransactItems = Parameters<ModuleStore['transactWrite']>[0];
/** `{ extraFailed }`: the first of `extra` whose condition failed; `allFailed`: every one that did (in order). */
export type CreateOutcome = 'created' | 'exists' | 'budget-closed' | { extraFailed: number; allFailed: number[] };
/** How a restore ended: written; its deleted copy gone (restored already, or expired); its id taken again; the budget's data deleted meanwhile. */
export type RestoreOutcome = 'restored' | 'gone' | 'exists' | 'budget-closed';

const CLOSED_MARKER_TTL_SECONDS = 24 * 60 * 60;

/**
 * Expense items and, in the same TransactWriteItems as each of them, the running totals and
 * the change log's stamp (see change-log.ts: delta sync), whose entry is also the event. Every write is
 * conditioned on the expense's state we computed from (absent for a create, the version we
 * read for an update or delete), so a write that lost a race fails as a whole and can never
 * move the totals twice. The reads of a budget's expenses are ExpenseQueries' (pages, by id,
 * a range's expenses: expense-queries.repository.ts) and SpendingReads' (the reports' rows:
 * spending-reads.repository.ts); the item's layout is expense-item.ts'.
 */
export class ExpensesRepository {
  private readonly keys: ExpenseKeys;
  readonly changes: ChangeLog;
  /** The restorable copies deleted expenses leave (deleted-expenses.ts). */
  readonly deleted: DeletedExpenses;

  constructor(
    private readonly store: ModuleStore,
    private readonly totals: TotalsRepository,
  ) {
    this.keys = expenseKeys(store);
    this.changes = new ChangeLog(store);
    this.deleted = new DeletedExpenses(store, toExpense);
  }

  async get(budgetId: string, expenseId: string): Promise<Expense | undefined> {
    const item = await this.store.get({ Key: expenseKey(this.keys, budgetId, expenseId), ConsistentRead: true });
    return item && item.kind === EXPENSE_KIND ? toExpense(item) : undefined;
  }

  /**
   * The Idempotency-Key record attribute of the item under an expense's id, as stored (an
   * expense's or a tombstone's; undefined when there is no item or it holds none), strongly
   * consistent: what a create whose id was taken replays (ExpensesService.create).
   */
  async keyRecordAt(budgetId: string, expenseId: string): Promise<unknown> {
    const item = await this.store.get({ Key: expenseKey(this.keys, budgetId, expenseId), ConsistentRead: true });
    return item?.[KEY_RECORD_ATTRIBUTE];
  }

  /**
   * The Put of a tombstone holding `record` under the id `holderId` a key names (platform
   * keyHolderId), only if nothing is there: for a keyed create whose expense took a fresh id
   * (its key's time outside the window that lets it name the expense), so a retry whose key
   * time is inside the window by then meets this id taken and replays the record, as after a
   * DELETE (remove's tombstone: no reader sees it, the table's TTL removes it with the record).
   */
  keyHolderPut(budgetId: string, holderId: string, record: KeyRecordOnItem): TransactItems[number] {
    const key = expenseKey(this.keys, budgetId, holderId);
    return { Put: { Item: { ...key, kind: TOMBSTONE_KIND, [KEY_RECORD_ATTRIBUTE]: record, expiresAt: record.expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /**
   * The condition that the expense `e` is still the imported expense the job read (kind, the
   * facts bill matching compared, its import): for the job's transaction (RecurringRepository.
   * settleWithImported). A change of anything else (a review, a category, tags) does not fail it.
   */
  importedUnchanged(budgetId: string, e: ImportedExpenseFacts): TransactItems[number] {
    return {
      ConditionCheck: {
        Key: expenseKey(this.keys, budgetId, e.id),
        ConditionExpression:
          '#kind = :expense AND #amount = :amount AND #occurredOn = :occurredOn AND #merchant = :merchant AND #importId = :importId AND attribute_not_exists(#matchRecurring)',
        ExpressionAttributeNames: {
          '#kind': 'kind',
          '#amount': 'amount',
          '#occurredOn': 'occurredOn',
          '#merchant': 'merchant',
          '#importId': IMPORT_ID_ATTRIBUTE,
          '#matchRecurring': MATCH_RECURRING_ATTRIBUTE,
        },
        ExpressionAttributeValues: { ':expense': EXPENSE_KIND, ':amount': e.amount, ':occurredOn': e.occurredOn, ':merchant': e.merchant ?? null, ':importId': e.importId },
      },
    };
  }

  /** The check that the budget's data was not deleted (see closeBudget), on the shard of the expense `expenseId`. */
  budgetOpenFor(budgetId: string, expenseId: string): TransactItems[number] {
    return { ConditionCheck: { Key: this.keys.closedBudget(budgetId, shardOf(expenseId)), ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /**
   * Records a new expense. Nothing is written when the result is 'exists' (an expense with its
   * id is already there), 'budget-closed' (the budget's data was deleted meanwhile: see
   * closeBudget) or `{ extraFailed }`: the condition of `extra[extraFailed]` failed. `extra`
   * are the caller's own items joining the same transaction (the recurring job's occurrence
   * marker and schedule advance), so an expense it records goes through exactly this path.
   *
   * `membershipChecked`: `extra` holds a ConditionCheck of the writer's membership of this
   * budget (BudgetsFacade.writeChecks). Deleting a budget deletes its memberships in the
   * deletion's own transaction, before the budget.deleted cleanup can start, so a create that
   * would commit after the deletion already fails on that check, and one that commits before
   * it is found by the cleanup: the closed-budget check would add nothing, and it is left out
   * (one item less for DynamoDB to read and lock per create). Without it (the read-first path,
   * the recurring job, offline push) the closed check stays.
   *
   * `keyRecord`: the Idempotency-Key record of the request creating the expense, stored ON
   * the expense item (the expense's id is derived from the key, so a retry targets this very
   * item and its `attribute_not_exists(pk)` is the key's condition): 'exists' then means the
   * key is used, or was (see keyRecordAt).
   *
   * Throws TotalsLimitError (nothing written) when the expense would take its month's running
   * totals past MAX_EXACT_TOTAL (totals-cap.ts) and no other condition failed; likewise
   * createMany for its batch, and replace.
   */
  async create(
    expense: Expense,
    publish: Publish,
    extra: TransactItems = [],
    { membershipChecked = false, keyRecord, riders = [] }: { membershipChecked?: boolean; keyRecord?: KeyRecordOnItem; riders?: ChangeRef[] } = {},
  ): Promise<CreateOutcome> {
    const { deltas, items: totalsItems } = this.addedTotals(expense);
    const items: TransactItems = [{ Put: { Item: toItem(this.keys, expense, keyRecord), ConditionExpression: 'attribute_not_exists(pk)' } }, ...totalsItems];
    if (!membershipChecked) items.push(this.budgetOpen(expense));
    const closedIndex = membershipChecked ? -1 : items.length - 1;
    // The stamp's items (the counter, the expense's entry, an entry per rider) follow `items`, then come the caller's.
    const extraStart = items.length + 2 + riders.length;
    try {
      await this.stamped({ budgetId: expense.budgetId, expenseId: expense.id, deleted: false }, publish, items, extra, riders);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'exists';
      if (closedIndex >= 0 && conditionFailedAt(err, closedIndex)) return 'budget-closed';
      const allFailed = extra.flatMap((_, i) => (conditionFailedAt(err, extraStart + i) ? [i] : []));
      if (allFailed.length > 0) return { extraFailed: allFailed[0]!, allFailed };
      // Last: a caller whose own checks failed (membership, category) gets their answer, not this.
      throw totalsLimitOf(err, 1, monthsOf(deltas)) ?? err;
    }
  }

  /**
   * Puts a deleted expense back (`restored`: the copy's expense at its next version) in ONE
   * transaction, exactly as a create would record it (the same totals updates with their cap
   * condition, the closed-budget check, the change stamp whose entry is the event) plus the
   * delete of its copy, conditioned on being the copy that was read (its deletedAt): of
   * concurrent restores exactly one commits. The expense item may hold the Idempotency-Key
   * tombstone remove() left; anything else under the id (it was taken again) fails it.
   * The Idempotency-Key record the copy carried goes back on the item while it lives.
   * `guard` (writer-guard.ts: the restoring member's BudgetsFacade.writeChecks): WriterRefusedError
   * when it failed (removed, made a viewer or the budget archived since the access read), nothing written.
   */
  async restore(deleted: DeletedExpense, restored: Expense, publish: Publish, guard: WriterGuard, also: TransactItems = []): Promise<RestoreOutcome | 'key-taken'> {
    const { deltas, items: totalsItems } = this.addedTotals(restored);
    const items: TransactItems = [
      this.deleted.takeBack(restored.budgetId, restored.id, deleted.deletedAt),
      {
        Put: {
          Item: toItem(this.keys, restored, liveKeyRecord(deleted.expense, publish), importOriginOf(deleted.expense)),
          ConditionExpression: 'attribute_not_exists(pk) OR #kind = :tombstone',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':tombstone': TOMBSTONE_KIND },
        },
      },
      ...totalsItems,
      this.budgetOpen(restored),
    ];
    try {
      await this.stamped({ budgetId: restored.budgetId, expenseId: restored.id, deleted: false }, publish, items, [guard, ...also]);
      return 'restored';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'gone';
      if (conditionFailedAt(err, 1)) return 'exists';
      if (conditionFailedAt(err, items.length - 1)) return 'budget-closed';
      // The writer's guard, then `also` (a keyed restore's lease completion), follow the stamp's two items.
      const afterStamp = items.length + 2;
      if (conditionFailedAt(err, afterStamp)) throw new WriterRefusedError();
      const alsoAt = afterStamp + 1;
      if (also.some((_, n) => conditionFailedAt(err, alsoAt + n))) return 'key-taken';
      throw totalsLimitOf(err, 2, monthsOf(deltas)) ?? err;
    }
  }

  /** What a new expense adds to the running totals: its deltas and their updates (with the cap condition). */
  private addedTotals(expense: Expense): { deltas: BucketDelta[]; items: TransactItems } {
    const deltas = bucketDeltas(expense.id, null, contributionOf(expense));
    return { deltas, items: this.totals.updateItems(expense.budgetId, deltas) };
  }

  /** The check that the budget's data was not deleted (see closeBudget), on the expense's shard. */
  private budgetOpen(expense: Expense): TransactItems[number] {
    return this.budgetOpenFor(expense.budgetId, expense.id);
  }

  /**
   * Records several new expenses of one budget and ONE change shard (so one totals shard) in
   * ONE transaction: each expense (absent only) with its caller's `extra` items (the CSV
   * import's row marker), the running totals of all of them merged per month item, the shard's
   * closed-budget check and the change stamp of every expense (ChangeLog.stampMany: one
   * entry, which is also the expense.recorded event, per expense). All or nothing, like
   * `create` for one: 'created', 'budget-closed', 'budget-archived' (its change counter says
   * the budget was archived: the import's access check was before), or `{ extraFailed }`: the
   * positions (in `entries`) whose extra condition failed (another import took the row), nothing written.
   * `categories`: the budgets module's check that the batch's categories are still the budget's
   * (BudgetsFacade.categoriesCheck): 'category-removed' when it failed, nothing written.
   * The caller keeps a batch within TransactWriteItems' 100 items (batchItemCount).
   */
  async createMany(
    entries: { expense: Expense; publish: Publish; extra: TransactItems }[],
    categories: TransactItems = [],
  ): Promise<'created' | 'budget-closed' | 'budget-archived' | 'category-removed' | { extraFailed: number[] }> {
    const first = entries[0]!.expense;
    // One update per month item of the shard (a date-ordered batch: one, at a month's end two).
    const deltas = mergeBucketDeltas(entries.flatMap(({ expense }) => bucketDeltas(expense.id, null, contributionOf(expense))));
    const rows: TransactItems = [];
    const extraAt: number[][] = [];
    for (const { expense, extra } of entries) {
      rows.push({ Put: { Item: toItem(this.keys, expense), ConditionExpression: 'attribute_not_exists(pk)' } });
      extraAt.push(extra.map((_, i) => rows.length + i));
      rows.push(...extra);
    }
    const closedIndex = rows.length;
    const fixed: TransactItems = [
      ...rows,
      { ConditionCheck: { Key: this.keys.closedBudget(first.budgetId, shardOf(first.id)), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...this.totals.updateItems(first.budgetId, deltas),
      ...categories,
    ];
    const categoriesAt = fixed.length - categories.length;
    const now = new Date(entries[0]!.publish.event.occurredAt);
    try {
      await this.changes.commitStamped(
        entries.map((e) => ({ change: { budgetId: e.expense.budgetId, expenseId: e.expense.id, deleted: false }, publish: e.publish })),
        now,
        fixed.length,
        (stamp) => this.store.transactWrite([...fixed, ...stamp]),
      );
      return 'created';
    } catch (err) {
      if (isBudgetArchived(err)) return 'budget-archived';
      if (conditionFailedAt(err, closedIndex)) return 'budget-closed';
      // Before the rows' markers: the batch is written again without the removed category, and meets them then.
      if (categories.length > 0 && conditionFailedAt(err, categoriesAt)) return 'category-removed';
      const extraFailed = extraAt.flatMap((indexes, n) => (indexes.some((i) => conditionFailedAt(err, i)) ? [n] : []));
      if (extraFailed.length > 0) return { extraFailed };
      throw totalsLimitOf(err, closedIndex + 1, monthsOf(deltas)) ?? err;
    }
  }

  /** Marks a budget as closed before its data is deleted. Why: a create that was authorized
   * just before the budget's deletion can commit after the cleanup read the budget's expenses,
   * and would outlive it. Every create checks this marker in its transaction, and DynamoDB
   * orders the two writes on the marker item: a create that committed first is found by the
   * cleanup's (strongly consistent) reads, and one that comes after fails as a whole. Only
   * in-flight requests (seconds at most) can race the deletion, so the marker expires after a
   * day through the table's TTL; it holds nothing but the budget's id.
   *
   * One marker per totals shard, and a create checks the one of its own shard: transactions
   * touching one item conflict even when they only check it, so a single marker would make
   * every concurrent create of the budget collide. The shard's totals items already do.
   */
  async closeBudget(budgetId: string, now: Date): Promise<void> {
    const expiresAt = Math.floor(now.getTime() / 1000) + CLOSED_MARKER_TTL_SECONDS;
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      await this.store.put({ Item: { ...this.keys.closedBudget(budgetId, shard), kind: 'closed-budget', expiresAt } });
    }
  }

  /**
   * Replaces `previous` (only if it is still at previous.version) with `next`. The item's
   * Idempotency-Key record stays while it lives: a retry of the create still replays its answer.
   * `extra`: the caller's checks joining the transaction (a new `sharedWith`'s membership
   * checks); when only they failed, ExtraChecksFailedError says which (nothing written).
   */
  async replace(previous: StoredExpense, next: Expense, publish: Publish, extra: TransactItems = []): Promise<void> {
    const deltas = bucketDeltas(next.id, contributionOf(previous), contributionOf(next));
    await this.guarded({ budgetId: next.budgetId, expenseId: next.id, deleted: false }, publish, monthsOf(deltas), extra, [
      {
        Put: {
          Item: toItem(this.keys, next, liveKeyRecord(previous, publish), importOriginOf(previous)),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': previous.version },
        },
      },
      ...this.totals.updateItems(next.budgetId, deltas),
    ]);
  }

  /**
   * Deletes `previous` (only if it is still at previous.version). While the item's
   * Idempotency-Key record lives, the item becomes a tombstone holding only that record
   * instead: a retry of the create then replays its first answer rather than recording the
   * expense again under the freed id. An expense created in the last 24 h without a live record
   * (an offline push's client id, a POST without a key) leaves a tombstone too, without a
   * record, until 24 h after its creation (tombstoneUntil): a resend of its push create then
   * fails the create's condition and is not recorded again. A tombstone is no expense to any
   * reader (no index attributes, another kind), and the table's TTL removes it at `expiresAt`.
   * Either way the first item is one Put or one Delete: the DELETE's items do not change.
   *
   * The same transaction puts the expense's restorable copy (deleted-expenses.ts: 30 days, for
   * restore above): one item more, no request more. It replaces a copy an earlier deletion of
   * the same expense left (restored since, so none is there, unless it was taken over by a
   * restore that has not committed: that one then fails on the copy's deletedAt).
   * `extra`: the caller's checks in the same transaction (the writer's membership):
   * ExtraChecksFailedError when one failed, nothing written.
   */
  async remove(previous: StoredExpense, publish: Publish, deletedBy: string, extra: TransactItems = []): Promise<void> {
    const versioned = {
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': previous.version },
    };
    const keyRecord = liveKeyRecord(previous, publish);
    const key = expenseKey(this.keys, previous.budgetId, previous.id);
    const deltas = bucketDeltas(previous.id, contributionOf(previous), null);
    const resendUntil = tombstoneUntil(previous, new Date(publish.event.occurredAt));
    await this.guarded({ budgetId: previous.budgetId, expenseId: previous.id, deleted: true }, publish, monthsOf(deltas), extra, [
      keyRecord
        ? { Put: { Item: { ...key, kind: TOMBSTONE_KIND, [KEY_RECORD_ATTRIBUTE]: keyRecord, expiresAt: keyRecord.expiresAt }, ...versioned } }
        : resendUntil !== undefined
          ? { Put: { Item: { ...key, kind: TOMBSTONE_KIND, expiresAt: resendUntil }, ...versioned } }
          : { Delete: { Key: key, ...versioned } },
      ...this.totals.updateItems(previous.budgetId, deltas),
      { Put: { Item: this.deleted.item(toItem(this.keys, previous, keyRecord), { deletedAt: publish.event.occurredAt, deletedBy }) } },
    ]);
  }

  /**
   * Runs a (stamped) transaction whose first item is the expense's version guard, followed by
   * the totals updates of `totalsMonths` (a delete's carry no cap condition: see totals-cap.ts).
   */
  private async guarded(change: ChangeRef, publish: Publish, totalsMonths: string[], extra: TransactItems, items: TransactItems) {
    try {
      await this.stamped(change, publish, items, extra);
    } catch (err) {
      if (conditionFailedAt(err, 0)) throw new ExpenseChangedError();
      // The stamp's two items follow `items`, then come the caller's checks.
      const failed = extra.flatMap((_, i) => (conditionFailedAt(err, items.length + 2 + i) ? [i] : []));
      if (failed.length > 0) throw new ExtraChecksFailedError(failed);
      throw totalsLimitOf(err, 1, totalsMonths) ?? err;
    }
  }

  /**
   * Runs `items`, the change stamp and `extra` as ONE transaction. When only the stamp's
   * counter condition failed (another write of the shard took the number), reads the counter
   * again and retries, unless that read finds it marked archived (409 budget-archived: the
   * budget was archived after the caller's access check); any other failure is the caller's to interpret (the stamp sits at
   * items.length and items.length + 1). The entry expires counted from the event's time.
   */
  /**
   * `riders`: further changes numbered on the same counter right after this one, each an entry of
   * its own in the same transaction (a recurring definition's advance when the job records its
   * occurrence: its `shardOf` is the expense's id).
   */
  private async stamped(change: ChangeRef, publish: Publish, items: TransactItems, extra: TransactItems = [], riders: ChangeRef[] = []) {
    const now = new Date(publish.event.occurredAt);
    const changes = [{ change, publish }, ...riders.map((rider) => ({ change: rider }))];
    await this.changes.commitStamped(changes, now, items.length, (stamp) => this.store.transactWrite([...items, ...stamp, ...extra]));
  }
}

/** The months of a write's totals updates, in the order of its items (TotalsRepository.updateItems). */
const monthsOf = (deltas: BucketDelta[]): string[] => deltas.map((d) => d.bucket.month);

/** The Idempotency-Key record `e`'s item holds, if it still lives at the write's time. */
function liveKeyRecord(e: StoredExpense, publish: Publish): KeyRecordOnItem | undefined {
  const record = e[HELD_KEY_RECORD];
  const now = Math.floor(Date.parse(publish.event.occurredAt) / 1000);
  return record && keyRecordLive(record, now) ? record : undefined;
}
