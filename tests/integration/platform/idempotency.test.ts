import { ModuleStore, fixedClock, idempotency } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/** The Idempotency-Key middleware on a bare route that counts how often it really ran. */
let t: TestSystem;
let runs = 0;
/** The resource id the middleware reserved for each run of the handler. */
let reservedIds: (string | undefined)[] = [];
let release: (() => void) | undefined;
const clock = fixedClock('2026-11-24T12:00:00Z');

function app() {
  const router = createRouter();
  router.use('*', async (c, next) => {
    c.set('userId', c.req.header('x-user') ?? 'u1');
    await next();
  });
  router.use('*', idempotency(new ModuleStore('idempotency', t.doc, t.tableName), clock));
  router.post('/things', async (c) => {
    runs++;
    reservedIds.push(c.get('idempotentResourceId'));
    const body = await c.req.json();
    if (body.slow) await new Promise<void>((r) => (release = r));
    if (body.fail) return c.json({ error: 'nope' }, 400);
    if (body.unavailable && runs === 1) return c.json({ error: 'try again' }, 503);
    if (body.crash && runs === 1) throw new Error('lost the connection after the commit');
    if (body.unavailable || body.crash) return c.json({ id: c.get('idempotentResourceId') }, 201);
    return c.json({ id: `thing-${runs}`, ...body }, 201, { Location: `/things/${runs}` });
  });
  router.onError((err, c) => c.json({ status: (err as { status?: number }).status ?? 500 }, ((err as { status?: number }).status ?? 500) as 400));
  return router;
}

const post = (a: ReturnType<typeof app>, body: unknown, key?: string, user?: string) =>
  a.request('/things', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}), ...(user ? { 'x-user': user } : {}) },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  t = await createTestSystem();
});
afterAll(() => t.destroy());

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body', async () => {
    const a = app();
    runs = 0;
    const first = await post(a, { n: 1 }, 'key-1');
    const second = await post(a, { n: 1 }, 'key-1');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(runs).toBe(1);
  });

  it('refuses the same key with a different body (422)', async () => {
    const a = app();
    await post(a, { n: 1 }, 'key-2');
    const res = await post(a, { n: 2 }, 'key-2');
    expect(res.status).toBe(422);
  });

  it('answers 409 while the first request is still running', async () => {
    const a = app();
    const first = post(a, { slow: true }, 'key-3');
    await new Promise((r) => setTimeout(r, 200));
    const second = await post(a, { slow: true }, 'key-3');
    expect(second.status).toBe(409);
    release?.();
    expect((await first).status).toBe(201);
  });

  it('does not keep failed attempts, so a corrected retry runs', async () => {
    const a = app();
    runs = 0;
    expect((await post(a, { fail: true }, 'key-4')).status).toBe(400);
    expect((await post(a, { fail: true }, 'key-4')).status).toBe(400);
    expect(runs).toBe(2);
  });

  it.each([['a 5xx answer', 'unavailable'], ['an exception', 'crash']])(
    'after %s, keeps the key and its reserved id for the same body (the write may have committed), refusing another body',
    async (_label, flag) => {
      const a = app();
      runs = 0;
      reservedIds = [];
      const first = await post(a, { [flag]: true }, `key-${flag}`);
      expect(first.status).toBeGreaterThanOrEqual(500);
      expect((await post(a, { [flag]: true, other: 1 }, `key-${flag}`)).status).toBe(422);
      const retry = await post(a, { [flag]: true }, `key-${flag}`);
      expect(retry.status).toBe(201);
      expect(runs).toBe(2);
      // The retry ran with the id the first attempt had reserved, and is replayed from now on.
      expect(reservedIds).toHaveLength(2);
      expect(reservedIds[0]).toEqual(expect.any(String));
      expect(reservedIds[1]).toBe(reservedIds[0]);
      expect(((await retry.json()) as { id: string }).id).toBe(reservedIds[0]);
      expect((await post(a, { [flag]: true }, `key-${flag}`)).headers.get('idempotent-replayed')).toBe('true');
    },
  );

  it('a retry that takes the key over late in its 24 h keeps its answer 24 h from then, so a later retry is still replayed', async () => {
    const a = app();
    runs = 0;
    clock.set('2026-11-24T12:00:00Z');
    try {
      expect((await post(a, { crash: true }, 'key-late')).status).toBe(500);
      // The phone was offline for almost a day; its retry takes the key over and completes it.
      clock.set('2026-11-25T11:59:00Z');
      expect((await post(a, { crash: true }, 'key-late')).status).toBe(201);
      // Its answer was lost too; it retries five minutes later: the same request, replayed.
      clock.set('2026-11-25T12:04:00Z');
      const again = await post(a, { crash: true }, 'key-late');
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(runs).toBe(2);
    } finally {
      clock.set('2026-11-24T12:00:00Z');
    }
  });

  it("a lease whose write committed but whose answer was lost (the SDK sent it again and met the lease it took) runs the request, not a 409 'still in progress'", async () => {
    const a = app();
    runs = 0;
    const key = `lost-answer-${Math.random().toString(36).slice(2, 10)}`;
    // The lease's first write (its condition is a fresh key's; the key is hashed into the record's pk).
    const fresh = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes('idempotency#') && input.includes('attribute_not_exists(pk) OR expiresAt < :now');
    const { result: first, resent } = await withFirstAnswerLost(t.doc, fresh, async () => post(a, { n: 1 }, key));
    expect(resent).toBe(true);
    expect(first.status).toBe(201);
    expect(runs).toBe(1);
    // The key is this request's: its retry is the same answer, replayed, and nothing runs again.
    const retry = await post(a, { n: 1 }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
    expect(runs).toBe(1);
  });

  it('a retry taking over a failed attempt\'s lease, whose takeover committed but whose answer was lost, runs with the reserved id, not a 409', async () => {
    const a = app();
    runs = 0;
    reservedIds = [];
    const key = `lost-takeover-${Math.random().toString(36).slice(2, 10)}`;
    expect((await post(a, { crash: true }, key)).status).toBeGreaterThanOrEqual(500);
    const takeover = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes('idempotency#') && input.includes('leaseUntil < :now AND fingerprint = :fp');
    const { result: retry, resent } = await withFirstAnswerLost(t.doc, takeover, async () => post(a, { crash: true }, key));
    expect(resent).toBe(true);
    expect(retry.status).toBe(201);
    expect(runs).toBe(2);
    expect(reservedIds[1]).toBe(reservedIds[0]);
    expect(((await retry.json()) as { id: string }).id).toBe(reservedIds[0]);
  });

  it('scopes keys per caller', async () => {
    const a = app();
    runs = 0;
    await post(a, { n: 1 }, 'shared', 'alice');
    const bob = await post(a, { n: 1 }, 'shared', 'bob');
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(runs).toBe(2);
  });

  it('rejects a malformed key naming the header', async () => {
    const res = await post(app(), { n: 1 }, 'has space');
    expect(res.status).toBe(400);
  });

  it('lets exactly one of many concurrent identical requests run', async () => {
    const a = app();
    runs = 0;
    const results = await Promise.all(Array.from({ length: 20 }, () => post(a, { n: 9 }, 'key-race')));
    const statuses = results.map((r) => r.status);
    expect(runs).toBe(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const replay = await post(a, { n: 9 }, 'key-race');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });
});
