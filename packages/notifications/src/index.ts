/** Public entry of the notifications module: the only file other packages may import. */
import { createRouter, type EmailSender, type ModuleRuntime, type PlatformDeps, type PushSender } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import { NotificationsRepository } from './repository/notifications.repository';
import { notificationsRouter } from './routes/notifications.handlers';
import { notificationsRoutes } from './routes/notifications.routes';
import { NotificationsService } from './service/notifications.service';
import { notificationsSubscriptions } from './subscriptions';

export { NotificationSchema } from './schemas';

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
      routes: createRouter().route('/', notificationsRouter(notificationsRoutes(deps), service)),
      subscriptions: notificationsSubscriptions({ repository, clock: deps.clock, ...ports }),
    },
  };
}
