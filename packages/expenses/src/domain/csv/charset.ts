import { bankCharsetNamed, decodeWindows1252, hasUtf8Bom, strictUtf8, type BankCharset } from '../bank-charsets';
import type { CsvCharset } from './layout';

/**
 * The text of a CSV import's body. Banks' and Excel's CSV downloads are UTF-8 or, very often
 * (German, French, UK banks; Excel's "CSV" on Windows), Windows-1252 or ISO-8859-1, with
 * nothing in the file saying which. So:
 *
 * - A charset given (the Content-Type's `charset`, else the mapping's `charset` from the query
 *   or an import profile): `utf-8` strictly (a byte that is not UTF-8 is refused, never
 *   replaced by U+FFFD), `windows-1252` and `iso-8859-1` both as Windows-1252 (bank-charsets.ts:
 *   as browsers read ISO-8859-1; `€`, `’`, `Š` are the bytes 0x80-0x9F that files labelled
 *   ISO-8859-1 do hold).
 * - None given: UTF-8 when the bytes are UTF-8 (ASCII is), else Windows-1252, the de-facto
 *   default of such exports, rather than refusing the file or storing U+FFFD. A Windows-1252
 *   file with accents is practically never valid UTF-8 (an accented letter is one byte of
 *   0xC0-0xFF followed by an ASCII one); the reverse guess could not be made safely.
 * - A UTF-8 byte order mark means UTF-8 whatever charset is given (an editor saved it so),
 *   decoded strictly and dropped (as before).
 */
export type DecodedCsv = { ok: true; text: string; charset: BankCharset } | { ok: false; message: string };

/** The charset of a Content-Type's `charset` label (any case: `utf-8`, `latin1`, `cp1252`...); undefined for one not read here. */
export function csvCharsetOfLabel(label: string): CsvCharset | undefined {
  const decoding = bankCharsetNamed(label);
  if (decoding === undefined) return undefined;
  if (decoding === 'utf-8') return 'utf-8';
  return ['WINDOWS-1252', 'CP1252', 'X-CP1252', '1252'].includes(label.trim().toUpperCase()) ? 'windows-1252' : 'iso-8859-1';
}

/** `given`: the charset the request names (see the top), and where it was named, for the message. */
export function decodeCsv(bytes: Uint8Array, given?: { charset: CsvCharset; by: string }): DecodedCsv {
  const decoding = hasUtf8Bom(bytes) ? 'utf-8' : given ? bankCharsetNamed(given.charset)! : undefined;
  if (decoding === 'windows-1252') return { ok: true, text: decodeWindows1252(bytes), charset: 'windows-1252' };
  try {
    return { ok: true, text: strictUtf8.decode(bytes), charset: 'utf-8' };
  } catch {
    if (decoding === undefined) return { ok: true, text: decodeWindows1252(bytes), charset: 'windows-1252' };
    const why = hasUtf8Bom(bytes) ? 'the file starts with a UTF-8 byte order mark' : `${given!.by} charset=${given!.charset}`;
    return { ok: false, message: `Must be valid UTF-8 (the body held bytes that are not; ${why})` };
  }
}

/** Whether two charsets read a file the same way (`windows-1252` and `iso-8859-1` do). */
export const sameDecoding = (a: CsvCharset, b: CsvCharset) => bankCharsetNamed(a) === bankCharsetNamed(b);
