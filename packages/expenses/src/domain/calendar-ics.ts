import { addDays, isTimeZone, localeFormat, startOfDayIn } from '@budgeting/platform';
import { localeMessages, type LocaleMessages } from '@budgeting/platform/locale-messages';
import type { ScheduledOccurrence } from '@budgeting/budgets';
import ical, { ICalEventTransparency, escape } from 'ical-generator';
import { CALENDAR_FEED_DAYS } from './calendar-feed';
import { timezoneComponent } from './calendar-timezone';

/** What a feed shows of its budget. */
export interface CalendarBudget {
  /** In every event's UID (occurrenceUid). */
  budgetId: string;
  name: string;
  currency: string;
  timezone: string;
  categories: { id: string; name: string }[];
  /**
   * A note on the whole calendar (X-WR-CALDESC), TEXT escaped here: an archived budget's feed
   * says why it lists no bill (packages/expenses/docs/recurring.md "Calendar feed").
   */
  note?: string;
}

/**
 * A budget's upcoming bills as an iCalendar (RFC 5545) document, written by ical-generator
 * (line folding at 75 octets, TEXT escaping, CRLF). Each occurrence is an all-day VEVENT on its
 * date in the budget's time zone (DTSTART;VALUE=DATE, DTEND the next day): a date, not an
 * instant, so every calendar shows it on that day wherever the member is. UID is the recurring
 * expense's id, the date and the budget's id (occurrenceUid), so a re-poll replaces the event
 * rather than adding one, and a changed amount or merchant updates it. `asOf` (the day the feed is computed for, in the
 * budget's time zone) gives every DTSTAMP, the instant that day began there: the text depends only on the data, the day
 * and `locale`, so its hash is a stable ETag.
 *
 * `locale`: the feed owner's (their profile's), in which the events' words (platform
 * locale-messages.ts, the words every other text a member receives is in) and amounts (platform
 * localeFormat: "1.200,00 €" for de-DE) are written; none: English and "1200.00 EUR", the text
 * as before locales.
 */
export function calendarText(budget: CalendarBudget, occurrences: readonly ScheduledOccurrence[], asOf: string, locale?: string | null): string {
  const words = localeMessages(locale);
  const calendar = ical({
    // ical-generator writes the calendar's name (NAME, X-WR-CALNAME) as given: escaped here as
    // the TEXT it is (RFC 5545 3.3.11), so a budget named "Home, sweet; home" stays one value.
    name: escape(budget.name, false),
    // Written as given too (X-WR-CALDESC): escaped the same way.
    ...(budget.note === undefined ? {} : { description: escape(budget.note, false) }),
    prodId: { company: 'Budgeting', product: 'Bills', language: 'EN' },
    // REFRESH-INTERVAL and X-PUBLISHED-TTL: a hint to re-read every 6 hours (apps that honour
    // it; Google Calendar polls on its own schedule).
    ttl: 60 * 60 * 6,
  });
  const categories = new Map(budget.categories.map((c) => [c.id, c.name]));
  // An unknown zone (none is stored: budgets take known ones) reads as UTC, as "today" does (todayIn).
  const zone = isTimeZone(budget.timezone) ? budget.timezone : 'UTC';
  // DTSTAMP is an instant (UTC): when `asOf` began in the budget's zone, never later than the
  // read. Until 2026-12-07 it was asOf's UTC midnight, up to 14 hours in the future east of UTC
  // (Kiritimati's "today" starts at 10:00Z the day before). Still the same all day: a stable ETag.
  const stamp = startOfDayIn(asOf, zone);
  for (const o of occurrences) {
    const category = o.categoryId === null ? undefined : categories.get(o.categoryId);
    calendar.createEvent({
      id: occurrenceUid(budget.budgetId, o),
      allDay: true,
      start: new Date(`${o.occurredOn}T00:00:00.000Z`),
      end: new Date(`${addDays(o.occurredOn, 1)}T00:00:00.000Z`),
      stamp,
      summary: occurrenceSummary(o, budget.currency, locale),
      description: occurrenceDescription(o, category, locale, words),
      // A bill takes no time: it must not mark the day busy.
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  // The zone also as a VTIMEZONE, the first component: a calendar with no bill then still holds
  // one, as RFC 5545 wants (calendar-timezone.ts).
  const zoneLines = [`X-WR-TIMEZONE:${zone}`, ...timezoneComponent(zone, stamp, CALENDAR_FEED_DAYS)];
  // Every content line ends in CRLF (RFC 5545 3.1), the last one too.
  return `${beforeFirstComponent(calendar.toString(), zoneLines)}\r\n`;
}

/**
 * `text` with `lines` after the calendar's properties and before its first component (or its
 * END when it has none): RFC 5545's grammar (3.4 and 3.6, `icalbody = calprops component`) has
 * no property after a component, while ical-generator writes its custom (X-) properties after
 * the events, where X-WR-TIMEZONE stood until 2026-12-07. No member's text can start a line
 * (TEXT is escaped, a folded line starts with a space), so the first line beginning `BEGIN:`
 * after the VCALENDAR's own is the first component. `lines` are short ASCII (an IANA zone
 * name, dates, offsets): no folding needed.
 */
function beforeFirstComponent(text: string, lines: readonly string[]): string {
  const component = text.indexOf('\r\nBEGIN:');
  const at = component === -1 ? text.lastIndexOf('\r\nEND:VCALENDAR') : component;
  return `${text.slice(0, at)}${lines.map((l) => `\r\n${l}`).join('')}${text.slice(at)}`;
}

/**
 * The event's UID: the occurrence's identity (which budget, which definition, which date), the
 * same on every poll. The budget is in it because a definition's id is not unique across
 * budgets: an offline push creates one under a client-chosen id, which the same client may use
 * in two budgets, and RFC 5545 wants a UID globally unique (two feeds in one calendar would
 * merge the two bills into one event). After the `@`, as a domain part: server ids hold no `@`.
 */
export const occurrenceUid = (budgetId: string, o: Pick<ScheduledOccurrence, 'recurringExpenseId' | 'occurredOn'>): string =>
  `${o.recurringExpenseId}-${o.occurredOn}@${budgetId}.budgeting`;

/**
 * "Rent: 1200.00 EUR": what is paid (merchant, else description), and how much in the budget's
 * currency (exact: from minor units). An installment plan's payment says which one it is,
 * "Loan (2/4): 250.00 EUR", from the forecast's `paymentNumber` and `count` (the upcoming bills'
 * figures), so a calendar shows how far the plan has come.
 */
export function occurrenceSummary(
  o: Pick<ScheduledOccurrence, 'merchant' | 'description' | 'amount'> & Partial<Pick<ScheduledOccurrence, 'count' | 'paymentNumber'>>,
  currency: string,
  locale?: string | null,
): string {
  const { fill } = localeMessages(locale);
  const what = o.merchant ?? o.description ?? fill('calendar.someExpense');
  const amount = amountText(o.amount, currency, locale);
  return o.count == null || o.paymentNumber == null ? fill('calendar.summary', { what, amount }) : fill('calendar.summaryPayment', { what, number: o.paymentNumber, count: o.count, amount });
}

/** An amount as a bill reminder writes it: with a locale its sign ("1.200,00 €"), without one the code ("1200.00 EUR"). */
function amountText(minor: number, currency: string, locale: string | null | undefined): string {
  const format = localeFormat(locale, currency);
  return format.localized ? format.money(minor) : `${format.money(minor)} ${currency}`;
}

/** The note of an archived budget's feed (X-WR-CALDESC), which lists no bill, in the owner's words. */
export function archivedFeedNote(locale: string | null | undefined): string {
  return localeMessages(locale).fill('calendar.archived');
}

function occurrenceDescription(o: ScheduledOccurrence, category: string | undefined, locale: string | null | undefined, { fill }: LocaleMessages): string {
  const lines = [
    ...(o.merchant !== undefined && o.description !== undefined ? [o.description] : []),
    ...(category !== undefined ? [fill('calendar.category', { category })] : []),
    ...(o.splits ? [fill('calendar.split', { parts: o.splits.length })] : []),
    ...(o.foreign ? [fill('calendar.foreign', { amount: amountText(o.foreign.amount, o.foreign.currency, locale) })] : []),
    fill('calendar.notRecorded'),
  ];
  return lines.join('\n');
}
