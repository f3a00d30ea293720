import type { DeliveryMessage } from '../contract';
import type { Delivery } from '../model';

/**
 * Checks a queue message before the worker sees it (messages come from outside the process);
 * undefined for one that is not a delivery message: retrying it cannot make it valid.
 */
export function parseDeliveryMessage(raw: unknown): DeliveryMessage | undefined {
  let body = raw;
  if (typeof raw === 'string') {
    try {
      body = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (!body || typeof body !== 'object') return undefined;
  const m = body as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 128;
  if (m.kind !== 'webhook-delivery' || !text(m.webhookId) || !text(m.ownerId) || !text(m.deliveryId)) return undefined;
  if (m.notBefore !== undefined && (typeof m.notBefore !== 'string' || Number.isNaN(Date.parse(m.notBefore)))) return undefined;
  if (m.redelivery !== undefined && typeof m.redelivery !== 'boolean') return undefined;
  if (m.dueAt !== undefined && (typeof m.dueAt !== 'string' || Number.isNaN(Date.parse(m.dueAt)))) return undefined;
  if (m.redeliveryId !== undefined && !text(m.redeliveryId)) return undefined;
  return {
    webhookId: m.webhookId as string,
    ownerId: m.ownerId as string,
    deliveryId: m.deliveryId as string,
    ...(m.notBefore ? { notBefore: m.notBefore as string } : {}),
    ...(m.redelivery ? { redelivery: true } : {}),
    ...(m.dueAt ? { dueAt: m.dueAt as string } : {}),
    ...(m.redeliveryId ? { redeliveryId: m.redeliveryId as string } : {}),
  };
}

/** The body the transports carry: the message, marked so a shared queue can tell it apart. */
export function deliveryMessageBody(message: DeliveryMessage): string {
  return JSON.stringify({ kind: 'webhook-delivery', ...message });
}

/**
 * The message for the attempt a pending delivery waits for (its `nextAttemptAt`, named as
 * `dueAt`) and the delay to queue it with: none when it is due, else until then (a wait longer
 * than the queue takes carries `notBefore` too and is queued again until then). What a message
 * handed again or sent again for a delivery already under way is queued as (DeliveryService's
 * waiting copy, the fan-out's re-queue of an event delivered again), so it attempts the delivery
 * at its retry, with the retry's own message, never at once beside it.
 */
export function messageWhenDue(delivery: Pick<Delivery, 'id' | 'webhookId' | 'ownerId'> & { nextAttemptAt: string }, now: Date, maxQueueDelayMs: number): { message: DeliveryMessage; delayMs: number } {
  const dueAt = delivery.nextAttemptAt;
  const wait = Math.max(0, Date.parse(dueAt) - now.getTime());
  return {
    message: { webhookId: delivery.webhookId, ownerId: delivery.ownerId, deliveryId: delivery.id, dueAt, ...(wait > maxQueueDelayMs ? { notBefore: dueAt } : {}) },
    delayMs: Math.min(wait, maxQueueDelayMs),
  };
}
