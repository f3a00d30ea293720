import { expectedVersion, jsonAnswer, keyCompletion, setEtag, versionedGetAnswer, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Webhook } from '../model';
import type { WebhooksService } from '../service/webhooks.service';
import { webhookPath, webhookView, webhookWithSecretView } from './present';
import type * as routes from './webhooks.routes';

export function webhooksHandlers(service: WebhooksService) {
  const create: RouteHandler<typeof routes.createWebhookRoute, AppEnv> = async (c) => {
    // The key's answer, exactly as answered below (Location, ETag, no-store), committed with the webhook.
    const completeKey = keyCompletion(c, (w: Webhook) => {
      const answer = jsonAnswer(201, webhookWithSecretView(w), w.version, webhookPath(w.id));
      return { ...answer, headers: { ...answer.headers, 'cache-control': 'no-store' } };
    });
    const webhook = await service.create(c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), completeKey);
    c.header('Location', webhookPath(webhook.id));
    setEtag(c, webhook.version);
    // The secret must not sit in any cache on the way (the middleware's stored answer keeps the header: its replay too).
    c.header('Cache-Control', 'no-store');
    return c.json(webhookWithSecretView(webhook), 201);
  };

  const list: RouteHandler<typeof routes.listWebhooksRoute, AppEnv> = async (c) =>
    c.json({ items: (await service.list(c.get('userId'))).map(webhookView) }, 200);

  const get: RouteHandler<typeof routes.getWebhookRoute, AppEnv> = async (c) => {
    const webhook = await service.get(c.get('userId'), c.req.valid('param').webhookId);
    return versionedGetAnswer(c, webhook.version, webhookView(webhook));
  };

  const update: RouteHandler<typeof routes.updateWebhookRoute, AppEnv> = async (c) => {
    const webhook = await service.update(c.get('userId'), c.req.valid('param').webhookId, c.req.valid('json'), expectedVersion(c));
    setEtag(c, webhook.version);
    return c.json(webhookView(webhook), 200);
  };

  const remove: RouteHandler<typeof routes.deleteWebhookRoute, AppEnv> = async (c) => {
    await service.remove(c.get('userId'), c.req.valid('param').webhookId, expectedVersion(c));
    return c.body(null, 204);
  };

  const rotate: RouteHandler<typeof routes.rotateWebhookSecretRoute, AppEnv> = async (c) => {
    // The key's answer, exactly as answered below (ETag and no-store, no Location), committed with the rotation.
    const completeKey = keyCompletion(c, (w: Webhook) => {
      const answer = jsonAnswer(200, webhookWithSecretView(w), w.version);
      return { ...answer, headers: { ...answer.headers, 'cache-control': 'no-store' } };
    });
    const webhook = await service.rotateSecret(c.get('userId'), c.req.valid('param').webhookId, completeKey);
    setEtag(c, webhook.version);
    // The new secret must not sit in any cache on the way.
    c.header('Cache-Control', 'no-store');
    return c.json(webhookWithSecretView(webhook), 200);
  };

  return { create, list, get, update, remove, rotate };
}
