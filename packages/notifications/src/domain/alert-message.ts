import { localeCount, localeFormat, mailHtml, type EmailMessage, type PushMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { BudgetAlertNotification as Notification } from '../model';

/**
 * What the alert says, in one place for email and push. Amounts and the period's days in the
 * recipient's `locale` (their profile's, platform localeFormat): "1.234,56 € of 2.000,00 € spent
 * (01.06.2027 to 30.06.2027)." for de-DE, the sign in place of the trailing currency code;
 * without one, exactly the text before locales: "1234.56 of 2000.00 EUR spent (2027-06-01 to 2027-06-30)."
 * The words in the recipient's language (platform locale-messages.ts: en, de, fr, es; English
 * without a locale): de-DE "„Haushalt“: 80 % des Limits erreicht", "1.234,56 € von 2.000,00 €
 * ausgegeben (01.06.2027 bis 30.06.2027)."
 */
export function alertText(n: Notification, locale?: string | null) {
  const format = localeFormat(locale, n.currency);
  const { fill } = localeMessages(locale);
  const threshold = thresholdText(n.threshold, locale);
  const title =
    n.scope === 'category'
      ? fill('alert.title.category', { category: n.categoryName ?? fill('alert.someCategory'), budget: n.budgetName, threshold })
      : fill('alert.title.budget', { budget: n.budgetName, threshold });
  const code = format.localized ? '' : ` ${n.currency}`;
  const body = fill('alert.body', {
    spent: format.money(n.spent),
    limit: `${format.money(n.limit)}${code}`,
    start: format.date(n.periodStart),
    end: format.date(n.periodEnd),
  });
  return { title, body };
}

/**
 * A threshold (a whole percentage, 1 to 1000) as the alert's words put it before their "%": with
 * a locale as the locale writes a number, as the amounts beside it ("1.000" de-DE, "1,000"
 * en-US; platform localeCount), without one the plain figure ("1000"), the text before locales.
 * The quiet-hours summary names an alert with it too (summary-message.ts).
 */
export function thresholdText(threshold: number, locale: string | null | undefined): string {
  return locale ? localeCount(locale)(threshold) : String(threshold);
}

export function alertEmail(n: Notification, to: string, locale?: string | null): EmailMessage {
  const { title, body } = alertText(n, locale);
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    id: `alert-${n.id}`,
    to,
    subject: title,
    text: `${title}\n\n${body}\n`,
    // In the words of alertText's: `lang` declares their language (a screen reader's pronunciation).
    html: mailHtml(localeMessages(locale).lang, title, `<p><strong>${escape(title)}</strong></p><p>${escape(body)}</p>`),
  };
}

export function alertPush(n: Notification, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = alertText(n, locale);
  return { id: `alert-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, budgetId: n.budgetId, kind: n.kind } };
}
