import { createRoute } from '@hono/zod-openapi';
import { personalTokenRefusedResponse, sessionSecurity, jsonBody, jsonResponse } from '@budgeting/platform/routes';
import { PatchMeBodySchema, UserSchema } from '../schemas/users.schemas';
import { commonProblems } from './problem-examples';

const tags = ['Me'];

export const getMe = createRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  tags,
  summary: 'The signed-in account',
  security: sessionSecurity,
  responses: {
    200: jsonResponse(UserSchema, 'The account'),
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
  security: sessionSecurity,
  request: { body: jsonBody(PatchMeBodySchema, 'The fields to change (at least one)') },
  responses: {
    200: jsonResponse(UserSchema, 'The updated account'),
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
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
    'Deletes the account, its sessions and sign-in counters now; memberships and budgets it alone owns follow through the user.deleted event. Access tokens of a deleted account get 401 afterwards.',
  security: sessionSecurity,
  responses: {
    204: { description: 'The account is deleted' },
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
  },
});
