import { alreadyProcessed, inboxPut, ModuleStore, transactOnce, withInbox } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/** The subscriber inbox on DynamoDB Local: the same event twice leaves the state of once. */
let t: TestSystem;
let store: ModuleStore;
beforeAll(async () => {
  t = await createTestSystem();
  store = new ModuleStore('inboxtest', t.doc, t.tableName);
});
afterAll(() => t.destroy());

const counter = (name: string) => ({ pk: store.key('counter', name), sk: store.key('counter') });
const bump = (name: string) => [
  { Update: { Key: counter(name), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
];
const read = async (name: string) => (await store.get<{ n: number }>({ Key: counter(name), ConsistentRead: true }))?.n ?? 0;

describe('subscriber inbox', { timeout: 60_000 }, () => {
  it('transactOnce commits the effect and the inbox item together, once per event', async () => {
    expect(await transactOnce(store, 'sub-a', { id: 'ev-1' }, t.clock, () => bump('a'))).toBe('processed');
    expect(await transactOnce(store, 'sub-a', { id: 'ev-1' }, t.clock, () => bump('a'))).toBe('duplicate');
    expect(await transactOnce(store, 'sub-a', { id: 'ev-2' }, t.clock, () => bump('a'))).toBe('processed');
    expect(await read('a')).toBe(2);
    // Inboxes are per subscription: another subscriber of the same event processes it too.
    expect(await transactOnce(store, 'sub-b', { id: 'ev-1' }, t.clock, () => bump('b'))).toBe('processed');
    expect(await read('b')).toBe(1);
  });

  it('lets exactly one of two concurrent deliveries of the same event win', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => transactOnce(store, 'sub-c', { id: 'ev-race' }, t.clock, () => bump('c'))),
    );
    expect(results.filter((r) => r === 'processed')).toHaveLength(1);
    expect(await read('c')).toBe(1);
  });

  it('stores the inbox item under the subscriber prefix with a TTL', async () => {
    await store.transactWrite([inboxPut(store, 'sub-d', 'ev-9', t.clock)]);
    const item = await store.get({ Key: { pk: 'inboxtest#inbox#sub-d#ev-9', sk: 'inboxtest#inbox' } });
    expect(item).toMatchObject({ kind: 'inbox', subscription: 'sub-d', eventId: 'ev-9', processedAt: t.clock.now().toISOString() });
    expect(item!.expiresAt).toBeGreaterThan(Math.floor(t.clock.now().getTime() / 1000) + 7 * 86400);
    expect(await alreadyProcessed(store, 'sub-d', 'ev-9')).toBe(true);
    expect(await alreadyProcessed(store, 'sub-d', 'ev-10')).toBe(false);
  });

  it('withInbox skips an event it already handled', async () => {
    let calls = 0;
    const handle = withInbox(store, 'sub-e', t.clock, async (_event: { id: string }, _ctx: unknown) => {
      calls++;
    });
    await handle({ id: 'ev-1' }, {});
    await handle({ id: 'ev-1' }, {});
    await handle({ id: 'ev-2' }, {});
    expect(calls).toBe(2);
  });

  it('withInbox does not record an event whose handler failed, so the retry runs it', async () => {
    let attempts = 0;
    const handle = withInbox(store, 'sub-f', t.clock, async () => {
      if (++attempts === 1) throw new Error('boom');
    });
    await expect(handle({ id: 'ev-1' }, {})).rejects.toThrow('boom');
    await handle({ id: 'ev-1' }, {});
    expect(attempts).toBe(2);
    expect(await alreadyProcessed(store, 'sub-f', 'ev-1')).toBe(true);
  });
});
