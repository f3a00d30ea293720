import { localeFormat, oneLine, type PushMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { BillDueSoonNotification } from '../model';

/**
 * What a bill reminder says on a device (and in the app: the notification's `message`): what is
 * due (merchant, else description), how much, when, in which budget. The amount and the day in
 * the recipient's `locale` (their profile's, platform localeFormat): "Rent Co: 1.200,00 € due
 * tomorrow (01.12.2026) in Household." for de-DE, the sign in place of the trailing currency
 * code; without one, exactly the text before locales: "Rent Co: 1200.00 EUR due tomorrow (2026-12-01) in Household."
 * The words in the recipient's language (platform locale-messages.ts: en, de, fr, es; English
 * without a locale): de-DE "Rent Co ist morgen fällig", "Rent Co: 1.200,00 € morgen fällig (01.12.2026) in Household."
 */
export function billText(
  n: Pick<BillDueSoonNotification, 'merchant' | 'description' | 'amount' | 'currency' | 'dueOn' | 'budgetName'>,
  locale?: string | null,
): { title: string; body: string } {
  const format = localeFormat(locale, n.currency);
  const { fill } = localeMessages(locale);
  const what = oneLine(n.merchant ?? n.description ?? fill('bill.someExpense'));
  const code = format.localized ? '' : ` ${n.currency}`;
  return {
    title: fill('bill.title', { what }),
    body: fill('bill.body', { what, amount: `${format.money(n.amount)}${code}`, date: format.date(n.dueOn), budget: n.budgetName }),
  };
}

/** `budgetId` and `recurringExpenseId` let the app open the recurring expense (to pause or skip it). */
export function billPush(n: BillDueSoonNotification, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = billText(n, locale);
  return { id: `bill-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, recurringExpenseId: n.recurringExpenseId, dueOn: n.dueOn } };
}
