import { z } from '@hono/zod-openapi';
import { listSchema, paginationQuery } from '@budgeting/platform/routes';

/** GET /v1/me/sessions and DELETE /v1/me/sessions/{sessionId}. */

export const ListSessionsQuery = z.object({ ...paginationQuery }).strict();

/** Session ids are ULIDs; anything else cannot name one (400 rather than a lookup). */
export const SessionParams = z
  .object({
    sessionId: z
      .string()
      .regex(/^[0-9A-Za-z]{1,64}$/, 'Must be a session id')
      .openapi({ param: { name: 'sessionId', in: 'path' }, example: '01JDQ40M2XKX3G9T5N7B8C6D4E' }),
  })
  .strict();

export const SessionSchema = z
  .object({
    id: z.string().openapi({ description: 'The session id; the access tokens of the session carry it as the claim `sid`.' }),
    createdAt: z.string().openapi({ format: 'date-time', description: 'The sign-in that started the session.' }),
    lastUsedAt: z.string().openapi({ format: 'date-time', description: 'The last token refresh (the sign-in until the first one).' }),
    current: z.boolean().openapi({
      description: 'True for the session of the access token this request was made with. Access tokens issued before sessions had ids name none: then every session says false.',
    }),
    expiresAt: z.string().nullable().openapi({
      format: 'date-time',
      description:
        'When the session ends at the latest: its sign-in plus the absolute session lifetime (90 days by default); no refresh is accepted after it, however often the session was refreshed, and the user signs in again. Unused for 30 days it ends sooner. Null for a session started before absolute lifetimes existed, until its next refresh sets it (then counted from that refresh).',
    }),
  })
  .openapi('Session', {
    example: { id: '01JDQ40M2XKX3G9T5N7B8C6D4E', createdAt: '2026-11-24T12:00:00.000Z', lastUsedAt: '2026-11-30T08:15:00.000Z', current: true, expiresAt: '2027-02-22T12:00:00.000Z' },
  });

export const SessionListSchema = listSchema('SessionList', SessionSchema);
