import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Clock } from '../clock';
import { newId } from '../ids';
import { isConditionFailed, refusingItem } from '../dynamo/condition-failed';
import { admitToModuleTransactions, type ModuleStore } from '../dynamo/module-store';
import type { AppEnv } from './app-env';
import { IDEMPOTENCY_TTL_SECONDS, keyedRequest, replayStored, storedAnswer, type AnswerSealer, type StoredResponse } from './idempotency-key';
import { ProblemError } from './problem';

/**
 * Idempotency-Key for creating POSTs (SPEC "Retries"), and for a PATCH or PUT whose route takes one
 * (a member's role or share, a settlement's correction: a retry after a lost answer must not
 * meet its own new version as a 412, nor the old id of a payment it moved as a 404), kept in
 * the one table under the kernel's own `idempotency#` prefix.
 *
 * - First request with a key: a lease record is written with a condition (so exactly one
 *   concurrent request wins), the handler runs, and a 2xx response is stored for 24 h (TTL).
 * - Same key + same body afterwards: the stored response is replayed with
 *   `Idempotent-Replayed: true`. Same key + different body: 422. Still running: 409.
 *   "Same body" means the same request fingerprint (see requestFingerprint): JSON that parses
 *   to the same value, whatever its key order, whitespace or content-type parameters.
 * - A refused attempt (4xx) deletes the key, so the client can correct the body and retry, and
 *   a refusal caused by another resource's state (409 budget-archived, 412) is never the key's
 *   final answer: the same request runs again once that state changed. Only a 2xx is stored.
 *   A refusal by an attempt that took the lease over from a failed one (below) ends the lease
 *   instead, keeping the key and its reserved id for the same request (releaseRefused).
 * - A failed attempt (5xx or exception) keeps the key but ends its lease at once: the write may
 *   have committed before the failure (a timeout after the commit, DynamoDB throttling the next
 *   step), so the retry must take over the same reserved resource id, exactly as after a crash
 *   (below); with another body it is a 422, as for any used key.
 * - The lease is short: if the process died mid-request, the same request can take the key
 *   over after LEASE_SECONDS instead of being blocked for a day. The lease reserves the id of
 *   the resource being created (`c.get('idempotentResourceId')`), and the takeover keeps it:
 *   a create that had committed before the crash is then found, not made twice. A takeover
 *   while the first attempt still runs lets both run: every write an attempt makes to the record
 *   after its handler (completion, the refusal's deletion, the lease's end, the completion inside
 *   a handler's transaction) is conditioned on its OWN lease (OWN_LEASE: the lease's end it
 *   wrote, which a takeover replaces), so an overtaken attempt never completes, deletes or ends
 *   its retry's lease, and one whose retry completed answers that answer as a replay.
 *
 * - A route whose handler writes its change in ONE transaction and knows its answer before writing
 *   (the income create) may complete the lease INSIDE that transaction (`idempotentCompletion`:
 *   the record's Update to `completed` with the answer, conditioned on this lease, then
 *   `committed()`): a process dying between its commit and its answer then leaves a completed
 *   record, and the retry replays the first answer, whatever happened to the resource since (a
 *   deleted income entry's retry answered 409 before: its id was held by the entry's tombstone).
 *   The middleware then writes no completion of its own (one write fewer, one item more in the
 *   transaction).
 * - A route whose answer carries a secret shown once (a webhook's signing secret) passes a
 *   `sealer` (IdempotencyOptions): the record keeps the answer's body sealed, bound to the
 *   record's id, and a replay opens it, so the secret is never at rest in plain text and the
 *   retry still gets the same secret.
 * - The answer is kept compressed when large, and not kept at all (a replay is 409
 *   `idempotent-answer-not-kept`) when even so it would not fit the record: storedAnswer,
 *   kept-answer.ts. A completion never fails on the item's 400 KB after the handler's writes.
 * - A replay is served only to a caller who may still make the original request: the route's
 *   `mayReplay` guard (its own access check, e.g. "still a writing member of this budget")
 *   runs before any stored answer, 409 or 422 is given, and throws the normal 403/404. It
 *   costs a replay the access read the handler would have made; a first request pays nothing.
 *
 * Hand-written rather than Powertools' idempotency utility because that utility ties the
 * in-progress expiry to a Lambda context (absent in the local server) and stores the record
 * under keys that cannot carry our per-owner key prefixes.
 */
const LEASE_SECONDS = 60;

interface IdempotencyRecord {
  pk: string;
  sk: string;
  state: 'in_progress' | 'completed';
  fingerprint: string;
  leaseUntil: number;
  expiresAt: number;
  /** Id reserved for the resource this request creates (see acquireLease). */
  resourceId?: string;
  response?: StoredResponse;
}

/**
 * `cache-control`: an answer that carries a secret (a personal access token) says `no-store`, its replay too.
 * `preference-applied`: a job-starting route that honoured `Prefer: wait=N` (the CSV import, an
 * import's undo, a merchant or tag rename) says so on its 200 or 202, and its replay is that answer.
 */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'cache-control', 'preference-applied'];

/**
 * May this caller still make the request whose stored answer would be replayed? Throws the
 * route's normal refusal (404, 403) when not. The key is already scoped to the caller.
 */
export type ReplayGuard = (c: Context<AppEnv>) => Promise<void>;

/** For routes that create under the caller alone (no shared resource to lose access to). */
export const callerAlone: ReplayGuard = async () => undefined;

type LeaseCompletionItem = {
  Update: {
    Key: Record<string, unknown>;
    UpdateExpression: string;
    ConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  };
};

/** The lease's completion as an item of the handler's own transaction (see above). */
export interface LeaseCompletion {
  /** The Update completing this request's lease with `answer` (the route's 2xx as it will answer it). */
  item(answer: StoredResponse): LeaseCompletionItem;
  /** The handler's transaction committed `item`: the middleware stores no answer of its own. */
  committed(): void;
}

export interface IdempotencyOptions {
  /** Seals the stored answer's body at rest (see AnswerSealer); plain when absent. */
  sealer?: AnswerSealer;
}

export function idempotency(store: ModuleStore, clock: Clock, mayReplay: ReplayGuard = callerAlone, options: IdempotencyOptions = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const keyed = await keyedRequest(c, store, clock);
    if (!keyed) return next();
    const { id, fingerprint, now } = keyed;
    // This attempt's lease, as acquireLease writes it: a takeover writes a later one, so it tells
    // the two attempts of a taken-over lease apart (both have the same fingerprint).
    const lease: Lease = { id, fingerprint, until: now + LEASE_SECONDS };
    let completedInTransaction = false;

    // `tookOver`: a lease taken over from an attempt that failed (a 5xx, a crash), whose writes
    // may have committed under the reserved id, so this attempt's refusal must not free the key.
    let taken: { resourceId: string; tookOver: boolean };
    try {
      taken = await acquireLease(store, id, fingerprint, now, newId(clock.now().getTime()));
      c.set('idempotentResourceId', taken.resourceId);
      c.set('idempotentCompletion', {
        item: (answer) => admitToModuleTransactions({ Update: completion(lease, answer, options.sealer) }),
        committed: () => {
          completedInTransaction = true;
        },
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      await mayReplay(c);
      const existing = await store.get<IdempotencyRecord & Record<string, unknown>>({
        Key: { pk: id, sk: id },
        ConsistentRead: true,
      });
      return replayStored(existing, fingerprint, options.sealer);
    }

    let completed = false;
    let refused = false;
    try {
      await next();
      const res = c.res;
      // An answer its transaction committed is the key's, whatever the handler answered after it.
      refused = !completedInTransaction && res.status >= 400 && res.status < 500;
      if (completedInTransaction) completed = true;
      else if (res.status >= 200 && res.status < 300) {
        await completeLease(c, store, lease, mayReplay, options.sealer);
        completed = true;
      }
    } finally {
      // A key's answer not kept (409 idempotent-answer-not-kept, replayStored) is the answer to
      // give instead of this attempt's own refusal: the other attempt applied the request.
      if (refused)
        await releaseRefused(c, store, lease, mayReplay, options.sealer, taken.tookOver).catch((err: unknown) => {
          if (err instanceof ProblemError) throw err;
        });
      else if (!completed) await endLease(store, lease).catch(() => undefined);
    }
  });
}

/** The key's record completed with `answer`, only while it is still this attempt's lease (not completed, not taken over since). */
function completion(lease: Lease, answer: StoredResponse, sealer: AnswerSealer | undefined) {
  return {
    Key: { pk: lease.id, sk: lease.id },
    UpdateExpression: 'SET #state = :completed, #response = :response',
    ConditionExpression: OWN_LEASE,
    ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
    ExpressionAttributeValues: { ':completed': 'completed', ':response': storedAnswer(answer, lease.id, sealer), ...ownLeaseValues(lease) },
  };
}

/**
 * Stores the handler's 2xx as the key's answer, only while the lease is still in progress: never
 * over an answer the other attempt of a taken-over lease committed (that one is answered instead).
 */
async function completeLease(c: Context<AppEnv>, store: ModuleStore, lease: Lease, mayReplay: ReplayGuard, sealer: AnswerSealer | undefined) {
  const { id, fingerprint } = lease;
  const stored = c.res.clone();
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = stored.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  try {
    await store.update(completion(lease, { status: stored.status, headers, body: await stored.text() }, sealer));
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
    await answerCommittedByOther(c, store, id, fingerprint, mayReplay, sealer);
  }
}

/**
 * A refused attempt (4xx) deletes the key, only while its lease is still in progress: a lease
 * taken over after LEASE_SECONDS (the same request retried while this one still ran) may have
 * been completed by the other attempt meanwhile, and that answer stays the key's (its client
 * may have it; deleting it would let the next retry create again). This client is then given
 * that answer too, as a replay.
 *
 * `tookOver`: this attempt took the lease over from one that failed (a 5xx, a crash), whose
 * writes may have committed under the reserved resource id: the refusal (e.g. 409
 * budget-archived, met by the retry only) then ends the lease as a failure does instead of
 * deleting the key, so the same request sent again runs again under that id and finds what was
 * written, rather than taking a fresh key with a new id and writing it all a second time (until
 * 2026-12-07: an offline push's creates recorded twice).
 */
async function releaseRefused(c: Context<AppEnv>, store: ModuleStore, lease: Lease, mayReplay: ReplayGuard, sealer: AnswerSealer | undefined, tookOver: boolean) {
  const { id, fingerprint } = lease;
  try {
    if (tookOver) await endLease(store, lease);
    else
      await store.delete({
        Key: { pk: id, sk: id },
        ConditionExpression: OWN_LEASE,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: ownLeaseValues(lease),
      });
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
    await answerCommittedByOther(c, store, id, fingerprint, mayReplay, sealer);
  }
}

/**
 * This attempt's lease was completed by another attempt of the same request (a takeover after
 * LEASE_SECONDS; both ran): the key's answer is that one, and this attempt answers it as a
 * replay (its body, Location and ETag), not its own later view of the resource. A record that
 * is gone or not completed leaves this attempt's own answer.
 */
async function answerCommittedByOther(
  c: Context<AppEnv>,
  store: ModuleStore,
  id: string,
  fingerprint: string,
  mayReplay: ReplayGuard,
  sealer: AnswerSealer | undefined,
) {
  const record = await store.get<IdempotencyRecord & Record<string, unknown>>({ Key: { pk: id, sk: id }, ConsistentRead: true });
  if (record?.state !== 'completed' || !record.response || record.fingerprint !== fingerprint) return;
  // As every replay: only to a caller who may still make the request (this attempt's own
  // refusal, a 404 of a member removed meanwhile, stands otherwise).
  if (!(await mayReplay(c).then(() => true, () => false))) return;
  const replay = replayStored(record, fingerprint, sealer);
  // Hono's `c.res` setter copies the replaced answer's headers over the new one: its own ETag and
  // Location must not win over the replayed ones, the rest (request id, limits) carries on.
  const own = c.res.headers;
  c.res = undefined;
  for (const [name, value] of own) {
    if (!REPLAYED_HEADERS.includes(name) && name !== 'content-length' && name !== 'set-cookie' && !replay.headers.has(name)) replay.headers.set(name, value);
  }
  c.res = replay;
}

/**
 * Takes the key for this request and returns the id reserved for the resource it creates.
 * A fresh (or expired) key reserves a new id. An abandoned lease (the process died mid-request)
 * is taken over only by the SAME body, and keeps its reserved id: if the first attempt had
 * already committed its resource, the retry's conditional create finds it instead of making
 * a second one. Throws ConditionalCheckFailed when the key is busy, done, or used differently.
 *
 * Each write marks the lease with this attempt's own id (`attempt`, the fresh id: unique per
 * attempt), and a refusal brings the record back (ALL_OLD): a write whose answer was lost after
 * it committed is sent again by the SDK (a timeout, a reset connection) and meets its own lease,
 * which is then this attempt's, not a "still in progress" 409 for a request nothing else runs
 * (until 2026-12-07 the request answered that 409, and so did its retries for LEASE_SECONDS).
 */
async function acquireLease(store: ModuleStore, id: string, fingerprint: string, now: number, freshId: string): Promise<{ resourceId: string; tookOver: boolean }> {
  const common = {
    Key: { pk: id, sk: id },
    ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
    ReturnValues: 'ALL_NEW' as const,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  const lease = { ':inProgress': 'in_progress', ':fp': fingerprint, ':lease': now + LEASE_SECONDS, ':now': now, ':attempt': freshId };
  try {
    const out = await store.update({
      ...common,
      UpdateExpression:
        'SET #state = :inProgress, fingerprint = :fp, leaseUntil = :lease, expiresAt = :expires, resourceId = :rid, attempt = :attempt REMOVE #response',
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ...lease, ':expires': now + IDEMPOTENCY_TTL_SECONDS, ':rid': freshId },
    });
    return { resourceId: String(out.Attributes?.resourceId), tookOver: false };
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
    const own = ownLeaseRefusing(err, freshId);
    if (own) return { resourceId: own.resourceId, tookOver: false };
  }
  try {
    const out = await store.update({
      ...common,
      // The record's 24 h start again: a retry taking over late in them (a phone offline for a day)
      // would otherwise complete an answer that expires minutes later, and its own retry would run again.
      UpdateExpression: 'SET leaseUntil = :lease, expiresAt = :expires, resourceId = if_not_exists(resourceId, :rid), attempt = :attempt',
      ConditionExpression: '#state = :inProgress AND leaseUntil < :now AND fingerprint = :fp AND attribute_not_exists(#response)',
      ExpressionAttributeValues: { ...lease, ':expires': now + IDEMPOTENCY_TTL_SECONDS, ':rid': freshId },
    });
    return { resourceId: String(out.Attributes?.resourceId), tookOver: true };
  } catch (err) {
    const own = isConditionFailed(err) ? ownLeaseRefusing(err, freshId) : undefined;
    if (own) return { resourceId: own.resourceId, tookOver: true };
    throw err;
  }
}

/**
 * The record that refused a lease's write (ALL_OLD), when it is the lease this very attempt
 * wrote (its `attempt` mark; a lease another attempt wrote since carries that one's): the write
 * committed, and its answer was lost and the write sent again.
 */
function ownLeaseRefusing(err: unknown, attempt: string): { resourceId: string } | undefined {
  const record = refusingItem(err);
  if (record?.attempt !== attempt || record.state !== 'in_progress' || record.response !== undefined) return undefined;
  return { resourceId: String(record.resourceId) };
}

/** Lets the same request take the key over now (keeping its reserved resource id); not a retry's lease that took it over. */
async function endLease(store: ModuleStore, lease: Lease) {
  await store.update({
    Key: { pk: lease.id, sk: lease.id },
    UpdateExpression: 'SET leaseUntil = :ended',
    ConditionExpression: OWN_LEASE,
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':ended': 0, ...ownLeaseValues(lease) },
  });
}

/** One attempt's lease: the key's record, the request's fingerprint, and the lease's end it wrote. */
interface Lease {
  id: string;
  fingerprint: string;
  until: number;
}

/**
 * The record is still this attempt's lease: in progress, same request, and the lease's end it
 * wrote (a takeover by a retry after LEASE_SECONDS writes a later one). Every write of an attempt
 * after its handler ran is conditioned on it, so an attempt overtaken by its retry neither
 * completes, deletes nor ends the retry's lease.
 */
const OWN_LEASE = '#state = :inProgress AND fingerprint = :fp AND leaseUntil = :ownLease';
const ownLeaseValues = (lease: Lease) => ({ ':inProgress': 'in_progress', ':fp': lease.fingerprint, ':ownLease': lease.until });
