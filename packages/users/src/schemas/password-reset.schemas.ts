import { z } from '@hono/zod-openapi';
import { acceptedSchema, mailedCodeSchema } from './mailed-code.schemas';
import { EmailSchema, NewPasswordSchema } from './users.schemas';

/** Bodies of the forgot-password routes (request a reset, confirm it with the mailed token). */

export const PasswordResetRequestBodySchema = z
  .object({ email: EmailSchema })
  .strict()
  .openapi('PasswordResetRequest', { example: { email: 'ada@example.com' } });

/** The same answer for every email, account or not. */
export const PasswordResetAcceptedSchema = acceptedSchema('PasswordResetAccepted', 'If an account has this email, a reset code is on its way; it expires in 30 minutes.');

const CODE_EXAMPLE = 'q7Cw0m1yVYkz3s7Qj2bNfA.x6lM2d8qfQmNn0bS3wVv4JkR9pTt1yH5cL7eA2gU0oI';

export const PasswordResetConfirmBodySchema = z
  .object({ token: mailedCodeSchema(CODE_EXAMPLE, 'The code from the reset mail.'), newPassword: NewPasswordSchema })
  .strict()
  .openapi('PasswordResetConfirmRequest', {
    example: { token: CODE_EXAMPLE, newPassword: 'a much longer passphrase now' },
  });
