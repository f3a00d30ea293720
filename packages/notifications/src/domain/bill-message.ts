import { formatMinorUnits, type PushMessage } from '@budgeting/platform';
import type { BillDueSoonNotification } from '../model';

/** What a bill reminder says on a device: what is due (merchant, else description), how much, when, in which budget. */
export function billText(n: Pick<BillDueSoonNotification, 'merchant' | 'description' | 'amount' | 'currency' | 'dueOn' | 'budgetName'>): { title: string; body: string } {
  const what = n.merchant ?? n.description ?? 'A recurring expense';
  return {
    title: `${what} is due tomorrow`,
    body: `${what}: ${formatMinorUnits(n.amount, n.currency)} ${n.currency} due tomorrow (${n.dueOn}) in ${n.budgetName}.`,
  };
}

/** `budgetId` and `recurringExpenseId` let the app open the recurring expense (to pause or skip it). */
export function billPush(n: BillDueSoonNotification, deviceId: string): PushMessage {
  const { title, body } = billText(n);
  return { id: `bill-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, recurringExpenseId: n.recurringExpenseId, dueOn: n.dueOn } };
}
