import { createRouter } from '@budgeting/platform';
import { presentDevice, type NotificationsService } from '../service/notifications.service';
import type { notificationsRoutes } from './notifications.routes';

export function notificationsRouter(routes: ReturnType<typeof notificationsRoutes>, service: NotificationsService) {
  const router = createRouter();
  router.openapi(routes.listNotifications, async (c) => c.json(await service.list(c.get('userId'), c.req.valid('query')), 200));
  router.openapi(routes.markNotificationRead, async (c) =>
    c.json(await service.markRead(c.get('userId'), c.req.valid('param').notificationId), 200),
  );
  router.openapi(routes.registerDevice, async (c) => {
    const { device, created } = await service.registerDevice(c.get('userId'), c.req.valid('json'));
    return created ? c.json(presentDevice(device), 201) : c.json(presentDevice(device), 200);
  });
  router.openapi(routes.removeDevice, async (c) => {
    await service.removeDevice(c.get('userId'), c.req.valid('param').deviceId);
    return c.body(null, 204);
  });
  return router;
}
