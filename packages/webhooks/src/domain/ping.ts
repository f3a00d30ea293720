/**
 * `webhook.ping`: the test event an owner sends to their own endpoint (POST
 * /v1/webhooks/{webhookId}/ping), as GitHub's ping or Stripe's "send test webhook". It is not
 * a domain event (nothing happened to a budget), so it is not on the bus, cannot be picked in
 * `eventTypes` (WEBHOOK_EVENT_TYPES stays the bus events the module subscribes to) and every
 * webhook gets it whatever its filters: a receiver should answer 2xx to types it does not know.
 */
export const PING_EVENT_TYPE = 'webhook.ping';

/**
 * Pings per webhook per window (the window starts at its first ping): enough to test an
 * endpoint while fixing it, while one account (20 webhooks) cannot turn pings into a stream
 * of requests at someone else's URL, nor fill the deliveries list (kept 30 days) with them.
 */
export const PING_LIMIT = { maxPings: 10, windowSeconds: 60 * 60 };

/** What the ping says, for whoever reads the receiver's logs. */
export const PING_MESSAGE = 'A test event sent by POST /v1/webhooks/{webhookId}/ping; no budget changed. Answer 2xx to show the endpoint works.';

/** The body, shaped as every delivery's (Standard Webhooks: type, timestamp, data). */
export function pingBody(webhookId: string, at: Date): string {
  return JSON.stringify({ type: PING_EVENT_TYPE, timestamp: at.toISOString(), data: { webhookId, message: PING_MESSAGE } });
}

/** For the docs (docs/events.md, OpenAPI): what a receiver gets. A function: nothing is built at start. */
export const webhookPingEvent = () => ({
  type: PING_EVENT_TYPE,
  summary:
    'Sent only when the webhook\'s owner asks for it (POST /v1/webhooks/{webhookId}/ping), to any webhook whatever its `budgetIds` and `eventTypes` ' +
    '(it cannot be picked in `eventTypes`), enabled or disabled. Signed, retried and listed in the deliveries like every delivery; ' +
    'not part of any budget\'s ordered stream (its delivery has `budgetId` and `sequence` null). `webhook-id` is its delivery id.',
  example: JSON.parse(pingBody('01JDQ5A1B2C3D4E5F6G7H8J9K0', new Date('2026-11-24T12:00:00.000Z'))) as Record<string, unknown>,
});
