import type { CreditsAs, ImportFile } from '../domain/import-file';
import type { CsvCharset, CsvMapping } from '../domain/csv/layout';

// One job: the import request as the route hands it to CsvImportService (what reading the file starts from).

/**
 * An import as the route hands it over: the file, and how a CSV file is laid out, as the query
 * says it: the mapping parameters given, and an import profile whose saved mapping they
 * override field by field (resolved here, after the access check: `layoutFor`).
 */
export interface ImportRequest {
  format: ImportFile['format'];
  /** The body as text: OFX and camt.053 decoded by their declared charset; QIF as CSV without a mapping; CSV by its byte order mark or `declaredCharset`, or none given, as UTF-16 if its start shows it, UTF-8 if it is and Windows-1252 if not (csv/charset.ts). */
  text: string;
  /** A CSV body's bytes, which a mapping's `charset` (the query's or the profile's) decodes instead (absent: `text`'s UTF-8 bytes). */
  bytes?: Uint8Array;
  /** The charset the Content-Type named for a CSV body: `text` is decoded by it, and it wins over a profile's `charset`. */
  declaredCharset?: CsvCharset;
  /** The mapping query parameters given (none: our own format, or the profile's mapping as it is). */
  mapping?: CsvMapping;
  /** `?profile=`: one of the budget's import profiles, or `auto` (the one whose columns the file's header has). */
  profileId?: string;
  /** `?matchRecurring=false`: every row is imported, none matched with the bills the recurring job recorded (default: matched). */
  matchRecurring?: boolean;
  /** `?credits=`: `refunds`, a bank format's credits are imported as refunds; `income`, as income entries; `skip` (the default), skipped. Given, it overrides the profile's `credits`. */
  credits?: CreditsAs;
}
