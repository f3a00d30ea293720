/** Public entry of the webhooks module: the only file other packages may import. */
export type { DeliveryMessage, DeliveryQueue, KnowledgePort, UrlPolicy } from './contract';
export { parseDeliveryMessage, deliveryMessageBody } from './domain/delivery-message';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './domain/event-types';
// The ping's description, for docs/events.md (domain/ping.ts: a few constants, nothing built at start).
export { webhookPingEvent } from './domain/ping';
export type { RetryPolicy } from './domain/backoff';
export { createWebhooksModule, MAX_QUEUE_DELAY_MS, type WebhooksExportFacade, type WebhooksModuleOptions, type WebhooksModulePorts } from './create-module';
