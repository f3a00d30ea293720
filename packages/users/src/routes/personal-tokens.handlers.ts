import type { RouteHandler } from '@hono/zod-openapi';
import { jsonAnswer, keyCompletion, type AppEnv, type StoredResponse } from '@budgeting/platform';
import type { CreatedPersonalToken, PersonalTokensService } from '../service/personal-tokens.service';
import type * as routes from './personal-tokens.routes';

/** The create's 201 as a stored answer: `no-store` (its replay too), no ETag (a token has no versions). */
const createdAnswer = (created: CreatedPersonalToken): StoredResponse => {
  const answer = jsonAnswer(201, created, undefined, `/v1/me/tokens/${created.id}`);
  return { ...answer, headers: { ...answer.headers, 'cache-control': 'no-store' } };
};

/** /v1/me/tokens: the caller's personal access tokens. */
export function personalTokensHandlers(service: PersonalTokensService) {
  const createPersonalToken: RouteHandler<typeof routes.createPersonalToken, AppEnv> = async (c) => {
    // The key's answer, exactly as answered below, committed with the token (sealed at rest by the route's sealer).
    const completeKey = keyCompletion(c, createdAnswer);
    const created = await service.create(c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), c.get('clientAddress'), completeKey, c.get('authTime'));
    c.header('Location', `/v1/me/tokens/${created.id}`);
    // The secret must not sit in any cache on the way.
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  };

  const listPersonalTokens: RouteHandler<typeof routes.listPersonalTokens, AppEnv> = async (c) =>
    c.json({ items: await service.list(c.get('userId')) }, 200);

  const getPersonalToken: RouteHandler<typeof routes.getPersonalToken, AppEnv> = async (c) =>
    c.json(await service.get(c.get('userId'), c.req.valid('param').tokenId), 200);

  const revokePersonalToken: RouteHandler<typeof routes.revokePersonalToken, AppEnv> = async (c) => {
    await service.revoke(c.get('userId'), c.req.valid('param').tokenId);
    return c.body(null, 204);
  };

  return { createPersonalToken, listPersonalTokens, getPersonalToken, revokePersonalToken };
}
