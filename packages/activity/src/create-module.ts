import type { ModuleRuntime, PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import type { ExpenseActivitySource } from '@budgeting/expenses';
import { activityCleanupJob } from './jobs/activity-cleanup-job';
import { ActivityRepository } from './repository/activity.repository';
import { ActivityService } from './service/activity.service';
import { activitySubscriptions } from './subscriptions';

export interface ActivityModulePorts {
  budgets: BudgetsFacade;
  users: UsersFacade;
  /** The budget's expense events, kept by the expenses module in its change log. */
  expenses: ExpenseActivitySource;
}

export function createActivityModule(deps: PlatformDeps, ports: ActivityModulePorts): { runtime: ModuleRuntime } {
  const store = deps.storeFor('activity');
  const repository = new ActivityRepository(store, deps.clock);
  const service = new ActivityService({ repository, expenses: ports.expenses, budgets: ports.budgets, users: ports.users, cursors: deps.cursors });
  return {
    runtime: {
      name: 'activity',
      routes: async () => (await import('./routes')).createActivityRouter(deps, service),
      subscriptions: activitySubscriptions({ store, clock: deps.clock, repository, work: deps.work }),
      // The budget.deleted cascade the subscriber queues (platform jobs/fan-out.ts).
      jobs: [activityCleanupJob({ store, repository })],
    },
  };
}
