import { newId } from '@budgeting/platform';
import type { ExpenseImportFinishedData } from '@budgeting/expenses';
import { importPush, importText } from '../domain/import-message';
import type { ImportNotification } from '../model';
import type { ImportKey, NotificationsRepository } from '../repository/notifications.repository';
import type { AlertDeps } from './index';
import { pushOnce } from './push-once';

type Deps = Omit<AlertDeps, 'repository'> & { repository: NotificationsRepository };

/**
 * A finished import's notification to the user who started it (nobody else: the other members
 * see the expenses themselves), once per import: created with its guard item
 * (`notifications#import#<importId>`) in one transaction, as a data export's, so a redelivered
 * event creates nothing; then a push to each of their devices, recorded on the guard (a failed
 * push fails the event, whose redelivery pushes again, never a second notification). The push
 * obeys `notifications.push.imports` (PATCH /v1/me); muted, the notification is still written
 * and the push marked done without being sent. No email.
 *
 * Reads: the user (gone: a deleted account gets nothing, its partition was emptied) and the
 * budget as they can read it, for its name (null when it is gone, e.g. deleted while
 * importing, or they left it: the notification still tells them how their import ended).
 */
export async function notifyImport(d: Deps, data: ExpenseImportFinishedData): Promise<void> {
  const [user, access] = await Promise.all([d.users.getById(data.userId), d.budgets.getAccess(data.budgetId, data.userId)]);
  if (!user) return;
  const now = d.clock.now();
  const key: ImportKey = { userId: data.userId, importId: data.importId };
  const facts = {
    id: newId(now.getTime()),
    userId: data.userId,
    kind: 'import.finished' as const,
    budgetId: data.budgetId,
    budgetName: access?.budget.name ?? null,
    importId: data.importId,
    status: data.status,
    total: data.total,
    imported: data.imported,
    duplicates: data.duplicates,
    errorCount: data.errorCount,
    failure: data.failure ?? null,
    createdAt: now.toISOString(),
    readAt: null,
  };
  const fresh: ImportNotification = { ...facts, message: importText({ ...facts, message: '' }).body };
  const { created, guard } = await d.repository.createOnce(key, fresh);
  if (guard.pushedAt) return;
  const stored = created ? fresh : await d.repository.get(data.userId, guard.notificationId);
  if (!stored || stored.kind !== 'import.finished') return;
  const notification = stored;
  const devices = user.notifications.push.imports ? await d.repository.devices(data.userId) : [];
  await pushOnce(d, key, devices, (deviceId) => importPush(notification, deviceId));
}
