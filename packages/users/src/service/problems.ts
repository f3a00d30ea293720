import { GUARDS, ProblemError, problems } from '@budgeting/platform';
import { USERS_PROBLEMS as P } from '../problems';

/** The users module's refusals, worded once so every path that refuses says the same thing. */
export const userProblems = {
  /** Same for unknown email and wrong password: the answer must not reveal which accounts exist. */
  invalidCredentials: () => problems.unauthorized('The email or password is incorrect.'),
  emailTaken: () =>
    new ProblemError(P['email-taken'], 'An account with this email already exists.', {
      errors: [{ path: 'email', message: 'Already registered' }],
    }),
  /** A still-valid access token whose account was deleted (tokens are checked without a read). */
  accountGone: () => problems.accountGone(),
  invalidRefreshToken: () =>
    problems.unauthorized('The refresh token is invalid, expired or revoked; sign in again.'),
  refreshTokenReused: () =>
    problems.unauthorized(
      'The refresh token was already used. Its session has been revoked for safety; sign in again.',
    ),
  tooManyAttempts: (retryAfterSeconds: number) =>
    problems.tooManyRequests(
      GUARDS.signInFailures,
      retryAfterSeconds,
      `Too many failed sign-in attempts for this email; retry in ${Math.max(1, Math.ceil(retryAfterSeconds))} seconds.`,
    ),
  /** The cost guard of signup and sign-in (service/address-limit.ts). */
  tooManyFromAddress: (retryAfterSeconds: number) =>
    problems.tooManyRequests(
      GUARDS.signInAddress,
      retryAfterSeconds,
      `Too many sign-up and sign-in attempts from this network address; retry in ${Math.max(1, Math.ceil(retryAfterSeconds))} seconds.`,
    ),
  /**
   * POST /v1/me/password with a wrong current password: 422 naming the field, not 401 (the
   * access token is fine; a 401 would make clients drop it) nor 403 (which this API uses for
   * a role that does not allow an action).
   */
  incorrectCurrentPassword: () =>
    new ProblemError(P['incorrect-password'], 'The current password is incorrect.', {
      errors: [{ path: 'currentPassword', message: 'Incorrect password' }],
    }),
  /** POST /v1/me/email with a wrong password: the same 422 as the password change's, naming its field. */
  incorrectPassword: (path: string) =>
    new ProblemError(P['incorrect-password'], 'The password is incorrect.', {
      errors: [{ path, message: 'Incorrect password' }],
    }),
  /** POST /v1/me/email with the address the account already has (nothing to change). */
  sameEmail: () =>
    new ProblemError(P['same-email'], 'This is already the email of your account.', {
      errors: [{ path: 'newEmail', message: 'Already your email' }],
    }),
  /**
   * An email-change code that is not this account's pending change: forged, another account's,
   * replaced by a newer request, or already used (one answer for all).
   */
  emailChangeNotFound: () =>
    new ProblemError(P['email-change-not-found'], 'This code does not match your pending email change; request a new one.', {
      errors: [{ path: 'token', message: 'Unknown code' }],
    }),
  /** The code of the pending change, past its 30 minutes. */
  emailChangeExpired: () =>
    new ProblemError(P['email-change-expired'], 'The email-change code has expired; request a new one.', {
      errors: [{ path: 'token', message: 'Expired' }],
    }),
  /** Another account took the new address between the request and the confirmation. */
  newEmailTaken: () =>
    new ProblemError(P['email-taken'], 'Another account uses this email now; nothing was changed.', {
      errors: [{ path: 'newEmail', message: 'Already registered' }],
    }),
  /** The account's email moved, or the pending change was replaced or used, between the read and the write. */
  emailChangedMeanwhile: () => problems.conflict('Another request changed the account\'s email or its pending change in the meantime; nothing was changed by this one.'),
  /** Another password change of the account committed between this one's check and its write. */
  passwordChangedMeanwhile: () =>
    problems.conflict('The password was changed by another request in the meantime; nothing was changed by this one.'),
  sessionNotFound: () => problems.notFound('No active session with this id.'),
  personalTokenNotFound: () => problems.notFound('No personal access token of yours has this id.'),
  /** The 21st personal access token: 409 naming the limit (the count item refuses it, also under concurrent creates). */
  tooManyPersonalTokens: (max: number) =>
    new ProblemError(P['personal-token-limit'], `An account may have at most ${max} personal access tokens; delete one first (expired ones count until deleted).`, { limit: max, collection: 'personalTokens' }),
  tooManyRefreshes: (retryAfterSeconds: number) =>
    problems.tooManyRequests(
      GUARDS.refreshAddress,
      retryAfterSeconds,
      `Too many token refreshes from this network address; retry in ${Math.max(1, Math.ceil(retryAfterSeconds))} seconds.`,
    ),
  /** The refusal of an AddressLimit of one kind (service/address-limit.ts). */
  tooManyOfKind: (kind: 'hashing' | 'refresh' | 'reset' | 'reset-confirm', retryAfterSeconds: number) => {
    if (kind === 'hashing') return userProblems.tooManyFromAddress(retryAfterSeconds);
    if (kind === 'refresh') return userProblems.tooManyRefreshes(retryAfterSeconds);
    const what = kind === 'reset' ? 'password-reset requests' : 'password-reset confirmations';
    const guard = kind === 'reset' ? GUARDS.resetAddress : GUARDS.resetConfirmAddress;
    return problems.tooManyRequests(guard, retryAfterSeconds, `Too many ${what} from this network address; retry in ${seconds(retryAfterSeconds)} seconds.`);
  },
  /** The email had its password-reset requests for the hour (same answer whether it has an account or not). */
  tooManyResetRequests: (retryAfterSeconds: number) =>
    problems.tooManyRequests(GUARDS.resetEmail, retryAfterSeconds, `Too many password-reset requests for this email; retry in ${seconds(retryAfterSeconds)} seconds.`),
  /**
   * A reset token that is forged, tampered with, unknown, expired, already used or voided by a
   * later password change: one answer for all, naming the field, so the answer tells nothing
   * about which (422: the body is well-formed, the token is not acceptable).
   */
  invalidResetToken: () =>
    new ProblemError(P['invalid-reset-token'], 'The password-reset token is invalid or expired; request a new one.', {
      errors: [{ path: 'token', message: 'Invalid or expired' }],
    }),
  /**
   * A sign-in to an account support suspended (service/account-suspension.ts), answered only once
   * the password (and, with two-factor on, the code) proved right: a wrong one gets the 401 of
   * any wrong password, so this tells nothing to someone without them. 403, not 401: the
   * credentials are fine, and signing in again will not help. Never the operator's reason.
   */
  accountSuspended: () => new ProblemError(P['account-suspended'], 'This account is suspended; contact support.'),
  /**
   * DELETE /v1/me from a session that signed in more than `windowMinutes` ago, or whose token
   * does not say when (domain/recent-sign-in.ts). 403, not 401: the access token is fine and
   * must not be dropped for it (clients drop tokens on 401), but this session may not delete
   * the account now; its own type tells a client to sign in again and retry.
   */
  reauthenticationRequired: (windowMinutes: number, action = 'Deleting the account') =>
    new ProblemError(P['reauthentication-required'], `${action} requires a sign-in within the last ${windowMinutes} minutes: sign in again (POST /v1/auth/login, and POST /v1/auth/login/mfa with two-factor on), then retry with the new access token.`,
    ),
};

const seconds = (retryAfterSeconds: number) => Math.max(1, Math.ceil(retryAfterSeconds));
