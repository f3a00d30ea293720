import type { z } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '@budgeting/platform';

/**
 * Small builders so each route declares bodies and responses in one line each. Problem
 * responses use the platform's shared Problem schema, with an example of what this module
 * actually answers.
 */
export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { required: true, description, content: { 'application/json': { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

const TYPE = 'https://budgeting.dev/problems/';

export function problemResponse(description: string, example: Record<string, unknown>) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema, example } } } as const;
}

/** The refusals many routes share. */
export const commonProblems = {
  validation: problemResponse('Invalid input: each bad or unknown field is named in `errors`.', {
    type: `${TYPE}validation-error`,
    title: 'Invalid request',
    status: 400,
    detail: 'The request is invalid.',
    errors: [
      { path: 'email', message: 'Must be a valid email address' },
      { path: 'nickname', message: 'Unknown field' },
    ],
  }),
  unauthorized: problemResponse('Missing, invalid or expired access token, or the account no longer exists.', {
    type: `${TYPE}unauthorized`,
    title: 'Unauthorized',
    status: 401,
    detail: 'The access token has expired.',
  }),
  unsupportedMediaType: problemResponse('The body is not application/json.', {
    type: `${TYPE}unsupported-media-type`,
    title: 'Unsupported media type',
    status: 415,
    detail: 'Content-Type must be application/json.',
  }),
};
