import type { Expense } from '../model';
import type { UpdateExpenseInput } from '../schemas/expenses.schemas';

/**
 * Review of expenses that arrive from a bank (YNAB's "approve", Monarch's "needs review"): a
 * row of a CSV or bank statement (OFX) import is recorded as needing review (`reviewed:
 * false`) until a member marks it reviewed (PATCH `reviewed: true`, or the bulk edit's
 * `markReviewed`). An expense recorded by hand is reviewed unless its request says otherwise.
 * Stored only while false (repository: `unreviewed: true`), so a reviewed expense's item is
 * what it was before review existed.
 */

/** What the import job records every row as: a bank's line nobody has looked at yet. */
export const IMPORTED_REVIEWED = false;

/** A new expense's state: as sent, else reviewed (its author is looking at it). */
export const createdReviewed = (sent: boolean | undefined): boolean => sent ?? true;

/** A PATCH's state: as sent, else as it was. */
export const patchedReviewed = (current: Pick<Expense, 'reviewed'>, sent: boolean | undefined): boolean => sent ?? current.reviewed;

/** The bulk edit's `markReviewed` on one expense: the PATCH, or undefined when it is reviewed already (nothing written). */
export const markReviewedPatch = (current: Pick<Expense, 'reviewed'>): UpdateExpenseInput | undefined => (current.reviewed ? undefined : { reviewed: true });

/**
 * The overview's "to review" badge, capped like the unread notifications (notifications
 * domain/unread.ts): up to TO_REVIEW_CAP shown, `more` past it ("99+"). The count reads at most
 * TO_REVIEW_WINDOW index entries (one more than the cap: enough to know there are more).
 */
export const TO_REVIEW_CAP = 99;
export const TO_REVIEW_WINDOW = TO_REVIEW_CAP + 1;

/** What the badge shows for `counted` expenses found (at most TO_REVIEW_WINDOW were counted). */
export const toReviewOf = (counted: number): { count: number; more: boolean } => ({ count: Math.min(counted, TO_REVIEW_CAP), more: counted > TO_REVIEW_CAP });
