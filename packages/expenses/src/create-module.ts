import type { ModuleRuntime, PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { ExpensesRepository } from './repository/expenses.repository';
import { ImportsRepository } from './repository/imports.repository';
import { ImportJobsRepository } from './repository/import-jobs.repository';
import { csvImportJob } from './jobs/csv-import-job';
import { RecurringRepository } from './repository/recurring.repository';
import { TotalsRepository } from './repository/totals.repository';
import { CsvExportService } from './service/csv-export.service';
import { CsvImportService, type ImportOptions } from './service/csv-import.service';
import { ChangesService } from './service/changes.service';
import { PushService } from './service/push.service';
import { ExpensesService } from './service/expenses.service';
import { recurringJob, type RecurringJobOptions } from './jobs/recurring-job';
import { RecurringService } from './service/recurring.service';
import { createSpending, type ExpensesSpending } from './service/spending.service';
import { createExpenseActivitySource, type ExpenseActivitySource } from './service/activity-source';
import { expensesSubscriptions } from './subscriptions';
import { BudgetDataRepository } from './repository/budget-data.repository';
import { budgetDataCleanup } from './jobs/budget-data-cleanup';

export interface ExpensesModulePorts {
  budgets: BudgetsFacade;
}

export interface ExpensesModuleOptions {
  /** Tuning of the recurring-expenses job (tests lower its caps; production passes nothing). */
  recurring?: RecurringJobOptions;
  /** Tuning of the CSV routes (tests lower the page size; production passes nothing). */
  csv?: ImportOptions & { exportPageSize?: number };
}

/** Wires the expenses module: repositories on its own ModuleStore, services, routes, subscriptions, job. */
export function createExpensesModule(
  deps: PlatformDeps,
  ports: ExpensesModulePorts,
  options: ExpensesModuleOptions = {},
): { runtime: ModuleRuntime; spending: ExpensesSpending; sync: Pick<ChangesService, 'knowledge'>; activity: ExpenseActivitySource } {
  const store = deps.storeFor('expenses');
  const totals = new TotalsRepository(store);
  const repository = new ExpensesRepository(store, totals);
  const service = new ExpensesService({ repository, budgets: ports.budgets, clock: deps.clock, cursors: deps.cursors });
  const recurring = new RecurringRepository(store, repository);
  const recurringService = new RecurringService({ repository: recurring, budgets: ports.budgets, clock: deps.clock, cursors: deps.cursors });
  const spending = createSpending(store, repository, totals, deps.clock);
  const csvExport = new CsvExportService({ repository, budgets: ports.budgets }, options.csv?.exportPageSize);
  const csvImport = new CsvImportService(
    { imports: new ImportsRepository(store, repository), jobs: new ImportJobsRepository(store), budgets: ports.budgets, clock: deps.clock, work: deps.work },
    options.csv,
  );
  const changes = new ChangesService({ repository, budgets: ports.budgets, cursors: deps.cursors });
  const routes = async () => (await import('./routes')).createExpensesRouter(deps, {
    expenses: service,
    recurring: recurringService,
    changes,
    push: new PushService({ expenses: service, repository, changes, budgets: ports.budgets, clock: deps.clock }),
    csvExport,
    csvImport,
    budgets: ports.budgets,
  });
  return {
    runtime: {
      name: 'expenses',
      routes,
      subscriptions: expensesSubscriptions({ store, clock: deps.clock, work: deps.work }),
      // Fan-out jobs (platform jobs/fan-out.ts): the scheduled recurring expenses, and the
      // budget.deleted cascade the subscriber queues, and the CSV import's chunks.
      jobs: [
        csvImportJob(csvImport),
        recurringJob({ repository: recurring, budgets: ports.budgets, clock: deps.clock }, options.recurring),
        budgetDataCleanup({ store, expenses: repository, data: new BudgetDataRepository(store), clock: deps.clock }),
      ],
    },
    spending,
    // The budget's serverKnowledge for a user, for other modules (webhook payloads).
    sync: { knowledge: (budgetId, userId) => changes.knowledge(budgetId, userId) },
    activity: createExpenseActivitySource(repository.changes, deps.clock),
  };
}
