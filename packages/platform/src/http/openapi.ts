import { z } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE } from './problem';

/**
 * Shared OpenAPI pieces: the problem+json body every error uses, and a helper that declares
 * a route's error responses in one line, e.g. `responses: { 200: ..., ...problemResponses(400, 401, 404) }`.
 */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://budgeting.dev/problems/validation-error' }),
    title: z.string().openapi({ example: 'Invalid request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'The request is invalid.' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ example: [{ path: 'email', message: 'Invalid email address' }] }),
  })
  .openapi('Problem');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input; `errors` names each bad field',
  401: 'Missing, invalid or expired access token',
  403: 'Your role does not allow this',
  404: 'Not found, or not visible to you',
  409: 'Conflict',
  412: 'If-Match does not match the current version',
  413: 'Body too large',
  415: 'Wrong Content-Type',
  422: 'Idempotency-Key reused with a different body',
  429: 'Too many requests; see Retry-After',
  503: 'Temporarily unavailable; see Retry-After',
};

export function problemResponses<const C extends number>(...codes: C[]) {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      { description: DESCRIPTIONS[code] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
    ]),
  ) as Record<C, { description: string; content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemSchema } } }>;
}
