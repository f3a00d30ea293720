import type { AppEnv, CursorCodec } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { WebhooksService } from '../service/webhooks.service';
import type * as routes from './deliveries.routes';
import { deliveryView } from './present';

/** Delivery-list cursors are bound to their webhook: one of another webhook is a 400. */
const listBinding = (webhookId: string) => `webhooks:deliveries:${webhookId}`;

export function deliveriesHandlers(service: WebhooksService, cursors: CursorCodec) {
  const list: RouteHandler<typeof routes.listDeliveriesRoute, AppEnv> = async (c) => {
    const { webhookId } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const page = await service.deliveries(c.get('userId'), webhookId, limit, cursors.decode(cursor, listBinding(webhookId)));
    return c.json({ items: page.items.map(deliveryView), nextCursor: cursors.encode(page.lastKey, listBinding(webhookId)) }, 200);
  };

  const redeliver: RouteHandler<typeof routes.redeliverRoute, AppEnv> = async (c) => {
    const { webhookId, deliveryId } = c.req.valid('param');
    return c.json(deliveryView(await service.redeliver(c.get('userId'), webhookId, deliveryId)), 202);
  };

  return { list, redeliver };
}
