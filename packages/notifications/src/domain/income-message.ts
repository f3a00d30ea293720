import { localeFormat, oneLine, type PushMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { IncomeRecordedNotification } from '../model';

/**
 * What a recorded paycheck says on a device (and in the app: the notification's `message`): in
 * which budget (the title), what came in (the entry's description, else "Income"), how much,
 * from whom (its source, when it has one) and on which day. The amount and the day in the
 * recipient's `locale` (their profile's, platform localeFormat), as a bill reminder's:
 * "Salary 3.200,00 $ von Acme payroll verbucht (28.11.2026)." for de-DE; without one, plain
 * figures with the currency code: "Salary 3200.00 USD from Acme payroll recorded (2026-11-28)."
 * The words in the recipient's language (platform locale-messages.ts: en, de, fr, es; English
 * without a locale).
 */
export function incomeText(
  n: Pick<IncomeRecordedNotification, 'description' | 'source' | 'amount' | 'currency' | 'receivedOn' | 'budgetName'>,
  locale?: string | null,
): { title: string; body: string } {
  const format = localeFormat(locale, n.currency);
  const { fill } = localeMessages(locale);
  const what = oneLine(n.description ?? fill('income.someIncome'));
  const code = format.localized ? '' : ` ${n.currency}`;
  const amount = `${format.money(n.amount)}${code}`;
  const date = format.date(n.receivedOn);
  return {
    title: fill('income.title', { budget: n.budgetName }),
    body: n.source === null ? fill('income.body.noSource', { what, amount, date }) : fill('income.body', { what, amount, source: oneLine(n.source), date }),
  };
}

/** `budgetId` and `incomeId` let the app open the entry. */
export function incomePush(n: IncomeRecordedNotification, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = incomeText(n, locale);
  return {
    id: `income-${n.id}-${deviceId}`,
    title,
    body,
    data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, incomeId: n.incomeId, recurringIncomeId: n.recurringIncomeId },
  };
}
