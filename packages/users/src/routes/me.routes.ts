import { createRoute } from '@hono/zod-openapi';
import {
  etagHeader,
  IfNoneMatchHeaders,
  jsonBody,
  jsonContent,
  notModifiedResponse,
  personalTokenRefusedResponse,
  problemExample,
  problemResponses,
  sessionSecurity,
} from '@budgeting/platform/routes';
import { IfMatchHeaders, PatchMeBodySchema, UserSchema } from '../schemas/users.schemas';
import { problemType } from '@budgeting/platform';
import { commonProblems, either, reauthenticationRequired } from './problem-examples';

const tags = ['Me'];

export const getMe = createRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  tags,
  summary: 'The signed-in account',
  description: 'Sends the profile\'s `version` as its ETag; with If-None-Match naming it, 304 and no body.',
  security: sessionSecurity,
  request: { headers: IfNoneMatchHeaders },
  responses: {
    200: { description: 'The account', headers: etagHeader, content: jsonContent(UserSchema) },
    304: notModifiedResponse,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
  },
});

export const patchMe = createRoute({
  method: 'patch',
  path: '/v1/me',
  operationId: 'updateMe',
  tags,
  summary: 'Update the profile',
  description:
    'Only the fields sent change, and the profile\'s version rises. Send `If-Match` with the ETag you read to refuse (412, nothing written) overwriting a change you have not seen.',
  security: sessionSecurity,
  request: { headers: IfMatchHeaders, body: jsonBody(PatchMeBodySchema, 'The fields to change (at least one)') },
  responses: {
    200: { description: 'The updated account', headers: etagHeader, content: jsonContent(UserSchema) },
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
    ...problemResponses(412),
    415: commonProblems.unsupportedMediaType,
  },
});

export const deleteMe = createRoute({
  method: 'delete',
  path: '/v1/me',
  operationId: 'deleteMe',
  tags,
  summary: 'Delete the account',
  description:
    'Deletes the account, its sessions and sign-in counters now; memberships and budgets it alone owns follow through the user.deleted event. Access tokens of a deleted account get 401 afterwards. ' +
    'Requires a recent sign-in ("sudo mode"; the route has no body to take a password): the access token\'s session must have signed in (POST /v1/auth/login, with POST /v1/auth/login/mfa when two-factor is on) within the last 10 minutes. ' +
    'Refreshing does not count: a refreshed token keeps its session\'s original sign-in time. Otherwise 403 `reauthentication-required` and nothing is deleted: sign in again and retry with the new access token.',
  security: sessionSecurity,
  responses: {
    204: { description: 'The account is deleted' },
    401: commonProblems.unauthorized,
    403: either(personalTokenRefusedResponse, 'reauthenticationRequired', reauthenticationRequired),
    409: problemExample('The account\'s email address was changed (an email change confirmed) three times while it was being deleted: nothing was deleted; retry.', {
      type: problemType('conflict'),
      title: 'Conflict',
      status: 409,
      detail: 'The account\'s email address kept changing while it was being deleted; retry.',
    }),
  },
});
