import type { Item, ModuleStore } from '@budgeting/platform';
import type { Expense } from '../model';
import { DeletedCopies, type Deletion } from './deleted-copies';
import { expenseKeys } from './keys';

export { RESTORE_WINDOW_SECONDS } from './deleted-copies';

/**
 * What a deleted expense leaves for undo (POST .../expenses/{expenseId}/restore): a
 * DeletedCopies item (deleted-copies.ts) in the budget's expense partition (keys.ts, "Deleted
 * expense"), written by the delete's own transaction (ExpensesRepository.remove) and removed by
 * the restore's. It holds the expense's full stored content (splits and foreign amounts
 * included), the Idempotency-Key record the expense item held (so a restored expense still
 * replays its create's answer), who deleted it and when, and its TTL.
 *
 * Not kept: the expense's list index entries (gsi1/gsi2 of an expense, gsi3, the review
 * inbox's, and gsi4, a bill's payments: a deleted expense is in no expense list, inbox or
 * payment history; a restore writes the item again, with its gsi3 entry if it still needs
 * review and its gsi4 entry if a recurring expense recorded it) and its attachments (deleted
 * with their files by the expense.deleted cascade).
 */
export const DELETED_KIND = 'expense-deleted';

export interface DeletedExpense extends Deletion {
  expense: Expense;
}

export class DeletedExpenses extends DeletedCopies<DeletedExpense> {
  constructor(
    store: ModuleStore,
    /** The expense item's reader (expense-item.ts toExpense, which also keeps the held Idempotency-Key record): the copy is read the same way. */
    read: (item: Item) => Expense,
  ) {
    const keys = expenseKeys(store);
    super({ budgetPk: keys.budgetPk, copySk: keys.deletedSk, listPk: keys.deletedListPk, listSk: keys.deletedListSk }, DELETED_KIND, store, (item, deletion) => ({ expense: read(item), ...deletion }));
  }
}
