import type { Expense, RecurringExpense } from '../model';
import type { UpdateExpenseInput } from '../schemas/expenses.schemas';
import type { UpdateRecurringInput } from '../schemas/recurring.schemas';
import { patchOptionalText } from './optional-text';
import { patchTags } from './tags';
import { patchForeign } from './foreign';
import { patchSharedWith } from './shared-with';
import { patchSharedAmounts } from './shared-amounts';
import { patchedReviewed } from './review';
import { patchRefund } from './refunds';
import { patchedCategories } from './splits';

/** A PATCH applied to the expense as read: the next version, stamped `now` (what the write stores). */
export function applyPatch(current: Expense, input: UpdateExpenseInput, now: string): Expense {
  const { splits: _splits, ...unsplit } = current;
  const next: Expense = {
    ...unsplit,
    ...patchedCategories(current, input),
    occurredOn: input.occurredOn ?? current.occurredOn,
    version: current.version + 1,
    updatedAt: now,
  };
  patchDetails(next, input);
  next.reviewed = patchedReviewed(current, input.reviewed);
  patchRefund(next, input.refund);
  return next;
}

/**
 * The fields an expense's PATCH and a recurring expense's (RecurringService) apply alike, in
 * this order: the texts, tags, foreign amount, sharedWith and sharedAmounts. The amounts last,
 * after sharedWith and the amount (`next` has its new amount): a list of either removes the
 * other, and a changed amount needs amounts adding up to it (a 400 naming sharedAmounts).
 */
export function patchDetails(next: Expense | RecurringExpense, input: UpdateExpenseInput | UpdateRecurringInput): void {
  patchOptionalText(next, input);
  patchTags(next, input.tags);
  patchForeign(next, input.foreign);
  patchSharedWith(next, input.sharedWith);
  patchSharedAmounts(next, input);
}

/** The categories an expense (or a recurring expense) is in: its own, or each part's. */
export function categoriesOf(e: Pick<Expense, 'categoryId' | 'splits'> | undefined): string[] {
  return e === undefined ? [] : [e.categoryId, ...(e.splits ?? []).map((p) => p.categoryId)].filter((id): id is string => id !== null);
}

/** The categories `next` names that `current` does not (its own or a part's): those a PATCH moves the expense into. */
export function movedInto(current: Pick<Expense, 'categoryId' | 'splits'>, next: Pick<Expense, 'categoryId' | 'splits'>): string[] {
  const had = new Set(categoriesOf(current));
  return categoriesOf(next).filter((id) => !had.has(id));
}
