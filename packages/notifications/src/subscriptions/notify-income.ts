import { newId } from '@budgeting/platform';
import type { IncomeRecordedData } from '@budgeting/expenses';
import { incomePush, incomeText } from '../domain/income-message';
import type { IncomeRecordedNotification } from '../model';
import { pushSettled, type IncomeKey } from '../repository/notifications.repository';
import type { LoadedDeps } from './index';
import { pushOnce, quietHoursSkip } from './push-once';
import { memberCheck } from './member-check';

/**
 * Who may be told of a recorded paycheck: every member of the budget (viewers too: they read
 * the income), but the member who recorded it by hand (record-next's `recordedBy`: they know).
 * Whether each one opted in is their profile's (notifyIncome reads it).
 */
export function incomeRecipients(data: IncomeRecordedData, members: readonly string[]): string[] {
  return members.filter((userId) => userId !== data.recordedBy);
}

/**
 * One member's notification that a recurring income recorded a paycheck, only if they opted in
 * (`notifications.push.income`, default OFF: PATCH /v1/me). Unlike the other kinds, whose
 * switch mutes the push alone, this switch decides the notification itself: every household
 * has paydays, and a notification nobody asked for on each would fill the list (and the unread
 * badge) with news to nobody. Opted in: once per (member, entry), created with its guard item
 * (`notifications#income#<incomeId>` in the member's partition) in one transaction, as a bill
 * reminder's, so a redelivered event creates nothing; then a push to each of their devices,
 * marked on the guard (a failed push fails the event, whose redelivery pushes again, never a
 * second notification). Quiet hours hold the push as for every kind. No email.
 *
 * Reads: the member's profile first (gone, or not opted in: nothing more is read or written;
 * a budget of a few members costs one GetItem each per paycheck), then the budget as they
 * read it (none: they left meanwhile; its name and currency), then their devices.
 */
export async function notifyIncome(d: LoadedDeps, data: IncomeRecordedData & { recurringIncomeId: string }, userId: string): Promise<void> {
  const user = await d.users.getById(userId);
  if (!user || !user.notifications.push.income) return;
  const access = await d.budgets.getAccess(data.budgetId, userId);
  if (!access) return;
  const now = d.clock.now();
  const key: IncomeKey = { userId, incomeId: data.incomeId };
  const facts = {
    id: newId(now.getTime()),
    userId,
    kind: 'income.recorded' as const,
    budgetId: data.budgetId,
    budgetName: access.budget.name,
    incomeId: data.incomeId,
    recurringIncomeId: data.recurringIncomeId,
    receivedOn: data.receivedOn,
    amount: data.amount,
    currency: access.currency,
    source: data.source ?? null,
    description: data.description ?? null,
    createdAt: now.toISOString(),
    readAt: null,
  };
  const fresh: IncomeRecordedNotification = { ...facts, message: incomeText(facts, user.locale).body };
  const once = await d.repository.createOnce(key, fresh, d.users.accountCheck(key.userId), memberCheck(d.budgets, data.budgetId, key.userId));
  // Deleted meanwhile, or removed from the budget since the members were read: nothing to tell, nothing left of it.
  if (once === 'account-gone' || once === 'not-member') return;
  const { created, guard } = once;
  if (pushSettled(guard)) return;
  const stored = created ? fresh : await d.repository.get(userId, guard.notificationId);
  if (!stored || stored.kind !== 'income.recorded') return;
  const notification = stored;
  const devices = await d.devices.devices(userId);
  await pushOnce(d, { key, guard }, devices, (deviceId) => incomePush(notification, deviceId, user.locale), quietHoursSkip(user, now));
}
