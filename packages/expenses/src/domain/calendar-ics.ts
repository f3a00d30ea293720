import { addDays, formatMinorUnits } from '@budgeting/platform';
import type { ScheduledOccurrence } from '@budgeting/budgets';
import ical, { ICalEventTransparency, escape } from 'ical-generator';

/** What a feed shows of its budget. */
export interface CalendarBudget {
  name: string;
  currency: string;
  timezone: string;
  categories: { id: string; name: string }[];
  /**
   * A note on the whole calendar (X-WR-CALDESC), TEXT escaped here: an archived budget's feed
   * says why it lists no bill (expenses README "Calendar feed").
   */
  note?: string;
}

/**
 * A budget's upcoming bills as an iCalendar (RFC 5545) document, written by ical-generator
 * (line folding at 75 octets, TEXT escaping, CRLF). Each occurrence is an all-day VEVENT on its
 * date in the budget's time zone (DTSTART;VALUE=DATE, DTEND the next day): a date, not an
 * instant, so every calendar shows it on that day wherever the member is. UID is the recurring
 * expense's id and the date, so a re-poll replaces the event rather than adding one, and a
 * changed amount or merchant updates it. `asOf` (the day the feed is computed for) is every
 * DTSTAMP: the text depends only on the data and the day, so its hash is a stable ETag.
 */
export function calendarText(budget: CalendarBudget, occurrences: readonly ScheduledOccurrence[], asOf: string): string {
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
  calendar.x([{ key: 'X-WR-TIMEZONE', value: budget.timezone }]);
  const categories = new Map(budget.categories.map((c) => [c.id, c.name]));
  const stamp = new Date(`${asOf}T00:00:00.000Z`);
  for (const o of occurrences) {
    const category = o.categoryId === null ? undefined : categories.get(o.categoryId);
    calendar.createEvent({
      id: occurrenceUid(o),
      allDay: true,
      start: new Date(`${o.occurredOn}T00:00:00.000Z`),
      end: new Date(`${addDays(o.occurredOn, 1)}T00:00:00.000Z`),
      stamp,
      summary: occurrenceSummary(o, budget.currency),
      description: occurrenceDescription(o, category),
      // A bill takes no time: it must not mark the day busy.
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  // Every content line ends in CRLF (RFC 5545 3.1), the last one too.
  return `${calendar.toString()}\r\n`;
}

/** The event's UID: the occurrence's identity (which definition, which date), the same on every poll. */
export const occurrenceUid = (o: Pick<ScheduledOccurrence, 'recurringExpenseId' | 'occurredOn'>): string => `${o.recurringExpenseId}-${o.occurredOn}@budgeting`;

/**
 * "Rent: 1200.00 EUR": what is paid (merchant, else description), and how much in the budget's
 * currency (exact: from minor units). An installment plan's payment says which one it is,
 * "Loan (2/4): 250.00 EUR", from the forecast's `paymentNumber` and `count` (the upcoming bills'
 * figures), so a calendar shows how far the plan has come.
 */
export function occurrenceSummary(
  o: Pick<ScheduledOccurrence, 'merchant' | 'description' | 'amount'> & Partial<Pick<ScheduledOccurrence, 'count' | 'paymentNumber'>>,
  currency: string,
): string {
  const what = o.merchant ?? o.description ?? 'Recurring expense';
  const payment = o.count == null || o.paymentNumber == null ? '' : ` (${o.paymentNumber}/${o.count})`;
  return `${what}${payment}: ${formatMinorUnits(o.amount, currency)} ${currency}`;
}

function occurrenceDescription(o: ScheduledOccurrence, category: string | undefined): string {
  const lines = [
    ...(o.merchant !== undefined && o.description !== undefined ? [o.description] : []),
    ...(category !== undefined ? [`Category: ${category}`] : []),
    ...(o.splits ? [`Split over ${o.splits.length} parts`] : []),
    ...(o.foreign ? [`Paid as ${formatMinorUnits(o.foreign.amount, o.foreign.currency)} ${o.foreign.currency}`] : []),
    'A recurring expense of this budget, not recorded yet.',
  ];
  return lines.join('\n');
}
