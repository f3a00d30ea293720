import { PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeLog } from '../../../packages/expenses/src/repository/change-log';
import { appKeys } from '../../support/app-keys';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * What a create stores states each fact once (the change entry's shard only in its sort key
 * and its time only in its event, no gsi2 entry without a category, the Idempotency-Key record
 * in one attribute of the expense item, without a lease's fields, and no item of its own),
 * what a delete of such an expense leaves (a tombstone holding only that record, until it
 * expires), and items stored in the earlier, fuller shapes (already in the table when this
 * deploys) are still read the same.
 */
let h: Harness;
let owner: User;
let budget: Budget;

beforeAll(async () => {
  h = await createHarness();
  keyOf = appKeys(h.t.clock);
  owner = await h.signup('owner');
  budget = await h.createBudget(owner);
});
afterAll(() => h.destroy());

const path = () => `/v1/budgets/${budget.id}/expenses`;
let keyOf: (label: string) => string;
/** A create with the app's key for `label` (a ULID made at the test clock's time: it names the expense). */
const post = (label: string, body: unknown) => h.call('POST', path(), { token: owner.token, body, headers: { 'idempotency-key': keyOf(label) } });
const store = () => h.t.system.deps.storeFor('expenses');

async function allItems() {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await h.t.doc.send(new ScanCommand({ TableName: h.t.tableName, ExclusiveStartKey: start }));
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

describe('what a create stores', { timeout: 60_000 }, () => {
  it('each fact once, and the answers, the replay and the change log read it back', async () => {
    const first = await post('shape-1', { amount: 1_234, occurredOn: '2026-11-20', merchant: 'Bakery' });
    expect(first.status, first.text).toBe(201);
    const id = String(first.json.id);
    const items = await allItems();

    const expense = items.find((i) => i.sk === `expenses#expense#${id}`)!;
    expect(expense.pk).toBe(`expenses#budget#${budget.id}`);
    // Uncategorized: no gsi2 entry (lists filter by a category id, never by "uncategorized").
    expect(expense).not.toHaveProperty('gsi2pk');

    const entry = items.find((i) => i.kind === 'expense-change' && i.expenseId === id)!;
    expect(entry).not.toHaveProperty('shard');
    // createdAt stays: the relay's event Time comes from it, as for every outbox item.
    expect(entry.createdAt).toBe(JSON.parse(String(entry.detail)).occurredAt);
    expect(entry).not.toHaveProperty('deleted');
    expect(JSON.parse(String(entry.detail)).data.expenseId).toBe(id);

    // The key's record is one attribute of the expense item (never an item of its own), and
    // the item has no expiresAt of its own (the table's TTL attribute: it would delete the expense).
    expect(items.filter((i) => typeof i.fingerprint === 'string')).toEqual([]);
    const record = expense.idempotency as Record<string, unknown>;
    expect(Object.keys(record).sort()).toEqual(['expiresAt', 'fingerprint', 'response']);
    expect(record.expiresAt).toBe(Date.parse('2026-11-24T12:00:00Z') / 1000 + 24 * 60 * 60);
    expect(record.response).toEqual({ status: 201, headers: { 'content-type': 'application/json', etag: '"1"', location: `${path()}/${id}` }, body: first.text });
    expect(expense).not.toHaveProperty('expiresAt');

    expect((await h.call('GET', `${path()}/${id}`, { token: owner.token })).json).toEqual(first.json);
    const retry = await post('shape-1', { amount: 1_234, occurredOn: '2026-11-20', merchant: 'Bakery' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);

    const shard = Number(String(entry.sk).split('#')[2]);
    const log = new ChangeLog(store());
    expect(await log.entriesAfter(budget.id, shard, Number(entry.seq) - 1, 1)).toEqual([{ shard, seq: entry.seq, expenseId: id, deleted: false }]);

    const deleted = await h.call('DELETE', `${path()}/${id}`, { token: owner.token });
    expect(deleted.status, deleted.text).toBe(204);
    expect(await log.entriesAfter(budget.id, shard, Number(entry.seq), 1)).toEqual([{ shard, seq: Number(entry.seq) + 1, expenseId: id, deleted: true }]);
    // The record outlives the expense as a tombstone: only the record, expiring with it (TTL).
    const tombstone = (await allItems()).find((i) => i.sk === `expenses#expense#${id}`);
    expect(tombstone).toEqual({ pk: expense.pk, sk: expense.sk, kind: 'expense-tombstone', idempotency: record, expiresAt: record.expiresAt });
  });
});

describe('the category index (gsi2), written only with a category', { timeout: 60_000 }, () => {
  it('lists an expense under its category until it becomes uncategorized', async () => {
    const category = budget.categories[0]!.id;
    const created = await post('categorized', { amount: 321, occurredOn: '2026-11-23', categoryId: category });
    const byCategory = async () => (await h.call('GET', `${path()}?categoryId=${category}`, { token: owner.token })).json.items.map((e: { id: string }) => e.id);
    expect(await byCategory()).toContain(created.json.id);
    const patched = await h.call('PATCH', `${path()}/${created.json.id}`, { token: owner.token, body: { categoryId: null } });
    expect(patched.status, patched.text).toBe(200);
    expect(await byCategory()).not.toContain(created.json.id);
    const stored = await store().get({ Key: { pk: `expenses#budget#${budget.id}`, sk: `expenses#expense#${created.json.id}` }, ConsistentRead: true });
    expect(stored).not.toHaveProperty('gsi2pk');
  });
});

describe('items stored before (fuller shapes)', { timeout: 60_000 }, () => {
  it('an uncategorized expense item with a gsi2 entry reads and rewrites the same', async () => {
    const created = await post('old-expense', { amount: 555, occurredOn: '2026-11-21', description: 'old shape' });
    const id = String(created.json.id);
    const key = { pk: `expenses#budget#${budget.id}`, sk: `expenses#expense#${id}` };
    const stored = (await store().get({ Key: key, ConsistentRead: true }))!;
    // As it was written before: uncategorized, with a gsi2 entry.
    await store().put({ Item: { ...stored, gsi2pk: `expenses#budget#${budget.id}#uncategorized`, gsi2sk: stored.gsi1sk } });

    expect((await h.call('GET', `${path()}/${id}`, { token: owner.token })).json).toEqual(created.json);
    const listed = (await h.listExpenses(budget, owner.token)).find((e) => e.id === id);
    expect(listed).toEqual(created.json);
    const patched = await h.call('PATCH', `${path()}/${id}`, { token: owner.token, body: { amount: 556 } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ id, budgetId: budget.id, amount: 556, version: 2 });
    // The rewrite drops the entry nobody reads.
    expect(await store().get({ Key: key, ConsistentRead: true })).not.toHaveProperty('gsi2pk');
  });

  it('change entries with shard, deleted and createdAt read the same', async () => {
    const log = new ChangeLog(store());
    const pk = `expenses#changes#${budget.id}`;
    const detail = JSON.stringify({ id: 'ev', type: 'expense.deleted', version: 1, occurredAt: '2026-11-20T00:00:00.000Z', data: {} });
    const old = (seq: number, deleted: boolean) => ({
      pk,
      sk: `expenses#change#15#${String(seq).padStart(12, '0')}`,
      kind: 'expense-change',
      shard: 15,
      seq,
      expenseId: `OLD${seq}`,
      deleted,
      expiresAt: 4_000_000_000,
      source: 'budgeting.expenses',
      detailType: deleted ? 'expense.deleted' : 'expense.recorded',
      detail,
      createdAt: '2026-11-20T00:00:00.000Z',
    });
    await store().put({ Item: old(900_001, false) });
    await store().put({ Item: old(900_002, true) });
    expect(await log.entriesAfter(budget.id, 15, 900_000, 10)).toEqual([
      { shard: 15, seq: 900_001, expenseId: 'OLD900001', deleted: false },
      { shard: 15, seq: 900_002, expenseId: 'OLD900002', deleted: true },
    ]);
  });

  it("an Idempotency-Key record item with a lease's state replays the same", async () => {
    // A key's record is an item of its own only when the key is reused after its record on the
    // expense expired (ExpensesService.createWithRecordItem): the expense item's record is made
    // expired here, and the same key then records a second expense with such an item.
    const body = { amount: 777, occurredOn: '2026-11-22' };
    const expired = await post('old-key', body);
    await h.t.doc.send(
      new UpdateCommand({
        TableName: h.t.tableName,
        Key: { pk: `expenses#budget#${budget.id}`, sk: `expenses#expense#${expired.json.id}` },
        UpdateExpression: 'SET idempotency.expiresAt = :past',
        ExpressionAttributeValues: { ':past': 1 },
      }),
    );
    const first = await post('old-key', body);
    expect(first.status, first.text).toBe(201);
    expect(first.json.id).not.toBe(expired.json.id);
    const record = (await allItems()).find((i) => typeof i.fingerprint === 'string' && (i.response as { body?: string } | undefined)?.body?.includes(String(first.json.id)))!;
    await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { ...record, state: 'completed', leaseUntil: 0 } }));
    const retry = await post('old-key', body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
  });
});
