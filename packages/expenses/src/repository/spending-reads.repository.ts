import type { Item, ModuleStore } from '@budgeting/platform';
import { expenseKeys, type ExpenseKeys } from './keys';
import { sharedAmountsOf, sharedWithOf, splitsOf } from './attributes';
import { walkDateIndex } from './date-index-walk';
import type { SpendingRow } from '../domain/spending-breakdown';
import type { SpendingMonthlyRow } from '../domain/spending-monthly';
import { REFUND_ATTRIBUTE, partSpendingOf, refundField, spendingOf } from '../domain/refunds';
import { refundOf } from './expense-item';

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

/**
 * The reports' reads of a budget's spending in a date range, through the date index (gsi1),
 * each projecting only what its report needs: the spending breakdown's and the monthly
 * spending's rows, the merchants ranking's amounts, the settle-up's payers. Signed amounts
 * (spendingOf: a refund lowers its spending). Eventually consistent in AWS like the lists. The
 * other reads are ExpenseQueries' (expense-queries.repository.ts), the writes ExpensesRepository's.
 */
export class SpendingReads {
  private readonly keys: ExpenseKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = expenseKeys(store);
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
   * The sum of the amounts of the expenses dated in [from, to] per recorder (`createdBy`, the
   * payer) and per distinct set of people sharing them (`sharedWith`, keyed by its ids in user
   * id order; expenses without one are in no set), and per user an expense's `sharedAmounts`
   * name (`owedExactly`: the sum of their exact amounts, a refund's negative), only those
   * attributes projected: one sum per user and per set is kept (in BigInt: exact whatever the
   * running sums pass on the way), never the expenses. At most
   * `maxExpenses` + 1 read (walkDateIndex); past that, `tooMany` and no sums.
   */
  async paidByRecorder(
    budgetId: string,
    from: string,
    to: string,
    maxExpenses: number,
  ): Promise<{ paid: Record<string, number>; sharedBy: { userIds: string[]; amount: number }[]; owedExactly: Record<string, number>; examined: number; tooMany: boolean }> {
    // Summed in BigInt: refunds make a running sum go up and come back, and a double past 2^53
    // holds only even numbers (9,010 expenses of 9,999,999,999.99 and as many refunds left 7 as 8).
    // A sum that ends past 2^53 - 1 is handed on rounded: the balances' bound refuses it (400).
    const paid = new Map<string, bigint>();
    const sharedBy = new Map<string, { userIds: string[]; amount: bigint }>();
    const owedExactly = new Map<string, bigint>();
    const walk = { budgetId, from, to, attributes: ['amount', 'createdBy', 'sharedWith', 'sharedAmounts', REFUND_ATTRIBUTE], maxExpenses };
    const { examined, tooMany } = await walkDateIndex(this.store, walk, (items) => {
      for (const item of items) {
        // Signed: a refund's payer got money back (-amount), and so did each member sharing it.
        const refund = refundOf(item);
        const amount = BigInt(spendingOf({ amount: Number(item.amount), ...refund }));
        paid.set(String(item.createdBy), (paid.get(String(item.createdBy)) ?? 0n) + amount);
        const { sharedAmounts } = sharedAmountsOf(item);
        if (sharedAmounts) {
          // Each entry signed as the expense is: a refund's parts are money back too, adding up to -amount.
          for (const part of sharedAmounts) owedExactly.set(part.userId, (owedExactly.get(part.userId) ?? 0n) + BigInt(spendingOf({ amount: part.amount, ...refund })));
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
    const numbers = (sums: Map<string, bigint>) => Object.fromEntries([...sums].map(([userId, sum]) => [userId, Number(sum)]));
    return tooMany
      ? { paid: {}, sharedBy: [], owedExactly: {}, examined, tooMany }
      : {
          paid: numbers(paid),
          sharedBy: [...sharedBy.values()].map((set) => ({ userIds: set.userIds, amount: Number(set.amount) })),
          owedExactly: numbers(owedExactly),
          examined,
          tooMany,
        };
  }

  /**
   * The spending breakdown's read: amount, merchant, tags, recorder, category and split parts
   * of every expense dated in [from, to], oldest first, each page handed to `visit` and dropped, so only the caller's
   * aggregate stays in memory; at most `maxExpenses` + 1 read (walkDateIndex), past that
   * `tooMany`: the caller must not answer with the pages visited.
   */
  async spendingRows(budgetId: string, from: string, to: string, maxExpenses: number, visit: (rows: SpendingRow[]) => void): Promise<{ examined: number; tooMany: boolean }> {
    return this.rangeRows(budgetId, from, to, maxExpenses, ['amount', 'merchant', 'tags', 'createdBy', 'categoryId', 'splits', REFUND_ATTRIBUTE], toSpendingRow, visit);
  }

  /**
   * The monthly spending's read (SpendingMonthlyService): the spending breakdown's walk over a
   * range of months, with its bound, projecting the day, the amount (signed), merchant and tags.
   */
  async monthlySpendingRows(budgetId: string, from: string, to: string, maxExpenses: number, visit: (rows: SpendingMonthlyRow[]) => void): Promise<{ examined: number; tooMany: boolean }> {
    return this.rangeRows(budgetId, from, to, maxExpenses, ['occurredOn', 'amount', 'merchant', 'tags', REFUND_ATTRIBUTE], toSpendingMonthlyRow, visit);
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

}
