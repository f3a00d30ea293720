import { etagFor, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A keyed secret rotation whose answer was lost: the process died right after the rotation was
 * written (tests/support/crash-after-commit.ts). A retry that ran again once the lease was over
 * rotated a second time: the secret its client was given replaced one nobody ever saw, and the
 * secret the receiver still holds lost its 24 h of grace at once. The rotation's key is completed
 * with the 200 (sealed) INSIDE the rotation's transaction (platform keyCompletion), so the retry
 * replays it.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let alice: Actor;
let crash: ReturnType<typeof crashAfterCommit>;
beforeAll(async () => {
  t = await createTestSystem({ clock, env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' } });
  crash = crashAfterCommit(t.doc);
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

describe('a keyed secret rotation whose answer was lost (crash after the commit)', () => {
  it('retried once the lease ran out: the first 200 (its secret, its ETag), rotated once', async () => {
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['expense.recorded'] } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const key = appKeys(clock)('rotate');
    const rotate = () => as(t.app, alice)('POST', `/v1/webhooks/${id}/rotate-secret`, { headers: { 'idempotency-key': key } });

    const lost = await crash.during(rotate);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    expect((await as(t.app, alice)('GET', `/v1/webhooks/${id}`)).headers.get('etag')).toBe(etagFor(2));

    clock.advance(61_000);
    const retry = await rotate();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('etag')).toBe(etagFor(2));
    expect(retry.json.secret).toMatch(/^whsec_/);
    expect(retry.json.secret).not.toBe(created.json.secret);
    // One rotation: the webhook is still at the version it wrote.
    const now = await as(t.app, alice)('GET', `/v1/webhooks/${id}`);
    expect(now.headers.get('etag')).toBe(etagFor(2));
    const { secret: _secret, previousSecretExpiresAt: _grace, ...shown } = retry.json;
    expect(now.json).toEqual(shown);
  });
});
