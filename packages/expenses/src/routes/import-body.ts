import { ProblemError, problems, type AppEnv, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { MiddlewareHandler } from 'hono';
import { decodeOfx } from '../domain/ofx/charset';
import { decodeCamt } from '../domain/camt/charset';
import { decodeCsv, csvCharsetOfLabel } from '../domain/csv/charset';
import { IMPORT_MEDIA_TYPES, contentTypeCharset, importFormatOf } from '../domain/import-file';

/**
 * The import route's body as text, decoded here because bank downloads are often not UTF-8.
 * The app leaves these bodies undecoded for this route only (create-app.ts, requireUtf8Body's
 * `decodedByRoute`); every other body is still refused unless UTF-8 there. The bytes were
 * already bounded by the app's 5 MB limit for this path.
 *
 * - OFX/QFX: by the charset the file declares (domain/ofx/charset.ts: UTF-8, or Windows-1252 /
 *   ISO-8859-1 as banks write OFX 1.x). camt.053 the same way, by its XML declaration
 *   (domain/camt/charset.ts).
 * - QIF: as a CSV file without a mapping (below): a byte order mark, the Content-Type's
 *   charset (another: 415), else UTF-16 when its start shows it, UTF-8 when the bytes are,
 *   else Windows-1252.
 * - CSV: by a byte order mark (UTF-8, UTF-16LE, UTF-16BE), else the Content-Type's `charset`
 *   (utf-8, utf-16, utf-16le, utf-16be, windows-1252, iso-8859-1, windows-1250, iso-8859-2 and
 *   their aliases such as latin1, cp1250, latin2; another one is a 415 naming the parameter:
 *   RFC 9110 15.5.16, the content's format as the Content-Type states it is not supported),
 *   else as UTF-16 when the file's start shows it, as UTF-8 when the bytes are, else
 *   Windows-1252 (domain/csv/charset.ts). A mapping's `charset` (the query's or a profile's) is
 *   applied by the service to the same bytes, which the handler reads again (Hono keeps them).
 *   So a file that only looks like UTF-16 (its zero bytes) and is not valid UTF-16 is not
 *   refused here, where the mapping's charset is not known: its text here (for the key's
 *   fingerprint) is the one-byte guess, and the service refuses it unless a mapping names
 *   its charset.
 *
 * Runs before the Idempotency-Key middleware, which fingerprints `c.req.text()`: the DECODED
 * text. Why not the raw bytes: "the same request" is what the handler would read (the rule of
 * requestFingerprint for every body), and the decoding is one-to-one for each charset (strict
 * UTF-8; Windows-1252 maps each byte to its own character); the query, a CSV mapping's
 * `charset` included, is in the fingerprint too. It also keeps the platform's fingerprint as
 * it is for every route (it reads text, never bytes).
 */
export const decodeImportBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const contentType = c.req.header('content-type');
  const format = importFormatOf(contentType);
  if (format === undefined) return next();
  const label = contentTypeCharset(contentType);
  let text: string;
  if (format === 'ofx' || format === 'camt') {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const decoded = format === 'ofx' ? decodeOfx(bytes, label) : decodeCamt(bytes, label);
    if (!decoded.ok) throw problems.validation([{ path: 'body', message: decoded.message }]);
    text = decoded.text;
  } else if (format === 'qif') {
    // As a CSV file without a mapping: a byte order mark, the Content-Type's charset, else UTF-8
    // when the bytes are, Windows-1252 when not (no mapping can name another charset here).
    const charset = label === undefined ? undefined : csvCharsetOfLabel(label);
    if (label !== undefined && charset === undefined) throw unsupportedCharset(label, 'QIF file');
    const decoded = decodeCsv(new Uint8Array(await c.req.arrayBuffer()), charset && { charset, by: 'the Content-Type says' });
    if (!decoded.ok) throw problems.validation([{ path: 'body', message: decoded.message }]);
    text = decoded.text;
  } else {
    const charset = label === undefined ? undefined : csvCharsetOfLabel(label);
    if (label !== undefined && charset === undefined) throw unsupportedCharset(label, 'CSV');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const given = charset && { charset, by: 'the Content-Type says' };
    const decoded = decodeCsv(bytes, given);
    if (!decoded.ok && decoded.source !== 'detected') throw problems.validation([{ path: 'body', message: decoded.message }]);
    // A 'detected' failure may read fine in a charset the mapping names: the service decides
    // (see the top); the text here, for the key's fingerprint, is then today's guess.
    const read = decoded.ok ? decoded : decodeCsv(bytes, undefined, { detectUtf16: false });
    text = read.ok ? read.text : '';
  }
  // Kept as the body's text, as requireUtf8Body does for other bodies: Hono's text() reads
  // `bodyCache.text` first (a promise at run time although its type says string).
  Object.assign(c.req.bodyCache, { text: Promise.resolve(text) });
  return next();
};

/** A CSV's Content-Type naming a charset not read here: 415, naming the header's parameter. */
function unsupportedCharset(label: string, what: 'CSV' | 'QIF file'): ProblemError {
  const expected = problems.unsupportedMediaType(IMPORT_MEDIA_TYPES.map((type) => (type === 'text/csv' ? `${type} (charset ${CHARSETS_READ})` : type)));
  const shown = label.length > 40 ? `${label.slice(0, 40)}...` : label;
  return new ProblemError(PLATFORM_PROBLEMS['unsupported-media-type'], `The ${what}'s charset "${shown}" is not supported. ${expected.detail}`, {
    errors: [{ path: 'header.Content-Type', message: `charset must be ${CHARSETS_READ} (or latin1, cp1250, latin2, us-ascii), not "${shown}"` }],
  });
}

const CHARSETS_READ = 'utf-8, utf-16, utf-16le, utf-16be, windows-1252, iso-8859-1, windows-1250, iso-8859-2 or macintosh';
