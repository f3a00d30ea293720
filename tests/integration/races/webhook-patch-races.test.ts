import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { holdingFirstWrite } from '../../support/holding-commands';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Two changes of one webhook subscription at once, neither with If-Match (the case a lost
 * update hides in): each reads the webhook, then writes the whole item. The first one's write is
 * held until the second has answered. The invariant: no change a client was told succeeded is
 * overwritten; the late writer is refused (412) and the webhook keeps the answered change.
 * Held at the time of writing (feat/races6): WebhooksRepository.replace and replaceWith are
 * conditioned on the version read.
 */
let t: TestSystem;
let alice: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

const api = () => as(t.app, alice);

async function aWebhook(n: number) {
  const res = await api()('POST', '/v1/webhooks', { body: { url: `https://93.184.215.14/hooks/${n}`, description: 'first' } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

describe('a webhook subscription changed twice at once', { timeout: 120_000 }, () => {
  it('a PATCH written after another PATCH answered is refused (412), the answered change kept', async () => {
    const id = await aWebhook(1);
    let answered: { status: number; json: { description: string } } | undefined;
    // The held PATCH's Put names its description; the other's does not.
    const late = await holdingFirstWrite(
      t,
      'late description',
      async () => {
        answered = await api()('PATCH', `/v1/webhooks/${id}`, { body: { url: 'https://93.184.215.14/hooks/moved' } });
      },
      () => api()('PATCH', `/v1/webhooks/${id}`, { body: { description: 'late description' } }),
    );
    expect(answered?.status).toBe(200);
    expectProblem(late, 412);
    const now = await api()('GET', `/v1/webhooks/${id}`);
    expect([now.json.url, now.json.description]).toEqual(['https://93.184.215.14/hooks/moved', 'first']);
  });

  it('a secret rotation written after a PATCH answered is refused (409), the PATCH kept (no third version)', async () => {
    const id = await aWebhook(2);
    let answered: { status: number } | undefined;
    // The rotation's Put holds the previous secret's expiry; the PATCH's has none.
    const rotated = await holdingFirstWrite(
      t,
      'previousSecretExpiresAt":"2',
      async () => {
        answered = await api()('PATCH', `/v1/webhooks/${id}`, { body: { description: 'patched' } });
      },
      () => api()('POST', `/v1/webhooks/${id}/rotate-secret`),
    );
    expect(answered?.status).toBe(200);
    expectProblem(rotated, 409);
    const now = await api()('GET', `/v1/webhooks/${id}`);
    expect([now.json.description, now.json.version]).toEqual(['patched', 2]);
  });
});
