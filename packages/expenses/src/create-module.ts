import { lazyJob, loadOnce, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { TotalsRepository } from './repository/totals.repository';
import type { ImportOptions } from './service/csv-import.service';
import type { ChangesService } from './service/changes.service';
import type { RecurringJobOptions } from './jobs/recurring-job';
import { BUDGET_DATA_CLEANUP, CSV_IMPORT_JOB, RECURRING_JOB, RECURRING_SCHEDULE } from './jobs/names';
import { createSpending, type ExpensesSpending } from './service/spending.service';
import { createExpenseActivitySource, type ExpenseActivitySource } from './service/activity-source';
import { expensesSubscriptions } from './subscriptions';

export interface ExpensesModulePorts {
  budgets: BudgetsFacade;
}

export interface ExpensesModuleOptions {
  /** Tuning of the recurring-expenses job (tests lower its caps; production passes nothing). */
  recurring?: RecurringJobOptions;
  /** Tuning of the CSV routes (tests lower the page size; production passes nothing). */
  csv?: ImportOptions & { exportPageSize?: number };
}

/**
 * Wires the expenses module: repositories on its own ModuleStore, services, routes,
 * subscriptions, jobs. Built at every cold start: what other modules call at once (spending,
 * the activity source) is built here; the routes' services (service/route-services.ts) and
 * each job's code are imported and built on first use, so a request to another module does
 * not load them (issue 11).
 */
export function createExpensesModule(
  deps: PlatformDeps,
  ports: ExpensesModulePorts,
  options: ExpensesModuleOptions = {},
): { runtime: ModuleRuntime; spending: ExpensesSpending; sync: Pick<ChangesService, 'knowledge'>; activity: ExpenseActivitySource } {
  const store = deps.storeFor('expenses');
  const totals = new TotalsRepository(store);
  // The expenses themselves (and their change log) are loaded on first use: the summary and
  // the threshold checks read only the totals.
  const repository = loadOnce(async () => new (await import('./repository/expenses.repository')).ExpensesRepository(store, totals));
  const spending = createSpending(store, repository, totals, deps.clock);
  const services = loadOnce(async () => {
    const [{ createRouteServices }, expenses] = await Promise.all([import('./service/route-services'), repository()]);
    return createRouteServices(deps, { store, repository: expenses, budgets: ports.budgets }, options);
  });
  return {
    runtime: {
      name: 'expenses',
      routes: async () => {
        const [{ createExpensesRouter }, built] = await Promise.all([import('./routes'), services()]);
        return createExpensesRouter(deps, built);
      },
      subscriptions: expensesSubscriptions({ store, clock: deps.clock, work: deps.work }),
      // Fan-out jobs (platform jobs/fan-out.ts): the scheduled recurring expenses, and the
      // budget.deleted cascade the subscriber queues, and the CSV import's chunks.
      jobs: [
        lazyJob({ name: CSV_IMPORT_JOB }, async () => {
          const [{ csvImportJob }, built] = await Promise.all([import('./jobs/csv-import-job'), services()]);
          return csvImportJob(built.csvImport);
        }),
        lazyJob({ name: RECURRING_JOB, schedule: RECURRING_SCHEDULE, planned: true }, async () => {
          const [{ recurringJob }, built] = await Promise.all([import('./jobs/recurring-job'), services()]);
          return recurringJob({ repository: built.recurringRepository, budgets: ports.budgets, clock: deps.clock }, options.recurring);
        }),
        lazyJob({ name: BUDGET_DATA_CLEANUP }, async () => {
          const [{ budgetDataCleanup }, { BudgetDataRepository }, expenses] = await Promise.all([
            import('./jobs/budget-data-cleanup'),
            import('./repository/budget-data.repository'),
            repository(),
          ]);
          return budgetDataCleanup({ store, expenses, data: new BudgetDataRepository(store), clock: deps.clock });
        }),
      ],
    },
    spending,
    // The budget's serverKnowledge for a user, for other modules (webhook payloads).
    sync: { knowledge: async (budgetId, userId) => (await services()).changes.knowledge(budgetId, userId) },
    activity: createExpenseActivitySource(async () => (await repository()).changes, deps.clock),
  };
}
