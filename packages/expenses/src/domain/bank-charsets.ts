/**
 * Windows-1252 (and ISO-8859-1, which the WHATWG Encoding standard, and so every browser, reads
 * as Windows-1252), the code page bank downloads are written in when they are not UTF-8: OFX 1.x
 * statements (ofx/charset.ts) and CSV exports (csv/charset.ts); and the charset names both read. Each byte is one character, so
 * decoding never fails and two different files never decode to the same text.
 */

/**
 * Windows-1252's characters for 0x80-0x9F (WHATWG index-windows-1252; the five bytes it leaves
 * undefined map to the C1 controls of the same value). Not TextDecoder('windows-1252'): Node
 * 20.18.3+ and 22.13+ decode it as Latin-1 (nodejs/node#56542, #60888; seen here on 20.20),
 * so `€` would be U+0080 and `McDonald’s` would hold U+0092. Latin-1 plus this table is the
 * encoding exactly, on any Node version.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** UTF-8 that refuses what is not (never U+FFFD); like every TextDecoder it drops a leading BOM. */
export const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The two decodings OFX statements get (ISO-8859-1 is read as Windows-1252, see the top); CSV files have more (csv/charset.ts). */
export type BankCharset = 'utf-8' | 'windows-1252';

/** Names of UTF-8 (US-ASCII is a subset of it), as Content-Type parameters and OFX headers write them; upper case. */
export const UTF8_NAMES: ReadonlySet<string> = new Set(['UTF-8', 'UTF8', 'USASCII', 'US-ASCII', 'ASCII']);
/** Names of Windows-1252 and ISO-8859-1 (OFX: `CHARSET:1252`); upper case. */
export const CP1252_NAMES: ReadonlySet<string> = new Set(['1252', 'WINDOWS-1252', 'CP1252', 'X-CP1252', 'ISO-8859-1', 'ISO8859-1', 'ISO_8859-1', '8859-1', 'LATIN1', 'LATIN-1', 'L1']);

/** Whether the bytes start with a UTF-8 byte order mark. */
export const hasUtf8Bom = (bytes: Uint8Array) => bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
