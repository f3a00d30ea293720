import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { PersonalTokensService } from '../service/personal-tokens.service';
import type * as routes from './personal-tokens.routes';

/** /v1/me/tokens: the caller's personal access tokens. */
export function personalTokensHandlers(service: PersonalTokensService) {
  const createPersonalToken: RouteHandler<typeof routes.createPersonalToken, AppEnv> = async (c) => {
    const created = await service.create(c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), c.get('clientAddress'));
    c.header('Location', `/v1/me/tokens/${created.id}`);
    // The secret must not sit in any cache on the way.
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  };

  const listPersonalTokens: RouteHandler<typeof routes.listPersonalTokens, AppEnv> = async (c) =>
    c.json({ items: await service.list(c.get('userId')) }, 200);

  const revokePersonalToken: RouteHandler<typeof routes.revokePersonalToken, AppEnv> = async (c) => {
    await service.revoke(c.get('userId'), c.req.valid('param').tokenId);
    return c.body(null, 204);
  };

  return { createPersonalToken, listPersonalTokens, revokePersonalToken };
}
