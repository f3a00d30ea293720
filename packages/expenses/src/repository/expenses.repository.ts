import {
  asKeyRecordOnItem,
  attr,
  conditionFailedAt,
  keyRecordLive,
  type EventContract,
  type EventEnvelope,
  type Item,
  type Key,
  type KeyRecordOnItem,
  type ModuleStore,
} from '@budgeting/platform';
import { resendTombstoneUntil } from '../domain/resend-tombstone';
import { contributionOf, type Expense, type SplitPart } from '../model';
import { CHANGE_KIND, ChangeLog, toChangeEntry, type ChangeEntry, type ChangeRef } from './change-log';
import { HIGH, expenseKeys, type ExpenseKeys } from './keys';
import { TOTALS_SHARDS, bucketDeltas, mergeBucketDeltas, shardOf, type BucketDelta } from './totals-deltas';
import { totalsLimitOf } from './totals-cap';
import { TotalsRepository } from './totals.repository';
import { sharedAmountsOf, sharedExpenseFields, sharedWithOf, splitsOf } from './attributes';
import { partCategories } from '../domain/splits';
import { isBudgetArchived } from '../domain/write-retry';
import { isUncategorized, matchesSearch, type ExpenseSearch } from '../domain/expense-search';
import { IndexStream, type IndexPartition } from './index-stream';
import { SPLIT_CATEGORIES_ATTRIBUTE, UNREVIEWED_ATTRIBUTE, both, categoryFilter, splitCategoryFilter, storedFilter } from './stored-filters';
import { DeletedExpenses, type DeletedExpense } from './deleted-expenses';
import { unreviewedCount } from './review-count';
import { walkDateIndex } from './date-index-walk';
import { WriterRefusedError, type WriterGuard } from './writer-guard';
import type { SpendingRow } from '../domain/spending-breakdown';
import type { SpendingMonthlyRow } from '../domain/spending-monthly';
import { REFUND_ATTRIBUTE, partSpendingOf, refundField, spendingOf } from '../domain/refunds';

/** The event to publish with a write (carried by the write's change-log entry, in the same transaction). */
export interface Publish {
  contract: EventContract;
  event: EventEnvelope;
}

/** A projected item of the spending breakdown's read (a null or absent merchant or tags: none), its amounts signed (spendingOf). */
function toSpendingRow(item: Record<string, unknown>): SpendingRow {
  const splits = splitsOf(item);
  const refund = refundOf(item);
  return {
    amount: spendingOf({ amount: Number(item.amount), ...refund }),
    createdBy: String(item.createdBy),
    categoryId: typeof item.categoryId === 'string' ? item.categoryId : null,
    ...(typeof item.merchant === 'string' ? { merchant: item.merchant } : {}),
    ...(Array.isArray(item.tags) ? { tags: item.tags.filter((t): t is string => typeof t === 'string') } : {}),
    ...(splits ? { splits: splits.map((p) => ({ categoryId: p.categoryId, amount: partSpendingOf(refund, p) })) } : {}),
  };
}

/** A projected item of the monthly spending's read: the day, the spending (a refund negative), merchant and tags. */
function toSpendingMonthlyRow(item: Record<string, unknown>): SpendingMonthlyRow {
  return {
    occurredOn: String(item.occurredOn),
    amount: spendingOf({ amount: Number(item.amount), ...refundOf(item) }),
    ...(typeof item.merchant === 'string' ? { merchant: item.merchant } : {}),
    ...(Array.isArray(item.tags) ? { tags: item.tags.filter((t): t is string => typeof t === 'string') } : {}),
  };
}

/** The refund flag of a stored (or projected) item: `{ refund: true }` or nothing. */
const refundOf = (item: Record<string, unknown>) => refundField(item[REFUND_ATTRIBUTE] === true);

/** What toExpense reads of an item: an expense as the list shows it. */
const EXPENSE_ATTRIBUTES = [
  'id', 'budgetId', 'amount', 'categoryId', 'splits', 'occurredOn', 'description', 'merchant', 'tags', 'foreign', 'sharedWith', 'sharedAmounts', UNREVIEWED_ATTRIBUTE,
  REFUND_ATTRIBUTE, 'recurringExpenseId', 'createdBy', 'version', 'createdAt', 'updatedAt',
] as const;

/** What a rule preview (and a rule's apply) reads of an expense (ruleCandidates). */
export interface RuleCandidate {
  id: string;
  occurredOn: string;
  amount: number;
  merchant?: string;
  description?: string;
  categoryId: string | null;
  /** Whether it is split over several categories. */
  split: boolean;
  /** Its parts when split (read anyway: a rule's apply tells from them one a split rule leaves as it is). */
  splits?: SplitPart[];
  tags?: string[];
}

function toRuleCandidate(item: Record<string, unknown>): RuleCandidate {
  return {
    id: String(item.id),
    occurredOn: String(item.occurredOn),
    amount: Number(item.amount),
    ...(typeof item.merchant === 'string' ? { merchant: item.merchant } : {}),
    ...(typeof item.description === 'string' ? { description: item.description } : {}),
    categoryId: typeof item.categoryId === 'string' ? item.categoryId : null,
    split: Array.isArray(item.splits),
    ...(Array.isArray(item.splits) ? { splits: splitsOf(item) } : {}),
    ...(Array.isArray(item.tags) ? { tags: item.tags.filter((t): t is string => typeof t === 'string') } : {}),
  };
}

/** What the recurring job's bill matching reads of an imported expense (importedOfAmount). */
export interface ImportedExpenseFacts {
  id: string;
  amount: number;
  occurredOn: string;
  merchant?: string;
  importId: string;
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

export interface PageRequest {
  budgetId: string;
  from?: string;
  to?: string;
  categoryId?: string;
  /** Only expenses matching this (all without it). */
  search?: ExpenseSearch;
  /**
   * Only uncategorized expenses (isUncategorized), these being the budget's current category
   * ids: read from the date index (gsi1, or the review index for `reviewed=false`) as without a
   * category, matched here. Not with `categoryId`.
   */
  uncategorizedAmong?: ReadonlySet<string>;
  limit: number;
  startKey?: Record<string, unknown>;
  /** At most this many stored expenses are examined (read) for the page; at least limit + 1. Unbounded without it. */
  maxExamined?: number;
}

export type TransactItems = Parameters<ModuleStore['transactWrite']>[0];
/** `{ extraFailed }`: the first of `extra` whose condition failed; `allFailed`: every one that did (in order). */
export type CreateOutcome = 'created' | 'exists' | 'budget-closed' | { extraFailed: number; allFailed: number[] };
/** How a restore ended: written; its deleted copy gone (restored already, or expired); its id taken again; the budget's data deleted meanwhile. */
export type RestoreOutcome = 'restored' | 'gone' | 'exists' | 'budget-closed';

const CLOSED_MARKER_TTL_SECONDS = 24 * 60 * 60;

const EXPENSE_KIND = 'expense';
/** What a deleted expense leaves while its Idempotency-Key record lives, or for 24 h after its creation (see remove). */
export const TOMBSTONE_KIND = 'expense-tombstone';
/** The expense item's attribute holding the Idempotency-Key record of the request that created it. */
const KEY_RECORD_ATTRIBUTE = 'idempotency';

/**
 * The Idempotency-Key record (platform key-record-on-item.ts) the item of an expense read from
 * the table holds, if any: not a field of the expense (never shown), but carried by the object
 * the reads return so that an update or a delete of it keeps the record (replace, remove).
 * Non-enumerable, so neither a spread, JSON nor an equality check sees it.
 */
export const HELD_KEY_RECORD = Symbol('the Idempotency-Key record its item holds');

/**
 * Where an expense an import recorded came from: the import (`importId` on the item) and whether
 * that import matched bills (`matchRecurring: false` on the item only when it was run with
 * `?matchRecurring=false`). Not a field of the expense (the API never shows it): it is how the
 * recurring job knows an imported expense from one recorded by hand (bill matching, its half in
 * jobs/recurring-job.ts), so, like the Idempotency-Key record, the object a read returns holds
 * it (non-enumerable) and every later write of the item keeps it (replace, remove's restorable
 * copy, restore). Expenses imported before 2026-12-03 have none: the job never matches them.
 */
export interface ImportOrigin {
  importId: string;
  matchRecurring: boolean;
}
export const HELD_IMPORT = Symbol('the import that recorded it');
export type StoredExpense = Expense & { readonly [HELD_KEY_RECORD]?: KeyRecordOnItem; readonly [HELD_IMPORT]?: ImportOrigin };

/** `e` holding `origin` (what an import hands to createMany). */
export function withImportOrigin(e: Expense, origin: ImportOrigin): StoredExpense {
  return Object.defineProperty({ ...e }, HELD_IMPORT, { value: origin, enumerable: false });
}

/** The import an expense read from the table (or handed to createMany) came from, if any. */
export const importOriginOf = (e: Expense): ImportOrigin | undefined => (e as StoredExpense)[HELD_IMPORT];

/** The item attributes of an ImportOrigin (the job's Query and its condition check filter on them). */
const IMPORT_ID_ATTRIBUTE = 'importId';
const MATCH_RECURRING_ATTRIBUTE = 'matchRecurring';

/**
 * Expense items and, in the same TransactWriteItems as each of them, the running totals and
 * the change log's stamp (see change-log.ts: delta sync), whose entry is also the event. Every write is
 * conditioned on the expense's state we computed from (absent for a create, the version we
 * read for an update or delete), so a write that lost a race fails as a whole and can never
 * move the totals twice.
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
    const item = await this.store.get({ Key: this.key(budgetId, expenseId), ConsistentRead: true });
    return item && item.kind === EXPENSE_KIND ? toExpense(item) : undefined;
  }

  /**
   * The Idempotency-Key record attribute of the item under an expense's id, as stored (an
   * expense's or a tombstone's; undefined when there is no item or it holds none), strongly
   * consistent: what a create whose id was taken replays (ExpensesService.create).
   */
  async keyRecordAt(budgetId: string, expenseId: string): Promise<unknown> {
    const item = await this.store.get({ Key: this.key(budgetId, expenseId), ConsistentRead: true });
    return item?.[KEY_RECORD_ATTRIBUTE];
  }

  /**
   * One page, newest occurredOn first (ties: newest id; a keyed create's id carries its key's
   * time, by the client's clock), of the expenses that match `search` and, with
   * `uncategorizedAmong`, are uncategorized (all of them without either). The index is eventually consistent in AWS: a just-written expense can take a
   * moment to appear in lists.
   *
   * It walks the date index from `startKey` (indexStream: gsi1, or for a category the
   * category's gsi2 partition merged with the budget's split partition) in Queries of
   * growing size (limit + 1, then doubling), keeping the matches, until it holds limit + 1 of
   * them (so the last page is known to be the last: no trailing empty page), the index range
   * ends, or `maxExamined` stored expenses were examined, counted over both partitions. In
   * that last case the page is whatever matched so far (possibly nothing) and `lastKey` is
   * where the examination stopped: the last entry the walk took from the (merged) stream, so
   * the next page resumes right after it and a client walking the pages meets every match
   * once. `keys[i]` is the position right after `items[i]` (a later page may resume there: the
   * category reassign resumes before an expense it failed to write). Memory: at most limit + 1
   * matches and one Query's answer per partition at a time.
   *
   * Why no index for the search: text is matched as a case- and accent-insensitive substring,
   * which no DynamoDB key condition can express, and an index per other filter (amount,
   * author) would cost every expense write more items for a rare read. Bounding what one
   * request examines keeps its cost fixed instead: at most `maxExamined` items read, whatever
   * matches. `amount` and `createdBy` also go into a FilterExpression (exact as stored: the
   * items that fail it are still read and billed, but not sent); text is matched here, on
   * the stored merchant and descriptions, so items written before search existed match too.
   */
  async page(req: PageRequest): Promise<{ items: Expense[]; keys: Record<string, unknown>[]; lastKey?: Record<string, unknown>; examined: number }> {
    const stream = this.indexStream(req);
    const matches: { item: Item; key: Record<string, unknown> }[] = [];
    let last: Record<string, unknown> | undefined;
    for (;;) {
      const entry = await stream.next();
      if (!entry) {
        // The end of the range, or the bound: then resume after the last entry taken (a
        // skip's too), or where this page started if it took none (cannot happen: see indexStream).
        const lastKey = stream.bounded ? (last ?? req.startKey) : undefined;
        return { items: matches.map((m) => toExpense(m.item)), keys: matches.map((m) => m.key), ...(lastKey && { lastKey }), examined: stream.examined };
      }
      last = entry.key;
      if (!entry.item || !matchesPage(toExpense(entry.item), req)) continue;
      if (matches.length === req.limit) {
        // One match more than the page: the next page starts after the page's last item.
        return { items: matches.map((m) => toExpense(m.item)), keys: matches.map((m) => m.key), lastKey: matches[matches.length - 1]!.key, examined: stream.examined };
      }
      matches.push({ item: entry.item, key: entry.key });
    }
  }

  /**
   * The stored expenses a list reads, newest first: the budget's date index (gsi1), or for a
   * category the expenses filed under it (its gsi2 partition) AND the split expenses with a
   * part in it. An item has one gsi2 entry and a split expense's parts name several
   * categories, so split expenses are filed in one partition of the budget (`...#split`) and
   * read from there with a filter on their part categories; both partitions share the date
   * sort key, so the stream is their merge, newest first. The position is then the last
   * entry's gsi2sk (the cursor's, as DynamoDB's LastEvaluatedKey gave it before): each
   * partition is read up to and including it and the item itself dropped.
   *
   * Cost of a category: its own partition as before, plus Queries of the budget's split
   * expenses in the range, read until a page of matches is full (a filter does not lower
   * the read units: split expenses of other categories are read too). Without split
   * expenses that Query reads nothing. The other ways cost writes: one index item per
   * part would add items to every split write; reading the date index with a filter would
   * read every expense of the range.
   *
   * The bound is at least limit + 1 and two items per partition: a resumed partition's first
   * Query reads the position's own item again, so two make sure each partition yields an
   * entry (or ends) and every request moves the position on.
   */
  private indexStream(req: PageRequest): IndexStream {
    const { lo, hi } = this.keys.dateRange(req.from, req.to);
    if (req.search?.recurringExpenseId !== undefined) return this.paymentsStream(req, req.search.recurringExpenseId, lo, hi);
    if (req.search?.reviewed === false && req.categoryId === undefined) return this.reviewStream(req, lo, hi);
    const search = req.search ? storedFilter(req.search) : undefined;
    const partitions: IndexPartition[] =
      req.categoryId === undefined
        ? [{ pk: this.keys.budgetPk(req.budgetId), filter: search }]
        : [
            { pk: this.keys.categoryPk(req.budgetId, req.categoryId), filter: search },
            { pk: this.keys.splitPk(req.budgetId), filter: both(splitCategoryFilter(req.categoryId), search) },
          ];
    return new IndexStream(this.store, {
      index: req.categoryId === undefined ? 'gsi1' : 'gsi2',
      partitions,
      lo,
      hi,
      after: req.startKey,
      firstChunk: req.limit + 1,
      maxExamined: Math.max(req.maxExamined ?? Number.POSITIVE_INFINITY, req.limit + 1, 2 * partitions.length),
    });
  }

  /**
   * The review inbox (`reviewed=false` without a category): the budget's gsi3 partition, which
   * holds only the expenses that need review, with the same date sort key as gsi1, so from/to
   * are the same BETWEEN and the order the same. One Query per page when nothing else is
   * filtered (every item it reads matches); the search's other filters go into the Query's
   * FilterExpression and page() as on gsi1, under the same `maxExamined` bound (now counted
   * over unreviewed expenses only). A cursor a list gave before the inbox existed holds a gsi1
   * position (same binding: same budget and filters): its sort key is the same position in
   * gsi3, so the walk resumes there.
   */
  private reviewStream(req: PageRequest, lo: string, hi: string): IndexStream {
    const { reviewed: _reviewed, ...rest } = req.search ?? {};
    const pk = this.keys.reviewPk(req.budgetId);
    return this.onePartition(req, 'gsi3', { pk, filter: storedFilter(rest) }, lo, hi);
  }

  /**
   * A bill's payments (`recurringExpenseId`, with or without a category): the definition's gsi4
   * partition, which holds only the expenses it recorded, with the same date sort key as gsi1
   * (same order, from/to the same BETWEEN). It is the narrowest partition whatever else is
   * asked: a bill records about one expense per period, a category or the review inbox holds
   * any number, so with `categoryId` the category becomes a FilterExpression on it (filed
   * under it, or a split expense with a part in it: the gsi2 partitions' two conditions) and
   * `reviewed` one more, as on gsi1. The link itself is no filter here (every entry has it; the
   * function still checks it). One Query per page when nothing else is filtered: a page holds
   * `limit` payments whenever that many exist, whatever the budget's other expenses.
   */
  private paymentsStream(req: PageRequest, recurringExpenseId: string, lo: string, hi: string): IndexStream {
    const { recurringExpenseId: _link, ...rest } = req.search ?? {};
    const pk = this.keys.paymentsPk(req.budgetId, recurringExpenseId);
    const category = req.categoryId === undefined ? undefined : categoryFilter(req.categoryId);
    return this.onePartition(req, 'gsi4', { pk, filter: both(category, storedFilter(rest)) }, lo, hi);
  }

  /**
   * One sparse partition that shares the date sort key (gsi3, gsi4), under the request's bound.
   * A cursor a list of the same binding gave while it read another index (a gsi1 or gsi2
   * position: before this index existed, or for the payments before gsi4) holds the same sort
   * key, which is the same position here, so the walk resumes there.
   */
  private onePartition(req: PageRequest, index: 'gsi3' | 'gsi4', partition: IndexPartition, lo: string, hi: string): IndexStream {
    const sk = `${index}sk`;
    const elsewhere = req.startKey && req.startKey[sk] === undefined ? (req.startKey.gsi1sk ?? req.startKey.gsi2sk ?? req.startKey.gsi3sk) : undefined;
    const after =
      req.startKey && typeof elsewhere === 'string' ? { pk: req.startKey.pk, sk: req.startKey.sk, [`${index}pk`]: partition.pk, [sk]: elsewhere } : req.startKey;
    return new IndexStream(this.store, {
      index,
      partitions: [partition],
      lo,
      hi,
      after,
      firstChunk: req.limit + 1,
      maxExamined: Math.max(req.maxExamined ?? Number.POSITIVE_INFINITY, req.limit + 1, 2),
    });
  }

  /**
   * How many expenses of a budget need review, counting at most `upTo` (one Query of the review
   * index, gsi3, Select COUNT with Limit `upTo`: at most that many index entries read, whatever
   * the backlog; eventually consistent in AWS like the lists). The caller caps what it shows.
   */
  async unreviewedCount(budgetId: string, upTo: number): Promise<number> {
    return unreviewedCount(this.store, budgetId, upTo);
  }

  /**
   * Up to `limit` expenses of a budget in id order after `afterId` (from the start without it),
   * strongly consistent, from the base table: the first delta sync's pages. Tombstones share
   * the expenses' sort keys and are filtered out; as Limit counts them too, a page that they
   * thinned reads on until it has limit + 1 expenses (or the end).
   */
  async pageById(budgetId: string, afterId: string | undefined, limit: number): Promise<{ items: Expense[]; more: boolean }> {
    const expenses: Expense[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { items, lastKey } = await this.store.query({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        FilterExpression: '#kind = :expense',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':pk': this.keys.budgetPk(budgetId),
          // BETWEEN is inclusive: start at afterId itself and drop it below.
          ':lo': this.keys.expenseSk(afterId ?? ''),
          ':hi': this.keys.expenseSk(HIGH),
          ':expense': EXPENSE_KIND,
        },
        ConsistentRead: true,
        Limit: limit + 2,
        ExclusiveStartKey: startKey,
      });
      expenses.push(...items.map(toExpense).filter((e) => e.id !== afterId));
      startKey = lastKey;
    } while (startKey && expenses.length <= limit);
    return { items: expenses.slice(0, limit), more: expenses.length > limit };
  }

  /** The current state of some expenses of a budget (absent ones are left out), strongly consistent. */
  async getMany(budgetId: string, expenseIds: string[]): Promise<Map<string, Expense>> {
    const items = await this.store.batchGet(expenseIds.map((id) => this.key(budgetId, id)), true);
    return new Map(items.filter((i) => i.kind === EXPENSE_KIND).map(toExpense).map((e) => [e.id, e]));
  }

  /**
   * Change entries by number and expenses by id, in one strongly consistent BatchGetItem (per
   * 100 keys): what a delta sync needs once the counters told it which entries exist.
   * Absent entries (expired) and expenses (deleted; a tombstone is no expense) are simply not
   * in the answer. `otherKeys` (the income entries a sync names) travel in the same request;
   * what they read comes back as `others`, as stored.
   */
  async entriesAndExpenses(
    budgetId: string,
    entries: { shard: number; seq: number }[],
    expenseIds: string[],
    otherKeys: Key[] = [],
  ): Promise<{ entries: ChangeEntry[]; expenses: Map<string, Expense>; others: Item[] }> {
    const keys = [...entries.map((e) => this.changes.entryKey(budgetId, e.shard, e.seq)), ...expenseIds.map((id) => this.key(budgetId, id)), ...otherKeys];
    const items = keys.length > 0 ? await this.store.batchGet(keys, true) : [];
    return {
      entries: items.filter((i) => i.kind === CHANGE_KIND).map(toChangeEntry),
      expenses: new Map(items.filter((i) => i.kind === EXPENSE_KIND).map(toExpense).map((e) => [e.id, e])),
      others: items.filter((i) => i.kind !== CHANGE_KIND && i.kind !== EXPENSE_KIND),
    };
  }

  /**
   * Spending (signed: spendingOf) and merchant of every expense dated in [from, to], through the
   * date index (gsi1, paginated, only amount, merchant and the refund flag). Its cost grows with the expenses of the range:
   * for period reports, never for the summary. Eventually consistent in AWS like the lists.
   */
  async amountsAndMerchants(budgetId: string, from: string, to: string): Promise<{ amount: number; merchant?: string }[]> {
    const { lo, hi } = this.keys.dateRange(from, to);
    const items = await this.store.queryAll<{ amount: number; merchant?: string; refund?: boolean }>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':lo': lo, ':hi': hi },
      ProjectionExpression: '#amount, #merchant, #refund',
      ExpressionAttributeNames: { '#amount': 'amount', '#merchant': 'merchant', '#refund': REFUND_ATTRIBUTE },
    });
    // Signed (spendingOf): a refund lowers its merchant's spending in the report.
    return items.map(({ refund, ...i }) => ({ ...i, amount: spendingOf({ amount: Number(i.amount), ...refundField(refund) }) }));
  }

  /**
   * The recurring job's half of bill matching (domain/bill-matching.ts): the expenses of the
   * budget dated in [from, to] (an occurrence's window) of exactly `amount` that an import
   * recorded with bill matching on (`importId` on the item, no `matchRecurring: false`; never an
   * expense recorded by hand). ONE Query of the date index the lists use (gsi1), the amount and
   * the origin filtered server-side, at most `limit` expenses of the window examined (Limit:
   * DynamoDB counts them before the filter; read units are billed for them all), only what the
   * rule needs projected. Eventually consistent in AWS like the lists: an expense imported a
   * moment before may not be found yet (the job then records the occurrence as usual).
   */
  async importedOfAmount(budgetId: string, amount: number, from: string, to: string, limit: number): Promise<ImportedExpenseFacts[]> {
    const { lo, hi } = this.keys.dateRange(from, to);
    const { items } = await this.store.query<Record<string, unknown>>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi',
      // A refund of the bill's amount is money back, not the bill paid: never matched.
      FilterExpression: '#amount = :amount AND attribute_exists(#importId) AND attribute_not_exists(#matchRecurring) AND attribute_not_exists(#refund)',
      ProjectionExpression: '#id, #amount, #merchant, #occurredOn, #importId',
      ExpressionAttributeNames: {
        '#id': 'id',
        '#amount': 'amount',
        '#merchant': 'merchant',
        '#occurredOn': 'occurredOn',
        '#importId': IMPORT_ID_ATTRIBUTE,
        '#matchRecurring': MATCH_RECURRING_ATTRIBUTE,
        '#refund': REFUND_ATTRIBUTE,
      },
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':lo': lo, ':hi': hi, ':amount': amount },
      Limit: limit,
    });
    return items.map((i) => ({
      id: String(i.id),
      amount: Number(i.amount),
      occurredOn: String(i.occurredOn),
      importId: String(i.importId),
      ...(typeof i.merchant === 'string' ? { merchant: i.merchant } : {}),
    }));
  }

  /**
   * The condition that the expense `e` is still the imported expense the job read (kind, the
   * facts bill matching compared, its import): for the job's transaction (RecurringRepository.
   * settleWithImported). A change of anything else (a review, a category, tags) does not fail it.
   */
  importedUnchanged(budgetId: string, e: ImportedExpenseFacts): TransactItems[number] {
    return {
      ConditionCheck: {
        Key: this.key(budgetId, e.id),
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
   * The sum of the amounts of the expenses dated in [from, to] per recorder (`createdBy`, the
   * payer) and per distinct set of people sharing them (`sharedWith`, keyed by its ids in user
   * id order; expenses without one are in no set), and per user an expense's `sharedAmounts`
   * name (`owedExactly`: the sum of their exact amounts, a refund's negative), only those
   * attributes projected: one sum per user and per set is kept, never the expenses. At most
   * `maxExpenses` + 1 read (walkDateIndex); past that, `tooMany` and no sums.
   */
  async paidByRecorder(
    budgetId: string,
    from: string,
    to: string,
    maxExpenses: number,
  ): Promise<{ paid: Record<string, number>; sharedBy: { userIds: string[]; amount: number }[]; owedExactly: Record<string, number>; examined: number; tooMany: boolean }> {
    const paid = new Map<string, number>();
    const sharedBy = new Map<string, { userIds: string[]; amount: number }>();
    const owedExactly = new Map<string, number>();
    const walk = { budgetId, from, to, attributes: ['amount', 'createdBy', 'sharedWith', 'sharedAmounts', REFUND_ATTRIBUTE], maxExpenses };
    const { examined, tooMany } = await walkDateIndex(this.store, walk, (items) => {
      for (const item of items) {
        // Signed: a refund's payer got money back (-amount), and so did each member sharing it.
        const refund = refundOf(item);
        const amount = spendingOf({ amount: Number(item.amount), ...refund });
        paid.set(String(item.createdBy), (paid.get(String(item.createdBy)) ?? 0) + amount);
        const { sharedAmounts } = sharedAmountsOf(item);
        if (sharedAmounts) {
          // Each entry signed as the expense is: a refund's parts are money back too, adding up to -amount.
          for (const part of sharedAmounts) owedExactly.set(part.userId, (owedExactly.get(part.userId) ?? 0) + spendingOf({ amount: part.amount, ...refund }));
          continue;
        }
        const { sharedWith } = sharedWithOf(item);
        if (!sharedWith) continue;
        // Stored in user id order; sorted again so an item written otherwise joins its set.
        const userIds = [...sharedWith].sort();
        const key = userIds.join(' ');
        const set = sharedBy.get(key);
        if (set) set.amount += amount;
        else sharedBy.set(key, { userIds, amount });
      }
    });
    return tooMany
      ? { paid: {}, sharedBy: [], owedExactly: {}, examined, tooMany }
      : { paid: Object.fromEntries(paid), sharedBy: [...sharedBy.values()], owedExactly: Object.fromEntries(owedExactly), examined, tooMany };
  }

  /**
   * The spending breakdown's read: amount, merchant, tags, recorder, category and split parts
   * of every expense dated in [from, to], oldest first, each page handed to `visit` and dropped, so only the caller's
   * aggregate stays in memory; at most `maxExpenses` + 1 read (walkDateIndex), past that
   * `tooMany`: the caller must not answer with the pages visited.
   */
  async spendingRows(
    budgetId: string,
    from: string,
    to: string,
    maxExpenses: number,
    visit: (rows: SpendingRow[]) => void,
  ): Promise<{ examined: number; tooMany: boolean }> {
    return this.rangeRows(budgetId, from, to, maxExpenses, ['amount', 'merchant', 'tags', 'createdBy', 'categoryId', 'splits', REFUND_ATTRIBUTE], toSpendingRow, visit);
  }

  /**
   * The monthly spending's read (SpendingMonthlyService): the spending breakdown's walk over a
   * range of months, with its bound, projecting the day, the amount (signed), merchant and tags.
   */
  async monthlySpendingRows(
    budgetId: string,
    from: string,
    to: string,
    maxExpenses: number,
    visit: (rows: SpendingMonthlyRow[]) => void,
  ): Promise<{ examined: number; tooMany: boolean }> {
    return this.rangeRows(budgetId, from, to, maxExpenses, ['occurredOn', 'amount', 'merchant', 'tags', REFUND_ATTRIBUTE], toSpendingMonthlyRow, visit);
  }

  /**
   * The possible duplicates' read (DuplicatesService): the spending breakdown's walk over the
   * same range and bound, each expense whole as the list shows it (the Expense's attributes
   * projected: a projection saves transfer, not read units).
   */
  async rangeExpenses(budgetId: string, from: string, to: string, maxExpenses: number, visit: (expenses: Expense[]) => void): Promise<{ examined: number; tooMany: boolean }> {
    return this.rangeRows(budgetId, from, to, maxExpenses, EXPENSE_ATTRIBUTES, toExpense, visit);
  }

  /** The date index walk of a range (walkDateIndex, oldest first), `attributes` projected and each item read by `row`. */
  private async rangeRows<R>(
    budgetId: string,
    from: string,
    to: string,
    maxExpenses: number,
    attributes: readonly string[],
    row: (item: Item) => R,
    visit: (rows: R[]) => void,
  ): Promise<{ examined: number; tooMany: boolean }> {
    return walkDateIndex(this.store, { budgetId, from, to, attributes, maxExpenses }, (items) => visit(items.map(row)));
  }

  /**
   * A rule preview's read (RulesService.preview, and a rule's apply): the range's expenses
   * through the date index, newest first, as the spending breakdown's walk (at most
   * `maxExpenses` + 1 read, `tooMany` past it), projecting only what a rule's conditions test,
   * the preview answers and the apply needs to tell what the rule would change (the tags, and
   * whether the expense is split).
   */
  async ruleCandidates(
    budgetId: string,
    from: string,
    to: string,
    maxExpenses: number,
    visit: (rows: RuleCandidate[]) => void,
  ): Promise<{ examined: number; tooMany: boolean }> {
    const walk = { budgetId, from, to, attributes: ['id', 'occurredOn', 'amount', 'merchant', 'description', 'categoryId', 'splits', 'tags'], maxExpenses, newestFirst: true };
    return walkDateIndex(this.store, walk, (items) => visit(items.map(toRuleCandidate)));
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
    const items: TransactItems = [{ Put: { Item: this.toItem(expense, keyRecord), ConditionExpression: 'attribute_not_exists(pk)' } }, ...totalsItems];
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
          Item: this.toItem(restored, liveKeyRecord(deleted.expense, publish), importOriginOf(deleted.expense)),
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
      rows.push({ Put: { Item: this.toItem(expense), ConditionExpression: 'attribute_not_exists(pk)' } });
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
          Item: this.toItem(next, liveKeyRecord(previous, publish), importOriginOf(previous)),
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
    const key = this.key(previous.budgetId, previous.id);
    const deltas = bucketDeltas(previous.id, contributionOf(previous), null);
    const resendUntil = tombstoneUntil(previous, new Date(publish.event.occurredAt));
    await this.guarded({ budgetId: previous.budgetId, expenseId: previous.id, deleted: true }, publish, monthsOf(deltas), extra, [
      keyRecord
        ? { Put: { Item: { ...key, kind: TOMBSTONE_KIND, [KEY_RECORD_ATTRIBUTE]: keyRecord, expiresAt: keyRecord.expiresAt }, ...versioned } }
        : resendUntil !== undefined
          ? { Put: { Item: { ...key, kind: TOMBSTONE_KIND, expiresAt: resendUntil }, ...versioned } }
          : { Delete: { Key: key, ...versioned } },
      ...this.totals.updateItems(previous.budgetId, deltas),
      { Put: { Item: this.deleted.item(this.toItem(previous, keyRecord), { deletedAt: publish.event.occurredAt, deletedBy }) } },
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

  private key(budgetId: string, expenseId: string): Key {
    return { pk: this.keys.budgetPk(budgetId), sk: this.keys.expenseSk(expenseId) };
  }

  private toItem(e: Expense, keyRecord?: KeyRecordOnItem, origin: ImportOrigin | undefined = importOriginOf(e)): Item {
    const { reviewed, ...stored } = e;
    const item: Item = { ...this.key(e.budgetId, e.id), ...this.keys.indexAttributes(e), kind: EXPENSE_KIND, ...stored };
    // Only an expense that needs review carries the flag: a reviewed one (every expense recorded
    // by hand) is stored exactly as before review existed (issue 11: a create's bytes).
    if (!reviewed) item[UNREVIEWED_ATTRIBUTE] = true;
    // What the list by category filters the split partition on (no reader returns it).
    const categories = e.splits ? partCategories(e.splits) : [];
    if (categories.length > 0) item[SPLIT_CATEGORIES_ATTRIBUTE] = categories;
    if (keyRecord) item[KEY_RECORD_ATTRIBUTE] = keyRecord;
    if (origin) {
      item[IMPORT_ID_ATTRIBUTE] = origin.importId;
      if (!origin.matchRecurring) item[MATCH_RECURRING_ATTRIBUTE] = false;
    }
    return item;
  }
}

/** The months of a write's totals updates, in the order of its items (TotalsRepository.updateItems). */
const monthsOf = (deltas: BucketDelta[]): string[] => deltas.map((d) => d.bucket.month);

/** Was the transaction refused only because the change counter (at `index`) had moved? */

/** Does an expense read by page() match the request's search and its uncategorized filter? */
function matchesPage(e: Expense, req: PageRequest): boolean {
  if (req.uncategorizedAmong && !isUncategorized(e, req.uncategorizedAmong)) return false;
  return !req.search || matchesSearch(e, req.search);
}

function toExpense(item: Item): StoredExpense {
  const { categoryId, ...rest } = sharedExpenseFields(item);
  const splits = splitsOf(item);
  const recurringExpenseId = attr.optionalStr(item, 'recurringExpenseId');
  const expense: Expense = {
    ...rest,
    categoryId,
    ...(splits ? { splits } : {}),
    ...sharedAmountsOf(item),
    occurredOn: attr.str(item, 'occurredOn'),
    // Absent (items written before review existed, and reviewed ones): reviewed.
    reviewed: item[UNREVIEWED_ATTRIBUTE] !== true,
    // Only on an occurrence its definition recorded (toItem stores it as any other field).
    ...(recurringExpenseId === undefined ? {} : { recurringExpenseId }),
    // Only on a refund (toItem stores `refund: true` as any other field; a purchase has none).
    ...refundOf(item),
  };
  const keyRecord = asKeyRecordOnItem(item[KEY_RECORD_ATTRIBUTE]);
  if (keyRecord) Object.defineProperty(expense, HELD_KEY_RECORD, { value: keyRecord, enumerable: false });
  if (typeof item[IMPORT_ID_ATTRIBUTE] === 'string') {
    const origin: ImportOrigin = { importId: item[IMPORT_ID_ATTRIBUTE], matchRecurring: item[MATCH_RECURRING_ATTRIBUTE] !== false };
    Object.defineProperty(expense, HELD_IMPORT, { value: origin, enumerable: false });
  }
  return expense;
}

/** The expense DELETE's resend tombstone (domain/resend-tombstone.ts): none for a recurring occurrence. */
export function tombstoneUntil(e: Expense, now: Date): number | undefined {
  return resendTombstoneUntil(e.createdAt, e.recurringExpenseId !== undefined, now);
}

/** The Idempotency-Key record `e`'s item holds, if it still lives at the write's time. */
function liveKeyRecord(e: StoredExpense, publish: Publish): KeyRecordOnItem | undefined {
  const record = e[HELD_KEY_RECORD];
  const now = Math.floor(Date.parse(publish.event.occurredAt) / 1000);
  return record && keyRecordLive(record, now) ? record : undefined;
}
