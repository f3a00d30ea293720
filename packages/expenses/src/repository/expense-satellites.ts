import type { Key, ModuleStore } from '@budgeting/platform';
import type { CreateCheck } from './capped-collection';
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
     * to it, and every one while the expense is still not live. Why not the instant alone: a
     * member's `createdAt` is read from its writer's clock before its transaction and the
     * deletion's instant before the deletion's, so one that committed just before the deletion
     * can carry a later instant (another Lambda's clock, or the deletion's stamp read first) and
     * was kept on the deleted expense. While the expense is not live, none can have been made
     * since its deletion (every create checks it is: liveCheck), so all are the deletion's (or a
     * later deletion's, whose cascade would take them too). Once it is restored, those made after
     * the instant stay as the restored expense's, and so does one made in that window (the clocks
     * cannot tell them apart; the expense is rarely restored before its cascade runs, seconds after).
     * The expense is read only when a member is later than the instant: most cascades cost no read more.
     */
    async ofDeletion<T extends { createdAt: string }>(members: T[], budgetId: string, expenseId: string, deletedAt: string): Promise<T[]> {
      const madeBefore = members.filter((m) => m.createdAt <= deletedAt);
      if (madeBefore.length === members.length || (await isLive(budgetId, expenseId))) return madeBefore;
      return members;
    },
  };
}
