import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { AuthService } from '../service/auth.service';
import type * as routes from './auth.routes';

/**
 * Parse (already done by the route's schemas) -> call the service -> respond. Answers that
 * carry tokens say `Cache-Control: no-store`, so no browser or proxy cache keeps them.
 */
export function authHandlers(auth: AuthService) {
  const signup: RouteHandler<typeof routes.signup, AppEnv> = async (c) => {
    const result = await auth.signup(c.req.valid('json'), c.get('clientAddress'), c.req.header('user-agent'));
    c.header('Cache-Control', 'no-store');
    return c.json(result, 201);
  };

  const login: RouteHandler<typeof routes.login, AppEnv> = async (c) => {
    const { email, password } = c.req.valid('json');
    const result = await auth.login(email, password, c.get('clientAddress'), c.req.header('user-agent'));
    c.header('Cache-Control', 'no-store');
    return c.json(result, 200);
  };

  const refresh: RouteHandler<typeof routes.refresh, AppEnv> = async (c) => {
    const tokens = await auth.refresh(c.req.valid('json').refreshToken, c.get('clientAddress'));
    c.header('Cache-Control', 'no-store');
    return c.json({ tokens }, 200);
  };

  const logout: RouteHandler<typeof routes.logout, AppEnv> = async (c) => {
    await auth.logout(c.req.valid('json').refreshToken, c.get('clientAddress'));
    return c.body(null, 204);
  };

  return { signup, login, refresh, logout };
}
