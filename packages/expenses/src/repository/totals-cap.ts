import { ProblemError, conditionFailedAt, PLATFORM_PROBLEMS } from '@budgeting/platform';

/**
 * The largest running figure a totals item may hold: 2^53 - 1 minor units, the largest
 * integer a JavaScript number holds exactly. DynamoDB would store more (38 digits), but the
 * DocumentClient could no longer read such an item back as a number, so every summary and
 * report of the budget would fail. The write that would pass it is refused instead.
 */
export const MAX_EXACT_TOTAL = Number.MAX_SAFE_INTEGER;

/**
 * The ConditionExpression that keeps a totals item's figures within ±MAX_EXACT_TOTAL after
 * its `ADD`, for the month-level `total` at `name` (an ExpressionAttributeNames placeholder)
 * moving by `delta`; undefined when nothing needs checking.
 *
 * One comparison is enough, on the hot path of every create. Every amount (and every split
 * part) is greater than 0, so every figure of an item (a day's, a category's, uncategorized)
 * is the sum of some of the contributions its month `total` sums: 0 <= figure <= total. So
 * only `total` can reach the limit first, and only when it grows; a write that lowers it
 * (a delete, a smaller amount, a move to another month) or leaves it (a new category or day
 * in the same month) cannot take any figure past it, and carries no condition. An absent
 * `total` (the month's first expense in the shard) starts at 0.
 *
 * Refunds (packages/expenses/docs/expense-fields.md "Refunds") add negative contributions, so in principle a category's figure
 * can pass its month's `total` by what refunds took off other categories (150.00 in one,
 * -100.00 in another: total 50.00). Reaching the limit that way would take some 9 x 10^15
 * minor units of purchases in one month and shard; it is left unchecked, as noted there.
 */
export function totalsCapCondition(name: string, delta: number | undefined): { ConditionExpression: string; cap: number } | undefined {
  if (delta === undefined || delta <= 0) return undefined;
  return { ConditionExpression: `attribute_not_exists(${name}) OR ${name} <= :cap`, cap: MAX_EXACT_TOTAL - delta };
}

/**
 * A write refused because it would take its month's running totals past MAX_EXACT_TOTAL:
 * nothing of it was written (the condition is on the write's own transaction). A 409 like
 * the API's other limits (a budget's 500 recurring expenses, 100 rules), naming `amount`.
 * The jobs recognise it by class: the CSV import reports the row, the recurring job skips
 * the occurrence, an offline push answers that mutation with it.
 */
export class TotalsLimitError extends ProblemError {
  constructor(readonly month: string) {
    const detail = `The running totals of ${month} would pass the largest exact amount, ${MAX_EXACT_TOTAL} minor units; nothing was recorded.`;
    super(PLATFORM_PROBLEMS['conflict'], detail, {
      errors: [{ path: 'amount', message: `Would take the totals of ${month} past ${MAX_EXACT_TOTAL} minor units` }],
    });
    this.name = 'TotalsLimitError';
  }
}

/**
 * After a transaction failed: the TotalsLimitError to throw when the condition of one of its
 * totals updates (`months[i]` at index `start + i`) failed, else undefined.
 */
export function totalsLimitOf(err: unknown, start: number, months: string[]): TotalsLimitError | undefined {
  const failed = months.findIndex((_, i) => conditionFailedAt(err, start + i));
  return failed >= 0 ? new TotalsLimitError(months[failed]!) : undefined;
}
