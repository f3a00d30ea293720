import { z } from '@hono/zod-openapi';
import { EmailSchema, NewPasswordSchema } from './users.schemas';

/** Bodies of the forgot-password routes (request a reset, confirm it with the mailed token). */

export const PasswordResetRequestBodySchema = z
  .object({ email: EmailSchema })
  .strict()
  .openapi('PasswordResetRequest', { example: { email: 'ada@example.com' } });

/** The same answer for every email, account or not. */
export const PasswordResetAcceptedSchema = z
  .object({
    status: z.literal('accepted'),
    message: z.string(),
  })
  .openapi('PasswordResetAccepted', {
    example: { status: 'accepted', message: 'If an account has this email, a reset code is on its way; it expires in 30 minutes.' },
  });

const ResetTokenSchema = z
  .string({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : 'Must be a string') })
  .min(1, 'Must not be empty')
  .max(200, 'Must be at most 200 characters')
  .openapi({ example: 'q7Cw0m1yVYkz3s7Qj2bNfA.x6lM2d8qfQmNn0bS3wVv4JkR9pTt1yH5cL7eA2gU0oI', description: 'The code from the reset mail.' });

export const PasswordResetConfirmBodySchema = z
  .object({ token: ResetTokenSchema, newPassword: NewPasswordSchema })
  .strict()
  .openapi('PasswordResetConfirmRequest', {
    example: { token: 'q7Cw0m1yVYkz3s7Qj2bNfA.x6lM2d8qfQmNn0bS3wVv4JkR9pTt1yH5cL7eA2gU0oI', newPassword: 'a much longer passphrase now' },
  });
