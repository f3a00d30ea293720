import { createMiddleware } from 'hono/factory';
import { AccessTokens, InvalidTokenError } from '../auth/access-tokens';
import type { AppEnv } from './app-env';
import { problems } from './problem';

/**
 * Requires `Authorization: Bearer <access token>` of an account that still exists and puts the
 * caller's id in `c.var.userId`.
 */
export function requireAuth(tokens: AccessTokens) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw problems.unauthorized('A bearer access token is required.');
    try {
      const claims = await tokens.authenticate(match[1]);
      c.set('userId', claims.userId);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw problems.unauthorized(err.message);
      throw err;
    }
    await next();
  });
}
