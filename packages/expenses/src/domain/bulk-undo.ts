import type { Expense, SplitPart } from '../model';
import type { BulkAction } from '../schemas/bulk.schemas';
import type { UpdateExpenseInput } from '../schemas/expenses.schemas';

/**
 * Undo of a bulk edit (Gmail's "Undo" after a multi-select action), and of one category reassign
 * or rule apply call (the same record and route): what one call wrote is recorded per expense as the version its write left it at and the before-image of only the
 * fields the action changed, so the undo can write those fields back, and only while nobody
 * changed the expense since (its version still the recorded one).
 */

/** How long a bulk edit can be undone (the undo item's TTL). */
export const BULK_UNDO_TTL_SECONDS = 24 * 60 * 60;

/**
 * The fields a write changed, as they were before it (only those it changed): `recategorize`
 * changes `categoryId` (never `splits`: a split expense is a 409 for it, bulk-edit.ts),
 * `addTags` / `removeTags` change `tags` ([] when it had none), `markReviewed` changes
 * `reviewed`. A category reassign and a rule apply (patchBeforeImage) change `categoryId`,
 * `splits` (a reassign moves parts, a rule may split), `merchant` (a rule's rename), `tags` and
 * `description` (a reassign that merges a split expense into one category may move a part's
 * description there); null records "had none" (the PATCH's null removes it). A delete records
 * "deleted": the whole expense lives in its restorable copy (deleted-expenses.ts), the undo
 * restores that. "not-recorded": written, but its before-image did not fit the record
 * (boundedEntries), so the undo leaves it as it is (`kept: not-restorable`).
 */
export interface FieldsBefore {
  categoryId?: string | null;
  splits?: SplitPart[] | null;
  merchant?: string | null;
  description?: string | null;
  tags?: string[];
  reviewed?: boolean;
}
export type BulkBefore = FieldsBefore | 'deleted' | 'not-recorded';

/** What a reassign's or a rule apply's patch may change (ReassignPatch, RulePatch). */
export interface BatchPatch {
  categoryId?: string | null;
  splits?: readonly SplitPart[] | null;
  merchant?: string;
  description?: string;
  tags?: string[];
}

/** One written expense of a bulk edit: its id, the version the bulk's write left it at, what the write changed. */
export interface BulkUndoEntry {
  expenseId: string;
  version: number;
  before: BulkBefore;
}

/**
 * Why an entry was not written back (the answer's `kept`). `category-removed`: what it would
 * write back names a category (its own or a part's) the budget no longer has, so the write-back
 * (a PATCH) could not take it; the expense stays where the call put it (removedCategoryIn).
 */
export type KeptReason = 'changed' | 'not-restorable' | 'gone' | 'category-removed';

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

/**
 * The before-image of the fields `patch` changes, taken from the expense as its write found it.
 * A patch touching the category or the parts records both (a split expense's own category is
 * null, a plain one has no parts): `splits: null` + `categoryId` or the parts put it back as
 * it was either way (domain/splits.ts: a non-null category next to parts is refused, so an
 * expense that had parts gets them back with its null category).
 */
export function patchBeforeImage(patch: BatchPatch, found: Expense): FieldsBefore {
  const before: FieldsBefore = {};
  if ('splits' in patch || (patch.categoryId !== undefined && found.splits !== undefined)) before.splits = found.splits ? found.splits.map((p) => ({ ...p })) : null;
  if ('splits' in patch || 'categoryId' in patch) before.categoryId = found.categoryId;
  if (patch.merchant !== undefined) before.merchant = found.merchant ?? null;
  if (patch.description !== undefined) before.description = found.description ?? null;
  if (patch.tags !== undefined) before.tags = [...(found.tags ?? [])];
  return before;
}

/** The entry of one expense a reassign or a rule apply wrote: `found` as its write found it, `written` its version after. */
export function patchUndoEntry(patch: BatchPatch, found: Expense, writtenVersion: number): BulkUndoEntry {
  return { expenseId: found.id, version: writtenVersion, before: patchBeforeImage(patch, found) };
}

/**
 * The most the entries of one record take, as JSON (bytes). DynamoDB's item limit is 400 KB;
 * the record also gets its outcome (100 write-back problems of a few hundred bytes with
 * 128-character ids: about 60 KB, bulk-undo.test.ts) and its keys. A bulk edit's entries stay
 * far below (about 120 KB at most: 10 tags); splits do not: 50 parts with 500-character
 * descriptions are up to 78 KB per expense, so 100 of them could be megabytes.
 */
export const UNDO_ENTRIES_MAX_BYTES = 300_000;

/**
 * The entries as stored, within UNDO_ENTRIES_MAX_BYTES: when they would take more, the largest
 * before-images (split parts with long descriptions) are dropped first, each entry then
 * "not-recorded" (the undo keeps that expense as it is, and says so), until the rest fit.
 * Every other expense stays undoable; the order is kept.
 */
export function boundedEntries(entries: BulkUndoEntry[], maxBytes = UNDO_ENTRIES_MAX_BYTES): BulkUndoEntry[] {
  const size = (e: BulkUndoEntry) => Buffer.byteLength(JSON.stringify(e), 'utf8') + 1;
  let total = entries.reduce((sum, e) => sum + size(e), 2);
  if (total <= maxBytes) return entries;
  const out = [...entries];
  const bySize = out.map((e, i) => ({ i, bytes: size(e) })).sort((a, b) => b.bytes - a.bytes);
  for (const { i, bytes } of bySize) {
    if (total <= maxBytes) break;
    out[i] = { expenseId: out[i]!.expenseId, version: out[i]!.version, before: 'not-recorded' };
    total += size(out[i]!) - bytes;
  }
  return out;
}

/** The entry of one expense the bulk wrote: `found` as its write found it, `written` its version after. */
export function undoEntry(action: BulkAction, found: Expense, writtenVersion: number): BulkUndoEntry {
  return { expenseId: found.id, version: writtenVersion, before: beforeImage(action, found) };
}

/**
 * The PATCH that puts a changed expense's fields back (`before` not "deleted"): the very body a
 * member would send, written by the PATCH's write with If-Match on the recorded version.
 */
export function undoPatch(before: FieldsBefore): UpdateExpenseInput {
  const patch: UpdateExpenseInput = {};
  if (before.splits !== undefined) patch.splits = before.splits ? before.splits.map((p) => ({ ...p })) : null;
  if (before.categoryId !== undefined) patch.categoryId = before.categoryId;
  if (before.merchant !== undefined) patch.merchant = before.merchant;
  if (before.description !== undefined) patch.description = before.description;
  if (before.tags !== undefined) patch.tags = before.tags;
  if (before.reviewed !== undefined) patch.reviewed = before.reviewed;
  return patch;
}

/**
 * Whether `patch` (an undo's write-back) names a category, the expense's own or a part's, that
 * is not among `categoryIds` (the budget's categories now). The main use of a reassign is moving
 * a removed category's expenses elsewhere; undoing it cannot put them back in a category that no
 * longer exists, and that is not a failure of the undo: the expense is kept as it is. A null
 * category (uncategorized) is always writable.
 */
export function removedCategoryIn(patch: Pick<UpdateExpenseInput, 'categoryId' | 'splits'>, categoryIds: ReadonlySet<string>): boolean {
  const removed = (id: string | null | undefined) => id != null && !categoryIds.has(id);
  return removed(patch.categoryId) || (patch.splits ?? []).some((p) => removed(p.categoryId));
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
  if (!window || typeof entry.before === 'string' || current.version !== entry.version + 1) return false;
  const at = Date.parse(current.updatedAt);
  if (!(at >= window.from && at <= window.to)) return false;
  const before = entry.before;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (before.tags !== undefined && !same(current.tags ?? [], before.tags)) return false;
  if (before.reviewed !== undefined && current.reviewed !== before.reviewed) return false;
  if (before.merchant !== undefined && (current.merchant ?? null) !== before.merchant) return false;
  if (before.description !== undefined && (current.description ?? null) !== before.description) return false;
  if (before.categoryId !== undefined && current.categoryId !== before.categoryId) return false;
  // A category without parts recorded (a bulk recategorize): the expense was plain, and is again.
  if (before.splits !== undefined ? !same(current.splits ?? null, before.splits) : before.categoryId !== undefined && current.splits !== undefined) return false;
  return true;
}
