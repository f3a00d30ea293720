import { callerAlone, requireAuth, type AnswerSealer, type PlatformDeps, type ReplayGuard } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import type { PingService } from '../service/ping.service';
import type { WebhooksService } from '../service/webhooks.service';
import { deliveriesHandlers } from './deliveries.handlers';
import * as deliveriesRoutes from './deliveries.routes';
import { pingHandlers } from './ping.handlers';
import * as pingRoutes from './ping.routes';
import { webhooksHandlers } from './webhooks.handlers';
import * as webhooksRoutes from './webhooks.routes';

/**
 * The module's routes and the one place their middleware is attached, per route. POSTs take
 * an Idempotency-Key after authentication: a retried creation or rotation answers the same
 * secret instead of making a second one, a retried ping the same delivery. Their stored answers (which carry the secret) are
 * sealed at rest with the secrets' key, bound to the key's record (`answers`: domain/secret-sealer.ts answerSealer).
 */
export function createWebhooksRouter(deps: PlatformDeps, service: WebhooksService, ping: PingService, answers: AnswerSealer) {
  const auth = requireAuth(deps.tokens);
  const webhooks = webhooksHandlers(service);
  const deliveries = deliveriesHandlers(service, deps.cursors);
  const pings = pingHandlers(ping);
  // A replayed rotation, redelivery or ping is served only while the caller still owns the webhook.
  const ownsWebhook: ReplayGuard = async (c) => {
    await service.get(c.get('userId'), c.req.param('webhookId') ?? '');
  };
  const showsSecret = { sealer: answers };
  return createRouter()
    .openapi({ ...webhooksRoutes.createWebhookRoute, middleware: [auth, deps.idempotent(callerAlone, showsSecret)] }, webhooks.create)
    .openapi({ ...webhooksRoutes.listWebhooksRoute, middleware: [auth] }, webhooks.list)
    .openapi({ ...webhooksRoutes.getWebhookRoute, middleware: [auth] }, webhooks.get)
    .openapi({ ...webhooksRoutes.updateWebhookRoute, middleware: [auth] }, webhooks.update)
    .openapi({ ...webhooksRoutes.deleteWebhookRoute, middleware: [auth] }, webhooks.remove)
    .openapi({ ...webhooksRoutes.rotateWebhookSecretRoute, middleware: [auth, deps.idempotent(ownsWebhook, showsSecret)] }, webhooks.rotate)
    .openapi({ ...deliveriesRoutes.listDeliveriesRoute, middleware: [auth] }, deliveries.list)
    .openapi({ ...deliveriesRoutes.redeliverRoute, middleware: [auth, deps.idempotent(ownsWebhook)] }, deliveries.redeliver)
    .openapi({ ...pingRoutes.pingWebhookRoute, middleware: [auth, deps.idempotent(ownsWebhook)] }, pings.ping);
}
