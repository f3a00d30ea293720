import type { EmailSender, ModuleRuntime, PlatformDeps, PushSender } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import { NotificationsRepository } from './repository/notifications.repository';
import { NotificationsService } from './service/notifications.service';
import { notificationsSubscriptions } from './subscriptions';

export interface NotificationsModulePorts {
  budgets: BudgetsFacade;
  users: UsersFacade;
  mail: EmailSender;
  /** Mobile push: SNS in AWS, files locally. */
  push: PushSender;
}

export function createNotificationsModule(deps: PlatformDeps, ports: NotificationsModulePorts): { runtime: ModuleRuntime } {
  const repository = new NotificationsRepository(deps.storeFor('notifications'));
  const service = new NotificationsService({ repository, push: ports.push, clock: deps.clock, cursors: deps.cursors });
  return {
    runtime: {
      name: 'notifications',
      routes: async () => (await import('./routes')).createNotificationsRouter(deps, service),
      subscriptions: notificationsSubscriptions({ repository, clock: deps.clock, ...ports }),
    },
  };
}
