import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { itemsUnder } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The Idempotency-Key records of the routes that show a webhook's secret (creation, rotation),
 * on DynamoDB Local: the record keeps the answer sealed (no `whsec_` value, nor the secret's
 * key bytes, anywhere in it), a retry with the same key still replays the same answer with the
 * same secret, and a sealed answer copied onto another key's record does not open there.
 */
let t: TestSystem;
let alice: Actor;

beforeAll(async () => {
  t = await createTestSystem({ env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' } });
  alice = await signUp(t.app, 'alice');
});
afterAll(async () => {
  await t?.destroy();
});

const body = (path: string) => ({ url: `http://127.0.0.1:9/${path}`, eventTypes: ['expense.recorded'] });

const create = (key: string, path = 'hook') => as(t.app, alice)('POST', '/v1/webhooks', { body: body(path), headers: { 'idempotency-key': key } });
const rotate = (id: string, key: string) => as(t.app, alice)('POST', `/v1/webhooks/${id}/rotate-secret`, { headers: { 'idempotency-key': key } });

/** The idempotency records written by `request` (those that were not there before it). */
async function recordsWrittenBy<T>(request: () => Promise<T>): Promise<{ result: T; records: Record<string, any>[] }> {
  const before = new Set((await itemsUnder(t, 'idempotency#')).map((i) => i.pk));
  const result = await request();
  const records = (await itemsUnder(t, 'idempotency#')).filter((i) => !before.has(i.pk));
  return { result, records };
}

function expectNoSecretIn(record: Record<string, any>, secret: string) {
  const raw = JSON.stringify(record);
  expect(raw).not.toContain('whsec_');
  expect(raw).not.toContain(secret.slice('whsec_'.length));
  expect(record.state).toBe('completed');
  expect(record.response.sealed).toBe(true);
  expect(record.response.body).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
}

describe('sealed Idempotency-Key answers of the webhook routes', { timeout: 60_000 }, () => {
  it('a creation keeps no plain secret in its record, and its retry replays the same secret', async () => {
    const { result: first, records } = await recordsWrittenBy(() => create('create-key-1'));
    expect(first.status, first.text).toBe(201);
    expect(first.json.secret).toMatch(/^whsec_/);
    expect(records).toHaveLength(1);
    expectNoSecretIn(records[0]!, first.json.secret);

    const retry = await create('create-key-1');
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    const listed = await as(t.app, alice)('GET', '/v1/webhooks');
    expect(listed.json.items.filter((w: { id: string }) => w.id === first.json.id)).toHaveLength(1);
  });

  it('a rotation keeps no plain secret in its record, and its retry replays the same new secret', async () => {
    const hook = await create('create-key-2', 'rotated');
    expect(hook.status, hook.text).toBe(201);

    const { result: rotated, records } = await recordsWrittenBy(() => rotate(hook.json.id, 'rotate-key-1'));
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(hook.json.secret);
    expect(records).toHaveLength(1);
    expectNoSecretIn(records[0]!, rotated.json.secret);

    const retry = await rotate(hook.json.id, 'rotate-key-1');
    expect(retry.status, retry.text).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.secret).toBe(rotated.json.secret);
    expect(retry.json).toEqual(rotated.json);
  });

  it('a sealed answer copied onto another key record does not open there (its AAD is the record)', async () => {
    const { result: a, records: [recordA] } = await recordsWrittenBy(() => create('copy-key-a', 'a'));
    const { result: b, records: [recordB] } = await recordsWrittenBy(() => create('copy-key-b', 'b'));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);

    // B's record (same user, same route) now holds A's sealed answer: a retry of B must not
    // be answered with A's secret. Both requests must have the same body, so B's fingerprint
    // matches and the replay reaches the sealed answer.
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...recordB!, fingerprint: recordA!.fingerprint, response: recordA!.response } }));
    const replayB = await as(t.app, alice)('POST', '/v1/webhooks', { body: body('a'), headers: { 'idempotency-key': 'copy-key-b' } });
    expect(replayB.status).toBe(500);
    expect(replayB.text).not.toContain(a.json.secret);
    expect(replayB.text).not.toContain('whsec_');

    // A's own record still opens.
    const replayA = await create('copy-key-a', 'a');
    expect(replayA.status, replayA.text).toBe(201);
    expect(replayA.json.secret).toBe(a.json.secret);
  });
});
