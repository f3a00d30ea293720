/**
 * The text of an OFX/QFX body, decoded by the character set the file itself declares. Banks
 * very often write OFX 1.x in Windows-1252 (`ENCODING:USASCII` + `CHARSET:1252`, or
 * `CHARSET:ISO-8859-1`): an accented merchant ("Café", "Müller") is then one byte that is not
 * UTF-8. OFX 2.x declares its encoding in the XML declaration (`encoding="windows-1252"`).
 *
 * - UTF-8 and US-ASCII: strict UTF-8 (a byte that is not UTF-8 is refused, never replaced by
 *   U+FFFD and stored changed), as every other body of the API.
 * - Windows-1252, ISO-8859-1 and `CHARSET:NONE` (an OFX 1.x file that declares no code page:
 *   in practice the bank's Windows code page): decoded as Windows-1252, as the WHATWG Encoding
 *   standard (and so TextDecoder) reads every ISO-8859-1 label: the two differ only in
 *   0x80-0x9F, control characters in ISO-8859-1 that no statement holds, and `€`, `’`, `Š`...
 *   in Windows-1252, which files labelled ISO-8859-1 do hold. Each byte is one character, so
 *   decoding never fails and two different files never decode to the same text.
 * - Anything else (`CHARSET:850`, `encoding="koi8-r"`, `ENCODING:UNICODE`) is refused naming
 *   the declaration: guessing would store misread names.
 *
 * Only the header is looked at here (its first HEAD_BYTES bytes, read as Windows-1252: the
 * header is ASCII, and this decoding cannot fail); the tokenizer then reads the decoded text and refuses a malformed header with its
 * line and column.
 */

import { CP1252_NAMES, UTF8_NAMES, decodeWindows1252, hasUtf8Bom, strictUtf8, type BankCharset } from '../bank-charsets';
import { clip } from '../quoted-text';

export type OfxCharset = BankCharset;

export type DecodedOfx = { ok: true; text: string; charset: OfxCharset } | { ok: false; message: string };

/** An OFX 1.x header is about 10 short lines; an XML declaration one. */
const HEAD_BYTES = 4096;

/**
 * `contentTypeCharset`: the request's `charset` parameter, if any. Only a UTF-8 (or US-ASCII)
 * one overrides the file's header: a file converted to UTF-8 by a tool or a browser keeps its
 * `CHARSET:1252` line, and reading its UTF-8 bytes as Windows-1252 would store "CafÃ©" without
 * any error, while a wrong UTF-8 label on Windows-1252 bytes fails loudly (strict decoding);
 * without a label such a file is still read as UTF-8 when its bytes are (decodeByDeclaration). A
 * label naming another charset is not trusted over the file (HTTP clients attach defaults such
 * as ISO-8859-1 to uploads): the bank wrote the header together with the bytes.
 */
export function decodeOfx(bytes: Uint8Array, contentTypeCharset?: string): DecodedOfx {
  return decodeByDeclaration(bytes, contentTypeCharset, 'OFX files are read in UTF-8, US-ASCII, Windows-1252 (CHARSET:1252) or ISO-8859-1');
}

/**
 * A bank file that declares its own character set (an OFX header, an XML declaration: OFX and
 * camt.053), decoded as decodeOfx describes; `readIn` ends the refusal of a declared
 * charset not read here ("OFX files are read in ...").
 */
export function decodeByDeclaration(bytes: Uint8Array, contentTypeCharset: string | undefined, readIn: string): DecodedOfx {
  const bom = hasUtf8Bom(bytes);
  const label = contentTypeCharset?.trim().toUpperCase();
  let charset: OfxCharset;
  let why: string;
  if (label !== undefined && UTF8_NAMES.has(label)) {
    charset = 'utf-8';
    why = `the Content-Type says charset=${contentTypeCharset!.trim()}`;
  } else if (bom) {
    // Saved as UTF-8 by an editor (the BOM), whatever its header still says.
    charset = 'utf-8';
    why = 'the file starts with a UTF-8 byte order mark';
  } else {
    const declared = declaredCharset(bytes);
    if ('unsupported' in declared) return { ok: false, message: `The file declares the character set ${declared.unsupported}; ${readIn}` };
    charset = declared.charset;
    why = declared.why;
  }
  if (charset === 'windows-1252') {
    // A file converted to UTF-8 by a tool that kept its header (`CHARSET:1252`, `encoding=
    // "ISO-8859-1"`): bytes past ASCII that are all valid UTF-8 are UTF-8 (an accented letter of
    // Windows-1252 is one byte of 0xC0-0xFF before an ASCII one, never a UTF-8 sequence, as
    // csv/charset.ts reasons). Read as declared they stored "CafÃ©" without any error.
    const utf8 = convertedToUtf8(bytes);
    return utf8 === undefined ? { ok: true, text: decodeWindows1252(bytes), charset } : { ok: true, text: utf8, charset: 'utf-8' };
  }
  try {
    return { ok: true, text: strictUtf8.decode(bytes), charset };
  } catch {
    return { ok: false, message: `Must be valid UTF-8 (the body held bytes that are not; ${why})` };
  }
}

/** The text of bytes holding something past ASCII that are all valid UTF-8; undefined otherwise (ASCII only, or not UTF-8). */
function convertedToUtf8(bytes: Uint8Array): string | undefined {
  if (!bytes.some((b) => b >= 0x80)) return undefined;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

type Declared = { charset: OfxCharset; why: string } | { unsupported: string };

/** The character set the file's header declares (UTF-8 when it declares none). */
export function declaredCharset(bytes: Uint8Array): Declared {
  const head = decodeWindows1252(bytes.subarray(0, HEAD_BYTES));
  const start = head.search(/\S/);
  if (start >= 0 && head.startsWith('OFXHEADER:', start)) return sgmlCharset(head.slice(start));
  if (start >= 0 && head.startsWith('<?xml', start)) {
    const declaration = head.slice(start, head.indexOf('?>', start) + 1 || undefined);
    const encoding = /\sencoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
    if (encoding === undefined) return { charset: 'utf-8', why: 'the XML declaration names no encoding (XML: UTF-8)' };
    const name = encoding.trim().toUpperCase();
    if (UTF8_NAMES.has(name)) return { charset: 'utf-8', why: `the file declares encoding="${encoding}"` };
    if (CP1252_NAMES.has(name)) return { charset: 'windows-1252', why: `the file declares encoding="${encoding}"` };
    return { unsupported: `encoding="${clip(encoding)}"` };
  }
  return { charset: 'utf-8', why: 'the file declares no character set' };
}

/** OFX 1.x: `ENCODING:USASCII` (or `UTF-8`) and `CHARSET:1252` (or `ISO-8859-1`, `NONE`...). */
function sgmlCharset(head: string): Declared {
  const fields = new Map<string, string>();
  for (const line of head.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('<')) break;
    const match = /^([A-Z]+):(.*)$/.exec(trimmed);
    if (match) fields.set(match[1]!, match[2]!.trim());
  }
  const encoding = fields.get('ENCODING')?.toUpperCase();
  const charset = fields.get('CHARSET');
  // OFX 1.6: with ENCODING:UTF-8 the CHARSET is NONE (or absent); the encoding decides.
  if (encoding === 'UTF-8' || encoding === 'UTF8') return { charset: 'utf-8', why: 'the file declares ENCODING:UTF-8' };
  if (encoding !== undefined && encoding !== 'USASCII') return { unsupported: `ENCODING:${clip(fields.get('ENCODING')!)}` };
  if (charset === undefined) return { charset: 'utf-8', why: 'the file declares no CHARSET' };
  const name = charset.toUpperCase();
  if (name === 'NONE' || CP1252_NAMES.has(name)) return { charset: 'windows-1252', why: `the file declares CHARSET:${charset}` };
  if (UTF8_NAMES.has(name)) return { charset: 'utf-8', why: `the file declares CHARSET:${charset}` };
  return { unsupported: `CHARSET:${clip(charset)}` };
}
