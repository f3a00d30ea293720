import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '@budgeting/platform';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import { SecretSealer, sealerFromBase64 } from '../../../packages/webhooks/src/domain/secret-sealer';
import { resealSecretsJob } from '../../../packages/webhooks/src/jobs/reseal-secrets-job';
import { LegacySecrets } from '../../../packages/webhooks/src/repository/legacy-secrets';
import { addExpense, as, createBudget, signUp, type Actor, type CreatedBudget } from '../../support/actors';
import { busEvent, tableItems, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { startReceiver, type Receiver, type Received } from './receiver';

/**
 * The one-off job `webhooks-reseal-secrets` on DynamoDB Local: webhook items written before
 * secrets were sealed (a plain `secret`, maybe a plain `previousSecret`) are sealed in place,
 * still sign deliveries that verify with `standardwebhooks` under the same secrets, a second
 * run changes nothing, and a rotation between the job's read and its write is never
 * overwritten. The clock is real because `Webhook.verify` refuses timestamps five minutes off.
 */
const JOB = 'webhooks-reseal-secrets';
const WEBHOOK_SK = /^webhooks#webhook#/;
let t: TestSystem;
let receiver: Receiver;
let alice: Actor;
let budget: CreatedBudget;
const ctx = () => ({ logger: t.system.deps.logger });
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  t = await createTestSystem({ clock: systemClock, env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' } });
  receiver = await startReceiver();
  alice = await signUp(t.app, 'alice');
  budget = await createBudget(t.app, alice);
});
afterAll(async () => {
  await t?.destroy();
  await receiver?.close();
});

async function register(path: string): Promise<{ id: string; secret: string }> {
  const res = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: receiver.url(path), eventTypes: ['expense.recorded'] } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function webhookItems(): Promise<Record<string, any>[]> {
  return (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === 'webhook' && WEBHOOK_SK.test(String(i.sk)));
}

async function webhookItem(id: string): Promise<Record<string, any>> {
  const found = (await webhookItems()).filter((i) => i.id === id);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Rewrites the webhook's item as the module stored it before secrets were sealed. */
async function makeLegacy(id: string, secret: string, previous: { secret: string; expiresAt: string } | null) {
  const { sealedSecret: _s, sealedPreviousSecret: _p, ...rest } = await webhookItem(id);
  const item = { ...rest, secret, previousSecret: previous?.secret ?? null, previousSecretExpiresAt: previous?.expiresAt ?? null };
  await t.doc.send(new PutCommand({ TableName: t.tableName, Item: item }));
}

async function recordAndDeliver() {
  const expense = await addExpense(t.app, alice, budget.id, { amount: 42, occurredOn: '2026-11-20' });
  await createBusDelivery(t.system)(busEvent(await theEvent(t, 'expense.recorded', { expenseId: expense.id })));
  await t.system.webhooks.localQueue!.idle();
}

function verified(secret: string, r: Received) {
  const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
  return new Webhook(secret).verify(r.body, headers);
}

function expectSealed(item: Record<string, any>) {
  expect(JSON.stringify(item)).not.toContain('whsec_');
  expect(item).not.toHaveProperty('secret');
  expect(item).not.toHaveProperty('previousSecret');
  expect(item.sealedSecret).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
}

const legacySecrets = (pageItems?: number, sealer: SecretSealer = sealerFromBase64(t.system.config.webhookSecretsKey)) =>
  new LegacySecrets(t.system.deps.storeFor('webhooks'), sealer, pageItems);

describe('the webhooks-reseal-secrets job', { timeout: 90_000 }, () => {
  it('seals legacy plain items in place; they still sign verifiable deliveries; a second run changes nothing', async () => {
    const plain = await register('/plain');
    const withPrevious = await register('/previous');
    const sealed = await register('/sealed');
    const plainSecret = newSecret();
    const current = newSecret();
    const previous = newSecret();
    await makeLegacy(plain.id, plainSecret, null);
    await makeLegacy(withPrevious.id, current, { secret: previous, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const before = new Map((await webhookItems()).map((i) => [i.id, i]));
    expect(before.get(plain.id)!.secret).toBe(plainSecret);

    await t.system.jobs.plan(JOB, new Date(), ctx());

    const after = new Map((await webhookItems()).map((i) => [i.id, i]));
    for (const id of [plain.id, withPrevious.id]) {
      expectSealed(after.get(id)!);
      // The webhook itself did not change: same version (ETag), same fields.
      const { secret: _s, previousSecret: _p, ...kept } = before.get(id)!;
      const { sealedSecret: _ss, sealedPreviousSecret: _sp, ...now } = after.get(id)!;
      expect(now).toEqual(kept);
    }
    expect(after.get(plain.id)!.sealedPreviousSecret).toBeNull();
    expect(after.get(withPrevious.id)!.sealedPreviousSecret).toMatch(/^v1\./);
    expect(after.get(sealed.id)).toEqual(before.get(sealed.id)); // already sealed: untouched

    await recordAndDeliver();
    const [toPlain] = receiver.on('/plain');
    const [toPrevious] = receiver.on('/previous');
    const [toSealed] = receiver.on('/sealed');
    expect(() => verified(plainSecret, toPlain!)).not.toThrow();
    expect(() => verified(newSecret(), toPlain!)).toThrow();
    expect(() => verified(current, toPrevious!)).not.toThrow();
    expect(() => verified(previous, toPrevious!)).not.toThrow();
    expect(() => verified(sealed.secret, toSealed!)).not.toThrow();

    // Again: every seal has a fresh IV, so any rewrite would show; nothing is rewritten.
    const sealedOnce = await webhookItems();
    await t.system.jobs.plan(JOB, new Date(), ctx());
    expect(await webhookItems()).toEqual(sealedOnce);
  });

  it('never overwrites a rotation made between its read and its write', async () => {
    const hook = await register('/rotated');
    const legacySecret = newSecret();
    await makeLegacy(hook.id, legacySecret, null);

    // The job's read: the legacy item as a page finds it.
    const legacy = legacySecrets();
    const found = [];
    for (let segment = 0; segment < 4; segment++) found.push(...(await legacy.page(segment, 4, undefined)).legacy);
    const read = found.find((i) => i.id === hook.id);
    expect(read?.secret).toBe(legacySecret);

    // A rotation commits before the job writes.
    const rotated = await as(t.app, alice)('POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.status, rotated.text).toBe(200);
    const afterRotation = await webhookItem(hook.id);

    expect(await legacy.reseal(read!)).toBe(false);
    expect(await webhookItem(hook.id)).toEqual(afterRotation);

    await recordAndDeliver();
    const delivered = receiver.on('/rotated').at(-1)!;
    expect(() => verified(rotated.json.secret, delivered)).not.toThrow();
    expect(() => verified(legacySecret, delivered)).not.toThrow(); // the previous secret, for 24 h
  });

  it('pages a segment across units when its time is up, and refuses to seal with a key the table was not sealed with', async () => {
    const hooks = [await register('/paged-1'), await register('/paged-2'), await register('/paged-3')];
    for (const h of hooks) await makeLegacy(h.id, newSecret(), null);

    // The wrong key: the page holds webhooks sealed with the real one, so nothing is sealed.
    const wrong = legacySecrets(undefined, new SecretSealer(randomBytes(32)));
    await expect(wrong.page(0, 1, undefined)).rejects.toThrow('WEBHOOK_SECRETS_KEY is not the key');

    // One segment, two items per page, no time: each unit does one page and queues the rest.
    const job = resealSecretsJob({ legacy: legacySecrets(2), segments: 1 });
    const [first] = (await job.plan!(new Date(), undefined, ctx())).units;
    let unit = first;
    let units = 0;
    let resealed = 0;
    while (unit) {
      const outcome = await job.work(await job.parseUnit(JSON.parse(JSON.stringify(unit))), new Date(), { ...ctx(), deadline: 0 });
      units++;
      resealed += outcome?.done ?? 0;
      unit = outcome?.again;
    }
    expect(units).toBeGreaterThan(2);
    expect(resealed).toBe(3);
    for (const h of hooks) expectSealed(await webhookItem(h.id));
  });
});
