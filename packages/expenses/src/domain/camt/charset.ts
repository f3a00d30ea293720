import { decodeByDeclaration, type DecodedOfx } from '../ofx/charset';

export type DecodedCamt = DecodedOfx;

/**
 * The text of a camt.053 body, by the XML rules OFX 2.x statements are read by (ofx/charset.ts
 * decodeByDeclaration): a UTF-8 byte order mark, or a Content-Type `charset=utf-8`, is UTF-8;
 * else the XML declaration's `encoding` (UTF-8, or Windows-1252 / ISO-8859-1, read as
 * Windows-1252); none is UTF-8 (XML's default). UTF-8 is decoded strictly (a byte that is not
 * UTF-8 is refused, never replaced); another encoding is refused naming it.
 */
export const decodeCamt = (bytes: Uint8Array, contentTypeCharset?: string): DecodedCamt =>
  decodeByDeclaration(bytes, contentTypeCharset, 'camt.053 files are read in UTF-8, US-ASCII, Windows-1252 or ISO-8859-1');
