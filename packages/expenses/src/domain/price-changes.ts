import { searchKey } from '@budgeting/platform';
import type { Expense, RecurringExpense } from '../model';
import { isRefund } from './refunds';

/**
 * "Your Netflix went up from 15.49 to 17.99" (as Rocket Money and Copilot say it): a recurring
 * definition whose merchant is now paid at another amount than the definition records. Pure;
 * the service reads the definitions and the window's expenses (packages/expenses/docs/recurring.md, "Price changes").
 *
 * The rule, per active definition with a merchant (an ended one is left out, a paused one kept: the
 * price matters when it resumes), over the budget's expenses of the window whose merchant folds
 * (platform searchKey: case, accents, ß, as the bill finder and the merchant rename fold) to the
 * definition's:
 * 1. Recorded occurrences are left out (`recordOf`): the occurrences a definition recorded carry
 *    its amount at the time, and would otherwise hide the bank's rows between them. An expense
 *    linked to a definition (`recurringExpenseId`) is that definition's record: this one's own,
 *    or ANOTHER's (never a payment of this one). An expense without the link that has the shape
 *    of this definition's records (`isOwnRecord`) is taken as one of its records from before the
 *    link existed.
 * 2. So are the payments at the amount of ANOTHER active definition of the same merchant (two
 *    Netflix profiles, 15.49 and 7.99: each amount is taken as its own definition's), unless it is
 *    this definition's amount too.
 * 3. What remains are the merchant's payments (bank rows, manual entries). The latest of them (by
 *    date, then creation time, then id) gives the new amount when it differs from the definition's,
 *    AND that very amount was paid at least PRICE_CHANGE_MIN_SEEN times since the last payment at
 *    the definition's amount (in the whole window when none). A one-off (a partial refund booked
 *    as a small charge, an extra purchase) is seen once: not flagged; a price change is flagged
 *    from its second charge on, and no longer once a payment at the definition's amount follows.
 */
export const PRICE_CHANGE_MIN_SEEN = 2;
/** How many days back the expenses are read by default (today included), and the bounds of `?days=`. */
export const PRICE_CHANGE_DEFAULT_DAYS = 120;
export const PRICE_CHANGE_MIN_DAYS = 30;
export const PRICE_CHANGE_MAX_DAYS = 366;

export interface PriceChange {
  recurringExpenseId: string;
  merchant: string;
  currentAmount: number;
  newAmount: number;
  /** newAmount - currentAmount, minor units. */
  change: number;
  /** change / currentAmount in percent, one decimal, rounded half away from zero (changePercentOf). */
  changePercent: number;
  /** The latest payment's date and id. */
  seenOn: string;
  expenseId: string;
  /**
   * The PATCH body that applies the new price; absent for a split definition (its parts must be
   * given with the amount) and for one shared by exact amounts (its `sharedAmounts` must add up to
   * the new amount: a PATCH of `amount` alone is a 400, never rescaled).
   */
  update?: { amount: number };
}

/**
 * Whether `e` is a recorded occurrence to leave out of `d`'s payments: linked to a definition
 * (`d` or another: either way no payment of `d`'s), or, without a link, of `d`'s own shape
 * (isOwnRecord). An expense linked to another definition of the same merchant is that one's.
 */
export function recordOf(e: Pick<Expense, 'recurringExpenseId' | 'merchant' | 'description' | 'createdBy' | 'reviewed'>, d: Pick<RecurringExpense, 'merchant' | 'description' | 'createdBy'>): boolean {
  return e.recurringExpenseId !== undefined || isOwnRecord(e, d);
}

/**
 * Whether `e`, an expense WITHOUT a link (`recurringExpenseId`: recorded before the link existed,
 * 2026-12-04), is a record of `d`'s own, known by its shape (reading the occurrence markers
 * would cost a read per occurrence): exactly
 * what the job writes (service/occurrence-expense.ts) whatever its amount: the definition's
 * merchant and description as typed, its creator's, reviewed. A bank row is unreviewed and
 * spelled the bank's way; a manual entry by the creator typed exactly as the definition is
 * taken as one of its records (documented).
 */
export function isOwnRecord(e: Pick<Expense, 'merchant' | 'description' | 'createdBy' | 'reviewed'>, d: Pick<RecurringExpense, 'merchant' | 'description' | 'createdBy'>): boolean {
  return e.reviewed && e.createdBy === d.createdBy && e.merchant === d.merchant && e.description === d.description;
}

/** Whether `d` can still record: paused (it is meant to resume) or with a next occurrence on or after `today` (not ended). */
export function notEnded(d: Pick<RecurringExpense, 'paused' | 'nextOccurrenceOn' | 'schedule'>, today: string): boolean {
  if (d.schedule.endsOn !== undefined && d.schedule.endsOn < today) return false;
  return d.paused || d.nextOccurrenceOn !== null;
}

/**
 * change / current in percent with one decimal, rounded half away from zero, in integer
 * arithmetic on tenths of a percent: 250 / 1,549 = 16.139...% -> 16.1; 1 / 8 = 12.5%; -1 / 16 = -6.25% -> -6.3.
 */
export function changePercentOf(change: number, current: number): number {
  const sign = change < 0 ? -1n : 1n;
  const scaled = BigInt(Math.abs(change)) * 1000n;
  const divisor = BigInt(current);
  const tenths = scaled / divisor + (2n * (scaled % divisor) >= divisor ? 1n : 0n);
  return Number(sign * tenths) / 10;
}

/** The price changes among `definitions` seen in `expenses` (any order; the window's, up to today), largest increase first, then by id. */
export function findPriceChanges(definitions: readonly RecurringExpense[], expenses: readonly Expense[], today: string): PriceChange[] {
  const active = definitions.filter((d) => d.merchant !== undefined && searchKey(d.merchant) !== '' && notEnded(d, today));
  const byMerchant = new Map<string, Expense[]>();
  for (const e of expenses) {
    // A refund is money back, not a payment at a price (domain/refunds.ts): never a price change.
    if (e.merchant === undefined || e.occurredOn > today || isRefund(e)) continue;
    const key = searchKey(e.merchant);
    const group = byMerchant.get(key);
    if (group) group.push(e);
    else byMerchant.set(key, [e]);
  }
  const items: PriceChange[] = [];
  for (const d of active) {
    const key = searchKey(d.merchant!);
    const others = new Set(active.filter((o) => o.id !== d.id && searchKey(o.merchant!) === key).map((o) => o.amount));
    const payments = (byMerchant.get(key) ?? []).filter((e) => !recordOf(e, d) && (e.amount === d.amount || !others.has(e.amount)));
    const found = priceChangeOf(d, payments);
    if (found) items.push(found);
  }
  return items.sort((a, b) => (a.change !== b.change ? b.change - a.change : a.recurringExpenseId < b.recurringExpenseId ? -1 : 1));
}

function priceChangeOf(d: RecurringExpense, payments: Expense[]): PriceChange | undefined {
  const sorted = [...payments].sort(byTime);
  const latest = sorted[sorted.length - 1];
  if (latest === undefined || latest.amount === d.amount) return undefined;
  const lastAtCurrent = sorted.map((e) => e.amount).lastIndexOf(d.amount);
  const seen = sorted.slice(lastAtCurrent + 1).filter((e) => e.amount === latest.amount).length;
  if (seen < PRICE_CHANGE_MIN_SEEN) return undefined;
  const change = latest.amount - d.amount;
  return {
    recurringExpenseId: d.id,
    merchant: d.merchant!,
    currentAmount: d.amount,
    newAmount: latest.amount,
    change,
    changePercent: changePercentOf(change, d.amount),
    seenOn: latest.occurredOn,
    expenseId: latest.id,
    // `{amount}` alone is refused for either (a 400 naming splits / sharedAmounts): the user says who pays what.
    ...(d.splits || d.sharedAmounts ? {} : { update: { amount: latest.amount } }),
  };
}

/** Oldest first: by date, then by creation time, then by id. */
function byTime(a: Expense, b: Expense): number {
  if (a.occurredOn !== b.occurredOn) return a.occurredOn < b.occurredOn ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
