import { conditionFailedAt, isConditionFailed, type ModuleStore, type TransactItem } from '@budgeting/platform';

/**
 * The budgets module's ConditionCheck on its own items (BudgetsFacade.writeChecks or
 * activeMemberCheck: the writer may still write and the budget is not archived; an import's
 * bill matches notArchivedCheck), carried by a write that takes no change number so an archive
 * committed after its access read fails it (packages/budgets/docs/budget-lifecycle.md "Archiving a budget"). Optional in
 * the repositories: writes that are not a member's (cleanups, a reader removing an abandoned
 * upload) go without it.
 */
export type WriterGuard = TransactItem;

/** The write's guard failed: nothing was written; the service re-reads access for the answer (409 budget-archived, 403, 404). */
export class WriterRefusedError extends Error {
  constructor() {
    super("The writer's access to the budget changed before the write committed");
    this.name = 'WriterRefusedError';
  }
}

/**
 * `items` plus the guard, last (so the items' own indexes stay what their callers check), in one
 * transaction. A failed guard is asked first: when the archive and an item's own condition fail
 * together, the archive is the answer (a re-read would only meet it again).
 */
export async function transactGuarded(store: ModuleStore, items: TransactItem[], guard: WriterGuard | undefined): Promise<void> {
  try {
    await store.transactWrite(guard ? [...items, guard] : items);
  } catch (err) {
    if (guard && conditionFailedAt(err, items.length)) throw new WriterRefusedError();
    throw err;
  }
}

/**
 * A single conditional Put with the guard: a Put alone without one (one request, as before), a
 * two-item transaction with one (one item more). False when the Put's own condition failed.
 */
export async function putGuarded(store: ModuleStore, put: NonNullable<TransactItem['Put']>, guard: WriterGuard | undefined): Promise<boolean> {
  try {
    if (guard) await transactGuarded(store, [{ Put: put }], guard);
    else await store.put(put);
    return true;
  } catch (err) {
    if (isConditionFailed(err) || conditionFailedAt(err, 0)) return false;
    throw err;
  }
}
