/** Public entry of the expenses module: the only file other packages may import. */
import type { ModuleRuntime, PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade, SpendingPort } from '@budgeting/budgets';
import { ExpensesRepository } from './repository/expenses.repository';
import { TotalsRepository } from './repository/totals.repository';
import { expenseRouter } from './routes/expenses.handlers';
import { expenseRoutes } from './routes/expenses.routes';
import { ExpensesService } from './service/expenses.service';
import { createSpending } from './service/spending.service';
import { expensesSubscriptions } from './subscriptions';

export { expenseRecorded, expenseUpdated, expenseDeleted } from './events';
export type { ExpenseRecordedData, ExpenseUpdatedData, ExpenseDeletedData } from './events';
export { ExpenseSchema, CreateExpenseBody, UpdateExpenseBody } from './schemas';
export type { Expense } from './model';

export interface ExpensesModulePorts {
  budgets: BudgetsFacade;
}

export function createExpensesModule(
  deps: PlatformDeps,
  ports: ExpensesModulePorts,
): { runtime: ModuleRuntime; spending: SpendingPort } {
  const store = deps.storeFor('expenses');
  const totals = new TotalsRepository(store);
  const repository = new ExpensesRepository(store, totals);
  const service = new ExpensesService({ repository, budgets: ports.budgets, clock: deps.clock, cursors: deps.cursors });
  const spending = createSpending(store, repository, totals, deps.clock);
  return {
    runtime: {
      name: 'expenses',
      routes: expenseRouter(expenseRoutes(deps), service),
      subscriptions: expensesSubscriptions({ store, clock: deps.clock, spending }),
    },
    spending,
  };
}
