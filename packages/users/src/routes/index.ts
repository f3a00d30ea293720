import { callerAlone, requireAuth, type AccessTokens, type PlatformDeps, type Router } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import type { RouteServices } from '../service/route-services';
import { authHandlers } from './auth.handlers';
import * as authRoutes from './auth.routes';
import { dataExportsHandlers } from './data-exports.handlers';
import * as dataExportsRoutes from './data-exports.routes';
import { emailChangeHandlers } from './email-change.handlers';
import * as emailChangeRoutes from './email-change.routes';
import { meHandlers } from './me.handlers';
import { mfaHandlers } from './mfa.handlers';
import * as mfaRoutes from './mfa.routes';
import * as meRoutes from './me.routes';
import { passwordResetHandlers } from './password-reset.handlers';
import * as passwordResetRoutes from './password-reset.routes';
import { passwordHandlers } from './password.handlers';
import * as passwordRoutes from './password.routes';
import { personalTokensHandlers } from './personal-tokens.handlers';
import * as personalTokensRoutes from './personal-tokens.routes';
import { sessionsHandlers } from './sessions.handlers';
import * as sessionsRoutes from './sessions.routes';
import { unsubscribeHandlers } from './unsubscribe.handlers';
import * as unsubscribeRoutes from './unsubscribe.routes';

/**
 * The users module's HTTP routes. /v1/me and below need an access token; the auth routes do
 * not (the credentials are in their bodies). The routes below /v1/me carry the middleware
 * themselves: a `use('/v1/me/*')` would also claim /v1/me/devices, which the notifications
 * module serves (the route manifest mounts each router on the paths it registers).
 *
 * The platform's Idempotency-Key middleware is deliberately NOT put on signup: it stores the
 * response for replay, and this response carries a refresh token, which must never be stored
 * in clear. A retried signup gets 409 and the client signs in instead.
 */
export function createUsersRouter(services: RouteServices, tokens: AccessTokens, idempotent: PlatformDeps['idempotent']): Router {
  const router = createRouter();
  // Everything below /v1/me manages the account: a personal access token is refused there (403).
  const auth = requireAuth(tokens, { accountManagement: true });
  router.use('/v1/me', auth);

  const credentials = authHandlers(services.auth);
  router.openapi(authRoutes.signup, credentials.signup);
  router.openapi(authRoutes.login, credentials.login);
  router.openapi(authRoutes.refresh, credentials.refresh);
  router.openapi(authRoutes.logout, credentials.logout);

  // Public, as the auth routes: the signed token in its path is the credential (RFC 8058's POST from a mailbox provider).
  // Its GET: the page a browser opens from a mail client without one-click support (changes nothing; its button POSTs).
  const unsubscribe = unsubscribeHandlers(services.unsubscribe);
  router.openapi(unsubscribeRoutes.unsubscribe, unsubscribe.unsubscribe);
  router.openapi(unsubscribeRoutes.unsubscribePage, unsubscribe.unsubscribePage);

  const reset = passwordResetHandlers(services.passwordReset);
  router.openapi(passwordResetRoutes.requestPasswordReset, reset.requestPasswordReset);
  router.openapi(passwordResetRoutes.confirmPasswordReset, reset.confirmPasswordReset);

  const me = meHandlers(services.account);
  router.openapi(meRoutes.getMe, me.getMe);
  router.openapi(meRoutes.patchMe, me.patchMe);
  router.openapi(meRoutes.deleteMe, me.deleteMe);

  const password = passwordHandlers(services.passwordChange);
  router.openapi({ ...passwordRoutes.changePassword, middleware: [auth] }, password.changePassword);

  const email = emailChangeHandlers(services.emailChange);
  router.openapi({ ...emailChangeRoutes.requestEmailChange, middleware: [auth] }, email.requestEmailChange);
  router.openapi({ ...emailChangeRoutes.confirmEmailChange, middleware: [auth] }, email.confirmEmailChange);

  const sessions = sessionsHandlers(services.mySessions);
  router.openapi({ ...sessionsRoutes.listSessions, middleware: [auth] }, sessions.listSessions);
  router.openapi({ ...sessionsRoutes.endSession, middleware: [auth] }, sessions.endSession);

  // The creation's stored Idempotency-Key answer carries the token's secret: sealed at rest.
  const personal = personalTokensHandlers(services.personalTokens);
  const showsSecret = { sealer: services.personalTokenAnswers };
  router.openapi({ ...personalTokensRoutes.createPersonalToken, middleware: [auth, idempotent(callerAlone, showsSecret)] }, personal.createPersonalToken);
  router.openapi({ ...personalTokensRoutes.listPersonalTokens, middleware: [auth] }, personal.listPersonalTokens);
  router.openapi({ ...personalTokensRoutes.getPersonalToken, middleware: [auth] }, personal.getPersonalToken);
  router.openapi({ ...personalTokensRoutes.revokePersonalToken, middleware: [auth] }, personal.revokePersonalToken);

  // Data exports: the start takes an Idempotency-Key (the replay is the same export).
  const exports = dataExportsHandlers(services.dataExports);
  router.openapi({ ...dataExportsRoutes.startDataExport, middleware: [auth, idempotent(callerAlone)] }, exports.startDataExport);
  router.openapi({ ...dataExportsRoutes.listDataExports, middleware: [auth] }, exports.listDataExports);
  router.openapi({ ...dataExportsRoutes.getDataExport, middleware: [auth] }, exports.getDataExport);

  // Two-factor sign-in: the settings below /v1/me (session only), and login's second step.
  const mfa = mfaHandlers(services.mfaSettings, services.mfaSignIn);
  router.openapi(mfaRoutes.loginMfa, mfa.loginMfa);
  router.openapi({ ...mfaRoutes.getMfa, middleware: [auth] }, mfa.getMfa);
  router.openapi({ ...mfaRoutes.enrolTotp, middleware: [auth] }, mfa.enrolTotp);
  router.openapi({ ...mfaRoutes.confirmTotp, middleware: [auth] }, mfa.confirmTotp);
  router.openapi({ ...mfaRoutes.disableTotp, middleware: [auth] }, mfa.disableTotp);
  router.openapi({ ...mfaRoutes.regenerateRecoveryCodes, middleware: [auth] }, mfa.regenerateRecoveryCodes);
  return router;
}
