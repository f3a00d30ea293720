import type { ModuleStore } from '../dynamo/module-store';
import type { EventContract, EventEnvelope } from './contract';

/**
 * Transactional outbox. A module writes its change and an outbox item in ONE
 * TransactWriteItems; the table's stream then carries the outbox item to the relay, which
 * publishes it to EventBridge. So an event exists if and only if its change committed.
 *
 * The item is written with its expiry (`expiresAt`, OUTBOX_RETENTION_SECONDS after the
 * event) and never touched again: the relay needs only the stream's INSERT record, and the
 * stream keeps records for 24 hours, so an item kept longer serves nobody but a reader of the
 * table. Marking items relayed cost one more write (and stream record) per event.
 */
export const OUTBOX_KIND = 'outbox';

/** How long an outbox item stays after its event (as long as the stream keeps its record). */
export const OUTBOX_RETENTION_SECONDS = 24 * 60 * 60;

export interface OutboxItem {
  pk: string;
  sk: string;
  kind: typeof OUTBOX_KIND;
  source: string;
  detailType: string;
  detail: string;
  createdAt: string;
  expiresAt: number;
}

/** The attributes that make an item an event to publish (outboxPut's, or joined to another item: see outboxFields). */
export function outboxFields(contract: EventContract, event: EventEnvelope) {
  return {
    source: contract.source,
    detailType: contract.type,
    detail: JSON.stringify(event),
    createdAt: event.occurredAt,
  };
}

export function outboxPut(store: ModuleStore, contract: EventContract, event: EventEnvelope) {
  const item = {
    pk: store.key('outbox', event.id),
    sk: store.key('outbox'),
    kind: OUTBOX_KIND,
    ...outboxFields(contract, event),
    expiresAt: Math.floor(Date.parse(event.occurredAt) / 1000) + OUTBOX_RETENTION_SECONDS,
  } satisfies OutboxItem;
  return { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/**
 * Marks an item of another kind that carries an event too, so the relay publishes it like an
 * outbox item: one item instead of two where a module already writes a record of the same
 * fact (the expenses change log's entry, see packages/expenses/README.md).
 */
export const PUBLISHES_ATTRIBUTE = 'publishes';

/** The attributes to add to such an item (its own key, kind and expiry stay). */
export function publishedFields(contract: EventContract, event: EventEnvelope) {
  return { [PUBLISHES_ATTRIBUTE]: true, ...outboxFields(contract, event) };
}

export function isOutboxItem(item: Record<string, unknown> | undefined): item is OutboxItem & Record<string, unknown> {
  return (
    !!item &&
    (item.kind === OUTBOX_KIND || item[PUBLISHES_ATTRIBUTE] === true) &&
    typeof item.detail === 'string' &&
    typeof item.source === 'string'
  );
}
