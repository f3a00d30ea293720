import { createEvent, outboxPut, type Clock, type ModuleStore } from '@budgeting/platform';
import { incomeFacts } from '../domain/income-events';
import { resendTombstoneUntil } from '../domain/resend-tombstone';
import { incomeDeleted } from '../events';
import type { Income } from '../model';
import type { IncomeRepository } from '../repository/income.repository';
import type { WriterGuard } from '../repository/writer-guard';

/**
 * Deletes `entry` unless it changed since read (IncomeChangedError), its month's total and its
 * `income.deleted` event in one transaction: the income DELETE's write and an import undo's
 * (an entry a `credits=income` import wrote), so webhooks and the activity log hear of both.
 * Each leaves the entry's restorable copy (30 days, IncomeRepository.remove) in the same
 * transaction, deleted at the event's `occurredAt` by `deletedBy`.
 * Built per attempt: a lost race writes nothing, so only the committed attempt's event exists.
 * `tombstone`: the income DELETE's (IncomeService.remove, an offline push's delete too) leaves
 * one for an entry of the last 24 h (tombstoneUntil); an import undo's does not (its entries'
 * ids are the server's, never resent, and a re-import writes new ones).
 */
export async function deleteIncome(
  deps: { repository: Pick<IncomeRepository, 'remove'>; store: ModuleStore; clock: Clock },
  entry: Income,
  deletedBy: string,
  guard?: WriterGuard,
  tombstone = false,
): Promise<void> {
  const event = await createEvent(incomeDeleted, { ...incomeFacts(entry), deletedBy }, deps.clock);
  const deletion = { deletedAt: event.occurredAt, deletedBy };
  await deps.repository.remove(entry, outboxPut(deps.store, incomeDeleted, event), deletion, guard, tombstone ? tombstoneUntil(entry, deps.clock.now()) : undefined);
}

/** The income DELETE's tombstone (domain/resend-tombstone.ts): none for an entry a recurring definition recorded. */
export function tombstoneUntil(entry: Income, now: Date): number | undefined {
  return resendTombstoneUntil(entry.createdAt, entry.recurringIncomeId !== undefined, now);
}
