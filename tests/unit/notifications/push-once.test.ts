import { fixedClock } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { pushOnce } from '../../../packages/notifications/src/subscriptions/push-once';
import { recordingLogger } from '../events/recording-logger';

/**
 * A push that failed on one device while another took it: the devices that took it are recorded
 * on the guard (best effort) before the event fails. When that record fails too, the event's
 * failure is still the send's (its redelivery retries), and an operator sees the record's failure:
 * the devices that took the push get it again on the redelivery.
 */
describe('pushOnce, a send failed and the record of the devices that took it failed too', () => {
  it('fails with the send\'s error and logs a warning naming the devices that will be pushed again', async () => {
    const logger = recordingLogger();
    const sendFailed = new Error('SNS unavailable');
    const released: string[] = [];
    const repository = {
      claimChannel: async () => '2026-12-06T00:01:00.000Z',
      releaseChannel: async (_key: unknown, channel: string, until: string) => void released.push(`${channel} ${until}`),
      markDevicesPushed: async () => {
        throw new Error('throttled');
      },
    };
    const push = { send: async (address: string) => (address === 'addr-ok' ? 'sent' : Promise.reject(sendFailed)) };
    const deps = { repository, push, logger, clock: fixedClock('2026-12-06T00:00:00Z') } as unknown as Parameters<typeof pushOnce>[0];
    const key = { userId: 'u1', notificationId: 'n1' } as unknown as Parameters<typeof pushOnce>[1]['key'];
    const devices = [
      { id: 'd-ok', userId: 'u1', platform: 'apns', address: 'addr-ok', createdAt: '2026-12-06T00:00:00Z', counted: true },
      { id: 'd-down', userId: 'u1', platform: 'apns', address: 'addr-down', createdAt: '2026-12-06T00:00:00Z', counted: true },
    ] as Parameters<typeof pushOnce>[2];

    await expect(pushOnce(deps, { key, guard: {} }, devices, () => ({ title: 't', body: 'b' }) as never)).rejects.toBe(sendFailed);

    expect(logger.entries).toEqual([
      {
        level: 'warn',
        message: 'devices that took a push not recorded: a redelivery pushes them again',
        attributes: { key, devices: ['d-ok'], error: 'throttled' },
      },
    ]);
    // The push's claim is given back, so the redelivery pushes at once.
    expect(released).toEqual(['push 2026-12-06T00:01:00.000Z']);
  });
});
