import { problems, type FieldError } from '@budgeting/platform';
import type { BudgetAccess } from '@budgeting/budgets';
import { foreignCurrencyProblem, type ForeignAmount } from './foreign';

/**
 * The checks that need the budget itself (the body's shape is checked by the schemas):
 * a category (the expense's, or each split part's) must be one of the budget's, a currency
 * (if sent) must be the budget's, a foreign amount's currency must not be.
 * All problems are reported at once, each naming its field.
 */
export function checkAgainstBudget(
  access: BudgetAccess,
  input: { categoryId?: string | null; splits?: { categoryId: string | null }[] | null; currency?: string; foreign?: ForeignAmount | null },
  categoryPath = 'categoryId',
): void {
  const errors: FieldError[] = [];
  const known = (id: string) => access.categories.some((c) => c.id === id);
  if (input.categoryId != null && !known(input.categoryId)) {
    errors.push({ path: categoryPath, message: 'Not a category of this budget' });
  }
  // A split expense's parts: each category the same check, naming the part.
  for (const [n, part] of (input.splits ?? []).entries()) {
    if (part.categoryId !== null && !known(part.categoryId)) errors.push({ path: `splits.${n}.categoryId`, message: 'Not a category of this budget' });
  }
  if (input.currency !== undefined && input.currency !== access.currency) {
    errors.push({ path: 'currency', message: `Must be the budget's currency (${access.currency})` });
  }
  const foreign = foreignCurrencyProblem(input.foreign, access.currency);
  if (foreign) errors.push(foreign);
  if (errors.length > 0) throw problems.validation(errors);
}

/** A PATCH must change something: an empty body is a 400 naming `body`. */
export function requireAChange(input: object): void {
  if (Object.keys(input).length === 0) {
    throw problems.validation([{ path: 'body', message: 'Send at least one field to change' }]);
  }
}
