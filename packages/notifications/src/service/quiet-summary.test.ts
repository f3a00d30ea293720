import { fixedClock } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import { describe, expect, it } from 'vitest';
import type { DataExportNotification, Device } from '../model';
import { sendQuietSummary, type SummaryDeps } from './quiet-summary';

/**
 * The summary's claim with fake deps (the integration test races two units on DynamoDB Local):
 * what each device's send did decides whether the claim is kept (some device took it) or given
 * back (none did, a send failed: the queue's next delivery tries again).
 */
const unit = { userId: 'u1', start: '2026-11-24T21:00:00.000Z', end: '2026-11-25T06:00:00.000Z' };
const held: DataExportNotification = { id: 'n1', userId: 'u1', kind: 'data-export.ready', exportId: 'x1', createdAt: '2026-11-24T22:05:00.000Z', readAt: null };
const devices: Device[] = ['phone', 'tablet'].map((id) => ({ id, userId: 'u1', platform: 'apns', token: id, address: `arn:${id}`, createdAt: '2026-11-01T00:00:00.000Z', counted: true }) as Device);

function deps(send: (address: string) => Promise<'sent' | 'gone'>, claimable = true) {
  const writes: string[] = [];
  const repository = {
    summary: async () => ({ notificationId: '' }),
    devices: async () => devices,
    between: async () => [held],
    readAllMark: async () => undefined,
    claimSummary: async (_key: unknown, at: string) => (writes.push(`claim ${at}`), claimable),
    releaseSummary: async (_key: unknown, at: string) => void writes.push(`release ${at}`),
    markDelivered: async (_key: unknown, channel: string, at: string) => void writes.push(`${channel} ${at}`),
    unindexSummary: async () => void writes.push('unindex'),
    deleteDeviceAt: async () => undefined,
    leaveEndpoint: async () => undefined,
    dropEndpointIfUnused: async () => true,
  } as unknown as SummaryDeps['repository'] & SummaryDeps['devices'] & SummaryDeps['summaries'];
  const user = { locale: null, timezone: 'Europe/Berlin', notifications: { quietHours: { from: '22:00', to: '07:00', summary: true }, push: { budgetAlerts: true, comments: true, imports: true, bills: true, income: false } } };
  // One fake answers for the three repositories (each method is one repository's).
  const d: SummaryDeps = {
    repository,
    devices: repository,
    summaries: repository,
    users: { getById: async () => user } as unknown as UsersFacade,
    push: { send: (address: string) => send(address), register: async () => '', unregister: async () => undefined },
    clock: fixedClock('2026-11-25T06:00:00Z'),
  };
  return { d, writes };
}

const down = () => Promise.reject(new Error('SNS is down'));

describe('sendQuietSummary: the claim before the push', () => {
  it('every device took it: claimed, then marked pushed', async () => {
    const { d, writes } = deps(async () => 'sent');
    expect(await sendQuietSummary(d, unit)).toBe('pushed');
    expect(writes).toEqual(['claim 2026-11-25T06:00:00.000Z', 'pushedAt 2026-11-25T06:00:00.000Z']);
  });

  it('claimed by another unit: nothing sent, only taken out of the index', async () => {
    const sent: string[] = [];
    const { d, writes } = deps(async (address) => (sent.push(address), 'sent'), false);
    expect(await sendQuietSummary(d, unit)).toBe('already');
    expect(sent).toEqual([]);
    expect(writes).toEqual(['claim 2026-11-25T06:00:00.000Z', 'unindex']);
  });

  it('one device took it, the other failed: pushed all the same (a retry would buzz the first twice)', async () => {
    const { d, writes } = deps(async (address) => (address === 'arn:phone' ? 'sent' : down()));
    expect(await sendQuietSummary(d, unit)).toBe('pushed');
    expect(writes).toEqual(['claim 2026-11-25T06:00:00.000Z', 'pushedAt 2026-11-25T06:00:00.000Z']);
  });

  it('no device took it and a send failed: the claim is given back and the unit fails (the queue tries again)', async () => {
    const { d, writes } = deps(async (address) => (address === 'arn:phone' ? 'gone' : down()));
    await expect(sendQuietSummary(d, unit)).rejects.toThrow('SNS is down');
    expect(writes).toEqual(['claim 2026-11-25T06:00:00.000Z', 'release 2026-11-25T06:00:00.000Z']);
  });
});
