import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoster } from '../../../packages/webhooks/src/service/http-poster';
import { as, signUp, type Actor } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import type { DeliveryMessage } from '@budgeting/webhooks';

/**
 * An endpoint that answers with `Retry-After` (a 503 or 429 while it is overloaded or down for
 * maintenance): Standard Webhooks ("Delivery success and failure") has the sender take it "into
 * consideration when scheduling the next attempt". The real poster reads it off the answer
 * (RFC 9110 10.2.3: seconds or an HTTP-date), and the worker waits at least that long (within
 * the backoff's longest wait) instead of its own backoff alone (20 to 40 ms here).
 */
let t: TestSystem;
let alice: Actor;
let answer: { status: number; retryAfterMs?: number } = { status: 204 };
let server: Server;

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    webhooks: { retry: { baseDelayMs: 20, maxDelayMs: 60 * 60 * 1000 }, post: async () => ({ ...answer, latencyMs: 1, error: null }) },
  });
  alice = await signUp(t.app, 'alice');
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(503, { 'retry-after': req.url === '/date' ? new Date(Date.now() + 90_000).toUTCString() : '120' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t?.destroy();
});

describe("an endpoint's Retry-After", { timeout: 60_000 }, () => {
  it('is read off the answer by the poster, as seconds or as an HTTP-date', async () => {
    const post = createPoster({ mode: 'local' });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const seconds = await post(`${base}/seconds`, {}, '{}');
    expect(seconds).toMatchObject({ status: 503, retryAfterMs: 120_000 });
    const date = await post(`${base}/date`, {}, '{}');
    expect(date.status).toBe(503);
    // An HTTP-date has whole seconds: 89 to 90 s from the request.
    expect(date.retryAfterMs).toBeGreaterThan(88_000);
    expect(date.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it("puts the next attempt no sooner than the endpoint asked, and its own backoff when the answer names none", async () => {
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.status, hook.text).toBe(201);
    const queue = t.system.webhooks.localQueue!;
    const send = queue.send;
    const queued: { message: DeliveryMessage; delayMs: number }[] = [];
    queue.send = async (message, delayMs) => void queued.push({ message, delayMs });
    try {
      const ping = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/ping`);
      expect(ping.status, ping.text).toBe(202);
      const ctx = { logger: t.system.deps.logger };
      answer = { status: 503, retryAfterMs: 600_000 };
      await t.system.webhooks.deliver(queued.shift()!.message, ctx);
      expect(queued.map((q) => q.delayMs)).toEqual([600_000]);
      const listed = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items[0];
      expect(Date.parse(listed.nextAttemptAt) - t.clock.now().getTime()).toBe(600_000);

      // The next failure names none: the backoff's own wait (its 2nd: 40 ms).
      answer = { status: 503 };
      await t.system.webhooks.deliver(queued.shift()!.message, ctx);
      expect(queued.map((q) => q.delayMs)).toEqual([40]);
    } finally {
      queue.send = send;
      answer = { status: 204 };
    }
  });
});
