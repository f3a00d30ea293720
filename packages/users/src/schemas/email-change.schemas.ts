import { z } from '@hono/zod-openapi';
import { StepUpCodeSchema } from './mfa.schemas';
import { EmailSchema } from './users.schemas';

/** Bodies of the email change (request it with the password, confirm it with the mailed code). */

const PasswordSchema = z
  .string({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : 'Must be a string') })
  .min(1, 'Must not be empty')
  .max(128, 'Must be at most 128 characters')
  .openapi({ example: 'correct horse battery staple', description: 'The password the account has now (checked like a sign-in).' });

export const EmailChangeRequestBodySchema = z
  .object({
    newEmail: EmailSchema.openapi({ format: 'email', example: 'ada.lovelace@example.org', description: 'The address to move to; case-insensitive, stored trimmed and lower-cased.' }),
    password: PasswordSchema,
    code: StepUpCodeSchema(),
  })
  .strict()
  .openapi('EmailChangeRequest', { example: { newEmail: 'ada.lovelace@example.org', password: 'correct horse battery staple' } });

/** The same answer whether or not the new address is free. */
export const EmailChangeAcceptedSchema = z
  .object({
    status: z.literal('accepted'),
    message: z.string(),
  })
  .openapi('EmailChangeAccepted', {
    example: { status: 'accepted', message: 'A confirmation code is on its way to the new address; it expires in 30 minutes. Your email stays as it is until you confirm.' },
  });

export const EmailChangeConfirmBodySchema = z
  .object({
    token: z
      .string({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : 'Must be a string') })
      .min(1, 'Must not be empty')
      .max(200, 'Must be at most 200 characters')
      .openapi({ example: 'Xh3pQm9tZx0bV2cL8kR1aw.Jd8kS2mQ0fL6vT9rB4nW1yC7hE3pU5gA0zX2iO8sKqM', description: 'The code from the mail sent to the new address.' }),
  })
  .strict()
  .openapi('EmailChangeConfirmRequest', { example: { token: 'Xh3pQm9tZx0bV2cL8kR1aw.Jd8kS2mQ0fL6vT9rB4nW1yC7hE3pU5gA0zX2iO8sKqM' } });
