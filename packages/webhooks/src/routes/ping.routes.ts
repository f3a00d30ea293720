import { problemType } from '@budgeting/platform';
import { bearerSecurity, problemExample, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { PING_LIMIT } from '../domain/ping';
import { DeliverySchema, EXAMPLE_PING_DELIVERY, IdempotencyHeaders, WebhookParams } from '../schemas/webhooks.schemas';

/** A test event to the caller's own endpoint (GitHub's ping, Stripe's "send test webhook"). */
const tags = ['Webhooks'];

export const pingWebhookRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks/{webhookId}/ping',
  operationId: 'pingWebhook',
  tags,
  summary: 'Send a test event (webhook.ping)',
  description:
    'Queues a `webhook.ping` delivery to the endpoint: `{"type": "webhook.ping", "timestamp", "data": {"webhookId", "message"}}`, signed with the current secret ' +
    '(and the previous one during a rotation), with the same headers, retries and backoff as every delivery, listed in GET /v1/webhooks/{webhookId}/deliveries ' +
    '(`eventType` `webhook.ping`, `budgetId` and `sequence` null) and redeliverable. It is sent whatever the webhook\'s `budgetIds` and `eventTypes`, ' +
    'and also while the webhook is disabled (to test a fixed endpoint); a successful ping does not enable it: PATCH `{"enabled": true}` does. ' +
    `At most ${PING_LIMIT.maxPings} pings per webhook per hour (429 with \`Retry-After\`: the end of the hour that began with the first ping). ` +
    'Retry safely with `Idempotency-Key`: a replay answers the same delivery and sends nothing more. Deliveries have no URL of their own: no `Location`.',
  security: bearerSecurity,
  request: { params: WebhookParams, headers: IdempotencyHeaders },
  responses: {
    202: {
      description: 'Queued: the ping delivery, `pending` until its first attempt (or replayed, with `Idempotent-Replayed: true`)',
      content: { 'application/json': { schema: DeliverySchema, example: EXAMPLE_PING_DELIVERY } },
    },
    429: problemExample(
      `${PING_LIMIT.maxPings} pings of this webhook in the last hour (\`Retry-After\`: seconds until the hour that began with the first ping ends); ` +
        'or the per-caller rate limit (see Retry-After and RateLimit).',
      {
        type: problemType('too-many-requests'),
        title: 'Too many requests',
        status: 429,
        detail: `At most ${PING_LIMIT.maxPings} pings per webhook per hour; retry after the time in Retry-After.`,
      },
    ),
    ...problemResponses(400, 401, 404, 409, 422),
  },
});
