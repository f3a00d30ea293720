import { z } from '@hono/zod-openapi';
import { typed } from './users.schemas';

/**
 * The shapes the two "mail me a code" flows share (the password reset, the email change): a
 * request answered 202 with one body whatever the address, and a confirmation carrying the
 * mailed code (`<id>.<MAC>`, service/reset-tokens.ts). Each flow names its own schemas.
 */

/** The 202 body: the same for every address, so the answer reveals nothing. */
export const acceptedSchema = (name: string, message: string) =>
  z
    .object({
      status: z.literal('accepted'),
      message: z.string(),
    })
    .openapi(name, { example: { status: 'accepted', message } });

/** The code from the mail: bounded, so a made-up one costs one HMAC at most. */
export const mailedCodeSchema = (example: string, description: string) =>
  z
    .string(typed('a string'))
    .min(1, 'Must not be empty')
    .max(200, 'Must be at most 200 characters')
    .openapi({ example, description });
