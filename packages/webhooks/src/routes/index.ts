import { createRouter, requireAuth, type PlatformDeps } from '@budgeting/platform';
import type { WebhooksService } from '../service/webhooks.service';
import { deliveriesHandlers } from './deliveries.handlers';
import * as deliveriesRoutes from './deliveries.routes';
import { webhooksHandlers } from './webhooks.handlers';
import * as webhooksRoutes from './webhooks.routes';

/**
 * The module's routes and the one place their middleware is attached, per route. POSTs take
 * an Idempotency-Key after authentication: a retried creation or rotation answers the same
 * secret instead of making a second one.
 */
export function createWebhooksRouter(deps: PlatformDeps, service: WebhooksService) {
  const auth = requireAuth(deps.tokens);
  const webhooks = webhooksHandlers(service);
  const deliveries = deliveriesHandlers(service, deps.cursors);
  return createRouter()
    .openapi({ ...webhooksRoutes.createWebhookRoute, middleware: [auth, deps.idempotent] }, webhooks.create)
    .openapi({ ...webhooksRoutes.listWebhooksRoute, middleware: [auth] }, webhooks.list)
    .openapi({ ...webhooksRoutes.getWebhookRoute, middleware: [auth] }, webhooks.get)
    .openapi({ ...webhooksRoutes.updateWebhookRoute, middleware: [auth] }, webhooks.update)
    .openapi({ ...webhooksRoutes.deleteWebhookRoute, middleware: [auth] }, webhooks.remove)
    .openapi({ ...webhooksRoutes.rotateWebhookSecretRoute, middleware: [auth, deps.idempotent] }, webhooks.rotate)
    .openapi({ ...deliveriesRoutes.listDeliveriesRoute, middleware: [auth] }, deliveries.list)
    .openapi({ ...deliveriesRoutes.redeliverRoute, middleware: [auth, deps.idempotent] }, deliveries.redeliver);
}
