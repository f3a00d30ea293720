import { requireAuth, type PlatformDeps } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import type { NotificationsService } from '../service/notifications.service';
import { notificationsHandlers } from './notifications.handlers';
import * as notificationsRoutes from './notifications.routes';

/**
 * The module's routes and the one place their middleware is attached. Neither POST takes an
 * Idempotency-Key: marking read (one or all) is idempotent by itself, and a device is keyed by its token.
 */
export function createNotificationsRouter(deps: PlatformDeps, service: NotificationsService) {
  const auth = requireAuth(deps.tokens);
  // Devices live under /v1/me: account management, where a personal access token is refused (403).
  const accountAuth = requireAuth(deps.tokens, { accountManagement: true });
  const notifications = notificationsHandlers(service);
  return createRouter()
    .openapi({ ...notificationsRoutes.listNotificationsRoute, middleware: [auth] }, notifications.list)
    .openapi({ ...notificationsRoutes.markNotificationReadRoute, middleware: [auth] }, notifications.markRead)
    .openapi({ ...notificationsRoutes.markAllNotificationsReadRoute, middleware: [auth] }, notifications.markAllRead)
    .openapi({ ...notificationsRoutes.listDevicesRoute, middleware: [accountAuth] }, notifications.listDevices)
    .openapi({ ...notificationsRoutes.registerDeviceRoute, middleware: [accountAuth] }, notifications.registerDevice)
    .openapi({ ...notificationsRoutes.getDeviceRoute, middleware: [accountAuth] }, notifications.getDevice)
    .openapi({ ...notificationsRoutes.removeDeviceRoute, middleware: [accountAuth] }, notifications.removeDevice);
}
