import { requireAuth, type PlatformDeps } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import type { ActivityService } from '../service/activity.service';
import { activityHandlers } from './activity.handlers';
import * as activityRoutes from './activity.routes';

/** The module's routes and the one place their middleware is attached. */
export function createActivityRouter(deps: PlatformDeps, service: ActivityService) {
  const auth = requireAuth(deps.tokens);
  const activity = activityHandlers(service);
  return createRouter().openapi({ ...activityRoutes.listActivityRoute, middleware: [auth] }, activity.list);
}
