import { formatMinorUnits, type EmailMessage, type PushMessage } from '@budgeting/platform';
import type { BudgetAlertNotification as Notification } from '../model';

/** What the alert says, in one place for email and push. */
export function alertText(n: Notification) {
  const what = n.scope === 'category' ? `${n.categoryName ?? 'A category'} in "${n.budgetName}"` : `"${n.budgetName}"`;
  const title = `${what}: ${n.threshold}% of the limit reached`;
  const body =
    `${formatMinorUnits(n.spent, n.currency)} of ${formatMinorUnits(n.limit, n.currency)} ${n.currency} spent ` +
    `(${n.periodStart} to ${n.periodEnd}).`;
  return { title, body };
}

export function alertEmail(n: Notification, to: string): EmailMessage {
  const { title, body } = alertText(n);
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    id: `alert-${n.id}`,
    to,
    subject: title,
    text: `${title}\n\n${body}\n`,
    html: `<p><strong>${escape(title)}</strong></p><p>${escape(body)}</p>`,
  };
}

export function alertPush(n: Notification, deviceId: string): PushMessage {
  const { title, body } = alertText(n);
  return { id: `alert-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, budgetId: n.budgetId, kind: n.kind } };
}
