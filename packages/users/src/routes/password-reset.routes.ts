import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse } from '@budgeting/platform/routes';
import { PasswordResetAcceptedSchema, PasswordResetConfirmBodySchema, PasswordResetRequestBodySchema } from '../schemas/password-reset.schemas';
import { AuthResponseSchema } from '../schemas/users.schemas';
import { mfaProblemExamples } from './mfa.routes';
import { commonProblems } from './problem-examples';

const tags = ['Auth'];

export const requestPasswordReset = createRoute({
  method: 'post',
  path: '/v1/auth/password-reset',
  operationId: 'requestPasswordReset',
  tags,
  // Public: the user has forgotten the password.
  security: [],
  summary: 'Forgot password: mail a reset code',
  description:
    'Always 202 with the same body, whether or not an account has this email (the answer reveals nothing): if one has, a mail with a reset code (and a link, where configured) follows shortly; the code works once and expires in 30 minutes. ' +
    'More than 3 requests for one email within an hour, or more than 5 from one client address (IPv6: its /64) within a minute, get 429 with Retry-After. ' +
    'If the request cannot be stored at all (the database throttling it, alike for every email), 503 with Retry-After: ask again.',
  request: { body: jsonBody(PasswordResetRequestBodySchema, 'The email of the account') },
  responses: {
    202: jsonResponse(PasswordResetAcceptedSchema, 'Accepted (the same for every email)'),
    400: commonProblems.validation,
    415: commonProblems.unsupportedMediaType,
    429: commonProblems.tooManyResetRequests,
  },
});

export const confirmPasswordReset = createRoute({
  method: 'post',
  path: '/v1/auth/password-reset/confirm',
  operationId: 'confirmPasswordReset',
  tags,
  // Public: the mailed code is the credential.
  security: [],
  summary: 'Forgot password: set a new one with the mailed code',
  description:
    'Sets the new password and signs in, like login (failed sign-ins from this client are forgiven, as after a successful login). Ends EVERY session of the account (their refresh tokens and the access tokens already issued are refused from now on). ' +
    'With two-factor sign-in on, the mailed code does not sign in alone: the password is set (and every session ended) and the answer is login\'s 401 `mfa-required`; POST /v1/auth/login/mfa with its mfaToken and a code finishes. ' +
    'One answer (422 naming `token`) for a code that is wrong, expired, already used, or voided by a password change since it was requested. With a valid code, a common or guessable `newPassword` (see its description) is a 400 naming `newPassword` and the code stays usable. More than 10 confirmations from one client address within a minute get 429 with Retry-After.',
  request: { body: jsonBody(PasswordResetConfirmBodySchema, 'The mailed code and the new password') },
  responses: {
    200: jsonResponse(AuthResponseSchema, 'The account and a new token pair'),
    400: commonProblems.validation,
    401: mfaProblemExamples.mfaRequired,
    415: commonProblems.unsupportedMediaType,
    422: commonProblems.invalidResetToken,
    429: commonProblems.tooManyResetConfirmations,
  },
});
