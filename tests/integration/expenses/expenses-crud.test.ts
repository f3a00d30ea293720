import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, theEvent } from '../../support/events';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { withoutClosedMarkers } from '../../support/closed-budgets';
import { expectProblem } from '../../support/problem';
import { expectPatchesChangeNothing } from '../../support/no-change-patch';

/** The expense lifecycle through HTTP: create, read, list, change, delete, and its events. */
let h: Harness;
let owner: User;
let budget: Budget;
const path = () => `/v1/budgets/${budget.id}/expenses`;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { categories: ['Groceries', 'Transport'], timezone: 'Pacific/Auckland' });
});
afterAll(() => h.destroy());

async function outboxEvents(type: string) {
  const out = await h.t.doc.send(
    new ScanCommand({ TableName: h.t.tableName, FilterExpression: 'detailType = :t', ExpressionAttributeValues: { ':t': type } }),
  );
  return (out.Items ?? []).map((i) => JSON.parse(i.detail as string));
}

/** Every item the expenses module keeps for a budget (expenses and totals; not outbox events). */
async function expensesItemsOf(budgetId: string) {
  const items = (await h.t.doc.send(new ScanCommand({ TableName: h.t.tableName }))).Items ?? [];
  return items.filter((i) => String(i.pk).startsWith('expenses#') && String(i.pk).includes(budgetId));
}

describe('expenses CRUD', () => {
  it('records an expense: 201, Location, ETag, the expense, an expense.recorded event', async () => {
    const groceries = budget.categories[0]!.id;
    const res = await h.call('POST', path(), {
      token: owner.token,
      body: { amount: 1250, categoryId: groceries, occurredOn: '2026-11-20', description: '  Weekly shop ', merchant: 'Corner Market', currency: 'USD' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      budgetId: budget.id,
      amount: 1250,
      categoryId: groceries,
      occurredOn: '2026-11-20',
      description: 'Weekly shop',
      merchant: 'Corner Market',
      // Recorded by hand: nothing to review (only imported rows need review).
      reviewed: true,
      createdBy: owner.id,
      version: 1,
      createdAt: '2026-11-24T12:00:00.000Z',
      updatedAt: '2026-11-24T12:00:00.000Z',
    });
    await h.expectCreated(res, path(), owner);

    const events = await outboxEvents('expense.recorded');
    expect(events.find((e) => e.data.expenseId === res.json.id)?.data).toEqual({
      expenseId: res.json.id,
      budgetId: budget.id,
      amount: 1250,
      categoryId: groceries,
      occurredOn: '2026-11-20',
      merchant: 'Corner Market',
      description: 'Weekly shop',
      createdBy: owner.id,
      version: 1,
    });
  });

  it("defaults occurredOn to today in the budget's time zone and categoryId to null", async () => {
    // 2026-11-24T12:00Z is already 2026-11-25 in Auckland (UTC+13).
    const res = await h.call('POST', path(), { token: owner.token, body: { amount: 300 } });
    expect(res.status).toBe(201);
    expect(res.json.occurredOn).toBe('2026-11-25');
    expect(res.json.categoryId).toBeNull();
    expect(res.json).not.toHaveProperty('description');
  });

  it('changes an expense with If-Match, bumps the version, and refuses a stale ETag with 412', async () => {
    const created = await h.call('POST', path(), { token: owner.token, body: { amount: 500, occurredOn: '2026-11-02', description: 'Bus' } });
    const url = `${path()}/${created.json.id}`;
    const transport = budget.categories[1]!.id;

    const changed = await h.call('PATCH', url, {
      token: owner.token,
      headers: { 'if-match': '"1"' },
      body: { amount: 650, categoryId: transport, description: null },
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ amount: 650, categoryId: transport, version: 2, occurredOn: '2026-11-02' });
    expect(changed.json).not.toHaveProperty('description');
    expect(changed.headers.get('etag')).toBe('"2"');

    const stale = await h.call('PATCH', url, { token: owner.token, headers: { 'if-match': '"1"' }, body: { amount: 700 } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    const staleDelete = await h.call('DELETE', url, { token: owner.token, headers: { 'if-match': '"1"' } });
    expect(staleDelete.status).toBe(412);
    expect((await h.call('GET', url, { token: owner.token })).json.amount).toBe(650);

    const updated = (await outboxEvents('expense.updated')).find((e) => e.data.expenseId === created.json.id);
    expect(updated?.data).toMatchObject({
      amount: 650,
      categoryId: transport,
      version: 2,
      updatedBy: owner.id,
      previous: { amount: 500, categoryId: null, occurredOn: '2026-11-02' },
    });
  });

  it('a PATCH that changes nothing writes nothing: no version, event or change entry; 200 with the stored expense; If-Match and unknown fields still checked', async () => {
    const groceries = budget.categories[0]!.id;
    const made = await h.call('POST', path(), {
      token: owner.token,
      body: { amount: 830, categoryId: groceries, occurredOn: '2026-11-18', description: 'Milk', merchant: 'Dairy', tags: ['Food'], currency: 'USD' },
    });
    expect(made.status, made.text).toBe(201);
    const url = `${path()}/${made.json.id}`;
    const changesBefore = (await h.call('GET', `/v1/budgets/${budget.id}/changes`, { token: owner.token })).json;
    const same = [
      { amount: 830 },
      { description: ' Milk ', merchant: 'Dairy  ' },
      { categoryId: groceries, occurredOn: '2026-11-18' },
      { tags: ['Food'], splits: null },
      { currency: 'USD' },
    ];
    await expectPatchesChangeNothing(h.t.doc, same, { json: made.json, etag: '"1"' }, (body, headers) => h.call('PATCH', url, { token: owner.token, body, headers }));
    expect((await outboxEvents('expense.updated')).filter((e) => e.data.expenseId === made.json.id)).toEqual([]);
    // Delta sync has nothing new since before them.
    const since = await h.call('GET', `/v1/budgets/${budget.id}/changes?since=${encodeURIComponent(changesBefore.serverKnowledge)}`, { token: owner.token });
    expect(since.status, since.text).toBe(200);
    expect(JSON.stringify(since.json)).not.toContain(made.json.id);
    expectProblem(await h.call('PATCH', url, { token: owner.token, body: { amount: 830 }, headers: { 'if-match': '"2"' } }), 412);
    expectProblem(await h.call('PATCH', url, { token: owner.token, body: { amount: 830, colour: 'red' } }), 400, ['colour']);
    const changed = await h.call('PATCH', url, { token: owner.token, body: { amount: 831 }, headers: { 'if-match': '"1"' } });
    expect(changed.headers.get('etag')).toBe('"2"');
  });

  it('deletes with the current ETag (204), then the expense is gone (404) and expense.deleted is published', async () => {
    const created = await h.call('POST', path(), { token: owner.token, body: { amount: 999, occurredOn: '2026-11-03' } });
    const url = `${path()}/${created.json.id}`;
    const res = await h.call('DELETE', url, { token: owner.token, headers: { 'if-match': created.headers.get('etag')! } });
    expect(res.status).toBe(204);
    expect((await h.call('GET', url, { token: owner.token })).status).toBe(404);
    expect((await h.call('DELETE', url, { token: owner.token })).status).toBe(404);
    expect((await h.call('PATCH', url, { token: owner.token, body: { amount: 1 } })).status).toBe(404);
    const deleted = (await outboxEvents('expense.deleted')).find((e) => e.data.expenseId === created.json.id);
    expect(deleted?.data).toMatchObject({ amount: 999, occurredOn: '2026-11-03', deletedBy: owner.id });
  });

  it('lists newest occurredOn first (same day: newest first) and filters by dates and category', async () => {
    const other = await h.createBudget(owner, { categories: ['Food', 'Fun'] });
    const [food, fun] = other.categories.map((c) => c.id) as [string, string];
    const p = `/v1/budgets/${other.id}/expenses`;
    const specs = [
      { amount: 1, occurredOn: '2026-10-31', categoryId: food },
      { amount: 2, occurredOn: '2026-11-01', categoryId: fun },
      { amount: 3, occurredOn: '2026-11-01', categoryId: food },
      { amount: 4, occurredOn: '2026-11-15' },
      { amount: 5, occurredOn: '2026-12-01', categoryId: food },
    ];
    for (const body of specs) expect((await h.call('POST', p, { token: owner.token, body })).status).toBe(201);
    const amounts = async (query: string) => {
      const res = await h.call('GET', `${p}${query}`, { token: owner.token });
      expect(res.status).toBe(200);
      expect(res.json.nextCursor).toBeNull();
      return res.json.items.map((e: { amount: number }) => e.amount);
    };
    expect(await amounts('')).toEqual([5, 4, 3, 2, 1]);
    expect(await amounts('?from=2026-11-01&to=2026-11-30')).toEqual([4, 3, 2]);
    expect(await amounts('?from=2026-11-02')).toEqual([5, 4]);
    expect(await amounts('?to=2026-11-01')).toEqual([3, 2, 1]);
    expect(await amounts(`?categoryId=${food}`)).toEqual([5, 3, 1]);
    expect(await amounts(`?categoryId=${food}&from=2026-11-01&to=2026-11-01`)).toEqual([3]);
    expect(await amounts('?from=2027-01-01')).toEqual([]);
  });

  it('keeps the running totals equal to the expenses through create, move and delete', async () => {
    const b = await h.createBudget(owner, { categories: ['A', 'B'] });
    const [a, bb] = b.categories.map((c) => c.id) as [string, string];
    const p = `/v1/budgets/${b.id}/expenses`;
    const e1 = (await h.call('POST', p, { token: owner.token, body: { amount: 1000, occurredOn: '2026-10-30', categoryId: a } })).json;
    await h.call('POST', p, { token: owner.token, body: { amount: 200, occurredOn: '2026-11-05', categoryId: bb } });
    await h.call('POST', p, { token: owner.token, body: { amount: 30, occurredOn: '2026-11-06' } });

    expect(await h.spending.totalsBetween(b.id, '2026-10-01', '2026-11-30')).toEqual({
      total: 1230,
      byCategory: { [a]: 1000, [bb]: 200 },
      uncategorized: 30,
    });
    // Move e1 into November and into category B.
    await h.call('PATCH', `${p}/${e1.id}`, { token: owner.token, body: { occurredOn: '2026-11-10', categoryId: bb, amount: 1100 } });
    expect(await h.spending.totalsBetween(b.id, '2026-10-01', '2026-10-31')).toEqual({ total: 0, byCategory: {}, uncategorized: 0 });
    expect(await h.spending.totalsBetween(b.id, '2026-11-01', '2026-11-30')).toEqual({
      total: 1330,
      byCategory: { [bb]: 1300 },
      uncategorized: 30,
    });
    // Partial ranges read day buckets.
    expect((await h.spending.totalsBetween(b.id, '2026-11-06', '2026-11-10')).total).toBe(1130);
    await h.call('DELETE', `${p}/${e1.id}`, { token: owner.token });
    expect((await h.spending.totalsBetween(b.id, '2026-01-01', '2026-12-31')).total).toBe(230);
  });

  it('deleteAllForBudget removes every expense, total and recurring expense of that budget only, and is idempotent', async () => {
    const doomed = await h.createBudget(owner);
    const kept = await h.createBudget(owner);
    for (const b of [doomed, kept]) {
      for (let i = 1; i <= 3; i++) {
        await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: owner.token, body: { amount: i * 100, occurredOn: `2026-11-0${i}` } });
      }
      const recurring = { amount: 5, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } };
      expect((await h.call('POST', `/v1/budgets/${b.id}/recurring-expenses`, { token: owner.token, body: recurring })).status).toBe(201);
    }
    await h.spending.deleteAllForBudget(doomed.id);
    await h.spending.deleteAllForBudget(doomed.id);
    expect(withoutClosedMarkers(await expensesItemsOf(doomed.id))).toEqual([]);
    expect((await h.spending.totalsBetween(doomed.id, '2026-11-01', '2026-11-30')).total).toBe(0);
    expect((await h.spending.totalsBetween(kept.id, '2026-11-01', '2026-11-30')).total).toBe(600);
    const list = await h.call('GET', `/v1/budgets/${kept.id}/expenses`, { token: owner.token });
    expect(list.json.items).toHaveLength(3);
    const recurring = await h.call('GET', `/v1/budgets/${kept.id}/recurring-expenses`, { token: owner.token });
    expect(recurring.json.items).toHaveLength(1);
  });

  it('deleting a budget (budgets module) deletes its expenses and running totals once budget.deleted is delivered', async () => {
    const b = await h.createBudget(owner);
    await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: owner.token, body: { amount: 100, occurredOn: '2026-11-01' } });
    expect((await expensesItemsOf(b.id)).length).toBeGreaterThan(1);
    const res = await h.call('DELETE', `/v1/budgets/${b.id}`, { token: owner.token });
    expect(res.status, res.text).toBe(204);
    expect((await h.call('GET', `/v1/budgets/${b.id}/expenses`, { token: owner.token })).status).toBe(404);
    // The expenses go when the expenses module receives budget.deleted (as the bus delivers it).
    await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: b.id }));
    expect(withoutClosedMarkers(await expensesItemsOf(b.id))).toEqual([]);
  });
});
