import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Clock } from '../clock';
import { epochSeconds } from '../clock';
import { isConditionFailed, type ModuleStore } from '../dynamo/module-store';
import type { AppEnv } from './app-env';
import { problems } from './problem';

/**
 * Idempotency-Key for creating POSTs (SPEC "Retries"), kept in the one table under the kernel's
 * own `idempotency#` prefix.
 *
 * - First request with a key: a lease record is written with a condition (so exactly one
 *   concurrent request wins), the handler runs, and a 2xx response is stored for 24 h (TTL).
 * - Same key + same body afterwards: the stored response is replayed with
 *   `Idempotent-Replayed: true`. Same key + different body: 422. Still running: 409.
 * - A failed attempt (4xx/5xx/exception) releases the key, so the client can retry it.
 * - The lease is short: if the process died mid-request, the key becomes usable again after
 *   LEASE_SECONDS instead of blocking the client for a day.
 *
 * Hand-written rather than Powertools' idempotency utility because that utility ties the
 * in-progress expiry to a Lambda context (absent in the local server) and stores the record
 * under keys that cannot carry our per-owner key prefixes.
 */
const TTL_SECONDS = 24 * 60 * 60;
const LEASE_SECONDS = 60;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface IdempotencyRecord {
  pk: string;
  sk: string;
  state: 'in_progress' | 'completed';
  fingerprint: string;
  leaseUntil: number;
  expiresAt: number;
  response?: { status: number; headers: Record<string, string>; body: string };
}

const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

export function idempotency(store: ModuleStore, clock: Clock) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw problems.validation([
        { path: 'header.Idempotency-Key', message: 'Must be 1..255 visible ASCII characters (a UUID is ideal)' },
      ]);
    }
    // Scoped to the caller and the route, so two users (or two routes) can never collide.
    const scope = `${c.get('userId') ?? 'anonymous'}|${c.req.method}|${c.req.path}|${key}`;
    const id = store.key('key', sha256(scope));
    const body = await c.req.text();
    const fingerprint = sha256(`${c.req.header('content-type') ?? ''}\n${body}`);
    const now = epochSeconds(clock.now());

    try {
      const lease: IdempotencyRecord = {
        pk: id,
        sk: id,
        state: 'in_progress',
        fingerprint,
        leaseUntil: now + LEASE_SECONDS,
        expiresAt: now + TTL_SECONDS,
      };
      await store.put({
        Item: lease as unknown as Record<string, unknown>,
        // Free, or an abandoned lease (process died) whose time is up, or an expired record
        // that TTL has not swept yet.
        ConditionExpression:
          'attribute_not_exists(pk) OR (#state = :inProgress AND leaseUntil < :now) OR expiresAt < :now',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':inProgress': 'in_progress', ':now': now },
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const existing = await store.get<IdempotencyRecord & Record<string, unknown>>({
        Key: { pk: id, sk: id },
        ConsistentRead: true,
      });
      if (!existing) throw problems.conflict('A request with this Idempotency-Key just finished; retry it.');
      if (existing.fingerprint !== fingerprint) {
        throw problems.unprocessable('This Idempotency-Key was already used with a different request body.');
      }
      if (existing.state === 'in_progress' || !existing.response) {
        throw problems.conflict('A request with this Idempotency-Key is still in progress; retry later.');
      }
      const headers = new Headers(existing.response.headers);
      headers.set('Idempotent-Replayed', 'true');
      return new Response(existing.response.body, { status: existing.response.status, headers });
    }

    let completed = false;
    try {
      await next();
      const res = c.res;
      if (res.status >= 200 && res.status < 300) {
        const stored = res.clone();
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = stored.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        await store.update({
          Key: { pk: id, sk: id },
          UpdateExpression: 'SET #state = :completed, #response = :response',
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':response': { status: res.status, headers, body: await stored.text() },
          },
        });
        completed = true;
      }
    } finally {
      if (!completed) await store.delete({ Key: { pk: id, sk: id } }).catch(() => undefined);
    }
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
