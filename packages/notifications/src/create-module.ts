import { loadOnce, type EmailSender, type ModuleRuntime, type PlatformDeps, type PushSender } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import { notificationsSubscriptions } from './subscriptions';

export interface NotificationsModulePorts {
  budgets: BudgetsFacade;
  users: UsersFacade;
  mail: EmailSender;
  /** Mobile push: SNS in AWS, files locally. */
  push: PushSender;
}

/**
 * Wires the notifications module. Built at every cold start, yet nothing else calls it at
 * once: the repository, the routes' service and the subscribers' work come from
 * service/deferred.ts, imported on first use (a request, an event), so a request to another
 * module does not load them (issue 11).
 */
export function createNotificationsModule(deps: PlatformDeps, ports: NotificationsModulePorts): { runtime: ModuleRuntime } {
  const store = deps.storeFor('notifications');
  const deferred = loadOnce(() => import('./service/deferred'));
  const repository = loadOnce(async () => new (await deferred()).NotificationsRepository(store));
  return {
    runtime: {
      name: 'notifications',
      routes: async () => {
        const [{ createNotificationsRouter }, { NotificationsService }, repo] = await Promise.all([import('./routes'), deferred(), repository()]);
        return createNotificationsRouter(deps, new NotificationsService({ repository: repo, push: ports.push, clock: deps.clock, cursors: deps.cursors }));
      },
      subscriptions: notificationsSubscriptions({ repository, clock: deps.clock, ...ports }),
    },
  };
}
