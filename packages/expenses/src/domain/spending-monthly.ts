import { isExactMinor, searchKey } from '@budgeting/platform';
import { monthsBetween } from './cash-flow';
import { monthOf } from './dates';
import { mostFrequentSpelling } from './merchants';

/**
 * One merchant's (or tag's) spending month by month (GET /v1/budgets/{budgetId}/spending/monthly,
 * as Copilot's and Monarch's merchant pages, YNAB's spending trends by payee, Firefly III's tag
 * reports over time). Pure aggregation, fed a page at a time by the spending breakdown's walk
 * (service/spending-monthly.service.ts): only a figure per month and the spellings met are kept.
 *
 * Matching is the breakdown's grouping: a merchant (or one of the expense's tags) whose platform
 * `searchKey` (spacing, case, accents, ß/ss folded) equals the asked one's. A tag carried twice by
 * folding counts once; a split expense counts its whole amount once (it is one payee); a refund
 * arrives already negative (the walk's `amount` is the spending), so it lowers its month.
 */

/** The longest range, in months (the walk's bound on expenses still applies). */
export const SPENDING_MONTHLY_MAX_MONTHS = 24;
/** The range without `from`: this many months up to `to` (a year through the current month). */
export const SPENDING_MONTHLY_DEFAULT_MONTHS = 12;

export type SpendingMonthlyKind = 'merchant' | 'tag';

/** What the walk gives of one expense. */
export interface SpendingMonthlyRow {
  occurredOn: string;
  /** The spending: negative for a refund. */
  amount: number;
  merchant?: string;
  tags?: readonly string[];
}

export interface SpendingMonthlyResult {
  label: string | null;
  months: { month: string; spent: number; count: number }[];
  total: number;
  count: number;
  averagePerMonth: number;
  firstOn: string | null;
  lastOn: string | null;
}

export class SpendingMonthly {
  private readonly key: string;
  private readonly months: Map<string, { spent: number; count: number }>;
  private readonly spellings = new Map<string, number>();
  private firstOn: string | null = null;
  private lastOn: string | null = null;
  /**
   * A month's running sum left the safe integers: every later figure of it may be rounded (2^53 - 1
   * + 2 - 2 reads 2^53 - 2), so the service answers its 400 rather than trusting the total alone.
   */
  private unsafe = false;

  /** `value`: the merchant or tag asked (its searchKey must not be ""); `from`..`to`: the months answered. */
  constructor(
    private readonly kind: SpendingMonthlyKind,
    value: string,
    from: string,
    to: string,
  ) {
    this.key = searchKey(value);
    this.months = new Map(monthsBetween(from, to).map((m) => [m, { spent: 0, count: 0 }]));
  }

  add(row: SpendingMonthlyRow): void {
    const spelling = this.match(row);
    if (spelling === undefined) return;
    // The walk reads only the range's days; a row outside it is not counted rather than trusted.
    const month = this.months.get(monthOf(row.occurredOn));
    if (!month) return;
    month.spent += row.amount;
    if (!Number.isSafeInteger(month.spent)) this.unsafe = true;
    month.count += 1;
    this.spellings.set(spelling, (this.spellings.get(spelling) ?? 0) + 1);
    if (this.firstOn === null || row.occurredOn < this.firstOn) this.firstOn = row.occurredOn;
    if (this.lastOn === null || row.occurredOn > this.lastOn) this.lastOn = row.occurredOn;
  }

  /** The spelling that matched (for the label), or undefined: not this merchant or tag. */
  private match(row: SpendingMonthlyRow): string | undefined {
    if (this.kind === 'merchant') return row.merchant !== undefined && searchKey(row.merchant) === this.key ? row.merchant : undefined;
    // The first of the expense's tags that folds to the key: the expense counts once.
    return row.tags?.find((tag) => searchKey(tag) === this.key);
  }

  /** Did a month's sum (at any point of the walk) or the total pass 2^53 - 1? Then result() is not exact. */
  exceedsSafeIntegers(): boolean {
    const total = this.exactTotal();
    return this.unsafe || !isExactMinor(total);
  }

  /**
   * The months' sum in BigInt: each month is exact (or `unsafe`), but a double total can pass
   * 2^53 - 1 on the way and come back (2^53 - 1, then 2, then a refund month of -5 read
   * 2^53 - 4 where 2^53 - 3 was spent), looking exact.
   */
  private exactTotal(): bigint {
    return [...this.months.values()].reduce((s, m) => s + BigInt(m.spent), 0n);
  }

  result(): SpendingMonthlyResult {
    const months = [...this.months].map(([month, m]) => ({ month, spent: m.spent, count: m.count }));
    const total = Number(this.exactTotal());
    return {
      label: mostFrequentSpelling(this.spellings) ?? null,
      months,
      total,
      count: months.reduce((s, m) => s + m.count, 0),
      averagePerMonth: floorDivide(total, months.length),
      firstOn: this.firstOn,
      lastOn: this.lastOn,
    };
  }
}

/**
 * floor(n / d) exactly for safe integers (a float quotient near 2^53 could round up to the next
 * integer); floor, not truncation: a refunds-only range averages down (-7 / 2 -> -4).
 */
export function floorDivide(n: number, d: number): number {
  const r = n % d;
  const q = (n - r) / d;
  return r < 0 ? q - 1 : q;
}
