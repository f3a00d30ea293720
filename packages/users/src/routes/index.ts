import { requireAuth, type AccessTokens, type Router } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import type { AccountService } from '../service/account.service';
import type { AuthService } from '../service/auth.service';
import { authHandlers } from './auth.handlers';
import * as authRoutes from './auth.routes';
import { meHandlers } from './me.handlers';
import * as meRoutes from './me.routes';

/**
 * The users module's HTTP routes. /v1/me needs an access token; the auth routes do not (the
 * credentials are in their bodies).
 *
 * The platform's Idempotency-Key middleware is deliberately NOT put on signup: it stores the
 * response for replay, and this response carries a refresh token, which must never be stored
 * in clear. A retried signup gets 409 and the client signs in instead.
 */
export function createUsersRouter(services: { auth: AuthService; account: AccountService }, tokens: AccessTokens): Router {
  const router = createRouter();
  router.use('/v1/me', requireAuth(tokens));

  const auth = authHandlers(services.auth);
  router.openapi(authRoutes.signup, auth.signup);
  router.openapi(authRoutes.login, auth.login);
  router.openapi(authRoutes.refresh, auth.refresh);
  router.openapi(authRoutes.logout, auth.logout);

  const me = meHandlers(services.account);
  router.openapi(meRoutes.getMe, me.getMe);
  router.openapi(meRoutes.patchMe, me.patchMe);
  router.openapi(meRoutes.deleteMe, me.deleteMe);
  return router;
}
