import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { PingService } from '../service/ping.service';
import type * as routes from './ping.routes';
import { deliveryView } from './present';

export function pingHandlers(service: PingService) {
  // 202 and no Location: a delivery has no URL of its own (it is listed under the webhook).
  const ping: RouteHandler<typeof routes.pingWebhookRoute, AppEnv> = async (c) =>
    c.json(deliveryView(await service.ping(c.get('userId'), c.req.valid('param').webhookId, c.get('idempotentResourceId'))), 202);

  return { ping };
}
