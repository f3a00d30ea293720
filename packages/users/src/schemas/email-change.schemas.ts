import { z } from '@hono/zod-openapi';
import { acceptedSchema, mailedCodeSchema } from './mailed-code.schemas';
import { StepUpCodeSchema } from './mfa.schemas';
import { EmailSchema, PasswordSchema } from './users.schemas';

/** Bodies of the email change (request it with the password, confirm it with the mailed code). */

export const EmailChangeRequestBodySchema = z
  .object({
    newEmail: EmailSchema.openapi({ format: 'email', example: 'ada.lovelace@example.org', description: 'The address to move to; case-insensitive, stored trimmed and lower-cased.' }),
    password: PasswordSchema.openapi({ description: 'The password the account has now (checked like a sign-in).' }),
    code: StepUpCodeSchema(),
  })
  .strict()
  .openapi('EmailChangeRequest', { example: { newEmail: 'ada.lovelace@example.org', password: 'correct horse battery staple' } });

/** The same answer whether or not the new address is free. */
export const EmailChangeAcceptedSchema = acceptedSchema(
  'EmailChangeAccepted',
  'A confirmation code is on its way to the new address; it expires in 30 minutes. Your email stays as it is until you confirm.',
);

const CODE_EXAMPLE = 'Xh3pQm9tZx0bV2cL8kR1aw.Jd8kS2mQ0fL6vT9rB4nW1yC7hE3pU5gA0zX2iO8sKqM';

export const EmailChangeConfirmBodySchema = z
  .object({ token: mailedCodeSchema(CODE_EXAMPLE, 'The code from the mail sent to the new address.') })
  .strict()
  .openapi('EmailChangeConfirmRequest', { example: { token: CODE_EXAMPLE } });
