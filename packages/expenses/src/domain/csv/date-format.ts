import { isCalendarDate } from '@budgeting/platform';
import type { DateFormat } from './layout';
import { clip } from '../quoted-text';

/**
 * A bank CSV's date cells read in the `dateFormat` the import was given (layout.ts
 * DATE_FORMATS), strictly: the format's fields, widths and separators, a real calendar day.
 * No `Date` parsing (it would read 03/04 either way) and no library: the formats are a closed
 * list, each one regular expression, and the month names one table.
 *
 * - `DD`, `MM`: two digits. `D`: one or two (`5` or `05`, `15`).
 * - `YYYY`: four digits. `YY`: two, read by the POSIX strptime `%y` rule (a fixed pivot, not
 *   today's date, so a file reads the same whenever it is imported): 00-68 are 2000-2068,
 *   69-99 are 1969-1999.
 * - `MMM`: a month's name or abbreviation, in any case, an abbreviation's period optional
 *   (MONTHS below: English, and the German and French spellings bank exports use).
 */

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/** A month name as its cell holds it (letters, with combining accents as decomposed text writes them, and an abbreviation's period). */
const NAME = '([\\p{L}\\p{M}]+\\.?)';

/** Each format's pattern and its capture groups' positions of year, month and day. */
const DATE_PATTERNS: Record<DateFormat, { pattern: RegExp; order: [number, number, number] }> = {
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, order: [1, 2, 3] },
  'YYYY/MM/DD': { pattern: /^(\d{4})\/(\d{2})\/(\d{2})$/, order: [1, 2, 3] },
  'DD/MM/YYYY': { pattern: /^(\d{2})\/(\d{2})\/(\d{4})$/, order: [3, 2, 1] },
  'MM/DD/YYYY': { pattern: /^(\d{2})\/(\d{2})\/(\d{4})$/, order: [3, 1, 2] },
  'DD.MM.YYYY': { pattern: /^(\d{2})\.(\d{2})\.(\d{4})$/, order: [3, 2, 1] },
  'DD.MM.YY': { pattern: /^(\d{2})\.(\d{2})\.(\d{2})$/, order: [3, 2, 1] },
  'DD/MM/YY': { pattern: /^(\d{2})\/(\d{2})\/(\d{2})$/, order: [3, 2, 1] },
  'MM/DD/YY': { pattern: /^(\d{2})\/(\d{2})\/(\d{2})$/, order: [3, 1, 2] },
  'DD MMM YYYY': { pattern: new RegExp(`^(\\d{2}) ${NAME} (\\d{4})$`, 'u'), order: [3, 2, 1] },
  'D MMM YYYY': { pattern: new RegExp(`^(\\d{1,2}) ${NAME} (\\d{4})$`, 'u'), order: [3, 2, 1] },
  'MMM D, YYYY': { pattern: new RegExp(`^${NAME} (\\d{1,2}), (\\d{4})$`, 'u'), order: [3, 1, 2] },
  'DD-MMM-YY': { pattern: new RegExp(`^(\\d{2})-${NAME}-(\\d{2})$`, 'u'), order: [3, 2, 1] },
  'DD-MMM-YYYY': { pattern: new RegExp(`^(\\d{2})-${NAME}-(\\d{4})$`, 'u'), order: [3, 2, 1] },
  // Mint's US dates: month and day one or two digits (`1/5/2026`, `12/31/2026`).
  'M/D/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 1, 2] },
  // A date and time (ISO 8601 / RFC 3339, as Firefly III's export writes `2026-03-05T00:00:00+01:00`):
  // the day is the one written, the time and the offset are not applied (the app wrote the
  // transaction's day in its own time zone, which is the day the user saw).
  'YYYY-MM-DDThh:mm:ss': { pattern: /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?$/, order: [1, 2, 3] },
  // A date and time with one space and no offset (Revolut's statement CSV: `2026-03-05 10:00:00`):
  // the day as written, as above.
  'YYYY-MM-DD hh:mm:ss': { pattern: /^(\d{4})-(\d{2})-(\d{2}) \d{2}:\d{2}:\d{2}$/, order: [1, 2, 3] },
};

/**
 * Month names and abbreviations (lower case, NFC, without an abbreviation's period) and their
 * numbers. English: `jan`..`dec` (and `sept`), full names. German: `jän`/`jänner`, `mär`/`mrz`/
 * `maerz`/`märz`, `mai`, `okt`, `dez` and the full names (the rest are the English ones).
 * French: `janv`, `févr`/`fevr`/`fév`/`fev`, `mars`, `avr`, `mai`, `juin`, `juil`, `août`/`aout`,
 * `sept`, `oct`, `nov`, `déc`/`dec` and the full names, with or without accents. No spelling
 * means two months across these languages, so no language needs to be given.
 */
export const MONTHS: ReadonlyMap<string, number> = new Map(
  (
    [
      [1, 'jan january januar jän jänner janv janvier'],
      [2, 'feb february februar févr fevr fév fev février fevrier'],
      [3, 'mar march mär mrz märz maerz mars'],
      [4, 'apr april avr avril'],
      [5, 'may mai'],
      [6, 'jun june juni juin'],
      [7, 'jul july juli juil juillet'],
      [8, 'aug august août aout'],
      [9, 'sep sept september septembre'],
      [10, 'oct october okt oktober octobre'],
      [11, 'nov november novembre'],
      [12, 'dec december dez dezember déc décembre decembre'],
    ] as const
  ).flatMap(([month, names]) => names.split(' ').map((name) => [name, month] as const)),
);

/** A month cell's number (MONTHS), undefined when it names none. */
export function monthNumber(name: string): number | undefined {
  return MONTHS.get(name.normalize('NFC').toLowerCase().replace(/\.$/, ''));
}

/** A two-digit year by the POSIX strptime `%y` rule: 00-68 -> 2000-2068, 69-99 -> 1969-1999. */
export function fullYear(twoDigits: number): number {
  return twoDigits <= 68 ? 2000 + twoDigits : 1900 + twoDigits;
}

/**
 * A date cell in `format` as YYYY-MM-DD, strictly (see the top of this file); anything else is
 * the row's error naming `date` and the format. The ISO default is passed on as it is: the row
 * check gives today's message.
 */
export function normalizeDate(cell: string, format: DateFormat): Result<string> {
  const text = cell.trim();
  if (format === 'YYYY-MM-DD') return { ok: true, value: text };
  const { pattern, order } = DATE_PATTERNS[format];
  const match = pattern.exec(text);
  const iso = match ? isoOf(match[order[0]]!, match[order[1]]!, match[order[2]]!) : undefined;
  if (iso === undefined || !isCalendarDate(iso)) {
    const names = format.includes('MMM') ? '; MMM: an English, German or French month name or abbreviation' : '';
    return { ok: false, message: `date must be a calendar date ${format} (dateFormat${names}), not "${clip(text)}"` };
  }
  return { ok: true, value: iso };
}

/** The formats of day and month both in digits and the format reading them the other way round (undefined: none of the list). */
const DAY_MONTH_SWAPPED: Partial<Record<DateFormat, DateFormat | undefined>> = {
  'DD/MM/YYYY': 'MM/DD/YYYY',
  'MM/DD/YYYY': 'DD/MM/YYYY',
  'DD/MM/YY': 'MM/DD/YY',
  'MM/DD/YY': 'DD/MM/YY',
  // No D/M/YYYY in the list: DD/MM/YYYY would refuse `25/1/2026`.
  'M/D/YYYY': undefined,
  'DD.MM.YYYY': undefined,
  'DD.MM.YY': undefined,
};

/**
 * How a date cell of a day-and-month-in-digits format (`DD/MM/YYYY`, `MM/DD/YYYY`, ...) reads
 * with its day and month the other way round: `swappedOnly`, a calendar date only that way
 * (`13/03/2026` under MM/DD/YYYY); `twoDays`, a calendar date both ways, two different days
 * (`05/03/2026`); undefined otherwise (one way only as given, the same day both ways, no
 * date either way, or a format without two digit fields). readBankCsv refuses a file holding
 * both: its dates are written the other way, and its `twoDays` rows would be stored on the
 * wrong day without any error.
 */
export function dayMonthSwap(cell: string, format: DateFormat): 'swappedOnly' | 'twoDays' | undefined {
  if (!(format in DAY_MONTH_SWAPPED)) return undefined;
  const { pattern, order } = DATE_PATTERNS[format];
  const match = pattern.exec(cell.trim());
  if (!match) return undefined;
  const asGiven = isoOf(match[order[0]]!, match[order[1]]!, match[order[2]]!);
  const swapped = isoOf(match[order[0]]!, match[order[2]]!, match[order[1]]!);
  const givenReads = asGiven !== undefined && isCalendarDate(asGiven);
  const swappedReads = swapped !== undefined && isCalendarDate(swapped);
  if (!givenReads && swappedReads) return 'swappedOnly';
  return givenReads && swappedReads && asGiven !== swapped ? 'twoDays' : undefined;
}

/** The format naming a format's day and month the other way round, if the list has one. */
export const dayMonthSwappedFormat = (format: DateFormat): DateFormat | undefined => DAY_MONTH_SWAPPED[format];

/** The ISO spelling of a matched date's year (two or four digits), month (digits or a name) and day (one or two digits). */
function isoOf(year: string, month: string, day: string): string | undefined {
  const y = year.length === 2 ? String(fullYear(Number(year))) : year;
  const m = /^\d+$/.test(month) ? month : monthNumber(month);
  if (m === undefined) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${day.padStart(2, '0')}`;
}
