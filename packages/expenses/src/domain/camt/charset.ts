import { UTF8_NAMES, decodeWindows1252, hasUtf8Bom, strictUtf8 } from '../bank-charsets';
import { declaredCharset } from '../ofx/charset';

export type DecodedCamt = { ok: true; text: string } | { ok: false; message: string };

/**
 * The text of a camt.053 body, by the XML rules OFX 2.x statements are read by (ofx/charset.ts
 * declaredCharset reads the XML declaration): a UTF-8 byte order mark, or a Content-Type
 * `charset=utf-8`, is UTF-8; else the declaration's `encoding` (UTF-8, or Windows-1252 /
 * ISO-8859-1, read as Windows-1252); none is UTF-8 (XML's default). UTF-8 is decoded strictly
 * (a byte that is not UTF-8 is refused, never replaced); another encoding is refused naming it.
 */
export function decodeCamt(bytes: Uint8Array, contentTypeCharset?: string): DecodedCamt {
  const label = contentTypeCharset?.trim().toUpperCase();
  let charset: 'utf-8' | 'windows-1252';
  let why: string;
  if (label !== undefined && UTF8_NAMES.has(label)) {
    charset = 'utf-8';
    why = `the Content-Type says charset=${contentTypeCharset!.trim()}`;
  } else if (hasUtf8Bom(bytes)) {
    charset = 'utf-8';
    why = 'the file starts with a UTF-8 byte order mark';
  } else {
    const declared = declaredCharset(bytes);
    if ('unsupported' in declared) {
      return { ok: false, message: `The file declares the character set ${declared.unsupported}; camt.053 files are read in UTF-8, US-ASCII, Windows-1252 or ISO-8859-1` };
    }
    charset = declared.charset;
    why = declared.why;
  }
  if (charset === 'windows-1252') return { ok: true, text: decodeWindows1252(bytes) };
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    return { ok: false, message: `Must be valid UTF-8 (the body held bytes that are not; ${why})` };
  }
}
