import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { AccountService } from '../service/account.service';
import type * as routes from './me.routes';

/** The caller is whoever the access token names (set by requireAuth). */
export function meHandlers(account: AccountService) {
  const getMe: RouteHandler<typeof routes.getMe, AppEnv> = async (c) => {
    return c.json(await account.get(c.get('userId')), 200);
  };

  const patchMe: RouteHandler<typeof routes.patchMe, AppEnv> = async (c) => {
    return c.json(await account.update(c.get('userId'), c.req.valid('json')), 200);
  };

  const deleteMe: RouteHandler<typeof routes.deleteMe, AppEnv> = async (c) => {
    await account.delete(c.get('userId'));
    return c.body(null, 204);
  };

  return { getMe, patchMe, deleteMe };
}
