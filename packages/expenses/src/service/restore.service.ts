import { deferReads, keyInUse, problems, type Clock, type CursorCodec, type KeyCompletion } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { Expense } from '../model';
import type { DeletedCopies, Deletion } from '../repository/deleted-copies';
import type { DeletedExpense } from '../repository/deleted-expenses';
import type { IncomeRestoreOutcome } from '../repository/income.repository';
import type { ExpensesRepository, RestoreOutcome } from '../repository/expenses.repository';
import { authorize } from './access';
import { guardedWrite } from './guarded-write';
import { recordedEvent } from './expense-facts';

export interface RestoreServiceDeps {
  repository: ExpensesRepository;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
}

/**
 * Undo of a delete: a deleted expense's restorable copy (repository/deleted-expenses.ts, kept
 * 30 days) put back under the same id with the same content, and the list of those copies.
 * What a restore is to everyone else: a create. It moves the running totals as a create does,
 * its change-log entry makes delta sync hand the expense out again (as any written expense),
 * and its event is expense.recorded with `restoredBy` (the original `createdBy` kept), so every
 * subscriber of new expenses (thresholds, activity, webhooks) sees the spending come back.
 */
export class RestoreService {
  constructor(private readonly deps: RestoreServiceDeps) {}

  /**
   * Owners and editors. The expense comes back exactly as it was deleted (splits, tags,
   * foreign amount, createdBy, createdAt, updatedAt) at its next version, so an If-Match
   * from before the delete no longer matches; its attachments do not come back (the delete's
   * cascade removed them). 404 without a copy (never deleted, or more than 30 days ago), 409 when the
   * id is an expense (restored already, also by a concurrent restore).
   */
  async restore(budgetId: string, userId: string, expenseId: string, completeKey?: KeyCompletion<Expense>): Promise<Expense> {
    const { repository, clock } = this.deps;
    return restoreDeleted(this.deps.budgets, budgetId, userId, 'expense', {
      readCopy: () => repository.deleted.get(budgetId, expenseId, clock.now()),
      readCurrent: () => repository.get(budgetId, expenseId),
      putBack: (deleted) => this.putBack(deleted, userId, completeKey),
    });
  }

  /**
   * The restore's write, once the caller was authorized and `deleted` read: the expense back at
   * its next version in ONE transaction (totals, change log, expense.recorded with
   * `restoredBy`). Shared with the bulk edit's undo (BulkUndoService), which checks first that
   * the copy is the one its delete left. `completeKey`: a keyed restore's Idempotency-Key completed
   * with its 200 in that transaction (one item more), so a retry after a crash between the commit
   * and the answer replays it instead of answering 409.
   */
  async putBack(deleted: DeletedExpense, userId: string, completeKey?: KeyCompletion<Expense>): Promise<{ outcome: RestoreOutcome; restored: Expense }> {
    const restored = restoredExpense(deleted);
    const also = completeKey ? [completeKey.item(restored)] : [];
    // The restoring member's guard (as a PATCH's): a removal, a demotion to viewer or an archive
    // that commits between the access read and this write refuses it (guardedWrite: the precise
    // 404, 403 or 409 budget-archived, else a 409 to retry; nothing written). Without it a bulk
    // delete's undo (or a restore) by an editor removed meanwhile put the expense back after the
    // removal had answered (until feat/races7).
    const event = await recordedEvent(restored, this.deps.clock, { restoredBy: userId });
    const outcome = await guardedWrite(this.deps.budgets, deleted.expense.budgetId, userId, 'write', (guard) => this.deps.repository.restore(deleted, restored, event, guard, also));
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'restored') completeKey?.committed();
    return { outcome, restored };
  }

  /** Any member: the budget's restorable deleted expenses, newest deletion first. */
  async listDeleted(budgetId: string, userId: string, query: { limit: number; cursor?: string }) {
    return listDeletedCopies(this.deps, this.deps.repository.deleted, 'expenses-deleted', budgetId, userId, query);
  }
}

/** How a restore's write ended (ExpensesRepository.restore, IncomeRepository.restore). */
type PutBackOutcome = RestoreOutcome | IncomeRestoreOutcome;

/**
 * The restore of a deleted item (an expense, an income entry): its copy and the item read in
 * the access check's BatchGetItem (platform deferReads), owners and editors only, then
 * `putBack`'s ONE transaction. 404 without a copy (never deleted, or more than 30 days ago) or
 * when the budget's data is gone meanwhile; 409 when the id is a live item (restored already,
 * also by a concurrent restore).
 */
export async function restoreDeleted<T, D>(
  budgets: BudgetsFacade,
  budgetId: string,
  userId: string,
  what: string,
  flow: { readCopy: () => Promise<D | undefined>; readCurrent: () => Promise<T | undefined>; putBack: (deleted: D) => Promise<{ outcome: PutBackOutcome; restored: T }> },
): Promise<T> {
  const notDeleted = () => problems.conflict(`The ${what} is not deleted (restored already, or its id is in use): nothing was restored.`);
  const nothingToRestore = () => problems.notFound(`No deleted ${what} to restore (never deleted, or deleted more than 30 days ago).`);
  const read = deferReads(() => Promise.all([flow.readCopy(), flow.readCurrent()]));
  read.catch(() => undefined); // observed: authorize() may refuse before anyone awaits it
  await authorize(budgets, budgetId, userId, 'write');
  const [deleted, current] = await read;
  if (current) throw notDeleted();
  // The batch reads each item on its own: a concurrent restore may have committed between
  // the two reads (copy gone, item not there yet). Only this answer asks again.
  if (!deleted) throw (await flow.readCurrent()) ? notDeleted() : nothingToRestore();
  const { outcome, restored } = await flow.putBack(deleted);
  if (outcome === 'restored') return restored;
  if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
  if (outcome === 'exists') throw notDeleted();
  // Another restore took the copy between our read and our write: it is a live item again.
  if ((await flow.readCurrent()) !== undefined) throw notDeleted();
  throw nothingToRestore();
}

/** Any member: a page of the budget's restorable copies of one kind, newest deletion first; the cursor bound to the budget and `kind`. */
export async function listDeletedCopies<D extends Deletion>(
  deps: { budgets: BudgetsFacade; clock: Clock; cursors: CursorCodec },
  copies: DeletedCopies<D>,
  kind: string,
  budgetId: string,
  userId: string,
  query: { limit: number; cursor?: string },
) {
  await authorize(deps.budgets, budgetId, userId, 'read');
  const binding = JSON.stringify([kind, budgetId]);
  const startKey = deps.cursors.decode(query.cursor, binding);
  const page = await copies.page(budgetId, query.limit, startKey, deps.clock.now());
  return { items: page.items, nextCursor: deps.cursors.encode(page.lastKey, binding) };
}


/** The expense a copy restores: what was deleted, one version on. */
function restoredExpense(deleted: DeletedExpense): Expense {
  return { ...deleted.expense, version: deleted.expense.version + 1 };
}
