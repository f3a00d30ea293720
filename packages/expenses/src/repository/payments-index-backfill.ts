import { isConditionFailed, type ModuleStore } from '@budgeting/platform';
import { expenseKeys, type ExpenseKeys } from './keys';

/** Index entries of a budget's date index (gsi1) read per page (one unit of the job) while looking for unindexed payments. */
export const PAYMENTS_BACKFILL_PAGE = 500;

/**
 * Puts the payments index entry (gsi4, keys.ts) on the expenses a recurring expense recorded
 * before the index existed (2026-12-04): their item has `recurringExpenseId` and no gsi4pk, so
 * GET .../expenses?recurringExpenseId= does not find them. Every write since sets the entry
 * with the link (expense-item.ts toItem), so only those old items are missing.
 *
 * One page of the budget's date index (gsi1) newest first, filtered to the items that need the
 * entry (every expense of the page is still read: about 0.04 RRU each), and ONE UpdateItem per
 * item found, `SET gsi4pk = <the bill's partition>, gsi4sk = gsi1sk` (the same date ordering),
 * conditioned on the item still being an expense of that link without an entry: a concurrent
 * delete (or a write that already put the entry) wins and the update is skipped. So a second
 * run, or one alongside live traffic, changes nothing more. Nothing else of the item changes
 * (no version, no event, no change-log entry: an index attribute is not part of the expense).
 */
export class PaymentsIndexBackfill {
  private readonly keys: ExpenseKeys;

  constructor(
    private readonly store: ModuleStore,
    private readonly pageSize = PAYMENTS_BACKFILL_PAGE,
  ) {
    this.keys = expenseKeys(store);
  }

  /**
   * Indexes the unindexed payments of one page of a budget's expenses from `after` (a gsi1
   * position; the start without it): `indexed` added, and the position of the next page unless
   * this was the last.
   */
  async indexPage(budgetId: string, after: Record<string, unknown> | undefined): Promise<{ indexed: number; after?: Record<string, unknown> }> {
    const { items, lastKey } = await this.store.query<{ pk: string; sk: string; recurringExpenseId: string }>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: 'attribute_exists(#link) AND attribute_not_exists(#gsi4pk)',
      ExpressionAttributeNames: { '#link': 'recurringExpenseId', '#gsi4pk': 'gsi4pk' },
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId) },
      ProjectionExpression: 'pk, sk, #link',
      ScanIndexForward: false,
      Limit: this.pageSize,
      ExclusiveStartKey: after,
    });
    let indexed = 0;
    for (const item of items) {
      if (typeof item.recurringExpenseId !== 'string') continue;
      if (await this.index(budgetId, { pk: item.pk, sk: item.sk }, item.recurringExpenseId)) indexed++;
    }
    return { indexed, ...(lastKey ? { after: lastKey } : {}) };
  }

  /** One item's entry; false when it no longer needs one (deleted, or indexed meanwhile). */
  private async index(budgetId: string, key: { pk: string; sk: string }, recurringExpenseId: string): Promise<boolean> {
    try {
      await this.store.update({
        Key: key,
        UpdateExpression: 'SET #gsi4pk = :paymentsPk, #gsi4sk = #gsi1sk',
        ConditionExpression: '#link = :link AND attribute_not_exists(#gsi4pk) AND #kind = :expense AND attribute_exists(#gsi1sk)',
        ExpressionAttributeNames: { '#gsi4pk': 'gsi4pk', '#gsi4sk': 'gsi4sk', '#gsi1sk': 'gsi1sk', '#link': 'recurringExpenseId', '#kind': 'kind' },
        ExpressionAttributeValues: { ':paymentsPk': this.keys.paymentsPk(budgetId, recurringExpenseId), ':link': recurringExpenseId, ':expense': 'expense' },
      });
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
