import { isConditionFailed, type ModuleStore } from '@budgeting/platform';
import type { BudgetItem } from './items';
import type { BudgetsKeys } from './keys';

/** Reads and conditional writes per budget before giving up (each failure means a PATCH landed in between). */
const ATTEMPTS = 5;

/**
 * Puts `categoryIds` on a budget item written before it existed (2026-11-30) and not PATCHed
 * since: the ids of the item's own categories, in their order, as BudgetsRepository.create and
 * updateSettings write them. Without it the item's categories check lets through whatever a
 * write names (BudgetsRepository.categoriesCheck), and its one-round-trip create refuses every
 * categorized expense, which then takes the read-first path (writeChecks).
 *
 * One strongly consistent GetItem; an item that has the ids (or is gone) is left alone, so a
 * second run writes nothing. Otherwise ONE UpdateItem `SET categoryIds`, conditioned on the item
 * still being at the version read and still without ids: a PATCH in between (which rewrites the
 * categories and the ids itself) wins, and the item is read again, found done. The version,
 * `updatedAt` and events do not move: the ids are derived from the categories, not a setting.
 */
export class CategoryIdsBackfill {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  /** 'filled': the ids written; 'had': already there (or a PATCH wrote them); 'gone': no such budget. */
  async fill(budgetId: string): Promise<'filled' | 'had' | 'gone'> {
    for (let attempt = 1; ; attempt++) {
      const item = await this.store.get<BudgetItem>({ Key: this.keys.budget(budgetId), ConsistentRead: true });
      if (!item) return 'gone';
      if (item.categoryIds !== undefined) return 'had';
      try {
        await this.store.update({
          Key: this.keys.budget(budgetId),
          UpdateExpression: 'SET #categoryIds = :categoryIds',
          ConditionExpression: '#version = :version AND attribute_not_exists(#categoryIds)',
          ExpressionAttributeNames: { '#categoryIds': 'categoryIds', '#version': 'version' },
          ExpressionAttributeValues: { ':categoryIds': item.categories.map((c) => c.id), ':version': item.version },
        });
        return 'filled';
      } catch (err) {
        if (!isConditionFailed(err) || attempt >= ATTEMPTS) throw err;
      }
    }
  }
}
