import { createMiddleware } from 'hono/factory';
import { AccessTokens, InvalidTokenError, type Caller } from '../auth/access-tokens';
import { deferGuard, settle, withRequestReads } from '../dynamo/request-reads';
import { setAnswerHeader } from './answer-headers';
import type { AppEnv } from './app-env';
import { GUARDS } from './guards';
import { problems } from './problem';
import { rateLimitHeaders } from './rate-limit';

/**
 * Requires `Authorization: Bearer <access token>` of an account that still exists and puts the
 * caller's id in `c.var.userId` (and its session's in `c.var.sessionId` when the token names one,
 * its sign-in time in `c.var.authTime` when it carries one).
 *
 * The bearer may also be a personal access token (`bgt_...`, AccessTokens.identify): it costs
 * the one read of its item, then is checked like a session's token (the account at the epoch
 * the token was made in). It is refused with 403 on account-management routes
 * (`options.accountManagement`) and, with the scope `read`, on any method but GET and HEAD.
 *
 * The signature is checked before anything runs. Then the caller's rate limit (when the tokens
 * carry one, AccessTokenOptions.rateLimiter; http/rate-limit.ts): over it, 429 with Retry-After
 * before the route or the account check costs anything; under it, the answer carries
 * `RateLimit-Policy` and `RateLimit` (what is left of the window, as this container knows it).
 *
 * The account check (does the users module's
 * profile item exist, at the session epoch the token names) is started without waiting and queued (dynamo/request-reads.ts): the
 * route's own first consistent key read (on budget routes, the budget and membership
 * BatchGetItem) carries it along, or, when the route writes before it reads, the write's
 * transaction carries it as a ConditionCheck; either way it costs no request of its own.
 * Nothing of the request is written unless it holds, and the answer leaves only after it: a
 * deleted account's token gets 401 whatever the route did or refused.
 */
export function requireAuth(tokens: AccessTokens, options: RequireAuthOptions = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw problems.unauthorized('A bearer access token is required.');
    const claims = await tokens.identify(match[1]).catch(asProblem);
    if (claims.personalToken) admitPersonalToken(claims.personalToken, c.req.method, options);
    c.set('userId', claims.userId);
    if (claims.sessionId) c.set('sessionId', claims.sessionId);
    if (claims.authTime !== undefined) c.set('authTime', claims.authTime);
    if (claims.personalToken) c.set('personalTokenId', claims.personalToken.id);
    const limiter = tokens.rateLimiter;
    let limitHeaders: Record<string, string> | undefined;
    if (limiter) {
      const verdict = await limiter.admit(claims.userId);
      limitHeaders = rateLimitHeaders(limiter, verdict);
      if (!verdict.admitted) {
        const detail = `More than ${limiter.limit} requests in ${limiter.windowSeconds} seconds for this account; retry after the window ends.`;
        throw problems.tooManyRequests(GUARDS.accountRateLimit, verdict.retryAfterSeconds, detail, limitHeaders);
      }
    }
    await withRequestReads(async () => {
      const accountCheck = deferGuard(() => tokens.checkAccount(claims).catch(asProblem));
      await next();
      await settle(accountCheck);
    });
    for (const name in limitHeaders) setAnswerHeader(c, name, limitHeaders[name]!);
  });
}

export interface RequireAuthOptions {
  /**
   * The route manages the account itself (`/v1/me` and below: profile, deletion, password,
   * sessions, devices, personal access tokens): a personal access token is refused with 403.
   * A script's token must not be able to mint more tokens, lock its owner out or delete the
   * account; those take a signed-in session.
   */
  accountManagement?: boolean;
}

/** Methods a `read` personal access token may use. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/** 403 when a personal access token may not make this request (before any read or rate count). */
function admitPersonalToken(token: NonNullable<Caller['personalToken']>, method: string, options: RequireAuthOptions): void {
  if (options.accountManagement) throw problems.personalTokenRefused();
  if (token.scope === 'read' && !READ_METHODS.has(method.toUpperCase())) {
    throw problems.insufficientScope(`This personal access token has the scope "read": it may only make GET and HEAD requests, not ${method.toUpperCase()}.`);
  }
}

function asProblem(err: unknown): never {
  if (err instanceof InvalidTokenError) throw problems.unauthorized(err.message);
  throw err;
}
