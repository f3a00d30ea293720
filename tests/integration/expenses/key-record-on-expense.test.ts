import { fixedClock } from '@budgeting/platform';
import { decodeTime, encodeTime } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, readsChangeCounter, type SentCommand } from '../../support/sent-commands';
import { appKeys } from '../../support/app-keys';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { tokenAtClock } from '../../support/actors';

/**
 * POST /expenses with an Idempotency-Key keeps the key's record ON the expense item (the
 * expense's id is derived from the key): no item of its own in the transaction, and the
 * guarantees of a record item still hold through everything that can happen to the expense
 * afterwards: a retry after a PATCH replays the first answer, a retry after a DELETE (within
 * the key's 24 h) replays the first 201 without recording the expense again (the deleted
 * expense's tombstone is seen by no reader), and a key reused after 24 h is a new request.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
let h: Harness;
let owner: User;
let budget: Budget;

beforeAll(async () => {
  h = await createHarness({ clock });
  owner = await h.signup('owner');
  budget = await h.createBudget(owner);
  // A warm container: this process knows the change counters of the shards it will write.
  for (let i = 0; i < 40; i++) await post(`warm-${i}`, { amount: 1, occurredOn: '2026-10-01' });
});
afterAll(() => h.destroy());

const path = () => `/v1/budgets/${budget.id}/expenses`;
/** A create with the app's key for `label` (a ULID: it names the expense), or with no key. */
const post = (label: string | undefined, body: unknown) =>
  h.call('POST', path(), { token: owner.token, body, headers: label === undefined ? {} : { 'idempotency-key': keyOf(label) } });
const postWithKey = (key: string, body: unknown) => h.call('POST', path(), { token: owner.token, body, headers: { 'idempotency-key': key } });
const listed = async () => (await h.listExpenses(budget, owner.token)).map((e: { id: string }) => e.id);
const exported = async () => (await h.call('GET', `${path()}/export`, { token: owner.token })).text;

/** The first sync's ids (every page, `limit` per page) and its serverKnowledge. */
async function fullSync(limit = 100): Promise<{ ids: string[]; knowledge: string }> {
  const ids: string[] = [];
  let since: string | undefined;
  for (;;) {
    const query = `limit=${limit}${since ? `&since=${encodeURIComponent(since)}` : ''}`;
    const res = await h.call('GET', `/v1/budgets/${budget.id}/changes?${query}`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    ids.push(...res.json.expenses.map((e: { id: string }) => e.id));
    since = res.json.serverKnowledge;
    if (!res.json.hasMore) return { ids, knowledge: since! };
  }
}

/** What a delta sync from `since` reports, by expense id. */
async function syncSince(since: string): Promise<Map<string, Record<string, unknown>>> {
  const res = await h.call('GET', `/v1/budgets/${budget.id}/changes?since=${encodeURIComponent(since)}&limit=100`, { token: owner.token });
  expect(res.status, res.text).toBe(200);
  return new Map(res.json.expenses.map((e: { id: string }) => [e.id, e]));
}

/** The items a TransactWriteItems writes (Put, Update, Delete; not ConditionChecks), by pk prefix. */
function writtenItems(sent: SentCommand[]): string[] {
  const transactions = sent.filter((c) => c.name === 'TransactWriteItemsCommand');
  expect(transactions).toHaveLength(1);
  const items = transactions[0]!.input.TransactItems as Record<string, { Item?: { pk: string }; Key?: { pk: string } }>[];
  return items.flatMap((i) => {
    const write = i.Put ?? i.Update ?? i.Delete;
    const pk = write ? (write.Item ?? write.Key)!.pk : undefined;
    return pk === undefined ? [] : [pk.split('#')[0]!];
  });
}

describe('the keyed create', () => {
  it('writes no item more than the same create without a key (the record rides on the expense item)', async () => {
    const body = { amount: 100, occurredOn: '2026-11-02', merchant: 'Count' };
    const plain = await commandsSentDuring(h.t.doc, () => post(undefined, body));
    const keyed = await commandsSentDuring(h.t.doc, () => post('count-items', body));
    expect(plain.result.status, plain.result.text).toBe(201);
    expect(keyed.result.status, keyed.result.text).toBe(201);
    const withKey = writtenItems(keyed.sent);
    expect(withKey).toHaveLength(writtenItems(plain.sent).length);
    expect(withKey.filter((module) => module !== 'expenses')).toEqual([]);
    // The id: a ULID as the push route accepts them, the same for every retry of the key.
    expect(keyed.result.json.id).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  });

  // The "create without `occurredOn`" row of packages/expenses/docs/storage-and-totals.md "What
  // one write costs" (bench/write-cost.ts names the day, as the app does). A category named (here
  // none, explicitly), as the bench's: without the field the categorization rules are read first.
  it('without occurredOn: the access read first (the budget\'s time zone names today), then the same 4 items', async () => {
    const { result, sent } = await commandsSentDuring(h.t.doc, () => post('no-day', { amount: 101, merchant: 'Count', categoryId: null }));
    expect(result.status, result.text).toBe(201);
    expect(result.json.occurredOn).toBe('2026-11-24');
    // Left out: the change counter's GetItem, sent when this process has not written the
    // expense's change shard yet (whether it has depends on which shard the id falls in).
    const counterRead = (c: SentCommand) => c.name === 'GetItemCommand' && readsChangeCounter([c]);
    expect(sent.filter((c) => !counterRead(c)).map((c) => c.name)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    // The expense (holding the key's record), its month's totals, the change counter and entry.
    expect(writtenItems(sent)).toEqual(['expenses', 'expenses', 'expenses', 'expenses']);
  });
});

describe('which keys name the expense', () => {
  const ulidTime = (id: string) => decodeTime(id);

  it('a ULID or UUIDv7 key: the id is a ULID of the key\'s own time, so ids still sort by creation', async () => {
    const ulidKey = keyOf('time-of-key');
    const byUlid = await postWithKey(ulidKey, { amount: 11, occurredOn: '2026-11-02' });
    expect(byUlid.status, byUlid.text).toBe(201);
    expect(ulidTime(byUlid.json.id)).toBe(decodeTime(ulidKey));
    // A UUIDv7 made 10 minutes before the server's now: 48 bits of milliseconds, version 7, variant 10.
    const at = clock.now().getTime() - 10 * 60 * 1000;
    const uuidV7 = `${at.toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7abc-9def-0123456789ab`;
    const byUuid = await postWithKey(uuidV7, { amount: 12, occurredOn: '2026-11-02' });
    expect(byUuid.status, byUuid.text).toBe(201);
    expect(ulidTime(byUuid.json.id)).toBe(at);
    expect((await postWithKey(uuidV7, { amount: 12, occurredOn: '2026-11-02' })).headers.get('idempotent-replayed')).toBe('true');
  });

  it('a key that names no time (a UUIDv4, free text) or one outside the window (a ULID from days ago) keeps its record in an item of its own, and replays', async () => {
    const days = new Date(clock.now().getTime() - 3 * 24 * 60 * 60 * 1000);
    const stale = `${encodeTime(days.getTime(), 10)}ABCDEFGHJKMNPQRS`;
    const plain = await commandsSentDuring(h.t.doc, () => post(undefined, { amount: 13, occurredOn: '2026-11-02' }));
    const plainItems = writtenItems(plain.sent).length;
    for (const key of ['7d3f4c2e-1b5a-4f6e-9a8b-0c1d2e3f4a5b', 'free-text-key', stale]) {
      const body = { amount: 13, occurredOn: '2026-11-02', description: `no time: ${key}` };
      const { result, sent } = await commandsSentDuring(h.t.doc, () => postWithKey(key, body));
      expect(result.status, result.text).toBe(201);
      // One item more than without a key: the key's record, an item of its own.
      expect(writtenItems(sent)).toHaveLength(plainItems + 1);
      const puts = (sent.find((c) => c.name === 'TransactWriteItemsCommand')!.input.TransactItems as { Put?: { Item: { pk: string } } }[]).flatMap(
        (i) => (i.Put ? [i.Put.Item.pk] : []),
      );
      // A key that names no time: a record item of the kernel's. A ULID from days ago: a tombstone
      // under the id it names (no reader sees it), where a retry looks whatever the server's clock.
      expect(puts.filter((pk) => pk.startsWith('idempotency#key#'))).toHaveLength(key === stale ? 0 : 1);
      const items = sent.find((c) => c.name === 'TransactWriteItemsCommand')!.input.TransactItems as { Put?: { Item: Record<string, unknown> } }[];
      const tombstones = items.flatMap((i) => (i.Put?.Item.kind === 'expense-tombstone' ? [i.Put.Item] : []));
      expect(tombstones.map((t) => decodeTime(String(t.sk).split('#').pop()!))).toEqual(key === stale ? [days.getTime()] : []);
      const retry = await postWithKey(key, body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.text).toBe(result.text);
      expect((await h.listExpenses(budget, owner.token)).filter((e) => e.description === body.description)).toHaveLength(1);
    }
  });
});

describe('a retry of a keyed create', () => {
  it('after a PATCH replays the original answer (and the expense keeps its update)', async () => {
    const body = { amount: 2_000, occurredOn: '2026-11-03', description: 'patched later' };
    const first = await post('then-patched', body);
    expect(first.status, first.text).toBe(201);
    const patched = await h.call('PATCH', `${path()}/${first.json.id}`, { token: owner.token, body: { amount: 2_500 } });
    expect(patched.status, patched.text).toBe(200);

    const retry = await post('then-patched', body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('etag')).toBe('"1"');
    expectProblem(await post('then-patched', { ...body, amount: 1 }), 422);

    const now = await h.call('GET', `${path()}/${first.json.id}`, { token: owner.token });
    expect(now.json).toMatchObject({ amount: 2_500, version: 2 });
    expect((await h.listExpenses(budget, owner.token)).filter((e) => e.description === 'patched later')).toHaveLength(1);
    // A second update and a delete still find the record (the first update kept it).
    expect((await h.call('PATCH', `${path()}/${first.json.id}`, { token: owner.token, body: { amount: 2_600 } })).status).toBe(200);
    expect((await post('then-patched', body)).text).toBe(first.text);
  });

  it('after a DELETE replays the first 201 and records nothing again; no reader sees the tombstone', async () => {
    const date = '2026-11-04';
    const { knowledge: before } = await fullSync();
    const spentBefore = await h.spent(budget, owner.token, date);
    const body = { amount: 3_000, occurredOn: date, description: 'deleted-then-retried' };
    const first = await post('then-deleted', body);
    expect(first.status, first.text).toBe(201);
    const id = String(first.json.id);
    expect(await h.spent(budget, owner.token, date)).toBe(spentBefore + 3_000);
    expect((await h.call('DELETE', `${path()}/${id}`, { token: owner.token })).status).toBe(204);

    const retry = await post('then-deleted', body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expectProblem(await post('then-deleted', { ...body, amount: 3_001 }), 422);

    expect(await listed()).not.toContain(id);
    expectProblem(await h.call('GET', `${path()}/${id}`, { token: owner.token }), 404);
    expectProblem(await h.call('PATCH', `${path()}/${id}`, { token: owner.token, body: { amount: 1 } }), 404);
    expectProblem(await h.call('DELETE', `${path()}/${id}`, { token: owner.token }), 404);
    expect(await h.spent(budget, owner.token, date)).toBe(spentBefore);
    expect(await exported()).not.toContain('deleted-then-retried');
    expect((await fullSync()).ids).not.toContain(id);
    expect((await fullSync(1)).ids).not.toContain(id);
    // A client that synced before the create learns of the deletion, exactly as without a key.
    expect((await syncSince(before)).get(id)).toEqual({ kind: 'deleted', id, deleted: true });
  });

  it('of a large answer (over 1 KB, kept compressed on the item) with non-ASCII text replays the same bytes after a PATCH and after a DELETE', async () => {
    const body = {
      amount: 4_000,
      occurredOn: '2026-11-05',
      description: 'é'.repeat(250) + '😀'.repeat(100),
      merchant: 'ü'.repeat(200),
      tags: Array.from({ length: 10 }, (_, i) => `ß${i}${'ñ'.repeat(28)}`),
    };
    const first = await post('large-answer', body);
    expect(first.status, first.text).toBe(201);
    // Over COMPRESS_ABOVE_CHARS (1 KB): the record on the item keeps it brotli-compressed.
    expect(first.text.length).toBeGreaterThan(1024);
    const id = String(first.json.id);
    expect((await h.call('PATCH', `${path()}/${id}`, { token: owner.token, body: { amount: 4_100 } })).status).toBe(200);
    const afterPatch = await post('large-answer', body);
    expect(afterPatch.headers.get('idempotent-replayed')).toBe('true');
    expect(afterPatch.text).toBe(first.text);
    expect(afterPatch.headers.get('etag')).toBe(first.headers.get('etag'));

    expect((await h.call('DELETE', `${path()}/${id}`, { token: owner.token })).status).toBe(204);
    const afterDelete = await post('large-answer', body);
    expect(afterDelete.status).toBe(201);
    expect(afterDelete.headers.get('idempotent-replayed')).toBe('true');
    expect(afterDelete.text).toBe(first.text);
    expect(afterDelete.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await listed()).not.toContain(id);
  });

  it('a first sync in small pages skips tombstones and still lists every expense once', async () => {
    const created: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await post(`paged-${i}`, { amount: 10 + i, occurredOn: '2026-11-05' });
      expect(res.status, res.text).toBe(201);
      created.push(String(res.json.id));
    }
    const deleted = created.filter((_, i) => i % 3 !== 0);
    for (const id of deleted) expect((await h.call('DELETE', `${path()}/${id}`, { token: owner.token })).status).toBe(204);
    const everyPage = (await fullSync(100)).ids;
    for (const limit of [1, 2]) {
      const ids = (await fullSync(limit)).ids;
      expect(ids).toEqual(everyPage);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(everyPage).toEqual(expect.arrayContaining(created.filter((id) => !deleted.includes(id))));
    for (const id of deleted) expect(everyPage).not.toContain(id);
  });
});

describe("a deleted budget's data", () => {
  it('includes the tombstones: the budget.deleted cleanup removes them with the expenses', async () => {
    const other = await h.createBudget(owner);
    const created = await h.call('POST', `/v1/budgets/${other.id}/expenses`, {
      token: owner.token,
      body: { amount: 60, occurredOn: '2026-11-08' },
      headers: { 'idempotency-key': keyOf('in-a-deleted-budget') },
    });
    expect(created.status, created.text).toBe(201);
    expect((await h.call('DELETE', `/v1/budgets/${other.id}/expenses/${created.json.id}`, { token: owner.token })).status).toBe(204);
    const store = h.t.system.deps.storeFor('expenses');
    const partition = async () =>
      (await store.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `expenses#budget#${other.id}` }, ConsistentRead: true })).items;
    // The key's tombstone, and the restorable copy the delete keeps (restore.test.ts).
    expect((await partition()).map((i) => i.kind)).toEqual(['expense-deleted', 'expense-tombstone']);
    await h.spending.deleteAllForBudget(other.id);
    expect(await partition()).toEqual([]);
  });
});

describe("a retry whose key's time crossed the window of keys that name the expense, within the key's 24 h", () => {
  const minutes = 60 * 1000;
  const advance = async (ms: number) => {
    clock.advance(ms);
    owner.token = await tokenAtClock(h.t, owner);
  };
  const ulidAt = (ms: number, tail: string) => `${encodeTime(ms, 10)}${tail}`;
  const recorded = async (description: string) => (await h.listExpenses(budget, owner.token)).filter((e) => e.description === description);

  it('a phone whose clock is 61 minutes fast: the first request keeps an item of its own, its retry minutes later replays it', async () => {
    const key = ulidAt(clock.now().getTime() + 61 * minutes, 'FASTC0CKAHEAD001');
    const body = { amount: 6_100, occurredOn: '2026-11-08', description: 'clock ahead' };
    const first = await postWithKey(key, body);
    expect(first.status, first.text).toBe(201);
    await advance(2 * minutes);
    const retry = await postWithKey(key, body);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect((await recorded('clock ahead')).map((e) => e.id)).toEqual([first.json.id]);
  });

  it('a key made 90 minutes before its first request (queued offline): the retry 23 h 59 min later replays it', async () => {
    const key = ulidAt(clock.now().getTime() - 90 * minutes, 'QVEVEDXFF1NE0001');
    const body = { amount: 9_000, occurredOn: '2026-11-08', description: 'queued offline' };
    const first = await postWithKey(key, body);
    expect(first.status, first.text).toBe(201);
    await advance(24 * 60 * minutes - minutes);
    const retry = await postWithKey(key, body);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect((await recorded('queued offline')).map((e) => e.id)).toEqual([first.json.id]);
  });
});

describe('a key reused after its record expired (24 h)', () => {
  const advance = async (ms: number) => {
    clock.advance(ms);
    owner.token = await tokenAtClock(h.t, owner);
  };
  const day = 24 * 60 * 60 * 1000;

  it('is a new request: a second expense under a fresh id, whose own retry replays it', async () => {
    const body = { amount: 4_000, occurredOn: '2026-11-06', description: 'reused key' };
    const first = await post('reused', body);
    expect(first.status, first.text).toBe(201);
    await advance(day + 1_000);

    const second = await post('reused', body);
    expect(second.status, second.text).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.json.id).not.toBe(first.json.id);
    const retry = await post('reused', body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(second.text);
    expect((await h.listExpenses(budget, owner.token)).filter((e) => e.description === 'reused key')).toHaveLength(2);

    // The first expense's record has expired: its delete leaves nothing behind.
    expect((await h.call('DELETE', `${path()}/${first.json.id}`, { token: owner.token })).status).toBe(204);
    const store = h.t.system.deps.storeFor('expenses');
    expect(await store.get({ Key: { pk: `expenses#budget#${budget.id}`, sk: `expenses#expense#${first.json.id}` }, ConsistentRead: true })).toBeUndefined();
  });

  it('is a new request after a delete too (the tombstone expired with the record)', async () => {
    const body = { amount: 5_000, occurredOn: '2026-11-07', description: 'deleted, key reused' };
    const first = await post('deleted-reused', body);
    expect((await h.call('DELETE', `${path()}/${first.json.id}`, { token: owner.token })).status).toBe(204);
    await advance(day + 1_000);

    const again = await post('deleted-reused', body);
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect((await h.listExpenses(budget, owner.token)).filter((e) => e.description === 'deleted, key reused').map((e) => e.id)).toEqual([again.json.id]);
    expect((await post('deleted-reused', body)).text).toBe(again.text);
  });
});
