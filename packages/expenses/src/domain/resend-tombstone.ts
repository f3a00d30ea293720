import { ProblemError, PLATFORM_PROBLEMS } from '@budgeting/platform';

/**
 * The resend guard of a deletion, shared by expenses (ExpensesRepository.remove) and income
 * entries (service/income-delete.ts): a create sent again after its item was deleted (an
 * offline push resent, a keyed retry) must not record it again, so a deletion within
 * RESEND_SECONDS of the creation leaves a tombstone under the id until then. One rule for both
 * kinds, so the window and its exceptions cannot drift apart.
 */

/** How long a deleted item's create can still be resent: an Idempotency-Key's record lives 24 h. */
export const RESEND_SECONDS = 24 * 60 * 60;

/**
 * When the tombstone of an item created at `createdAt` and deleted at `now` expires (epoch
 * seconds), undefined when it needs none: created more than 24 h ago (a resend then is a new
 * request, as after a key record expired), or recorded by a recurring definition
 * (`bySchedule`: its occurrence marker, not the id, keeps the job from recording it twice).
 * Any other item of the last 24 h gets one, whether its id came from a client or the server:
 * telling them apart would need a marker kept through every update, and the tombstone costs the
 * deletion nothing (a Put in its Delete's slot).
 */
export function resendTombstoneUntil(createdAt: string, bySchedule: boolean, now: Date): number | undefined {
  if (bySchedule) return undefined;
  const until = Math.floor(Date.parse(createdAt) / 1000) + RESEND_SECONDS;
  return until > Math.floor(now.getTime() / 1000) ? until : undefined;
}

/**
 * The 409 of a create whose id is taken but holds no item: the resend tombstone of the item it
 * created, deleted since. One class for both kinds, so an offline push answers either
 * `{id, deleted: true}` without reading the id again; each service words its own detail.
 */
export class IdOfDeletedError extends ProblemError {
  constructor(detail: string) {
    super(PLATFORM_PROBLEMS['conflict'], detail);
    this.name = 'IdOfDeletedError';
  }
}
