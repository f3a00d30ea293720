import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget as createFullBudget } from '../../support/actors';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { createHarness, type Harness, type Team } from './harness';

/**
 * Refunds through HTTP (DynamoDB Local): an expense with `refund: true` keeps a positive
 * `amount` and SPENDS `-amount` (packages/expenses/docs/expense-fields.md "Refunds"). Every number below is worked by hand:
 * 150.00 spent and 59.99 back is 90.01 spent, and so on. The harness clock's today is
 * 2026-11-24, so the current period is November 2026.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Food'] });
});
afterAll(() => h.destroy());

type Body = Record<string, unknown>;
const expensesPath = (budgetId: string) => `/v1/budgets/${budgetId}/expenses`;
const post = async (budgetId: string, body: Body, token = team.owner.token) => {
  const res = await h.call('POST', expensesPath(budgetId), { token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
};
const patch = async (budgetId: string, id: string, body: Body) => {
  const res = await h.call('PATCH', `${expensesPath(budgetId)}/${id}`, { token: team.owner.token, body });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const summary = async (budgetId: string) => {
  const res = await h.call('GET', `/v1/budgets/${budgetId}/summary?date=2026-11-24`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
/** The budget's spent, and each category's [spent, remaining], by category name. */
const figures = async (budgetId: string) => {
  const s = await summary(budgetId);
  return { spent: s.spent, categories: Object.fromEntries((s.categories as any[]).map((c) => [c.name, [c.spent, c.remaining]])) };
};
/** A budget of the owner with a Clothes limit of 200.00 (and Shoes without one). */
const clothesBudget = async (extra: Body = {}) => {
  const b = await createFullBudget(h.app, team.owner, {
    limit: 100_000,
    categories: [{ name: 'Clothes', limit: 20_000 }, { name: 'Shoes' }],
    ...extra,
  });
  return { id: b.id, clothes: b.categories[0]?.id, shoes: b.categories[1]?.id };
};

describe('refunds', { timeout: 180_000 }, () => {
  it('a refund lowers its category: 150.00 - 59.99; PATCH to 20.00, PATCH refund false, delete', async () => {
    const b = await clothesBudget();
    await post(b.id, { amount: 15_000, occurredOn: '2026-11-10', categoryId: b.clothes, merchant: 'Shoe Shop' });
    const refund = await post(b.id, { amount: 5_999, occurredOn: '2026-11-12', categoryId: b.clothes, merchant: 'Shoe Shop', refund: true });
    expect(refund).toMatchObject({ amount: 5_999, refund: true, version: 1 });
    // 150.00 - 59.99 = 90.01 spent; 200.00 - 90.01 = 109.99 left.
    expect(await figures(b.id)).toEqual({ spent: 9_001, categories: { Clothes: [9_001, 10_999], Shoes: [0, null] } });

    // The refund's amount to 20.00: 150.00 - 20.00 = 130.00.
    expect(await patch(b.id, refund.id, { amount: 2_000 })).toMatchObject({ amount: 2_000, refund: true, version: 2 });
    expect((await figures(b.id)).categories.Clothes).toEqual([13_000, 7_000]);
    // Not a refund after all: a purchase of 20.00, 150.00 + 20.00 = 170.00.
    const flipped = await patch(b.id, refund.id, { refund: false });
    expect('refund' in flipped).toBe(false);
    expect(await figures(b.id)).toEqual({ spent: 17_000, categories: { Clothes: [17_000, 3_000], Shoes: [0, null] } });
    // A refund again, then deleted: back to the 150.00 purchase alone.
    await patch(b.id, refund.id, { refund: true });
    expect((await figures(b.id)).spent).toBe(13_000);
    const removed = await h.call('DELETE', `${expensesPath(b.id)}/${refund.id}`, { token: team.owner.token });
    expect(removed.status, removed.text).toBe(204);
    expect((await figures(b.id)).categories.Clothes).toEqual([15_000, 5_000]);
  });

  it('GET, the list and the changes feed show refund: true (absent on a purchase); events and the activity log carry it', async () => {
    const b = await clothesBudget();
    const purchase = await post(b.id, { amount: 15_000, occurredOn: '2026-11-10', categoryId: b.clothes });
    const refund = await post(b.id, { amount: 5_999, occurredOn: '2026-11-12', categoryId: b.clothes, refund: true });
    const got = await h.call('GET', `${expensesPath(b.id)}/${refund.id}`, { token: team.owner.token });
    expect(got.status, got.text).toBe(200);
    expect(got.json.refund).toBe(true);
    const listed = await h.listExpenses(b, team.owner.token);
    expect(listed.map((e) => [e.id, e.refund])).toEqual([[refund.id, true], [purchase.id, undefined]]);
    // ?refund=true|false: a search filter as reviewed=true (the list and the export).
    const only = async (query: string) => {
      const res = await h.call('GET', `${expensesPath(b.id)}?${query}`, { token: team.owner.token });
      expect(res.status, res.text).toBe(200);
      return (res.json.items as { id: string }[]).map((e) => e.id);
    };
    expect(await only('refund=true')).toEqual([refund.id]);
    expect(await only('refund=false')).toEqual([purchase.id]);
    expectProblem(await h.call('GET', `${expensesPath(b.id)}?refund=yes`, { token: team.owner.token }), 400, ['query.refund']);
    const exportedRefunds = await h.call('GET', `${expensesPath(b.id)}/export?refund=true`, { token: team.owner.token });
    expect(exportedRefunds.text.split('\r\n').slice(1)).toEqual(['2026-11-12,-59.99,Clothes,,,,,,true,', '']);
    const sync = await h.call('GET', `/v1/budgets/${b.id}/changes`, { token: team.owner.token });
    expect(sync.status, sync.text).toBe(200);
    const synced = new Map((sync.json.expenses as { id: string; refund?: boolean }[]).map((e) => [e.id, e.refund]));
    expect([synced.get(refund.id), synced.get(purchase.id)]).toEqual([true, undefined]);

    expect((await theEvent(h.t, 'expense.recorded', { expenseId: refund.id })).envelope.data).toMatchObject({ amount: 5_999, refund: true });
    expect('refund' in (await theEvent(h.t, 'expense.recorded', { expenseId: purchase.id })).envelope.data).toBe(false);
    await patch(b.id, refund.id, { refund: false });
    const updated = (await theEvent(h.t, 'expense.updated', { expenseId: refund.id, version: 2 })).envelope.data;
    expect(updated.changes).toEqual({ refund: { before: true, after: false } });
    expect(updated.previous).toMatchObject({ amount: 5_999, refund: true });
    expect('refund' in updated).toBe(false);

    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.owner.token });
    expect(activity.status, activity.text).toBe(200);
    const entries = activity.json.items as { action: string; subject: { id: string }; changes?: Record<string, unknown> }[];
    const ofRefund = entries.filter((e) => e.subject.id === refund.id);
    expect(ofRefund.find((e) => e.action === 'expense.created')!.changes!.refund).toEqual({ before: null, after: true });
    expect(ofRefund.find((e) => e.action === 'expense.updated')!.changes!.refund).toEqual({ before: true, after: false });
  });

  it('offline push creates and updates refunds', async () => {
    const b = await clothesBudget();
    const res = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: { mutations: [{ op: 'create', expense: { amount: 1_000, occurredOn: '2026-11-05', categoryId: b.clothes, refund: true } }] },
    });
    expect(res.status, res.text).toBe(200);
    const created = res.json.results[0];
    expect(created).toMatchObject({ status: 'applied', expense: { amount: 1_000, refund: true } });
    const second = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: { mutations: [{ op: 'update', id: created.expense.id, baseVersion: 1, patch: { refund: false } }] },
    });
    expect(second.status, second.text).toBe(200);
    expect(second.json.results[0]).toMatchObject({ status: 'applied', version: 2 });
    expect('refund' in second.json.results[0].expense).toBe(false);
    expect((await figures(b.id)).categories.Clothes).toEqual([1_000, 19_000]);
  });

  it('a split refund counts each part negative in its category', async () => {
    const b = await clothesBudget();
    await post(b.id, { amount: 15_000, occurredOn: '2026-11-10', categoryId: b.clothes });
    await post(b.id, { amount: 8_000, occurredOn: '2026-11-10', categoryId: b.shoes });
    const split = await post(b.id, {
      amount: 5_000,
      occurredOn: '2026-11-12',
      refund: true,
      splits: [{ categoryId: b.clothes, amount: 3_000 }, { categoryId: b.shoes, amount: 2_000 }],
    });
    expect(split).toMatchObject({ refund: true, splits: [{ amount: 3_000 }, { amount: 2_000 }] });
    // Clothes 150.00 - 30.00 = 120.00; Shoes 80.00 - 20.00 = 60.00; total 230.00 - 50.00 = 180.00.
    expect(await figures(b.id)).toEqual({ spent: 18_000, categories: { Clothes: [12_000, 8_000], Shoes: [6_000, null] } });
  });

  it('the spending breakdown by category and by merchant counts a refund negative', async () => {
    const b = await clothesBudget();
    await post(b.id, { amount: 15_000, occurredOn: '2026-11-10', categoryId: b.clothes, merchant: 'Shoe Shop' });
    await post(b.id, { amount: 5_999, occurredOn: '2026-11-12', categoryId: b.clothes, merchant: 'Shoe Shop', refund: true });
    await post(b.id, { amount: 4_000, occurredOn: '2026-11-12', categoryId: b.shoes, merchant: 'Market' });
    const byMerchant = await h.call('GET', `/v1/budgets/${b.id}/spending?by=merchant`, { token: team.owner.token });
    expect(byMerchant.status, byMerchant.text).toBe(200);
    // 150.00 - 59.99 + 40.00 = 130.01; Shoe Shop 90.01 (9001 / 13001 = 0.69233...), Market 40.00 (0.30766...).
    expect(byMerchant.json).toMatchObject({ total: 13_001, count: 3 });
    expect(byMerchant.json.items).toEqual([
      { key: 'shoe shop', label: 'Shoe Shop', amount: 9_001, count: 2, share: 0.6923 },
      { key: 'market', label: 'Market', amount: 4_000, count: 1, share: 0.3077 },
    ]);
    const byCategory = await h.call('GET', `/v1/budgets/${b.id}/spending?by=category`, { token: team.owner.token });
    expect(byCategory.status, byCategory.text).toBe(200);
    expect(byCategory.json.total).toBe(13_001);
    expect((byCategory.json.items as any[]).map((i) => [i.key, i.amount, i.count])).toEqual([
      [b.clothes, 9_001, 2],
      [b.shoes, 4_000, 1],
    ]);
  });

  it('balances: A pays 100.00 shared with B, records a 40.00 refund shared alike: B owes A 30.00', async () => {
    const b = await clothesBudget();
    await h.addMember({ id: b.id, currency: 'USD', categories: [] }, team.owner, team.editor, 'editor');
    await post(b.id, { amount: 10_000, occurredOn: '2026-11-10' });
    await post(b.id, { amount: 4_000, occurredOn: '2026-11-11', refund: true });
    const res = await h.call('GET', `/v1/budgets/${b.id}/balances`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    // Paid 100.00 - 40.00 = 60.00, shared 1:1: each owes 30.00.
    expect(res.json.total).toBe(6_000);
    const row = (id: string) => (res.json.members as any[]).find((m) => m.userId === id);
    expect([row(team.owner.id).paid, row(team.owner.id).owes, row(team.owner.id).net]).toEqual([6_000, 3_000, 3_000]);
    expect([row(team.editor.id).paid, row(team.editor.id).owes, row(team.editor.id).net]).toEqual([0, 3_000, -3_000]);
    expect(res.json.settlements).toEqual([{ from: team.editor.id, to: team.owner.id, amount: 3_000 }]);
  });

  it('thresholds are crossed only going up: 80% once by a purchase, not again after a refund and another purchase', async () => {
    const b = await clothesBudget({ limit: 10_000, alertThresholds: [80], categories: [] });
    const recorded = async (body: Body) => theEvent(h.t, 'expense.recorded', { expenseId: (await post(b.id, { occurredOn: '2026-11-10', ...body })).id });
    const crossings = async () => (await outboxEvents(h.t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === b.id).map((e) => e.envelope.data);
    // A refund first: spending -10.00, nothing reached.
    await deliver(h.t, await recorded({ amount: 1_000, refund: true }));
    expect(await crossings()).toEqual([]);
    // 90.00 - 10.00 = 80.00: 80% reached.
    await deliver(h.t, await recorded({ amount: 9_000 }));
    expect((await crossings()).map((c) => [c.threshold, c.spent])).toEqual([[80, 8_000]]);
    // A refund of 20.00 (60.00, below), then a purchase of 30.00 (90.00, above again): no second announcement.
    await deliver(h.t, await recorded({ amount: 2_000, refund: true }));
    await deliver(h.t, await recorded({ amount: 3_000 }));
    expect((await crossings()).map((c) => [c.threshold, c.spent])).toEqual([[80, 8_000]]);
    expect((await summary(b.id)).spent).toBe(9_000);
  });

  it('export writes -59.99; the plain import reads it back as a refund, the same file again adds nothing, a same-amount purchase is no duplicate of it', async () => {
    const b = await clothesBudget();
    await post(b.id, { amount: 5_999, occurredOn: '2026-11-12', categoryId: b.clothes, merchant: 'Shoe Shop', refund: true });
    const exported = await h.call('GET', `/v1/budgets/${b.id}/expenses/export`, { token: team.owner.token });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.text.split('\r\n')[1]).toBe('2026-11-12,-59.99,Clothes,,Shoe Shop,,,,true,');

    const target = await clothesBudget();
    const importCsv = (csv: string) =>
      h.call('POST', `/v1/budgets/${target.id}/expenses/import`, { token: team.owner.token, rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
    const first = await importCsv(exported.text);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ status: 'succeeded', imported: 1, duplicates: 0, errorCount: 0 });
    const again = await importCsv(exported.text);
    expect(again.json).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 1, errorCount: 0 });
    // The same values as a purchase (59.99, no sign): its own row, not the refund's duplicate.
    const withPurchase = await importCsv(`${exported.text}2026-11-12,59.99,Clothes,,Shoe Shop,,,,true,\r\n`);
    expect(withPurchase.json).toMatchObject({ status: 'succeeded', imported: 1, duplicates: 1, errorCount: 0 });
    const listed = await h.listExpenses(target, team.owner.token);
    expect(listed.map((e) => [e.amount, e.refund ?? false]).sort()).toEqual([[5_999, false], [5_999, true]]);
    // -59.99 + 59.99: nothing spent in Clothes.
    expect((await figures(target.id)).categories.Clothes).toEqual([0, 20_000]);
  });

  it('a viewer cannot record one; refund must be a boolean (a 400 naming it)', async () => {
    const b = team.budget;
    const byViewer = await h.call('POST', expensesPath(b.id), { token: team.viewer.token, body: { amount: 100, occurredOn: '2026-11-10', refund: true } });
    expectProblem(byViewer, 403);
    const bad = await h.call('POST', expensesPath(b.id), { token: team.owner.token, body: { amount: 100, occurredOn: '2026-11-10', refund: 'yes' } });
    expectProblem(bad, 400, ['refund']);
    const created = await post(b.id, { amount: 100, occurredOn: '2026-11-10' });
    const badPatch = await h.call('PATCH', `${expensesPath(b.id)}/${created.id}`, { token: team.owner.token, body: { refund: 1 } });
    expectProblem(badPatch, 400, ['refund']);
    // A recurring definition is never a refund: its strict body refuses the field.
    const recurring = await h.call('POST', `/v1/budgets/${b.id}/recurring-expenses`, {
      token: team.owner.token,
      body: { amount: 100, refund: true, schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-12-01' } },
    });
    expectProblem(recurring, 400, ['refund']);
  });
});
