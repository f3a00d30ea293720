import { problemType } from '@budgeting/platform';
import { bearerSecurity, etagHeader, jsonBody, jsonResponse, limitReachedResponse, locationHeader, problemExample, problemResponses, versionedItemRoutes } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { MAX_WEBHOOKS_PER_USER } from '../domain/webhook-limits';
import {
  CreateWebhookBody,
  IdempotencyHeaders,
  IfMatchHeaders,
  UpdateWebhookBody,
  WebhookListSchema,
  WebhookParams,
  WebhookSchema,
  WebhookWithSecretSchema,
} from '../schemas/webhooks.schemas';

/**
 * Signed webhooks (Standard Webhooks): the caller's endpoints. Each gets every event of the
 * budgets its owner may read (filtered by `budgetIds` and `eventTypes`), POSTed with
 * `webhook-id`, `webhook-timestamp` and `webhook-signature`.
 */
// Route constants in the template's shape (docs/architecture.md): consecutive createRoute
// calls, here and in members.routes.ts or deliveries.routes.ts, look alike to `duplicates`
// line by line, but each has its own method, path, schemas and statuses (this module's
// create and update answer the SSRF refusal as their 400, hence the repeated `urlRefused`).
const tags = ['Webhooks'];

const urlRefused = problemExample('The URL is refused (SSRF guard) or a field is invalid; `errors` names it', {
  type: problemType('validation-error'),
  title: 'Invalid request',
  status: 400,
  detail: 'The webhook URL is refused: 169.254.169.254 resolves to 169.254.169.254 is a loopback, private, link-local or reserved address.',
  errors: [{ path: 'url', message: '169.254.169.254 resolves to 169.254.169.254 is a loopback, private, link-local or reserved address' }],
});

const DELIVERY_DESCRIPTION =
  'Each event is POSTed as `{"type", "timestamp", "data": {"budgetId", "sequence", "serverKnowledge", "event"}}` with the Standard Webhooks headers ' +
  '`webhook-id` (the delivery id, the same on retries: use it to drop duplicates), `webhook-timestamp` and `webhook-signature` ' +
  '(verify with the secret, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package). ' +
  'A 2xx answer within 10 s is a success; anything else is retried with exponential backoff for 24 h, then the webhook is disabled and you are emailed. ' +
  "Per budget, deliveries to one webhook go strictly in `sequence` order (a later one waits while an earlier one is retried), and `serverKnowledge` (the budget's " +
  'delta-sync position as GET /v1/budgets/{budgetId}/changes gives it to you) only moves forward: after a gap, one `GET .../changes?since=<the last serverKnowledge you processed>` repairs it. ' +
  'Access is checked at each delivery: once you can no longer read a budget, nothing more of it is sent. ' +
  'To test the endpoint, POST /v1/webhooks/{webhookId}/ping sends a signed `webhook.ping` event the same way.';

export const createWebhookRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks',
  operationId: 'createWebhook',
  tags,
  summary: 'Register a webhook',
  description: `${DELIVERY_DESCRIPTION} The answer holds the signing \`secret\`, shown only this once (and at rotation). Retry safely with \`Idempotency-Key\`.`,
  security: bearerSecurity,
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateWebhookBody) },
  responses: {
    201: { ...jsonResponse(WebhookWithSecretSchema, 'The webhook and its secret'), headers: { ...locationHeader, ...etagHeader } },
    400: urlRefused,
    409: limitReachedResponse(
      { collection: 'webhooks', limit: MAX_WEBHOOKS_PER_USER, detail: `You can have at most ${MAX_WEBHOOKS_PER_USER} webhooks; delete one first.` },
      '`conflict` when the Idempotency-Key is in use',
    ),
    ...problemResponses(401, 413, 415, 422),
  },
});

export const listWebhooksRoute = createRoute({
  method: 'get',
  path: '/v1/webhooks',
  operationId: 'listWebhooks',
  tags,
  summary: 'Your webhooks',
  description: `At most ${MAX_WEBHOOKS_PER_USER} per user, all in one answer. Secrets are never listed.`,
  security: bearerSecurity,
  responses: {
    200: jsonResponse(WebhookListSchema, 'Your webhooks, oldest first'),
    ...problemResponses(401),
  },
});

/** GET, PATCH and DELETE of one webhook: ETag and If-Match as for every versioned item. */
const item = versionedItemRoutes({
  tags,
  path: '/v1/webhooks/{webhookId}',
  params: WebhookParams,
  ifMatch: IfMatchHeaders,
  item: WebhookSchema,
  update: UpdateWebhookBody,
  get: { operationId: 'getWebhook', summary: 'One of your webhooks', found: 'The webhook', problems: [400, 401, 404] },
  change: {
    operationId: 'updateWebhook',
    summary: 'Change a webhook, or enable/disable it',
    description:
      'A new `url` is checked as at registration. While a webhook is disabled, events are not recorded for it; `enabled: true` sends new events again ' +
      '(and deliveries still pending when it was disabled, in order). To catch up on what happened meanwhile, sync each budget with ' +
      '`GET /v1/budgets/{budgetId}/changes?since=<the last serverKnowledge you processed>`.',
    changed: 'The changed webhook',
    responses: { 400: urlRefused },
    problems: [401, 404, 412, 413, 415],
  },
  remove: {
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook',
    description: 'Nothing more is sent to it, including deliveries still waiting.',
    problems: [400, 401, 404, 412],
  },
});
export const getWebhookRoute = item.get;
export const updateWebhookRoute = item.update;
export const deleteWebhookRoute = item.remove;

export const rotateWebhookSecretRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks/{webhookId}/rotate-secret',
  operationId: 'rotateWebhookSecret',
  tags,
  summary: 'Rotate the signing secret',
  description:
    'A new secret, shown only in this answer. For 24 h requests carry two signatures (new and previous secret), so you can switch without losing a delivery. ' +
    'Send an `Idempotency-Key`: a retried rotation then answers the same secret instead of rotating twice.',
  security: bearerSecurity,
  request: { params: WebhookParams, headers: IdempotencyHeaders },
  responses: {
    200: { ...jsonResponse(WebhookWithSecretSchema, 'The webhook with its new secret'), headers: etagHeader },
    ...problemResponses(400, 401, 404, 409, 422),
  },
});
