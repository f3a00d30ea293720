import { createRoute } from '@hono/zod-openapi';
import { etagHeader, jsonBody, jsonContent, jsonResponse, personalTokenRefusedResponse, sessionSecurity } from '@budgeting/platform/routes';
import { EmailChangeAcceptedSchema, EmailChangeConfirmBodySchema, EmailChangeRequestBodySchema } from '../schemas/email-change.schemas';
import { UserSchema } from '../schemas/users.schemas';
import { commonProblems, orStepUp, stepUpProblems } from './problem-examples';

const tags = ['Me'];

export const requestEmailChange = createRoute({
  method: 'post',
  path: '/v1/me/email',
  operationId: 'requestEmailChange',
  tags,
  summary: 'Change the email: mail a code to the new address',
  description:
    'Checks the password like a sign-in (same limits as the password change: a wrong one counts toward the sign-in throttle of the account\'s email, each check toward the 10 password checks a minute per client address). ' +
    'Always 202 with the same body, whether or not another account has the new address (the answer reveals nothing): a mail with a code follows shortly to the NEW address, which expires in 30 minutes; ' +
    'an address another account already has gets a notice without a code instead. The account keeps its email until the code is confirmed. One pending change per account: a new request replaces the earlier one, whose code stops working. ' +
    'With two-factor sign-in on, a current `code` is required too (403 `mfa-code-required` without one; a wrong one is a 422 naming `code`, counted like a wrong password).',
  security: sessionSecurity,
  request: { body: jsonBody(EmailChangeRequestBodySchema, 'The new address and the current password') },
  responses: {
    202: jsonResponse(EmailChangeAcceptedSchema, 'Accepted (the same whether or not the address is free)'),
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: orStepUp(personalTokenRefusedResponse, stepUpProblems.codeRequired),
    415: commonProblems.unsupportedMediaType,
    422: orStepUp(commonProblems.incorrectPasswordOrSameEmail, stepUpProblems.incorrectCode),
    429: commonProblems.tooManyPasswordAttempts,
  },
});

export const confirmEmailChange = createRoute({
  method: 'post',
  path: '/v1/me/email/confirm',
  operationId: 'confirmEmailChange',
  tags,
  summary: 'Change the email: confirm with the mailed code',
  description:
    'Moves the account to the new address: sign-in and password reset work with it, and no longer with the old one, which is mailed a notice. The profile\'s version rises (a new ETag). ' +
    '409 naming `newEmail` if another account took the address meanwhile (of two accounts confirming one address, exactly one wins); 404 naming `token` for a code that is not this account\'s pending change (wrong, replaced by a newer request, or used); 410 naming `token` once it has expired.',
  security: sessionSecurity,
  request: { body: jsonBody(EmailChangeConfirmBodySchema, 'The code from the mail') },
  responses: {
    200: { description: 'The account with its new email', headers: etagHeader, content: jsonContent(UserSchema) },
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
    404: commonProblems.emailChangeNotFound,
    409: commonProblems.newEmailTaken,
    410: commonProblems.emailChangeExpired,
    415: commonProblems.unsupportedMediaType,
  },
});
