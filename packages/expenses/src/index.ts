/** Public entry of the expenses module: the only file other packages may import. */
import { createRouter, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade, SpendingPort } from '@budgeting/budgets';

export interface ExpensesModulePorts {
  budgets: BudgetsFacade;
}

export function createExpensesModule(
  _deps: PlatformDeps,
  _ports: ExpensesModulePorts,
): { runtime: ModuleRuntime; spending: SpendingPort } {
  return {
    runtime: { name: 'expenses', routes: createRouter() },
    spending: {
      totalsBetween: async () => ({ total: 0, byCategory: {}, uncategorized: 0 }),
      deleteAllForBudget: async () => undefined,
    },
  };
}
