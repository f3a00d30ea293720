import { characterCount, isCalendarDate, isWellFormedText, normalizeName, searchKey } from '@budgeting/platform';
import { EntryCounter, type CreditsAs, type FileRow, type FileSplitPart, type ReadFile } from '../import-file';
import { SPLITS_MAX, SPLITS_MIN } from '../splits';
import { TAG_MAX } from '../tags';
import type { DateFormat } from '../csv/layout';
import { fullYear } from '../csv/date-format';
import { withoutTrailingZeros } from '../csv/amount';
import { clip } from '../quoted-text';
import { DESCRIPTION_MAX } from '../text-limits';

/**
 * The transactions of a QIF file (Quicken Interchange Format, what Quicken, MS Money, GnuCash
 * and many banks export) as import rows (see import-file.ts), each numbered by the line its
 * first field is on.
 *
 * - Sections: `!Type:Bank`, `!Type:CCard` and `!Type:Cash` hold transactions; the records of
 *   any other section (`!Account`, `!Type:Invst`, `!Type:Cat`, `!Type:Memorized`...) are
 *   passed over, and `!Option:`/`!Clear:` lines ignored. A file without a transaction section,
 *   or not starting with a `!` header, is refused (QifFileError).
 * - A record is its field lines (a letter, then the value) up to `^`. `D` date, `T` amount
 *   (`U`, Quicken's copy of it, when there is no `T`), `P` payee -> merchant, `M` memo ->
 *   description (several `M` lines joined by a space), `L` category -> the category cell (the
 *   import matches it with the budget's categories by name, as a CSV file's column); a class
 *   after `/` (`Groceries/Vacation`) is the row's tag (Quicken's classes are tags: tags.ts
 *   rules; one longer than TAG_MAX is an error of the row). Other fields (`N` number, `C`
 *   cleared, `A` address) are ignored.
 * - Split lines (`S` category, `E` memo, `$` amount; each `S` starts a part): handed on as the
 *   row's `splits` when they are 2..50 parts, each with an amount of money out (negative, not
 *   zero; a refund's: money in) and none a transfer (`S[Savings]`); the import makes the row a split expense when the
 *   parts add up to its amount (file-rows.ts). Otherwise the record is one expense of its total
 *   `T` with `L`'s category, as if it had no split lines; the row's `splitFallback` says why
 *   (a dry run lists it).
 * - A negative amount is an expense of its absolute value. A positive or zero amount (money in)
 *   and a transfer between the user's own accounts (`L[Savings]`) are skipped (`skipped`).
 *   With `credits` `refunds` a positive amount that is not a transfer is a refund row instead
 *   (`refund: true`, read as a debit). Its split lines are read as a purchase's with the sign
 *   turned: each `$` money in (positive, not zero), the parts a split refund; a part of the
 *   other sign (money out inside money in, or the reverse) cannot be a part of a split of one
 *   direction, so the record falls back to one amount of its total, as any unfit split.
 * - Amounts: `-1,234.56` (`,` groups thousands when a `.` is the decimal mark), `-1.234,56`
 *   and `-12,50` (`,` the decimal mark: when it is followed by one or two digits, when the
 *   whole part is 0, as in `-0,250` of a three-decimal currency, or when `.` groups
 *   thousands); `-1,234` is read as a thousand and more (a group of thousands never starts
 *   with 0: `0,250,000` is no amount). Nothing else (no currency symbol).
 * - Dates (qifDateOrder): `2026-11-21`, or day, month and year in an order, `/`, `.` or `-`
 *   between, Quicken's `'` before a two-digit year of the 2000s (`11/21'26`, ` 1/ 5'26`), 1 or 2
 *   digits for day and month, 2 or 4 for the year (`YY` by the POSIX rule of the CSV's
 *   dateFormat: 00-68 2000-2068, 69-99 1969-1999). The order is `dateFormat`'s when given,
 *   else found from the file: a first number above 12 on some line is day-first, a second one
 *   month-first; both, or neither while some date reads two ways, refuse the file
 *   (QifDateOrderError, naming `dateFormat`).
 * - A record left without `^` at the end of the file is an error of its line (the file may be
 *   cut off). Rows have no `key`: QIF gives transactions no id, so a row is known by its values.
 */
export function readQif(input: string, dateFormat?: DateFormat, credits: CreditsAs = 'skip', maxRows?: number): ReadFile {
  // Two walks over the text, each holding one record at a time: the first finds the dates'
  // order (it needs every record's date before any row is read) and stops past the row limit;
  // the second reads the rows. Splitting the file into lines and records first held 77 times
  // the file (387 MB of heap for 5 MB of `T-1`/`^` records; bench/reader-memory.ts).
  const dates = () => qifRecords(input, new EntryCounter(maxRows), 'dates');
  const order = dateFormat === undefined ? detectOrder(dates()) : checkedOrder(dates(), orderOf(dateFormat), dateFormat);
  const rows: FileRow[] = [];
  const skipped: number[] = [];
  for (const record of qifRecords(input, new EntryCounter(maxRows))) {
    const row = recordRow(record, order, credits);
    if (row === 'skip') skipped.push(record.line);
    else rows.push(row);
  }
  return { rows, skipped };
}

export class QifFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'QifFileError';
  }
}

/** The file's dates read two ways, or two ways at once: `dateFormat` must say which. */
export class QifDateOrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QifDateOrderError';
  }
}

/** How a `dd/dd/yy` date is read: day first, month first; a four-digit first number is always year first. */
export type DateOrder = 'DMY' | 'MDY' | 'YMD';

export function orderOf(format: DateFormat): DateOrder {
  if (format.startsWith('YYYY')) return 'YMD';
  return format.startsWith('MM') ? 'MDY' : 'DMY';
}

/** A split part being read (splitParts). */
interface QifPart {
  line: number;
  category?: string;
  memo?: string;
  amount?: string;
}

/**
 * A transaction record as the rows need it, built line by line: the first field of each code
 * read (`first`: D, T, U, P, L), the memo lines, and the split parts (each `S` starts one; `E`
 * and `$` fill the current part, or start an uncategorized one when it has them already). Only
 * SPLITS_MAX + 1 parts are kept (more make no split: only their count is told), so a record of
 * a million split lines holds 51; and at most MEMO_LINES_KEPT memo lines (+ 1, see there).
 */
interface QifRecord {
  line: number;
  first: Map<string, { value: string; line: number }>;
  memo: string[];
  /** A memo line past MEMO_LINES_KEPT that is not well-formed text is kept (the first only). */
  memoIllFormedKept: boolean;
  parts: QifPart[];
  partCount: number;
  current?: QifPart;
  ended: boolean;
}

/**
 * The memo lines of a record kept for the row's description (an income's notes, the same
 * field): each kept line is trimmed and not empty, so N of them joined by a space are at least
 * 2N - 1 characters, also after the row's own trim and formula-guard apostrophe (validateRow:
 * the first line keeps its last character), and 251 are more than a description holds
 * (DESCRIPTION_MAX, 500): the row is the description's length error whatever the lines after
 * them hold. So those are only counted, except the first of them that is not well-formed text
 * (a NUL, a lone surrogate), which is kept too: that check comes first in validateRow, so the row's
 * error stays the one the whole memo gives. Every line was kept until readers55: 5 MB of `M1`
 * lines in one record peaked at 59 MB (bench/reader-memory.ts). camt.053's remittance lines
 * are bounded alike (camt/markup-walk.ts REMITTANCE_LINES_KEPT).
 */
export const MEMO_LINES_KEPT = Math.floor(DESCRIPTION_MAX / 2) + 1;

const TRANSACTION_TYPES = new Set(['bank', 'ccard', 'cash']);
const FIRST_ONLY = new Set(['D', 'T', 'U', 'P', 'L']);

/** Adds a field line to the record being read (see QifRecord). */
function addField(record: QifRecord, code: string, value: string, line: number): void {
  if (FIRST_ONLY.has(code)) {
    if (!record.first.has(code)) record.first.set(code, { value, line });
  } else if (code === 'M') {
    if (value === '') return;
    if (record.memo.length - (record.memoIllFormedKept ? 1 : 0) < MEMO_LINES_KEPT) record.memo.push(value);
    else if (!record.memoIllFormedKept && !isWellFormedText(value)) {
      record.memo.push(value);
      record.memoIllFormedKept = true;
    }
  } else if (code === 'S' || code === 'E' || code === '$') {
    const current = record.current;
    let part: QifPart | undefined;
    if (code === 'S') part = { line, category: value };
    else if (code === 'E') {
      if (current && current.memo === undefined && current.amount === undefined) current.memo = value;
      else part = { line, memo: value };
    } else if (current && current.amount === undefined) current.amount = value;
    else part = { line, amount: value };
    if (part) {
      record.current = part;
      record.partCount++;
      if (record.parts.length <= SPLITS_MAX) record.parts.push(part);
    }
  }
}

/**
 * The physical lines of the text (LF, CRLF or CR ends), 1-based, found by an index walk: the
 * text is never split whole.
 */
function* textLines(text: string): Generator<[string, number]> {
  const ends = /\r\n|\r|\n/g;
  let pos = 0;
  let line = 1;
  for (;;) {
    ends.lastIndex = pos;
    const end = ends.exec(text);
    yield [text.slice(pos, end ? end.index : text.length), line];
    if (!end) return;
    pos = end.index + end[0].length;
    line++;
  }
}

/**
 * The transaction records of the text, one at a time, each counted (`counter`: past the row
 * limit it throws, and the walk stops there); with `keep` `dates`, holding their D fields only. The file's own errors (no header, no transaction
 * section) are QifFileErrors, thrown where the walk finds them.
 */
function* qifRecords(input: string, counter: EntryCounter, keep: 'all' | 'dates' = 'all'): Generator<QifRecord> {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  let section: 'transactions' | 'other' | undefined;
  let sawTransactions = false;
  let current: QifRecord | undefined;
  /** The record ending here, when it is a transaction's (a record of another section is passed over). */
  const close = (ended: boolean): QifRecord | undefined => {
    const done = current && section === 'transactions' ? { ...current, ended } : undefined;
    current = undefined;
    if (done) counter.add();
    return done;
  };
  for (const [raw, line] of textLines(text)) {
    const value = raw.trim();
    if (value === '') continue;
    if (value.startsWith('!')) {
      const header = value.toLowerCase();
      if (header.startsWith('!option:') || header.startsWith('!clear:')) continue;
      const done = close(false);
      if (done) yield done;
      const type = /^!type:\s*(.*)$/.exec(header)?.[1]?.trim();
      section = type !== undefined && TRANSACTION_TYPES.has(type) ? 'transactions' : 'other';
      if (section === 'transactions') sawTransactions = true;
      continue;
    }
    if (section === undefined) throw new QifFileError(line, `Not a QIF file: it must start with a header line such as !Type:Bank, found "${clip(value)}"`);
    if (value === '^') {
      const done = close(true);
      if (done) yield done;
      continue;
    }
    current ??= { line, first: new Map(), memo: [], memoIllFormedKept: false, parts: [], partCount: 0, ended: false };
    // Only a transaction section's fields are kept: another section's records are passed over.
    // `dates` (detectOrder's walk): the D fields only.
    const code = value[0]!.toUpperCase();
    if (section === 'transactions' && (keep === 'all' || code === 'D')) addField(current, code, raw.trimStart().slice(1).trim(), line);
  }
  const done = close(false);
  if (done) yield done;
  if (section === undefined) throw new QifFileError(1, 'The file is empty');
  if (!sawTransactions) throw new QifFileError(1, 'No !Type:Bank, !Type:CCard or !Type:Cash section in the file (only those hold transactions read here)');
}

function recordRow(record: QifRecord, order: DateOrder, credits: CreditsAs): FileRow | 'skip' {
  const line = record.line;
  const field = (code: string) => record.first.get(code)?.value;
  if (!record.ended) return { line, fields: [], error: 'the record does not end with a ^ line (the file may be cut off)' };
  const amountText = field('T') ?? field('U');
  if (amountText === undefined || amountText === '') return { line, fields: [], error: 'T (the amount) is required' };
  const amount = parseQifAmount(amountText);
  if (!amount) return { line, fields: [], error: `T must be an amount like -12.50, -1,234.56 or -12,50, not "${clip(amountText)}"` };
  const refund = !amount.negative;
  if ((refund && credits === 'skip') || /^0*$/.test(amount.whole + amount.fraction)) return 'skip';
  const categoryField = (field('L') ?? '').trim();
  if (/^\[.*\]/.test(categoryField)) return 'skip';
  const { category, tag, tagError } = categoryAndClass(categoryField);
  if (tagError) return { line, fields: [], error: `L: ${tagError}` };
  const split = splitParts(record, refund);
  if (split.error !== undefined) return { line, fields: [], error: split.error };

  const dateText = field('D');
  if (dateText === undefined || dateText === '') return { line, fields: [], error: 'D (the date) is required' };
  const parts = dateParts(dateText);
  const date = parts ? isoDate(parts, order) : undefined;
  if (date === undefined) {
    const how = parts && !parts.yearFirst ? (order === 'YMD' ? ' (dateFormat says year first)' : ` read ${order === 'DMY' ? 'day' : 'month'} first`) : '';
    return { line, fields: [], error: `D must be a calendar date like 11/21/2026, 21.11.2026, 11/21'26 or 2026-11-21${how}, not "${clip(dateText)}"` };
  }

  const memo = record.memo.join(' ');
  const major = majorOf(amount);
  return {
    line,
    fields: [date, major, category, memo, field('P') ?? ''],
    ...(split.parts ? { splits: split.parts } : {}),
    ...(split.fallback ? { splitFallback: split.fallback } : {}),
    ...(tag ? { tags: [tag] } : {}),
    ...(refund ? { refund: true as const } : {}),
  };
}

/**
 * A category cell and its class (`Groceries/Vacation`: Groceries, the tag Vacation), the class
 * name-normalized as a tag is stored (tags.ts); none when it is empty or invisible. A class longer
 * than a tag may be is `tagError`.
 */
function categoryAndClass(cell: string): { category: string; tag?: string; tagError?: string } {
  const slash = cell.indexOf('/');
  if (slash < 0) return { category: cell };
  const category = cell.slice(0, slash).trim();
  const tag = normalizeName(cell.slice(slash + 1));
  if (!isWellFormedText(tag)) return { category, tagError: 'the class must be well-formed text without NUL or other control characters' };
  if (searchKey(tag) === '') return { category };
  if (characterCount(tag) > TAG_MAX) return { category, tagError: `the class "${clip(tag)}" is longer than ${TAG_MAX} characters, the most a tag holds` };
  return { category, tag };
}

/**
 * The record's split lines as `parts` (each `S` starts one; `E` and `$` fill the current part, or
 * start an uncategorized one when it has them already); none when there are none, or, with
 * `fallback` saying why, when they cannot form a split expense (fewer than 2 or more than 50
 * parts, a part without an amount in the record's direction, a transfer part): the record is
 * then read as if it had none. A part's class too long for a tag is the row's `error`.
 * `moneyIn`: the record is a refund (a positive `T`), so its parts' `$` must be positive too
 * (each part of a split refund gives money back to its category); else negative.
 */
function splitParts(record: QifRecord, moneyIn: boolean): { parts?: FileSplitPart[]; fallback?: string; error?: string } {
  const parts = record.parts;
  if (parts.length === 0) return {};
  const count = record.partCount;
  if (count < SPLITS_MIN || count > SPLITS_MAX) {
    return { fallback: `${count} split part${count === 1 ? '' : 's'}: a split expense has ${SPLITS_MIN} to ${SPLITS_MAX}` };
  }
  const out: FileSplitPart[] = [];
  for (const [n, part] of parts.entries()) {
    const which = `split part ${n + 1} (line ${part.line})`;
    const amount = part.amount === undefined ? undefined : parseQifAmount(part.amount);
    if (!amount || amount.negative === moneyIn || /^0*$/.test(amount.whole + amount.fraction)) {
      const expected = moneyIn ? 'money in (positive, not zero), as the refund\'s total' : 'money out (negative, not zero)';
      return { fallback: `${which}: ${part.amount === undefined ? 'no $ amount' : `$ "${clip(part.amount)}" is not an amount of ${expected}`}` };
    }
    const cell = (part.category ?? '').trim();
    if (/^\[.*\]/.test(cell)) return { fallback: `${which}: a transfer (${clip(cell)}) cannot be a part of an expense` };
    const { category, tag, tagError } = categoryAndClass(cell);
    if (tagError) return { error: `S (line ${part.line}): ${tagError}` };
    out.push({ line: part.line, amount: majorOf(amount), category, description: (part.memo ?? '').trim(), ...(tag ? { tag } : {}) });
  }
  return { parts: out };
}

/** An amount's absolute value in plain major units (`1234.5`), as a row's amount cell. */
function majorOf(amount: { whole: string; fraction: string }): string {
  const fraction = withoutTrailingZeros(amount.fraction);
  return `${amount.whole === '' ? '0' : amount.whole}${fraction ? `.${fraction}` : ''}`;
}

/** A QIF amount: its sign and digits (see the top), never a float. */
export function parseQifAmount(text: string): { negative: boolean; whole: string; fraction: string } | undefined {
  const value = text.replace(/\s/g, '');
  const match = /^([+-]?)([\d.,]+)$/.exec(value);
  if (!match) return undefined;
  const sign = match[1]!;
  const digits = match[2]!;
  let whole: string;
  let fraction: string;
  let m: RegExpExecArray | null;
  // `,` the decimal mark before one or two digits, or after a whole part of 0 (`-0,250`: 250 fils
  // of a three-decimal currency, KWD or BHD); a thousands group never starts with a 0, so a
  // grouped number's first group is 1..999 (`0,250` was read as 250 whole units).
  if ((m = /^(\d+),(\d{1,2})$/.exec(digits)) || (m = /^(0+),(\d+)$/.exec(digits))) [whole, fraction] = [m[1]!, m[2]!];
  else if ((m = /^([1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(digits))) [whole, fraction] = [m[1]!.replaceAll(',', ''), m[2] ?? ''];
  else if ((m = /^([1-9]\d{0,2}(?:\.\d{3})+)(?:,(\d+))?$/.exec(digits))) [whole, fraction] = [m[1]!.replaceAll('.', ''), m[2] ?? ''];
  else if ((m = /^\.(\d+)$/.exec(digits))) [whole, fraction] = ['', m[1]!];
  else return undefined;
  return { negative: sign === '-', whole: whole.replace(/^0+(?=\d)/, ''), fraction };
}

interface DateParts {
  first: number;
  second: number;
  third: number;
  /** Four digits first: year, month, day. */
  yearFirst: boolean;
  /** Quicken's `'`: a two-digit year of the 2000s. */
  apostrophe: boolean;
  thirdDigits: number;
}

function dateParts(text: string): DateParts | undefined {
  const value = text.replace(/\s/g, '');
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value);
  if (iso) return { first: Number(iso[1]), second: Number(iso[2]), third: Number(iso[3]), yearFirst: true, apostrophe: false, thirdDigits: iso[3]!.length };
  const match = /^(\d{1,2})([-/.])(\d{1,2})(?:(')|[-/.])(\d{2}|\d{4})$/.exec(value);
  if (!match) return undefined;
  return { first: Number(match[1]), second: Number(match[3]), third: Number(match[5]), yearFirst: false, apostrophe: match[4] === "'", thirdDigits: match[5]!.length };
}

function isoDate(parts: DateParts, order: DateOrder): string | undefined {
  let year: number;
  let month: number;
  let day: number;
  if (parts.yearFirst) [year, month, day] = [parts.first, parts.second, parts.third];
  else {
    year = parts.thirdDigits === 4 ? parts.third : parts.apostrophe ? 2000 + parts.third : fullYear(parts.third);
    [day, month] = order === 'MDY' ? [parts.second, parts.first] : [parts.first, parts.second];
    if (order === 'YMD') return undefined;
  }
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : undefined;
}

/**
 * The order `dateFormat` gives, unless the file's dates are written the other way round (our
 * export's MM/DD/YYYY imported with DD/MM/YYYY): one date is a calendar day only with its day
 * and month swapped and another reads as two different days, a QifDateOrderError. Each row alone
 * would otherwise be read, the first the row's error and the second stored on the wrong day
 * without any error. Year first (`YYYY-MM-DD`) swaps nothing.
 */
function checkedOrder(records: Iterable<QifRecord>, order: DateOrder, dateFormat: DateFormat): DateOrder {
  if (order === 'YMD') return order;
  const other: DateOrder = order === 'DMY' ? 'MDY' : 'DMY';
  let swappedOnly: { line: number; text: string } | undefined;
  let twoDays: { line: number; text: string } | undefined;
  for (const record of records) {
    const d = record.first.get('D');
    const parts = d ? dateParts(d.value) : undefined;
    if (!d || !parts || parts.yearFirst) continue;
    const [asGiven, swapped] = [isoDate(parts, order), isoDate(parts, other)];
    if (asGiven === undefined && swapped !== undefined) swappedOnly ??= { line: d.line, text: d.value };
    else if (asGiven !== undefined && swapped !== undefined && asGiven !== swapped) twoDays ??= { line: d.line, text: d.value };
    if (swappedOnly && twoDays) {
      throw new QifDateOrderError(
        `The file's dates are not ${dateFormat}: line ${swappedOnly.line} (${clip(swappedOnly.text)}) is a date only with its day and month the other way round, and line ${twoDays.line} (${clip(twoDays.text)}) would then be another day; give dateFormat=${other === 'MDY' ? 'MM/DD/YYYY' : 'DD/MM/YYYY'} to read the file that way`,
      );
    }
  }
  return order;
}

/**
 * The order of the file's day-month dates when no dateFormat is given: day first when some
 * date's first number is above 12, month first when some second number is; both, or neither
 * while some date reads as two different days, is a QifDateOrderError.
 */
function detectOrder(records: Iterable<QifRecord>): DateOrder {
  let dayFirst: { line: number; text: string } | undefined;
  let monthFirst: { line: number; text: string } | undefined;
  let twoWays: { line: number; text: string } | undefined;
  for (const record of records) {
    const d = record.first.get('D');
    const parts = d ? dateParts(d.value) : undefined;
    if (!d || !parts || parts.yearFirst) continue;
    if (parts.first > 12 && parts.second <= 12) dayFirst ??= { line: d.line, text: d.value };
    else if (parts.second > 12 && parts.first <= 12) monthFirst ??= { line: d.line, text: d.value };
    else if (parts.first !== parts.second && parts.first <= 12 && parts.second <= 12) twoWays ??= { line: d.line, text: d.value };
  }
  if (dayFirst && monthFirst) {
    throw new QifDateOrderError(
      `The file's dates are written day first (line ${dayFirst.line}: ${clip(dayFirst.text)}) and month first (line ${monthFirst.line}: ${clip(monthFirst.text)}); give dateFormat (DD/MM/YYYY or MM/DD/YYYY) to read them one way`,
    );
  }
  if (dayFirst) return 'DMY';
  if (monthFirst) return 'MDY';
  if (twoWays) {
    throw new QifDateOrderError(
      `The file's dates can be read day first or month first (line ${twoWays.line}: ${clip(twoWays.text)}); give dateFormat=MM/DD/YYYY (month first, as US Quicken writes) or DD/MM/YYYY (day first)`,
    );
  }
  return 'MDY';
}
