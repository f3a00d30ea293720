import { settleAll, type Logger, type PushMessage } from '@budgeting/platform';
import type { UserSummary } from '@budgeting/users';
import { inQuietHours, quietSpanAt, type QuietSpan } from '../domain/quiet-hours';
import type { Device } from '../model';
import type { DevicesRepository } from '../repository/devices.repository';
import type { AlertGuard, GuardKey, NotificationsRepository, PushSkip } from '../repository/notifications.repository';
import type { SummariesRepository } from '../repository/summaries.repository';
import { releaseDevice } from '../service/release-device';
import { holdForSummary } from './hold-for-summary';
import type { AlertDeps } from './index';
import { sendClaimed } from './send-claimed';

/**
 * A push held back: why, and, when the user asked for a summary of their quiet hours
 * (`quietHours.summary`), the occurrence of the window it falls in (its summary goes at its end).
 */
export interface PushHold {
  reason: PushSkip;
  summary?: QuietSpan;
}

/**
 * Whether a push to `user` is held back now: their quiet hours (PATCH /v1/me
 * notifications.quietHours) hold at `at`, the event's handling time by the app's clock, on
 * their profile time zone's wall clock (domain/quiet-hours.ts). Read from the same profile
 * read as the push switches: no read of its own. No profile (a deleted account): nothing held.
 */
export function quietHoursSkip(user: Pick<UserSummary, 'timezone' | 'notifications'> | null | undefined, at: Date): PushHold | undefined {
  const window = user?.notifications.quietHours;
  if (!user || !inQuietHours(window, at, user.timezone)) return undefined;
  const span = window?.summary ? quietSpanAt(window, at, user.timezone) : null;
  return { reason: 'quiet-hours', ...(span ? { summary: span } : {}) };
}

/**
 * The push step every notification kind shares, after its notification exists: each device is
 * sent `message(deviceId)` (a gone device is forgotten and counts as done), a failed send fails
 * the event once the others were tried, and only when all went is the push recorded on the
 * guard (`pushedAt`), so a redelivered event pushes again until then and never after. The
 * sends go under the push's claim on the guard (sendClaimed), so two deliveries of the event at
 * once push once: the second fails, to be delivered again, or finds the push settled. The
 * devices that took it before a failure are recorded on the guard too (`pushedDevices`, one
 * UpdateItem, only when a send failed), and a redelivery pushes only the others: a device that
 * took the push gets it again only when the process died between its send and that record (or
 * the record failed: logged as a warning), not on every retry of its sibling's failure. Muted pushes pass no
 * devices: the guard is marked all the same.
 *
 * `skip` ('quiet-hours', see quietHoursSkip): nothing is sent to any device and the guard is
 * marked `pushSkipped` instead of `pushedAt`, which settles the push all the same (pushSettled):
 * a redelivered event, during the window or after it, never pushes this notification later.
 * A user without devices has nothing to hold back: marked `pushedAt`, as before. With a summary
 * asked for (`skip.summary`), the occurrence's summary is reserved first (holdForSummary: one
 * conditional PutItem, once per occurrence), so a failure to write it leaves the push unsettled
 * and the event is redelivered.
 */
export async function pushOnce(
  d: { repository: NotificationsRepository; devices: DevicesRepository; summaries: SummariesRepository; push: AlertDeps['push']; clock: AlertDeps['clock']; users: Pick<AlertDeps['users'], 'accountCheck'>; logger: Pick<Logger, 'warn'> },
  { key, guard }: { key: GuardKey; guard: Pick<AlertGuard, 'pushedDevices'> },
  devices: Device[],
  message: (deviceId: string) => PushMessage,
  skip?: PushHold,
): Promise<void> {
  if (skip && devices.length > 0) {
    if (skip.summary) await holdForSummary(d, key.userId, skip.summary);
    await d.repository.markPushSkipped(key, skip.reason, d.clock.now().toISOString());
    return;
  }
  const pushedBefore = new Set(guard.pushedDevices ?? []);
  const pending = devices.filter((device) => !pushedBefore.has(device.id));
  if (pending.length > 0) {
    const outcome = await sendClaimed(d, key, 'push', async () => {
      const { took, failure } = await pushToDevices(d, pending, message);
      if (failure === undefined) return;
      // Recorded before the event fails, so its redelivery skips them (best effort: unrecorded, they
      // get it again; the event still fails with the send's error, and the warning says why they did).
      if (took.length > 0) {
        await d.repository.markDevicesPushed(key, took).catch((err: unknown) => {
          d.logger.warn('devices that took a push not recorded: a redelivery pushes them again', { key, devices: took, error: err instanceof Error ? err.message : String(err) });
        });
      }
      throw failure;
    });
    if (outcome === 'settled') return; // pushed by another delivery meanwhile
  }
  await d.repository.markDelivered(key, 'pushedAt', d.clock.now().toISOString());
}

/**
 * Sends `message(deviceId)` to every device, each tried whatever the others did (settleAll); a
 * gone device is forgotten. `took`: the ids of the devices that took it; `failure`: the first
 * failed send's error, for the caller to throw (pushOnce) or weigh against `took` (the
 * quiet-hours summary).
 */
export async function pushToDevices(
  d: { devices: DevicesRepository; push: AlertDeps['push'] },
  devices: Device[],
  message: (deviceId: string) => PushMessage,
): Promise<{ took: string[]; failure?: unknown }> {
  const took: string[] = [];
  try {
    await settleAll(
      devices.map(async (device) => {
        const outcome = await d.push.send(device.address, device.platform, message(device.id));
        if (outcome === 'gone') await forgetDevice(d, device);
        else took.push(device.id);
      }),
    );
    return { took };
  } catch (failure) {
    return { took, failure };
  }
}

/**
 * A device whose address will never take a push again (the app was uninstalled, its token is
 * invalid): its item goes (unless it was registered again with another address meanwhile) and
 * its endpoint is deleted, best effort, when no other device uses it, as DELETE /v1/me/devices
 * does (service/release-device.ts).
 */
export async function forgetDevice(d: { devices: DevicesRepository; push: AlertDeps['push'] }, device: Device): Promise<void> {
  await releaseDevice(d, device, 'forgotten');
}
