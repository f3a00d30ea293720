import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { MySessionsService } from '../service/my-sessions.service';
import type * as routes from './sessions.routes';

/** The caller's sessions; `sessionId` (from the token's `sid`) marks the current one. */
export function sessionsHandlers(mySessions: MySessionsService) {
  const listSessions: RouteHandler<typeof routes.listSessions, AppEnv> = async (c) => {
    return c.json(await mySessions.list(c.get('userId'), c.get('sessionId'), c.req.valid('query')), 200);
  };

  const endSession: RouteHandler<typeof routes.endSession, AppEnv> = async (c) => {
    await mySessions.end(c.get('userId'), c.req.valid('param').sessionId);
    return c.body(null, 204);
  };

  return { listSessions, endSession };
}
