import { createEvent, outboxPut, type Clock, type ModuleStore } from '@budgeting/platform';
import { incomeFacts } from '../domain/income-events';
import { incomeDeleted } from '../events';
import type { Income } from '../model';
import type { IncomeRepository } from '../repository/income.repository';
import type { WriterGuard } from '../repository/writer-guard';

/**
 * Deletes `entry` unless it changed since read (IncomeChangedError), its month's total and its
 * `income.deleted` event in one transaction: the income DELETE's write and an import undo's
 * (an entry a `credits=income` import wrote), so webhooks and the activity log hear of both.
 * Built per attempt: a lost race writes nothing, so only the committed attempt's event exists.
 */
export async function deleteIncome(
  deps: { repository: Pick<IncomeRepository, 'remove'>; store: ModuleStore; clock: Clock },
  entry: Income,
  deletedBy: string,
  guard?: WriterGuard,
): Promise<void> {
  const event = await createEvent(incomeDeleted, { ...incomeFacts(entry), deletedBy }, deps.clock);
  await deps.repository.remove(entry, outboxPut(deps.store, incomeDeleted, event), guard);
}
