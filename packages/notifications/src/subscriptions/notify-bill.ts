import { dateInTimeZone, newId } from '@budgeting/platform';
import type { ExpenseRecurringDueSoonData } from '@budgeting/expenses';
import { billPush, billText } from '../domain/bill-message';
import type { BillDueSoonNotification } from '../model';
import { pushSettled, type BillKey } from '../repository/notifications.repository';
import type { LoadedDeps } from './index';
import { pushOnce, quietHoursSkip } from './push-once';
import { memberCheck } from './member-check';

/**
 * One member's reminder that a recurring expense is due tomorrow, once per (member, definition,
 * date): created with its guard item (`notifications#bill#<budgetId>#<recurringExpenseId>#<dueOn>` in the
 * member's partition) in one transaction, as a comment's, so a redelivered event creates
 * nothing; then a push to each of their devices, recorded on the guard (a failed push fails
 * the event, whose redelivery pushes again, never a second notification). The push obeys
 * `notifications.push.bills` (PATCH /v1/me); muted, the notification is still written and the
 * push marked done without being sent. Reminders fire from 09:00 in the budget's zone; a member
 * whose quiet hours (their own zone) hold then gets the notification without a push, marked
 * skipped (never pushed later). No email.
 *
 * Delivered late (an EventBridge retry hours later, a dead letter replayed days later) once the
 * due day has begun in the budget's time zone: the reminder would say "due tomorrow" of a bill due
 * today or past (the recording job records it from that day's start), so no one is told: nothing
 * is written or pushed, not even the push a redelivery still owed.
 *
 * Reads: the budget as the member reads it (none: they left it, or it is gone, and get
 * nothing; viewers are told too, they see the definition), then their profile (gone: nothing),
 * in parallel: its push switch, quiet hours and `locale` (the push and the stored `message` give
 * the amount and the day in it: bill-message.ts). No other read.
 */
export async function notifyBill(d: LoadedDeps, data: ExpenseRecurringDueSoonData, userId: string): Promise<void> {
  const [access, user] = await Promise.all([d.budgets.getAccess(data.budgetId, userId), d.users.getById(userId)]);
  if (!access || !user) return;
  const now = d.clock.now();
  if (dateInTimeZone(now, access.timezone) >= data.dueOn) return;
  const key: BillKey = { userId, budgetId: data.budgetId, recurringExpenseId: data.recurringExpenseId, dueOn: data.dueOn };
  const facts = {
    id: newId(now.getTime()),
    userId,
    kind: 'bill.due_soon' as const,
    budgetId: data.budgetId,
    budgetName: access.budget.name,
    recurringExpenseId: data.recurringExpenseId,
    dueOn: data.dueOn,
    amount: data.amount,
    currency: data.currency,
    merchant: data.merchant,
    description: data.description,
    createdAt: now.toISOString(),
    readAt: null,
  };
  const fresh: BillDueSoonNotification = { ...facts, message: billText(facts, user.locale).body };
  const once = await d.repository.createOnce(key, fresh, d.users.accountCheck(key.userId), memberCheck(d.budgets, data.budgetId, key.userId));
  // Deleted meanwhile, or removed from the budget since the members were read: nothing to tell, nothing left of it.
  if (once === 'account-gone' || once === 'not-member') return;
  const { created, guard } = once;
  if (pushSettled(guard)) return;
  const stored = created ? fresh : await d.repository.get(userId, guard.notificationId);
  if (!stored || stored.kind !== 'bill.due_soon') return;
  const notification = stored;
  const devices = user.notifications.push.bills ? await d.devices.devices(userId) : [];
  await pushOnce(d, { key, guard }, devices, (deviceId) => billPush(notification, deviceId, user.locale), quietHoursSkip(user, now));
}
