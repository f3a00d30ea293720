import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { UnsubscribeService } from '../service/unsubscribe.service';
import type * as routes from './unsubscribe.routes';

export function unsubscribeHandlers(service: UnsubscribeService) {
  const unsubscribe: RouteHandler<typeof routes.unsubscribe, AppEnv> = async (c) => {
    const kind = await service.unsubscribe(c.req.valid('param').token);
    return c.json({ unsubscribed: kind }, 200);
  };
  return { unsubscribe };
}
