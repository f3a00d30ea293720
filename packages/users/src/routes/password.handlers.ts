import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { PasswordChangeService } from '../service/password-change.service';
import type * as routes from './password.routes';

/** The answer carries tokens: `Cache-Control: no-store`, as on the auth routes. */
export function passwordHandlers(passwordChange: PasswordChangeService) {
  const changePassword: RouteHandler<typeof routes.changePassword, AppEnv> = async (c) => {
    const { currentPassword, newPassword, code } = c.req.valid('json');
    const tokens = await passwordChange.change(c.get('userId'), currentPassword, newPassword, { address: c.get('clientAddress'), userAgent: c.req.header('user-agent') }, code);
    c.header('Cache-Control', 'no-store');
    return c.json({ tokens }, 200);
  };

  return { changePassword };
}
