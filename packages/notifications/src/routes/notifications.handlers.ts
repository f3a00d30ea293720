import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import { presentDevice, type NotificationsService } from '../service/notifications.service';
import type * as routes from './notifications.routes';

export function notificationsHandlers(service: NotificationsService) {
  const list: RouteHandler<typeof routes.listNotificationsRoute, AppEnv> = async (c) =>
    c.json(await service.list(c.get('userId'), c.req.valid('query')), 200);

  const markRead: RouteHandler<typeof routes.markNotificationReadRoute, AppEnv> = async (c) =>
    c.json(await service.markRead(c.get('userId'), c.req.valid('param').notificationId), 200);

  const markAllRead: RouteHandler<typeof routes.markAllNotificationsReadRoute, AppEnv> = async (c) =>
    c.json(await service.markAllRead(c.get('userId')), 200);

  const listDevices: RouteHandler<typeof routes.listDevicesRoute, AppEnv> = async (c) => c.json(await service.listDevices(c.get('userId')), 200);

  const registerDevice: RouteHandler<typeof routes.registerDeviceRoute, AppEnv> = async (c) => {
    const { device, created } = await service.registerDevice(c.get('userId'), c.req.valid('json'), c.get('sessionId'));
    if (!created) return c.json(presentDevice(device), 200);
    c.header('Location', `/v1/me/devices/${device.id}`);
    return c.json(presentDevice(device), 201);
  };

  const getDevice: RouteHandler<typeof routes.getDeviceRoute, AppEnv> = async (c) => c.json(await service.getDevice(c.get('userId'), c.req.valid('param').deviceId), 200);

  const removeDevice: RouteHandler<typeof routes.removeDeviceRoute, AppEnv> = async (c) => {
    await service.removeDevice(c.get('userId'), c.req.valid('param').deviceId);
    return c.body(null, 204);
  };

  return { list, markRead, markAllRead, listDevices, registerDevice, getDevice, removeDevice };
}
