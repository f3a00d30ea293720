/** The deployable: composition root, HTTP app, Lambda entry and local runtime. */
export { createSystem, type System, type SystemOptions } from './system';
export { createApp } from './http/create-app';
export { createTriggerDispatcher, classifyEvent, type TriggerKind } from './lambda/dispatch';
export { createBusDelivery, DeliveryFailedError } from './events/bus-delivery';
export { createStreamHandler } from './events/stream-handler';
export { createOutboxRelay, type OutboxRelay } from './events/outbox-relay';
export { SUBSCRIPTIONS, SCHEDULES, SUBSCRIPTION_RULE_INPUT, type SubscriptionRow, type ScheduleRow } from './wiring';
export { renderEventCatalog } from './events/catalog';
export { startLocalEvents, type LocalEvents } from './local/events-runtime';
