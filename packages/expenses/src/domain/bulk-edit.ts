import { ProblemError, searchKey, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { Expense } from '../model';
import type { BulkAction } from '../schemas/bulk.schemas';
import type { UpdateExpenseInput } from '../schemas/expenses.schemas';
import { markReviewedPatch } from './review';
import { TAGS_MAX, storedTags } from './tags';

/**
 * What a bulk edit's action asks of one expense as it is now: the PATCH that gives it (the
 * same fields a PATCH would send, applied by the same write), or `undefined` when the expense
 * already is as asked (already in that category, already has the tags, has none of the tags
 * to remove, already reviewed): then nothing is written, no version, no event. An action this expense cannot
 * take is a 409 naming the field (the item's result, the batch goes on).
 */
export function bulkPatch(action: Exclude<BulkAction, { type: 'delete' }>, current: Expense): UpdateExpenseInput | undefined {
  switch (action.type) {
    case 'recategorize':
      // PATCH refuses a categoryId on a split expense (400 naming it, domain/splits.ts): its
      // parts have their own categories. Here the request is valid, this expense is not.
      if (current.splits) throw splitExpenseConflict();
      return current.categoryId === action.categoryId ? undefined : { categoryId: action.categoryId };
    case 'addTags': {
      const had = current.tags ?? [];
      // The expense's own spellings first, so a tag it has already stays as it is.
      const tags = storedTags([...had, ...action.tags]) ?? [];
      if (tags.length === had.length) return undefined;
      if (tags.length > TAGS_MAX) throw tooManyTagsConflict(tags.length);
      return { tags };
    }
    case 'removeTags': {
      const had = current.tags ?? [];
      const removed = new Set(action.tags.map(searchKey));
      const tags = had.filter((t) => !removed.has(searchKey(t)));
      // `[]` removes the attribute, as a PATCH of `tags: []` does.
      return tags.length === had.length ? undefined : { tags };
    }
    case 'markReviewed':
      return markReviewedPatch(current);
  }
}

/** A recategorize whose category was removed from the budget after the call's access check (its write refused): this expense's 409 naming the field. */
export function categoryRemovedConflict(): ProblemError {
  return new ProblemError(PLATFORM_PROBLEMS['conflict'], 'The category was removed from the budget while this expense was being moved into it; nothing was written.', {
    errors: [{ path: 'action.categoryId', message: 'Not a category of this budget any more' }],
  });
}

function splitExpenseConflict(): ProblemError {
  return new ProblemError(PLATFORM_PROBLEMS['conflict'], 'The expense is split over several categories, so it cannot be recategorized as a whole: PATCH its splits, or send splits: null with the categoryId.',
    { errors: [{ path: 'action.categoryId', message: 'The expense is split: send splits: null to give it one category' }] },
  );
}

function tooManyTagsConflict(count: number): ProblemError {
  return new ProblemError(PLATFORM_PROBLEMS['conflict'], `With these tags the expense would carry ${count} tags; an expense has at most ${TAGS_MAX}.`, {
    errors: [{ path: 'action.tags', message: `At most ${TAGS_MAX} tags` }],
  });
}
