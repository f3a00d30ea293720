import { createRoute } from '@hono/zod-openapi';
import { personalTokenRefusedResponse, sessionSecurity, jsonResponse } from '@budgeting/platform/routes';
import { ListSessionsQuery, SessionListSchema, SessionParams } from '../schemas/sessions.schemas';
import { commonProblems } from './problem-examples';

const tags = ['Me'];

export const listSessions = createRoute({
  method: 'get',
  path: '/v1/me/sessions',
  operationId: 'listSessions',
  tags,
  summary: 'Where the account is signed in',
  description:
    'The active sessions (one per sign-in, kept alive by its refreshes; not ended, not expired), newest first. A page may hold fewer than `limit` items when many ended sessions lie between active ones: only `nextCursor: null` means the end.',
  security: sessionSecurity,
  request: { query: ListSessionsQuery },
  responses: {
    200: jsonResponse(SessionListSchema, 'One page of sessions'),
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
  },
});

export const endSession = createRoute({
  method: 'delete',
  path: '/v1/me/sessions/{sessionId}',
  operationId: 'endSession',
  tags,
  summary: 'Sign a session out',
  description:
    'Ends the session: its refresh tokens and the access tokens already issued for it are refused from now on (401); the other sessions are untouched. Ending the current session signs this device out.',
  security: sessionSecurity,
  request: { params: SessionParams },
  responses: {
    204: { description: 'The session is ended' },
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
    404: commonProblems.sessionNotFound,
  },
});
