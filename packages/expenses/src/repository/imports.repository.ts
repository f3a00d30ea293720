import { conditionFailedAt, outboxPut, type ModuleStore } from '@budgeting/platform';
import type { Expense, Income } from '../model';
import { monthOf } from '../domain/dates';
import type { IncomeRepository } from './income.repository';
import { occurrenceKey } from '../domain/bill-matching';
import type { ExpensesRepository, Publish, TransactItems } from './expenses.repository';
import { expenseKeys, importKeys, type ImportKeys } from './keys';
import { TOTALS_SHARDS, idHash } from './totals-deltas';
import { changeShardOf } from './change-log';
import { isBudgetArchived } from '../domain/write-retry';
import { TotalsLimitError } from './totals-cap';
import { WriterRefusedError, transactGuarded, type WriterGuard } from './writer-guard';

/** What an import marker says: the import that wrote it, and whether its row matched a recorded bill (no expense written). */
export interface MarkerOwner {
  importId?: string;
  matched: boolean;
  /** The row was written as an income entry (`credits=income`: the marker names an `incomeId`). */
  income?: true;
}

/** A row that matched a recorded recurring occurrence (the import writes no expense for it). */
export interface MatchedRow {
  fingerprint: string;
  recurringExpenseId: string;
  occurredOn: string;
  /** A camt.053 batch transaction's entry (ChunkRow.entryFingerprint): its marker is written too (entryMarkerPut). */
  entryFingerprint?: string;
}

/**
 * A bill match marker lives 400 days after the occurrence's date: far past the 100 days its
 * occurrence marker lives (RecurringRepository, OCCURRENCE_MARKER_RETENTION_SECONDS), after
 * which no import can match the occurrence anyway, so the TTL's deletion, which may lag by
 * days, never frees an occurrence a later file could still match; and the item (about 150
 * bytes, one per matched bill) does not stay for ever.
 */
export const BILL_MATCH_RETENTION_SECONDS = 400 * 24 * 60 * 60;

/** Who matched an occurrence: an import's row (`fingerprint`), or the recurring job with an imported expense (`expenseId`); both name the import. */
export type BillMatchedBy = { importId: string; fingerprint: string } | { importId: string; expenseId: string };

/**
 * The Put of an occurrence's bill match marker, only if absent: the one item an import's row
 * (ImportsRepository.recordMatched) and the recurring job (RecurringRepository.settleWithImported)
 * both write to match an occurrence, so at most one of them ever does.
 */
export function billMatchPut(keys: ImportKeys, budgetId: string, occurrence: { recurringExpenseId: string; occurredOn: string }, by: BillMatchedBy, at: string) {
  return {
    Put: {
      Item: {
        ...keys.billMatch(budgetId, occurrence.recurringExpenseId, occurrence.occurredOn),
        kind: 'bill-match',
        recurringExpenseId: occurrence.recurringExpenseId,
        occurredOn: occurrence.occurredOn,
        ...by,
        matchedAt: at,
        expiresAt: billMatchExpiry(occurrence.occurredOn),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** When a bill match (or expense match) marker of an occurrence of `occurredOn` expires: BILL_MATCH_RETENTION_SECONDS after it. */
export const billMatchExpiry = (occurredOn: string): number => Math.floor(Date.parse(`${occurredOn}T00:00:00Z`) / 1000) + BILL_MATCH_RETENTION_SECONDS;

/** A row recordMany writes: its expense and event, its fingerprint, and a camt.053 batch transaction's entry's (ChunkRow). */
export interface RecordedRow {
  expense: Expense;
  publish: Publish;
  fingerprint: string;
  entryFingerprint?: string;
}

/**
 * Matched rows per transaction: two items each (the import marker, the bill match marker), one
 * per camt.053 batch entry among them (its marker), the closed-budget check and the archive
 * guard: 48 rows without batch entries, fewer with.
 */
function matchedGroups(rows: readonly MatchedRow[]): MatchedRow[][] {
  const groups: MatchedRow[][] = [];
  let group: MatchedRow[] = [];
  let entries = new Set<string>();
  for (const row of rows) {
    const entryCount = entries.size + (row.entryFingerprint === undefined || entries.has(row.entryFingerprint) ? 0 : 1);
    // + 2: the closed-budget check and the archive guard.
    if (group.length > 0 && 2 * (group.length + 1) + entryCount + 2 > 100) {
      groups.push(group);
      group = [];
      entries = new Set<string>();
    }
    group.push(row);
    if (row.entryFingerprint !== undefined) entries.add(row.entryFingerprint);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * A credit an import writes as income (`credits=income`, recordIncome): the entry, its
 * income.recorded event (`via: "import"`, the import's id; its outbox item goes in the entry's
 * transaction), its row's fingerprint, and a camt.053 batch transaction's entry's.
 */
export interface IncomeRow {
  income: Income;
  publish: Publish;
  fingerprint: string;
  entryFingerprint?: string;
}

/**
 * Income rows per transaction (recordIncome), in date order: four items each (the entry, its
 * import marker, its income.recorded outbox item, its change entry), one income total Update
 * per month among them, one marker per camt.053 batch entry, the change counter's increment,
 * the closed-budget check and the archive guard: 24 rows of one month (4 * 24 + 1 + 3 = 100),
 * 23 of two. A group is of ONE change shard (its stamp is one counter's, ChangeLog.stampMany):
 * a row of another shard than the group's starts a new group (an import draws a chunk's income
 * ids in one shard, so only rows handed in otherwise meet this).
 */
export function incomeGroups<R extends { income: { id?: string; receivedOn: string }; entryFingerprint?: string }>(rows: readonly R[]): R[][] {
  const groups: R[][] = [];
  let group: R[] = [];
  let months = new Set<string>();
  let entries = new Set<string>();
  const shardOf = (row: R) => (row.income.id === undefined ? undefined : changeShardOf(row.income.id));
  for (const row of rows) {
    const month = monthOf(row.income.receivedOn);
    const monthCount = months.size + (months.has(month) ? 0 : 1);
    const entryCount = entries.size + (row.entryFingerprint === undefined || entries.has(row.entryFingerprint) ? 0 : 1);
    // + 3: the counter's increment, the closed-budget check and the archive guard.
    if (group.length > 0 && (4 * (group.length + 1) + monthCount + entryCount + 3 > 100 || shardOf(row) !== shardOf(group[0]!))) {
      groups.push(group);
      group = [];
      months = new Set<string>();
      entries = new Set<string>();
    }
    group.push(row);
    months.add(month);
    if (row.entryFingerprint !== undefined) entries.add(row.entryFingerprint);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The camt.053 batch entries of `rows` (entryFingerprint), each once, in order. */
const entriesOf = (rows: readonly { entryFingerprint?: string }[]): string[] => [...new Set(rows.flatMap((r) => (r.entryFingerprint === undefined ? [] : [r.entryFingerprint])))];

/**
 * Records imported CSV rows in batches: ExpensesRepository.createMany (the expenses, their
 * running totals, their change entries = expense.recorded events, the closed-budget check)
 * with each row's import marker in the SAME transaction, Put only if absent. A marker already
 * there means this row (same budget, values and occurrence in its file: see
 * csv/fingerprint.ts) was imported before: the row is a duplicate. So a file imported twice,
 * even by two concurrent imports, records each row once. The marker names the import that
 * wrote it, so a chunk delivered again after a crash counts its own rows as imported.
 *
 * Markers do not expire: "importing the same file twice adds nothing" holds however long
 * after. They live in the budget's expense partition, so the budget.deleted cleanup
 * (BudgetDataRepository) removes them with the expenses; nothing else reads them (no
 * index attributes, so expense lists never see them). A marker outlives a change or deletion
 * of its expense on purpose: re-importing the file still adds nothing.
 */
export class ImportsRepository {
  private readonly keys: ReturnType<typeof importKeys>;
  private readonly expenseKeys: ReturnType<typeof expenseKeys>;

  constructor(
    private readonly store: ModuleStore,
    private readonly expenses: ExpensesRepository,
    /** The income entries' write pieces (recordIncome, `credits=income`); absent where no import writes income. */
    private readonly income?: IncomeRepository,
  ) {
    this.keys = importKeys(store);
    this.expenseKeys = expenseKeys(store);
  }

  /**
   * The markers of `rows` that exist: fingerprint -> the import that wrote it (undefined for
   * markers of the synchronous import that came before the job). Batch reads (100 keys per
   * request, strongly consistent), so a file imported again costs reads, not one failed
   * transaction per row. A row imported meanwhile is still caught by record's condition.
   *
   * A camt.053 batch's transaction (`entryFingerprint`) without a marker of its own has its
   * entry's marker when that one was written for a row (the entry imported as one expense
   * before batches were split, or read unsplit since): the batch is in the budget already, each
   * transaction a duplicate. The entry's marker written with split rows (recordMany,
   * `batchSplit`) is not theirs: only their own markers count. The entries' keys join the same
   * BatchGetItem (one key per batch entry, not per row).
   */
  async markers(budgetId: string, rows: readonly (string | { fingerprint: string; entryFingerprint?: string })[]): Promise<Map<string, MarkerOwner>> {
    const known = rows.map((r) => (typeof r === 'string' ? { fingerprint: r } : r));
    const wanted = new Set(known.flatMap((r) => (r.entryFingerprint === undefined ? [r.fingerprint] : [r.fingerprint, r.entryFingerprint])));
    const items = await this.store.batchGet([...wanted].map((f) => this.keys.marker(budgetId, f)), true);
    const prefix = this.keys.marker(budgetId, '').sk;
    const found = new Map(items.map((i) => [String(i.sk).slice(prefix.length), i]));
    const owners = new Map<string, MarkerOwner>();
    for (const { fingerprint, entryFingerprint } of known) {
      const entry = entryFingerprint === undefined ? undefined : found.get(entryFingerprint);
      const item = found.get(fingerprint) ?? (entry?.batchSplit === undefined ? entry : undefined);
      if (item) {
        owners.set(fingerprint, {
          ...(typeof item.importId === 'string' ? { importId: item.importId } : {}),
          matched: item.matched !== undefined,
          ...(typeof item.incomeId === 'string' ? { income: true as const } : {}),
        });
      }
    }
    return owners;
  }

  /**
   * The occurrences among `occurrences` that an imported row matched already (their bill match
   * markers; BatchGetItem, 100 keys a request, strongly consistent), keyed as occurrenceKey.
   */
  async matchesTaken(budgetId: string, occurrences: readonly { recurringExpenseId: string; occurredOn: string }[]): Promise<Set<string>> {
    if (occurrences.length === 0) return new Set();
    const items = await this.store.batchGet(occurrences.map((o) => this.keys.billMatch(budgetId, o.recurringExpenseId, o.occurredOn)), true);
    return new Set(items.map((i) => occurrenceKey({ recurringExpenseId: String(i.recurringExpenseId), occurredOn: String(i.occurredOn) })));
  }

  /**
   * Records rows that matched a recorded bill: no expense, only the row's import marker (so the
   * same file again finds it a duplicate) and the occurrence's bill match marker (so no other
   * row, of this or a later file, matches it again), both Put only if absent, in ONE transaction
   * per up to 48 rows with the closed-budget check (a budget deleted meanwhile keeps no marker);
   * a camt.053 batch transaction also its entry's marker (entryMarkerPut, matchedGroups).
   * A row whose import marker was taken meanwhile is `raced` (the caller tells another import
   * from a redelivery of its own, as for recordMany); one whose occurrence another row took
   * meanwhile is `taken`: the caller imports it as a new expense instead. The rest is written
   * again without them. `guard`: the budgets module's not-archived check (writer-guard.ts), in
   * each transaction: 'budget-archived' when the budget was archived after the import began,
   * nothing of that transaction written (these writes take no change number).
   */
  async recordMatched(
    budgetId: string,
    rows: readonly MatchedRow[],
    importId: string,
    now: Date,
    guard?: WriterGuard,
  ): Promise<{ matched: string[]; raced: string[]; taken: string[] } | 'budget-closed' | 'budget-archived'> {
    const out = { matched: [] as string[], raced: [] as string[], taken: [] as string[] };
    for (let pending of matchedGroups(rows)) {
      while (pending.length > 0) {
        const items: Parameters<ModuleStore['transactWrite']>[0] = pending.flatMap((r) => this.matchedItems(budgetId, r, importId, now));
        // After the rows' items (2 each): their batch entries' markers (a failed one fails its entry's rows: raced).
        const entries = entriesOf(pending);
        items.push(...entries.map((e) => this.entryMarkerPut(budgetId, e, importId, now.toISOString())));
        const closedIndex = items.length;
        // The shard's check of a create (ExpensesRepository.budgetOpen): closeBudget writes all of them.
        const shard = idHash(pending[0]!.fingerprint) % TOTALS_SHARDS;
        items.push({ ConditionCheck: { Key: this.expenseKeys.closedBudget(budgetId, shard), ConditionExpression: 'attribute_not_exists(pk)' } });
        try {
          await transactGuarded(this.store, items, guard);
          out.matched.push(...pending.map((r) => r.fingerprint));
          break;
        } catch (err) {
          if (err instanceof WriterRefusedError) return 'budget-archived';
          if (conditionFailedAt(err, closedIndex)) return 'budget-closed';
          const entryFailed = new Set(entries.filter((_, j) => conditionFailedAt(err, 2 * pending.length + j)));
          const raced = pending.filter((r, i) => conditionFailedAt(err, 2 * i) || (r.entryFingerprint !== undefined && entryFailed.has(r.entryFingerprint)));
          const taken = pending.filter((r, i) => !raced.includes(r) && conditionFailedAt(err, 2 * i + 1));
          if (raced.length === 0 && taken.length === 0) throw err;
          out.raced.push(...raced.map((r) => r.fingerprint));
          out.taken.push(...taken.map((r) => r.fingerprint));
          const failed = new Set([...raced, ...taken]);
          pending = pending.filter((r) => !failed.has(r));
        }
      }
    }
    return out;
  }

  /**
   * Records credits as income entries (`credits=income`), in ONE transaction per incomeGroups
   * group: each entry's Put (IncomeRepository.createPut, only if absent) and its import marker
   * (Put only if absent, naming the import and the `incomeId`), the group's income month totals
   * (IncomeRepository.totalUpdate, merged per month: the income write path's pieces, so a
   * total moves exactly when its entries are written), a camt.053 batch entry's marker, the
   * closed-budget check, each entry's income.recorded outbox item (IncomeRow.publish, as a
   * POST's: so the event exists exactly when its entry does, and a chunk delivered again, whose
   * markers are taken, publishes nothing twice), the change stamp of each entry (ChangeLog:
   * the group's counter increment and one entry per row naming `incomeId`, as the income
   * POST's; a number taken meanwhile is retried) and `guard` (the not-archived check, as
   * recordMatched). No spending total: income has none. A row whose marker was taken meanwhile is
   * `raced` (the caller tells another import from a redelivery of its own), the rest written
   * again (with the same events: the failed transaction wrote none); a group
   * a month's income total cannot take (2^53 - 1) is written again row by row, and a row refused
   * alone is `overLimit`.
   */
  async recordIncome(
    rows: readonly IncomeRow[],
    importId: string,
    guard?: WriterGuard,
  ): Promise<{ imported: string[]; raced: string[]; overLimit: string[] } | 'budget-closed' | 'budget-archived'> {
    const income = this.income;
    if (!income) throw new Error('ImportsRepository: recording income needs the income repository');
    const out = { imported: [] as string[], raced: [] as string[], overLimit: [] as string[] };
    for (const group of incomeGroups(rows)) {
      let pending = group;
      while (pending.length > 0) {
        const budgetId = pending[0]!.income.budgetId;
        const items: Parameters<ModuleStore['transactWrite']>[0] = pending.flatMap((r) => [income.createPut(r.income), this.incomeMarkerPut(r, importId)]);
        const entries = entriesOf(pending);
        items.push(...entries.map((e) => this.entryMarkerPut(budgetId, e, importId, pending[0]!.income.createdAt)));
        const totals = incomeDeltas(pending);
        const totalsAt = items.length;
        items.push(...totals.map(([month, delta]) => income.totalUpdate(budgetId, month, delta)));
        const closedIndex = items.length;
        const shard = idHash(pending[0]!.fingerprint) % TOTALS_SHARDS;
        items.push({ ConditionCheck: { Key: this.expenseKeys.closedBudget(budgetId, shard), ConditionExpression: 'attribute_not_exists(pk)' } });
        // The events last (before the guard transactGuarded appends): the indexes read below
        // (2 per row, the entries, the totals, the closed check) stay where they were.
        items.push(...pending.map((r) => outboxPut(this.store, r.publish.contract, r.publish.event)));
        // The stamp after the events (its counter at items.length), then the guard.
        const stamps = pending.map((r) => ({ change: { budgetId, expenseId: r.income.id, deleted: false, income: true as const } }));
        try {
          await income.changes.commitStamped(stamps, new Date(pending[0]!.income.createdAt), items.length, (stamp) => transactGuarded(this.store, [...items, ...stamp], guard));
          out.imported.push(...pending.map((r) => r.fingerprint));
          break;
        } catch (err) {
          // The guard, or the counter re-read after a lost number, says the budget was archived.
          if (err instanceof WriterRefusedError || isBudgetArchived(err)) return 'budget-archived';
          if (conditionFailedAt(err, closedIndex)) return 'budget-closed';
          const entryFailed = new Set(entries.filter((_, j) => conditionFailedAt(err, 2 * pending.length + j)));
          const raced = pending.filter((r, i) => conditionFailedAt(err, 2 * i) || conditionFailedAt(err, 2 * i + 1) || (r.entryFingerprint !== undefined && entryFailed.has(r.entryFingerprint)));
          if (raced.length === 0) {
            if (!totals.some((_, j) => conditionFailedAt(err, totalsAt + j))) throw err;
            // A month's income total would pass 2^53 - 1: each row alone, the ones that fit recorded.
            if (pending.length === 1) {
              out.overLimit.push(pending[0]!.fingerprint);
              break;
            }
            for (const row of pending) {
              const one = await this.recordIncome([row], importId, guard);
              if (one === 'budget-closed' || one === 'budget-archived') return one;
              out.imported.push(...one.imported);
              out.raced.push(...one.raced);
              out.overLimit.push(...one.overLimit);
            }
            break;
          }
          out.raced.push(...raced.map((r) => r.fingerprint));
          pending = pending.filter((r) => !raced.includes(r));
        }
      }
    }
    return out;
  }

  private incomeMarkerPut(row: IncomeRow, importId: string) {
    return {
      Put: {
        Item: { ...this.keys.marker(row.income.budgetId, row.fingerprint), kind: 'import-marker', incomeId: row.income.id, importedAt: row.income.createdAt, importId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private matchedItems(budgetId: string, row: MatchedRow, importId: string, now: Date) {
    const at = now.toISOString();
    const matched = { recurringExpenseId: row.recurringExpenseId, occurredOn: row.occurredOn };
    return [
      {
        Put: {
          Item: { ...this.keys.marker(budgetId, row.fingerprint), kind: 'import-marker', importedAt: at, importId, matched },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      billMatchPut(this.keys, budgetId, matched, { importId, fingerprint: row.fingerprint }, at),
    ];
  }

  /**
   * Records a batch of rows (one budget, one change shard: see ExpensesRepository.createMany)
   * in ONE transaction, each with its marker (conditional, as in `record`). When other writers
   * took some rows' markers meanwhile, those rows are left out and the rest is written again;
   * `raced` names them (the caller reads their markers to tell another import from itself).
   *
   * A batch refused because it would take a month's running totals past 2^53 - 1
   * (TotalsLimitError) is written again row by row (a transaction each: only then), so the
   * rows that still fit are recorded; `overLimit` names the ones that do not (nothing of them
   * written), for the import's error lines.
   *
   * `categories`: BudgetsFacade.categoriesCheck of the categories the rows name, in each
   * transaction; 'category-removed' when one was removed since the rows were given it (nothing
   * written by that transaction: the caller writes them again without it).
   */
  async recordMany(
    rows: RecordedRow[],
    importId: string,
    categories: TransactItems = [],
  ): Promise<{ imported: string[]; raced: string[]; overLimit: string[] } | 'budget-closed' | 'budget-archived' | 'category-removed'> {
    const raced: string[] = [];
    let pending = rows;
    while (pending.length > 0) {
      let outcome: Awaited<ReturnType<ExpensesRepository['createMany']>>;
      try {
        outcome = await this.expenses.createMany(this.withMarkers(pending, importId), categories);
      } catch (err) {
        if (!(err instanceof TotalsLimitError)) throw err;
        if (pending.length === 1) return { imported: [], raced, overLimit: [pending[0]!.fingerprint] };
        return this.oneByOne(pending, importId, raced, categories);
      }
      if (outcome === 'created') return { imported: pending.map((r) => r.fingerprint), raced, overLimit: [] };
      if (outcome === 'budget-closed' || outcome === 'budget-archived' || outcome === 'category-removed') return outcome;
      const failed = new Set(outcome.extraFailed);
      raced.push(...pending.filter((_, i) => failed.has(i)).map((r) => r.fingerprint));
      pending = pending.filter((_, i) => !failed.has(i));
    }
    return { imported: [], raced, overLimit: [] };
  }

  /**
   * The rows with their markers, and with the first row of each camt.053 batch entry
   * (`entryFingerprint`) the entry's marker, flagged `batchSplit`: an import from before
   * batches were split (or a statement that lists the entry without its details) then finds
   * the entry imported, and adds nothing. Put if absent or a split batch's (one transaction
   * writes it once; the next, or a later import, again: the same item); a row's marker for the
   * entry (written meanwhile by an import of the entry as one row) fails its row, which is
   * then `raced` and read as a duplicate (markers).
   */
  private withMarkers(rows: RecordedRow[], importId: string) {
    const entries = new Set<string>();
    return rows.map(({ expense, publish, fingerprint, entryFingerprint }) => {
      const extra: Parameters<ExpensesRepository['createMany']>[0][number]['extra'] = [this.markerPut(expense, fingerprint, importId)];
      if (entryFingerprint !== undefined && !entries.has(entryFingerprint)) {
        entries.add(entryFingerprint);
        extra.push(this.entryMarkerPut(expense.budgetId, entryFingerprint, importId, expense.createdAt));
      }
      return { expense, publish, extra };
    });
  }

  /**
   * The marker of a camt.053 batch entry whose rows are written (recordMany, recordMatched),
   * flagged `batchSplit`: Put if absent or already a split batch's (written again by each
   * transaction holding rows of the entry: the same item); an entry's marker of a row (the
   * entry imported as one expense) fails the transaction's rows of the entry.
   */
  private entryMarkerPut(budgetId: string, entryFingerprint: string, importId: string, at: string) {
    return {
      Put: {
        Item: { ...this.keys.marker(budgetId, entryFingerprint), kind: 'import-marker', importedAt: at, importId, batchSplit: true },
        ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(batchSplit)',
      },
    };
  }

  /** recordMany's rows each in a transaction of its own (after the batch met the totals limit). */
  private async oneByOne(rows: RecordedRow[], importId: string, raced: string[], categories: TransactItems) {
    const out = { imported: [] as string[], raced, overLimit: [] as string[] };
    for (const row of rows) {
      const one = await this.recordMany([row], importId, categories);
      if (one === 'budget-closed' || one === 'budget-archived' || one === 'category-removed') return one;
      out.imported.push(...one.imported);
      out.raced.push(...one.raced);
      out.overLimit.push(...one.overLimit);
    }
    return out;
  }

  private markerPut(expense: Expense, fingerprint: string, importId: string) {
    return {
      Put: {
        Item: { ...this.keys.marker(expense.budgetId, fingerprint), kind: 'import-marker', expenseId: expense.id, importedAt: expense.createdAt, importId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}

/** The income month totals' deltas of a group of income rows: one per month (a transaction touches an item once). */
function incomeDeltas(rows: readonly IncomeRow[]): [string, number][] {
  const byMonth = new Map<string, number>();
  for (const { income } of rows) {
    const month = monthOf(income.receivedOn);
    byMonth.set(month, (byMonth.get(month) ?? 0) + income.amount);
  }
  return [...byMonth];
}
