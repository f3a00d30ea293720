import { isConditionFailed, type ModuleStore } from '@budgeting/platform';
import { expenseKeys, type ExpenseKeys } from './keys';
import { UNREVIEWED_ATTRIBUTE } from './stored-filters';

/** Index entries of a budget's date index (gsi1) read per Query while looking for unindexed ones. */
const PAGE_SIZE = 500;

/**
 * Puts the review index entry (gsi3, keys.ts) on the expenses that need review but were written
 * before the index existed (2026-12-02): their item has `unreviewed: true` and no gsi3pk, so
 * the review inbox and the overview's count do not see them. Every write since sets or drops
 * the entry with the flag (expense-item.ts toItem), so only those old items are missing.
 *
 * Walks the budget's date index (gsi1) newest first, a page at a time, filtered to the items
 * that need the entry (they are still read: one budget's expenses once, about 0.04 RRU each),
 * and adds it to each with ONE UpdateItem copying the item's own gsi1sk (`SET gsi3sk = gsi1sk`,
 * the same date ordering), conditioned on the item still needing review, being an expense and
 * having no entry: a concurrent PATCH (which rewrites the item, with or without the entry) or
 * delete wins, and the update is skipped. So a second run, or one alongside live traffic,
 * changes nothing more. Nothing else of the item changes (no version, no event, no change-log
 * entry: the index is not part of the expense).
 */
export class ReviewIndexBackfill {
  private readonly keys: ExpenseKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = expenseKeys(store);
  }

  /**
   * Indexes a budget's unindexed unreviewed expenses from `after` (a gsi1 position; the start
   * without it) until the end or `deadline` (epoch ms) has passed: `indexed` added, and the
   * position to continue from when not finished.
   */
  async indexSome(budgetId: string, after: Record<string, unknown> | undefined, deadline: number): Promise<{ indexed: number; after?: Record<string, unknown> }> {
    let startKey = after;
    let indexed = 0;
    for (;;) {
      const { items, lastKey } = await this.store.query<{ pk: string; sk: string }>({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        FilterExpression: 'attribute_exists(#unreviewed) AND attribute_not_exists(#gsi3pk)',
        ExpressionAttributeNames: { '#unreviewed': UNREVIEWED_ATTRIBUTE, '#gsi3pk': 'gsi3pk' },
        ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId) },
        ProjectionExpression: 'pk, sk',
        ScanIndexForward: false,
        Limit: PAGE_SIZE,
        ExclusiveStartKey: startKey,
      });
      for (const item of items) if (await this.index(budgetId, { pk: item.pk, sk: item.sk })) indexed++;
      startKey = lastKey;
      if (!startKey) return { indexed };
      if (Date.now() > deadline) return { indexed, after: startKey };
    }
  }

  /** One item's entry; false when it no longer needs one (reviewed, deleted, or indexed meanwhile). */
  private async index(budgetId: string, key: { pk: string; sk: string }): Promise<boolean> {
    try {
      await this.store.update({
        Key: key,
        UpdateExpression: 'SET #gsi3pk = :reviewPk, #gsi3sk = #gsi1sk',
        ConditionExpression: 'attribute_exists(#unreviewed) AND attribute_not_exists(#gsi3pk) AND #kind = :expense AND attribute_exists(#gsi1sk)',
        ExpressionAttributeNames: { '#gsi3pk': 'gsi3pk', '#gsi3sk': 'gsi3sk', '#gsi1sk': 'gsi1sk', '#unreviewed': UNREVIEWED_ATTRIBUTE, '#kind': 'kind' },
        ExpressionAttributeValues: { ':reviewPk': this.keys.reviewPk(budgetId), ':expense': 'expense' },
      });
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
