import { isWellFormedText } from '@budgeting/platform';
import { freeText, listSchema, paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { WEBHOOK_EVENT_TYPES } from '../domain/event-types';
import { PING_EVENT_TYPE } from '../domain/ping';

/** Bodies, parameters and answers of /v1/webhooks. */
export const EXAMPLE_WEBHOOK_ID = '01JDQ5A1B2C3D4E5F6G7H8J9K0';
export const EXAMPLE_DELIVERY_ID = 'msg_01JDQ5B1C2D3E4F5G6H7J8K9M0';
const EXAMPLE_BUDGET_ID = '01JDQ4V8M7ZK3X9A2B5C6D7E8F';
const EXAMPLE_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/**
 * A path id, bounded as every module's (ids are ULIDs): the webhook's id is part of its item's
 * sort key and of its deliveries' partition key, and one past DynamoDB's key size (1,024 bytes
 * for a sort key) made every webhook route answer a 500 instead of a 400 naming it.
 */
const pathId = (name: string, example: string) => z.string().min(1).max(128).openapi({ param: { name, in: 'path' }, example });

export const WebhookParams = z.object({ webhookId: pathId('webhookId', EXAMPLE_WEBHOOK_ID) });

export const DeliveryParams = WebhookParams.extend({ deliveryId: pathId('deliveryId', EXAMPLE_DELIVERY_ID) });

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({
    param: { in: 'header' },
    example: '6f1c2f0e-2a47-4c1e-9d8a-3f3b1f1f2c10',
    description: 'Retry-safe: the same key and body within 24 h replays the first response (the same secret).',
  }),
});

export const IfMatchHeaders = z.object({
  'if-match': z.string().optional().openapi({
    param: { in: 'header' },
    example: '"3"',
    description: 'The ETag of the version you read (or a list, or *); 412 if none is the current version.',
  }),
});

/**
 * No whitespace, control characters or lone surrogates: the URL parser drops tabs and line
 * breaks and percent-encodes the rest, so the URL stored and shown would not be the one called.
 */
const url = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .refine((value) => isWellFormedText(value) && !/\s/.test(value), 'Must be a URL without spaces, control characters or lone surrogates')
  .openapi({
    example: 'https://hooks.example.com/budgets',
    description:
      'Where events are POSTed. In AWS: https only, and the host must resolve to public addresses only (loopback, private, link-local such as 169.254.169.254 are refused with a 400 naming `url`, checked again at each delivery). `npm start` also allows http and loopback.',
  });
/** Each value once (a 400 naming the second one's index), as the bulk routes do with expense ids. */
function eachOnce(values: readonly string[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [n, value] of values.entries()) {
    if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [n], message: 'Sent twice: each value once' });
    seen.add(value);
  }
}

const budgetIds = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(100, { abort: true })
  .superRefine(eachOnce)
  .nullable()
  .openapi({ uniqueItems: true, example: [EXAMPLE_BUDGET_ID], description: 'Only these budgets (each one you can read; a PATCH checks only those the webhook does not name yet, so a budget deleted or left since may be sent back as stored: its deliveries are skipped); null or absent: every budget you can read, future ones too.' });
// Bounded: an unbounded list (30,000 names in a 1 MB body) made an item past DynamoDB's 400 KB, a 500.
const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length, { abort: true })
  .superRefine(eachOnce)
  .nullable()
  .openapi({
    uniqueItems: true,
    example: ['expense.recorded', 'expense.updated', 'expense.deleted'],
    description: 'Only these event types; null or absent: all of them. `webhook.ping` is not one: a ping (POST /v1/webhooks/{webhookId}/ping) reaches the webhook whatever this says.',
  });
const description = freeText(500).nullable().openapi({ example: 'Sync to our household dashboard' });

export const CreateWebhookBody = z
  .strictObject({ url, budgetIds: budgetIds.optional(), eventTypes: eventTypes.optional(), description: description.optional() })
  .openapi('CreateWebhook', { example: { url: 'https://hooks.example.com/budgets', eventTypes: ['expense.recorded'], description: 'Household dashboard' } });

export const UpdateWebhookBody = z
  .strictObject({
    url: url.optional(),
    budgetIds: budgetIds.optional(),
    eventTypes: eventTypes.optional(),
    description: description.optional(),
    enabled: z.boolean().optional().openapi({ description: 'false: stop sending (events meanwhile are not recorded); true: send new events again.' }),
  })
  .openapi('UpdateWebhook', { example: { enabled: true } });

const webhookShape = {
  id: z.string().openapi({ example: EXAMPLE_WEBHOOK_ID }),
  url: z.string().openapi({ example: 'https://hooks.example.com/budgets' }),
  budgetIds: z.array(z.string()).nullable().openapi({ example: null }),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).nullable().openapi({ example: ['expense.recorded'] }),
  description: z.string().nullable().openapi({ example: 'Household dashboard' }),
  status: z.enum(['enabled', 'disabled']).openapi({ description: 'disabled: after 24 h of failed deliveries, at once when the endpoint answers 410 Gone (Standard Webhooks: it asks for no more; the owner is emailed either way), or by PATCH.' }),
  disabledReason: z.string().nullable().openapi({ example: null }),
  version: z.number().int().openapi({ example: 1 }),
  createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  updatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
};

const exampleWebhook = {
  id: EXAMPLE_WEBHOOK_ID,
  url: 'https://hooks.example.com/budgets',
  budgetIds: null,
  eventTypes: ['expense.recorded'],
  description: 'Household dashboard',
  status: 'enabled',
  disabledReason: null,
  version: 1,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:00.000Z',
};

export const WebhookSchema = z.object(webhookShape).openapi('Webhook', { example: exampleWebhook });

export const WebhookWithSecretSchema = z
  .object({
    ...webhookShape,
    secret: z.string().openapi({
      example: EXAMPLE_SECRET,
      description:
        'The signing secret (Standard Webhooks, `whsec_` + base64): shown only here, at creation and rotation. Verify each request with it, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package.',
    }),
    previousSecretExpiresAt: z.string().nullable().openapi({
      format: 'date-time',
      example: null,
      description: 'After a rotation: requests are signed with the new AND the previous secret until then.',
    }),
  })
  .openapi('WebhookWithSecret', { example: { ...exampleWebhook, secret: EXAMPLE_SECRET, previousSecretExpiresAt: null } });

export const WebhookListSchema = z
  .object({ items: z.array(WebhookSchema) })
  .openapi('WebhookList', { example: { items: [exampleWebhook] } });

const AttemptSchema = z
  .object({
    attempt: z.number().int().openapi({ example: 1, description: 'The attempt\'s number, counting every attempt made (1, 2, ...). A delivery lists at most 40: past them, its first ordered attempt and its last 39.' }),
    at: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:01.000Z' }),
    responseStatus: z.number().int().nullable().openapi({ example: 500, description: "The receiver's HTTP status; null when no response came." }),
    latencyMs: z.number().int().openapi({ example: 87 }),
    error: z.string().nullable().openapi({ example: null, description: 'Why no response came (refused, timeout, DNS).' }),
    redelivery: z.boolean().openapi({ example: false, description: 'A manual redelivery, outside the ordered retries.' }),
  })
  .openapi('WebhookDeliveryAttempt');

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_DELIVERY_ID, description: 'Also the `webhook-id` header of every attempt (the same on retries).' }),
    budgetId: z.string().nullable().openapi({ example: EXAMPLE_BUDGET_ID, description: 'The budget of the event; null for a `webhook.ping`.' }),
    sequence: z
      .number()
      .int()
      .nullable()
      .openapi({ example: 42, description: 'Position in the (webhook, budget) stream: sent strictly in this order. Null for a `webhook.ping`, sent on its own.' }),
    eventId: z.string().openapi({ example: '01JDQ5C1D2E3F4G5H6J7K8M9N0', description: 'The domain event delivered; for a `webhook.ping`, the delivery id.' }),
    eventType: z.string().openapi({ example: 'expense.recorded', description: `One of the subscribable event types, or \`${PING_EVENT_TYPE}\` (POST /v1/webhooks/{webhookId}/ping).` }),
    status: z.enum(['pending', 'delivered', 'failed', 'skipped']).openapi({
      description: 'pending: waiting or retrying; delivered: a 2xx came; failed: 24 h of failures; skipped: the owner could no longer read the budget.',
    }),
    reason: z.string().nullable().openapi({ example: null }),
    attempts: z.array(AttemptSchema),
    nextAttemptAt: z.string().nullable().openapi({ format: 'date-time', example: null }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('WebhookDelivery', {
    example: {
      id: EXAMPLE_DELIVERY_ID,
      budgetId: EXAMPLE_BUDGET_ID,
      sequence: 42,
      eventId: '01JDQ5C1D2E3F4G5H6J7K8M9N0',
      eventType: 'expense.recorded',
      status: 'delivered',
      reason: null,
      attempts: [
        { attempt: 1, at: '2026-11-24T12:00:01.000Z', responseStatus: 500, latencyMs: 87, error: null, redelivery: false },
        { attempt: 2, at: '2026-11-24T12:00:31.000Z', responseStatus: 204, latencyMs: 64, error: null, redelivery: false },
      ],
      nextAttemptAt: null,
      createdAt: '2026-11-24T12:00:00.000Z',
    },
  });

/** A ping just queued (POST /v1/webhooks/{webhookId}/ping). */
export const EXAMPLE_PING_DELIVERY = {
  id: EXAMPLE_DELIVERY_ID,
  budgetId: null,
  sequence: null,
  eventId: EXAMPLE_DELIVERY_ID,
  eventType: PING_EVENT_TYPE,
  status: 'pending',
  reason: null,
  attempts: [],
  nextAttemptAt: '2026-11-24T12:00:00.000Z',
  createdAt: '2026-11-24T12:00:00.000Z',
};

export const DeliveryListSchema = listSchema('WebhookDeliveryList', DeliverySchema);

export const ListDeliveriesQuery = z.strictObject(paginationQuery);
