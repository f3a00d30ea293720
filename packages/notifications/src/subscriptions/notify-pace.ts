import { dateInTimeZone, newId } from '@budgeting/platform';
import type { BudgetOverspendProjectedData } from '@budgeting/budgets';
import { paceEmail, pacePush, paceText } from '../domain/pace-message';
import type { BudgetPaceNotification } from '../model';
import { pushSettled, type PaceKey } from '../repository/notifications.repository';
import type { LoadedDeps } from './index';
import { pushOnce, quietHoursSkip } from './push-once';
import { memberCheck } from './member-check';
import { emailOnce, withUnsubscribe } from './email-once';

/**
 * One member's pace alert (budget.overspend_projected), told like a threshold alert
 * (alert-member.ts): the same recipients (every member still in the budget), the same switches
 * (email when `notifications.email.budgetAlerts` is on, push unless `notifications.push.budgetAlerts`
 * is off, quiet hours for the push), once per (member, budget, period, line) through its guard
 * item, each channel recorded on it so a redelivered event sends only what was not sent yet.
 *
 * Reads: the budget as the member reads it (names; none: they left, or it is gone) and their
 * profile (address, switches, quiet hours and the `locale` the texts are written in), in
 * parallel, the same two reads as a threshold alert's. None once the period has ended in the
 * budget's time zone (a late delivery): a projection to an end that has passed tells nothing.
 */
export async function notifyPace(d: LoadedDeps, data: BudgetOverspendProjectedData, userId: string): Promise<void> {
  const [access, user] = await Promise.all([d.budgets.getAccess(data.budgetId, userId), d.users.getById(userId)]);
  if (!access) return;
  const now = d.clock.now();
  // Delivered after the period ended in the budget's zone (an EventBridge retry, a dead letter
  // replayed days later): "on pace to go over by <end>" is a projection of a period whose outcome
  // is known (a threshold alert tells an actual overspend). Nothing is written, sent or pushed.
  if (dateInTimeZone(now, access.timezone) > data.periodEnd) return;
  const key: PaceKey = { userId, budgetId: data.budgetId, periodStart: data.periodStart, periodEnd: data.periodEnd, paceCategoryId: data.categoryId };
  const facts = {
    id: newId(now.getTime()),
    userId,
    kind: 'budget.pace' as const,
    budgetId: data.budgetId,
    budgetName: access.budget.name,
    currency: data.currency,
    categoryId: data.categoryId,
    categoryName: data.categoryId === null ? null : (access.categories.find((c) => c.id === data.categoryId)?.name ?? null),
    limit: data.limit,
    spent: data.spent,
    projected: data.projected,
    periodStart: data.periodStart,
    periodEnd: data.periodEnd,
    createdAt: now.toISOString(),
    readAt: null,
  };
  const fresh: BudgetPaceNotification = { ...facts, message: paceText(facts, user?.locale).body };
  const once = await d.repository.createOnce(key, fresh, d.users.accountCheck(key.userId), memberCheck(d.budgets, data.budgetId, key.userId));
  // Deleted meanwhile, or removed from the budget since the members were read: nothing to tell, nothing left of it.
  if (once === 'account-gone' || once === 'not-member') return;
  const { created, guard } = once;
  if (guard.emailedAt && pushSettled(guard)) return;
  const stored = created ? fresh : await d.repository.get(userId, guard.notificationId);
  if (stored?.kind !== 'budget.pace') return;
  const notification = stored;
  // Email ignores quiet hours (a mailbox is read when its owner chooses), as a threshold alert's.
  if (!guard.emailedAt) {
    const to = user?.notifications.email.budgetAlerts ? user : undefined;
    await emailOnce(d, key, to && (() => d.mail.send(withUnsubscribe(d.users, to.id, paceEmail(notification, to.email, to.locale)))));
  }
  if (!pushSettled(guard)) {
    const devices = user?.notifications.push.budgetAlerts ? await d.devices.devices(userId) : [];
    await pushOnce(d, { key, guard }, devices, (deviceId) => pacePush(notification, deviceId, user?.locale), quietHoursSkip(user, now));
  }
}
