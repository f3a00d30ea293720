import { addDays, attr, conditionFailedAt, limitPage, TABLE, type Item, type ModuleStore } from '@budgeting/platform';
import { monthOf } from '../domain/dates';
import type { Income } from '../model';
import { ChangeLog, type ChangeRef } from './change-log';
import { DeletedCopies, type Deletion } from './deleted-copies';
import { INCOME_ATTRIBUTE } from './income-attribute';
import { incomeKeys, totalsKeys } from './keys';
import { totalsCapCondition, totalsLimitOf } from './totals-cap';
import { transactGuarded, type WriterGuard } from './writer-guard';

const INCOME_KIND = 'income';
/**
 * What a DELETE leaves of an entry created in the last 24 h (remove): its key, `createdBy` and
 * the table's TTL, nothing a list, sync page or export reads, so a resend of its create finds
 * the id taken instead of recording the entry again.
 */
const TOMBSTONE_KIND = 'income-tombstone';
/** The restorable copy a DELETE leaves (deleted-copies.ts, 30 days). */
const DELETED_KIND = 'income-deleted';
/** A deleted entry's restorable copy (POST .../income/{incomeId}/restore). */
export interface DeletedIncome extends Deletion {
  income: Income;
}
/** How a restore ended: written; its copy gone (restored already, or expired); its id an entry again. */
/** 'key-taken': the keyed restore's lease completion (`also`) failed: its lease was taken over, nothing written. */
export type IncomeRestoreOutcome = 'restored' | 'gone' | 'exists' | 'key-taken';
/** Entries per Query of amountsPerDay (about 0.4 KB each: 25 read units a full page, eventually consistent). */
const AMOUNTS_PAGE = 500;

/** A transaction item to write along: the write's event (its outbox item, platform outboxPut). */
type AlsoWrite = Parameters<ModuleStore['transactWrite']>[0][number];
const TABLE_KEY = ['pk', 'sk'] as const;
const LIST_KEY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
const OCCURRENCES_KEY = ['pk', 'sk', 'gsi4pk', 'gsi4sk'] as const;

/** The income entry changed (PATCH or DELETE) since it was read. */
export class IncomeChangedError extends Error {
  constructor() {
    super('The income entry changed concurrently');
    this.name = 'IncomeChangedError';
  }
}

/**
 * A budget's income entries and their month totals (packages/expenses/docs/income.md "Income and cash flow").
 *
 * Every write is ONE TransactWriteItems: the entry's Put/Delete (conditioned on absence, or on
 * the version read) and an `ADD income :delta` on its month's total item (two Updates when a
 * PATCH moves it to another month), plus the budgets module's writer guard (membership with a
 * writing role, budget not archived), and the write's event (income.recorded / updated /
 * deleted: its outbox item, after the totals and before the guard, so the indexes callers
 * check stay). So a total is exact under any concurrency: a write that lost a race wrote
 * nothing, its total and its event included; and an event exists exactly when its write
 * committed.
 *
 * Each write also takes a change number in the same transaction (ChangeLog.commitStamped: the
 * counter's conditional increment and an entry naming `incomeId`, after the event and before
 * the guard), exactly as an expense write does, so delta sync (GET /changes) serves income with
 * the expenses' guarantee: a write that lost the number re-reads the counter and tries again,
 * one whose counter says archived answers 409 budget-archived.
 *
 * One total item per month, not sharded as spending is (TOTALS_SHARDS): a household records a
 * few incomes a month, so concurrent writes of one month are rare and the store's conflict
 * retries absorb them; the cash flow then reads one item a month instead of four. The item sits
 * in the spending totals' partition, after the month's shards (keys.ts incomeMonthSk), so the
 * cash flow reads income and spending in ONE Query. The expense writes never touch it.
 */
export class IncomeRepository {
  private readonly keys: ReturnType<typeof incomeKeys>;
  private readonly totals: ReturnType<typeof totalsKeys>;
  /** The restorable copies deleted entries leave (deleted-copies.ts). */
  readonly deleted: DeletedCopies<DeletedIncome>;

  /**
   * `changes`: the expenses repository's change log where this process has one (its queue of a
   * counter's writers and its remembered counter values are then shared by both kinds).
   */
  constructor(
    private readonly store: ModuleStore,
    readonly changes: ChangeLog = new ChangeLog(store),
  ) {
    this.keys = incomeKeys(store);
    this.totals = totalsKeys(store);
    const k = this.keys;
    this.deleted = new DeletedCopies({ budgetPk: k.budgetPk, copySk: k.deletedSk, listPk: k.deletedListPk, listSk: k.deletedListSk }, DELETED_KIND, store, (item, deletion) => ({
      income: toIncome(item),
      ...deletion,
    }));
  }

  /** The key of an entry (delta sync reads entries by key with the expenses: ChangesService). */
  key(budgetId: string, id: string) {
    return this.keys.income(budgetId, id);
  }

  /** An item read by key as an entry, undefined when it is none. */
  fromItem(item: Item): Income | undefined {
    return item.kind === INCOME_KIND ? toIncome(item) : undefined;
  }

  /**
   * A page of the budget's entries in id order after `afterId` (from the start without it):
   * the first delta sync's pages, after the expenses'. Strongly consistent, base table.
   */
  async pageAfter(budgetId: string, afterId: string | undefined, limit: number): Promise<{ items: Income[]; more: boolean }> {
    const page = await this.pageById(budgetId, limit, afterId === undefined ? undefined : this.keys.income(budgetId, afterId));
    return { items: page.items, more: page.lastKey !== undefined };
  }

  async get(budgetId: string, id: string): Promise<Income | undefined> {
    const item = await this.store.get({ Key: this.keys.income(budgetId, id), ConsistentRead: true });
    return item && item.kind === INCOME_KIND ? toIncome(item) : undefined;
  }

  /**
   * A page of the budget's income, newest receivedOn first (same day: newest id first), within
   * [from, to]. With `recurringIncomeId`, only the entries that definition recorded: its own
   * sparse gsi4 partition (keys.ts incomeKeys), which holds nothing else and shares gsi1's sort
   * key (same order, same BETWEEN), so a page is ONE Query of `limit` + 1 items whatever the
   * budget's other income, as the bills' payments (ExpenseQueries.paymentsStream). A
   * definition of another budget, or none, has no partition here: an empty page.
   */
  async page(
    budgetId: string,
    range: { from?: string | undefined; to?: string | undefined; recurringIncomeId?: string | undefined },
    limit: number,
    startKey?: Record<string, unknown>,
  ) {
    const { lo, hi } = this.keys.receivedRange(range.from, range.to);
    const index = range.recurringIncomeId === undefined ? 'gsi1' : 'gsi4';
    const pk = range.recurringIncomeId === undefined ? this.keys.listPk(budgetId) : this.keys.occurrencesPk(budgetId, range.recurringIncomeId);
    const read = await this.store.query({
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk AND ${index}sk BETWEEN :lo AND :hi`,
      ExpressionAttributeValues: { ':pk': pk, ':lo': lo, ':hi': hi },
      ScanIndexForward: false,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    const { items, lastKey } = limitPage(read.items, limit, read.lastKey, index === 'gsi1' ? LIST_KEY : OCCURRENCES_KEY);
    return { items: items.map(toIncome), ...(lastKey ? { lastKey } : {}) };
  }

  /**
   * The income received each day of [from, to] (BigInt sums), from the list's gsi1 partition
   * newest first, at most `maxEntries` entries (pages of 500, only `receivedOn` and `amount`
   * projected: the same read units, less transfer). When more exist, the oldest day read may be
   * partly read: it is left out and `from` moves to the day after it, so every day answered is
   * whole (Age of Money). Eventually consistent, as the list.
   */
  async amountsPerDay(budgetId: string, from: string, to: string, maxEntries: number): Promise<{ from: string; days: Map<string, bigint>; entries: number }> {
    const { lo, hi } = this.keys.receivedRange(from, to);
    const read: { receivedOn: string; amount: number }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.store.query({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': this.keys.listPk(budgetId), ':lo': lo, ':hi': hi },
        ProjectionExpression: '#received, #amount',
        ExpressionAttributeNames: { '#received': 'receivedOn', '#amount': 'amount' },
        ScanIndexForward: false,
        Limit: Math.min(AMOUNTS_PAGE, maxEntries + 1 - read.length),
        ExclusiveStartKey: startKey,
      });
      for (const item of page.items) read.push({ receivedOn: attr.str(item, 'receivedOn'), amount: attr.num(item, 'amount') });
      startKey = page.lastKey;
    } while (startKey && read.length <= maxEntries);
    // Past the bound the oldest day read may have entries unread (same day, older ids): left out whole.
    const start = read.length > maxEntries ? addDays(read.at(-1)!.receivedOn, 1) : from;
    const days = new Map<string, bigint>();
    let entries = 0;
    for (const { receivedOn, amount } of read) {
      if (receivedOn < start) continue;
      days.set(receivedOn, (days.get(receivedOn) ?? 0n) + BigInt(amount));
      entries++;
    }
    return { from: start, days, entries };
  }

  /** A page of the budget's income by id (the data export): one strongly consistent Query. */
  async pageById(budgetId: string, limit: number, startKey?: Record<string, unknown>) {
    // Tombstones (remove) share the entries' sort keys and are filtered out; as Limit counts
    // them too, a page they thinned reads on until it has limit + 1 entries (or the end).
    const found: Item[] = [];
    let next = startKey;
    let end: Record<string, unknown> | undefined;
    do {
      const read = await this.store.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#kind = :income',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.incomePrefix, ':income': INCOME_KIND },
        ConsistentRead: true,
        Limit: limit + 1 - found.length,
        ExclusiveStartKey: next,
      });
      found.push(...read.items);
      next = read.lastKey;
      end = next;
    } while (next && found.length <= limit);
    const { items, lastKey } = limitPage(found, limit, end, TABLE_KEY);
    return { items: items.map(toIncome), ...(lastKey ? { lastKey } : {}) };
  }

  /**
   * Records `income` and adds its amount to its month's total, with `event`, in one transaction. 'exists': an
   * entry with its id is already there (an Idempotency-Key retry after a crash: the service reads
   * it back). TotalsLimitError when the month's total would pass 2^53 - 1. `also`: items written
   * in the same transaction after the create's own (the recurring income job's occurrence marker
   * and the definition's advance, RecurringIncomeRepository.recordOccurrence), so whatever this
   * create writes, the job's recording writes too; `{alsoFailed: n}` when the condition of
   * `also[n]` failed (nothing written). `riders`: further changes numbered right after the
   * entry's on its counter (the definition's, whose next date the recording moves).
   */
  async create(income: Income, event: AlsoWrite, guard?: WriterGuard, also: AlsoWrite[] = [], riders: ChangeRef[] = []): Promise<'created' | 'exists' | { alsoFailed: number }> {
    const month = monthOf(income.receivedOn);
    const own = [this.createPut(income), this.totalUpdate(income.budgetId, month, income.amount), event];
    try {
      await this.stamped({ budgetId: income.budgetId, expenseId: income.id, deleted: false, income: true }, [...own, ...also], guard, event, riders);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'exists';
      const alsoFailed = also.findIndex((_, n) => conditionFailedAt(err, own.length + n));
      if (alsoFailed >= 0) return { alsoFailed };
      throw totalsLimitOf(err, 1, [month]) ?? err;
    }
  }

  /** The entries of `ids` that exist (BatchGetItem, 100 keys a request, strongly consistent): an import's undo reads them. */
  async getMany(budgetId: string, ids: readonly string[]): Promise<Map<string, Income>> {
    if (ids.length === 0) return new Map();
    const items = await this.store.batchGet(ids.map((id) => this.keys.income(budgetId, id)), true);
    return new Map(items.filter((i) => i.kind === INCOME_KIND).map((i) => [String(i.id), toIncome(i)]));
  }

  /**
   * The create's Put of a new entry (only if absent): one piece of the create's transaction,
   * and of an import's, which writes its credits as income with their markers in its own
   * transactions (ImportsRepository.recordIncome) next to `totalUpdate`.
   */
  createPut(income: Income) {
    return { Put: { Item: this.toItem(income), ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /** Replaces `previous` with `next` unless it changed since read, moving the month totals by the difference, with `event`. */
  async replace(previous: Income, next: Income, event: AlsoWrite, guard?: WriterGuard): Promise<void> {
    const deltas = totalDeltas([previous, -1], [next, 1]);
    try {
      await this.stamped(
        { budgetId: next.budgetId, expenseId: next.id, deleted: false, income: true },
        [{ Put: { Item: this.toItem(next), ...unchanged(previous) } }, ...deltas.map(([month, delta]) => this.totalUpdate(next.budgetId, month, delta)), event],
        guard,
      );
    } catch (err) {
      if (conditionFailedAt(err, 0)) throw new IncomeChangedError();
      throw totalsLimitOf(err, 1, deltas.map(([month]) => month)) ?? err;
    }
  }

  /**
   * Deletes `previous` unless it changed since read, taking its amount out of its month's total,
   * with `event`, and puts its restorable copy (deleted-copies.ts: 30 days, for restore below):
   * one item more in the same transaction. With `tombstoneUntil` (epoch seconds) the item becomes
   * a tombstone instead (TOMBSTONE_KIND, removed by the table's TTL then): the same one item of
   * the transaction, the same write units (both under 1 KB), and a resend of the entry's create
   * (an offline push's client id, an Idempotency-Key's reserved id) then finds its id taken:
   * 'exists', not recorded again. No reader takes it for an entry (get, getMany, pageById and
   * sync's fromItem read the kind; no index attributes).
   */
  async remove(previous: Income, event: AlsoWrite, deletion: { deletedAt: string; deletedBy: string }, guard?: WriterGuard, tombstoneUntil?: number): Promise<void> {
    const key = this.keys.income(previous.budgetId, previous.id);
    try {
      await this.stamped(
        { budgetId: previous.budgetId, expenseId: previous.id, deleted: true, income: true },
        [
          tombstoneUntil === undefined
            ? { Delete: { Key: key, ...unchanged(previous) } }
            : { Put: { Item: { ...key, kind: TOMBSTONE_KIND, createdBy: previous.createdBy, [TABLE.ttlAttribute]: tombstoneUntil }, ...unchanged(previous) } },
          this.totalUpdate(previous.budgetId, monthOf(previous.receivedOn), -previous.amount),
          { Put: { Item: this.deleted.item(this.toItem(previous), deletion) } },
          event,
        ],
        guard,
      );
    } catch (err) {
      if (conditionFailedAt(err, 0)) throw new IncomeChangedError();
      throw err;
    }
  }

  /**
   * Puts a deleted entry back (`restored`: the copy's entry at its next version) in ONE
   * transaction, as a create records it (its month total with the cap condition, the change
   * stamp, `event`, the writer guard), plus the delete of its copy conditioned on its deletedAt
   * (of concurrent restores exactly one commits). The entry's key may hold the resend tombstone
   * remove() left; anything else there (the id taken again) fails it: 'exists'.
   * TotalsLimitError when the month's total would pass 2^53 - 1. `also`: items written in the
   * same transaction after the restore's own (a keyed restore's lease completion: 'key-taken'
   * when its condition failed).
   */
  async restore(deleted: DeletedIncome, restored: Income, event: AlsoWrite, guard?: WriterGuard, also: AlsoWrite[] = []): Promise<IncomeRestoreOutcome> {
    const month = monthOf(restored.receivedOn);
    const own = 4;
    try {
      await this.stamped(
        { budgetId: restored.budgetId, expenseId: restored.id, deleted: false, income: true },
        [
          this.deleted.takeBack(restored.budgetId, restored.id, deleted.deletedAt),
          {
            Put: {
              Item: this.toItem(restored),
              ConditionExpression: 'attribute_not_exists(pk) OR #kind = :tombstone',
              ExpressionAttributeNames: { '#kind': 'kind' },
              ExpressionAttributeValues: { ':tombstone': TOMBSTONE_KIND },
            },
          },
          this.totalUpdate(restored.budgetId, month, restored.amount),
          event,
          ...also,
        ],
        guard,
        event,
      );
      return 'restored';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'gone';
      if (conditionFailedAt(err, 1)) return 'exists';
      if (also.some((_, n) => conditionFailedAt(err, own + n))) return 'key-taken';
      throw totalsLimitOf(err, 2, [month]) ?? err;
    }
  }

  /**
   * `items`, the change stamp of `change` (its counter at items.length) and the guard, in ONE
   * transaction; a lost change number is retried (ChangeLog.commitStamped, without the
   * process's queue of the counter: see there why). The entry expires counted from the write's
   * `event` (the last of `items` unless a create's `also` items follow it).
   */
  private async stamped(change: ChangeRef, items: AlsoWrite[], guard: WriterGuard | undefined, event: AlsoWrite = items[items.length - 1]!, riders: ChangeRef[] = []): Promise<void> {
    const send = (stamp: AlsoWrite[]) => transactGuarded(this.store, [...items, ...stamp], guard);
    // riders: further changes on the same counter, an entry each (the recurring income job's definition advance).
    await this.changes.commitStamped([{ change }, ...riders.map((rider) => ({ change: rider }))], eventTime(event), items.length, send, false);
  }

  /**
   * `ADD income :delta` on a month's total (created by the first ADD). A delta that raises it
   * is conditioned on keeping it within 2^53 - 1 (totals-cap.ts, one comparison: every income
   * amount is positive, so the total only ever sums positive amounts). Also a piece of an
   * import's transactions (ImportsRepository.recordIncome: one per month of its rows).
   */
  totalUpdate(budgetId: string, month: string, delta: number) {
    const cap = totalsCapCondition('#income', delta);
    return {
      Update: {
        Key: { pk: this.totals.totalsPk(budgetId), sk: this.totals.incomeMonthSk(month) },
        UpdateExpression: 'ADD #income :delta',
        ...(cap ? { ConditionExpression: cap.ConditionExpression } : {}),
        ExpressionAttributeNames: { '#income': INCOME_ATTRIBUTE },
        ExpressionAttributeValues: { ':delta': delta, ...(cap ? { ':cap': cap.cap } : {}) },
      },
    };
  }

  private toItem(i: Income): Item {
    return {
      ...this.keys.income(i.budgetId, i.id),
      kind: INCOME_KIND,
      gsi1pk: this.keys.listPk(i.budgetId),
      gsi1sk: this.keys.receivedSk(i.receivedOn, i.id),
      // A definition's occurrences (GET .../income?recurringIncomeId=): sparse, moved with receivedOn.
      ...(i.recurringIncomeId === undefined ? {} : { gsi4pk: this.keys.occurrencesPk(i.budgetId, i.recurringIncomeId), gsi4sk: this.keys.receivedSk(i.receivedOn, i.id) }),
      ...i,
    };
  }
}

/**
 * The month totals' deltas of a change from `before` to `after` (each with its sign): merged
 * per month (a transaction may touch an item once), zero deltas left out (a PATCH of the
 * description alone moves no total and writes the entry only).
 */
function totalDeltas(...entries: [Income, 1 | -1][]): [string, number][] {
  const byMonth = new Map<string, number>();
  for (const [income, sign] of entries) {
    const month = monthOf(income.receivedOn);
    byMonth.set(month, (byMonth.get(month) ?? 0) + sign * income.amount);
  }
  return [...byMonth].filter(([, delta]) => delta !== 0);
}

/** When the event an outbox Put carries occurred (its `createdAt`), now without one. */
export function eventTime(event: AlsoWrite | undefined): Date {
  const at = event?.Put?.Item?.createdAt;
  return typeof at === 'string' ? new Date(at) : new Date();
}

function unchanged(previous: Income) {
  return {
    ConditionExpression: '#version = :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': previous.version },
  };
}

function toIncome(item: Item): Income {
  const source = attr.optionalStr(item, 'source');
  const description = attr.optionalStr(item, 'description');
  const recurringIncomeId = attr.optionalStr(item, 'recurringIncomeId');
  return {
    ...attr.fields(item, { id: attr.str, budgetId: attr.str, amount: attr.num, receivedOn: attr.str }),
    ...(source === undefined ? {} : { source }),
    ...(description === undefined ? {} : { description }),
    ...(recurringIncomeId === undefined ? {} : { recurringIncomeId }),
    ...attr.fields(item, { createdBy: attr.str, version: attr.num, createdAt: attr.str, updatedAt: attr.str }),
  };
}
