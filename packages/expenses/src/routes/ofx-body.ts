import { problems, type AppEnv } from '@budgeting/platform';
import type { MiddlewareHandler } from 'hono';
import { decodeOfx } from '../domain/ofx/charset';
import { importFormatOf } from '../domain/import-file';

/**
 * The import route's OFX/QFX body as text, decoded by the charset the file declares
 * (domain/ofx/charset.ts: UTF-8, or Windows-1252 / ISO-8859-1 as banks write OFX 1.x). The app
 * leaves these bodies undecoded for this route only (create-app.ts, requireUtf8Body's
 * `decodedByRoute`); every other body, CSV included, is still refused unless UTF-8 there. The
 * bytes were already bounded by the app's 5 MB limit for this path.
 *
 * Runs before the Idempotency-Key middleware, which fingerprints `c.req.text()`: the DECODED
 * text. Why not the raw bytes: "the same request" is what the handler would read (the rule of
 * requestFingerprint for every body), and the decoding is one-to-one for each charset (strict
 * UTF-8; Windows-1252 maps each byte to its own character) while the header that chose the
 * charset is part of the text; so two different files never share a fingerprint, and a file
 * re-sent as UTF-8 with `charset=utf-8` is the same import. It also keeps the platform's
 * fingerprint as it is for every route (it reads text, never bytes).
 */
export const decodeOfxBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const contentType = c.req.header('content-type');
  if (importFormatOf(contentType) !== 'ofx') return next();
  const charset = /;\s*charset="?([^";]+)/i.exec(contentType ?? '')?.[1];
  const decoded = decodeOfx(new Uint8Array(await c.req.arrayBuffer()), charset);
  if (!decoded.ok) throw problems.validation([{ path: 'body', message: decoded.message }]);
  // Kept as the body's text, as requireUtf8Body does for other bodies: Hono's text() reads
  // `bodyCache.text` first (a promise at run time although its type says string).
  Object.assign(c.req.bodyCache, { text: Promise.resolve(decoded.text) });
  return next();
};
