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
  await deps.repository.remove(entry, outboxPut(deps.store, incomeDeleted, event), guard, tombstone ? tombstoneUntil(entry, deps.clock.now()) : undefined);
}

/** How long a deleted entry's create can still be resent: an Idempotency-Key's record lives 24 h, as an expense's. */
export const INCOME_RESEND_SECONDS = 24 * 60 * 60;

/**
 * When the tombstone of `entry` deleted at `now` expires (epoch seconds), undefined when it
 * needs none: created more than 24 h ago (a resend then is a new request, as an expense's
 * expired key record), or recorded by a recurring definition (its occurrence marker, not the
 * id, keeps the job from recording it twice). Any other entry of the last 24 h gets one,
 * whether its id came from a client or the server: telling them apart would need a marker kept
 * through every PATCH, and the tombstone costs the DELETE nothing more (README "Income and
 * cash flow", Deleting).
 */
export function tombstoneUntil(entry: Income, now: Date): number | undefined {
  if (entry.recurringIncomeId !== undefined) return undefined;
  const until = Math.floor(Date.parse(entry.createdAt) / 1000) + INCOME_RESEND_SECONDS;
  return until > Math.floor(now.getTime() / 1000) ? until : undefined;
}
