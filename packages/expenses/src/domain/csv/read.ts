import { CsvError, parse } from 'csv-parse/sync';
import { clip } from '../quoted-text';
import { CSV_COLUMNS, EXPORT_COLUMNS, FOREIGN_EXPORT_COLUMNS, REVIEWED_EXPORT_COLUMNS, TAGS_EXPORT_COLUMNS } from './cells';


/**
 * One record of the file and the physical line (1-based) it starts on. `foreign`: the record's
 * foreignAmount and foreignCurrency cells, only in a file with the export's header.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
  foreign?: [string, string];
}

/** The file as a whole cannot be read (broken quoting, a header of other columns). */
export class CsvFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}

/**
 * The file has more than `limit` records (blank ones not counted): the reader stopped at the
 * next one, so memory and time stay bounded whatever the file. csv-parse's own records (each
 * with its raw text and an info object) took 2 GB for a 5 MB file of 2.6 million
 * one-character lines, twice the function's memory; and every record of another length than
 * the first costs it an error object (about 25 microseconds: 65 s for that file after a header).
 * `first`: the file's first record.
 */
export class CsvRowLimitError extends Error {
  constructor(
    readonly limit: number,
    readonly first: CsvRecord | undefined,
  ) {
    super(`The file has more than ${limit} records`);
    this.name = 'CsvRowLimitError';
  }
}

/**
 * Splits an import file into records with csv-parse (RFC 4180: quoted fields, commas, quotes
 * and line breaks inside quotes; a UTF-8 BOM; LF, CRLF or CR line ends), numbering each record
 * by the physical line it starts on, so a quoted field spanning lines counts them all.
 *
 * - Blank lines, and records whose every field is blank (spreadsheets append `,,,,` rows),
 *   are skipped.
 * - A first record that is the header (the column names in order, any case) is skipped. A
 *   first record that starts with "date" but is not exactly that header is refused: columns
 *   in another order would otherwise be read as the wrong values. The export's headers are
 *   accepted too (see readExportColumns).
 * - Broken quoting refuses the whole file (CsvFileError with its line). csv-parse can skip a
 *   bad record, but after a quoting error it cannot know where the next record starts (it was
 *   seen to merge or drop the rows that follow), and a silently lost row is worse than a
 *   refused file the user can fix.
 * - A record with the wrong number of fields is returned as it is; the caller reports it.
 */
export function readCsv(text: string, layout: { delimiter?: CsvDelimiter; skipLines?: number; maxRows?: number } = {}): CsvRecord[] {
  const records = splitCsv(text, layout.delimiter ?? ',', layout.skipLines ?? 0, recordsToRead(layout.maxRows));
  readOwnHeader(records);
  return records;
}

/**
 * The records a reader reads for an import of at most `maxRows` rows: those and a header row,
 * and one more, so a file of maxRows + 1 rows is still read whole and refused by its count (the
 * 413 says "The file has 50001 rows"); past that it stops (CsvRowLimitError). Undefined: all.
 */
export const recordsToRead = (maxRows: number | undefined): number | undefined => (maxRows === undefined ? undefined : maxRows + 2);

/** The delimiters a file may use (bank-csv.ts: German and French banks write `;`). */
export type CsvDelimiter = ',' | ';' | '\t';

/**
 * The file's records (blank ones left out) and the lines they start on, without looking at a
 * header. `skipLines`: physical lines before the header that are not CSV of the file's shape
 * (a bank's account name and period), cut off as text before parsing (their quotes may not
 * even balance); the records keep their physical line numbers.
 */
export function splitCsv(text: string, delimiter: CsvDelimiter, skipLines: number, limit = Number.POSITIVE_INFINITY): CsvRecord[] {
  // Line ends normalized first: csv-parse counts a CR of a CRLF inside quotes as a line of its
  // own. A line break inside a quoted field becomes LF, which is how it is stored anyway.
  let normalized = text.replace(/\r\n?/g, '\n');
  if (skipLines > 0) normalized = afterLines(normalized, skipLines);
  const wide = tooWideRecordLine(normalized, delimiter);
  if (wide !== undefined) {
    throw new CsvFileError(wide + skipLines, `The record starting on line ${wide + skipLines} has more than ${MAX_RECORD_FIELDS} fields (a CSV file of expenses has 5 to 10, a bank export a few dozen)`);
  }
  const records: CsvRecord[] = [];
  try {
    parse(normalized, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      // Each record is made ours as it is read and csv-parse keeps none (null); the one past
      // `limit` stops the parse (CsvRowLimitError, thrown through csv-parse). Checked by hand, not
      // by a schema per record.
      on_record: (record: unknown, context: { lines: number }) => {
        if (!Array.isArray(record) || !record.every((field): field is string => typeof field === 'string')) throw new Error('csv-parse returned a record that is not an array of strings');
        if (record.every((field) => field.trim() === '')) return null;
        if (records.length >= limit) throw new CsvRowLimitError(limit, records[0]);
        // `context.lines` is the line the record ends on. Its own line breaks are those inside its
        // quoted fields (as LF: the line ends were normalized above), the lines it spans.
        const spans = record.reduce((n, field) => n + (field.includes('\n') ? field.split('\n').length - 1 : 0), 0);
        records.push({ line: context.lines - spans + skipLines, fields: record });
        return null;
      },
    });
  } catch (err) {
    // csv-parse quotes the field read so far (`value is "..."`), which may be most of the file: clipped.
    if (err instanceof CsvError) throw new CsvFileError(((err as CsvError & { lines?: number }).lines ?? 1) + skipLines, clip(err.message, 200));
    throw err;
  }
  return records;
}

/**
 * The most fields a record may have. csv-parse builds a record's array of fields whole before
 * anyone sees it, whatever its length: one line of 5 million delimiters (a 5 MB body) held about
 * 100 MB of heap for the one record (160 MB in all) and took 3 to 6 s, and `?profile=auto` read
 * the header once per layout of the budget's profiles. No file of expenses or bank export has a
 * thousand columns (ours 5 to 10, Firefly III's about 40).
 */
export const MAX_RECORD_FIELDS = 1_000;

/**
 * The line (1-based, LF ends) a record of more than MAX_RECORD_FIELDS fields starts on, found by
 * one scan of the delimiters and line ends outside double quotes (RFC 4180: a quote opens or
 * closes a quoted field, `""` inside one closes and reopens it, so it counts nothing); undefined
 * when there is none. Quoting csv-parse refuses anyway may be counted otherwise here, never
 * making a well-quoted record of at most that many fields too wide.
 */
function tooWideRecordLine(text: string, delimiter: CsvDelimiter): number | undefined {
  const separator = delimiter.charCodeAt(0);
  let line = 1;
  let start = 1;
  let fields = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10) {
      line++;
      if (!quoted) [start, fields] = [line, 1];
    } else if (c === separator && !quoted && ++fields > MAX_RECORD_FIELDS) return start;
  }
  return undefined;
}

/**
 * The text after its first `count` lines (LF ends; a leading BOM dropped), found by an index
 * walk: splitting the whole file into lines held 15 times the file (73 MB for 5 MB of
 * one-character lines; bench/reader-memory.ts). Fewer lines than that: empty.
 */
export function afterLines(text: string, count: number): string {
  let start = text.startsWith('\uFEFF') ? 1 : 0;
  for (let n = 0; n < count; n++) {
    const end = text.indexOf('\n', start);
    if (end < 0) return '';
    start = end + 1;
  }
  return text.slice(start);
}

/** Our own header (the import's or the export's), when the file starts with one: see readCsv. */
export function readOwnHeader(records: CsvRecord[]): void {
  const first = records[0];
  if (first && isOwnHeader(first)) {
    const names = first.fields.map((f) => f.trim().toLowerCase()).join(',');
    const header = HEADERS.find((h) => h.join(',').toLowerCase() === names);
    if (!header) {
      throw new CsvFileError(first.line, `The header row must be exactly ${CSV_COLUMNS.join(',')} (in this order), or left out`);
    }
    records.shift();
    if (header !== CSV_COLUMNS) readExportColumns(records, header.length);
  }
}

/** Whether a first record is read as our own header (or refused as a header of other columns): its first field is `date`. */
const isOwnHeader = (first: CsvRecord): boolean => first.fields[0]?.trim().toLowerCase() === 'date';

/** The headers a file may start with: the import's, the export's, and the export's before the recurring link, before review and before foreign amounts. */
const HEADERS: readonly (readonly string[])[] = [CSV_COLUMNS, EXPORT_COLUMNS, REVIEWED_EXPORT_COLUMNS, FOREIGN_EXPORT_COLUMNS, TAGS_EXPORT_COLUMNS];

/**
 * The rows of a file with one of the export's headers, as the import's five columns: the
 * `tags` field is dropped (the import records no tags), and so are `reviewed` (an imported
 * row always needs review) and `recurringExpenseId` (an imported row never carries the link, even
 * one matched with a bill); with a header that has them, the two fields after `tags`
 * (foreignAmount, foreignCurrency) are kept apart in `foreign` for the row check. A
 * row of another length is left as it is, and refused by its count. Without such a header a
 * sixth field is refused as before.
 */
function readExportColumns(records: CsvRecord[], columns: number): void {
  for (const r of records) {
    if (r.fields.length !== columns) continue;
    // Every export header longer than the tags one goes on with the foreign amount.
    if (columns > TAGS_EXPORT_COLUMNS.length) {
      const at = TAGS_EXPORT_COLUMNS.length;
      const [amount, currency] = r.fields.slice(at, at + 2) as [string, string];
      r.foreign = [amount, currency];
    }
    r.fields = r.fields.slice(0, CSV_COLUMNS.length);
  }
}
