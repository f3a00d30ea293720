import { createMiddleware } from 'hono/factory';
import { AccessTokens, InvalidTokenError } from '../auth/access-tokens';
import { deferGuard, settle, withRequestReads } from '../dynamo/request-reads';
import type { AppEnv } from './app-env';
import { problems } from './problem';

/**
 * Requires `Authorization: Bearer <access token>` of an account that still exists and puts the
 * caller's id in `c.var.userId` (and its session's in `c.var.sessionId` when the token names one).
 *
 * The signature is checked before anything runs. The account check (does the users module's
 * profile item exist) is started without waiting and queued (dynamo/request-reads.ts): the
 * route's own first consistent key read (on budget routes, the budget and membership
 * BatchGetItem) carries it along, or, when the route writes before it reads, the write's
 * transaction carries it as a ConditionCheck; either way it costs no request of its own.
 * Nothing of the request is written unless it holds, and the answer leaves only after it: a
 * deleted account's token gets 401 whatever the route did or refused.
 */
export function requireAuth(tokens: AccessTokens) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw problems.unauthorized('A bearer access token is required.');
    const claims = await tokens.verify(match[1]).catch(asProblem);
    c.set('userId', claims.userId);
    if (claims.sessionId) c.set('sessionId', claims.sessionId);
    await withRequestReads(async () => {
      const accountCheck = deferGuard(() => tokens.checkAccount(claims.userId).catch(asProblem));
      await next();
      await settle(accountCheck);
    });
  });
}

function asProblem(err: unknown): never {
  if (err instanceof InvalidTokenError) throw problems.unauthorized(err.message);
  throw err;
}
