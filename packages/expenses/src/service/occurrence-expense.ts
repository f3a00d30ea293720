import { newId } from '@budgeting/platform';
import type { BudgetAccess } from '@budgeting/budgets';
import type { Expense, RecurringExpense } from '../model';

/** What record-next changes of the expense the job would record (each absent: as the job). */
export interface OccurrenceOverrides {
  id?: string;
  occurredOn?: string;
}

/**
 * The expense of one occurrence, created by the definition's creator. A category removed from
 * the budget since is not used: a new expense must have one of the budget's categories, so the
 * occurrence is recorded uncategorized instead. A split definition's occurrence is a split
 * expense with its parts, and the same holds per part: a part whose category was removed is
 * recorded as an uncategorized part (same amount, same description), so the parts still add
 * up to the amount and the other parts keep their categories.
 *
 * The job records it exactly so; record-next (RecurringService.recordNext) the same expense with
 * `overrides`: the id the Idempotency-Key reserved and the day the user paid it.
 */
export function occurrenceExpense(r: RecurringExpense, date: string, access: BudgetAccess, now: Date, overrides: OccurrenceOverrides = {}): Expense {
  const timestamp = now.toISOString();
  const kept = (id: string | null) => (id !== null && access.categories.some((c) => c.id === id) ? id : null);
  return {
    id: overrides.id ?? newId(now.getTime()),
    budgetId: r.budgetId,
    amount: r.amount,
    categoryId: kept(r.categoryId),
    ...(r.splits ? { splits: r.splits.map((p) => ({ ...p, categoryId: kept(p.categoryId) })) } : {}),
    occurredOn: overrides.occurredOn ?? date,
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(r.merchant !== undefined ? { merchant: r.merchant } : {}),
    ...(r.tags ? { tags: r.tags } : {}),
    ...(r.foreign ? { foreign: { ...r.foreign } } : {}),
    // Who shares it in the settle-up balances, as the definition says (absent: every member).
    ...(r.sharedWith ? { sharedWith: [...r.sharedWith] } : {}),
    // Or who owes what of it, exactly (the rent split 60/40): the balances read each entry.
    ...(r.sharedAmounts ? { sharedAmounts: r.sharedAmounts.map((p) => ({ ...p })) } : {}),
    // The member set it up and its amount is known: nothing for anyone to review.
    reviewed: true,
    // Its definition ("from schedule X"): one attribute on the item the write puts anyway.
    recurringExpenseId: r.id,
    createdBy: r.createdBy,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}

/** The categories an occurrence's expense names (its own, or its parts'), for the recording's categories check (BudgetsFacade.categoriesCheck). */
export function categoriesOf(expense: Pick<Expense, 'categoryId' | 'splits'>): (string | null)[] {
  return [expense.categoryId, ...(expense.splits ?? []).map((p) => p.categoryId)];
}
