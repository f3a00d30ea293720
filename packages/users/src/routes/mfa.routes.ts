import { createRoute } from '@hono/zod-openapi';
import { problemType } from '@budgeting/platform';
import { afterRateLimit, jsonBody, jsonResponse, personalTokenRefusedResponse, problemExample, ProblemSchema, sessionSecurity } from '@budgeting/platform/routes';
import { MfaCodeBodySchema, MfaLoginBodySchema, MfaPasswordBodySchema, MfaPasswordCodeBodySchema, MfaStatusSchema, RecoveryCodesSchema, TotpEnrolmentSchema } from '../schemas/mfa.schemas';
import { AuthResponseSchema } from '../schemas/users.schemas';
import { commonProblems } from './problem-examples';

/** The refusals of two-factor sign-in, as service/mfa-problems.ts words them. */
export const mfaProblemExamples = {
  mfaRequired: problemExample(
    'The password is right and the account has two-factor sign-in on: no tokens yet. Finish with POST /v1/auth/login/mfa, the `mfaToken` (valid 5 minutes) and a code.',
    {
      type: problemType('mfa-required'),
      title: 'Second factor required',
      status: 401,
      detail: 'Enter a code from your authenticator app (or a recovery code) to finish signing in: POST /v1/auth/login/mfa with this mfaToken.',
      mfaToken: 'Jq0sVnQ2m8b1vR4xKc7TtYw3ZpLdE6uHfA9oNiGkMjs',
      mfaTokenExpiresAt: '2026-11-24T12:05:00.000Z',
    },
  ),
  incorrectPassword: problemExample('The password is wrong (counted toward the sign-in throttle of the account\'s email).', {
    type: problemType('incorrect-password'),
    title: 'Incorrect password',
    status: 422,
    detail: 'The password is incorrect.',
    errors: [{ path: 'password', message: 'Incorrect password' }],
  }),
  incorrectCode: problemExample('The code is wrong, expired or already used (with a password: counted toward the sign-in throttle of the account\'s email).', {
    type: problemType('incorrect-mfa-code'),
    title: 'Incorrect code',
    status: 422,
    detail: 'The code is wrong, expired or already used.',
    errors: [{ path: 'code', message: 'Incorrect code' }],
  }),
  notOn: problemExample('Two-factor sign-in is not on for this account.', {
    type: problemType('mfa-not-on'),
    title: 'Two-factor sign-in is off',
    status: 409,
    detail: 'Two-factor sign-in is not on for this account.',
  }),
};

/**
 * A 401 of a route that signs in (login, the password reset's confirmation): its own refusal
 * and, for an account with two-factor on, `mfa-required` (two named examples of one status).
 */
export function signInRefusals(description: string, refusal: Record<string, unknown>) {
  const required = mfaProblemExamples.mfaRequired.content['application/problem+json'].example;
  return {
    description: `${description} Or, with two-factor sign-in on and the password right: \`mfa-required\` with the \`mfaToken\` for POST /v1/auth/login/mfa.`,
    content: {
      'application/problem+json': {
        schema: ProblemSchema,
        examples: { refused: { summary: description, value: refusal }, mfaRequired: { summary: 'Two-factor sign-in is on: a code is needed', value: required } },
      },
    },
  } as const;
}

const tags = ['Me'];
/** The password re-check's refusals, as POST /v1/me/password documents them. */
const passwordChecked = {
  400: commonProblems.validation,
  401: commonProblems.unauthorized,
  403: personalTokenRefusedResponse,
  415: commonProblems.unsupportedMediaType,
  429: commonProblems.tooManyPasswordAttempts,
} as const;

export const getMfa = createRoute({
  method: 'get',
  path: '/v1/me/mfa',
  operationId: 'getMfa',
  tags,
  summary: 'Two-factor sign-in: its state',
  description: 'Whether an authenticator app (TOTP) is off, enrolled but not confirmed (`pending`), or on, and how many recovery codes are left.',
  security: sessionSecurity,
  responses: {
    200: jsonResponse(MfaStatusSchema, 'The state'),
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
  },
});

export const enrolTotp = createRoute({
  method: 'post',
  path: '/v1/me/mfa/totp',
  operationId: 'enrolTotp',
  tags,
  summary: 'Two-factor sign-in: enrol an authenticator app',
  description:
    'Checks the password like a sign-in (same limits as POST /v1/me/password), makes a new TOTP secret and answers it (base32 and as an otpauth:// URI for a QR code); only this answer ever shows it (stored sealed). ' +
    'Not on until confirmed with a code (POST /v1/me/mfa/totp/confirm); a new enrolment replaces a pending one. 409 when two-factor is already on (before the password is checked or counted).',
  security: sessionSecurity,
  request: { body: jsonBody(MfaPasswordBodySchema, 'The account\'s password') },
  responses: {
    201: jsonResponse(TotpEnrolmentSchema, 'Enrolled, pending confirmation'),
    ...passwordChecked,
    409: problemExample('Two-factor sign-in is already on (turn it off first to move to another app).', {
      type: problemType('mfa-already-on'),
      title: 'Two-factor sign-in already on',
      status: 409,
      detail: 'Two-factor sign-in is already on; turn it off first to enrol another authenticator.',
    }),
    422: mfaProblemExamples.incorrectPassword,
  },
});

export const confirmTotp = createRoute({
  method: 'post',
  path: '/v1/me/mfa/totp/confirm',
  operationId: 'confirmTotp',
  tags,
  summary: 'Two-factor sign-in: confirm and turn it on',
  description:
    'A code of the pending secret (the current 30-second step, or the one before or after) turns two-factor sign-in on; from now on a sign-in with the password asks for a code. ' +
    'Answers ten one-time recovery codes, shown only here. Other sessions stay signed in (end them with DELETE /v1/me/sessions/{sessionId}, or change the password). ' +
    'A wrong code is a failed sign-in attempt of the account\'s email (same 429s as login).',
  security: sessionSecurity,
  request: { body: jsonBody(MfaCodeBodySchema, 'A code from the authenticator app') },
  responses: {
    200: jsonResponse(RecoveryCodesSchema, 'On; the recovery codes'),
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
    409: problemExample('No pending enrolment (none started, already confirmed, or replaced meanwhile).', {
      type: problemType('mfa-not-pending'),
      title: 'No enrolment to confirm',
      status: 409,
      detail: 'There is no pending authenticator enrolment to confirm; start one with POST /v1/me/mfa/totp.',
    }),
    415: commonProblems.unsupportedMediaType,
    422: mfaProblemExamples.incorrectCode,
    429: commonProblems.tooManyPasswordAttempts,
  },
});

export const disableTotp = createRoute({
  method: 'delete',
  path: '/v1/me/mfa/totp',
  operationId: 'disableTotp',
  tags,
  summary: 'Two-factor sign-in: turn it off',
  description:
    'Needs the password and a code (from the app, or a recovery code): a wrong one of either counts toward the sign-in throttle of the account\'s email. Removes the secret and the recovery codes.',
  security: sessionSecurity,
  request: { body: jsonBody(MfaPasswordCodeBodySchema, 'The password and a code') },
  responses: {
    204: { description: 'Off' },
    ...passwordChecked,
    // requireContentType judges only POST, PUT and PATCH bodies: this DELETE's is judged by the
    // router, after requireAuth counted the request.
    415: afterRateLimit(commonProblems.unsupportedMediaType),
    409: mfaProblemExamples.notOn,
    422: mfaProblemExamples.incorrectCode,
  },
});

export const regenerateRecoveryCodes = createRoute({
  method: 'post',
  path: '/v1/me/mfa/recovery-codes',
  operationId: 'regenerateRecoveryCodes',
  tags,
  summary: 'Two-factor sign-in: new recovery codes',
  description: 'Needs the password and a code, like turning it off. Ten new recovery codes, shown only here; the old ones stop working at once.',
  security: sessionSecurity,
  request: { body: jsonBody(MfaPasswordCodeBodySchema, 'The password and a code') },
  responses: {
    200: jsonResponse(RecoveryCodesSchema, 'The new recovery codes'),
    ...passwordChecked,
    409: mfaProblemExamples.notOn,
    422: mfaProblemExamples.incorrectCode,
  },
});

export const loginMfa = createRoute({
  method: 'post',
  path: '/v1/auth/login/mfa',
  operationId: 'loginMfa',
  tags: ['Auth'],
  // Public: the mfaToken of the password step and the code are the credentials.
  security: [],
  summary: 'Sign in: the second factor',
  description:
    'Finishes a sign-in that answered 401 `mfa-required` (from POST /v1/auth/login, or POST /v1/auth/password-reset/confirm): its `mfaToken` and a 6-digit code from the authenticator app (each code works once) or a recovery code (each works once). Answers what login answers. ' +
    'At most 5 codes are checked per mfaToken, also when sent at once (the 5th wrong one voids it: sign in again); each wrong code is also a failed sign-in attempt of the email (same 429s as login).',
  request: { body: jsonBody(MfaLoginBodySchema, 'The mfaToken and a code') },
  responses: {
    200: jsonResponse(AuthResponseSchema, 'The account and a new token pair'),
    400: commonProblems.validation,
    401: problemExample('A wrong, expired or already used code (`invalid-mfa-code`, with `attemptsLeft`), or an mfaToken that is unknown, expired, already used or void (`invalid-mfa-token`: sign in again).', {
      type: problemType('invalid-mfa-code'),
      title: 'Invalid code',
      status: 401,
      detail: 'The code is wrong, expired or already used; 4 attempts left.',
      errors: [{ path: 'code', message: 'Invalid code' }],
      attemptsLeft: 4,
    }),
    403: commonProblems.accountSuspended,
    415: commonProblems.unsupportedMediaType,
    429: commonProblems.tooManyPasswordAttempts,
  },
});
