import type { CsvLayout } from './csv/layout';

/**
 * What a reader of an import file (CSV: csv/read.ts, OFX/QFX: ofx/read.ts, camt.053:
 * camt/read.ts, QIF: qif/read.ts) hands the import
 * service: rows as the five cells of csv/rows.ts validateRow
 * (`date,amount,category,description,merchant`), so every format is checked by the same row
 * rules, fingerprinted, categorized and written by the same job.
 */
export interface FileRow {
  /** The physical line (1-based) the row starts on. */
  line: number;
  fields: string[];
  /** The row's foreignAmount and foreignCurrency (the CSV export's header). */
  foreign?: [string, string];
  /**
   * The row's identity given by the file itself (OFX: the account and the bank's transaction
   * id; camt.053: the account and the entry's reference, or a batch transaction's), hashed into its fingerprint instead of its values; in memory only, never stored.
   */
  key?: string;
  /**
   * camt.053: the key of the batch entry this row is a transaction of (the row's `key` is the
   * transaction's), under which the entry was one row before batches were split. When that
   * key's marker was written as a row (not as a split batch's), the row is a duplicate: the
   * import reads it with the row's own marker (service/import-chunk.ts, ImportsRepository.markers).
   */
  entryKey?: string;
  /**
   * The merchant cell the row's identity (its fingerprint, csv/fingerprint.ts) is computed
   * with, when it is not the row's own: a Firefly III deposit's merchant is its `source_name`
   * (PresetReading.creditMerchant, since 2026-12-05), but its identity keeps the
   * `destination_name` cell it was read with before, so a file imported before that change is
   * known again (file-rows.ts validateFileRow). In memory only.
   */
  identityMerchant?: string;
  /** The reader found the row unusable: it is an error of its line, not checked further. */
  error?: string;
  /**
   * QIF: the record's split lines (`S` category, `E` memo, `$` amount), when the reader found
   * them fit for a split expense (2..50 parts, each an amount of money out, none a transfer):
   * each part's amount as the row's (positive major units), its category cell (matched by name
   * as the row's) and memo. The import makes the row a split expense when the parts add up to
   * its amount in minor units (domain/file-rows.ts), else reads it as if it had none.
   */
  splits?: FileSplitPart[];
  /**
   * QIF: why the record's split lines were not handed on as `splits` (too few or too many
   * parts, a part without an amount of money out, a transfer part): the row is one expense of
   * its total. Only a dry run shows it (`splitFallbacks`); never stored.
   */
  splitFallback?: string;
  /** Tags the file gives the row (QIF: the class after `/` of `L`), normalized by tags.ts storedTags. */
  tags?: string[];
  /**
   * The row records a refund. Our own CSV format (no column mapping: csv/refund-rows.ts): the
   * amount cell was negative and its sign was taken off. A bank's format (OFX, camt.053, a CSV
   * mapping, QIF): a credit read with `credits=refunds` or `income` (CreditsAs; with `income` the import writes it as an income entry: income-rows.ts), its amount positive as a debit's.
   */
  refund?: true;
}

export interface FileSplitPart {
  /** The line of the part's first split field. */
  line: number;
  amount: string;
  category: string;
  description: string;
  /** The part's class (`SHousehold/Vacation`): a tag of the expense when the split is used. */
  tag?: string;
}

export interface ReadFile {
  rows: FileRow[];
  /**
   * Lines of entries that are not expenses and were left out (OFX: credits and zero amounts;
   * camt.053: credits, zero amounts and entries not booked; QIF: money in and transfers).
   */
  skipped: number[];
}

/**
 * The file has more entries (rows and skipped lines) than an import takes: the reader stopped
 * there, past `maxRows + 1` (a file of maxRows + 1 is still read whole, so its 413 gives the
 * count, as the CSV readers' recordsToRead), so what it holds stays bounded whatever the file.
 * The import answers it with the 413 of a CSV past the limit ("more than N rows").
 */
export class FileRowLimitError extends Error {
  constructor(readonly maxRows: number) {
    super(`The file has more than ${maxRows} rows`);
    this.name = 'FileRowLimitError';
  }
}

/**
 * Counts a reader's entries (each row and each skipped line) as it reads: the one past
 * `maxRows + 1` throws FileRowLimitError. Undefined maxRows: no limit (the readers' own tests).
 */
export class EntryCounter {
  private count = 0;
  constructor(private readonly maxRows: number | undefined) {}

  add(entries = 1): void {
    this.count += entries;
    if (this.maxRows !== undefined && this.count > this.maxRows + 1) throw new FileRowLimitError(this.maxRows);
  }
}

/** The formats the import reads, by the request's media type. */
export type ImportFormat = 'csv' | 'ofx' | 'camt' | 'qif';

/**
 * What a bank format's credits (money in) become: `skip` (default), left out and counted in
 * `skipped`, as most are salary and transfers; `refunds`, each a refund row; `income`, each an
 * income entry (packages/expenses/docs/income.md "Income and cash flow": the readers mark it as a refund row, found and
 * keyed exactly as `refunds` would, and the import writes it as income: creditsRead, incomeOf)
 * (`?credits=`, or an import profile's `credits`).
 */
export const CREDITS_AS = ['skip', 'refunds', 'income'] as const;
export type CreditsAs = (typeof CREDITS_AS)[number];

export interface ImportFile {
  format: ImportFormat;
  text: string;
  /** `refunds` or `income`: a bank format's credits are read as refund rows (absent: skipped); with `income` the import writes them as income. */
  credits?: CreditsAs;
  /**
   * A CSV file's layout from the request's query (a bank's export: csv/bank-csv.ts); absent,
   * our own format. Only reading uses it: the rows handed on are our own cells, so the job,
   * which stores and writes rows already checked, never sees it.
   */
  layout?: CsvLayout;
  /**
   * Where a problem with a layout parameter is reported: `query.<parameter>`, or `query.profile`
   * for a field an import profile gave (the request did not send it). Absent: `query.<parameter>`.
   */
  parameterPath?: (parameter: string) => { path: string; message: (text: string) => string };
}

/** OFX/QFX media types: the registered one, Intuit's for QFX, and the one some banks send. */
export const OFX_MEDIA_TYPES = ['application/x-ofx', 'application/vnd.intu.qfx', 'application/ofx'] as const;
/**
 * CSV media types: the registered one, and Excel's (`application/vnd.ms-excel`), which Windows
 * browsers and Excel give a `.csv` file. Behind API Gateway (HTTP API) the second also matters
 * for the bytes: the gateway hands a `text/*` body to the function as text, so a file in
 * another charset than UTF-8 arrives whole only under a non-text type, which it passes as
 * base64 (root README "HTTP conventions").
 */
export const CSV_MEDIA_TYPES = ['text/csv', 'application/vnd.ms-excel'] as const;
/**
 * camt.053 (ISO 20022 BankToCustomerStatement) media types: XML's two, and the ISO 20022 one.
 * Behind API Gateway a statement that is not UTF-8 (`encoding="windows-1252"`) is best sent as
 * the last, not a text type (see CSV_MEDIA_TYPES).
 */
export const CAMT_MEDIA_TYPES = ['application/xml', 'text/xml', 'application/vnd.iso20022.camt.053+xml'] as const;
/** QIF (Quicken Interchange Format) media types; a Windows-1252 file behind API Gateway: one of the `application/` ones. */
export const QIF_MEDIA_TYPES = ['application/qif', 'application/x-qif', 'text/x-qif'] as const;
export const IMPORT_MEDIA_TYPES = [...CSV_MEDIA_TYPES, ...OFX_MEDIA_TYPES, ...CAMT_MEDIA_TYPES, ...QIF_MEDIA_TYPES] as const;

/** The format of a Content-Type (its parameters ignored); undefined for another media type. */
export function importFormatOf(contentType: string | undefined): ImportFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if ((CSV_MEDIA_TYPES as readonly string[]).includes(type)) return 'csv';
  if ((OFX_MEDIA_TYPES as readonly string[]).includes(type)) return 'ofx';
  if ((CAMT_MEDIA_TYPES as readonly string[]).includes(type)) return 'camt';
  return (QIF_MEDIA_TYPES as readonly string[]).includes(type) ? 'qif' : undefined;
}

/** A Content-Type's `charset` parameter as written (quotes dropped); undefined when it has none. */
export function contentTypeCharset(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";]*)/i.exec(contentType ?? '')?.[1]?.trim();
}
