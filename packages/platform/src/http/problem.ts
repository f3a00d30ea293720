import type { Guard } from './guards';

/**
 * RFC 9457 problem details. Every error the API returns is one of these, so clients can
 * rely on one shape: {type, title, status, detail, errors?}.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/**
 * The default base of every problem `type`: a slug is appended. Clients match on these URIs, so
 * the default never changes; an operator who owns a domain may point it at the deployment's own
 * catalogue (`PROBLEM_TYPE_BASE`, read once by loadConfig and handed to useProblemTypeBase).
 */
export const PROBLEM_TYPE_BASE = 'https://budgeting.dev/problems/';

let typeBase = PROBLEM_TYPE_BASE;

/**
 * Sets the base of the `type` URIs this process answers (createSystem, from the configuration).
 * A process-wide setting on purpose: problem bodies are built everywhere (an expense push embeds
 * one per refused mutation), far from any request's configuration.
 */
export function useProblemTypeBase(base: string): void {
  typeBase = base;
}

/**
 * The `type` URI of a problem slug, e.g. problemType('validation-error'). Route files call it
 * with a literal for their OpenAPI examples (evaluated at load, so the document keeps the
 * default base); tests/unit/http/problem-catalog.test.ts fails on a literal no module declared.
 */
export const problemType = (slug: string): string => typeBase + slug;

/** What the catalogue (GET /problems, docs/problems.md) says about one problem type. */
export interface ProblemTypeInfo {
  /** The status it is answered with (http-error: the framework's, see its meaning). */
  status: number;
  /** The `title` of every answer of this type: the same for all of them (RFC 9457 3.1.3). */
  title: string;
  /** One sentence: what happened. */
  meaning: string;
  /** What a client should do about it. */
  action: string;
}

const DECLARED: unique symbol = Symbol.for('budgeting.problem-type');

/**
 * One declared problem type: only declareProblems makes one (the brand), and ProblemError is
 * built from one, so no answer can carry a slug its module did not declare (a type error).
 */
export interface ProblemType<S extends string = string> extends Readonly<ProblemTypeInfo> {
  readonly slug: S;
  /** The module that declared it (`platform` for the generic ones). */
  readonly module: string;
  readonly [DECLARED]: true;
}

/**
 * A module's problem types, one entry per slug (its `src/problems.ts`, re-exported by its
 * public entry, where the app's catalogue finds it by shape).
 */
export function declareProblems<const T extends Record<string, ProblemTypeInfo>>(module: string, types: T): { readonly [K in keyof T & string]: ProblemType<K> } {
  const entries = Object.entries(types).map(([slug, info]) => {
    if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(slug)) throw new Error(`problem slug "${slug}" (${module}) is not kebab-case`);
    return [slug, Object.freeze({ ...info, slug, module, [DECLARED]: true as const })];
  });
  // The same mark on the set (not enumerable): found by shape without reading any other export's members.
  const declared = Object.defineProperty(Object.fromEntries(entries), DECLARED, { value: 'set' });
  return Object.freeze(declared) as { readonly [K in keyof T & string]: ProblemType<K> };
}

export const isProblemType = (value: unknown): value is ProblemType =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DECLARED] === true;

/** Whether `value` is what declareProblems returns (how the catalogue finds a module's types among its exports). */
export const isProblemTypes = (value: unknown): value is Record<string, ProblemType> =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DECLARED] === 'set';

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

/** The generic problem types, which every module answers too (each module declares its own in its src/problems.ts). */
export const PLATFORM_PROBLEMS = declareProblems('platform', {
  'validation-error': {
    status: 400,
    title: 'Invalid request',
    meaning: 'The request\'s body, query, path or headers are invalid; `errors` names each bad field (unknown fields included).',
    action: 'Fix the fields `errors` names and send the request again; sent unchanged it fails the same way.',
  },
  'bad-request': {
    status: 400,
    title: 'Bad request',
    meaning: 'The request cannot be read at all, e.g. a body that is not JSON or text that is not well-formed UTF-8.',
    action: 'Fix the request (`errors`, when present, names the part) and send it again.',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    meaning: 'The access token or personal access token is missing, malformed, expired or revoked, or its session has ended.',
    action: 'Refresh the access token (POST /v1/auth/refresh) and retry once; if that fails too, sign in again.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    meaning: 'The caller is known, but their role in the budget does not allow this action.',
    action: 'Do not retry: ask the budget\'s owner for a role that allows it, or hide the action from this member.',
  },
  'personal-token-not-allowed': {
    status: 403,
    title: 'Personal access token not allowed',
    meaning: 'A personal access token was sent to account management (`/v1/me` and below), which only a session may use.',
    action: 'Sign in and use a session access token for this request.',
  },
  'insufficient-scope': {
    status: 403,
    title: 'Insufficient scope',
    meaning: 'A personal access token with the scope `read` was sent with a method other than GET or HEAD.',
    action: 'Create a token with the scope `write` (POST /v1/me/tokens) for writes.',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    meaning: 'The resource does not exist, or is not visible to the caller (another account\'s or a budget they are not a member of).',
    action: 'Do not retry: drop the local copy, or list the collection again.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    meaning: 'The path exists but does not have this method; the `Allow` header lists the methods it has.',
    action: 'Use one of the methods `Allow` lists.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    meaning: 'The request conflicts with the resource\'s current state (a cap reached, a name taken, a change that lost too many races); `detail` says which.',
    action: 'Read `detail` (and `errors`): resolve the conflict it names, or retry later when it says the resource is busy.',
  },
  'idempotent-answer-not-kept': {
    status: 409,
    title: 'Answer not kept',
    meaning: 'The request with this Idempotency-Key was applied, but its answer was too large to keep for a replay.',
    action: 'Do not send it again: read the result instead (e.g. GET .../changes?since= after a push).',
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition failed',
    meaning: 'If-Match did not name the resource\'s current version: someone changed it since it was read.',
    action: 'GET the resource again, merge or show the change, and retry with its current ETag.',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    meaning: 'The request body (or an import file\'s rows) exceeds the limit `detail` names.',
    action: 'Send less: split the file or the batch.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    meaning: 'The Content-Type (or its charset) is not one this operation takes; `detail` lists the accepted ones.',
    action: 'Send the body with one of the media types `detail` lists.',
  },
  unprocessable: {
    status: 422,
    title: 'Unprocessable request',
    meaning: 'The request is well-formed but cannot be done as asked (an Idempotency-Key reused with another body, a range too large for one answer); `detail` says why.',
    action: 'Change the request as `detail` says (a new Idempotency-Key for a new body, a narrower range); sent unchanged it fails the same way.',
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    meaning: 'A rate limit refused the request (per account, per client address, per email or per calendar feed).',
    action: 'Wait the seconds `Retry-After` gives, then retry.',
  },
  'internal-error': {
    status: 500,
    title: 'Internal server error',
    meaning: 'An unexpected error; it is logged with the request\'s `X-Request-Id`.',
    action: 'Retry later with the same Idempotency-Key (a write may have committed); report the `X-Request-Id` if it persists.',
  },
  'service-unavailable': {
    status: 503,
    title: 'Service unavailable',
    meaning: 'The database throttled the request; nothing is known to have been written.',
    action: 'Wait the seconds `Retry-After` gives, then retry (with the same Idempotency-Key for a write).',
  },
  'http-error': {
    status: 400,
    title: 'Request error',
    meaning: 'A refusal of the HTTP framework itself, before any route ran, with the framework\'s own 4xx status, never 400 (the framework\'s 400s, e.g. a body that is not JSON, are `bad-request`; one without a status is an `internal-error`): the status listed is nominal.',
    action: 'Read `detail` and fix the request.',
  },
});

export class ProblemError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly title: string;

  /**
   * `type`: a declared problem type (declareProblems), which gives the slug, title and status;
   * `status` overrides the latter for `http-error` only (the framework's own status).
   */
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    /** `headers`: answer fields; `refusedBy`: the guard of a 429, for the access line only (neither is in the body). */
    readonly extras: { errors?: FieldError[]; headers?: Record<string, string>; refusedBy?: Guard; [k: string]: unknown } = {},
    status: number = type.status,
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.slug = type.slug;
    this.title = type.title;
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

const P = PLATFORM_PROBLEMS;

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is invalid.') => new ProblemError(P['validation-error'], detail, { errors }),
  badRequest: (detail: string, errors?: FieldError[]) => new ProblemError(P['bad-request'], detail, errors ? { errors } : {}),
  unauthorized: (detail = 'A valid access token is required.') =>
    new ProblemError(P.unauthorized, detail, { headers: { 'WWW-Authenticate': 'Bearer' } }),
  forbidden: (detail = 'Your role does not allow this action.') => new ProblemError(P.forbidden, detail),
  /** A personal access token on a route it may not use (account management): 403, sign in instead. */
  personalTokenRefused: (detail = 'Personal access tokens cannot manage the account; sign in and use a session access token.') =>
    new ProblemError(P['personal-token-not-allowed'], detail),
  /** A personal access token whose scope does not allow the method (a `read` token writing). */
  insufficientScope: (detail: string) => new ProblemError(P['insufficient-scope'], detail),
  notFound: (detail = 'The resource was not found.') => new ProblemError(P['not-found'], detail),
  methodNotAllowed: (allow: string[]) =>
    new ProblemError(P['method-not-allowed'], `Allowed methods: ${allow.join(', ')}.`, { headers: { Allow: allow.join(', ') } }),
  conflict: (detail: string) => new ProblemError(P.conflict, detail),
  /** An Idempotency-Key's request was applied, but its answer was too large to keep for a replay (kept-answer.ts). */
  answerNotKept: () =>
    new ProblemError(
      P['idempotent-answer-not-kept'],
      'The request with this Idempotency-Key was applied, but its answer was too large to keep: read the result (e.g. GET .../changes?since= after a push) instead of retrying.',
    ),
  preconditionFailed: (detail = 'The resource has changed; fetch it again and retry with its current ETag.') =>
    new ProblemError(P['precondition-failed'], detail),
  /** `closeConnection`: the rest of the body will not be read, so the connection cannot be reused. */
  payloadTooLarge: (limitBytes: number, options: { closeConnection?: boolean } = {}) =>
    new ProblemError(P['payload-too-large'], `The request body exceeds ${limitBytes} bytes.`, {
      ...(options.closeConnection ? { headers: { Connection: 'close' } } : {}),
    }),
  unsupportedMediaType: (expected: string[]) => new ProblemError(P['unsupported-media-type'], `Content-Type must be ${expected.join(' or ')}.`),
  unprocessable: (detail: string) => new ProblemError(P.unprocessable, detail),
  /**
   * `refusedBy`: which guard refused (http/guards.ts): every 429 has the same type, so the
   * access line names the guard (and infra counts refusals per guard from it).
   * `headers`: more fields of the answer (the rate limit's RateLimit and RateLimit-Policy).
   */
  tooManyRequests: (refusedBy: Guard, retryAfterSeconds: number, detail = 'Too many requests; retry later.', headers: Record<string, string> = {}) =>
    new ProblemError(P['too-many-requests'], detail, {
      headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
      refusedBy,
    }),
  serviceUnavailable: (retryAfterSeconds: number, detail = 'The service is busy; retry later.') =>
    new ProblemError(P['service-unavailable'], detail, {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    }),
  internal: () => new ProblemError(P['internal-error'], 'An unexpected error occurred.'),
};

export function problemResponse(problem: ProblemError, requestId?: string): Response {
  const headers = new Headers({ 'Content-Type': PROBLEM_CONTENT_TYPE, ...(problem.extras.headers ?? {}) });
  if (requestId) headers.set('X-Request-Id', requestId);
  return new Response(JSON.stringify(problem.toBody()), { status: problem.status, headers });
}
