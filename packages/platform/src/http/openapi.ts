import { z } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem';
import { PROBLEM_DESCRIPTIONS } from './problem-descriptions';

/**
 * The one set of OpenAPI helpers every module's routes use: JSON bodies and responses, the
 * ETag and Location headers, the paginated list shape, the problem+json body every error uses,
 * and helpers that declare a route's error responses in one line, e.g.
 * `responses: { 200: jsonResponse(X, '...'), ...problemResponses(400, 401, 404) }`.
 */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: problemType('validation-error') }),
    title: z.string().openapi({ example: 'Invalid request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'The request is invalid.' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ example: [{ path: 'email', message: 'Invalid email address' }] }),
  })
  // Extension members (RFC 9457 section 3.2) a problem type adds, e.g. `mfa-required`'s `mfaToken`.
  .catchall(z.unknown())
  .openapi('Problem');

export function problemResponses<const C extends number>(...codes: C[]) {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      { description: PROBLEM_DESCRIPTIONS[code] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
    ]),
  ) as Record<C, { description: string; content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemSchema } } }>;
}

/** A problem response (OpenAPI) documented with an example of what this route actually answers. */
export function problemExample(description: string, example: Record<string, unknown>) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema, example } } } as const;
}

/**
 * The 409 of a create into a capped collection (problems.limitReached): its `limit-reached` type
 * with `limit` and `collection`, the example of what the route answers when it is full.
 * `description`: when else the route answers 409 (e.g. an Idempotency-Key in use), after the cap.
 */
export function limitReachedResponse(example: { collection: string; limit: number; detail: string }, description = '') {
  return problemExample(`The ${example.collection} collection is full (\`limit-reached\`, at most ${example.limit})${description ? `; ${description}` : ''}.`, {
    type: problemType('limit-reached'),
    title: 'Limit reached',
    status: 409,
    detail: example.detail,
    limit: example.limit,
    collection: example.collection,
  });
}

/** The 403 of an account-management route (`/v1/me` and below) to a personal access token (requireAuth `accountManagement`). */
export const personalTokenRefusedResponse = problemExample('A personal access token cannot manage the account: sign in and use a session access token.', {
  type: problemType('personal-token-not-allowed'),
  title: 'Personal access token not allowed',
  status: 403,
  detail: 'Personal access tokens cannot manage the account; sign in and use a session access token.',
});

/** `content` of a JSON body or response. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } }) as const;

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, ...(description ? { description } : {}), content: jsonContent(schema) } as const;
}

/** A JSON response. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: jsonContent(schema) } as const;
}

export const etagHeader = {
  ETag: { description: 'The version, for If-Match (writes) and If-None-Match (GET)', schema: { type: 'string' as const, example: '"1"' } },
};

/**
 * The If-None-Match request header of every GET of a versioned item (conditional GET, RFC 9110
 * section 13.1.2; answered by versionedGetAnswer in etag.ts), documented once. Hono hands
 * header names to the validator in lower case, so the documented name is too.
 */
export const IfNoneMatchHeaders = z.object({
  'if-none-match': z.string().optional().openapi({
    param: { in: 'header' },
    example: '"3"',
    description:
      'The ETag of the copy you hold (or a comma-separated list, or *): 304 Not Modified, with the ETag and no body, ' +
      'when one names the current version (weak comparison, so W/"3" matches "3"); otherwise the item.',
  }),
});

/** The 304 of a GET of a versioned item whose If-None-Match named the current version. */
export const notModifiedResponse = {
  description: 'Not Modified: If-None-Match names the current version; no body, keep the copy you hold',
  headers: etagHeader,
};

/**
 * The RateLimit fields (http/rate-limit.ts) of a refusal a route answers itself after requireAuth
 * counted the request. finishDocument gives them to every authenticated operation's answers but
 * the 401, 405, 413 and 415, which the app's middlewares answer before requireAuth runs; a route
 * that answers one of those itself too (the import's row cap, a charset it does not read) declares
 * them with this, e.g. `413: afterRateLimit(problemResponses(413)[413])`.
 */
export function afterRateLimit<R extends { description: string }>(response: R) {
  // The fields finishDocument adds to the components (openapi-finish.ts), as on every other answer.
  return { ...response, headers: { 'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' }, RateLimit: { $ref: '#/components/headers/RateLimit' } } };
}

export const locationHeader = {
  Location: { description: 'URL of the created resource', schema: { type: 'string' as const } },
};

/** A page of a list: `items`, and the cursor of the next page (null on the last). */
export function listSchema<T extends z.ZodType>(name: string, item: T) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    })
    .openapi(name);
}
