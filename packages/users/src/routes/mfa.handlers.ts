import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { MfaSettingsService } from '../service/mfa-settings.service';
import type { MfaSignIn } from '../service/mfa-sign-in.service';
import type * as routes from './mfa.routes';

/**
 * Answers that carry a secret, recovery codes or tokens say `Cache-Control: no-store`, so no
 * browser or proxy cache keeps them.
 */
export function mfaHandlers(settings: MfaSettingsService, signIn: MfaSignIn) {
  const getMfa: RouteHandler<typeof routes.getMfa, AppEnv> = async (c) => c.json(await settings.status(c.get('userId')), 200);

  const enrolTotp: RouteHandler<typeof routes.enrolTotp, AppEnv> = async (c) => {
    const enrolment = await settings.enrol(c.get('userId'), c.req.valid('json').password, c.get('clientAddress'));
    c.header('Cache-Control', 'no-store');
    return c.json(enrolment, 201);
  };

  const confirmTotp: RouteHandler<typeof routes.confirmTotp, AppEnv> = async (c) => {
    const codes = await settings.confirm(c.get('userId'), c.req.valid('json').code, c.get('clientAddress'));
    c.header('Cache-Control', 'no-store');
    return c.json(codes, 200);
  };

  const disableTotp: RouteHandler<typeof routes.disableTotp, AppEnv> = async (c) => {
    const { password, code } = c.req.valid('json');
    await settings.disable(c.get('userId'), password, code, c.get('clientAddress'));
    return c.body(null, 204);
  };

  const regenerateRecoveryCodes: RouteHandler<typeof routes.regenerateRecoveryCodes, AppEnv> = async (c) => {
    const { password, code } = c.req.valid('json');
    const codes = await settings.regenerateRecoveryCodes(c.get('userId'), password, code, c.get('clientAddress'));
    c.header('Cache-Control', 'no-store');
    return c.json(codes, 200);
  };

  const loginMfa: RouteHandler<typeof routes.loginMfa, AppEnv> = async (c) => {
    const { mfaToken, code } = c.req.valid('json');
    const result = await signIn.complete(mfaToken, code, c.get('clientAddress'), c.req.header('user-agent'));
    c.header('Cache-Control', 'no-store');
    return c.json(result, 200);
  };

  return { getMfa, enrolTotp, confirmTotp, disableTotp, regenerateRecoveryCodes, loginMfa };
}
