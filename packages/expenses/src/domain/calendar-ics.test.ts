import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { archivedFeedNote, calendarText, occurrenceSummary, occurrenceUid, type CalendarBudget } from './calendar-ics';
import { formatCalendarFeedToken, parseCalendarFeedToken } from './calendar-feed';

const budget: CalendarBudget = { budgetId: '01JDBUDGET', name: 'Household', currency: 'EUR', timezone: 'Europe/Berlin', categories: [{ id: 'c1', name: 'Bills' }] };
const rent = { recurringExpenseId: '01JDRENT', occurredOn: '2026-12-31', amount: 120_000, categoryId: 'c1', merchant: 'Rent', count: null, paymentsLeft: null, paymentNumber: null };

/** The document's lines as written (folded) and as read (unfolded). */
const written = (text: string) => text.split('\r\n').slice(0, -1);
const unfolded = (text: string) => text.replace(/\r\n[ \t]/g, '').split('\r\n').slice(0, -1);

describe("calendarText in the feed owner's locale (their profile's: the words of platform locale-messages.ts, the amounts of localeFormat)", () => {
  const plan = {
    ...rent,
    description: 'Wohnung',
    count: 4,
    paymentNumber: 2,
    splits: [
      { categoryId: 'c1', amount: 100_000 },
      { categoryId: null, amount: 20_000 },
    ],
    foreign: { amount: 8_000, currency: 'JPY' },
  };
  const descriptionOf = (lines: string[]) => lines.find((l) => l.startsWith('DESCRIPTION:'));

  it('de-DE: German words, the amounts with German digits and the currency sign', () => {
    const lines = unfolded(calendarText(budget, [plan], '2026-12-02', 'de-DE'));
    expect(lines).toContain('SUMMARY:Rent (2/4): 1.200\\,00\u00A0€');
    expect(descriptionOf(lines)).toBe('DESCRIPTION:Wohnung\\nKategorie: Bills\\nAufgeteilt auf 2 Teile\\nBezahlt als 8.000\u00A0¥\\nEine wiederkehrende Ausgabe dieses Budgets\\, noch nicht erfasst.');
    expect(unfolded(calendarText(budget, [{ ...rent, merchant: undefined }], '2026-12-02', 'de-AT'))).toContain('SUMMARY:Wiederkehrende Ausgabe: €\u00A01.200\\,00');
  });

  it('fr-FR and es-ES in their words; a language without words (ja) and no locale in English, without a locale exactly as before', () => {
    expect(unfolded(calendarText(budget, [plan], '2026-12-02', 'fr-FR'))).toContain('SUMMARY:Rent (2/4)\u00A0: 1\u202F200\\,00\u00A0€');
    expect(descriptionOf(unfolded(calendarText(budget, [plan], '2026-12-02', 'es-ES')))).toContain('Categoría: Bills');
    expect(unfolded(calendarText(budget, [plan], '2026-12-02', 'ja-JP'))).toContain('SUMMARY:Rent (2/4): €1\\,200.00');
    const before = unfolded(calendarText(budget, [plan], '2026-12-02'));
    expect(before).toContain('SUMMARY:Rent (2/4): 1200.00 EUR');
    expect(descriptionOf(before)).toBe('DESCRIPTION:Wohnung\\nCategory: Bills\\nSplit over 2 parts\\nPaid as 8000 JPY\\nA recurring expense of this budget\\, not recorded yet.');
  });

  it("an archived budget's note in the owner's words (English without a locale, as before)", () => {
    expect(archivedFeedNote('de-DE')).toBe(
      'Dieses Budget ist archiviert: Seine wiederkehrenden Ausgaben werden nicht erfasst, daher wird keine Rechnung angezeigt. Hole es aus dem Archiv, um sie wieder zu sehen.',
    );
    expect(archivedFeedNote(undefined)).toBe('This budget is archived: its recurring expenses are not recorded, so no bill is shown. Unarchive it to see them again.');
  });
});

describe('calendarText', () => {
  it('writes one all-day event per occurrence, ending the next day (across a year end), every line ending in CRLF', () => {
    const text = calendarText(budget, [rent], '2026-12-02');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfolded(text);
    expect(lines).toEqual(expect.arrayContaining(['UID:01JDRENT-2026-12-31@01JDBUDGET.budgeting', 'DTSTART;VALUE=DATE:20261231', 'DTEND;VALUE=DATE:20270101', 'DTSTAMP:20261201T230000Z', 'SUMMARY:Rent: 1200.00 EUR', 'TRANSP:TRANSPARENT', 'X-WR-CALNAME:Household']));
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  });

  it("writes every calendar property before the first component (RFC 5545 3.4 and 3.6: icalbody = calprops component), X-WR-TIMEZONE among them", () => {
    for (const occurrences of [[rent], [rent, { ...rent, occurredOn: '2027-01-31' }], []]) {
      const lines = unfolded(calendarText({ ...budget, note: 'Archived' }, occurrences, '2026-12-02'));
      // The VCALENDAR's own lines (depth 1): its properties, then its components, then its END.
      let depth = 0;
      let componentsBegun = false;
      const late: string[] = [];
      for (const line of lines) {
        if (line.startsWith('BEGIN:')) {
          if (depth === 1) componentsBegun = true;
          depth += 1;
        } else if (line.startsWith('END:')) depth -= 1;
        else if (depth === 1 && componentsBegun) late.push(line);
      }
      expect(late, `${occurrences.length} events`).toEqual([]);
      expect(lines).toContain('X-WR-TIMEZONE:Europe/Berlin');
      expect(lines.at(-1)).toBe('END:VCALENDAR');
    }
  });

  it("stamps each event (DTSTAMP, UTC) with the instant the feed's day began in the budget's time zone: never later than the read, whatever the zone", () => {
    const stampOf = (timezone: string, asOf: string) => unfolded(calendarText({ ...budget, timezone }, [rent], asOf)).find((l) => l.startsWith('DTSTAMP:'));
    // 2026-11-25 begins at 10:00Z in Kiritimati (UTC+14): read at 12:00Z on the 24th, its "today" is the 25th,
    // whose UTC midnight is 12 hours ahead of the read.
    expect(stampOf('Pacific/Kiritimati', '2026-11-25')).toBe('DTSTAMP:20261124T100000Z');
    expect(stampOf('America/New_York', '2026-11-25')).toBe('DTSTAMP:20261125T050000Z');
    // A day that begins at 01:00 (Santiago's daylight saving starts at midnight): its true first instant.
    expect(stampOf('America/Santiago', '2026-09-06')).toBe('DTSTAMP:20260906T040000Z');
    expect(stampOf('UTC', '2026-11-25')).toBe('DTSTAMP:20261125T000000Z');
  });

  it('is the same text for the same data and day (a stable ETag), and another for another day', () => {
    expect(calendarText(budget, [rent], '2026-12-02')).toBe(calendarText(budget, [rent], '2026-12-02'));
    expect(calendarText(budget, [rent], '2026-12-03')).not.toBe(calendarText(budget, [rent], '2026-12-02'));
  });

  it('escapes TEXT (RFC 5545 3.3.11) in the name, the summary and the description', () => {
    const text = calendarText({ ...budget, name: 'Home, sweet; home \\ flat' }, [{ ...rent, merchant: 'A; B, C', description: 'line one\nline two' }], '2026-12-02');
    const lines = unfolded(text);
    expect(lines).toContain('X-WR-CALNAME:Home\\, sweet\\; home \\\\ flat');
    expect(lines).toContain('SUMMARY:A\\; B\\, C: 1200.00 EUR');
    expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toBe('DESCRIPTION:line one\\nline two\\nCategory: Bills\\nA recurring expense of this budget\\, not recorded yet.');
  });

  it("writes a note as X-WR-CALDESC, escaped as TEXT; none without one", () => {
    const lines = unfolded(calendarText({ ...budget, note: 'Archived; no bills, for now' }, [], '2026-12-02'));
    expect(lines).toContain('X-WR-CALDESC:Archived\\; no bills\\, for now');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toEqual([]);
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(unfolded(calendarText(budget, [rent], '2026-12-02')).some((l) => l.startsWith('X-WR-CALDESC'))).toBe(false);
  });

  it('folds lines longer than 75 octets, counting multi-byte characters by their bytes, never splitting one', () => {
    const merchant = `Stadtwerke ${'Ü'.repeat(60)} €`;
    const text = calendarText(budget, [{ ...rent, merchant }], '2026-12-02');
    for (const line of written(text)) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(written(text).some((l) => l.startsWith(' '))).toBe(true);
    expect(unfolded(text)).toContain(`SUMMARY:${merchant}: 1200.00 EUR`);
    expect(text).not.toContain('\uFFFD');
  });
});

describe('calendarText read back by a strict parser (ical.js)', () => {
  // Names, merchants and descriptions are members' text: none of it may start a property, end
  // an event or add one, whatever line breaks, TEXT delimiters or long multi-byte runs it holds.
  const injected = 'Rent\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nATTACH:https://evil.example/x;a,b\\c\rX-EVIL:1\n';
  const long = `${'ü€𝄞'.repeat(40)}<script>`;
  // TEXT has one line break (`\n`): a CR, LF or CRLF reads back as it.
  const read = injected.replace(/\r\n?/g, '\n');
  // The X-WR properties have no type ical.js knows: their raw value, read as the TEXT it is.
  const asText = (raw: unknown) => ICAL.design.icalendar.value.text!.fromICAL!(String(raw));

  it('parses into the events written, each value exactly as given, no property of the text', () => {
    const text = calendarText(
      { ...budget, name: injected, note: injected, categories: [{ id: 'c1', name: 'Bills;\nEND:VCALENDAR' }] },
      [{ ...rent, merchant: injected, description: long }, { ...rent, occurredOn: '2027-01-31', merchant: long }],
      '2026-12-02',
    );
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(asText(calendar.getFirstPropertyValue('x-wr-calname'))).toBe(read);
    expect(asText(calendar.getFirstPropertyValue('x-wr-caldesc'))).toBe(read);
    const events = calendar.getAllSubcomponents('vevent');
    expect(events).toHaveLength(2);
    expect(calendar.getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone', 'vevent', 'vevent']);
    for (const event of events) {
      expect(event.getAllProperties().map((p) => p.name).sort()).toEqual(
        ['description', 'dtend', 'dtstamp', 'dtstart', 'sequence', 'summary', 'transp', 'uid', 'x-microsoft-cdo-alldayevent', 'x-microsoft-msncalendar-alldayevent'].sort(),
      );
    }
    expect(events[0]!.getFirstPropertyValue('summary')).toBe(`${read}: 1200.00 EUR`);
    expect(events[0]!.getFirstPropertyValue('description')).toBe(`${long}\nCategory: Bills;\nEND:VCALENDAR\nA recurring expense of this budget, not recorded yet.`);
    expect(events[1]!.getFirstPropertyValue('summary')).toBe(`${long}: 1200.00 EUR`);
  });
});

describe("calendarText's time zone component (RFC 5545 3.6: a calendar holds one component at least; 3.6.5 VTIMEZONE)", () => {
  const parsed = (text: string) => new ICAL.Component(ICAL.parse(text));

  it("an archived budget's calendar, and one with no bill to come, still holds a component: the budget's zone, no event", () => {
    for (const note of ['Archived', undefined]) {
      const calendar = parsed(calendarText({ ...budget, ...(note ? { note } : {}) }, [], '2026-12-02'));
      expect(calendar.getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone']);
      expect(calendar.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
    }
    // With bills, the zone comes first, then the events.
    expect(parsed(calendarText(budget, [rent], '2026-12-02')).getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone', 'vevent']);
  });

  it("gives the zone's offsets over the feed's 90 days, its daylight saving changes included, as ical.js reads them", () => {
    const offsetsOf = (timezone: string, asOf: string, wallTimes: string[]) => {
      const zone = new ICAL.Timezone(parsed(calendarText({ ...budget, timezone }, [], asOf)).getFirstSubcomponent('vtimezone')!);
      return wallTimes.map((t) => zone.utcOffset(ICAL.Time.fromDateTimeString(t)) / 60);
    };
    // Berlin springs forward on 2027-03-28 at 02:00 (+01:00 -> +02:00).
    expect(offsetsOf('Europe/Berlin', '2027-02-15', ['2027-02-15T00:00:00', '2027-03-28T01:59:00', '2027-03-28T03:00:00', '2027-05-15T12:00:00'])).toEqual([60, 60, 120, 120]);
    // Sydney falls back on 2027-04-04 at 03:00 (+11:00 -> +10:00).
    expect(offsetsOf('Australia/Sydney', '2027-03-01', ['2027-03-01T00:00:00', '2027-04-04T01:00:00', '2027-04-04T04:00:00', '2027-05-01T00:00:00'])).toEqual([660, 660, 600, 600]);
    // Lord Howe moves by half an hour; Kathmandu has no change and a 45-minute offset; UTC none at all.
    expect(offsetsOf('Australia/Lord_Howe', '2027-03-01', ['2027-03-01T00:00:00', '2027-05-01T00:00:00'])).toEqual([660, 630]);
    expect(offsetsOf('Asia/Kathmandu', '2027-03-01', ['2027-03-01T00:00:00', '2027-05-01T00:00:00'])).toEqual([345, 345]);
    expect(offsetsOf('UTC', '2027-03-01', ['2027-03-01T00:00:00'])).toEqual([0]);
  });
});

describe('occurrenceSummary', () => {
  it("formats the amount exactly in the currency's minor units", () => {
    expect(occurrenceSummary({ merchant: 'Gym', amount: 999 }, 'JPY')).toBe('Gym: 999 JPY');
    expect(occurrenceSummary({ merchant: 'Gym', amount: 1_250 }, 'KWD')).toBe('Gym: 1.250 KWD');
    expect(occurrenceSummary({ amount: 5, description: 'Fee' }, 'USD')).toBe('Fee: 0.05 USD');
    expect(occurrenceSummary({ amount: 100_000_000_000_1 }, 'EUR')).toBe('Recurring expense: 10000000000.01 EUR');
  });

  it("numbers an installment plan's payment after the name: (paymentNumber/count); nothing without a count", () => {
    expect(occurrenceSummary({ merchant: 'Loan', amount: 25_000, count: 4, paymentNumber: 2 }, 'EUR')).toBe('Loan (2/4): 250.00 EUR');
    expect(occurrenceSummary({ description: 'Phone', amount: 1_999, count: 12, paymentNumber: 12 }, 'EUR')).toBe('Phone (12/12): 19.99 EUR');
    expect(occurrenceSummary({ merchant: 'Gym', amount: 999, count: null, paymentNumber: null }, 'JPY')).toBe('Gym: 999 JPY');
  });

  it('gives each occurrence its own stable UID', () => {
    expect(occurrenceUid('01JDBUDGET', rent)).toBe(occurrenceUid('01JDBUDGET', { ...rent }));
    expect(occurrenceUid('01JDBUDGET', rent)).not.toBe(occurrenceUid('01JDBUDGET', { ...rent, occurredOn: '2027-01-31' }));
  });

  it("names the budget too: one definition id in two budgets (a push's client id) is two events in one calendar (RFC 5545: UID globally unique)", () => {
    expect(occurrenceUid('01JDBUDGETA', rent)).toBe('01JDRENT-2026-12-31@01JDBUDGETA.budgeting');
    expect(occurrenceUid('01JDBUDGETA', rent)).not.toBe(occurrenceUid('01JDBUDGETB', rent));
  });
});

describe('calendar feed tokens', () => {
  const token = { budgetId: '01JDBUDGET', userId: '01JDUSER', feedId: '01JDFEED', secret: `${'a'.repeat(42)}w` };

  it('parse back what they format', () => {
    expect(parseCalendarFeedToken(formatCalendarFeedToken(token))).toEqual(token);
  });

  it('refuse anything of another shape (no read is made for it)', () => {
    for (const bad of ['', 'x', '01JDBUDGET.01JDUSER.01JDFEED', `01JDBUDGET.01JDUSER.01JDFEED.${'a'.repeat(42)}b`, `a.b.c.d.${'a'.repeat(42)}w`, `a-b.c.d.${'a'.repeat(42)}w`]) {
      expect(parseCalendarFeedToken(bad), bad).toBeNull();
    }
  });
});
