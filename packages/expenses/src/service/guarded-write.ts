import { problems } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { WriterRefusedError, type WriterGuard } from '../repository/writer-guard';
import { authorize, type Need } from './access';
import { optimistically, type OptimisticWrite } from './optimistic';

/**
 * Runs a write that takes no change number with the budgets module's guard in its own
 * transaction (repository/writer-guard.ts), closing the archive race: an archive that commits
 * between this write's access read and its write fails the guard, and nothing is written
 * (budgets README "Archiving a budget"). The guard is the membership check of
 * BudgetsFacade.writeChecks (a writing role, not archived), or for `own` (any member may delete
 * their own comment) activeMemberCheck. When it fails, access is read again for the precise
 * answer: 409 budget-archived, a viewer's 403, a stranger's 404 (authorize's order). A guard
 * that failed while access reads fine again (archived and unarchived in between) is a 409 to
 * retry: nothing was written (`retryDetail` says otherwise for a write of several transactions).
 */
export async function guardedWrite<T>(
  budgets: BudgetsFacade,
  budgetId: string,
  userId: string,
  need: Exclude<Need, 'read' | 'categories-read'>,
  write: (guard: WriterGuard) => Promise<T>,
  retryDetail = 'The budget was archived or your access changed while this was written; nothing was written, retry.',
): Promise<T> {
  const guard = need === 'own' ? budgets.activeMemberCheck(budgetId, userId) : budgets.writeChecks(budgetId, userId, {})[0]!;
  try {
    return await write(guard);
  } catch (err) {
    if (!(err instanceof WriterRefusedError)) throw err;
    await authorize(budgets, budgetId, userId, need);
    throw problems.conflict(retryDetail);
  }
}

/**
 * An optimistic write (optimistic.ts: a lost race re-read, If-Match checked on every read) that
 * carries the guard: the shape of every guarded PATCH and DELETE of a resource with a version.
 */
export function guardedOptimistically<R extends { version: number }, T>(
  budgets: BudgetsFacade,
  budgetId: string,
  userId: string,
  need: Exclude<Need, 'read' | 'categories-read'>,
  op: Omit<OptimisticWrite<R, T>, 'write'> & { write: (current: R, guard: WriterGuard) => Promise<T> },
): Promise<T> {
  return guardedWrite(budgets, budgetId, userId, need, (guard) => optimistically({ ...op, write: (current) => op.write(current, guard) }));
}
