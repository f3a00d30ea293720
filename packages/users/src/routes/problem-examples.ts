import { problemType } from '@budgeting/platform';
import { problemExample, ProblemSchema } from '@budgeting/platform/routes';

/**
 * The refusals the users routes document with examples of what this module actually answers
 * (the builders are the platform's OpenAPI helpers).
 */
export const commonProblems = {
  /** A sign-in to an account support suspended, answered only once the credentials proved right (docs/support.md). */
  accountSuspended: problemExample(
    'Support suspended the account: the password (and code) are right, but it cannot sign in until the suspension is lifted. A wrong password still gets the 401.',
    {
      type: problemType('account-suspended'),
      title: 'Account suspended',
      status: 403,
      detail: 'This account is suspended; contact support.',
    },
  ),
  validation: problemExample('Invalid input: each bad or unknown field is named in `errors`.', {
    type: problemType('validation-error'),
    title: 'Invalid request',
    status: 400,
    detail: 'The request is invalid.',
    errors: [
      { path: 'email', message: 'Must be a valid email address' },
      { path: 'nickname', message: 'Unknown field' },
    ],
  }),
  unauthorized: problemExample('Missing, invalid or expired access token, or the account no longer exists.', {
    type: problemType('unauthorized'),
    title: 'Unauthorized',
    status: 401,
    detail: 'The access token has expired.',
  }),
  unsupportedMediaType: problemExample('The body is not application/json.', {
    type: problemType('unsupported-media-type'),
    title: 'Unsupported media type',
    status: 415,
    detail: 'Content-Type must be application/json.',
  }),
  incorrectCurrentPassword: problemExample('The current password is wrong (counted toward the sign-in throttle of the account\'s email).', {
    type: problemType('incorrect-password'),
    title: 'Incorrect password',
    status: 422,
    detail: 'The current password is incorrect.',
    errors: [{ path: 'currentPassword', message: 'Incorrect password' }],
  }),
  passwordChangedMeanwhile: problemExample('Another password change of the account committed first; this one changed nothing.', {
    type: problemType('conflict'),
    title: 'Conflict',
    status: 409,
    detail: 'The password was changed by another request in the meantime; nothing was changed by this one.',
  }),
  tooManyPasswordAttempts: problemExample(
    'Too many failed attempts for the account\'s email (sign-ins and password changes together), or too many password checks from this client address; see the Retry-After header.',
    {
      type: problemType('too-many-requests'),
      title: 'Too many requests',
      status: 429,
      detail: 'Too many failed sign-in attempts for this email; retry in 840 seconds.',
    },
  ),
  sessionNotFound: problemExample('No active session of yours has this id (unknown, another account\'s, already ended or expired).', {
    type: problemType('not-found'),
    title: 'Not found',
    status: 404,
    detail: 'No active session with this id.',
  }),
  tooManyFromAddress: problemExample('Too many sign-up and sign-in attempts from this client address; see the Retry-After header.', {
    type: problemType('too-many-requests'),
    title: 'Too many requests',
    status: 429,
    detail: 'Too many sign-up and sign-in attempts from this network address; retry in 42 seconds.',
  }),
  tooManyResetRequests: problemExample(
    'More than 3 reset requests for this email within an hour (whether or not it has an account), or more than 5 from this client address within a minute; see the Retry-After header.',
    {
      type: problemType('too-many-requests'),
      title: 'Too many requests',
      status: 429,
      detail: 'Too many password-reset requests for this email; retry in 2400 seconds.',
    },
  ),
  invalidResetToken: problemExample('The reset code is wrong, expired, already used, or voided by a password change since it was requested (one answer for all).', {
    type: problemType('invalid-reset-token'),
    title: 'Invalid reset token',
    status: 422,
    detail: 'The password-reset token is invalid or expired; request a new one.',
    errors: [{ path: 'token', message: 'Invalid or expired' }],
  }),
  tooManyResetConfirmations: problemExample('More than 10 reset confirmations from this client address within a minute; see the Retry-After header.', {
    type: problemType('too-many-requests'),
    title: 'Too many requests',
    status: 429,
    detail: 'Too many password-reset confirmations from this network address; retry in 42 seconds.',
  }),
  incorrectPasswordOrSameEmail: problemExample(
    'The password is wrong (counted toward the sign-in throttle of the account\'s email; `errors` names `password`), or the new address is the one the account has (`same-email`, naming `newEmail`).',
    {
      type: problemType('incorrect-password'),
      title: 'Incorrect password',
      status: 422,
      detail: 'The password is incorrect.',
      errors: [{ path: 'password', message: 'Incorrect password' }],
    },
  ),
  emailChangeNotFound: problemExample('The code is not this account\'s pending email change: wrong, another account\'s, replaced by a newer request, or already used.', {
    type: problemType('email-change-not-found'),
    title: 'No such email change',
    status: 404,
    detail: 'This code does not match your pending email change; request a new one.',
    errors: [{ path: 'token', message: 'Unknown code' }],
  }),
  emailChangeExpired: problemExample('The code of the pending email change is older than 30 minutes.', {
    type: problemType('email-change-expired'),
    title: 'Email change expired',
    status: 410,
    detail: 'The email-change code has expired; request a new one.',
    errors: [{ path: 'token', message: 'Expired' }],
  }),
  newEmailTaken: problemExample('Another account took the new address since the request (nothing changed), or another change of this account committed first.', {
    type: problemType('email-taken'),
    title: 'Email already registered',
    status: 409,
    detail: 'Another account uses this email now; nothing was changed.',
    errors: [{ path: 'newEmail', message: 'Already registered' }],
  }),
};

/**
 * A personal access token's creation, without two-factor sign-in, from a session that did not
 * sign in within the last 10 minutes (domain/recent-sign-in.ts).
 */
export const tokenReauthenticationRequired = problemExample(
  'Without two-factor sign-in, this session signed in more than 10 minutes ago (a refresh keeps the original sign-in time): sign in again and retry with the new access token.',
  {
    type: problemType('reauthentication-required'),
    title: 'Recent sign-in required',
    status: 403,
    detail:
      'Creating a personal access token requires a sign-in within the last 10 minutes: sign in again (POST /v1/auth/login, and POST /v1/auth/login/mfa with two-factor on), then retry with the new access token.',
  },
);

/** Account deletion from a session that did not sign in within the last 10 minutes (domain/recent-sign-in.ts). */
export const reauthenticationRequired = problemExample(
  'This session signed in more than 10 minutes ago (a refresh keeps the original sign-in time), or its access token predates sign-in times: sign in again and retry with the new access token.',
  {
    type: problemType('reauthentication-required'),
    title: 'Recent sign-in required',
    status: 403,
    detail:
      'Deleting the account requires a sign-in within the last 10 minutes: sign in again (POST /v1/auth/login, and POST /v1/auth/login/mfa with two-factor on), then retry with the new access token.',
  },
);

/** The step-up's refusals (service/mfa-step-up.ts): email change, password change, token creation. */
export const stepUpProblems = {
  codeRequired: problemExample('The account has two-factor sign-in on and no `code` came: send a current code (or a recovery code) with the request.', {
    type: problemType('mfa-code-required'),
    title: 'Code required',
    status: 403,
    detail: 'Two-factor sign-in is on for this account: send a current code from your authenticator app (or a recovery code) as `code`.',
    errors: [{ path: 'code', message: 'Required' }],
  }),
  incorrectCode: problemExample('The `code` is wrong, expired or already used (counted toward the sign-in throttle of the account\'s email).', {
    type: problemType('incorrect-mfa-code'),
    title: 'Incorrect code',
    status: 422,
    detail: 'The code is wrong, expired or already used.',
    errors: [{ path: 'code', message: 'Incorrect code' }],
  }),
};

type ProblemResponse = ReturnType<typeof problemExample>;
const exampleOf = (r: ProblemResponse) => r.content['application/problem+json'].example;

/** A route's own refusal and the step-up's of the same status, as two named examples. */
export function orStepUp(own: ProblemResponse, stepUp: ProblemResponse) {
  return either(own, 'stepUp', stepUp);
}

/** A route's own refusal and another of the same status (`name`: the second example's key), as two named examples. */
export function either(own: ProblemResponse, name: string, other: ProblemResponse) {
  return oneOf(own, { [name]: other });
}

/** A route's own refusal and others of the same status (keyed by their examples' names), as named examples. */
export function oneOf(own: ProblemResponse, others: Record<string, ProblemResponse>) {
  const more = Object.entries(others);
  return {
    description: [own.description, ...more.map(([, other]) => other.description)].join(' Or: '),
    content: {
      'application/problem+json': {
        schema: ProblemSchema,
        examples: {
          refused: { summary: own.description, value: exampleOf(own) },
          ...Object.fromEntries(more.map(([name, other]) => [name, { summary: other.description, value: exampleOf(other) }])),
        },
      },
    },
  } as const;
}
