import type { DeliveryMessage } from '../contract';

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
  return {
    webhookId: m.webhookId as string,
    ownerId: m.ownerId as string,
    deliveryId: m.deliveryId as string,
    ...(m.notBefore ? { notBefore: m.notBefore as string } : {}),
    ...(m.redelivery ? { redelivery: true } : {}),
    ...(m.dueAt ? { dueAt: m.dueAt as string } : {}),
  };
}

/** The body the transports carry: the message, marked so a shared queue can tell it apart. */
export function deliveryMessageBody(message: DeliveryMessage): string {
  return JSON.stringify({ kind: 'webhook-delivery', ...message });
}
