import { GUARDS, newId, systemClock } from '@budgeting/platform';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { captureLogLines, type LogCapture } from '../../support/log-lines';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { startReceiver, type Receiver, type Received } from './receiver';

/**
 * POST /v1/webhooks/{webhookId}/ping on DynamoDB Local, through the real delivery path: the
 * in-process delivery queue (the stand-in of SQS, same worker), the real HTTP poster and a real
 * receiver on loopback that verifies signatures with the `standardwebhooks` package. The clock
 * is real time: `Webhook.verify` refuses timestamps five minutes away from its own clock.
 * Retry delays are scaled down to milliseconds.
 */
let t: TestSystem;
let alice: Actor;
let bob: Actor;
let receiver: Receiver;
let log: LogCapture;

beforeAll(async () => {
  receiver = await startReceiver();
  t = await createTestSystem({
    clock: systemClock,
    // INFO: the access lines, read from `log` (tests/support/log-lines.ts, which keeps them off the terminal).
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true', LOG_LEVEL: 'INFO' },
    webhooks: { retry: { baseDelayMs: 20, maxDelayMs: 40 } },
  });
  log = captureLogLines();
  [alice, bob] = [await signUp(t.app, 'alice'), await signUp(t.app, 'bob')];
});
afterAll(async () => {
  log?.restore();
  await t?.destroy();
  await receiver?.close();
});

const queued = () => t.system.webhooks.localQueue!.idle();

async function register(who: Actor, path: string, body: Record<string, unknown> = {}) {
  const res = await as(t.app, who)('POST', '/v1/webhooks', { body: { url: receiver.url(path), ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; secret: string };
}

const ping = (who: Actor, webhookId: string, headers: Record<string, string> = {}) => as(t.app, who)('POST', `/v1/webhooks/${webhookId}/ping`, { headers });
const deliveries = async (who: Actor, webhookId: string) => (await as(t.app, who)('GET', `/v1/webhooks/${webhookId}/deliveries`)).json.items as any[];

/** The payload after checking its signature with the package's own verifier. */
function verified(secret: string, r: Received): any {
  const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
  return new Webhook(secret).verify(r.body, headers);
}

describe('POST /v1/webhooks/{webhookId}/ping', { timeout: 20_000 }, () => {
  it('sends a signed webhook.ping despite the filters, records it as a delivery, and redelivers it', async () => {
    const budget = await createBudget(t.app, alice);
    const hook = await register(alice, '/filtered', { budgetIds: [budget.id], eventTypes: ['expense.recorded'] });

    const res = await ping(alice, hook.id);
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('location')).toBeNull(); // a delivery has no URL of its own
    expect(res.json).toMatchObject({ id: expect.stringMatching(/^msg_[0-9A-Z]{26}$/), eventType: 'webhook.ping', budgetId: null, sequence: null, status: 'pending', attempts: [] });
    await queued();

    const [got] = receiver.on('/filtered');
    expect(receiver.on('/filtered')).toHaveLength(1);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['webhook-id']).toBe(res.json.id);
    const payload = verified(hook.secret, got!);
    expect(payload).toEqual({ type: 'webhook.ping', timestamp: expect.any(String), data: { webhookId: hook.id, message: expect.stringContaining('test event') } });
    expect(() => verified('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', got!)).toThrow(); // signed with this webhook's secret, not just any

    const [listed] = await deliveries(alice, hook.id);
    expect(listed).toMatchObject({ id: res.json.id, eventType: 'webhook.ping', eventId: res.json.id, budgetId: null, sequence: null, status: 'delivered' });
    expect(listed.attempts.map((a: any) => [a.attempt, a.responseStatus, a.redelivery])).toEqual([[1, 204, false]]);

    const again = await as(t.app, alice)('POST', `/v1/webhooks/${hook.id}/deliveries/${res.json.id}/redeliver`);
    expect(again.status, again.text).toBe(202);
    await queued();
    const redelivered = receiver.on('/filtered')[1]!;
    expect(redelivered.headers['webhook-id']).toBe(res.json.id);
    expect(redelivered.body).toBe(got!.body);
    expect(verified(hook.secret, redelivered).type).toBe('webhook.ping');
    expect((await deliveries(alice, hook.id))[0].attempts.at(-1)).toMatchObject({ attempt: 2, responseStatus: 204, redelivery: true });
  });

  it('the delivery log in pages: the page holding the oldest delivery has no cursor, also when it is full', async () => {
    const hook = await register(alice, '/paged');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.unshift((await ping(alice, hook.id)).json.id);
    await queued();
    const page = (query: string) => as(t.app, alice)('GET', `/v1/webhooks/${hook.id}/deliveries${query}`);
    const exact = await page('?limit=2');
    expect(exact.status, exact.text).toBe(200);
    expect(exact.json.items.map((d: any) => d.id)).toEqual(ids);
    expect(exact.json.nextCursor).toBeNull();
    const first = await page('?limit=1');
    expect(first.json.items.map((d: any) => d.id)).toEqual([ids[0]]);
    const second = await page(`?limit=1&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.items.map((d: any) => d.id)).toEqual([ids[1]]);
    expect(second.json.nextCursor).toBeNull();
  });

  it('signs with the current secret (and the previous one during a rotation), as every delivery', async () => {
    const hook = await register(alice, '/rotated');
    const rotated = await as(t.app, alice)('POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.status, rotated.text).toBe(200);
    expect((await ping(alice, hook.id)).status).toBe(202);
    await queued();
    const [got] = receiver.on('/rotated');
    expect(verified(rotated.json.secret, got!).type).toBe('webhook.ping');
    expect(verified(hook.secret, got!).type).toBe('webhook.ping');
    expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('a keyed rotation (its answer committed with it) keeps the previous secret signing as an unkeyed one does', async () => {
    const hook = await register(alice, '/rotated-keyed');
    const rotated = await as(t.app, alice)('POST', `/v1/webhooks/${hook.id}/rotate-secret`, { headers: { 'idempotency-key': newId(Date.now()) } });
    expect(rotated.status, rotated.text).toBe(200);
    expect(Date.parse(rotated.json.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect((await ping(alice, hook.id)).status).toBe(202);
    await queued();
    const [got] = receiver.on('/rotated-keyed');
    expect(verified(rotated.json.secret, got!).type).toBe('webhook.ping');
    expect(verified(hook.secret, got!).type).toBe('webhook.ping');
    expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('retries a failing receiver with the same backoff and webhook-id as other deliveries', async () => {
    receiver.answer = (path, n) => (path === '/flaky' && n <= 2 ? 500 : 204);
    const hook = await register(alice, '/flaky');
    const res = await ping(alice, hook.id);
    expect(res.status, res.text).toBe(202);
    await queued();

    const got = receiver.on('/flaky');
    expect(got.map((r) => r.answeredWith)).toEqual([500, 500, 204]);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([res.json.id]));
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    got.forEach((r) => verified(hook.secret, r));
    const [listed] = await deliveries(alice, hook.id);
    expect(listed.status).toBe('delivered');
    expect(listed.attempts.map((a: any) => [a.attempt, a.responseStatus, a.redelivery])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 204, false],
    ]);
  });

  it('replays the same delivery for the same Idempotency-Key and sends nothing more', async () => {
    const hook = await register(alice, '/idempotent');
    const first = await ping(alice, hook.id, { 'idempotency-key': 'ping-1' });
    expect(first.status, first.text).toBe(202);
    await queued();
    const replay = await ping(alice, hook.id, { 'idempotency-key': 'ping-1' });
    expect(replay.status, replay.text).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.id).toBe(first.json.id);
    await queued();
    expect(receiver.on('/idempotent')).toHaveLength(1);
    expect(await deliveries(alice, hook.id)).toHaveLength(1);
    // Another key is another ping.
    expect((await ping(alice, hook.id, { 'idempotency-key': 'ping-2' })).json.id).not.toBe(first.json.id);
  });

  it("is a 404 for another user's webhook (and for one that does not exist), and sends nothing", async () => {
    const hook = await register(alice, '/private');
    expectProblem(await ping(bob, hook.id), 404);
    expectProblem(await ping(bob, hook.id, { 'idempotency-key': 'bob-1' }), 404);
    expectProblem(await ping(alice, '01JDQ5A1B2C3D4E5F6G7H8J9K0'), 404);
    await queued();
    expect(receiver.on('/private')).toEqual([]);
    expect(await deliveries(alice, hook.id)).toEqual([]);
  });

  it('allows 10 pings per webhook per hour, also sent at once, then 429 with Retry-After (its access line names the guard); other webhooks keep theirs', async () => {
    const hook = await register(alice, '/limited');
    // Twelve at once: the count is one atomic ADD each, so exactly ten get through.
    log.clear();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => ping(alice, hook.id, { 'x-request-id': `ping-${i}` })));
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(10).fill(202), 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expectProblem(refused, 429);
    // The problem every 429 of the API is; which limit refused is the access line's `refusedBy`.
    expect(refused.json).toMatchObject({ type: expect.stringMatching(/\/too-many-requests$/), detail: expect.stringContaining('10 pings per webhook per hour') });
    const refusedLines = log.lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'request refused' && String(l.requestId).startsWith('ping-'));
    expect(refusedLines).toMatchObject([
      { status: 429, refusedBy: GUARDS.webhookPingLimit },
      { status: 429, refusedBy: GUARDS.webhookPingLimit },
    ]);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    await queued();
    expect(receiver.on('/limited')).toHaveLength(10);
    expect(await deliveries(alice, hook.id)).toHaveLength(10);
    const other = await register(alice, '/unlimited');
    expect((await ping(alice, other.id)).status).toBe(202);
  });

  it('a ping whose count committed but whose answer was lost (the SDK sent the ADD again) is counted once: the webhook keeps its ten', async () => {
    const hook = await register(alice, '/lost-count');
    const pingCount = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes(hook.id) && input.includes('ADD #count') && input.includes('"#count":"pings"');
    const { result: first, resent } = await withFirstAnswerLost(t.doc, pingCount, () => ping(alice, hook.id));
    expect(resent).toBe(true);
    expect(first.status, first.text).toBe(202);
    const rest = [];
    for (let i = 0; i < 9; i++) rest.push((await ping(alice, hook.id)).status);
    expect(rest).toEqual(Array(9).fill(202));
    expectProblem(await ping(alice, hook.id), 429);
    await queued();
  });

  it('pings a disabled webhook without enabling it; webhook.ping is not a subscribable event type', async () => {
    const hook = await register(alice, '/disabled');
    const off = await as(t.app, alice)('PATCH', `/v1/webhooks/${hook.id}`, { body: { enabled: false } });
    expect(off.status, off.text).toBe(200);
    expect((await ping(alice, hook.id)).status).toBe(202);
    await queued();
    expect(verified(hook.secret, receiver.on('/disabled')[0]!).type).toBe('webhook.ping');
    expect((await as(t.app, alice)('GET', `/v1/webhooks/${hook.id}`)).json).toMatchObject({ status: 'disabled', disabledReason: 'Disabled by its owner.' });
    expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: receiver.url('/x'), eventTypes: ['webhook.ping'] } }), 400, ['eventTypes.0']);
  });
});
