import type { PLATFORM_PROBLEMS, ProblemTexts } from './problem';

/**
 * The generic problem types' texts (declared in problem.ts): what each means and what a client
 * should do. Read only by the catalogue (GET /problems, docs/problems.md; the app's
 * http/problem-catalog.ts) through the package's `./problem-texts` export: the declarations load on
 * every cold start, and no answer needs these (tests/lambda/cold-http-imports.test.ts).
 */
export const PLATFORM_PROBLEM_TEXTS = {
  'validation-error': {
    meaning: 'The request\'s body, query, path or headers are invalid; `errors` names each bad field (unknown fields included), at most the first 100 (`detail` then says there are more).',
    action: 'Fix the fields `errors` names and send the request again; sent unchanged it fails the same way.',
  },
  'bad-request': {
    meaning: 'The request cannot be read at all, e.g. a body that is not JSON or text that is not well-formed UTF-8.',
    action: 'Fix the request (`errors`, when present, names the part) and send it again.',
  },
  unauthorized: {
    meaning: 'The access token or personal access token is missing, malformed, expired or revoked, or its session has ended.',
    action: 'Refresh the access token (POST /v1/auth/refresh) and retry once; if that fails too, sign in again.',
  },
  forbidden: {
    meaning: 'The caller is known, but their role in the budget does not allow this action.',
    action: 'Do not retry: ask the budget\'s owner for a role that allows it, or hide the action from this member.',
  },
  'personal-token-not-allowed': {
    meaning: 'A personal access token was sent to account management (`/v1/me` and below), which only a session may use.',
    action: 'Sign in and use a session access token for this request.',
  },
  'insufficient-scope': {
    meaning: 'A personal access token with the scope `read` was sent with a method other than GET or HEAD.',
    action: 'Create a token with the scope `write` (POST /v1/me/tokens) for writes.',
  },
  'not-found': {
    meaning: 'The resource does not exist, or is not visible to the caller (another account\'s or a budget they are not a member of).',
    action: 'Do not retry: drop the local copy, or list the collection again.',
  },
  'method-not-allowed': {
    meaning: 'The path exists but does not have this method; the `Allow` header lists the methods it has.',
    action: 'Use one of the methods `Allow` lists.',
  },
  'answer-too-large': {
    meaning: 'The answer is larger than the API can send (6 MB as the function returns it) in an encoding the request accepts: plain when `Accept-Encoding` names neither gzip nor br, or even compressed. `answerStatus` is the status of the answer not sent: a 2xx on a write means the request was applied.',
    action: 'Send `Accept-Encoding: gzip` (large answers are then compressed), or ask for less (a smaller `limit`, a narrower range or batch). After a write (`answerStatus` 2xx), do not send it again as a new request: replay it with the same Idempotency-Key and `Accept-Encoding: gzip`, or read the result.',
  },
  conflict: {
    meaning: 'The request conflicts with the resource\'s current state (a name taken, a change that lost too many races; a full collection is `limit-reached`); `detail` says which.',
    action: 'Read `detail` (and `errors`): resolve the conflict it names, or retry later when it says the resource is busy.',
  },
  'limit-reached': {
    meaning: 'A capped collection is full (an account\'s budgets or webhooks, a budget\'s members, rules, recurring expenses, ...): `collection` names it, `limit` is its size; nothing was written.',
    action: 'Do not retry as is: delete (or revoke) one of the collection first, then send the request again.',
  },
  'idempotent-answer-not-kept': {
    meaning: 'The request with this Idempotency-Key was applied, but its answer was too large to keep for a replay.',
    action: 'Do not send it again: read the result instead (e.g. GET .../changes?since= after a push).',
  },
  'precondition-failed': {
    meaning: 'If-Match did not name the resource\'s current version: someone changed it since it was read.',
    action: 'GET the resource again, merge or show the change, and retry with its current ETag.',
  },
  'payload-too-large': {
    meaning: 'The request body (or an import file\'s rows) exceeds the limit `detail` names.',
    action: 'Send less: split the file or the batch.',
  },
  'unsupported-media-type': {
    meaning: 'The Content-Type (or its charset) is not one this operation takes; `detail` lists the accepted ones.',
    action: 'Send the body with one of the media types `detail` lists.',
  },
  unprocessable: {
    meaning: 'The request is well-formed but cannot be done as asked (an Idempotency-Key reused with another body, a range too large for one answer); `detail` says why.',
    action: 'Change the request as `detail` says (a new Idempotency-Key for a new body, a narrower range); sent unchanged it fails the same way.',
  },
  'too-many-requests': {
    meaning: 'A rate limit refused the request (per account, per client address, per email or per calendar feed).',
    action: 'Wait the seconds `Retry-After` gives, then retry.',
  },
  'internal-error': {
    meaning: 'An unexpected error; it is logged with the request\'s `X-Request-Id`.',
    action: 'Retry later with the same Idempotency-Key (a write may have committed); report the `X-Request-Id` if it persists.',
  },
  'service-unavailable': {
    meaning: 'The database throttled the request (nothing is known to have been written), or could not be reached in time (a write may have committed).',
    action: 'Wait the seconds `Retry-After` gives, then retry (with the same Idempotency-Key for a write: a write that committed is then found, not made twice).',
  },
  'http-error': {
    meaning: 'A refusal of the HTTP framework itself, before any route ran, with the framework\'s own 4xx status, never 400 (the framework\'s 400s, e.g. a body that is not JSON, are `bad-request`; one without a status is an `internal-error`): the status listed is nominal.',
    action: 'Read `detail` and fix the request.',
  },
} satisfies ProblemTexts<typeof PLATFORM_PROBLEMS>;
