import type { CSV_COLUMNS } from './cells';
import type { CsvDelimiter } from './read';

/**
 * How a bank's CSV export is laid out, as the import's query parameters say (read by
 * bank-csv.ts). Apart from the reader so the route's schema and handler can name the formats
 * and parameters without loading the CSV parser at start
 * (bench/HISTORY.md#cold-start-what-the-first-summary-still-pays-featcoldstart-2026-11-30).
 */

export type CsvField = (typeof CSV_COLUMNS)[number];

/** How dates are written (date-format.ts reads them): digits, two-digit years (`YY`), month names (`MMM`). */
export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'YYYY/MM/DD',
  'DD.MM.YY',
  'DD/MM/YY',
  'MM/DD/YY',
  'DD MMM YYYY',
  'D MMM YYYY',
  'MMM D, YYYY',
  'DD-MMM-YY',
  'DD-MMM-YYYY',
  'M/D/YYYY',
  'YYYY-MM-DDThh:mm:ss',
  'YYYY-MM-DD hh:mm:ss',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export interface CsvLayout {
  /**
   * Our field -> the file's header name (trimmed, any case). Given (even for one field): the
   * first record (after skipLines) is the header, columns are found by name, other columns
   * are ignored; a field left out is found by its own name (`date`, ...) or is empty; date
   * and amount must be found.
   */
  columns?: Partial<Record<CsvField, string>>;
  /**
   * The header names of a debit column and a credit column (UK/EU exports: "Paid out" / "Paid
   * in", "Soll" / "Haben"), instead of one amount column. Given: `columns` is given too (may be
   * empty: the header is read) and has no `amount`; `amountSign` is not given.
   */
  debitCredit?: { debit: string; credit: string };
  /**
   * The header name of a column saying `debit` or `credit` (any case) for each row's amount
   * (Mint's "Transaction Type"): the amount's sign is then ignored, a debit is an expense, a
   * credit money in. Given: `columns` is given too; not with `debitCredit` or `amountSign`.
   */
  typeColumn?: string;
  delimiter?: CsvDelimiter;
  /** Lines before the header (0..20). */
  skipLines?: number;
  dateFormat?: DateFormat;
  /** Undefined: today's rule (a `.`, no thousands separator). Given: see normalizeAmount. */
  decimalSeparator?: '.' | ',';
  /** `ignore`: one currency symbol before or after an amount is left out (normalizeAmount); undefined: refused. */
  currencySymbol?: 'ignore';
  /** `negativeIsSpending`: a negative amount is an expense of its absolute value, the rest is skipped. */
  amountSign?: 'positive' | 'negativeIsSpending';
  /**
   * The header name of a column of tags (Monarch's "Tags", Firefly III's `tags`) and the text
   * between two of them in a cell (tags-cell.ts). Given: `columns` is given too.
   */
  tags?: { column: string; separator: string };
  /**
   * A built-in preset's reading of its app's own columns (import-presets.ts `reading`): set by
   * the import service for a preset only, never from the query or a saved profile.
   */
  reading?: PresetReading;
}

/** What a value of a preset's type column makes of its row: an expense, money in (a credit), or nothing (skipped whatever `credits` says). */
export type TypeMeaning = 'debit' | 'credit' | 'skip';

/**
 * How a built-in preset reads columns its app always writes but no mapping parameter names
 * (Firefly III's `type`, `currency_code`, `foreign_amount`): each column is read only when the
 * file's header has it (a file without it is read by the mapping alone), and a row it skips is
 * counted as any skipped row. Kept out of CsvMapping on purpose (packages/expenses/docs/import-export.md "Importing from YNAB,
 * Monarch, Mint, Actual, Firefly III"): these rules know one app's export, they are no parameters a
 * bank file could be described with.
 */
export interface PresetReading {
  /**
   * The type column and what each of its values means (keys lower case; a cell is compared
   * trimmed, any case; another value is the row's error). Present in the file, it decides, and
   * the amount's sign is ignored; absent, the mapping's `amountSign` does.
   */
  types?: { column: string; meanings: Readonly<Record<string, TypeMeaning>> };
  /**
   * The row's currency and its foreign amount: a row in another currency than the budget's is
   * its error, unless the foreign columns give its amount in the budget's currency (then the
   * row's own amount and currency are its `foreign`); a row in the budget's currency with both
   * foreign cells filled records them as its `foreign`.
   */
  currency?: { column: string; foreignAmount: string; foreignCurrency: string };
  /**
   * Decimals past the currency's may be written when they are all zeros (`-12.500000000000`,
   * an exporter writing the stored figure unrounded): trailing zeros of the fraction are
   * dropped; a non-zero one past the currency's decimals stays the row's error.
   */
  trailingZeros?: true;
  /**
   * The column naming a CREDIT row's other party, read instead of the mapping's merchant column
   * for money in (a refund's merchant, an income entry's `source`): Firefly III books a deposit
   * from the revenue account that paid (`source_name`) into the user's asset account
   * (`destination_name`, the withdrawals' merchant column), so without it every deposit came
   * "from" the user's own Checking account. Read only when the header has it.
   */
  creditMerchant?: string;
}

/** The query parameter of each field's column. */
export const COLUMN_PARAMETERS: Record<CsvField, string> = {
  date: 'dateColumn',
  amount: 'amountColumn',
  category: 'categoryColumn',
  description: 'descriptionColumn',
  merchant: 'merchantColumn',
};

/** The query parameters of the debit and credit columns (CsvLayout.debitCredit). */
export const DEBIT_CREDIT_PARAMETERS = { debit: 'debitColumn', credit: 'creditColumn' } as const;

/**
 * A column mapping as the import's query parameters give it (and as an import profile stores
 * it), validated field by field (schemas/csv.schemas.ts) but not yet as a whole: the one shape
 * both carry, so a profile's mapping and the parameters that override it merge field by field.
 */
/** The values of the mapping's enumerated parameters, one list each for the schemas and the stored profiles. */
export const DELIMITER_NAMES = [',', ';', 'tab'] as const;
export const DECIMAL_SEPARATORS = ['.', ','] as const;
export const AMOUNT_SIGNS = ['positive', 'negativeIsSpending'] as const;
/** What an amount cell's currency symbol does: refused (the default), or left out (normalizeAmount). */
export const CURRENCY_SYMBOLS = ['refuse', 'ignore'] as const;
export type CurrencySymbols = (typeof CURRENCY_SYMBOLS)[number];
/**
 * The character sets a CSV file may be named in (a mapping's `charset`; csv/charset.ts reads
 * them): `iso-8859-1` (`latin1`) is read as `windows-1252`, as browsers do (the two differ only
 * where ISO-8859-1 has control characters); `utf-16` is little-endian unless a byte order mark
 * or the bytes say big-endian; `windows-1250` (`cp1250`) and `iso-8859-2` (`latin2`, `l2`) are
 * two different decodings (they place Š š Ť ť Ź ź apart), each read as its own.
 */
export const CSV_CHARSETS = [
  'utf-8',
  'utf-16',
  'utf-16le',
  'utf-16be',
  'windows-1252',
  'cp1252',
  'iso-8859-1',
  'latin1',
  'windows-1250',
  'cp1250',
  'iso-8859-2',
  'latin2',
  'l2',
  'macintosh',
  'mac',
  'x-mac-roman',
] as const;
export type CsvCharset = (typeof CSV_CHARSETS)[number];
/** How a CSV file's bytes were read (the dry run's `charset`): each of CSV_CHARSETS comes to one of these. */
export const CSV_DECODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'windows-1250', 'iso-8859-2', 'macintosh'] as const;
export type CsvDecoding = (typeof CSV_DECODINGS)[number];
/** The mapping parameters that name a header column. */
export const COLUMN_NAME_PARAMETERS = ['dateColumn', 'amountColumn', 'debitColumn', 'creditColumn', 'typeColumn', 'categoryColumn', 'descriptionColumn', 'merchantColumn', 'tagsColumn'] as const;
/**
 * What separates two tags in a tags column's cell (`tagsSeparator`; `,` when not given): `space`
 * is one or more spaces (a space cannot be read back from a query string as itself reliably).
 */
export const TAGS_SEPARATORS = [',', ';', '|', 'space'] as const;
export type TagsSeparator = (typeof TAGS_SEPARATORS)[number];

export interface CsvMapping {
  dateColumn?: string;
  amountColumn?: string;
  debitColumn?: string;
  creditColumn?: string;
  typeColumn?: string;
  categoryColumn?: string;
  descriptionColumn?: string;
  merchantColumn?: string;
  /** The header name of a column of tags, split by `tagsSeparator` (domain/csv/tags-cell.ts). */
  tagsColumn?: string;
  tagsSeparator?: TagsSeparator;
  delimiter?: (typeof DELIMITER_NAMES)[number];
  dateFormat?: DateFormat;
  decimalSeparator?: (typeof DECIMAL_SEPARATORS)[number];
  currencySymbol?: CurrencySymbols;
  amountSign?: (typeof AMOUNT_SIGNS)[number];
  skipLines?: number;
  /**
   * The file's character set when the Content-Type names none (csv/charset.ts). Not part of
   * the layout: the file is decoded before it is read (service/import-file-layout.ts fileOf).
   */
  charset?: CsvCharset;
}

/** Every parameter of a mapping, in the order the API documents them. */
export const MAPPING_PARAMETERS = [
  'dateColumn',
  'amountColumn',
  'debitColumn',
  'creditColumn',
  'typeColumn',
  'categoryColumn',
  'descriptionColumn',
  'merchantColumn',
  'tagsColumn',
  'tagsSeparator',
  'delimiter',
  'dateFormat',
  'decimalSeparator',
  'currencySymbol',
  'amountSign',
  'skipLines',
  'charset',
] as const satisfies readonly (keyof CsvMapping)[];

export type MappingParameter = (typeof MAPPING_PARAMETERS)[number];

/**
 * The rules of a mapping as a whole, which no single field can check: the amount is read from
 * exactly one place, one amount column (`amountColumn`, or a column named `amount`) or a debit
 * and a credit column together, and `amountSign` speaks of the one amount column. One
 * definition for the query (after a profile's mapping and the parameters are merged) and for a
 * profile's body. Each problem names the parameter to change.
 */
export function mappingProblems(mapping: CsvMapping): { parameter: MappingParameter; message: string }[] {
  const debit = mapping.debitColumn !== undefined;
  const credit = mapping.creditColumn !== undefined;
  const problems: { parameter: MappingParameter; message: string }[] = [];
  if (mapping.typeColumn !== undefined) {
    // The type column says which way each row's amount went: one amount column, no sign convention.
    if (debit || credit) problems.push({ parameter: 'typeColumn', message: 'Give either typeColumn (with one amount column) or debitColumn and creditColumn, not both' });
    if (mapping.amountSign !== undefined) problems.push({ parameter: 'amountSign', message: 'Not with typeColumn: the type column says what is spent' });
  }
  if (!debit && !credit) return problems;
  if (debit !== credit) {
    const missing = debit ? 'creditColumn' : 'debitColumn';
    problems.push({ parameter: missing, message: 'debitColumn and creditColumn go together: give both (or amountColumn alone)' });
  }
  if (mapping.amountColumn !== undefined) {
    problems.push({ parameter: 'amountColumn', message: 'Give either amountColumn or debitColumn and creditColumn, not both' });
  }
  if (mapping.amountSign !== undefined) {
    problems.push({ parameter: 'amountSign', message: 'Applies to amountColumn only: with debitColumn and creditColumn the column says what is spent' });
  }
  return problems;
}

/**
 * The layout a mapping gives the reader (bank-csv.ts); undefined when it gives none, so a file
 * in our own format is read exactly as before. Expects a mapping without mappingProblems.
 */
export function layoutOf(mapping: CsvMapping): CsvLayout | undefined {
  const columns: Partial<Record<CsvField, string>> = {};
  for (const [field, parameter] of Object.entries(COLUMN_PARAMETERS) as [CsvField, keyof CsvMapping][]) {
    const name = mapping[parameter];
    if (typeof name === 'string') columns[field] = name;
  }
  const { debitColumn, creditColumn, typeColumn, tagsColumn, tagsSeparator, delimiter, dateFormat, decimalSeparator, currencySymbol, amountSign, skipLines } = mapping;
  const debitCredit = debitColumn !== undefined && creditColumn !== undefined ? { debit: debitColumn, credit: creditColumn } : undefined;
  const layout: CsvLayout = {
    // Debit and credit columns are found by the header's names, so they need the header read.
    ...(Object.keys(columns).length > 0 || debitCredit || typeColumn !== undefined || tagsColumn !== undefined ? { columns } : {}),
    // A separator without a column reads nothing: it changes no layout.
    ...(tagsColumn === undefined ? {} : { tags: { column: tagsColumn, separator: tagsSeparator === 'space' ? ' ' : (tagsSeparator ?? ',') } }),
    ...(debitCredit ? { debitCredit } : {}),
    ...(typeColumn === undefined ? {} : { typeColumn }),
    ...(delimiter === undefined ? {} : { delimiter: delimiter === 'tab' ? '\t' : delimiter }),
    ...(dateFormat === undefined ? {} : { dateFormat }),
    ...(decimalSeparator === undefined ? {} : { decimalSeparator }),
    ...(currencySymbol === 'ignore' ? { currencySymbol } : {}),
    ...(amountSign === undefined ? {} : { amountSign }),
    ...(skipLines === undefined ? {} : { skipLines }),
  };
  return Object.keys(layout).length > 0 ? layout : undefined;
}

/**
 * Whether a layout's answer counts skipped entries (money in): with `amountSign=negativeIsSpending`,
 * with debit and credit columns (a credit-only row is skipped), with a type column (a preset's too,
 * also when the query overrides its `amountSign`: its transfers are skipped whatever the sign).
 */
export const layoutSkipsCredits = (layout: CsvLayout | undefined): boolean =>
  layout?.amountSign === 'negativeIsSpending' || layout?.debitCredit !== undefined || layout?.typeColumn !== undefined || layout?.reading?.types !== undefined;
