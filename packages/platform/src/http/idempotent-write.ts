import { createMiddleware } from 'hono/factory';
import type { Clock } from '../clock';
import { admitToModuleTransactions, type ModuleStore } from '../dynamo/module-store';
import type { AppEnv } from './app-env';
import { idFromKey, keyHolderId } from './id-from-key';
import { IDEMPOTENCY_TTL_SECONDS, keyedRequest, replayStored, storedAnswer, type StoredResponse } from './idempotency-key';
import { asKeyRecordOnItem, keyRecordLive, type KeyRecordOnItem } from './key-record-on-item';

export type { StoredResponse } from './idempotency-key';

/**
 * Idempotency-Key with the record written INSIDE the transaction of the change it guards:
 * the creating POST's only write carries the key's record holding the answer (status,
 * headers, body), under the condition that the key is unused (or expired). The record is
 * either
 *
 * - ON the created item itself (`resourceId`, `recordOnItem`, `replayHeld`): the resource takes
 *   an id derived from the key, so its own `attribute_not_exists(pk)` is the key's condition
 *   and the record costs no item of its own. The route keeps the record on its item while it
 *   lives (and past a delete: see the expenses module's tombstones); or
 * - on a placeholder the route puts under `holderId` (the id a key with a time names, outside
 *   idFromKey's window too): the expenses module's tombstone, for a key whose time is off, so a
 *   retry whose key time has crossed the window since meets the same item; or
 * - an item of its own (`record`, `replay`), for a key that names no time (idFromKey) or a
 *   resource that cannot take the derived id.
 *
 * Either way:
 * - Committed: the resource and the answer exist together. A retry (after a timeout, a crash
 *   between the commit and the answer, or plain duplication) fails the condition and gets the
 *   stored answer, `Idempotent-Replayed: true`, with no lease to wait out.
 * - Not committed (refused with a 4xx, failed, crashed before the commit): nothing of the
 *   key exists, so the corrected or repeated request simply runs.
 * - Same key, other body: 422, as with the lease middleware (`requestFingerprint`).
 * - Concurrent identical requests: one commits; the others' transactions fail on the
 *   condition and replay the record (a 201 each; the resource exists once).
 *
 * Against the lease middleware (idempotency.ts) this saves two writes per request (taking
 * the lease, completing it). It fits a route whose handler writes everything in one
 * TransactWriteItems and knows its answer before writing.
 */
type RecordItem = { Put: { Item: Record<string, unknown>; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> } };

export interface IdempotentWrite {
  /**
   * The id of the resource this request creates, the same for every retry (idFromKey), when
   * the key carries its creation time (a ULID or UUIDv7); otherwise `undefined`, and the
   * record is an item of its own (`record`, `replay`).
   */
  readonly resourceId: string | undefined;
  /**
   * The id a key that carries its creation time names whether or not it is `resourceId` (platform
   * keyHolderId: the same id, without idFromKey's window); `undefined` for a key that names no time.
   */
  readonly holderId: string | undefined;
  /** The key's record holding `response`, as one attribute value of the created item. */
  recordOnItem(response: StoredResponse): KeyRecordOnItem;
  /** The record an item holds (its stored attribute), if it is one and still holds the key. */
  liveRecordOf(stored: unknown): KeyRecordOnItem | undefined;
  /** The answer from a live record an item holds: the stored answer replayed, or 422 for another body. */
  replayHeld(held: KeyRecordOnItem): Response;
  /** The key's record holding `response`, as an item of the change's transaction (conditioned on the key being unused). */
  record(response: StoredResponse): RecordItem;
  /** After the transaction failed on the `record` item's condition: the stored answer, or 409/422. */
  replay(): Promise<Response>;
  /**
   * Whether the key's `record` item exists and is live (one strongly consistent read): asked
   * when a write was refused before it ran (e.g. an archived budget), to tell a retry of a
   * committed request (then `replay`) from a new one.
   */
  recorded(): Promise<boolean>;
}

export function idempotentWrite(store: ModuleStore, clock: Clock) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const keyed = await keyedRequest(c, store, clock);
    if (!keyed) return next();
    const { key, id, fingerprint, now } = keyed;
    const expiresAt = now + IDEMPOTENCY_TTL_SECONDS;
    const readRecord = () =>
      store.get<{ fingerprint?: string; state?: string; response?: StoredResponse; expiresAt?: number }>({ Key: { pk: id, sk: id }, ConsistentRead: true });

    c.set('idempotentWrite', {
      resourceId: idFromKey(key, id, clock.now()),
      holderId: keyHolderId(key, id),
      recordOnItem: (response) => ({ fingerprint, expiresAt, response: storedAnswer(response, id, undefined) }),
      liveRecordOf: (stored) => {
        const held = asKeyRecordOnItem(stored);
        return held && keyRecordLive(held, now) ? held : undefined;
      },
      replayHeld: (held) => replayStored(held, fingerprint),
      record: (response) =>
        admitToModuleTransactions({
          Put: {
            // Born completed, so no `state` or `leaseUntil` (a lease's): a record with a
            // `response` is a completed one (replayStored).
            Item: { pk: id, sk: id, fingerprint, expiresAt, response: storedAnswer(response, id, undefined) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': now },
          },
        }),
      replay: async () => replayStored(await readRecord(), fingerprint),
      // Live as the `record` condition sees it: an expired record (TTL not yet run) frees the key.
      recorded: async () => ((await readRecord())?.expiresAt ?? 0) >= now,
    });
    return next();
  });
}
