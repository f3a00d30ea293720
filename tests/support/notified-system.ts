import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { App } from '../../packages/app/src/http/create-app';
import { as, signUp, type Actor } from './actors';
import { APNS_APP, snsPush } from './sns-push';
import { createTestSystem, type TestSystem, type TestSystemOptions } from './test-system';

/**
 * How an event reaches people, for the tests that follow one from its write to the person:
 * Amazon SNS push mocked (`push`: snsPush, reset it in a beforeEach, restore it in afterAll) and
 * the webhooks' poster a recorder (`posted`: every delivery's URL and body, answered 204), with
 * the push application configured and local webhook URLs allowed. `start` creates the test system
 * with the file's own options (clock, expenses tuning, more environment).
 */
export function notifiedSystem() {
  const push = snsPush();
  const posted: { url: string; body: string }[] = [];
  return {
    push,
    posted,
    /** The data of the events of `type` the webhooks' poster delivered, in delivery order. */
    postedData: (type: string) =>
      posted
        .map((p) => JSON.parse(p.body) as { type: string; data: { event: { data: Record<string, unknown> } } })
        .filter((p) => p.type === type)
        .map((p) => p.data.event.data),
    start: (options: Omit<TestSystemOptions, 'webhooks'> = {}) =>
      createTestSystem({
        ...options,
        env: { SNS_APNS_APPLICATION_ARN: APNS_APP, WEBHOOK_ALLOW_LOCAL_URLS: 'true', ...options.env },
        webhooks: {
          post: async (url, _headers, body) => {
            posted.push({ url, body });
            return { status: 204, latencyMs: 1, error: null };
          },
        },
      }),
  };
}

/**
 * The preamble of a file that follows an event to its people: notifiedSystem's system started
 * with `options`, and an account per entry of `labels` (its key names it in `accounts`, its value
 * is the signup label), made by a beforeAll that runs before the file's own (`accounts` is filled
 * then) and destroyed after; the push mock reset before each test and restored after the file.
 */
export function notifiedSuite<K extends string>(labels: Record<K, string>, options: Parameters<ReturnType<typeof notifiedSystem>['start']>[0] = {}) {
  const notified = notifiedSystem();
  const accounts = {} as { t: TestSystem } & Record<K, Actor>;
  beforeAll(async () => {
    const t = await notified.start(options);
    const entries = Object.entries(labels) as [K, string][];
    const signed = await Promise.all(entries.map(([, label]) => signUp(t.app, label)));
    Object.assign(accounts, { t }, Object.fromEntries(entries.map(([key], i) => [key, signed[i]])));
  });
  afterAll(async () => {
    notified.push.restore();
    await accounts.t.destroy();
  });
  beforeEach(() => {
    notified.push.reset();
  });
  return { ...notified, accounts };
}

/** An APNs device registered for each `[who, token]` (POST /v1/me/devices as `who`, 201 each). */
export async function addPhones(app: App, phones: readonly (readonly [Actor, string])[]): Promise<void> {
  for (const [who, token] of phones) {
    expect((await as(app, who)('POST', '/v1/me/devices', { body: { platform: 'apns', token } })).status).toBe(201);
  }
}

/** A webhook of `owner` on the budget `budgetId` that picks `eventType` alone (POST /v1/webhooks, 201); its posts go to `posted`. */
export async function budgetWebhook(app: App, owner: Actor, budgetId: string, eventType: string): Promise<void> {
  const hook = await as(app, owner)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', budgetIds: [budgetId], eventTypes: [eventType] } });
  expect(hook.status, hook.text).toBe(201);
}

/** The in-app notifications of `who` of `kind` (GET /v1/notifications, 200), newest first. */
export async function notificationsOfKind(app: App, who: Actor, kind: string): Promise<any[]> {
  const res = await as(app, who)('GET', '/v1/notifications');
  expect(res.status, res.text).toBe(200);
  return (res.json.items as any[]).filter((n) => n.kind === kind);
}
