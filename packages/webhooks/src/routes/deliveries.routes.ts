import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { DeliveryListSchema, DeliveryParams, DeliverySchema, IdempotencyHeaders, ListDeliveriesQuery, WebhookParams } from '../schemas/webhooks.schemas';

/** A webhook's deliveries (kept 30 days) and manual redelivery. */
const tags = ['Webhooks'];

export const listDeliveriesRoute = createRoute({
  method: 'get',
  path: '/v1/webhooks/{webhookId}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags,
  summary: "A webhook's deliveries, newest first",
  description: 'Each with its attempts: when, the response status, the latency, and why no response came. Kept 30 days.',
  security: bearerSecurity,
  request: { params: WebhookParams, query: ListDeliveriesQuery },
  responses: {
    200: jsonResponse(DeliveryListSchema, 'One page'),
    ...problemResponses(400, 401, 404),
  },
});

export const redeliverRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
  operationId: 'redeliverWebhookDelivery',
  tags,
  summary: 'Send a delivery again',
  description:
    'Queues one more attempt, now, with the same body and `webhook-id` (also for a disabled webhook, to test a fixed endpoint). ' +
    'It is outside the ordered retries; a success turns a failed delivery into delivered. The attempt shows in the deliveries list.',
  security: bearerSecurity,
  request: { params: DeliveryParams, headers: IdempotencyHeaders },
  responses: {
    202: jsonResponse(DeliverySchema, 'Queued; the delivery as it was'),
    ...problemResponses(400, 401, 404, 409, 422),
  },
});
