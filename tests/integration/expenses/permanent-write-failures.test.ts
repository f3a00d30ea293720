import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableItems } from '../../support/events';
import { call } from '../../support/http';
import { ownerSuite, type Budget } from './harness';

/**
 * The writes over many expenses, POST .../categories/{categoryId}/reassign and POST
 * .../rules/{ruleId}/apply, over HTTP (DynamoDB Local) meeting an expense its PATCH refuses
 * every time. No request of the API can make such an expense (every write checks
 * that a split's parts add up to its amount), so the test makes one as a legacy or damaged
 * item would be: a split expense whose stored `amount` (1000) no longer is the sum of its parts
 * (600 + 300). Moving its Snacks part, or renaming its merchant, is then refused by the PATCH's
 * own check (400 naming `splits`) on every attempt: the answer lists it with `retryable: false`
 * and a `reason`, `more` does not wait for it, and a client following `cursor` (or calling
 * until `more` is false) goes on past it instead of meeting it at the same place forever.
 */
const suite = ownerSuite(['Fuel', 'Snacks', 'Other']);
const { token, postExpense, get } = suite;

/** The stored expense's `amount` set to `amount`, its parts left as they are (no API request can do this). */
async function damageAmount(b: Budget, id: string, amount: number) {
  const item = (await tableItems(suite.h.t.doc, suite.h.t.tableName)).find((i) => i.pk === `expenses#budget#${b.id}` && i.id === id && i.kind === 'expense');
  expect(item, 'the expense item').toBeDefined();
  await suite.h.t.doc.send(new UpdateCommand({ TableName: suite.h.t.tableName, Key: { pk: item!.pk, sk: item!.sk }, UpdateExpression: 'SET amount = :a', ExpressionAttributeValues: { ':a': amount } }));
}

describe('category reassign: an expense the PATCH always refuses', { timeout: 240_000 }, () => {
  it('is listed not retryable with a reason, passed over by `more` and by the cursor; the others move', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Fuel', 'Snacks', 'Other'] });
    const [fuel, snacks, other] = b.categories.map((c) => c.id) as [string, string, string];
    const newest = await postExpense(b, { amount: 1_000, occurredOn: '2026-11-20', merchant: 'A', categoryId: snacks });
    const damaged = await postExpense(b, { amount: 900, occurredOn: '2026-11-15', merchant: 'B', splits: [{ categoryId: snacks, amount: 600 }, { categoryId: other, amount: 300 }] });
    const oldest = await postExpense(b, { amount: 3_000, occurredOn: '2026-11-10', merchant: 'C', categoryId: snacks });
    await damageAmount(b, damaged.id, 1_000);
    const before = await get(b, damaged.id);
    expect(before).toMatchObject({ amount: 1_000, version: 1 });

    const res = await suite.h.call('POST', `/v1/budgets/${b.id}/categories/${snacks}/reassign`, { token: token(), body: { to: fuel } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      from: snacks,
      to: fuel,
      moved: [
        { id: newest.id, version: 2 },
        { id: oldest.id, version: 2 },
      ],
      failed: [{ id: damaged.id, problem: { status: 400, errors: [{ path: 'splits' }] }, retryable: false, reason: expect.stringContaining('400') }],
      // Nothing else is left: the damaged one does not keep the client calling.
      more: false,
      cursor: null,
    });
    expect(await get(b, damaged.id)).toEqual(before);
    // A call from the newest meets it again, lists it again, and still says nothing more is left.
    const again = await suite.h.call('POST', `/v1/budgets/${b.id}/categories/${snacks}/reassign`, { token: token(), body: { to: fuel } });
    expect(again.json).toMatchObject({ moved: [], failed: [{ id: damaged.id, retryable: false }], more: false, cursor: null });
  });

  it('a client following `cursor` one write per call steps past it and reaches the end', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Fuel', 'Snacks', 'Other'] });
    const [fuel, snacks, other] = b.categories.map((c) => c.id) as [string, string, string];
    const newest = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'A', categoryId: snacks });
    const damaged = await postExpense(b, { amount: 900, occurredOn: '2026-11-15', merchant: 'B', splits: [{ categoryId: snacks, amount: 600 }, { categoryId: other, amount: 300 }] });
    const oldest = await postExpense(b, { amount: 400, occurredOn: '2026-11-10', merchant: 'C', categoryId: snacks });
    await damageAmount(b, damaged.id, 1_000);
    const app = suite.h.expensesAppWith({ categoryReassign: { maxWrites: 1 } });

    const moved: string[] = [];
    const failed: { id: string; retryable: boolean }[] = [];
    let cursor: string | undefined;
    let calls = 0;
    for (;;) {
      calls++;
      expect(calls, 'the client is never held at the damaged expense').toBeLessThanOrEqual(4);
      const res = await call(app, 'POST', `/v1/budgets/${b.id}/categories/${snacks}/reassign`, { token: token(), body: { to: fuel, ...(cursor ? { cursor } : {}) } });
      expect(res.status, res.text).toBe(200);
      moved.push(...res.json.moved.map((m: { id: string }) => m.id));
      failed.push(...res.json.failed.map((f: { id: string; retryable: boolean }) => ({ id: f.id, retryable: f.retryable })));
      if (!res.json.more) break;
      cursor = res.json.cursor;
      expect(cursor, 'a cursor past the damaged expense').toEqual(expect.any(String));
    }
    expect(moved).toEqual([newest.id, oldest.id]);
    expect(failed).toEqual([{ id: damaged.id, retryable: false }]);
  });
});

describe('rule apply: an expense the PATCH always refuses', { timeout: 240_000 }, () => {
  it('is listed not retryable with a reason and does not keep `more` true; the other match is written', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Fuel', 'Snacks', 'Other'] });
    const [, snacks, other] = b.categories.map((c) => c.id) as [string, string, string];
    const plain = await postExpense(b, { amount: 500, occurredOn: '2026-11-20', merchant: 'B', categoryId: snacks });
    const damaged = await postExpense(b, { amount: 900, occurredOn: '2026-11-15', merchant: 'B', splits: [{ categoryId: snacks, amount: 600 }, { categoryId: other, amount: 300 }] });
    await damageAmount(b, damaged.id, 1_000);
    const before = await get(b, damaged.id);
    const rule = await suite.h.call('POST', `/v1/budgets/${b.id}/rules`, { token: token(), body: { merchant: { equals: 'B' }, renameTo: 'Bee' } });
    expect(rule.status, rule.text).toBe(201);
    const apply = () => suite.h.call('POST', `/v1/budgets/${b.id}/rules/${rule.json.id}/apply`, { token: token(), body: { from: '2026-11-01', to: '2026-11-30' } });

    const first = await apply();
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({
      applied: [{ id: plain.id, merchant: 'Bee' }],
      failed: [{ id: damaged.id, problem: { status: 400, errors: [{ path: 'splits' }] }, retryable: false, reason: expect.stringContaining('400') }],
      more: false,
    });
    expect(await get(b, damaged.id)).toEqual(before);
    // Calling again lists it again (the renamed one no longer matches), writes nothing, and still says nothing more is left.
    const again = await apply();
    expect(again.json).toMatchObject({ applied: [], unchanged: 0, failed: [{ id: damaged.id, retryable: false }], more: false });
  });
});

describe('bulk edit: an expense the PATCH always refuses', { timeout: 240_000 }, () => {
  it("is that expense's own 400 in the results; the others are written, counted and undoable", async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Fuel', 'Snacks', 'Other'] });
    const [, snacks, other] = b.categories.map((c) => c.id) as [string, string, string];
    const first = await postExpense(b, { amount: 500, occurredOn: '2026-11-20', merchant: 'A', categoryId: snacks });
    const damaged = await postExpense(b, { amount: 900, occurredOn: '2026-11-15', merchant: 'B', splits: [{ categoryId: snacks, amount: 600 }, { categoryId: other, amount: 300 }] });
    const last = await postExpense(b, { amount: 700, occurredOn: '2026-11-10', merchant: 'C', categoryId: snacks });
    await damageAmount(b, damaged.id, 1_000);
    const before = await get(b, damaged.id);

    const res = await suite.h.call('POST', `/v1/budgets/${b.id}/expenses/bulk`, { token: token(), body: { expenseIds: [first.id, damaged.id, last.id], action: { type: 'addTags', tags: ['trip'] } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      results: [
        { expenseId: first.id, status: 200, expense: { tags: ['trip'], version: 2 } },
        { expenseId: damaged.id, status: 400, problem: { status: 400, errors: [{ path: 'splits' }] } },
        { expenseId: last.id, status: 200, expense: { tags: ['trip'], version: 2 } },
      ],
      succeeded: 2,
      failed: 1,
      undo: { id: expect.any(String) },
    });
    expect(await get(b, damaged.id)).toEqual(before);
    const undo = await suite.h.call('POST', `/v1/budgets/${b.id}/expenses/bulk/${res.json.undo.id}/undo`, { token: token() });
    expect(undo.status, undo.text).toBe(200);
    expect(undo.json).toMatchObject({ undone: [first.id, last.id], kept: [], failed: [] });
    expect((await get(b, first.id)).tags).toBeUndefined();
  });
});
