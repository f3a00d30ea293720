import { createRoute } from '@hono/zod-openapi';
import { personalTokenRefusedResponse, sessionSecurity, jsonBody, jsonResponse } from '@budgeting/platform/routes';
import { ChangePasswordBodySchema, PasswordChangedResponseSchema } from '../schemas/users.schemas';
import { commonProblems, orStepUp, stepUpProblems } from './problem-examples';

export const changePassword = createRoute({
  method: 'post',
  path: '/v1/me/password',
  operationId: 'changePassword',
  tags: ['Me'],
  summary: 'Change the password',
  description:
    'Checks the current password like a sign-in (same limits: a wrong one counts toward the sign-in throttle of the account\'s email, and each check toward the 10 password checks a minute per client address), stores the new one and ends EVERY session of the account: their refresh tokens and the access tokens already issued are refused from now on. ' +
    'Answers a new token pair for a new session, so the device that made the change stays signed in. Of two concurrent changes one commits and the other gets 409. ' +
    'A common or guessable `newPassword` (see its description) is a 400 naming `newPassword`, checked before the current password and code: it counts no failed sign-in and spends no code. ' +
    'With two-factor sign-in on, a current `code` is required too (403 `mfa-code-required` without one; a wrong one is a 422 naming `code`, counted like a wrong password).',
  security: sessionSecurity,
  request: { body: jsonBody(ChangePasswordBodySchema, 'The current and the new password') },
  responses: {
    200: jsonResponse(PasswordChangedResponseSchema, 'Changed; a new session for this device'),
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: orStepUp(personalTokenRefusedResponse, stepUpProblems.codeRequired),
    409: commonProblems.passwordChangedMeanwhile,
    415: commonProblems.unsupportedMediaType,
    422: orStepUp(commonProblems.incorrectCurrentPassword, stepUpProblems.incorrectCode),
    429: commonProblems.tooManyPasswordAttempts,
  },
});
