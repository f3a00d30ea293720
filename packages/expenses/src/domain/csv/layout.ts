import type { CSV_COLUMNS } from './cells';
import type { CsvDelimiter } from './read';

/**
 * How a bank's CSV export is laid out, as the import's query parameters say (read by
 * bank-csv.ts). Apart from the reader so the route's schema and handler can name the formats
 * and parameters without loading the CSV parser at start (bench/README.md, cold start).
 */

export type CsvField = (typeof CSV_COLUMNS)[number];

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'YYYY/MM/DD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export interface CsvLayout {
  /**
   * Our field -> the file's header name (trimmed, any case). Given (even for one field): the
   * first record (after skipLines) is the header, columns are found by name, other columns
   * are ignored; a field left out is found by its own name (`date`, ...) or is empty; date
   * and amount must be found.
   */
  columns?: Partial<Record<CsvField, string>>;
  delimiter?: CsvDelimiter;
  /** Lines before the header (0..20). */
  skipLines?: number;
  dateFormat?: DateFormat;
  /** Undefined: today's rule (a `.`, no thousands separator). Given: see normalizeAmount. */
  decimalSeparator?: '.' | ',';
  /** `negativeIsSpending`: a negative amount is an expense of its absolute value, the rest is skipped. */
  amountSign?: 'positive' | 'negativeIsSpending';
}

/** The query parameter of each field's column. */
export const COLUMN_PARAMETERS: Record<CsvField, string> = {
  date: 'dateColumn',
  amount: 'amountColumn',
  category: 'categoryColumn',
  description: 'descriptionColumn',
  merchant: 'merchantColumn',
};
