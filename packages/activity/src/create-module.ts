import { lazyJob, loadOnce, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { ExpenseActivitySource } from '@budgeting/expenses';
import { ACTIVITY_CLEANUP } from './jobs/names';
import { activitySubscriptions } from './subscriptions';

export interface ActivityModulePorts {
  budgets: BudgetsFacade;
  /** The budget's expense events, kept by the expenses module in its change log. */
  expenses: ExpenseActivitySource;
}

/**
 * Wires the activity module. Built at every cold start, yet nothing else calls it at once: the
 * repository, the service, the cleanup job and the subscriber's work come from
 * service/deferred.ts, imported on first use (a request, an event, a unit), so a request to
 * another module does not load them (issue 11).
 */
export function createActivityModule(deps: PlatformDeps, ports: ActivityModulePorts): { runtime: ModuleRuntime } {
  const store = deps.storeFor('activity');
  const deferred = loadOnce(() => import('./service/deferred'));
  const repository = loadOnce(async () => new (await deferred()).ActivityRepository(store, deps.clock));
  return {
    runtime: {
      name: 'activity',
      routes: async () => {
        const [{ createActivityRouter }, { ActivityService }, repo] = await Promise.all([import('./routes'), deferred(), repository()]);
        const service = new ActivityService({ repository: repo, expenses: ports.expenses, budgets: ports.budgets, cursors: deps.cursors });
        return createActivityRouter(deps, service);
      },
      subscriptions: activitySubscriptions({ store, clock: deps.clock, repository, work: deps.work }),
      // The budget.deleted cascade the subscriber queues (platform jobs/fan-out.ts).
      jobs: [
        lazyJob({ name: ACTIVITY_CLEANUP }, async () => {
          const [{ activityCleanupJob }, repo] = await Promise.all([deferred(), repository()]);
          return activityCleanupJob({ store, repository: repo });
        }),
      ],
    },
  };
}
