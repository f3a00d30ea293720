import type { ProblemTexts } from '@budgeting/platform';
import type { USERS_PROBLEMS } from './problems';

/**
 * The users module's problem types' texts (declared in problems.ts): what each means and what a client
 * should do. Read only by the catalogue (GET /problems, docs/problems.md; the app's
 * http/problem-catalog.ts) through the package's `./problem-texts` export: the declarations load on
 * every cold start, and no answer needs these (tests/lambda/cold-http-imports.test.ts).
 */
export const USERS_PROBLEM_TEXTS = {
  'email-taken': {
    meaning: 'Another account uses this email (at sign-up, or taken between an email change\'s request and its confirmation).',
    action: 'Sign in instead, or use another address; `errors` names the field.',
  },
  'incorrect-password': {
    meaning: 'The password sent to confirm an account change is wrong (it counts as a failed sign-in).',
    action: 'Ask the user for the password again; do not drop the access token (it is fine). `errors` names the field.',
  },
  'same-email': {
    meaning: 'An email change asked for the address the account already has.',
    action: 'Nothing to change: tell the user.',
  },
  'email-change-not-found': {
    meaning: 'The email-change code is not the account\'s pending change (forged, replaced by a newer request, or used).',
    action: 'Request a new email change (POST /v1/me/email).',
  },
  'email-change-expired': {
    meaning: 'The pending email change\'s code is past its 30 minutes.',
    action: 'Request a new email change (POST /v1/me/email).',
  },
  'personal-token-limit': {
    meaning: 'The account has its 20 personal access tokens (expired ones count until deleted).',
    action: 'Delete one (DELETE /v1/me/tokens/{tokenId}), then create the new one.',
  },
  'invalid-reset-token': {
    meaning: 'The password-reset code is invalid, expired, used or voided by a later password change (or a suspension of the account).',
    action: 'Request a new password reset (POST /v1/auth/password-reset).',
  },
  'reauthentication-required': {
    meaning: 'Deleting the account, or creating a personal access token without two-factor sign-in, needs a session that signed in within the last 10 minutes.',
    action: 'Sign in again (with the second factor if on), then retry with the new access token; keep the old token.',
  },
  'account-suspended': {
    meaning: 'Support suspended the account (abuse, fraud, a stolen account): the password (and code) were right, but it cannot sign in until support lifts the suspension. Only answered after the credentials proved right.',
    action: 'Tell the user to contact support; do not retry. No session or token of the account works meanwhile.',
  },
  'export-running': {
    meaning: 'A data export of the account is still queued or running.',
    action: 'Wait for it (GET /v1/me/exports/{exportId}, named in `detail`) instead of starting another.',
  },
  'mfa-required': {
    meaning: 'The password was right and the account has two-factor sign-in on: no tokens yet; the body carries `mfaToken`.',
    action: 'Ask for a code and finish with POST /v1/auth/login/mfa {mfaToken, code}.',
  },
  'invalid-mfa-token': {
    meaning: 'The `mfaToken` is unknown, expired, used or voided by 5 wrong codes.',
    action: 'Sign in again with the password.',
  },
  'invalid-mfa-code': {
    meaning: 'The code sent to finish a two-factor sign-in is wrong, expired or already used; `attemptsLeft` says how many remain for this `mfaToken`.',
    action: 'Ask for another code while `attemptsLeft` is above 0; at 0, sign in again with the password.',
  },
  'incorrect-mfa-code': {
    meaning: 'The code sent with an account change (two-factor settings, or a step-up) is wrong, expired or already used.',
    action: 'Ask the user for a fresh code; do not drop the access token.',
  },
  'mfa-code-required': {
    meaning: 'The account has two-factor sign-in on, and this account change (email, password, a personal access token) needs a current code.',
    action: 'Ask for a code from the authenticator app (or a recovery code) and send it as `code`.',
  },
  'mfa-already-on': {
    meaning: 'An authenticator enrolment was started while two-factor sign-in is on.',
    action: 'Turn it off first (DELETE /v1/me/mfa/totp) to enrol another authenticator.',
  },
  'mfa-not-pending': {
    meaning: 'There is no pending authenticator enrolment to confirm.',
    action: 'Start one with POST /v1/me/mfa/totp.',
  },
  'mfa-not-on': {
    meaning: 'The request needs two-factor sign-in on (turning it off, new recovery codes), and it is off.',
    action: 'Nothing to do; to turn it on, enrol an authenticator (POST /v1/me/mfa/totp).',
  },
} satisfies ProblemTexts<typeof USERS_PROBLEMS>;
