import type { ModuleStore } from '@budgeting/platform';
import { duplicateKeys } from './keys';
import { transactGuarded, type WriterGuard } from './writer-guard';

const DISMISSED_KIND = 'duplicate-dismissed';
/**
 * Pairs written per transaction: one place left for the request's account check that rides
 * along (ModuleStore.transactWrite), one for the writer's guard (writer-guard.ts).
 */
const PAIRS_PER_TRANSACTION = 98;

/**
 * The pairs of expenses a member marked "not duplicates" (domain/duplicates.ts), one small item
 * per pair in the budget's expense partition (keys.ts duplicateKeys): read with ONE Query of
 * their prefix, written by Put in transactions of 98 pairs (100 items with the account check
 * and the guard).
 */
export class DuplicateDismissalsRepository {
  private readonly keys: ReturnType<typeof duplicateKeys>;

  constructor(private readonly store: ModuleStore) {
    this.keys = duplicateKeys(store);
  }

  /**
   * Every dismissed pair of the budget (pair keys, domain pairKey): one Query, only the sort
   * key projected; at most the cap's items of ~200 bytes, so one page (queryAll would follow a
   * second only past 1 MB). Strongly consistent: a dismissal is gone from the next list.
   */
  async pairs(budgetId: string): Promise<Set<string>> {
    const items = await this.store.queryAll<{ sk: string }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.dismissedPrefix },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    return new Set(items.map((i) => i.sk.slice(this.keys.dismissedPrefix.length)));
  }

  /**
   * Stores `pairs` (pair keys not stored yet) as dismissed by `userId` at `at`, each transaction
   * with `guard` (WriterRefusedError when it fails: an archive committed meanwhile). In order,
   * PAIRS_PER_TRANSACTION a transaction: a failure leaves the chunks before it stored and none
   * after it (the service's dismiss: a retry completes it).
   */
  async dismiss(budgetId: string, pairs: readonly string[], userId: string, at: string, guard?: WriterGuard): Promise<void> {
    for (let start = 0; start < pairs.length; start += PAIRS_PER_TRANSACTION) {
      const chunk = pairs.slice(start, start + PAIRS_PER_TRANSACTION);
      const puts = chunk.map((pair) => ({ Put: { Item: { ...this.keys.dismissed(budgetId, pair), kind: DISMISSED_KIND, dismissedBy: userId, dismissedAt: at } } }));
      await transactGuarded(this.store, puts, guard);
    }
  }

  /** Removes `pairs` (pair keys): BatchWriteItem, 25 a request; idempotent. */
  async forget(budgetId: string, pairs: readonly string[]): Promise<void> {
    await this.store.batchDelete(pairs.map((pair) => this.keys.dismissed(budgetId, pair)));
  }
}
