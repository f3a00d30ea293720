/**
 * At most this many webhooks per account: each one is read on every event of its budgets (the
 * fan-out's watchers) and listed whole by GET /v1/webhooks, so the number must stay small. Held
 * by a count item moved in each create's and delete's transaction (webhooks.repository.ts).
 */
export const MAX_WEBHOOKS_PER_USER = 20;
