import type { RouteHandler } from '@hono/zod-openapi';
import { setEtag, type AppEnv } from '@budgeting/platform';
import type { EmailChangeService } from '../service/email-change.service';
import type * as routes from './email-change.routes';

/** The one answer to every request, whether or not the new address is free. */
const ACCEPTED = {
  status: 'accepted' as const,
  message: 'A confirmation code is on its way to the new address; it expires in 30 minutes. Your email stays as it is until you confirm.',
};

export function emailChangeHandlers(emailChange: EmailChangeService) {
  const requestEmailChange: RouteHandler<typeof routes.requestEmailChange, AppEnv> = async (c) => {
    const { newEmail, password, code } = c.req.valid('json');
    await emailChange.request(c.get('userId'), newEmail, password, c.get('clientAddress'), code);
    return c.json(ACCEPTED, 202);
  };

  /** Answers the profile as PATCH /v1/me does, with its new ETag. */
  const confirmEmailChange: RouteHandler<typeof routes.confirmEmailChange, AppEnv> = async (c) => {
    const user = await emailChange.confirm(c.get('userId'), c.req.valid('json').token);
    setEtag(c, user.version);
    return c.json(user, 200);
  };

  return { requestEmailChange, confirmEmailChange };
}
