import type { Expense } from '../model';
import type { BulkAction } from '../schemas/bulk.schemas';
import type { UpdateExpenseInput } from '../schemas/expenses.schemas';

/**
 * Undo of a bulk edit (Gmail's "Undo" after a multi-select action): what one bulk call wrote is
 * recorded per expense as the version its write left it at and the before-image of only the
 * fields the action changed, so the undo can write those fields back, and only while nobody
 * changed the expense since (its version still the recorded one).
 */

/** How long a bulk edit can be undone (the undo item's TTL). */
export const BULK_UNDO_TTL_SECONDS = 24 * 60 * 60;

/**
 * The fields an action changed, as they were before its write: `recategorize` changes
 * `categoryId` (never `splits`: a split expense is a 409 for it, bulk-edit.ts, so no split
 * expense is ever written by it, and the record never holds parts: 50 parts of 100 expenses
 * would take the item near DynamoDB's 400 KB), `addTags` / `removeTags` change `tags` ([] when
 * it had none), `markReviewed` changes `reviewed`. A delete records "deleted": the whole
 * expense lives in its restorable copy (deleted-expenses.ts), the undo restores that.
 */
export type BulkBefore = { categoryId: string | null } | { tags: string[] } | { reviewed: boolean } | 'deleted';

/** One written expense of a bulk edit: its id, the version the bulk's write left it at, what the write changed. */
export interface BulkUndoEntry {
  expenseId: string;
  version: number;
  before: BulkBefore;
}

/** Why an entry was not written back (the answer's `kept`). */
export type KeptReason = 'changed' | 'not-restorable' | 'gone';

/** The before-image of the fields `action` changes, taken from the expense as its write found it. */
export function beforeImage(action: BulkAction, found: Expense): BulkBefore {
  switch (action.type) {
    case 'recategorize':
      return { categoryId: found.categoryId };
    case 'addTags':
    case 'removeTags':
      return { tags: found.tags ?? [] };
    case 'markReviewed':
      return { reviewed: found.reviewed };
    case 'delete':
      return 'deleted';
  }
}

/** The entry of one expense the bulk wrote: `found` as its write found it, `written` its version after. */
export function undoEntry(action: BulkAction, found: Expense, writtenVersion: number): BulkUndoEntry {
  return { expenseId: found.id, version: writtenVersion, before: beforeImage(action, found) };
}

/**
 * The PATCH that puts a changed expense's fields back (`before` not "deleted"): the very body a
 * member would send, written by the PATCH's write with If-Match on the recorded version.
 */
export function undoPatch(before: Exclude<BulkBefore, 'deleted'>): UpdateExpenseInput {
  if ('tags' in before) return { tags: before.tags };
  if ('reviewed' in before) return { reviewed: before.reviewed };
  return { categoryId: before.categoryId };
}
