import { PLATFORM_PROBLEMS, ProblemError, problems, type FieldError } from '@budgeting/platform';
import type { BudgetAccess } from '@budgeting/budgets';
import { foreignCurrencyProblem, type ForeignAmount } from './foreign';

/**
 * The checks that need the budget itself (the body's shape is checked by the schemas):
 * a category (the expense's, or each split part's) must be one of the budget's, a currency
 * (if sent) must be the budget's, a foreign amount's currency must not be.
 * All problems are reported at once, each naming its field. `kept`: the categories the item
 * written has already (a PATCH's: its own, its parts'), which it may name again though the budget
 * removed them since (an expense or a definition stays in a removed category,
 * packages/budgets/docs/categories.md): a phone sending its form or its splits whole moves nothing.
 */
export function checkAgainstBudget(
  access: BudgetAccess,
  input: { categoryId?: string | null; splits?: { categoryId: string | null }[] | null; currency?: string; foreign?: ForeignAmount | null },
  categoryPath = 'categoryId',
  kept: readonly string[] = [],
): void {
  const errors: FieldError[] = [];
  const known = (id: string) => kept.includes(id) || access.categories.some((c) => c.id === id);
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

/**
 * A category a write names was removed between the access read and the write (its
 * BudgetsFacade.categoriesCheck failed, nothing written): the 400 checkAgainstBudget gives now,
 * told apart so a caller writing many expenses answers it as its own (a bulk edit's 409 naming
 * `action.categoryId`, an undo's `kept: 'category-removed'`) instead of failing the whole call.
 */
export class CategoryRemovedError extends ProblemError {
  constructor(readonly refused: ProblemError) {
    super(PLATFORM_PROBLEMS['validation-error'], refused.detail, refused.extras);
    this.name = 'CategoryRemovedError';
  }
}

/** checkAgainstBudget, its refusal a CategoryRemovedError: for a write whose categories check failed after it passed on the access read. */
export function checkAgainstBudgetAgain(access: BudgetAccess, input: Parameters<typeof checkAgainstBudget>[1]): void {
  try {
    checkAgainstBudget(access, input);
  } catch (err) {
    throw err instanceof ProblemError ? new CategoryRemovedError(err) : err;
  }
}
