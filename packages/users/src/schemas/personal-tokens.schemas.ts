import { z } from '@hono/zod-openapi';
import { nameText } from '@budgeting/platform/routes';
import { StepUpCodeSchema } from './mfa.schemas';

/** POST|GET /v1/me/tokens and DELETE /v1/me/tokens/{tokenId}: personal access tokens. */

const EXAMPLE_TOKEN_ID = '01JDQ7T0K3N5P7R9S1V3X5Z7B9';
const EXAMPLE_TOKEN = 'bgt_01JDQ40M2XKX3G9T5N7B8C6D4E_01JDQ7T0K3N5P7R9S1V3X5Z7B9_q3Xb0m9hY2lqQWZ0ZXJ0aGlzaXNqdXN0YW5leGFtcGw';

const typed = (expected: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : `Must be ${expected}`),
});

export const CreatePersonalTokenBody = z
  .object({
    name: nameText(100, typed('a string')).openapi({ example: 'Spreadsheet sync', description: 'What the token is for (1 to 100 characters, normalized like every name).' }),
    scope: z.enum(['read', 'write'], { error: 'Must be "read" or "write"' }).openapi({
      example: 'read',
      description: '`read`: GET and HEAD requests only; `write`: every request a signed-in session may make. Neither may manage the account (`/v1/me` and below, save the read-only `GET /v1/me/overview`).',
    }),
    expiresInDays: z
      .number(typed('a whole number'))
      .int('Must be a whole number')
      .min(1, 'Must be at least 1')
      .max(365, 'Must be at most 365')
      .optional()
      .openapi({ example: 90, description: 'Days until the token stops working (1 to 365; default 90).' }),
    code: StepUpCodeSchema(),
  })
  .strict()
  .openapi('CreatePersonalToken');

export const PersonalTokenParams = z
  .object({
    tokenId: z
      .string()
      .regex(/^[0-9A-Za-z]{1,64}$/, 'Must be a token id')
      .openapi({ param: { name: 'tokenId', in: 'path' }, example: EXAMPLE_TOKEN_ID }),
  })
  .strict();

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({
    param: { in: 'header' },
    example: '01JDQ7SZQ4W8E2R6T0Y4U8I2O6',
    description: 'Retry-safe creation: the same key and body within 24 h replays the first response (the same token, secret included).',
  }),
});

const fields = {
  id: z.string().openapi({ example: EXAMPLE_TOKEN_ID }),
  name: z.string().openapi({ example: 'Spreadsheet sync' }),
  scope: z.enum(['read', 'write']).openapi({ example: 'read' }),
  createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  expiresAt: z.string().openapi({ format: 'date-time', example: '2027-02-22T12:00:00.000Z', description: 'From then on the token gets 401; it stays listed until deleted.' }),
  expired: z.boolean().openapi({
    example: false,
    description: 'Whether `expiresAt` has passed (at the time of this answer): the token gets 401, and it still holds one of the account\'s places until deleted.',
  }),
  lastUsedAt: z
    .string()
    .nullable()
    .openapi({ format: 'date-time', example: null, description: 'The last request made with it, to the hour (recorded at most once an hour); null before the first.' }),
};

export const PersonalTokenSchema = z.object(fields).openapi('PersonalToken');

export const CreatedPersonalTokenSchema = z
  .object({
    ...fields,
    token: z.string().openapi({
      example: EXAMPLE_TOKEN,
      description: 'The token, shown ONLY in this answer (only a hash of its secret is kept): send it as `Authorization: Bearer <token>`.',
    }),
  })
  .openapi('CreatedPersonalToken');

export const PersonalTokenListSchema = z.object({ items: z.array(PersonalTokenSchema) }).openapi('PersonalTokenList');
