import type { RouteHandler } from '@hono/zod-openapi';
import { expectedVersion, setEtag, versionedGetAnswer, type AppEnv } from '@budgeting/platform';
import type { AccountService } from '../service/account.service';
import type * as routes from './me.routes';

/** The caller is whoever the access token names (set by requireAuth). */
export function meHandlers(account: AccountService) {
  const getMe: RouteHandler<typeof routes.getMe, AppEnv> = async (c) => {
    const user = await account.get(c.get('userId'));
    return versionedGetAnswer(c, user.version, user);
  };

  const patchMe: RouteHandler<typeof routes.patchMe, AppEnv> = async (c) => {
    const user = await account.update(c.get('userId'), c.req.valid('json'), expectedVersion(c));
    setEtag(c, user.version);
    return c.json(user, 200);
  };

  const deleteMe: RouteHandler<typeof routes.deleteMe, AppEnv> = async (c) => {
    await account.delete(c.get('userId'), c.get('authTime'));
    return c.body(null, 204);
  };

  return { getMe, patchMe, deleteMe };
}
