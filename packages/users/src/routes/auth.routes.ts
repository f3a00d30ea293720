import { createRoute } from '@hono/zod-openapi';
import { problemType } from '@budgeting/platform';
import { jsonBody, jsonResponse, problemExample } from '@budgeting/platform/routes';
import {
  AuthResponseSchema,
  LoginBodySchema,
  LogoutBodySchema,
  RefreshBodySchema,
  RefreshResponseSchema,
  SignupBodySchema,
} from '../schemas/users.schemas';
import { signInRefusals } from './mfa.routes';
import { commonProblems } from './problem-examples';

const tags = ['Auth'];

export const signup = createRoute({
  method: 'post',
  path: '/v1/auth/signup',
  operationId: 'signup',
  tags,
  // Public: no access token (the body carries the credentials or the refresh token).
  security: [],
  summary: 'Create an account',
  description:
    'Creates the account and signs it in. Emails are unique regardless of case. The optional `name`, `timezone`, `currency` and `locale` ' +
    'are validated and stored as PATCH /v1/me does (400 naming the field). A common or guessable `password` (see its description) is a 400 naming `password`. More than 10 sign-up and sign-in attempts from one client address (IPv6: its /64) within a minute get 429 with Retry-After.',
  request: { body: jsonBody(SignupBodySchema, 'The new account') },
  responses: {
    201: jsonResponse(AuthResponseSchema, 'The account and its first token pair'),
    400: commonProblems.validation,
    409: problemExample('The email is already registered.', {
      type: problemType('email-taken'),
      title: 'Email already registered',
      status: 409,
      detail: 'An account with this email already exists.',
      errors: [{ path: 'email', message: 'Already registered' }],
    }),
    415: commonProblems.unsupportedMediaType,
    429: commonProblems.tooManyFromAddress,
  },
});

export const login = createRoute({
  method: 'post',
  path: '/v1/auth/login',
  operationId: 'login',
  tags,
  // Public: no access token (the body carries the credentials or the refresh token).
  security: [],
  summary: 'Sign in',
  description:
    'Starts a new session. An account with two-factor sign-in on gets no tokens for the password alone: 401 `mfa-required` with an `mfaToken`, finished at POST /v1/auth/login/mfa with a code. An account support suspended gets 403 `account-suspended` once the password is right (with two-factor on: once the code is, at POST /v1/auth/login/mfa); a wrong password gets the same 401 as for any account. Refused with 429 and Retry-After: the 6th failed attempt for one email from one client address (IPv6: its /64) within 15 minutes; any attempt for an email that had 25 attempts from addresses that never signed in to it within 15 minutes (addresses that did are never held back by this cap); more than 10 sign-up and sign-in attempts from one address within a minute, whatever the email.',
  request: { body: jsonBody(LoginBodySchema, 'Credentials') },
  responses: {
    200: jsonResponse(AuthResponseSchema, 'The account and a new token pair'),
    400: commonProblems.validation,
    401: signInRefusals('Unknown email or wrong password (deliberately indistinguishable).', {
      type: problemType('unauthorized'),
      title: 'Unauthorized',
      status: 401,
      detail: 'The email or password is incorrect.',
    }),
    403: commonProblems.accountSuspended,
    415: commonProblems.unsupportedMediaType,
    429: problemExample('Too many attempts for this email, or from this client address; see the Retry-After header.', {
      type: problemType('too-many-requests'),
      title: 'Too many requests',
      status: 429,
      detail: 'Too many failed sign-in attempts for this email; retry in 840 seconds.',
    }),
  },
});

export const refresh = createRoute({
  method: 'post',
  path: '/v1/auth/refresh',
  operationId: 'refreshTokens',
  tags,
  // Public: no access token (the body carries the credentials or the refresh token).
  security: [],
  summary: 'Rotate the token pair',
  description:
    'Spends the refresh token and returns a new pair. A refresh token works once: a repeat of the same refresh within 10 seconds (a retry, or concurrent requests of one app) gets the same new pair, as long as that pair was not used yet; presenting a used token in any other case revokes its whole session, including the newest token. A suspension by support ends every session: their refresh tokens get the 401 (never a 403 that would tell why).',
  request: { body: jsonBody(RefreshBodySchema, 'The current refresh token') },
  responses: {
    200: jsonResponse(RefreshResponseSchema, 'A new token pair'),
    400: commonProblems.validation,
    401: problemExample('Unknown, expired, revoked or already used refresh token.', {
      type: problemType('unauthorized'),
      title: 'Unauthorized',
      status: 401,
      detail: 'The refresh token was already used. Its session has been revoked for safety; sign in again.',
    }),
    415: commonProblems.unsupportedMediaType,
    429: problemExample('More than 60 refreshes from this client address (IPv6: its /64) within a minute; see the Retry-After header.', {
      type: problemType('too-many-requests'),
      title: 'Too many requests',
      status: 429,
      detail: 'Too many token refreshes from this network address; retry in 42 seconds.',
    }),
  },
});

export const logout = createRoute({
  method: 'post',
  path: '/v1/auth/logout',
  operationId: 'logout',
  tags,
  // Public: no access token (the body carries the credentials or the refresh token).
  security: [],
  summary: 'End a session',
  description:
    'Revokes the session of the refresh token: its refresh tokens and the access tokens already issued for it are refused from now on (401). Idempotent: an unknown or already revoked token also gets 204.',
  request: { body: jsonBody(LogoutBodySchema, 'A refresh token of the session to end') },
  responses: {
    204: { description: 'The session is ended' },
    400: commonProblems.validation,
    415: commonProblems.unsupportedMediaType,
    429: problemExample('More than 60 refreshes and logouts together from this client address (IPv6: its /64) within a minute; see the Retry-After header.', {
      type: problemType('too-many-requests'),
      title: 'Too many requests',
      status: 429,
      detail: 'Too many token refreshes from this network address; retry in 42 seconds.',
    }),
  },
});
