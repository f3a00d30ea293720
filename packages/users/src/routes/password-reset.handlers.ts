import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { PasswordResetService } from '../service/password-reset.service';
import type * as routes from './password-reset.routes';

/** The one answer to every reset request, account or not. */
const ACCEPTED = {
  status: 'accepted' as const,
  message: 'If an account has this email, a reset code is on its way; it expires in 30 minutes.',
};

/** The confirmation's answer carries tokens: `Cache-Control: no-store`, as on the auth routes. */
export function passwordResetHandlers(passwordReset: PasswordResetService) {
  const requestPasswordReset: RouteHandler<typeof routes.requestPasswordReset, AppEnv> = async (c) => {
    await passwordReset.request(c.req.valid('json').email, c.get('clientAddress'));
    return c.json(ACCEPTED, 202);
  };

  const confirmPasswordReset: RouteHandler<typeof routes.confirmPasswordReset, AppEnv> = async (c) => {
    const { token, newPassword } = c.req.valid('json');
    const result = await passwordReset.confirm(token, newPassword, { address: c.get('clientAddress'), userAgent: c.req.header('user-agent') });
    c.header('Cache-Control', 'no-store');
    return c.json(result, 200);
  };

  return { requestPasswordReset, confirmPasswordReset };
}
