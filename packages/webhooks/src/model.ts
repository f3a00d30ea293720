import type { WebhookEventType } from './domain/event-types';

export const WEBHOOK_STATUSES = ['enabled', 'disabled'] as const;

/** A registered endpoint. `secret` never leaves the module except in the creation/rotation answer. */
export interface Webhook {
  id: string;
  ownerId: string;
  url: string;
  /** Only these budgets (null: every budget the owner may read, including future ones). */
  budgetIds: string[] | null;
  /** Only these event types (null: all of them). */
  eventTypes: WebhookEventType[] | null;
  description: string | null;
  /** `disabled`: failed for 24 h (or turned off by its owner); nothing is sent until enabled again. */
  status: (typeof WEBHOOK_STATUSES)[number];
  disabledReason: string | null;
  secret: string;
  /** The secret before the last rotation, still signed with until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /**
   * The "disabled" mail a give-up still owes its owner (DeliveryService.giveUp): written with the
   * disable, removed once the mail went, so a process dying in between leaves it for the retry of
   * the same delivery. Never written by a put (an owner's PATCH drops it: they acted meanwhile),
   * never answered by the API. Absent: nothing owed.
   */
  disabledMailOwed?: DisabledMailOwed;
  /**
   * When its owner last enabled it again after it was disabled (PATCH `enabled: true`), never
   * answered by the API; absent: never re-enabled. A delivery's 24 h of retries (and its backoff)
   * count only its attempts since: the days it was disabled are no failures.
   */
  enabledAt?: string;
}

/** Which delivery disabled the webhook and how its last attempt ended (the mail's words). */
export interface DisabledMailOwed {
  deliveryId: string;
  last: string;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One HTTP attempt of a delivery. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; null when there was no response (refused, timeout, DNS). */
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  /** A manual redelivery (POST .../redeliver), outside the ordered retries. */
  redelivery: boolean;
}

/**
 * One event for one webhook. The body is fixed when the delivery is created (the event, the
 * budget's serverKnowledge then, and the per-(webhook, budget) sequence number), so every
 * attempt sends the same bytes under the same `webhook-id` (the delivery id).
 *
 * A ping (`webhook.ping`, domain/ping.ts) belongs to no budget: `budgetId` and `sequence` are
 * null and it is sent on its own, outside every ordered stream (see StreamDelivery).
 */
export interface Delivery {
  id: string;
  webhookId: string;
  ownerId: string;
  /** The budget whose stream it is in; null for a ping. */
  budgetId: string | null;
  /** Its number in the (webhook, budget) stream; null for a ping. */
  sequence: number | null;
  eventId: string;
  eventType: string;
  body: string;
  status: DeliveryStatus;
  /** Why it was skipped or failed. */
  reason: string | null;
  attempts: DeliveryAttempt[];
  createdAt: string;
  nextAttemptAt: string | null;
}

/** A delivery of a budget's event: number `sequence` of the (webhook, budget) stream, sent in that order. */
export type StreamDelivery = Delivery & { budgetId: string; sequence: number };

export const inStream = (d: Delivery): d is StreamDelivery => d.budgetId !== null && d.sequence !== null;
