import { describe, expect, it } from 'vitest';
import { fixedClock } from '@budgeting/platform';
import type { BudgetThresholdCrossedData } from '@budgeting/budgets';
import type { ExpenseImportFinishedData, ExpenseRecurringDueSoonData } from '@budgeting/expenses';
import type { UserDataExportFinishedData } from '@budgeting/users';
import type { Notification } from '../model';
import { alertMember } from './alert-member';
import { notifyBill } from './notify-bill';
import { notifyExport } from './notify-export';
import { notifyImport } from './notify-import';

/**
 * Every push kind goes through the quiet-hours check (push-once.ts) with the profile read it
 * already makes: fakes for the repository, the users and budgets facades, mail and push record
 * what each notifier does. The DynamoDB Local flow (a comment in and out of the window,
 * redeliveries) is tests/integration/notifications/quiet-hours.test.ts.
 */
function fakes(at: string, profile: { timezone: string; quietHours: { from: string; to: string } | null; push?: Partial<Record<'budgetAlerts' | 'imports' | 'bills', boolean>> }, guard: Record<string, unknown> = {}) {
  const calls = { sent: [] as string[], mailed: [] as string[], marked: [] as string[], skipped: [] as string[], profileReads: 0 };
  let stored: Notification | undefined;
  const repository = {
    createOnce: async (_key: unknown, notification: Notification) => {
      stored = notification;
      return { created: Object.keys(guard).length === 0, guard: { notificationId: notification.id, ...guard } };
    },
    get: async () => stored,
    devices: async (userId: string) => [{ id: 'd1', userId, platform: 'apns', address: 'arn:phone', createdAt: at }],
    markDelivered: async (_key: unknown, channel: string) => void calls.marked.push(channel),
    claimChannel: async (_key: unknown, _channel: string, now: Date) => new Date(now.getTime() + 60_000).toISOString(),
    releaseChannel: async () => undefined,
    markPushSkipped: async (_key: unknown, reason: string) => void calls.skipped.push(reason),
    deleteDeviceAt: async () => undefined,
  };
  const user = {
    id: 'u1', email: 'u1@example.com', name: null, timezone: profile.timezone, currency: 'EUR',
    notifications: { email: { budgetAlerts: true, reports: true }, push: { budgetAlerts: true, comments: true, imports: true, bills: true, income: false, ...profile.push }, quietHours: profile.quietHours },
  };
  // One fake answers for the three repositories (each method is one repository's).
  const deps = {
    repository,
    devices: repository,
    summaries: repository,
    clock: fixedClock(at),
    users: { getById: async () => (calls.profileReads++, user), accountCheck: () => ({}), unsubscribeUrl: () => undefined },
    budgets: { getAccess: async () => ({ budget: { name: 'Home' }, currency: 'EUR', timezone: 'Europe/Berlin', categories: [] }), membersCheck: (_budgetId: string, userIds: string[]) => userIds.map(() => ({})) },
    mail: { send: async (m: { to: string }) => void calls.mailed.push(m.to) },
    push: { send: async (address: string) => (calls.sent.push(address), 'sent' as const), unregister: async () => undefined },
  };
  return { deps: deps as unknown as Parameters<typeof notifyBill>[0], calls };
}

const bill = { budgetId: 'b1', recurringExpenseId: 'r1', dueOn: '2026-12-03', amount: 1_500, currency: 'EUR', merchant: 'Gym', description: null } as ExpenseRecurringDueSoonData;
const night = { from: '22:00', to: '07:00' };

describe('quiet hours in every push kind', () => {
  it('a bill reminder at 09:00 in the budget zone is not pushed while the member\'s own window (their zone) holds, and is pushed once it is over', async () => {
    // 08:00 UTC: 09:00 in Berlin, but 03:00 in New York, where the member lives.
    const held = fakes('2026-12-02T08:00:00Z', { timezone: 'America/New_York', quietHours: night });
    await notifyBill(held.deps, bill, 'u1');
    expect(held.calls).toMatchObject({ sent: [], skipped: ['quiet-hours'], marked: [], profileReads: 1 });
    // 12:00 UTC: 07:00 in New York, the window's (exclusive) end.
    const sent = fakes('2026-12-02T12:00:00Z', { timezone: 'America/New_York', quietHours: night });
    await notifyBill(sent.deps, bill, 'u1');
    expect(sent.calls).toMatchObject({ sent: ['arn:phone'], skipped: [], marked: ['pushedAt'], profileReads: 1 });
  });

  it('a finished import in the window: notification, no push, marked skipped; a redelivery of a settled push does nothing', async () => {
    const data = { budgetId: 'b1', importId: 'i1', userId: 'u1', status: 'succeeded', total: 1, imported: 1, duplicates: 0, errorCount: 0 } as ExpenseImportFinishedData;
    const held = fakes('2026-12-02T22:40:00Z', { timezone: 'UTC', quietHours: night });
    await notifyImport(held.deps, data);
    expect(held.calls).toMatchObject({ sent: [], skipped: ['quiet-hours'], marked: [] });
    // Redelivered after the window, its guard settled by the skip: no push.
    const later = fakes('2026-12-03T09:00:00Z', { timezone: 'UTC', quietHours: night }, { pushSkipped: 'quiet-hours' });
    await notifyImport(later.deps, data);
    expect(later.calls).toMatchObject({ sent: [], skipped: [], marked: [] });
  });

  it('a muted kind stays muted (pushedAt, as before), not skipped', async () => {
    const data = { budgetId: 'b1', importId: 'i1', userId: 'u1', status: 'succeeded', total: 1, imported: 1, duplicates: 0, errorCount: 0 } as ExpenseImportFinishedData;
    const muted = fakes('2026-12-02T22:40:00Z', { timezone: 'UTC', quietHours: night, push: { imports: false } });
    await notifyImport(muted.deps, data);
    expect(muted.calls).toMatchObject({ sent: [], skipped: [], marked: ['pushedAt'] });
  });

  it('a budget alert in the window is still emailed (email is not affected), its push skipped, with one profile read', async () => {
    const data = { budgetId: 'b1', periodStart: '2026-12-01', periodEnd: '2026-12-31', scope: 'budget', categoryId: null, threshold: 80, spent: 800, limit: 1_000 } as BudgetThresholdCrossedData;
    const held = fakes('2026-12-02T23:40:00Z', { timezone: 'Europe/London', quietHours: night });
    await alertMember(held.deps, data, 'u1');
    expect(held.calls).toMatchObject({ mailed: ['u1@example.com'], sent: [], skipped: ['quiet-hours'], marked: ['emailedAt'], profileReads: 1 });
  });

  it('a data export in the window is not pushed (the profile read for it, as it has devices); without quiet hours it is', async () => {
    const data = { userId: 'u1', exportId: 'x1', status: 'succeeded' } as UserDataExportFinishedData;
    const held = fakes('2026-12-02T06:30:00Z', { timezone: 'UTC', quietHours: night });
    await notifyExport(held.deps, data);
    expect(held.calls).toMatchObject({ sent: [], skipped: ['quiet-hours'], profileReads: 1 });
    const sent = fakes('2026-12-02T06:30:00Z', { timezone: 'UTC', quietHours: null });
    await notifyExport(sent.deps, data);
    expect(sent.calls).toMatchObject({ sent: ['arn:phone'], skipped: [], marked: ['pushedAt'] });
  });
});
