import type { ModuleStore } from '../dynamo/module-store';
import type { EventContract, EventEnvelope } from './contract';

/**
 * Transactional outbox. A module writes its change and an outbox item in ONE
 * TransactWriteItems; the table's stream then carries the outbox item to the relay, which
 * publishes it to EventBridge. So an event exists if and only if its change committed.
 */
export const OUTBOX_KIND = 'outbox';

export interface OutboxItem {
  pk: string;
  sk: string;
  kind: typeof OUTBOX_KIND;
  source: string;
  detailType: string;
  detail: string;
  createdAt: string;
}

export function outboxPut(store: ModuleStore, contract: EventContract, event: EventEnvelope) {
  const item = {
    pk: store.key('outbox', event.id),
    sk: store.key('outbox'),
    kind: OUTBOX_KIND,
    source: contract.source,
    detailType: contract.type,
    detail: JSON.stringify(event),
    createdAt: event.occurredAt,
  } satisfies OutboxItem;
  return { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

export function isOutboxItem(item: Record<string, unknown> | undefined): item is OutboxItem & Record<string, unknown> {
  return !!item && item.kind === OUTBOX_KIND && typeof item.detail === 'string' && typeof item.source === 'string';
}
