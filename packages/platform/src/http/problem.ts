import type { Guard } from './guards';

/**
 * RFC 9457 problem details. Every error the API returns is one of these, so clients can
 * rely on one shape: {type, title, status, detail, errors?}.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Every problem `type` is this base plus a slug; written here once. */
export const PROBLEM_TYPE_BASE = 'https://budgeting.dev/problems/';

/** The `type` URI of a problem slug, e.g. problemType('validation-error'). */
export const problemType = (slug: string): string => PROBLEM_TYPE_BASE + slug;

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    /** `headers`: answer fields; `refusedBy`: the guard of a 429, for the access line only (neither is in the body). */
    readonly extras: { errors?: FieldError[]; headers?: Record<string, string>; refusedBy?: Guard; [k: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  toBody(instance?: string): ProblemBody {
    const { headers: _headers, refusedBy: _refusedBy, ...extensions } = this.extras;
    return {
      type: problemType(this.slug),
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...extensions,
    };
  }
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is invalid.') =>
    new ProblemError(400, 'validation-error', 'Invalid request', detail, { errors }),
  badRequest: (detail: string, errors?: FieldError[]) =>
    new ProblemError(400, 'bad-request', 'Bad request', detail, errors ? { errors } : {}),
  unauthorized: (detail = 'A valid access token is required.') =>
    new ProblemError(401, 'unauthorized', 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } }),
  forbidden: (detail = 'Your role does not allow this action.') =>
    new ProblemError(403, 'forbidden', 'Forbidden', detail),
  /** A personal access token on a route it may not use (account management): 403, sign in instead. */
  personalTokenRefused: (detail = 'Personal access tokens cannot manage the account; sign in and use a session access token.') =>
    new ProblemError(403, 'personal-token-not-allowed', 'Personal access token not allowed', detail),
  /** A personal access token whose scope does not allow the method (a `read` token writing). */
  insufficientScope: (detail: string) => new ProblemError(403, 'insufficient-scope', 'Insufficient scope', detail),
  notFound: (detail = 'The resource was not found.') => new ProblemError(404, 'not-found', 'Not found', detail),
  methodNotAllowed: (allow: string[]) =>
    new ProblemError(405, 'method-not-allowed', 'Method not allowed', `Allowed methods: ${allow.join(', ')}.`, {
      headers: { Allow: allow.join(', ') },
    }),
  conflict: (detail: string) => new ProblemError(409, 'conflict', 'Conflict', detail),
  /** An Idempotency-Key's request was applied, but its answer was too large to keep for a replay (kept-answer.ts). */
  answerNotKept: () =>
    new ProblemError(
      409,
      'idempotent-answer-not-kept',
      'Answer not kept',
      'The request with this Idempotency-Key was applied, but its answer was too large to keep: read the result (e.g. GET .../changes?since= after a push) instead of retrying.',
    ),
  preconditionFailed: (detail = 'The resource has changed; fetch it again and retry with its current ETag.') =>
    new ProblemError(412, 'precondition-failed', 'Precondition failed', detail),
  /** `closeConnection`: the rest of the body will not be read, so the connection cannot be reused. */
  payloadTooLarge: (limitBytes: number, options: { closeConnection?: boolean } = {}) =>
    new ProblemError(413, 'payload-too-large', 'Payload too large', `The request body exceeds ${limitBytes} bytes.`, {
      ...(options.closeConnection ? { headers: { Connection: 'close' } } : {}),
    }),
  unsupportedMediaType: (expected: string[]) =>
    new ProblemError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `Content-Type must be ${expected.join(' or ')}.`,
    ),
  unprocessable: (detail: string) => new ProblemError(422, 'unprocessable', 'Unprocessable request', detail),
  /**
   * `refusedBy`: which guard refused (http/guards.ts): every 429 has the same type, so the
   * access line names the guard (and infra counts refusals per guard from it).
   * `headers`: more fields of the answer (the rate limit's RateLimit and RateLimit-Policy).
   */
  tooManyRequests: (refusedBy: Guard, retryAfterSeconds: number, detail = 'Too many requests; retry later.', headers: Record<string, string> = {}) =>
    new ProblemError(429, 'too-many-requests', 'Too many requests', detail, {
      headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
      refusedBy,
    }),
  serviceUnavailable: (retryAfterSeconds: number, detail = 'The service is busy; retry later.') =>
    new ProblemError(503, 'service-unavailable', 'Service unavailable', detail, {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    }),
  internal: () =>
    new ProblemError(500, 'internal-error', 'Internal server error', 'An unexpected error occurred.'),
};

export function problemResponse(problem: ProblemError, requestId?: string): Response {
  const headers = new Headers({ 'Content-Type': PROBLEM_CONTENT_TYPE, ...(problem.extras.headers ?? {}) });
  if (requestId) headers.set('X-Request-Id', requestId);
  return new Response(JSON.stringify(problem.toBody()), { status: problem.status, headers });
}
