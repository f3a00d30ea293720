/**
 * Refunds (packages/expenses/docs/expense-fields.md "Refunds"): a returned purchase is an expense with `refund: true`. Its
 * `amount` stays positive (the spec's "Amount > 0"), and what it SPENDS is `-amount`: it lowers
 * its category's (or its parts' categories') spending, as YNAB's inflow to a category or
 * Monarch's refund. Every place that adds expenses up goes through spendingOf / partSpendingOf,
 * so no sum can forget the sign; the detectors that look for purchases (duplicates, price
 * changes, bills) use isRefund to keep refunds out or apart.
 */
export interface RefundFlag {
  /** Stored and sent only when true (absent: a purchase, as every expense before refunds). */
  refund?: true;
}

/** Whether the expense is a refund. */
export const isRefund = (e: RefundFlag | { refund?: boolean }): boolean => e.refund === true;

/** The expense's spending: `amount` for a purchase, `-amount` for a refund. */
export const spendingOf = (e: { amount: number } & (RefundFlag | { refund?: boolean })): number => (isRefund(e) ? -e.amount : e.amount);

/** A split part's spending in its category: the part's positive amount, negative for a refund's part. */
export const partSpendingOf = (expense: RefundFlag | { refund?: boolean }, part: { amount: number }): number =>
  isRefund(expense) ? -part.amount : part.amount;

/** The flag as stored and shown: `{ refund: true }` or nothing (false and absent are the same). */
export const refundField = (refund: boolean | undefined): RefundFlag => (refund === true ? { refund: true } : {});

/** The item attribute: `true` on a refund's item, absent on a purchase's (no bytes added to any other item). */
export const REFUND_ATTRIBUTE = 'refund';

/** A PATCH's `refund` on the expense being built: true sets it, false removes it, absent keeps it. */
export function patchRefund(next: RefundFlag, sent: boolean | undefined): void {
  if (sent === true) next.refund = true;
  else if (sent === false) delete next.refund;
}
