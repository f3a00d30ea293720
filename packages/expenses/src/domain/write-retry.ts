import { PLATFORM_PROBLEMS, ProblemError } from '@budgeting/platform';

/**
 * Whether an expense write refused with `status` may succeed when simply sent again (a write
 * over many expenses, the category reassign, then retries it instead of stepping over it).
 *
 * Retryable: what depends on others and clears by itself: 409 (lost too many races to
 * concurrent writers), 412 (a precondition another write moved), 429 and 503 (throttled),
 * any other 5xx. Not retryable: every other 4xx is about the expense itself as stored (400 or
 * 422: the PATCH refuses the change it would make; 403): sent again, the same write meets the
 * same refusal, so it must be reported and passed over, or a client calling again would stop
 * at it forever. A 404 (the expense is gone) is not a failure at all: nothing is left to write.
 */
export function isRetryableWriteStatus(status: number): boolean {
  return status === 409 || status === 412 || status === 429 || status >= 500;
}

/**
 * The slug of the 409 a write to an archived budget meets (the budgets module's budgetArchived:
 * its access check, or the change counter of a write already past it). Unlike another 409 it
 * does not clear by itself: only an unarchive does.
 */
export const BUDGET_ARCHIVED = 'budget-archived';

/** Was `err` that 409 (BUDGET_ARCHIVED)? */
export const isBudgetArchived = (err: unknown): boolean => err instanceof ProblemError && err.slug === BUDGET_ARCHIVED;

/**
 * The 409 of a write that wrote nothing because something passing met it (an access changed and
 * back, the budget archived and unarchived, between its access read and its commit): the same
 * write sent again may apply. Answered as any 409 `conflict`; told apart so an offline push
 * answers it as that mutation's `error` (retry it), not as a `conflict` showing the server's
 * copy, which is the very state the client's baseVersion names (nothing changed).
 */
export class WriteRacedError extends ProblemError {
  constructor(detail: string) {
    super(PLATFORM_PROBLEMS['conflict'], detail);
    this.name = 'WriteRacedError';
  }
}
