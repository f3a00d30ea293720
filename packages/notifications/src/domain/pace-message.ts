import { localeFormat, mailHtml, type EmailMessage, type PushMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { BudgetPaceNotification } from '../model';

/**
 * What a pace alert says (budget.overspend_projected), in one place for email, push and the
 * in-app `message`: the line (its category, or the budget for its total), where spending is
 * heading and by when. Amounts and the period's last day in the recipient's `locale` (their
 * profile's, platform localeFormat, as a threshold alert's): en-GB "Dining: at this pace
 * £620.00 of £500.00 by 30 Nov 2026"; without one the formats before locales: "Dining: at this
 * pace 620.00 of 500.00 EUR by 2026-11-30" (the limit carries the code, as an alert's). Words
 * in the recipient's language (platform locale-messages.ts: en, de, fr, es).
 */
export function paceText(
  n: Pick<BudgetPaceNotification, 'budgetName' | 'categoryId' | 'categoryName' | 'currency' | 'limit' | 'projected' | 'periodEnd'>,
  locale?: string | null,
): { title: string; body: string } {
  const format = localeFormat(locale, n.currency);
  const { fill } = localeMessages(locale);
  const category = n.categoryId === null ? null : (n.categoryName ?? fill('alert.someCategory'));
  const title = category === null ? fill('pace.title.budget', { budget: n.budgetName }) : fill('pace.title.category', { category, budget: n.budgetName });
  const code = format.localized ? '' : ` ${n.currency}`;
  const body = fill('pace.body', {
    name: category ?? n.budgetName,
    projected: format.money(n.projected),
    limit: `${format.money(n.limit)}${code}`,
    end: format.date(n.periodEnd),
  });
  return { title, body };
}

export function paceEmail(n: BudgetPaceNotification, to: string, locale?: string | null): EmailMessage {
  const { title, body } = paceText(n, locale);
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = mailHtml(localeMessages(locale).lang, title, `<p><strong>${escape(title)}</strong></p><p>${escape(body)}</p>`);
  return { id: `pace-${n.id}`, to, subject: title, text: `${title}\n\n${body}\n`, html };
}

export function pacePush(n: BudgetPaceNotification, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = paceText(n, locale);
  return { id: `pace-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, budgetId: n.budgetId, kind: n.kind } };
}
