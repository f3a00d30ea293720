import { newId } from '@budgeting/platform';
import type { BudgetThresholdCrossedData } from '@budgeting/budgets';
import { alertEmail, alertPush } from '../domain/alert-message';
import type { BudgetAlertNotification } from '../model';
import type { AlertKey } from '../repository/notifications.repository';
import type { LoadedDeps } from './index';
import { pushSettled } from '../repository/notifications.repository';
import { pushOnce, quietHoursSkip } from './push-once';
import { memberCheck } from './member-check';
import { emailOnce, withUnsubscribe } from './email-once';

/**
 * One member's alert of a threshold crossing: the notification (once, with its guard item),
 * then the email and the pushes not sent yet. Imported by the subscriber on its first event
 * (an HTTP request never runs it).
 */
export async function alertMember(
  d: LoadedDeps,
  data: BudgetThresholdCrossedData,
  userId: string,
): Promise<void> {
  const access = await d.budgets.getAccess(data.budgetId, userId);
  if (!access) return; // left the budget (or it is gone) since the crossing
  const now = d.clock.now();
  const key: AlertKey = {
    userId,
    budgetId: data.budgetId,
    periodStart: data.periodStart,
    periodEnd: data.periodEnd,
    scope: data.scope,
    categoryId: data.categoryId,
    threshold: data.threshold,
  };
  const fresh: BudgetAlertNotification = {
    id: newId(now.getTime()),
    userId,
    kind: 'budget.alert',
    budgetId: data.budgetId,
    budgetName: access.budget.name,
    currency: access.currency,
    scope: data.scope,
    categoryId: data.categoryId,
    categoryName: access.categories.find((c) => c.id === data.categoryId)?.name ?? null,
    threshold: data.threshold,
    spent: data.spent,
    limit: data.limit,
    periodStart: data.periodStart,
    periodEnd: data.periodEnd,
    createdAt: now.toISOString(),
    readAt: null,
  };
  const once = await d.repository.createOnce(key, fresh, d.users.accountCheck(key.userId), memberCheck(d.budgets, data.budgetId, key.userId));
  // Deleted meanwhile, or removed from the budget since the members were read: nothing to tell, nothing left of it.
  if (once === 'account-gone' || once === 'not-member') return;
  const { created, guard } = once;
  if (guard.emailedAt && pushSettled(guard)) return;
  const stored = created ? fresh : await d.repository.get(userId, guard.notificationId);
  if (stored?.kind !== 'budget.alert') return;
  const notification = stored;

  // One read of the member serves both channels' preferences (email address and opt-in, push
  // switch, quiet hours, and the locale both texts' amounts and dates are written in): the same
  // one read per member the email alone cost before push preferences.
  // Email ignores quiet hours (a mailbox is read when its owner chooses).
  const user = await d.users.getById(userId);
  if (!guard.emailedAt) {
    const to = user?.notifications.email.budgetAlerts ? user : undefined;
    await emailOnce(d, key, to && (() => d.mail.send(withUnsubscribe(d.users, to.id, alertEmail(notification, to.email, to.locale)))));
  }
  if (!pushSettled(guard)) {
    // Muted (PATCH /v1/me notifications.push.budgetAlerts false), or the account is gone: no
    // push, but marked done so a redelivery does not push after all. The notification stays.
    // In the member's quiet hours: not pushed, marked skipped (push-once.ts), never pushed later.
    const devices = user?.notifications.push.budgetAlerts ? await d.devices.devices(userId) : [];
    await pushOnce(d, { key, guard }, devices, (deviceId) => alertPush(notification, deviceId, user?.locale), quietHoursSkip(user, now));
  }
}
