/**
 * Third public entry, `@budgeting/platform/outbox`: what the outbox relay needs and nothing
 * else. The Lambda loads the relay for stream batches without the HTTP stack; importing the
 * main entry would drag zod, jose and the routers into that chunk (esbuild keeps every
 * re-exported module another chunk also uses). Same modules as the main entry re-exports.
 */
export {
  isOutboxItem,
  isQueuedUnitItem,
  OUTBOX_KIND,
  PUBLISHES_ATTRIBUTE,
  QUEUED_UNIT_KIND,
  OUTBOX_RETENTION_SECONDS,
  type OutboxItem,
  type QueuedUnitItem,
} from './outbox';
