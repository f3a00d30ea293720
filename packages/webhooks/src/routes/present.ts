import type { Delivery, Webhook } from '../model';

/** The HTTP views: a webhook without its secrets (and with them once), a delivery without its body. */
export const webhookPath = (id: string) => `/v1/webhooks/${id}`;

export function webhookView(w: Webhook) {
  return {
    id: w.id,
    url: w.url,
    budgetIds: w.budgetIds,
    eventTypes: w.eventTypes,
    description: w.description,
    status: w.status,
    disabledReason: w.disabledReason,
    version: w.version,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

export function webhookWithSecretView(w: Webhook) {
  return { ...webhookView(w), secret: w.secret, previousSecretExpiresAt: w.previousSecretExpiresAt };
}

export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    budgetId: d.budgetId,
    sequence: d.sequence,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    reason: d.reason,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
  };
}
