import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/**
 * How an Idempotency-Key's record keeps its answer's body within what a DynamoDB item holds
 * (400 KB, and the item counts toward a transaction's 4 MB). The largest keyed answers (an
 * offline push of 100 large expenses, up to the 1 MB body limit) are ~1 MB of JSON:
 *
 * - a body of more than COMPRESS_ABOVE_CHARS is kept brotli-compressed, as base64 text
 *   (`encoding: 'br'`): JSON answers shrink 10-100 times (a 650 KB push answer keeps ~7 KB).
 *   Smaller ones stay plain: a typical POST expense answer (~420 bytes) would keep ~280, which
 *   rarely crosses a 1 KB write unit, for a compression on every write and an unreadable record.
 *   Records written before this have no `encoding` and replay as they are.
 * - a body that even so (or sealed) would be over KEPT_BODY_MAX_CHARS is not kept: the record
 *   keeps the status and `notKept: true` (replayStored answers it with 409
 *   `idempotent-answer-not-kept`, never by running the request again).
 *
 * Base64 text rather than a binary attribute so a sealer (which seals text) seals the
 * compressed form, and the record-on-item stays one shape.
 */
export const COMPRESS_ABOVE_CHARS = 1024;

/**
 * The most a kept body may hold: leaves room under the 400 KB item for the record's other
 * attributes (fingerprint, headers) and, for a record kept on the created item, that item.
 */
export const KEPT_BODY_MAX_CHARS = 300 * 1024;

/** Brotli quality 5: on a 650 KB push answer ~2 ms against ~400 ms at the default 11, for ~10% more bytes. */
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };

/**
 * The largest answer a kept record may decompress to: above any keyed answer (a bulk edit's or a
 * push's 100 whole expenses of ~32 K characters, up to 3 bytes each in UTF-8: ~10 MB). Not
 * Lambda's 6 MB: that bounds the answer as SENT, which the handler compresses (app
 * http/answer-fit.ts), so a larger answer is sent gzip-compressed to its replay (until
 * 2026-12-07 the cap was 6 MiB, and such a replay failed with a 500).
 */
export const KEPT_ANSWER_MAX_BYTES = 16 * 1024 * 1024;

export type KeptEncoding = 'br';

/** `body` as a record keeps it: plain when small, else compressed (base64 text). */
export function encodeKeptBody(body: string): { body: string; encoding?: KeptEncoding } {
  if (body.length <= COMPRESS_ABOVE_CHARS) return { body };
  // The compressed bytes live only until their base64 text exists.
  return { body: brotliCompressSync(body, { ...BROTLI_OPTIONS, params: { ...BROTLI_OPTIONS.params, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body) } }).toString('base64'), encoding: 'br' };
}

/** A kept body (already opened when it was sealed) as the route answered it. */
export function decodeKeptBody(body: string, encoding: KeptEncoding | undefined): string {
  if (encoding === undefined) return body;
  if (encoding !== 'br') throw new Error(`An Idempotency-Key answer kept with an unknown encoding: ${String(encoding)}`);
  // Capped, so a damaged record fails (a 500) instead of inflating without bound.
  return brotliDecompressSync(Buffer.from(body, 'base64'), { maxOutputLength: KEPT_ANSWER_MAX_BYTES }).toString('utf8');
}
