import { newId } from '@budgeting/platform';
import type { UserDataExportFinishedData } from '@budgeting/users';
import { exportPush } from '../domain/export-message';
import type { DataExportNotification } from '../model';
import { pushSettled, type ExportKey } from '../repository/notifications.repository';
import type { LoadedDeps } from './index';
import { pushOnce, quietHoursSkip } from './push-once';

/**
 * A finished data export's notification (data-export.ready / data-export.failed), once per
 * export (its guard item, created with it in one transaction), then a push to each of the
 * user's devices, recorded on the guard so a redelivered event pushes nothing twice. No email:
 * the users module mails the user when the export is ready. Imported on the first event.
 *
 * No switch mutes it, but the user's quiet hours do (do not disturb holds for every push): the
 * profile is read for them only when there is a device to push to (one read per export, none
 * for a user without devices), and in the window the push is marked skipped, never sent later.
 * The same read gives the `locale` the push is worded in (export-message.ts).
 */
export async function notifyExport(d: LoadedDeps, data: UserDataExportFinishedData): Promise<void> {
  const now = d.clock.now();
  const key: ExportKey = { userId: data.userId, exportId: data.exportId };
  const fresh: DataExportNotification = {
    id: newId(now.getTime()),
    userId: data.userId,
    kind: data.status === 'succeeded' ? 'data-export.ready' : 'data-export.failed',
    exportId: data.exportId,
    createdAt: now.toISOString(),
    readAt: null,
  };
  const once = await d.repository.createOnce(key, fresh, d.users.accountCheck(key.userId));
  if (once === 'account-gone') return; // deleted meanwhile: nothing to tell, nothing left of it
  const { created, guard } = once;
  if (pushSettled(guard)) return;
  const stored = created ? fresh : await d.repository.get(data.userId, guard.notificationId);
  if (!stored || (stored.kind !== 'data-export.ready' && stored.kind !== 'data-export.failed')) return;
  const notification = stored;
  const devices = await d.devices.devices(data.userId);
  const user = devices.length > 0 ? await d.users.getById(data.userId) : null;
  const skip = quietHoursSkip(user, now);
  await pushOnce(d, { key, guard }, devices, (deviceId) => exportPush(notification, deviceId, user?.locale), skip);
}
