/**
 * The description of each error status in the OpenAPI document, one text per status: the
 * routes' own declarations (openapi.ts `problemResponses`) and the ones finishDocument adds to
 * every operation (openapi-finish.ts) say the same. Its own module, free of zod, because the
 * Lambda finishes the served document without loading any route schema.
 */
export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input; `errors` names each bad field',
  401: 'Missing, invalid or expired access token',
  403: 'Your role does not allow this',
  404: 'Not found, or not visible to you',
  406: 'The answer is larger than the API can send (6 MB as the function returns it) uncompressed or compressed as accepted: `answer-too-large`; send `Accept-Encoding: gzip` or ask for less (after a write: it was applied, `answerStatus`)',
  409: 'Conflict',
  412: 'If-Match does not match the current version',
  413: 'Body too large',
  415: 'Wrong Content-Type',
  422: 'Idempotency-Key reused with a different body',
  429: 'Too many requests; see Retry-After',
  500: 'An unexpected error of the API (a defect): `internal-error`, its cause only in the logs under this answer\'s X-Request-Id; a write it answered may or may not have been applied (retry a keyed one with the same Idempotency-Key: it is applied at most once)',
  503: 'Temporarily unavailable; see Retry-After',
};
