import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, locationHeader, personalTokenRefusedResponse, problemExample, problemResponses, sessionSecurity } from '@budgeting/platform/routes';
import { problemType } from '@budgeting/platform';
import {
  CreatedPersonalTokenSchema,
  CreatePersonalTokenBody,
  IdempotencyHeaders,
  PersonalTokenListSchema,
  PersonalTokenParams,
  PersonalTokenSchema,
} from '../schemas/personal-tokens.schemas';
import { commonProblems, oneOf, stepUpProblems, tokenReauthenticationRequired } from './problem-examples';

/**
 * Personal access tokens for scripts and integrations. Managed with a session's access token
 * only: a personal access token cannot make, list or revoke tokens (403).
 */
const tags = ['Me'];

const USE =
  'Send it as `Authorization: Bearer bgt_...` on any operation a signed-in session may use, as this account, except account management (`/v1/me` and below: 403). ' +
  'A `read` token may only make GET and HEAD requests (403 `insufficient-scope` otherwise). An expired or revoked token gets 401, and so does every token once the password is changed or reset, ' +
  'all sessions are ended at once, or the account is deleted.';

export const createPersonalToken = createRoute({
  method: 'post',
  path: '/v1/me/tokens',
  operationId: 'createPersonalToken',
  tags,
  summary: 'Create a personal access token',
  description: `${USE} The answer holds the \`token\`, shown only this once. At most 20 tokens per account (expired ones count until deleted). Retry safely with \`Idempotency-Key\`. A token outlives the session that makes it, so making one is a step up: with two-factor sign-in on, a current \`code\` is required (403 \`mfa-code-required\` without one; a wrong one is a 422 naming \`code\`, counted toward the sign-in throttle of the account's email); without it, a session that signed in within the last 10 minutes (403 \`reauthentication-required\` otherwise; a refresh keeps the original sign-in time), as for deleting the account.`,
  security: sessionSecurity,
  request: { headers: IdempotencyHeaders, body: jsonBody(CreatePersonalTokenBody, 'Its name, scope and lifetime') },
  responses: {
    201: { ...jsonResponse(CreatedPersonalTokenSchema, 'The token, with its secret (shown once)'), headers: { ...locationHeader } },
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: oneOf(personalTokenRefusedResponse, { stepUp: stepUpProblems.codeRequired, reauthenticationRequired: tokenReauthenticationRequired }),
    409: problemExample('The account has 20 personal access tokens already (or an Idempotency-Key request is still running).', {
      type: problemType('personal-token-limit'),
      title: 'Too many personal access tokens',
      status: 409,
      detail: 'An account may have at most 20 personal access tokens; delete one first (expired ones count until deleted).',
      limit: 20,
      collection: 'personalTokens',
    }),
    415: commonProblems.unsupportedMediaType,
    422: { ...stepUpProblems.incorrectCode, description: `${stepUpProblems.incorrectCode.description} Or the Idempotency-Key was reused with a different body.` },
    429: commonProblems.tooManyPasswordAttempts,
    ...problemResponses(413),
  },
});

export const listPersonalTokens = createRoute({
  method: 'get',
  path: '/v1/me/tokens',
  operationId: 'listPersonalTokens',
  tags,
  summary: 'The personal access tokens',
  description: 'Every personal access token of the account (at most 20), newest first, expired ones included; never a secret.',
  security: sessionSecurity,
  responses: {
    200: jsonResponse(PersonalTokenListSchema, 'The tokens'),
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
  },
});

export const getPersonalToken = createRoute({
  method: 'get',
  path: '/v1/me/tokens/{tokenId}',
  operationId: 'getPersonalToken',
  tags,
  summary: 'A personal access token',
  description: "The token as the list shows it (the create's `Location`; expired ones too, until deleted): never its secret, shown only at creation.",
  security: sessionSecurity,
  request: { params: PersonalTokenParams },
  responses: {
    200: jsonResponse(PersonalTokenSchema, 'The token'),
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
    404: problemExample('No personal access token of yours has this id (unknown, another account\'s, or revoked).', {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: 'No personal access token of yours has this id.',
    }),
  },
});

export const revokePersonalToken = createRoute({
  method: 'delete',
  path: '/v1/me/tokens/{tokenId}',
  operationId: 'revokePersonalToken',
  tags,
  summary: 'Revoke a personal access token',
  description: 'Deletes the token: its next request gets 401, at once.',
  security: sessionSecurity,
  request: { params: PersonalTokenParams },
  responses: {
    204: { description: 'The token is revoked' },
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
    404: problemExample('No personal access token of yours has this id (unknown, another account\'s, or already revoked).', {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: 'No personal access token of yours has this id.',
    }),
  },
});
