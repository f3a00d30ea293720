import { localeCount, localeFormat, oneLine, type PushMessage } from '@budgeting/platform';
import { localeMessages, type LocaleMessages } from '@budgeting/platform/locale-messages';
import type { UserSummary } from '@budgeting/users';
import { withReadAll, type Notification, type ReadAllMark } from '../model';
import { thresholdText } from './alert-message';

/** How many held notifications the summary looks at (the newest): one bounded Query. */
export const SUMMARY_WINDOW = 100;
/** How many it names; the rest are "and N more" (a lock screen shows about two lines). */
export const SUMMARY_NAMED = 2;

type PushSwitches = UserSummary['notifications']['push'];

/**
 * Which of the notifications made during the quiet hours the summary is about: those still
 * unread (neither read themselves nor covered by the read-all mark, as the list shows them)
 * whose kind the user still has pushes on for (a muted kind was never going to buzz; data
 * exports have no switch). Order kept (newest first).
 */
export function summarized(held: readonly Notification[], mark: ReadAllMark | undefined, push: PushSwitches): Notification[] {
  return held.filter((n) => withReadAll(n, mark).readAt === null && pushedKind(n.kind, push));
}

function pushedKind(kind: Notification['kind'], push: PushSwitches): boolean {
  switch (kind) {
    case 'budget.alert':
    case 'budget.pace':
      return push.budgetAlerts;
    case 'expense.comment':
      return push.comments;
    case 'import.finished':
    case 'merchant-rename.finished':
    case 'import-undo.finished':
      return push.imports;
    case 'bill.due_soon':
      return push.bills;
    case 'income.recorded':
      return push.income;
    default:
      return true;
  }
}

/**
 * The summary's words in the user's language (platform locale-messages.ts; English without a
 * locale): "While you were away", "3 notifications: Groceries is at 80% of its limit, Rent Co is
 * due on 2026-11-26, and 1 more". The newest SUMMARY_NAMED are named in a few words each, the
 * rest counted; the list joined as the locale joins one when the words are in its language, else
 * as English does (Intl.ListFormat of LocaleMessages.lang: "und" without a comma in German, no
 * serial comma in en-GB, "A, B, and 1 more" in en-US and without a locale). `notifications`: newest first, at least one.
 */
export function summaryText(notifications: readonly Notification[], locale?: string | null): { title: string; body: string } {
  const messages = localeMessages(locale);
  const count = localeCount(locale);
  const named = notifications.slice(0, SUMMARY_NAMED).map((n) => phrase(n, messages, locale));
  const rest = notifications.length - named.length;
  const items = rest > 0 ? [...named, messages.fill(`summary.more.${messages.plural(rest)}`, { count: count(rest) })] : named;
  return {
    title: messages.fill('summary.title'),
    body: messages.fill(`summary.body.${messages.plural(notifications.length)}`, {
      count: count(notifications.length),
      // The locale itself when the words are in its language (en-GB joins without the US serial comma), else English (messages.lang).
      list: new Intl.ListFormat(messages.lang, { type: 'conjunction' }).format(items),
    }),
  };
}

/** One notification in a few words: a budget alert, a pace alert and a bill say what; the others their push title. */
function phrase(n: Notification, { fill }: LocaleMessages, locale?: string | null): string {
  switch (n.kind) {
    case 'budget.alert':
      return fill('summary.alert', { name: n.scope === 'category' ? (n.categoryName ?? fill('alert.someCategory')) : n.budgetName, threshold: thresholdText(n.threshold, locale) });
    case 'budget.pace':
      return fill('summary.pace', { name: n.categoryId === null ? n.budgetName : (n.categoryName ?? fill('alert.someCategory')) });
    case 'bill.due_soon':
      return fill('summary.bill', { what: oneLine(n.merchant ?? n.description ?? fill('bill.someExpense')), date: localeFormat(locale, n.currency).date(n.dueOn) });
    case 'expense.comment':
      return fill('comment.title');
    case 'import.finished':
      return fill(n.status === 'succeeded' ? 'import.title.finished' : 'import.title.failed');
    case 'merchant-rename.finished':
      return fill(n.status === 'succeeded' ? 'rename.title.finished' : 'rename.title.failed');
    case 'import-undo.finished':
      return fill(n.status === 'succeeded' ? 'undo.title.finished' : 'undo.title.failed');
    case 'income.recorded':
      return fill('income.title', { budget: n.budgetName });
    case 'data-export.ready':
      return fill('export.ready.title');
    case 'data-export.failed':
      return fill('export.failed.title');
  }
}

/**
 * The summary push: `windowEnd` (the occurrence it sums up) makes its id stable per device, so
 * a local copy is written once; the data lets the app open the list.
 */
export function summaryPush(notifications: readonly Notification[], windowEnd: string, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = summaryText(notifications, locale);
  return { id: `summary-${windowEnd}-${deviceId}`, title, body, data: { kind: 'quiet-hours.summary', count: String(notifications.length), newestId: notifications[0]!.id } };
}
