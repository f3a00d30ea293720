import { createHash } from 'node:crypto';
import { problems, type Clock, type CursorCodec, type PushSender } from '@budgeting/platform';
import type { Device, Notification } from '../model';
import type { NotificationsRepository } from '../repository/notifications.repository';
import type { RegisterDeviceInput } from '../schemas/notifications.schemas';

/** The caller's notifications and push devices (every route acts on the caller's own). */
export class NotificationsService {
  constructor(
    private readonly d: { repository: NotificationsRepository; push: PushSender; clock: Clock; cursors: CursorCodec },
  ) {}

  async list(userId: string, query: { limit: number; cursor?: string }) {
    const binding = JSON.stringify(['notifications', userId]);
    const page = await this.d.repository.page(userId, query.limit, this.d.cursors.decode(query.cursor, binding));
    return { items: page.items.map(present), nextCursor: this.d.cursors.encode(page.lastKey, binding) };
  }

  async markRead(userId: string, id: string) {
    const n = await this.d.repository.markRead(userId, id, this.d.clock.now().toISOString());
    if (!n) throw problems.notFound('Notification not found.');
    return present(n);
  }

  /**
   * The device id is derived from (platform, token), so a phone that registers its token again
   * (every app start, as the platforms advise) gets the same device, not a second one.
   */
  async registerDevice(userId: string, input: RegisterDeviceInput): Promise<{ device: Device; created: boolean }> {
    const id = createHash('sha256').update(`${input.platform}\n${input.token}`).digest('base64url').slice(0, 32);
    const existing = await this.d.repository.getDevice(userId, id);
    if (existing) return { device: existing, created: false };
    const address = await this.d.push.register(input.platform, input.token);
    const device: Device = { id, userId, platform: input.platform, address, createdAt: this.d.clock.now().toISOString() };
    await this.d.repository.putDevice(device);
    return { device, created: true };
  }

  async removeDevice(userId: string, id: string): Promise<void> {
    const device = await this.d.repository.getDevice(userId, id);
    if (!device) throw problems.notFound('Device not found.');
    await this.d.repository.deleteDevice(userId, id);
    await this.d.push.unregister(device.address).catch(() => undefined);
  }
}

function present(n: Notification) {
  const { userId: _userId, ...rest } = n;
  return rest;
}

export const presentDevice = (d: Device) => ({ id: d.id, platform: d.platform, createdAt: d.createdAt });
