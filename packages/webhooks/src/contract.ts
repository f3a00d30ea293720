import type { Logger } from '@budgeting/platform';

/**
 * The ports of the webhooks module: what it needs from the app and from other modules.
 *
 * The delivery queue is the module's view of "try this delivery (again) later": an SQS queue
 * in AWS (DelaySeconds up to 900, the function as its consumer), an in-process stand-in with
 * timers locally; both hand each message to the module's `deliver` (create-module.ts). The
 * module never sees the transport.
 */
export interface DeliveryMessage {
  webhookId: string;
  ownerId: string;
  deliveryId: string;
  /** Not before this instant (ISO): a wait longer than the queue's maximum delay is re-queued until then. */
  notBefore?: string;
  /** A manual redelivery: one attempt now, outside the ordered retries. */
  redelivery?: boolean;
  /** The redelivery asked for (POST .../redeliver: a new id each): attempted once however often the queue hands its message. */
  redeliveryId?: string;
  /**
   * A retry's message: the delivery's `nextAttemptAt` recorded with the failed attempt that
   * queued it (ISO). A copy handed again once that retry was attempted (SQS delivers a message at
   * least once) meets another one and attempts nothing (delivery.service.ts).
   */
  dueAt?: string;
}

export interface DeliveryQueue {
  /** Hands the message to a later invocation after `delayMs` (the transport caps it; see notBefore). */
  send(message: DeliveryMessage, delayMs: number): Promise<void>;
}

/** The budget's delta-sync position as `userId` would get it from GET /changes (expenses module). */
export interface KnowledgePort {
  /** The serverKnowledge token now; null when the budget is gone or not visible to the user. */
  knowledge(budgetId: string, userId: string): Promise<string | null>;
}

/** Where webhook URLs may point (SSRF guard). */
export interface UrlPolicy {
  /**
   * `public-https` (AWS): https only, and every address the host resolves to must be public.
   * `local` (npm start, tests of the receiver): http and loopback/private addresses allowed.
   */
  mode: 'public-https' | 'local';
}

export interface HandlerLogger {
  logger: Logger;
}
