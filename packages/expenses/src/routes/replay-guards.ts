import type { BudgetsFacade } from '@budgeting/budgets';
import type { ReplayGuard } from '@budgeting/platform';
import { authorize } from '../service/access';

/**
 * The access check an Idempotency-Key replay must pass on this module's lease-guarded creating
 * routes (CSV import, recurring expenses, offline push): still a writing member of the budget,
 * as the handlers require. Not refused on an archived budget (as the budgets module's guards):
 * a replay writes nothing, and a write committed just before the archive still gets its answer.
 * Expense creation needs none: its record is only replayed after the service's own authorize
 * (see ExpensesService.create).
 */
export function writerOfBudget(budgets: BudgetsFacade): ReplayGuard {
  return async (c) => {
    await authorize(budgets, c.req.param('budgetId') ?? '', c.get('userId'), 'write', { replay: true });
  };
}

/** The same for categorization rules: still allowed to manage them (whoever may edit the budget's categories). */
export function categoriesManagerOfBudget(budgets: BudgetsFacade): ReplayGuard {
  return async (c) => {
    await authorize(budgets, c.req.param('budgetId') ?? '', c.get('userId'), 'categories', { replay: true });
  };
}
