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

/** What every answer of one problem type carries besides its slug. */
export interface ProblemTypeInfo {
  /** The status it is answered with (http-error: the framework's, see its meaning). */
  status: number;
  /** The `title` of every answer of this type: the same for all of them (RFC 9457 3.1.3). */
  title: string;
}

/**
 * What the catalogue (GET /problems, docs/problems.md) says about one problem type. Kept apart
 * from the declaration (each module's src/problem-texts.ts, its package's `./problem-texts`
 * export) because only the catalogue reads it, and the declarations load on every cold start.
 */
export interface ProblemText {
  /** One sentence: what happened. */
  meaning: string;
  /** What a client should do about it. */
  action: string;
}

/**
 * The texts of a module's declared types: exactly one per slug (`satisfies ProblemTexts<typeof
 * X_PROBLEMS>` makes a missing or an extra slug a type error).
 */
export type ProblemTexts<T> = { readonly [K in keyof T & string]: ProblemText };

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
 * A module's problem types, one entry per slug (its `src/problems.ts`, its package's
 * `./problems` export, where the app's catalogue finds it by shape); their texts are in its
 * `src/problem-texts.ts`.
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

/** The generic problem types, which every module answers too (each module declares its own in its src/problems.ts); their texts: problem-texts.ts. */
export const PLATFORM_PROBLEMS = declareProblems('platform', {
  'validation-error': {
    status: 400,
    title: 'Invalid request',
  },
  'bad-request': {
    status: 400,
    title: 'Bad request',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
  },
  'personal-token-not-allowed': {
    status: 403,
    title: 'Personal access token not allowed',
  },
  'insufficient-scope': {
    status: 403,
    title: 'Insufficient scope',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
  },
  'answer-too-large': {
    status: 406,
    title: 'Answer too large',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
  },
  'limit-reached': {
    status: 409,
    title: 'Limit reached',
  },
  'idempotent-answer-not-kept': {
    status: 409,
    title: 'Answer not kept',
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition failed',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
  },
  unprocessable: {
    status: 422,
    title: 'Unprocessable request',
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
  },
  'internal-error': {
    status: 500,
    title: 'Internal server error',
  },
  'service-unavailable': {
    status: 503,
    title: 'Service unavailable',
  },
  'http-error': {
    status: 400,
    title: 'Request error',
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

/**
 * The most `errors` a problem lists. One error per bad field is what a client needs, but a body
 * may hold a hundred thousand unknown keys in its 1 MB: one error each made an answer of 4 MB and
 * more (past what the API can send, so a 406 instead of the 400), memory and time spent on
 * naming what nobody reads. The first ones are listed (the schema's own fields come first) and
 * `detail` says there are more.
 */
export const MAX_FIELD_ERRORS = 100;

function listedErrors(detail: string, errors: FieldError[]): { detail: string; errors: FieldError[] } {
  if (errors.length <= MAX_FIELD_ERRORS) return { detail, errors };
  return { detail: `${detail.replace(/\.$/, '')}: \`errors\` names its first ${MAX_FIELD_ERRORS} problems, there are more.`, errors: errors.slice(0, MAX_FIELD_ERRORS) };
}

function withErrors(type: ProblemType, detail: string, errors: FieldError[]): ProblemError {
  const listed = listedErrors(detail, errors);
  return new ProblemError(type, listed.detail, { errors: listed.errors });
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is invalid.') => withErrors(P['validation-error'], detail, errors),
  badRequest: (detail: string, errors?: FieldError[]) => (errors ? withErrors(P['bad-request'], detail, errors) : new ProblemError(P['bad-request'], detail, {})),
  unauthorized: (detail = 'A valid access token is required.') =>
    new ProblemError(P.unauthorized, detail, { headers: { 'WWW-Authenticate': 'Bearer' } }),
  /**
   * The caller's account was deleted after its access token was issued (tokens are checked
   * without a read, so one outlives its account by up to its lifetime): found by a read, or by the
   * account check a write carries in its transaction (UsersFacade.accountCheck). One text for every module.
   */
  accountGone: (): ProblemError => problems.unauthorized('The account of this access token no longer exists.'),
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
  /**
   * A capped collection is full (an account's budgets or webhooks, a budget's rules, ...): 409
   * with its `limit` and which `collection` (camelCase, as the API names it), so a client can say
   * so without reading `detail`. `errors`: the field that would take it past (a bulk or derived write's).
   */
  limitReached: (collection: string, limit: number, detail: string, errors?: FieldError[]) =>
    new ProblemError(P['limit-reached'], detail, { limit, collection, ...(errors ? { errors } : {}) }),
  /** An Idempotency-Key's request was applied, but its answer was too large to keep for a replay (kept-answer.ts). */
  answerNotKept: () =>
    new ProblemError(
      P['idempotent-answer-not-kept'],
      'The request with this Idempotency-Key was applied, but its answer was too large to keep: read the result (e.g. GET .../changes?since= after a push) instead of retrying.',
    ),
  /**
   * The answer is larger than the function may send (Lambda: 6 MB, escapes included), plain or as
   * the client accepts it (app http/answer-fit.ts). `answerStatus`: the status of the answer that
   * was not sent (a 2xx on a write: the request was applied).
   */
  answerTooLarge: (detail: string, answerStatus: number) => new ProblemError(P['answer-too-large'], detail, { answerStatus }),
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
