import type { Item, Key, ModuleStore } from '@budgeting/platform';
import type { Expense, SplitPart } from '../model';
import { CHANGE_KIND, toChangeEntry, type ChangeEntry, type ChangeLog } from './change-log';
import { HIGH, expenseKeys, type ExpenseKeys } from './keys';
import { isUncategorized, matchesSearch, type ExpenseSearch } from '../domain/expense-search';
import { IndexStream, type IndexPartition } from './index-stream';
import { both, categoryFilter, splitCategoryFilter, storedFilter } from './stored-filters';
import { walkDateIndex } from './date-index-walk';
import { splitsOf } from './attributes';
import { REFUND_ATTRIBUTE } from '../domain/refunds';
import { EXPENSE_ATTRIBUTES, EXPENSE_KIND, IMPORT_ID_ATTRIBUTE, MATCH_RECURRING_ATTRIBUTE, expenseKey, toExpense } from './expense-item';

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

/**
 * The reads of a budget's expenses by page and by id: the lists' pages through the date index
 * (gsi1, a category's gsi2 partitions, the review inbox's gsi3, a bill's payments' gsi4), the
 * review count, the first delta sync's pages in id order, and strongly consistent reads of
 * expenses (and change entries) whose ids are known; and the walks of a date range that read
 * expenses (the possible duplicates', a rule preview's, the recurring job's imported expenses
 * of a bill's amount). The writes are ExpensesRepository's (expenses.repository.ts); the
 * reports' spending reads, SpendingReads' (spending-reads.repository.ts).
 */
export class ExpenseQueries {
  private readonly keys: ExpenseKeys;

  constructor(
    private readonly store: ModuleStore,
    /** The change log whose entries entriesAndExpenses reads (the writes' own: ExpensesRepository.changes). */
    private readonly changes: ChangeLog,
  ) {
    this.keys = expenseKeys(store);
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
    const items = await this.store.batchGet(expenseIds.map((id) => expenseKey(this.keys, budgetId, id)), true);
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
    const keys = [...entries.map((e) => this.changes.entryKey(budgetId, e.shard, e.seq)), ...expenseIds.map((id) => expenseKey(this.keys, budgetId, id)), ...otherKeys];
    const items = keys.length > 0 ? await this.store.batchGet(keys, true) : [];
    return {
      entries: items.filter((i) => i.kind === CHANGE_KIND).map(toChangeEntry),
      expenses: new Map(items.filter((i) => i.kind === EXPENSE_KIND).map(toExpense).map((e) => [e.id, e])),
      others: items.filter((i) => i.kind !== CHANGE_KIND && i.kind !== EXPENSE_KIND),
    };
  }

  /**
   * The recurring job's half of bill matching (domain/bill-matching.ts): the expenses of the
   * budget dated in [from, to] (an occurrence's window) of exactly `amount` that an import
   * recorded with bill matching on (`importId` on the item, no `matchRecurring: false`; never an
   * expense recorded by hand). ONE Query of the date index the lists use (gsi1; another only
   * when DynamoDB cut the page at 1 MB, for what is left of `limit`), the amount and the origin
   * filtered server-side, at most `limit` expenses of the window examined (Limit: DynamoDB
   * counts them before the filter; read units are billed for them all), only what the rule
   * needs projected. Eventually consistent in AWS like the lists: an expense imported a
   * moment before may not be found yet (the job then records the occurrence as usual).
   */
  async importedOfAmount(budgetId: string, amount: number, from: string, to: string, limit: number): Promise<ImportedExpenseFacts[]> {
    const { lo, hi } = this.keys.dateRange(from, to);
    const items: Record<string, unknown>[] = [];
    // DynamoDB cuts a page at 1 MB of items READ, before the filter: a dozen expenses as large as
    // the schema allows (~80 KB) end it with nothing matched, and the bill behind them was missed
    // (the job then recorded a second one) though far fewer than `limit` had been examined. So
    // the read goes on from LastEvaluatedKey until `limit` examined (ScannedCount) or the end.
    let examined = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.store.query<Record<string, unknown>>({
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
        Limit: limit - examined,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      });
      items.push(...page.items);
      examined += page.out.ScannedCount ?? page.items.length;
      startKey = page.lastKey;
    } while (startKey && examined < limit);
    return items.map((i) => ({
      id: String(i.id),
      amount: Number(i.amount),
      occurredOn: String(i.occurredOn),
      importId: String(i.importId),
      ...(typeof i.merchant === 'string' ? { merchant: i.merchant } : {}),
    }));
  }


  /**
   * The possible duplicates' read (DuplicatesService): the spending breakdown's walk over the
   * same range and bound, each expense whole as the list shows it (the Expense's attributes
   * projected: a projection saves transfer, not read units).
   */
  async rangeExpenses(budgetId: string, from: string, to: string, maxExpenses: number, visit: (expenses: Expense[]) => void): Promise<{ examined: number; tooMany: boolean }> {
    return walkDateIndex(this.store, { budgetId, from, to, attributes: EXPENSE_ATTRIBUTES, maxExpenses }, (items) => visit(items.map(toExpense)));
  }


  /**
   * A rule preview's read (RulesService.preview, and a rule's apply): the range's expenses
   * through the date index, newest first, as the spending breakdown's walk (at most
   * `maxExpenses` + 1 read, `tooMany` past it), projecting only what a rule's conditions test,
   * the preview answers and the apply needs to tell what the rule would change (the tags, and
   * whether the expense is split).
   */
  async ruleCandidates(budgetId: string, from: string, to: string, maxExpenses: number, visit: (rows: RuleCandidate[]) => void): Promise<{ examined: number; tooMany: boolean }> {
    const walk = { budgetId, from, to, attributes: ['id', 'occurredOn', 'amount', 'merchant', 'description', 'categoryId', 'splits', 'tags'], maxExpenses, newestFirst: true };
    return walkDateIndex(this.store, walk, (items) => visit(items.map(toRuleCandidate)));
  }
}

/** Does an expense read by page() match the request's search and its uncategorized filter? */
function matchesPage(e: Expense, req: PageRequest): boolean {
  if (req.uncategorizedAmong && !isUncategorized(e, req.uncategorizedAmong)) return false;
  return !req.search || matchesSearch(e, req.search);
}
