/** Public entry of the expenses module: the only file other packages may import. */
import type { ModuleRuntime, PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade, SpendingPort } from '@budgeting/budgets';
import { createRouter } from '@budgeting/platform';
import { ExpensesRepository } from './repository/expenses.repository';
import { ImportsRepository } from './repository/imports.repository';
import { RecurringRepository } from './repository/recurring.repository';
import { TotalsRepository } from './repository/totals.repository';
import { csvRouter } from './routes/csv.handlers';
import { csvRoutes } from './routes/csv.routes';
import { changesRouter } from './routes/changes.handlers';
import { changesRoutes } from './routes/changes.routes';
import { expenseRouter } from './routes/expenses.handlers';
import { expenseRoutes } from './routes/expenses.routes';
import { recurringRouter } from './routes/recurring.handlers';
import { recurringRoutes } from './routes/recurring.routes';
import { CsvExportService } from './service/csv-export.service';
import { CsvImportService, type ImportOptions } from './service/csv-import.service';
import { ChangesService } from './service/changes.service';
import { ExpensesService } from './service/expenses.service';
import { recurringJob, type RecurringJobOptions } from './service/recurring-job';
import { BudgetDataRepository } from './repository/budget-data.repository';
import { budgetDataCleanup } from './service/budget-data-cleanup';
import { RecurringService } from './service/recurring.service';
import { createSpending } from './service/spending.service';
import { expensesSubscriptions } from './subscriptions';

export { expenseRecorded, expenseUpdated, expenseDeleted } from './events';
export type { ExpenseRecordedData, ExpenseUpdatedData, ExpenseDeletedData } from './events';
export { ExpenseSchema, CreateExpenseBody, UpdateExpenseBody } from './schemas';
export { ChangesSchema, DeletedExpenseSchema } from './changes.schemas';
export { RecurringExpenseSchema, CreateRecurringExpenseBody, UpdateRecurringExpenseBody } from './recurring.schemas';
export type { Expense, RecurringExpense } from './model';

export { RECURRING_JOB, type RecurringJobOptions, type RecurringRunReport } from './service/recurring-job';
export { BUDGET_DATA_CLEANUP } from './service/budget-data-cleanup';

export interface ExpensesModulePorts {
  budgets: BudgetsFacade;
}

export interface ExpensesModuleOptions {
  /** Tuning of the recurring-expenses job (tests lower its caps; production passes nothing). */
  recurring?: RecurringJobOptions;
  /** Tuning of the CSV routes (tests lower the page size; production passes nothing). */
  csv?: ImportOptions & { exportPageSize?: number };
}

export function createExpensesModule(
  deps: PlatformDeps,
  ports: ExpensesModulePorts,
  options: ExpensesModuleOptions = {},
): { runtime: ModuleRuntime; spending: SpendingPort } {
  const store = deps.storeFor('expenses');
  const totals = new TotalsRepository(store);
  const repository = new ExpensesRepository(store, totals);
  const service = new ExpensesService({ repository, budgets: ports.budgets, clock: deps.clock, cursors: deps.cursors });
  const recurring = new RecurringRepository(store, repository);
  const recurringService = new RecurringService({ repository: recurring, budgets: ports.budgets, clock: deps.clock, cursors: deps.cursors });
  const spending = createSpending(store, repository, totals, deps.clock);
  const csvExport = new CsvExportService({ repository, budgets: ports.budgets }, options.csv?.exportPageSize);
  const csvImport = new CsvImportService({ imports: new ImportsRepository(store, repository), budgets: ports.budgets, clock: deps.clock }, options.csv);
  // The CSV routes go first: /expenses/export would otherwise match /expenses/{expenseId}.
  const routes = createRouter()
    .route('/', csvRouter(csvRoutes(deps), csvExport, csvImport))
    .route('/', expenseRouter(expenseRoutes(deps), service))
    .route('/', recurringRouter(recurringRoutes(deps), recurringService))
    .route('/', changesRouter(changesRoutes(deps), new ChangesService({ repository, budgets: ports.budgets, cursors: deps.cursors })));
  return {
    runtime: {
      name: 'expenses',
      routes,
      subscriptions: expensesSubscriptions({ store, clock: deps.clock, work: deps.work }),
      // Fan-out jobs (platform jobs/fan-out.ts): the scheduled recurring expenses, and the
      // budget.deleted cascade the subscriber queues.
      jobs: [
        recurringJob({ repository: recurring, budgets: ports.budgets, clock: deps.clock }, options.recurring),
        budgetDataCleanup({ store, expenses: repository, data: new BudgetDataRepository(store), clock: deps.clock }),
      ],
    },
    spending,
  };
}
