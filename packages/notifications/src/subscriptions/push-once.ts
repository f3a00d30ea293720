import type { PushMessage } from '@budgeting/platform';
import type { Device } from '../model';
import type { GuardKey, NotificationsRepository } from '../repository/notifications.repository';
import type { AlertDeps } from './index';
import { settleAll } from './settle-all';

/**
 * The push step every notification kind shares, after its notification exists: each device is
 * sent `message(deviceId)` (a gone device is forgotten and counts as done), a failed send fails
 * the event once the others were tried, and only when all went is the push recorded on the
 * guard (`pushedAt`), so a redelivered event pushes again until then and never after. Muted
 * pushes pass no devices: the guard is marked all the same.
 */
export async function pushOnce(
  d: { repository: NotificationsRepository; push: AlertDeps['push']; clock: AlertDeps['clock'] },
  key: GuardKey,
  devices: Device[],
  message: (deviceId: string) => PushMessage,
): Promise<void> {
  await settleAll(
    devices.map(async (device) => {
      const outcome = await d.push.send(device.address, device.platform, message(device.id));
      if (outcome === 'gone') await forgetDevice(d, device);
    }),
  );
  await d.repository.markDelivered(key, 'pushedAt', d.clock.now().toISOString());
}

/**
 * A device whose address will never take a push again (the app was uninstalled, its token is
 * invalid): its item goes (unless it was registered again with another address meanwhile) and
 * its endpoint is deleted, best effort, as DELETE /v1/me/devices does.
 */
export async function forgetDevice(d: { repository: NotificationsRepository; push: AlertDeps['push'] }, device: Device): Promise<void> {
  await d.repository.deleteDeviceAt(device.userId, device.id, device.address);
  await d.push.unregister(device.address).catch(() => undefined);
}
