import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { AuthService } from '../service/auth.service';
import type * as routes from './auth.routes';

/** Parse (already done by the route's schemas) -> call the service -> respond. */
export function authHandlers(auth: AuthService) {
  const signup: RouteHandler<typeof routes.signup, AppEnv> = async (c) => {
    const result = await auth.signup(c.req.valid('json'));
    return c.json(result, 201);
  };

  const login: RouteHandler<typeof routes.login, AppEnv> = async (c) => {
    const { email, password } = c.req.valid('json');
    return c.json(await auth.login(email, password, c.get('clientAddress')), 200);
  };

  const refresh: RouteHandler<typeof routes.refresh, AppEnv> = async (c) => {
    const tokens = await auth.refresh(c.req.valid('json').refreshToken);
    return c.json({ tokens }, 200);
  };

  const logout: RouteHandler<typeof routes.logout, AppEnv> = async (c) => {
    await auth.logout(c.req.valid('json').refreshToken);
    return c.body(null, 204);
  };

  return { signup, login, refresh, logout };
}
