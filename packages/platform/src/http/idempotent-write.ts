import { createMiddleware } from 'hono/factory';
import type { Clock } from '../clock';
import { admitToModuleTransactions, type ModuleStore } from '../dynamo/module-store';
import type { AppEnv } from './app-env';
import { IDEMPOTENCY_TTL_SECONDS, keyedRequest, replayStored, type StoredResponse } from './idempotency-key';

export type { StoredResponse } from './idempotency-key';

/**
 * Idempotency-Key with the record written INSIDE the transaction of the change it guards:
 * the creating POST's only write carries, next to the resource, the key's record holding the
 * answer (status, headers, body), under the condition that the key is unused (or expired).
 *
 * - Committed: the resource and the answer exist together. A retry (after a timeout, a crash
 *   between the commit and the answer, or plain duplication) fails the record's condition
 *   and gets the stored answer, `Idempotent-Replayed: true`, with no lease to wait out.
 * - Not committed (refused with a 4xx, failed, crashed before the commit): nothing of the
 *   key exists, so the corrected or repeated request simply runs.
 * - Same key, other body: 422, as with the lease middleware (`requestFingerprint`).
 * - Concurrent identical requests: one commits; the others' transactions fail on the record
 *   and replay it (a 201 each; the resource exists once).
 *
 * Against the lease middleware (idempotency.ts) this saves two writes per request (taking
 * the lease, completing it) and needs no reserved resource id. It fits a route whose handler
 * writes everything in one TransactWriteItems and knows its answer before writing; the
 * handler calls `record(answer)` for the transaction item and `replay()` when the
 * transaction failed on that item's condition.
 */
type RecordItem = { Put: { Item: Record<string, unknown>; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> } };

export interface IdempotentWrite {
  /** The key's record, holding `response`, as an item of the change's transaction (conditioned on the key being unused). */
  record(response: StoredResponse): RecordItem;
  /** After the transaction failed on the record's condition: the stored answer, or 409/422. */
  replay(): Promise<Response>;
}

export function idempotentWrite(store: ModuleStore, clock: Clock) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const keyed = await keyedRequest(c, store, clock);
    if (!keyed) return next();
    const { id, fingerprint, now } = keyed;

    c.set('idempotentWrite', {
      record: (response) =>
        admitToModuleTransactions({
          Put: {
            // Born completed, so no `state` or `leaseUntil` (a lease's): a record with a
            // `response` is a completed one (replayStored).
            Item: { pk: id, sk: id, fingerprint, expiresAt: now + IDEMPOTENCY_TTL_SECONDS, response },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': now },
          },
        }),
      replay: async () => {
        const existing = await store.get<{ fingerprint?: string; state?: string; response?: StoredResponse }>({
          Key: { pk: id, sk: id },
          ConsistentRead: true,
        });
        return replayStored(existing, fingerprint);
      },
    });
    return next();
  });
}
