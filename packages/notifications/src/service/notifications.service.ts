import { createHash } from 'node:crypto';
import { problems, PushTokenRefusedError, type Clock, type CursorCodec, type PushSender } from '@budgeting/platform';
import { DEVICE_SEEN_RESOLUTION_MS, DEVICES_PER_USER, lastRegistered, withReadAll, type Device, type Notification, type ReadAllMark } from '../model';
import type { DevicesRepository } from '../repository/devices.repository';
import type { NotificationsRepository } from '../repository/notifications.repository';
import type { RegisterDeviceInput } from '../schemas/notifications.schemas';
import type { UsersFacade } from '@budgeting/users';
import { releaseDevice } from './release-device';

/** The caller's notifications and push devices (every route acts on the caller's own). */
export class NotificationsService {
  constructor(
    private readonly d: {
      repository: NotificationsRepository;
      devices: DevicesRepository;
      push: PushSender;
      clock: Clock;
      cursors: CursorCodec;
      /** The account check in a device's write and the read-all mark's (UsersFacade.accountCheck). */
      users: Pick<UsersFacade, 'accountCheck'>;
    },
  ) {}

  async list(userId: string, query: { limit: number; cursor?: string }) {
    const binding = JSON.stringify(['notifications', userId]);
    const [page, mark] = await Promise.all([
      this.d.repository.page(userId, query.limit, this.d.cursors.decode(query.cursor, binding)),
      this.d.repository.readAllMark(userId),
    ]);
    return { items: page.items.map((n) => notificationView(n, mark)), nextCursor: this.d.cursors.encode(page.lastKey, binding) };
  }

  async markRead(userId: string, id: string) {
    const [n, mark] = await Promise.all([
      this.d.repository.markRead(userId, id, this.d.clock.now().toISOString()),
      this.d.repository.readAllMark(userId),
    ]);
    if (!n) throw problems.notFound('Notification not found.');
    return notificationView(n, mark);
  }

  /**
   * Every notification there is now reads as read, in two requests whatever their number: the
   * newest id and one mark item (model.ts withReadAll). Asking again with nothing new changes
   * nothing (the readAt stays); after new notifications it moves the mark, and the readAt of
   * those read only by an earlier mark becomes this call's time.
   */
  async markAllRead(userId: string): Promise<{ readUpTo: string | null; readAt: string | null }> {
    const newest = await this.d.repository.newestId(userId);
    if (!newest) return { readUpTo: null, readAt: null };
    const mark = await this.d.repository.advanceReadAll(userId, { upToId: newest, at: this.d.clock.now().toISOString() }, this.d.users.accountCheck(userId));
    // Deleted after the request's account check: nothing stored (repository.advanceReadAll).
    if (mark === 'account-gone') throw problems.accountGone();
    return { readUpTo: mark.upToId, readAt: mark.at };
  }

  /** The caller's devices, newest first (never the token or the endpoint). */
  async listDevices(userId: string) {
    const devices = await this.d.devices.devices(userId);
    return { items: devices.reverse().map(presentDevice) };
  }

  /**
   * The device id is derived from (platform, token), so a phone that registers its token again
   * (every app start, as the platforms advise) gets the same device, not a second one.
   *
   * At most DEVICES_PER_USER devices: a new one beyond that replaces the one registered longest
   * ago (forgotten, its endpoint deleted best effort when no other device uses it) rather than
   * being refused: tokens change on reinstall and restore, so devices whose app has not registered
   * them for longest are the likeliest dead, and a 409 would lock a phone out of pushes. "Registered"
   * counts the registrations again (`registeredAt`, recorded at most once a day): by first
   * registration alone, the phone in daily use since long ago was the one replaced, and the dead
   * tokens of later reinstalls stayed. Two registrations at once may both keep a 21st for a while: the next one trims.
   */
  /**
   * `sessionId`: the registering session's (the access token's `sid`); the device belongs to it
   * and goes when it ends (README "Devices and sessions"). A device registered again by another
   * session moves to that one.
   */
  async registerDevice(userId: string, input: RegisterDeviceInput, sessionId?: string): Promise<{ device: Device; created: boolean }> {
    const token = deviceToken(input);
    const id = deviceId(input.platform, token);
    // A device stored before APNs tokens were folded to lower case is under its token as sent then,
    // in upper case if not in lower (hex is written all one way): one GetItem more, only when no
    // device is stored under the folded token (a new device, or one of those).
    const unfolded = input.platform === 'apns' ? token.toUpperCase() : token;
    const existing = (await this.d.devices.getDevice(userId, id)) ?? (unfolded === token ? undefined : await this.d.devices.getDevice(userId, deviceId(input.platform, unfolded)));
    if (existing) {
      // A device stored before endpoint items joins its endpoint's users now (release-device.ts).
      if (!existing.counted) await this.d.devices.countDevice(existing);
      // Its app is alive: recorded (once a day at most), so a 21st device does not replace it.
      const now = this.d.clock.now();
      if (now.getTime() - Date.parse(lastRegistered(existing)) >= DEVICE_SEEN_RESOLUTION_MS) await this.d.devices.markRegistered(existing, now.toISOString());
      // Registered by another session now (a sign-in again on the phone): it belongs to that one.
      if (sessionId !== undefined && existing.sessionId !== sessionId) await this.d.devices.moveToSession(existing, sessionId);
      return { device: { ...existing, counted: true, ...(sessionId !== undefined ? { sessionId } : {}) }, created: false };
    }
    const address = await this.d.push.register(input.platform, token).catch((err: unknown) => {
      // Refused by the push service (not a token of that platform): the client's to correct, nothing stored.
      if (err instanceof PushTokenRefusedError) throw problems.validation([{ path: 'token', message: `Not a device token the push service takes for ${input.platform}` }]);
      throw err;
    });
    const device: Device = { id, userId, platform: input.platform, address, createdAt: this.d.clock.now().toISOString(), counted: true, ...(sessionId !== undefined ? { sessionId } : {}) };
    const put = await this.d.devices.putDevice(device, this.d.users.accountCheck(userId));
    if (put === 'taken') {
      // Stored meanwhile by a registration of the same token that SNS gave another endpoint: that
      // one stays (devices.putDevice); gone again since, this registration starts over.
      const stored = await this.d.devices.getDevice(userId, id);
      return stored ? { device: stored, created: false } : this.registerDevice(userId, input, sessionId);
    }
    if (put === 'account-gone') {
      // Deleted after the request's account check (its cleanup may have run already). The
      // endpoint is NOT unregistered: SNS's CreatePlatformEndpoint is idempotent for a token, so
      // `address` may be the endpoint another account registered with the same token (the same
      // phone, signed in to it before) and still pushes to. Left alone it costs nothing (SNS
      // bills publishes, not endpoints) and no device item names it (nor its endpoint's users:
      // the same transaction).
      throw problems.accountGone();
    }
    const kept = await this.d.devices.devices(userId);
    const byLastRegistered = kept.filter((d) => d.id !== id).sort((a, b) => lastRegistered(a).localeCompare(lastRegistered(b)) || a.id.localeCompare(b.id));
    const surplus = byLastRegistered.slice(0, Math.max(0, kept.length - DEVICES_PER_USER));
    await Promise.all(surplus.map((old) => this.forget(old)));
    return { device, created: true };
  }

  /** One of the caller's devices, as the list shows it; another account's or an unknown id is a 404, as at removal. */
  async getDevice(userId: string, id: string) {
    const device = await this.d.devices.getDevice(userId, id);
    if (!device) throw problems.notFound('Device not found.');
    return presentDevice(device);
  }

  async removeDevice(userId: string, id: string): Promise<void> {
    const device = await this.d.devices.getDevice(userId, id);
    if (!device) throw problems.notFound('Device not found.');
    // Its endpoint goes only when no other device (another account on the same phone) uses it.
    await releaseDevice(this.d, device, 'removed');
  }

  private async forget(device: Device): Promise<void> {
    await releaseDevice(this.d, device, 'forgotten');
  }
}

/**
 * The token a device is known by: an APNs device token is binary data the app writes in hex, in
 * upper or lower case as its code chose (SNS keeps it lower case, and answers the same endpoint
 * for either), so it is folded to lower case: an app that formats it otherwise after an update
 * would otherwise register a second device of the same phone, which then got every push twice.
 * An FCM registration token is case-sensitive: as sent.
 */
const deviceToken = (input: RegisterDeviceInput): string => (input.platform === 'apns' ? input.token.toLowerCase() : input.token);

/** A device's id: derived from (platform, token), so the same phone registering again is the same device. */
const deviceId = (platform: RegisterDeviceInput['platform'], token: string): string => createHash('sha256').update(`${platform}\n${token}`).digest('base64url').slice(0, 32);

/**
 * A stored notification as the API shows it (the list, a mark read, the user's data export): read
 * by the read-all mark when that covers it, without the fields kept for the message only.
 */
export const notificationView = (n: Notification, mark: ReadAllMark | undefined) => present(withReadAll(n, mark));

function present(n: Notification) {
  // A failed job's `failureCode` and an import's `incomeImported` only word its `message` (stored); the answer stays as before.
  const { userId: _userId, failureCode: _code, incomeImported: _income, ...rest } = n as Notification & { failureCode?: string; incomeImported?: number };
  return rest;
}

export const presentDevice = (d: Device) => ({ id: d.id, platform: d.platform, createdAt: d.createdAt });
