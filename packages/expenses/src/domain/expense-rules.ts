import { problems, type FieldError } from '@budgeting/platform';
import type { BudgetAccess } from '@budgeting/budgets';

/**
 * The checks that need the budget itself (the body's shape is checked by the schemas):
 * a category must be one of the budget's, a currency (if sent) must be the budget's.
 * All problems are reported at once, each naming its field.
 */
export function checkAgainstBudget(
  access: BudgetAccess,
  input: { categoryId?: string | null; currency?: string },
  categoryPath = 'categoryId',
): void {
  const errors: FieldError[] = [];
  if (input.categoryId != null && !access.categories.some((c) => c.id === input.categoryId)) {
    errors.push({ path: categoryPath, message: 'Not a category of this budget' });
  }
  if (input.currency !== undefined && input.currency !== access.currency) {
    errors.push({ path: 'currency', message: `Must be the budget's currency (${access.currency})` });
  }
  if (errors.length > 0) throw problems.validation(errors);
}

/** A PATCH must change something: an empty body is a 400 naming `body`. */
export function requireAChange(input: object): void {
  if (Object.keys(input).length === 0) {
    throw problems.validation([{ path: 'body', message: 'Send at least one field to change' }]);
  }
}
