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

/**
 * An outbox item whose target is the work queue instead of the bus: a fan-out job's unit
 * written IN the transaction of the change that causes it (an invitation and its mail). The
 * relay (packages/app/src/events/outbox-relay.ts) hands each INSERT of one to the work queue
 * (SQS in AWS, the local queue under the local stream poller), at least once: so the unit
 * exists if and only if its change committed, and the job must be idempotent (every fan-out
 * job is: fan-out.ts). Kept and expired like an outbox item (OUTBOX_RETENTION_SECONDS).
 */
export const QUEUED_UNIT_KIND = 'job-unit';

export interface QueuedUnitItem {
  pk: string;
  sk: string;
  kind: typeof QUEUED_UNIT_KIND;
  /** The fan-out job's name (FanOutJob.name). */
  job: string;
  /** The unit as JSON: the job's parseUnit checks it when it is worked. */
  unit: string;
  /** The tick the unit is worked as of (ISO-8601): the change's time. */
  tick: string;
  createdAt: string;
  expiresAt: number;
}

/**
 * A unit's JSON above this is refused before it can commit: a work message (SQS: 256 KB with
 * its envelope) the queue refuses would be handed to the relay again and again (the mapping's
 * retries, infra/triggers.ts), holding back everything behind it on its shard, then dead-lettered.
 */
export const MAX_QUEUED_UNIT_BYTES = 64 * 1024;

/** The Put of a job unit into the change's own transaction; `id` names it under the module's prefix (unique: a fresh id). */
export function queuedUnitPut(store: ModuleStore, job: string, unit: unknown, tick: Date, id: string) {
  const json = JSON.stringify(unit);
  if (json === undefined || Buffer.byteLength(json) > MAX_QUEUED_UNIT_BYTES) {
    throw new Error(`job ${job}: a queued unit must be JSON of at most ${MAX_QUEUED_UNIT_BYTES} bytes`);
  }
  const item = {
    pk: store.key('unit', id),
    sk: store.key('unit'),
    kind: QUEUED_UNIT_KIND,
    job,
    unit: json,
    tick: tick.toISOString(),
    createdAt: tick.toISOString(),
    expiresAt: Math.floor(tick.getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
  } satisfies QueuedUnitItem;
  return { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

export function isQueuedUnitItem(item: Record<string, unknown> | undefined): item is QueuedUnitItem & Record<string, unknown> {
  return (
    !!item &&
    item.kind === QUEUED_UNIT_KIND &&
    typeof item.job === 'string' &&
    item.job.length > 0 &&
    typeof item.unit === 'string' &&
    typeof item.tick === 'string' &&
    !Number.isNaN(Date.parse(item.tick))
  );
}
