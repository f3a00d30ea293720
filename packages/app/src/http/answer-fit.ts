import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { PROBLEM_CONTENT_TYPE, problems } from '@budgeting/platform';

/**
 * The one place where every answer's size AS SENT is checked, whatever the route.
 *
 * Behind API Gateway (HTTP API) the function's answer is its result serialized as JSON, at most
 * 6 MB (6,291,456 bytes). The body is a JSON string in it, so a JSON body's `\` and `"` are
 * escaped again (a backslash in a text takes 4 bytes), and a binary body is base64 (4/3). Lists
 * and bulk answers are bounded in items, not in those bytes: 100 expenses whose texts are
 * backslashes pass 6 MB, and Lambda answered them with an opaque 5xx (until 2026-12-07). So:
 *
 * - an answer larger than COMPRESS_ABOVE_BYTES as sent is compressed when the client accepts
 *   gzip (preferred) or br: base64 body, `Content-Encoding`, `Vary: Accept-Encoding`, a strong
 *   ETag sent weak (codedEtag). The
 *   threshold is far above the hot answers (a POST expense's 201, a budget summary, a page of
 *   ordinary expenses: a few KB to ~100 KB), which are never compressed and never measured
 *   beyond a length check;
 * - one that still would not fit (no compression accepted, or it does not compress) is a 406
 *   `answer-too-large` problem saying what to do (accept gzip, ask for less; after a write:
 *   it was applied, replay it with the same Idempotency-Key). The Idempotency-Key middleware
 *   kept the route's own answer, so that replay is the answer, compressed for a client that
 *   accepts it.
 *
 * The Lambda handler applies it to the adapter's result (lambda/http-answer.ts), `npm start` to
 * the same result built from the app's Response (local/answer-fit.ts): local and Lambda agree.
 */
export const LAMBDA_RESULT_MAX_BYTES = 6_291_456;

/** Answers larger than this as sent (256 KiB) are compressed for a client that accepts it. */
export const COMPRESS_ABOVE_BYTES = 256 * 1024;

/** The HTTP API (payload 2.0) result as hono/aws-lambda builds it. */
export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  cookies?: string[];
}

/** What of the request decides how its answer may be sent. */
export interface AnswerRequest {
  method: string;
  acceptEncoding?: string;
  /** The request carried an Idempotency-Key: a write's answer can be replayed with it. */
  idempotencyKey: boolean;
  /** The request's If-None-Match (a 304 names the tag in the form its 200 carried: notModified). */
  ifNoneMatch?: string;
}

type Coding = 'gzip' | 'br';

/** Media types that are compressed already: sent as they are (their size still checked). */
const COMPRESSED_MEDIA = /^(?:image|audio|video)\/|^application\/(?:zip|gzip|x-gzip|pdf)\b/i;

/** The coding to compress with: gzip when accepted (every client has it, and it is fast), else br; none when neither has q > 0. */
export function acceptedCoding(acceptEncoding: string | undefined): Coding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name) accepted.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (coding: Coding) => accepted.get(coding) ?? accepted.get('*') ?? 0;
  if (weightOf('gzip') > 0) return 'gzip';
  if (weightOf('br') > 0) return 'br';
  return undefined;
}

/** The bytes `result` takes as the function's answer (the runtime sends JSON.stringify(result)). */
export const resultBytes = (result: HttpResult): number => Buffer.byteLength(JSON.stringify(result));

/**
 * Whether `result` can pass COMPRESS_ABOVE_BYTES at all: a body character takes at most 6 bytes
 * escaped (`\u001f`), and headers and status stay far under 64 KB. The hot answers stop here.
 */
const mayBeLarge = (result: HttpResult): boolean => (result.body?.length ?? 0) * 6 + 64 * 1024 > COMPRESS_ABOVE_BYTES;

/** `result` as it may be sent: itself, compressed, or the 406 problem. */
export function fitAnswer(result: HttpResult, request: AnswerRequest): HttpResult {
  if (result.statusCode === 304) return notModified(result, request);
  if (!mayBeLarge(result)) return result;
  const size = resultBytes(result);
  if (size <= COMPRESS_ABOVE_BYTES) return result;
  const headers = result.headers ?? {};
  const coding = acceptedCoding(request.acceptEncoding);
  const compressible = !headerOf(headers, 'content-encoding') && !COMPRESSED_MEDIA.test(headerOf(headers, 'content-type') ?? '');
  if (coding && compressible) {
    const compressed = compress(result, coding);
    const compressedSize = resultBytes(compressed);
    // Text that does not compress grows by base64's 4/3: then the plain answer, when it fits.
    if (compressedSize <= LAMBDA_RESULT_MAX_BYTES && compressedSize < size) return compressed;
  }
  if (size <= LAMBDA_RESULT_MAX_BYTES) return result;
  return tooLarge(result, request, size, coding !== undefined && compressible);
}

function compress(result: HttpResult, coding: Coding): HttpResult {
  const plain = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  const body =
    coding === 'gzip'
      ? gzipSync(plain)
      : brotliCompressSync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length } });
  const etag = headerOf(result.headers ?? {}, 'etag');
  const headers = withoutHeaders(result.headers ?? {}, ['content-length', 'etag']);
  headers['content-encoding'] = coding;
  headers.vary = withVary(headerOf(result.headers ?? {}, 'vary'));
  if (etag !== undefined) headers.etag = codedEtag(etag);
  return { ...result, headers, body: body.toString('base64'), isBase64Encoded: true };
}

/**
 * The ETag of a compressed answer. A content coding is part of the representation, and a STRONG
 * tag names one representation only (RFC 9110 8.8.1; 8.8.3.3: the strong tag of a content-encoded
 * representation "has to be distinct" from the unencoded one's), so the route's strong tag
 * (`"<digest>"` of a calendar feed past 256 KiB, which a few daily bills make) is sent weak:
 * a weak tag may name semantically equivalent representations, and If-None-Match compares weakly
 * (RFC 9110 13.1.2), so a calendar app's `W/"<digest>"` still gets its 304 from the feed, and a
 * versioned item's `W/"3"` from versionedGetAnswer. (If-Match compares strongly, so a weak tag
 * never matches it: no versioned item's answer comes near the threshold, an expense of 50 split
 * parts of 500 backslashes being about 100 KiB as sent.) A weak tag is sent as it is.
 */
const codedEtag = (etag: string): string => (etag.startsWith('W/') ? etag : `W/${etag}`);

/**
 * A 304 carries the ETag its 200 would have (RFC 9110 15.4.5), and a 200 sent compressed named the
 * route's strong tag weak (codedEtag); the 304 has no body to tell, so it reads the client: one
 * that accepts a coding and revalidates with the weak form of the tag (what the compressed answer
 * gave it) is answered with that form, any other with the route's own.
 */
function notModified(result: HttpResult, request: AnswerRequest): HttpResult {
  const etag = headerOf(result.headers ?? {}, 'etag');
  if (etag === undefined || etag.startsWith('W/') || acceptedCoding(request.acceptEncoding) === undefined) return result;
  const held = (request.ifNoneMatch ?? '').split(',').map((tag) => tag.trim());
  if (!held.includes(codedEtag(etag))) return result;
  return { ...result, headers: { ...withoutHeaders(result.headers ?? {}, ['etag']), ...varyOf(result), etag: codedEtag(etag) } };
}

/** The answer's Vary as it was (withoutHeaders drops it, as every caller sets its own). */
const varyOf = (result: HttpResult): Record<string, string> => {
  const vary = headerOf(result.headers ?? {}, 'vary');
  return vary === undefined ? {} : { vary };
};

function tooLarge(result: HttpResult, request: AnswerRequest, size: number, triedCompressing: boolean): HttpResult {
  const applied = !['GET', 'HEAD'].includes(request.method.toUpperCase()) && result.statusCode >= 200 && result.statusCode < 300;
  const what = `The answer (${size} bytes as sent${triedCompressing ? ', too many even compressed' : ''}) is larger than the ${LAMBDA_RESULT_MAX_BYTES} bytes the API can send`;
  const accept = triedCompressing ? '' : 'send Accept-Encoding: gzip (large answers are then compressed), or ';
  const detail = applied
    ? `The request was applied (${result.statusCode}), but its answer cannot be sent. ${what}. Do not send it again as a new request: ` +
      (request.idempotencyKey && !triedCompressing
        ? 'replay it with the same Idempotency-Key and Accept-Encoding: gzip to receive its answer, or read the result.'
        : 'read the result (e.g. GET the expenses, or GET .../changes?since=).')
    : `${what}: ${accept}ask for less (a smaller \`limit\`, a narrower range).`;
  const problem = problems.answerTooLarge(detail, result.statusCode);
  // The answer's own fields stay (X-Request-Id, CORS, Idempotent-Replayed); those of its body go.
  const headers = withoutHeaders(result.headers ?? {}, ['content-type', 'content-length', 'content-encoding', 'content-disposition', 'etag', 'last-modified', 'cache-control']);
  headers['content-type'] = PROBLEM_CONTENT_TYPE;
  headers['cache-control'] = 'no-store';
  headers.vary = withVary(headerOf(result.headers ?? {}, 'vary'));
  return { ...result, statusCode: problem.status, headers, body: JSON.stringify(problem.toBody()), isBase64Encoded: false };
}

const headerOf = (headers: Record<string, string>, name: string): string | undefined =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => !names.includes(key.toLowerCase()) && key.toLowerCase() !== 'vary'));
}

const withVary = (vary: string | undefined): string =>
  !vary ? 'Accept-Encoding' : /(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary) ? vary : `${vary}, Accept-Encoding`;
