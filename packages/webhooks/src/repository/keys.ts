import type { ModuleStore } from '@budgeting/platform';

/**
 * The module's keys, all under `webhooks#`:
 * - a webhook, in its owner's partition: `webhooks#owner#<userId>` / `webhooks#webhook#<id>`, and
 *   the owner's webhook count next to them: `webhooks#owner#<userId>` / `webhooks#count`;
 * - its deliveries, newest last: `webhooks#webhook#<id>` / `webhooks#delivery#<deliveryId>` (ULID);
 * - one ordered stream per (webhook, budget), `webhooks#stream#<webhookId>#<budgetId>`, holding
 *   its head (`webhooks#head`: the last sequence number given and the one delivered through),
 *   one pointer per sequence number (`webhooks#seq#<000000000042>` -> delivery id) and one
 *   guard per event (`webhooks#event#<eventId>` -> delivery id: a redelivered event creates nothing);
 * - the ping counter of a webhook, next to its deliveries: `webhooks#webhook#<id>` / `webhooks#pings`
 *   (outside the `webhooks#delivery#` prefix, so listing deliveries never meets it);
 * - a redelivery's claim (one attempt per POST .../redeliver however often the queue hands its
 *   message), next to the deliveries too: `webhooks#webhook#<id>` / `webhooks#redelivery#<redeliveryId>`.
 */
export function webhookKeys(store: ModuleStore) {
  const stream = (webhookId: string, budgetId: string) => store.key('stream', webhookId, budgetId);
  return {
    webhook: (ownerId: string, id: string) => ({ pk: store.key('owner', ownerId), sk: store.key('webhook', id) }),
    ownerPartition: (ownerId: string) => store.key('owner', ownerId),
    webhookPrefix: () => store.key('webhook', ''),
    /** The owner's webhook count (the cap), outside the `webhooks#webhook#` prefix so listing never meets it. */
    count: (ownerId: string) => ({ pk: store.key('owner', ownerId), sk: store.key('count') }),
    delivery: (webhookId: string, id: string) => ({ pk: store.key('webhook', webhookId), sk: store.key('delivery', id) }),
    deliveriesPartition: (webhookId: string) => store.key('webhook', webhookId),
    deliveryPrefix: () => store.key('delivery', ''),
    head: (webhookId: string, budgetId: string) => ({ pk: stream(webhookId, budgetId), sk: store.key('head') }),
    sequence: (webhookId: string, budgetId: string, sequence: number) => ({
      pk: stream(webhookId, budgetId),
      sk: store.key('seq', String(sequence).padStart(12, '0')),
    }),
    pings: (webhookId: string) => ({ pk: store.key('webhook', webhookId), sk: store.key('pings') }),
    redelivery: (webhookId: string, redeliveryId: string) => ({ pk: store.key('webhook', webhookId), sk: store.key('redelivery', redeliveryId) }),
    eventGuard: (webhookId: string, budgetId: string, eventId: string) => ({ pk: stream(webhookId, budgetId), sk: store.key('event', eventId) }),
  };
}

export type WebhookKeys = ReturnType<typeof webhookKeys>;

/** Deliveries, their pointers and guards are kept 30 days (the history GET .../deliveries shows). */
export const DELIVERY_RETENTION_SECONDS = 30 * 24 * 60 * 60;
