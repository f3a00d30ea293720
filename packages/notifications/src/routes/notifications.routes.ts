import { bearerSecurity, locationHeader, personalTokenRefusedResponse, problemResponses, sessionSecurity } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import {
DeviceListSchema,
DeviceParams,
DeviceSchema,
ListNotificationsQuery,
NotificationPageSchema,
NotificationParams,
NotificationSchema,
ReadAllSchema,
RegisterDeviceBody,
} from '../schemas/notifications.schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

export const listNotificationsRoute = createRoute({
  method: 'get',
  path: '/v1/notifications',
  operationId: 'listNotifications',
  tags: ['Notifications'],
  summary: 'Your notifications, newest first',
  description:
    'Budget alerts: each member of a budget gets exactly one per (period, scope, threshold) when spending reaches an alert threshold of the budget or of a category. ' +
    'Also sent by email (if `notifications.email.budgetAlerts` is on, PATCH /v1/me) and pushed to your registered devices (unless `notifications.push.budgetAlerts` is off; ' +
    'comments obey `notifications.push.comments`; data exports have no switch). No push is sent in your `notifications.quietHours` (nor later for what arrived then; with `quietHours.summary`, one push sums up what is still unread when they end). ' +
    'A muted or quiet push still lists the notification here.',
  security: bearerSecurity,
  request: { query: ListNotificationsQuery },
  responses: {
    200: { description: 'One page', content: json(NotificationPageSchema) },
    ...problemResponses(400, 401),
  },
});

export const markNotificationReadRoute = createRoute({
  method: 'post',
  path: '/v1/notifications/{notificationId}/read',
  operationId: 'markNotificationRead',
  tags: ['Notifications'],
  summary: 'Mark a notification read',
  description: 'Idempotent: the first `readAt` stays.',
  security: bearerSecurity,
  request: { params: NotificationParams },
  responses: {
    200: { description: 'The notification', content: json(NotificationSchema) },
    // No 403 of its own: a personal access token may mark read (a `read` one gets the 403
    // `insufficient-scope` the document adds to every non-GET that takes one: openapi-finish.ts).
    ...problemResponses(400, 401, 404),
  },
});

export const markAllNotificationsReadRoute = createRoute({
  method: 'post',
  path: '/v1/notifications/read-all',
  operationId: 'markAllNotificationsRead',
  tags: ['Notifications'],
  summary: 'Mark all your notifications read',
  description:
    'Every notification you have now reads as read (`readAt`: this call\'s time, or its own earlier `readAt`); later ones arrive unread. ' +
    'Same cost whatever their number. Idempotent: asked again with nothing new, the same `readAt`. ' +
    'Asked again after new notifications, the `readAt` of those read only by the earlier call becomes the new time.',
  security: bearerSecurity,
  responses: {
    200: { description: 'Marked read', content: json(ReadAllSchema) },
    ...problemResponses(401),
  },
});

export const listDevicesRoute = createRoute({
  method: 'get',
  path: '/v1/me/devices',
  operationId: 'listDevices',
  tags: ['Notifications'],
  summary: 'Your devices registered for push',
  description: 'At most 20 (registering one more forgets the one registered longest ago, a registration again counting). Tokens and delivery addresses are never shown. A device whose app was uninstalled disappears after a push finds it gone.',
  security: sessionSecurity,
  responses: {
    200: { description: 'Your devices', content: json(DeviceListSchema) },
    ...problemResponses(401),
    403: personalTokenRefusedResponse,
  },
});

export const registerDeviceRoute = createRoute({
  method: 'post',
  path: '/v1/me/devices',
  operationId: 'registerDevice',
  tags: ['Notifications'],
  summary: 'Register a device for push',
  description:
    'An APNs device token or an FCM registration token; delivered through Amazon SNS mobile push in AWS (locally: written to `.data/push/`). ' +
    'Registering the same token again answers 200 with the same device (do so at every app start: it keeps the device among your 20). At most 20 devices: a new one beyond that replaces the one registered longest ago. ' +
    'The device belongs to the session that registered it (last): when that session ends (signed out, logged out, a password change or reset, a suspension), the device is unregistered and gets no more pushes.',
  security: sessionSecurity,
  request: { body: { required: true, content: json(RegisterDeviceBody) } },
  responses: {
    201: { description: 'Registered; `Location` is the device (DELETE removes it)', headers: { ...locationHeader }, content: json(DeviceSchema) },
    200: { description: 'Already registered', content: json(DeviceSchema) },
    ...problemResponses(400, 401, 413, 415),
    403: personalTokenRefusedResponse,
  },
});

export const getDeviceRoute = createRoute({
  method: 'get',
  path: '/v1/me/devices/{deviceId}',
  operationId: 'getDevice',
  tags: ['Notifications'],
  summary: 'One of your devices registered for push',
  description: "The device as the list shows it (the registration's `Location`): never its token or delivery address. Another account's device, or one removed or replaced, is a 404.",
  security: sessionSecurity,
  request: { params: DeviceParams },
  responses: {
    200: { description: 'The device', content: json(DeviceSchema) },
    ...problemResponses(400, 401, 404),
    403: personalTokenRefusedResponse,
  },
});

export const removeDeviceRoute = createRoute({
  method: 'delete',
  path: '/v1/me/devices/{deviceId}',
  operationId: 'removeDevice',
  tags: ['Notifications'],
  summary: 'Stop pushes to a device',
  security: sessionSecurity,
  request: { params: DeviceParams },
  responses: {
    204: { description: 'Removed' },
    ...problemResponses(400, 401, 404),
    403: personalTokenRefusedResponse,
  },
});
