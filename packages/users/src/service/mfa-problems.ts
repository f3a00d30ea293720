import { ProblemError } from '@budgeting/platform';
import { USERS_PROBLEMS as P } from '../problems';

/**
 * The refusals of two-factor sign-in and its settings, worded once. Kept apart from
 * problems.ts: they are only loaded and read with the MFA code.
 */
/** A 401 MUST carry a challenge (RFC 9110 section 15.5.2): the bearer scheme, as every other 401 of the API (platform problems.unauthorized). */
const CHALLENGE = { 'WWW-Authenticate': 'Bearer' };

export const mfaProblems = {
  /**
   * The password was right and the account has two-factor on: no tokens yet. 401 (the
   * request did not authenticate) with its own type, so a client tells it from a wrong
   * password, and the `mfaToken` to finish with at POST /v1/auth/login/mfa.
   */
  mfaRequired: (mfaToken: string, expiresAt: string) =>
    new ProblemError(P['mfa-required'], 'Enter a code from your authenticator app (or a recovery code) to finish signing in: POST /v1/auth/login/mfa with this mfaToken.', {
      mfaToken,
      mfaTokenExpiresAt: expiresAt,
      // The mfaToken stands for the password just checked: kept by no cache, as tokens are not.
      headers: { 'Cache-Control': 'no-store', ...CHALLENGE },
    }),
  /** Unknown, expired, already used or voided by 5 wrong codes: one answer, sign in again. */
  invalidMfaToken: () =>
    new ProblemError(P['invalid-mfa-token'], 'This sign-in has expired or is no longer valid; sign in again with your password.', {
      errors: [{ path: 'mfaToken', message: 'Invalid or expired' }],
      headers: CHALLENGE,
    }),
  /** A wrong code at sign-in; `attemptsLeft` 0 means the mfaToken is now void. */
  invalidMfaCode: (attemptsLeft: number) =>
    new ProblemError(P['invalid-mfa-code'], attemptsLeft > 0
        ? `The code is wrong, expired or already used; ${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left.`
        : 'The code is wrong, expired or already used; too many wrong codes, sign in again with your password.',
      { errors: [{ path: 'code', message: 'Invalid code' }], attemptsLeft, headers: CHALLENGE },
    ),
  /** The password of a /v1/me/mfa request is wrong: 422 naming it, as a password change's (never 401: the access token is fine). */
  incorrectPassword: () =>
    new ProblemError(P['incorrect-password'], 'The password is incorrect.', {
      errors: [{ path: 'password', message: 'Incorrect password' }],
    }),
  /** The code of a /v1/me/mfa request is wrong, expired or already used. */
  incorrectCode: () =>
    new ProblemError(P['incorrect-mfa-code'], 'The code is wrong, expired or already used.', {
      errors: [{ path: 'code', message: 'Incorrect code' }],
    }),
  /**
   * A sensitive account change (email, password, a personal access token) of an account with
   * two-factor on came without `code`. 403, not 401: the access token is fine (clients drop
   * tokens on 401), but this session may not make the change without a second factor now,
   * like a role that does not allow an action; its own type tells a client to ask for a code.
   */
  codeRequired: () =>
    new ProblemError(P['mfa-code-required'], 'Two-factor sign-in is on for this account: send a current code from your authenticator app (or a recovery code) as `code`.', {
      errors: [{ path: 'code', message: 'Required' }],
    }),
  alreadyOn: () =>
    new ProblemError(P['mfa-already-on'], 'Two-factor sign-in is already on; turn it off first to enrol another authenticator.'),
  notPending: () =>
    new ProblemError(P['mfa-not-pending'], 'There is no pending authenticator enrolment to confirm; start one with POST /v1/me/mfa/totp.'),
  notOn: () => new ProblemError(P['mfa-not-on'], 'Two-factor sign-in is not on for this account.'),
};
