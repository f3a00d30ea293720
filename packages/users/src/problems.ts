import { declareProblems } from '@budgeting/platform';

/**
 * The users module's own problem types (the generic ones are the platform's PLATFORM_PROBLEMS).
 * Every ProblemError the module builds takes its slug, title and status from here
 * (service/problems.ts, service/mfa-problems.ts); what each means and what a client should do,
 * for the catalogue (GET /problems, docs/problems.md), is in problem-texts.ts.
 */
export const USERS_PROBLEMS = declareProblems('users', {
  'email-taken': {
    status: 409,
    title: 'Email already registered',
  },
  'incorrect-password': {
    status: 422,
    title: 'Incorrect password',
  },
  'same-email': {
    status: 422,
    title: 'Same email',
  },
  'email-change-not-found': {
    status: 404,
    title: 'No such email change',
  },
  'email-change-expired': {
    status: 410,
    title: 'Email change expired',
  },
  'personal-token-limit': {
    status: 409,
    title: 'Too many personal access tokens',
  },
  'invalid-reset-token': {
    status: 422,
    title: 'Invalid reset token',
  },
  'reauthentication-required': {
    status: 403,
    title: 'Recent sign-in required',
  },
  'account-suspended': {
    status: 403,
    title: 'Account suspended',
  },
  'export-running': {
    status: 409,
    title: 'An export is running',
  },
  'mfa-required': {
    status: 401,
    title: 'Second factor required',
  },
  'invalid-mfa-token': {
    status: 401,
    title: 'Invalid sign-in token',
  },
  'invalid-mfa-code': {
    status: 401,
    title: 'Invalid code',
  },
  'incorrect-mfa-code': {
    status: 422,
    title: 'Incorrect code',
  },
  'mfa-code-required': {
    status: 403,
    title: 'Code required',
  },
  'mfa-already-on': {
    status: 409,
    title: 'Two-factor sign-in already on',
  },
  'mfa-not-pending': {
    status: 409,
    title: 'No enrolment to confirm',
  },
  'mfa-not-on': {
    status: 409,
    title: 'Two-factor sign-in is off',
  },
});
