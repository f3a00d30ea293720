import { beforeAll, describe, expect, it } from 'vitest';
import { theEvent } from '../../support/events';
import { addMember, as, clockSuite, createBudget, expectProblem, type Account } from './helpers';

/**
 * An expense's `sharedAmounts` (Splitwise's "split by exact amounts": "I paid 90.00, 60.00 of it
 * is Sam's"), on DynamoDB Local with a fixed clock (the current period is November 2026): the
 * validation (each a 400 naming the field), members only (a stranger is a 400 naming
 * `sharedAmounts.<n>.userId`, nothing written), a PATCH of `amount` alone refused, offline push,
 * and the balances, where each listed member owes exactly their amount. Every expected figure is
 * worked out here by hand.
 */
const suite = clockSuite('2026-11-10T12:00:00Z', ['sam', 'kim', 'stranger']);
let owner: Account;
let sam: Account;
let kim: Account;
let stranger: Account;
let app: Parameters<typeof as>[0];
let budgetId: string;
let groceries: string;

beforeAll(async () => {
  ({ owner, sam, kim, stranger } = suite.accounts);
  app = suite.accounts.t.app;
  budgetId = (await createBudget(app, owner)).id;
  await addMember(app, owner, budgetId, sam, 'editor');
  await addMember(app, owner, budgetId, kim, 'editor');
  // Shares 1 / 1 / 2: what the everyone group uses, and what exact amounts must NOT use.
  const share = await as(app, owner)('PATCH', `/v1/budgets/${budgetId}/members/${kim.id}`, { body: { share: 2 } });
  expect(share.status, share.text).toBe(200);
  groceries = ((await as(app, owner)('GET', `/v1/budgets/${budgetId}`)).json.categories as { id: string }[])[0]!.id;
});

const expenses = () => `/v1/budgets/${budgetId}/expenses`;
const post = (who: Account, body: Record<string, unknown>) => as(app, who)('POST', expenses(), { body });
const patch = (id: string, body: Record<string, unknown>) => as(app, owner)('PATCH', `${expenses()}/${id}`, { body });
const push = (who: Account, mutations: unknown[]) => as(app, who)('POST', `/v1/budgets/${budgetId}/changes`, { body: { mutations } });
async function paid(who: Account, body: Record<string, unknown>) {
  const res = await post(who, body);
  expect(res.status, res.text).toBe(201);
  return res.json;
}
const part = (who: Account, amount: number) => ({ userId: who.id, amount });
/** As stored and returned: in user id order. */
const inIdOrder = (parts: { userId: string; amount: number }[]) => [...parts].sort((a, b) => (a.userId < b.userId ? -1 : 1));
const state = async () => ({
  list: (await as(app, owner)('GET', expenses())).json.items,
  spent: (await as(app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=2026-11-15`)).json.spent,
  changes: (await as(app, owner)('GET', `/v1/budgets/${budgetId}/changes`)).json.expenses,
});

describe('sharedAmounts: validation', () => {
  it('refuses a bad list with a 400 naming the field, writing nothing', async () => {
    const before = await state();
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ userId: `01JDQ4T2W1R0P9N8M7K6J5H4${String(i).padStart(2, '0')}`, amount: i === 0 ? 949 : 1 }));
    for (const [sharedAmounts, path] of [
      [[], 'sharedAmounts'],
      [tooMany, 'sharedAmounts'],
      [[part(sam, 500), part(sam, 500)], 'sharedAmounts'],
      [part(sam, 1_000), 'sharedAmounts'],
      [[part(sam, -1), part(owner, 1_001)], 'sharedAmounts.0.amount'],
      [[part(sam, 1.5), part(owner, 998.5)], 'sharedAmounts.0.amount'],
      [[part(sam, 1_000), { userId: 'not-a-user', amount: 0 }], 'sharedAmounts.1.userId'],
      [[{ ...part(sam, 1_000), extra: 1 }], 'sharedAmounts.0.extra'],
    ] as const) {
      expectProblem(await post(owner, { amount: 1_000, occurredOn: '2026-11-08', sharedAmounts }), 400, [path]);
    }
    // Not adding up: the message gives the sum and the amount.
    const short = await post(owner, { amount: 1_000, occurredOn: '2026-11-08', sharedAmounts: [part(sam, 600), part(owner, 300)] });
    expectProblem(short, 400, ['sharedAmounts']);
    expect(short.json.errors.find((e: { path: string }) => e.path === 'sharedAmounts').message).toMatch(/900.*1000/);
    // With sharedWith: one or the other.
    expectProblem(await post(owner, { amount: 1_000, occurredOn: '2026-11-08', sharedWith: [sam.id], sharedAmounts: [part(sam, 1_000)] }), 400, ['sharedAmounts']);
    // A stranger: the membership check of sharedWith, naming the entry's userId; nothing written.
    for (const day of [{ occurredOn: '2026-11-08' }, {}]) {
      const res = await post(owner, { amount: 1_000, ...day, sharedAmounts: [part(sam, 400), part(stranger, 600)] });
      expectProblem(res, 400);
      expect(res.json.errors).toEqual([{ path: 'sharedAmounts.1.userId', message: 'Not a member of this budget' }]);
    }
    expect(await state()).toEqual(before);
  });

  it('PATCH: changing amount without new amounts is a 400 naming sharedAmounts; with them, null, or sharedWith it applies', async () => {
    const created = await paid(owner, { amount: 9_000, occurredOn: '2026-10-05', sharedAmounts: [part(sam, 6_000), part(owner, 3_000)] });
    expect(created.sharedAmounts).toEqual(inIdOrder([part(sam, 6_000), part(owner, 3_000)]));
    expect(created).not.toHaveProperty('sharedWith');
    const id = created.id as string;
    expectProblem(await patch(id, { amount: 9_900 }), 400, ['sharedAmounts']);
    expectProblem(await patch(id, { sharedAmounts: [part(sam, 1)] }), 400, ['sharedAmounts']);
    expectProblem(await patch(id, { sharedAmounts: [part(sam, 9_000)], sharedWith: [sam.id] }), 400, ['sharedAmounts']);
    expectProblem(await patch(id, { sharedAmounts: [part(stranger, 9_000)] }), 400, ['sharedAmounts.0.userId']);
    const unchanged = await as(app, owner)('GET', `${expenses()}/${id}`);
    expect(unchanged.json).toMatchObject({ amount: 9_000, version: 1 });

    const both = await patch(id, { amount: 9_900, sharedAmounts: [part(kim, 9_900)] });
    expect(both.status, both.text).toBe(200);
    expect(both.json).toMatchObject({ amount: 9_900, sharedAmounts: [part(kim, 9_900)], version: 2 });
    // Other fields keep it; GET, the list and the changes return it.
    const other = await patch(id, { merchant: 'Bakery' });
    expect(other.json.sharedAmounts).toEqual([part(kim, 9_900)]);
    expect((await as(app, owner)('GET', `${expenses()}/${id}`)).json.sharedAmounts).toEqual([part(kim, 9_900)]);
    const { list, changes } = await state();
    expect(list.find((e: { id: string }) => e.id === id).sharedAmounts).toEqual([part(kim, 9_900)]);
    expect(changes.find((e: { id: string }) => e.id === id).sharedAmounts).toEqual([part(kim, 9_900)]);
    // The event says what changed (the activity log's before/after).
    const updated = (await theEvent(suite.accounts.t, 'expense.updated', { expenseId: id, version: 2 })).envelope.data;
    expect(updated.sharedAmounts).toEqual([part(kim, 9_900)]);
    expect(updated.changes.sharedAmounts).toEqual({ before: inIdOrder([part(sam, 6_000), part(owner, 3_000)]), after: [part(kim, 9_900)] });

    // sharedWith replaces the amounts, and sharedAmounts replaces sharedWith: one or the other is stored.
    const toWith = await patch(id, { sharedWith: [sam.id] });
    expect(toWith.status, toWith.text).toBe(200);
    expect(toWith.json.sharedWith).toEqual([sam.id]);
    expect(toWith.json).not.toHaveProperty('sharedAmounts');
    const back = await patch(id, { sharedAmounts: [part(sam, 9_900)] });
    expect(back.json.sharedAmounts).toEqual([part(sam, 9_900)]);
    expect(back.json).not.toHaveProperty('sharedWith');
    // A delete and restore keep it (the restorable copy holds it).
    expect((await as(app, owner)('DELETE', `${expenses()}/${id}`)).status).toBe(204);
    const restored = await as(app, owner)('POST', `${expenses()}/${id}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json.sharedAmounts).toEqual([part(sam, 9_900)]);
    // null removes it (every member again), and then amount may change alone.
    const cleared = await patch(id, { sharedAmounts: null });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json).not.toHaveProperty('sharedAmounts');
    expect((await patch(id, { amount: 100 })).status).toBe(200);
  });

  it('PATCH: a null of either list shares it with every member again, removing the other list too (not a no-op)', async () => {
    // The route table: "`sharedWith: null` (or `sharedAmounts: null`) shares it with every member
    // again". An app that knows only sharedWith resets an expense this way; keeping the exact
    // amounts would answer 200 with nothing written, the balances unchanged.
    const byAmounts = (await paid(owner, { amount: 9_000, occurredOn: '2026-10-06', sharedAmounts: [part(sam, 6_000), part(owner, 3_000)] })).id as string;
    const reset = await patch(byAmounts, { sharedWith: null });
    expect(reset.status, reset.text).toBe(200);
    expect(reset.json).not.toHaveProperty('sharedAmounts');
    expect(reset.json).not.toHaveProperty('sharedWith');
    expect(reset.json.version).toBe(2);
    expect((await as(app, owner)('GET', `${expenses()}/${byAmounts}`)).json).not.toHaveProperty('sharedAmounts');
    // And the other way round: sharedAmounts: null on an expense shared with some.
    const byShares = (await paid(owner, { amount: 9_000, occurredOn: '2026-10-06', sharedWith: [sam.id] })).id as string;
    const back = await patch(byShares, { sharedAmounts: null });
    expect(back.status, back.text).toBe(200);
    expect(back.json).not.toHaveProperty('sharedWith');
    expect(back.json.version).toBe(2);
    // A list with the other's null: the list is what is stored.
    const listed = await patch(byShares, { sharedWith: null, sharedAmounts: [part(kim, 9_000)] });
    expect(listed.json).toMatchObject({ sharedAmounts: [part(kim, 9_000)], version: 3 });
    expect(listed.json).not.toHaveProperty('sharedWith');
    const again = await patch(byShares, { sharedWith: [sam.id], sharedAmounts: null });
    expect(again.json).toMatchObject({ sharedWith: [sam.id], version: 4 });
    expect(again.json).not.toHaveProperty('sharedAmounts');
  });

  it('offline push: a create carries it; a stranger, or an update of amount alone, is that mutation\'s 400, the others apply', async () => {
    const ok = '01JDX3Q7K9M2N4P6R8S0T1V3W9';
    const res = await push(sam, [
      { op: 'create', id: ok, expense: { amount: 700, occurredOn: '2026-10-06', sharedAmounts: [part(kim, 500), part(sam, 200)] } },
      { op: 'create', expense: { amount: 700, occurredOn: '2026-10-06', sharedAmounts: [part(stranger, 700)] } },
      { op: 'update', id: ok, baseVersion: 1, patch: { amount: 800 } },
    ]);
    expect(res.status, res.text).toBe(200);
    const [created, strange, amountAlone] = res.json.results;
    expect(created).toMatchObject({ status: 'applied', version: 1, expense: { id: ok, sharedAmounts: inIdOrder([part(kim, 500), part(sam, 200)]) } });
    expect(strange).toMatchObject({ status: 'error', problem: { status: 400, errors: [{ path: 'sharedAmounts.0.userId', message: 'Not a member of this budget' }] } });
    expect(amountAlone).toMatchObject({ status: 'error', problem: { status: 400 } });
    expect(amountAlone.problem.errors.map((e: { path: string }) => e.path)).toContain('sharedAmounts');
    const stored = await as(app, sam)('GET', `${expenses()}/${ok}`);
    expect(stored.json).toMatchObject({ amount: 700, version: 1 });
  });
});

describe('sharedAmounts: the balances', () => {
  it('each listed member owes exactly their amount, a refund negative, a split expense whole; the rest by share', async () => {
    // November only (the tests above wrote October and the 8th, refused). Shares owner 1, sam 1, kim 2.
    // owner pays 100.00 split over two categories, 33.34 / 33.33 / 33.33 by exact amounts (not by shares).
    const split = await paid(owner, {
      amount: 10_000,
      occurredOn: '2026-11-02',
      splits: [{ categoryId: groceries, amount: 6_000 }, { categoryId: null, amount: 4_000 }],
      sharedAmounts: [part(owner, 3_334), part(sam, 3_333), part(kim, 3_333)],
    });
    expect(split.splits).toHaveLength(2);
    // sam pays 40.00 for everyone: by shares 1 / 1 / 2.
    await paid(sam, { amount: 4_000, occurredOn: '2026-11-03' });
    // kim gets 1.00 back on a return, 0.50 of it owner's, 0.50 kim's: counted negative.
    const refund = await paid(kim, { amount: 100, occurredOn: '2026-11-04', refund: true, sharedAmounts: [part(owner, 50), part(kim, 50)] });
    expect(refund).toMatchObject({ refund: true, sharedAmounts: inIdOrder([part(owner, 50), part(kim, 50)]) });

    const res = await as(app, owner)('GET', `/v1/budgets/${budgetId}/balances`);
    expect(res.status, res.text).toBe(200);
    // paid: owner 10,000, sam 4,000, kim -100: total 13,900.
    // owes: owner 3,334 + 1,000 - 50 = 4,284; sam 3,333 + 1,000 = 4,333; kim 3,333 + 2,000 - 50 = 5,283 (13,900).
    // net: owner 5,716; sam -333; kim -5,383.
    expect(res.json.total).toBe(13_900);
    const rows = (res.json.members as { userId: string; paid: number; owes: number; net: number }[]).map(({ userId, paid, owes, net }) => ({ userId, paid, owes, net }));
    expect(rows).toEqual(
      [
        { userId: owner.id, paid: 10_000, owes: 4_284, net: 5_716 },
        { userId: sam.id, paid: 4_000, owes: 4_333, net: -333 },
        { userId: kim.id, paid: -100, owes: 5_283, net: -5_383 },
      ].sort((a, b) => (a.userId < b.userId ? -1 : 1)),
    );
    expect(res.json.settlements).toEqual([
      { from: kim.id, to: owner.id, amount: 5_383 },
      { from: sam.id, to: owner.id, amount: 333 },
    ]);
  });
});
