import { epochSeconds, isTransactionConditionFailed, newId, TABLE, type Clock, type Item, type ModuleStore, type TransactItem } from '@budgeting/platform';
import { contributionOf, type Contribution } from '../model';
import { refundField, REFUND_ATTRIBUTE } from '../domain/refunds';
import { splitsOf } from './attributes';
import { CHANGE_SHARDS, ChangeLog } from './change-log';
import { INCOME_ATTRIBUTE } from './income-attribute';
import { changeKeys, expenseKeys, incomeKeys, legacyDayOfSk, monthOfTotalsSk, totalsKeys, totalsRepairKeys } from './keys';
import { dayAttribute, parseTotalsAttribute } from './totals-attributes';
import { addFigures, figureName, INCOME_FIGURE, type IncomeRepair, type MonthFigures, type ShardRepair } from './totals-recount';

/**
 * Figures SET by one Update of the repair (expression length stays far below DynamoDB's 4 KB;
 * the transaction: 16 counter checks, the Update and its audit record, 18 of 100 items; the
 * record: 50 figures of a few dozen bytes and a reason of at most 500 characters, a few KB).
 */
const FIGURES_PER_WRITE = 50;

/** How long a repair's audit record is kept: two years (its TTL), as the users module keeps its operators' audit records. */
export const REPAIR_RECORD_RETENTION_SECONDS = 2 * 365 * 24 * 60 * 60;

/** The last repairs a check lists (one Query page: each record a few KB at most). */
export const RECENT_REPAIRS = 20;

/** Who repairs and why: stored in the audit record of each repair transaction. */
export interface RepairAuthor {
  operator: string;
  reason: string;
}

/** One figure a repair set, named as the check reports it: from the value read (absent: 0) to the recounted one. */
export interface RepairedFigure {
  figure: string;
  from: number;
  to: number;
}

/** A repair transaction's audit record as a check lists it (no `shard` for the month's income item, which has none). */
export interface RepairRecord {
  at: string;
  operator: string;
  reason: string;
  month: string;
  shard?: number;
  figures: RepairedFigure[];
}

/**
 * A read of the check would have started after its deadline (the daily verification's
 * invocation time budget, jobs/totals-verify-job.ts): the check stops, concluding nothing.
 * The operator's check has no deadline and never sees it.
 */
export class CheckOutOfTimeError extends Error {
  override readonly name = 'CheckOutOfTimeError';
  constructor() {
    super('the totals check ran out of its time budget before its reads were done');
  }
}

/** Throws CheckOutOfTimeError when `until` (epoch ms) has passed: called before each page a check reads. */
function beforeRead(until: number | undefined): void {
  if (until !== undefined && Date.now() >= until) throw new CheckOutOfTimeError();
}

/** The months' stored figures, and the months whose day figures still sit partly in day items of the layout before 2026-11-30 (not folded yet). */
export interface StoredTotals {
  months: Map<string, MonthFigures>;
  /** Each month's stored income (its income item's `income`; a month without the item or attribute is not in it). */
  income: Map<string, number>;
  unfolded: Set<string>;
  /** False when the fold changed the old day items while they were read (see stored): read again. */
  settled: boolean;
}

/**
 * The reads and the write of the totals check (service/totals-check.ts). Every read is
 * strongly consistent and of the base table: an index (gsi1 lists the same expenses) may miss
 * a committed write, and the check would then report, or repair, a drift that is not there.
 */
export class TotalsCheckRepository {
  private readonly totals: ReturnType<typeof totalsKeys>;
  private readonly expenses: ReturnType<typeof expenseKeys>;
  private readonly incomeKeys: ReturnType<typeof incomeKeys>;
  private readonly changeKeys: ReturnType<typeof changeKeys>;
  private readonly repairKeys: ReturnType<typeof totalsRepairKeys>;
  private readonly changes: ChangeLog;

  constructor(
    private readonly store: ModuleStore,
    private readonly clock: Clock,
  ) {
    this.totals = totalsKeys(store);
    this.repairKeys = totalsRepairKeys(store);
    this.expenses = expenseKeys(store);
    this.incomeKeys = incomeKeys(store);
    this.changeKeys = changeKeys(store);
    this.changes = new ChangeLog(store);
  }

  /** The budget's 16 change counters (one Query): every expense and income write moves one, in its own transaction. */
  counters(budgetId: string): Promise<number[]> {
    return this.changes.counters(budgetId);
  }

  /**
   * The stored figures of every month (or of `month`), per totals shard: the month items (one
   * Query, a page at a time; the month's income item, after its shards, gives `income`)
   * and any old day item not folded yet, whose figures count as that day's (as the fold will
   * add them). The old day items are listed before the month items and read after them:
   * `settled` false when the two differ, i.e. the fold (jobs/fold-day-totals-job.ts, which moves
   * no change counter) moved a day's figures from its day item into its month item between the
   * two reads, so they may count it twice or not at all.
   */
  async stored(budgetId: string, month: string | undefined, until?: number): Promise<StoredTotals> {
    const months = new Map<string, MonthFigures>();
    const income = new Map<string, number>();
    const unfolded = new Set<string>();
    const dayPrefix = month ? `${this.totals.legacyDayPrefix}${month}-` : this.totals.legacyDayPrefix;
    const dayItemsBefore: string[] = [];
    await this.eachPage({ ':day': dayPrefix }, 'pk = :pk AND begins_with(sk, :day)', budgetId, (item) => void dayItemsBefore.push(String(item.sk)), until, 'sk');
    const range = month ? this.totals.monthRange(month, month) : this.totals.monthRange('0000-00', '9999-99');
    await this.eachPage({ ':lo': range.lo, ':hi': range.hi }, 'pk = :pk AND sk BETWEEN :lo AND :hi', budgetId, (item) => {
      const sk = String(item.sk);
      if (sk === this.totals.incomeMonthSk(monthOfTotalsSk(sk))) {
        if (typeof item[INCOME_ATTRIBUTE] === 'number') income.set(monthOfTotalsSk(sk), item[INCOME_ATTRIBUTE]);
        return;
      }
      const shard = Number(sk.split('#')[3]);
      if (!Number.isInteger(shard)) return;
      addFigures(months, monthOfTotalsSk(String(item.sk)), shard, figuresOf(item, (name) => parseTotalsAttribute(name) !== undefined));
    }, until);
    const dayItems: string[] = [];
    await this.eachPage({ ':day': dayPrefix }, 'pk = :pk AND begins_with(sk, :day)', budgetId, (item) => {
      dayItems.push(String(item.sk));
      const { date, shard } = legacyDayOfSk(String(item.sk));
      const dayFigures = figuresOf(item, (name) => parseTotalsAttribute(name)?.day === null);
      addFigures(months, date.slice(0, 7), shard, Object.fromEntries(Object.entries(dayFigures).map(([name, value]) => [dayAttribute(date, name), value])));
      unfolded.add(date.slice(0, 7));
    }, until);
    // (Only the fold changes which day items exist: no write creates one since 2026-11-30, and a
    // write of an old container still adding to one moves a change counter.)
    const settled = dayItemsBefore.length === dayItems.length && dayItemsBefore.every((sk, i) => sk === dayItems[i]);
    return { months, income, unfolded, settled };
  }

  /**
   * Each of the budget's expenses, as (id, what it adds to the totals), a Query page at a time
   * (up to 1 MB each): strongly consistent Queries of the budget's expense items in the base
   * table, tombstones left out, only the attributes the totals depend on returned.
   */
  async eachExpense(budgetId: string, visit: (expenseId: string, contribution: Contribution) => void, until?: number): Promise<void> {
    const prefix = this.expenses.expenseSk('');
    await this.eachItem(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#kind = :expense',
        ProjectionExpression: '#sk, #amount, #categoryId, #splits, #occurredOn, #refund',
        ExpressionAttributeNames: { '#kind': 'kind', '#sk': 'sk', '#amount': 'amount', '#categoryId': 'categoryId', '#splits': 'splits', '#occurredOn': 'occurredOn', '#refund': REFUND_ATTRIBUTE },
        ExpressionAttributeValues: { ':pk': this.expenses.budgetPk(budgetId), ':prefix': prefix, ':expense': 'expense' },
      },
      (item) => visit(String(item.sk).slice(prefix.length), contributionOfItem(item)),
      until,
    );
  }

  /**
   * Each of the budget's income entries, as (receivedOn, amount), a Query page at a time: as
   * eachExpense, of the same partition (`expenses#income#<id>`; the deleted copies,
   * `expenses#incomedeleted#`, sort outside the prefix, and the resend tombstones a DELETE
   * within a day leaves are filtered out by their kind). Its own Query, not one range with the
   * expenses': between `expense#` and `income#` sort the import markers and chunks, which it
   * would read for nothing.
   */
  async eachIncome(budgetId: string, visit: (receivedOn: string, amount: number) => void, until?: number): Promise<void> {
    await this.eachItem(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#kind = :income',
        ProjectionExpression: '#receivedOn, #amount',
        ExpressionAttributeNames: { '#kind': 'kind', '#receivedOn': 'receivedOn', '#amount': 'amount' },
        ExpressionAttributeValues: { ':pk': this.incomeKeys.budgetPk(budgetId), ':prefix': this.incomeKeys.incomePrefix, ':income': 'income' },
      },
      (item) => visit(String(item.receivedOn), Number(item.amount)),
      until,
    );
  }

  /**
   * Each item of a strongly consistent Query, a page (up to 1 MB) at a time, the time budget
   * (`until`) checked before each page: eachExpense's and eachIncome's paging.
   */
  private async eachItem(query: Omit<Parameters<ModuleStore['query']>[0], 'ConsistentRead' | 'ExclusiveStartKey'>, visit: (item: Item) => void, until: number | undefined): Promise<void> {
    let startKey: Record<string, unknown> | undefined;
    do {
      beforeRead(until);
      const page = await this.store.query({ ...query, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) });
      for (const item of page.items) visit(item);
      startKey = page.lastKey;
    } while (startKey);
  }

  /**
   * Sets one shard's differing figures of `month` to the recounted values, in transactions of
   * FIGURES_PER_WRITE figures, each holding only if (a) none of the budget's 16 change counters
   * moved since `counters` were read, before the totals and the expenses, and (b) each figure
   * it sets still holds the value read (absent included). False when a condition failed: a
   * write committed meanwhile, and what was recounted may not be what is stored any more.
   * See service/totals-check.ts for why this never undoes a live write's delta.
   * Each transaction also puts its audit record (who, why, the figures it set, from and to):
   * the record exists exactly when its figures were set, also when a later transaction fails
   * or the process dies between two.
   */
  async repair(budgetId: string, month: string, repair: ShardRepair, counters: number[], author: RepairAuthor): Promise<boolean> {
    const figures = repair.figures.map((f) => ({ ...f, figure: figureName(parseTotalsAttribute(f.attribute)!) }));
    return this.setFigures(budgetId, month, this.totals.monthSk(month, repair.shard), repair.shard, figures, counters, author);
  }

  /**
   * Sets the month's income (its own item, so its own Update) to the recounted value, under
   * the same conditions and with its audit record (figure `income`, no shard), as repair.
   */
  repairIncome(budgetId: string, month: string, repair: IncomeRepair, counters: number[], author: RepairAuthor): Promise<boolean> {
    const figures = [{ attribute: INCOME_ATTRIBUTE, figure: INCOME_FIGURE, stored: repair.stored, expected: repair.expected }];
    return this.setFigures(budgetId, month, this.totals.incomeMonthSk(month), undefined, figures, counters, author);
  }

  /** repair's transactions, of the totals item `sk` (`shard`: the audit record's, none for the income item). */
  private async setFigures(budgetId: string, month: string, sk: string, shard: number | undefined, all: SetFigure[], counters: number[], author: RepairAuthor): Promise<boolean> {
    for (let i = 0; i < all.length; i += FIGURES_PER_WRITE) {
      const figures = all.slice(i, i + FIGURES_PER_WRITE);
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const sets: string[] = [];
      const conditions: string[] = [];
      figures.forEach(({ attribute, stored, expected }, n) => {
        names[`#f${n}`] = attribute;
        values[`:e${n}`] = expected;
        sets.push(`#f${n} = :e${n}`);
        if (stored === undefined) conditions.push(`attribute_not_exists(#f${n})`);
        else {
          values[`:s${n}`] = stored;
          conditions.push(`#f${n} = :s${n}`);
        }
      });
      const update: TransactItem = {
        Update: {
          Key: { pk: this.totals.totalsPk(budgetId), sk },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
      const record = this.auditRecord(budgetId, month, shard, figures, author);
      try {
        await this.store.transactWrite([...this.countersUnchanged(budgetId, counters), update, record]);
      } catch (err) {
        if (isTransactionConditionFailed(err)) return false;
        throw err;
      }
    }
    return true;
  }

  /** The budget's last RECENT_REPAIRS repair records, newest first (one strongly consistent Query page); `more` when older ones exist. */
  async recentRepairs(budgetId: string): Promise<{ repairs: RepairRecord[]; more: boolean }> {
    const { items } = await this.store.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.repairKeys.repairsPk(budgetId) },
      ScanIndexForward: false,
      Limit: RECENT_REPAIRS + 1,
      ConsistentRead: true,
    });
    const repairs = items.slice(0, RECENT_REPAIRS).map((item) => ({
      at: String(item.at),
      operator: String(item.operator),
      reason: String(item.reason),
      month: String(item.month),
      ...(item.shard === undefined ? {} : { shard: Number(item.shard) }),
      figures: (item.figures as RepairedFigure[]).map(({ figure, from, to }) => ({ figure, from: Number(from), to: Number(to) })),
    }));
    return { repairs, more: items.length > RECENT_REPAIRS };
  }

  /** The audit record of one repair transaction, put in it if absent (a fresh id: never another's). */
  private auditRecord(budgetId: string, month: string, shard: number | undefined, figures: SetFigure[], author: RepairAuthor): TransactItem {
    const now = this.clock.now();
    const at = now.toISOString();
    const repaired: RepairedFigure[] = figures.map(({ figure, stored, expected }) => ({ figure, from: stored ?? 0, to: expected }));
    return {
      Put: {
        Item: {
          ...this.repairKeys.record(budgetId, at, newId(now.getTime())),
          kind: 'totals-repair',
          budgetId,
          operator: author.operator,
          reason: author.reason,
          at,
          month,
          ...(shard === undefined ? {} : { shard }),
          figures: repaired,
          [TABLE.ttlAttribute]: epochSeconds(now) + REPAIR_RECORD_RETENTION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** A ConditionCheck per change counter: its number is still the one read (never written: still absent). */
  private countersUnchanged(budgetId: string, counters: number[]): TransactItem[] {
    return Array.from({ length: CHANGE_SHARDS }, (_, shard) => {
      const seq = counters[shard] ?? 0;
      return {
        ConditionCheck: {
          Key: this.changeKeys.counter(budgetId, shard),
          ConditionExpression: seq === 0 ? 'attribute_not_exists(#seq)' : '#seq = :seq',
          ExpressionAttributeNames: { '#seq': 'seq' },
          ...(seq === 0 ? {} : { ExpressionAttributeValues: { ':seq': seq } }),
        },
      };
    });
  }

  private async eachPage(values: Record<string, string>, condition: string, budgetId: string, visit: (item: Item) => void, until: number | undefined, projection?: string): Promise<void> {
    let startKey: Record<string, unknown> | undefined;
    do {
      beforeRead(until);
      const page = await this.store.query({
        KeyConditionExpression: condition,
        ExpressionAttributeValues: { ':pk': this.totals.totalsPk(budgetId), ...values },
        ...(projection ? { ProjectionExpression: projection } : {}),
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      });
      page.items.forEach(visit);
      startKey = page.lastKey;
    } while (startKey);
  }
}

/** One figure a repair transaction sets: its attribute, its name as reported, the value read (undefined: absent) and the recounted one. */
type SetFigure = ShardRepair['figures'][number] & { figure: string };

/** The numeric attributes of a totals item that `keep` names. */
function figuresOf(item: Item, keep: (name: string) => boolean): Record<string, number> {
  return Object.fromEntries(Object.entries(item).filter((e): e is [string, number] => typeof e[1] === 'number' && keep(e[0])));
}

/** What an expense item adds to the totals: contributionOf (the writes' own rule) of its stored fields. */
function contributionOfItem(item: Item): Contribution {
  const splits = splitsOf(item);
  return contributionOf({
    amount: Number(item.amount),
    categoryId: typeof item.categoryId === 'string' ? item.categoryId : null,
    occurredOn: String(item.occurredOn),
    ...(splits ? { splits } : {}),
    ...refundField(item[REFUND_ATTRIBUTE] === true),
  });
}
