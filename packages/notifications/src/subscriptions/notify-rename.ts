import { newId } from '@budgeting/platform';
import type { ExpenseMerchantRenameFinishedData } from '@budgeting/expenses';
import { renamePush, renameText } from '../domain/rename-message';
import type { MerchantRenameNotification } from '../model';
import type { NotificationsRepository, RenameKey } from '../repository/notifications.repository';
import { forgetDevice } from './alert-member';
import type { AlertDeps } from './index';

type Deps = Omit<AlertDeps, 'repository'> & { repository: NotificationsRepository };

/**
 * A finished merchant rename's notification to the user who started it, exactly as an
 * import's (notify-import.ts): nobody else (the other members see the renamed expenses), once
 * per rename (created with its guard item `notifications#rename#<renameId>` in one transaction,
 * so a redelivered event creates nothing), then a push to each of their devices, recorded on the
 * guard (a failed push fails the event, whose redelivery pushes again, never a second
 * notification). The push obeys `notifications.push.imports` (PATCH /v1/me), the switch of the
 * bulk jobs a user starts on a budget's expenses: muted, the notification is still written and
 * the push marked done without being sent. No email.
 *
 * Reads: the user (gone: a deleted account gets nothing) and the budget as they can read it,
 * for its name (null when it is gone, e.g. deleted while renaming, or they left it).
 */
export async function notifyRename(d: Deps, data: ExpenseMerchantRenameFinishedData): Promise<void> {
  const [user, access] = await Promise.all([d.users.getById(data.startedBy), d.budgets.getAccess(data.budgetId, data.startedBy)]);
  if (!user) return;
  const now = d.clock.now();
  const key: RenameKey = { userId: data.startedBy, renameId: data.renameId };
  const facts = {
    id: newId(now.getTime()),
    userId: data.startedBy,
    kind: 'merchant-rename.finished' as const,
    budgetId: data.budgetId,
    budgetName: access?.budget.name ?? null,
    renameId: data.renameId,
    from: data.from,
    to: data.to,
    status: data.status,
    examined: data.examined,
    renamed: data.renamed,
    failure: data.failure ?? null,
    createdAt: now.toISOString(),
    readAt: null,
  };
  const fresh: MerchantRenameNotification = { ...facts, message: renameText({ ...facts, message: '' }).body };
  const { created, guard } = await d.repository.createOnce(key, fresh);
  if (guard.pushedAt) return;
  const stored = created ? fresh : await d.repository.get(data.startedBy, guard.notificationId);
  if (!stored || stored.kind !== 'merchant-rename.finished') return;
  const notification = stored;
  const devices = user.notifications.push.imports ? await d.repository.devices(data.startedBy) : [];
  const results = await Promise.allSettled(
    devices.map(async (device) => {
      const outcome = await d.push.send(device.address, device.platform, renamePush(notification, device.id));
      if (outcome === 'gone') await forgetDevice(d, device);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  await d.repository.markDelivered(key, 'pushedAt', d.clock.now().toISOString());
}
