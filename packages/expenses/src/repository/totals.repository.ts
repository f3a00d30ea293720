import type { Item, ModuleStore } from '@budgeting/platform';
import type { DateRange, DayFigure, DaySpending, SpendingTotals, TotalsAndDays } from '@budgeting/budgets';
import { monthOfTotalsSk, totalsKeys, type TotalsKeys } from './keys';
import { planTotals, type TotalsPlan } from './totals-plan';
import { TOTAL_ATTRIBUTE, parseTotalsAttribute, type TotalsAttribute } from './totals-attributes';
import { totalsCapCondition } from './totals-cap';
import { INCOME_ATTRIBUTE } from './income-attribute';
import { TOTALS_SHARDS, type BucketDelta } from './totals-deltas';

/**
 * The running totals: one item per (month, totals shard) in one partition per budget, holding
 * the month's figures and each day's (totals-attributes.ts), moved with ADD inside the same
 * transaction as every expense write.
 *
 * Item size, and what a write costs. Per shard, an item holds one number per (day x figure)
 * with spending plus the month's figures: a day-category name `d05_c_<26-char id>` is 32 bytes
 * and its number 1 byte per 2 digits + 1. Bounded by 31 days x (50 categories, budgets'
 * MAX_CATEGORIES, + total + uncategorized); a category removed from the budget keeps its
 * figures in the months it had spending. Computed by DynamoDB's size rules (bench/totals-item-size.ts;
 * packages/expenses/docs/storage-and-totals.md, "Running totals"): a typical budget's item (60 expenses a month in 6 categories: ~15 per
 * shard on ~12 days) is 835 bytes, 1 write unit per ADD where the old day and month items cost
 * 2; a busy one (600 a month, 20 categories) 6.3 KB, 7 units against 2; the worst case (every
 * day x every category, 15-digit sums) 66.9 KB, 66 units against 4 (all doubled inside a
 * transaction). Reads grow the same way (4 KB per strongly consistent read unit).
 */
export class TotalsRepository {
  private readonly keys: TotalsKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = totalsKeys(store);
  }

  /**
   * One `Update ... ADD` transaction item per bucket delta (to join an expense write), in the
   * deltas' order. One that grows the month's `total` is conditioned on keeping it within
   * MAX_EXACT_TOTAL (totalsCapCondition: one comparison); when that fails the writer throws
   * TotalsLimitError (totalsLimitOf).
   */
  updateItems(budgetId: string, deltas: BucketDelta[]) {
    return deltas.map(({ bucket, deltas: attrs }) => {
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      let cap: ReturnType<typeof totalsCapCondition>;
      const adds = Object.entries(attrs).map(([attribute, amount], i) => {
        names[`#a${i}`] = attribute;
        values[`:a${i}`] = amount;
        if (attribute === TOTAL_ATTRIBUTE) cap = totalsCapCondition(`#a${i}`, amount);
        return `#a${i} :a${i}`;
      });
      if (cap) values[':cap'] = cap.cap;
      return {
        Update: {
          Key: { pk: this.keys.totalsPk(budgetId), sk: this.keys.monthSk(bucket.month, bucket.shard) },
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ...(cap ? { ConditionExpression: cap.ConditionExpression } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });
  }

  /**
   * Spending in [from, to]: ONE strongly consistent Query (paginated) of the month items of
   * monthOf(from)..monthOf(to): whole months from their month-level figures, the months cut
   * by either end from the day figures inside the range (see planTotals).
   */
  async between(budgetId: string, from: string, to: string): Promise<SpendingTotals> {
    const [totals] = await this.betweenEach(budgetId, [{ from, to }]);
    return totals!;
  }

  /**
   * Spending in each of `ranges` (answers in the same order) from ONE strongly consistent
   * Query (paginated) of the month items from the earliest range's first month to the latest
   * range's last month: each range is computed as `between` computes it, from the same items.
   * For adjacent ranges (the summary's period and everything before it) that is one request
   * where one per range read their common month twice; for ranges far apart it also reads the
   * months between them. Empty ranges (from after to) answer zero and widen nothing.
   */
  async betweenEach(budgetId: string, ranges: DateRange[]): Promise<SpendingTotals[]> {
    return (await this.betweenEachAndDays(budgetId, ranges, null)).totals;
  }

  /**
   * betweenEach, plus the spending per day in `days` (all shards summed, days without
   * spending left out, in date order) from the day figures of the same Query's items: `days`
   * widens the months read like one more range. Null or empty `days`: no day figures. With
   * `of`, each day's figure of that category (null: uncategorized, with `keptCategories` also
   * every category not listed) instead of its total.
   */
  async betweenEachAndDays(budgetId: string, ranges: DateRange[], days: DateRange | null, of?: DayFigure): Promise<TotalsAndDays> {
    const { totals, days: byDay } = await this.betweenEachDaysAndMonths(budgetId, ranges, days, null, of);
    return { totals, days: byDay };
  }

  /**
   * betweenEachAndDays, plus each month's income and spending in [months.from, months.to]
   * (YYYY-MM) as cashFlowMonths gives them, from the SAME one Query: the income total items sit
   * among the month items that Query reads anyway (keys.ts incomeMonthSk), and `months` widens
   * it like one more range. For the year in review and the period report (CashFlowSpendingPort).
   */
  async betweenEachDaysAndMonths(
    budgetId: string,
    ranges: DateRange[],
    days: DateRange | null,
    months: { from: string; to: string } | null,
    of?: DayFigure,
  ): Promise<TotalsAndDays & { months: Map<string, { income: bigint; spent: bigint }> }> {
    const plans = ranges.map(({ from, to }) => planTotals(from, to));
    const dayPlan = days ? planTotals(days.from, days.to) : null;
    const spans = [...plans, dayPlan].flatMap((plan) => (plan ? [plan.months] : []));
    if (months && months.from <= months.to) spans.push(months);
    const span = spans.reduce<{ from: string; to: string } | null>((acc, m) => {
      if (!acc) return { ...m };
      return { from: m.from < acc.from ? m.from : acc.from, to: m.to > acc.to ? m.to : acc.to };
    }, null);
    if (!span) return { totals: plans.map(() => emptyTotals()), days: [], months: new Map() };
    const items = await this.queryMonths(budgetId, span.from, span.to);
    return {
      totals: plans.map((plan) => (plan ? totalsOfPlan(items, plan) : emptyTotals())),
      days: days && dayPlan ? spendingByDay(items, days, of) : [],
      months: months ? this.incomeAndSpendingOf(items, months.from, months.to) : new Map(),
    };
  }

  /**
   * Spending in one calendar month from its month items read by key: one strongly
   * consistent BatchGetItem of TOTALS_SHARDS keys (the same items the Query of `between`
   * reads), so a caller can merge it with other key reads (the threshold check reads the
   * budget in the same request). Month-level figures only.
   */
  async monthByKey(budgetId: string, month: string): Promise<SpendingTotals> {
    const keys = Array.from({ length: TOTALS_SHARDS }, (_, shard) => ({ pk: this.keys.totalsPk(budgetId), sk: this.keys.monthSk(month, shard) }));
    return sumBuckets(await this.store.batchGet(keys, true));
  }

  /**
   * Each month's income and spending (month-level `total`, refunds lowering it) in
   * [fromMonth, toMonth], from ONE strongly consistent Query (paginated) of the month items:
   * the spending shards and the month's income total item sit side by side (keys.ts
   * incomeMonthSk). Summed as BigInt: the caller decides what is exact enough to answer.
   * Months without an item answer 0 (absent from the map).
   */
  async cashFlowMonths(budgetId: string, fromMonth: string, toMonth: string): Promise<Map<string, { income: bigint; spent: bigint }>> {
    return this.incomeAndSpendingOf(await this.queryMonths(budgetId, fromMonth, toMonth), fromMonth, toMonth);
  }

  /**
   * The net spending of each day in [from, to] (all shards' `d<DD>_total` summed as BigInt,
   * refunds lowering it; days netting to zero left out): ONE strongly consistent Query
   * (paginated) of the month items of those months, as cashFlowMonths (Age of Money).
   */
  async spendingPerDay(budgetId: string, from: string, to: string): Promise<Map<string, bigint>> {
    const days = new Map<string, bigint>();
    for (const item of await this.queryMonths(budgetId, from.slice(0, 7), to.slice(0, 7))) {
      const month = monthOfTotalsSk(String(item.sk));
      for (const [name, value] of Object.entries(item)) {
        if (typeof value !== 'number') continue;
        const attribute = parseTotalsAttribute(name);
        if (!attribute || attribute.day === null || attribute.figure.kind !== 'total') continue;
        const date = `${month}-${String(attribute.day).padStart(2, '0')}`;
        if (date >= from && date <= to) days.set(date, (days.get(date) ?? 0n) + BigInt(value));
      }
    }
    for (const [date, net] of days) if (net === 0n) days.delete(date);
    return days;
  }

  /** Each month's income (its income total item) and spending (its shards' month-level `total`) of month items, the months in [fromMonth, toMonth] only. */
  private incomeAndSpendingOf(items: Item[], fromMonth: string, toMonth: string): Map<string, { income: bigint; spent: bigint }> {
    const months = new Map<string, { income: bigint; spent: bigint }>();
    for (const item of items) {
      const month = monthOfTotalsSk(String(item.sk));
      if (month < fromMonth || month > toMonth) continue;
      const figures = months.get(month) ?? { income: 0n, spent: 0n };
      if (String(item.sk) === this.keys.incomeMonthSk(month)) {
        if (typeof item[INCOME_ATTRIBUTE] === 'number') figures.income += BigInt(item[INCOME_ATTRIBUTE]);
      } else if (typeof item[TOTAL_ATTRIBUTE] === 'number') {
        figures.spent += BigInt(item[TOTAL_ATTRIBUTE]);
      }
      months.set(month, figures);
    }
    return months;
  }

  /**
   * Whether the budget holds any month item (spending or income) before `month`: Age of Money
   * asks whether its whole history lies in its window. One Query of at most one item,
   * eventually consistent (0.5 RCU): a month item is written with the first expense or income of
   * its month and kept, so a write of a moment ago in an old month is the only thing it can miss.
   */
  async anyMonthBefore(budgetId: string, month: string): Promise<boolean> {
    const range = this.keys.monthsBefore(month);
    const read = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.totalsPk(budgetId), ':lo': range.lo, ':hi': range.hi },
      Limit: 1,
    });
    return read.items.length > 0;
  }

  private queryMonths(budgetId: string, fromMonth: string, toMonth: string) {
    const range = this.keys.monthRange(fromMonth, toMonth);
    return this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.totalsPk(budgetId), ':lo': range.lo, ':hi': range.hi },
      // Read-after-write: a summary right after a write must include it.
      ConsistentRead: true,
    });
  }
}

/** The month-level figures of month items, summed (their day figures are not counted). */
export function sumBuckets(buckets: Item[]): SpendingTotals {
  const sums = emptySums();
  for (const bucket of buckets) addFigures(sums, bucket, (a) => a.day === null);
  return totalsOfSums(sums);
}

/** One range's spending from the month items read for it (and maybe more): see planTotals. */
function totalsOfPlan(items: Item[], plan: TotalsPlan): SpendingTotals {
  const sums = emptySums();
  for (const item of items) {
    const month = monthOfTotalsSk(String(item.sk));
    if (month < plan.months.from || month > plan.months.to) continue;
    const part = plan.partOf(month);
    addFigures(sums, item, (a) => (part.whole ? a.day === null : a.day !== null && a.day >= part.fromDay && a.day <= part.toDay));
  }
  return totalsOfSums(sums);
}

/** The day totals in [from, to] of month items (all shards summed), days netting to zero left out, in date order. */
function spendingByDay(items: Item[], { from, to }: DateRange, of?: DayFigure): DaySpending[] {
  const kept = of?.categoryId === null && of.keptCategories ? new Set(of.keptCategories) : null;
  const wanted = (figure: TotalsAttribute['figure']): boolean => {
    if (!of) return figure.kind === 'total';
    if (of.categoryId === null) return figure.kind === 'uncategorized' || (kept !== null && figure.kind === 'category' && !kept.has(figure.categoryId));
    return figure.kind === 'category' && figure.categoryId === of.categoryId;
  };
  const days = new Map<string, bigint>();
  for (const item of items) {
    const month = monthOfTotalsSk(String(item.sk));
    for (const [name, value] of Object.entries(item)) {
      if (typeof value !== 'number') continue;
      const attribute = parseTotalsAttribute(name);
      if (!attribute || attribute.day === null || !wanted(attribute.figure)) continue;
      const date = `${month}-${String(attribute.day).padStart(2, '0')}`;
      if (date < from || date > to) continue;
      days.set(date, (days.get(date) ?? 0n) + BigInt(value));
    }
  }
  return [...days]
    .filter(([, total]) => total !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, total]) => ({ date, total: Number(total) }));
}

/**
 * Figures being summed over months and shards, in BigInt: each stored figure is within
 * 2^53 - 1, not their sum, and refunds make a running sum go up and come back (2^53 - 1 in one
 * shard, 2 in another and -5 in a third read 2^53 - 5 in doubles where 2^53 - 4 was spent,
 * which looks exact). Handed on as numbers (totalsOfSums): exact up to 2^53 - 1, past it not a
 * safe integer, which every reader checks.
 */
interface Sums {
  total: bigint;
  uncategorized: bigint;
  byCategory: Map<string, bigint>;
}

const emptySums = (): Sums => ({ total: 0n, uncategorized: 0n, byCategory: new Map() });
const emptyTotals = (): SpendingTotals => ({ total: 0, byCategory: {}, uncategorized: 0 });

function addFigures(sums: Sums, item: Item, counts: (a: TotalsAttribute) => boolean): void {
  for (const [name, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    const attribute = parseTotalsAttribute(name);
    if (!attribute || !counts(attribute)) continue;
    const { figure } = attribute;
    if (figure.kind === 'total') sums.total += BigInt(value);
    else if (figure.kind === 'uncategorized') sums.uncategorized += BigInt(value);
    else sums.byCategory.set(figure.categoryId, (sums.byCategory.get(figure.categoryId) ?? 0n) + BigInt(value));
  }
}

/** The sums as SpendingTotals; a category whose expenses all moved away nets to zero: not worth reporting. */
function totalsOfSums(sums: Sums): SpendingTotals {
  const byCategory: Record<string, number> = {};
  for (const [categoryId, value] of sums.byCategory) if (value !== 0n) byCategory[categoryId] = Number(value);
  return { total: Number(sums.total), byCategory, uncategorized: Number(sums.uncategorized) };
}
