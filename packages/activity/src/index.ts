/** Public entry of the activity module: the only file other packages may import. */
import type { ModuleRuntime, PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import { createRouter } from '@budgeting/platform';
import { activityCleanupJob } from './jobs/activity-cleanup-job';
import { ActivityRepository } from './repository/activity.repository';
import { activityRouter } from './routes/activity.handlers';
import { activityRoutes } from './routes/activity.routes';
import { ActivityService } from './service/activity.service';
import { activitySubscriptions } from './subscriptions';

export { ActivityEntrySchema } from './schemas';
export { ACTIVITY_RETENTION_SECONDS } from './repository/activity.repository';

export interface ActivityModulePorts {
  budgets: BudgetsFacade;
  users: UsersFacade;
}

export function createActivityModule(deps: PlatformDeps, ports: ActivityModulePorts): { runtime: ModuleRuntime } {
  const store = deps.storeFor('activity');
  const repository = new ActivityRepository(store, deps.clock);
  const service = new ActivityService({ repository, budgets: ports.budgets, users: ports.users, cursors: deps.cursors });
  return {
    runtime: {
      name: 'activity',
      routes: createRouter().route('/', activityRouter(activityRoutes(deps), service)),
      subscriptions: activitySubscriptions({ store, clock: deps.clock, repository, work: deps.work }),
      // The budget.deleted cascade the subscriber queues (platform jobs/fan-out.ts).
      jobs: [activityCleanupJob({ store, repository })],
    },
  };
}
