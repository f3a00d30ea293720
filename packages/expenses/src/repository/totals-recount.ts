import { monthOf } from '../domain/dates';
import type { Contribution } from '../model';
import { parseTotalsAttribute, type TotalsAttribute } from './totals-attributes';
import { bucketDeltas } from './totals-deltas';

/**
 * The running totals recounted from the expenses (and each month's income from the income
 * entries), and compared with what is stored (the
 * operator operation `expenses-totals-check`, service/totals-check.ts). Pure: the reads and
 * the repair's write are totals-check.repository.ts's.
 */

/** One month's figures per totals shard: shard -> attribute name (totals-attributes.ts) -> amount; an attribute not in the map is absent. */
export type MonthFigures = Map<number, Map<string, number>>;

/** A figure whose stored value is not the recounted one, named as the API names it; `shard` only when the month's shards sum right but differ one by one. */
export interface TotalsDifference {
  month: string;
  shard?: number;
  figure: string;
  stored: number;
  expected: number;
}

/** What the repair sets on one shard's month item: each attribute to `expected`, if it still holds `stored` (undefined: absent). */
export interface ShardRepair {
  shard: number;
  figures: { attribute: string; stored: number | undefined; expected: number }[];
}

/** The name a month's income figure is reported by (its own item, `income`, no shard: keys.ts incomeMonthSk). */
export const INCOME_FIGURE = 'income';

/** What the repair sets on a month's income item: `income` to `expected`, if it still holds `stored` (undefined: absent). */
export interface IncomeRepair {
  stored: number | undefined;
  expected: number;
}

/**
 * The expected figures, per month and shard, accumulated one expense at a time (memory grows
 * with the months and figures, never with the expenses). Each expense counts exactly as its
 * create would have added it: bucketDeltas(id, null, its contribution), the function every
 * write's deltas come from, so splits, refunds and the day figures follow the writes' rules.
 */
export class ExpectedTotals {
  readonly months = new Map<string, MonthFigures>();
  /** Each month's income: the sum of its entries' amounts by the month of `receivedOn`, as the income writes ADD them (IncomeRepository.totalUpdate). */
  readonly income = new Map<string, number>();

  /** `onlyMonth` (YYYY-MM): every other month's figures are left out. */
  constructor(private readonly onlyMonth?: string) {}

  add(expenseId: string, contribution: Contribution): void {
    for (const { bucket, deltas } of bucketDeltas(expenseId, null, contribution)) {
      if (this.onlyMonth !== undefined && bucket.month !== this.onlyMonth) continue;
      addFigures(this.months, bucket.month, bucket.shard, deltas);
    }
  }

  /** An income entry (not a deleted copy or a tombstone: those count nothing, as a DELETE took their amount out). */
  addIncome(receivedOn: string, amount: number): void {
    const month = monthOf(receivedOn);
    if (this.onlyMonth !== undefined && month !== this.onlyMonth) return;
    this.income.set(month, (this.income.get(month) ?? 0) + amount);
  }
}

/** The month's income compared: its difference (absent counts as 0, as readers take it) and the repair that makes it exact. */
export function compareIncome(month: string, stored: number | undefined, expected: number | undefined): { difference?: TotalsDifference; repair?: IncomeRepair } {
  const is = expected ?? 0;
  if ((stored ?? 0) === is) return {};
  return { difference: { month, figure: INCOME_FIGURE, stored: stored ?? 0, expected: is }, repair: { stored, expected: is } };
}

/** Adds `figures` into `into`'s month and shard (the stored side sums an old day item's in the same way). */
export function addFigures(into: Map<string, MonthFigures>, month: string, shard: number, figures: Record<string, number>): void {
  const shards = into.get(month) ?? new Map<number, Map<string, number>>();
  into.set(month, shards);
  const attrs = shards.get(shard) ?? new Map<string, number>();
  shards.set(shard, attrs);
  for (const [name, value] of Object.entries(figures)) attrs.set(name, (attrs.get(name) ?? 0) + value);
}

/**
 * The month's differences and, per shard, the repairs that make it exact. A figure whose
 * shards sum wrong is reported once, as readers see it (they sum the shards); one whose sum is
 * right but whose shards differ (two drifts cancelling out) per shard. Either way every
 * differing shard attribute is repaired.
 */
export function compareMonth(month: string, stored: MonthFigures | undefined, expected: MonthFigures | undefined): { differences: TotalsDifference[]; repairs: ShardRepair[] } {
  const shards = [...new Set([...(stored?.keys() ?? []), ...(expected?.keys() ?? [])])].sort((a, b) => a - b);
  const perShard = new Map<string, { shard: number; stored: number | undefined; expected: number }[]>();
  const repairs: ShardRepair[] = [];
  for (const shard of shards) {
    const have = stored?.get(shard) ?? new Map<string, number>();
    const want = expected?.get(shard) ?? new Map<string, number>();
    const figures: ShardRepair['figures'] = [];
    for (const attribute of sortedAttributes([...have.keys(), ...want.keys()])) {
      const was = have.get(attribute);
      const is = want.get(attribute) ?? 0;
      const rows = perShard.get(attribute) ?? [];
      perShard.set(attribute, rows);
      rows.push({ shard, stored: was, expected: is });
      if ((was ?? 0) !== is) figures.push({ attribute, stored: was, expected: is });
    }
    if (figures.length > 0) repairs.push({ shard, figures });
  }
  const differences: TotalsDifference[] = [];
  for (const attribute of sortedAttributes([...perShard.keys()])) {
    const rows = perShard.get(attribute)!;
    const figure = figureName(parseTotalsAttribute(attribute)!);
    const storedSum = rows.reduce((s, r) => s + (r.stored ?? 0), 0);
    const expectedSum = rows.reduce((s, r) => s + r.expected, 0);
    if (storedSum !== expectedSum) differences.push({ month, figure, stored: storedSum, expected: expectedSum });
    else for (const r of rows) if ((r.stored ?? 0) !== r.expected) differences.push({ month, shard: r.shard, figure, stored: r.stored ?? 0, expected: r.expected });
  }
  return { differences, repairs };
}

/** A figure as the API names it: `total`, `uncategorized`, `category <id>`, each prefixed `day DD ` for a day's. */
export function figureName({ day, figure }: TotalsAttribute): string {
  const name = figure.kind === 'category' ? `category ${figure.categoryId}` : figure.kind;
  return day === null ? name : `day ${String(day).padStart(2, '0')} ${name}`;
}

const KIND_ORDER = { total: 0, uncategorized: 1, category: 2 } as const;

/** Distinct totals attributes (anything else dropped) in report order: the month's before the days', total, uncategorized, then categories by id. */
function sortedAttributes(names: string[]): string[] {
  const keyOf = (name: string) => {
    const a = parseTotalsAttribute(name)!;
    return [a.day ?? 0, KIND_ORDER[a.figure.kind], a.figure.kind === 'category' ? a.figure.categoryId : ''] as const;
  };
  return [...new Set(names)]
    .filter((n) => parseTotalsAttribute(n) !== undefined)
    .sort((x, y) => {
      const [a, b] = [keyOf(x), keyOf(y)];
      return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    });
}
