import type { Key, ModuleStore } from '@budgeting/platform';
import { purgedByCascade, type CreateCheck } from './capped-collection';
import { expenseKeys } from './keys';

/**
 * What an expense's satellites (its receipts and its comments, each a capped collection beside
 * the expense: packages/expenses/docs/attachments-and-comments.md) know of the expense they hang
 * on: whether it is live (kind `expense`; deleted, its item is gone or a tombstone), as a
 * create's check and as a read, and which of them its deletion's cascade takes.
 */
export function expenseSatellites(store: ModuleStore) {
  const keys = expenseKeys(store);
  const expenseKey = (budgetId: string, expenseId: string): Key => ({ pk: keys.budgetPk(budgetId), sk: keys.expenseSk(expenseId) });
  const isLive = async (budgetId: string, expenseId: string): Promise<boolean> =>
    (await store.get({ Key: expenseKey(budgetId, expenseId), ConsistentRead: true, ProjectionExpression: 'kind' }))?.kind === 'expense';

  return {
    expenseKey,

    /** A create's check that the expense is live: once its deletion has committed, nothing is added to it. */
    liveCheck: (budgetId: string, expenseId: string): CreateCheck => ({
      Key: expenseKey(budgetId, expenseId),
      ConditionExpression: '#kind = :expense',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':expense': 'expense' },
    }),

    /** Whether the expense is live, strongly consistent. */
    isLive,

    /**
     * The members a deletion's cascade deletes (`deletedAt`: the deletion's instant): those made up
     * to it, and every one while the expense is still not live (purgedByCascade; the expense is
     * read only when a member is later than the instant). Restored before its cascade runs, a
     * member made in the deletion's window stays with the restored expense.
     */
    ofDeletion<T extends { createdAt: string }>(members: T[], budgetId: string, expenseId: string, deletedAt: string): Promise<T[]> {
      return purgedByCascade(members, deletedAt, () => isLive(budgetId, expenseId));
    },
  };
}
