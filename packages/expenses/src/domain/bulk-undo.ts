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

/** When a call that died part-way held the undo (its claim, epoch ms): from its claim until the claim went stale. */
export interface DeadClaimWindow {
  from: number;
  to: number;
}

/**
 * Whether `current` is this entry's expense as an earlier call of the undo put it back before it
 * died (a later call took over after its claim went stale, BULK_UNDO_CLAIM_MS): exactly one
 * version past the recorded one, written (`updatedAt`) within that call's claim, and the fields
 * the action changed as they were before the bulk. The expense does not name its writer, so a
 * member's own edit in that window that set those fields back in one write counts too: the
 * expense is then as the undo leaves it. A restore (a deleted entry) keeps the deleted copy's
 * `updatedAt`, so it cannot be placed in the window: never here (it stays `kept: changed`).
 */
export function putBackByDeadCall(window: DeadClaimWindow | undefined, entry: BulkUndoEntry, current: Expense): boolean {
  if (!window || entry.before === 'deleted' || current.version !== entry.version + 1) return false;
  const at = Date.parse(current.updatedAt);
  if (!(at >= window.from && at <= window.to)) return false;
  const before = entry.before;
  if ('tags' in before) return JSON.stringify(current.tags ?? []) === JSON.stringify(before.tags);
  if ('reviewed' in before) return current.reviewed === before.reviewed;
  return current.splits === undefined && current.categoryId === before.categoryId;
}
