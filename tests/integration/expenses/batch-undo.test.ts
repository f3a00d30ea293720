import { describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { ownerSuite, type Budget } from './harness';

/**
 * Undo of a category reassign call and of a rule apply call over HTTP (DynamoDB Local): each
 * answer carries `undo: {id, expiresAt}` (null when it wrote nothing), undone through the bulk
 * edit's route (POST .../expenses/bulk/{id}/undo): every expense the call wrote and nobody
 * changed since gets its category, split parts, merchant, tags and description back, and the
 * summary follows (figures worked by hand below); one changed since is kept as it is.
 */
const suite = ownerSuite(['Fuel', 'Snacks', 'Home']);
const { token, expensesPath, rulesPath, fresh, postExpense, addRule, get, month } = suite;

const reassign = (b: Budget, categoryId: string, body: unknown) => suite.h.call('POST', `/v1/budgets/${b.id}/categories/${categoryId}/reassign`, { token: token(), body });
const apply = (b: Budget, ruleId: string) => suite.h.call('POST', `${rulesPath(b)}/${ruleId}/apply`, { token: token(), body: {} });
const undo = (b: Budget, id: string) => suite.h.call('POST', `${expensesPath(b)}/bulk/${id}/undo`, { token: token() });
/** Removes `categoryId` from the budget (PATCH of the budget's category list, If-Match on its version). */
const removeCategory = async (b: Budget, categoryId: string) => {
  const budget = (await suite.h.call('GET', `/v1/budgets/${b.id}`, { token: token() })).json;
  const res = await suite.h.call('PATCH', `/v1/budgets/${b.id}`, { token: token(), headers: { 'if-match': `"${budget.version}"` }, body: { categories: budget.categories.filter((c: { id: string }) => c.id !== categoryId) } });
  expect(res.status, res.text).toBe(200);
};
const patch = async (b: Budget, id: string, body: Record<string, unknown>) => {
  const res = await suite.h.call('PATCH', `${expensesPath(b)}/${id}`, { token: token(), body });
  expect(res.status, res.text).toBe(200);
};

describe('undo of a category reassign and a rule apply', { timeout: 240_000 }, () => {
  it('reassign, then undo: categories and split parts (with their descriptions) back, the summary as before; an expense changed since kept', async () => {
    const b = await fresh();
    const [fuel, snacks, home] = b.categories.map((c) => c.id) as [string, string, string];
    const plain = await postExpense(b, { amount: 6_000, occurredOn: '2026-11-03', merchant: 'Kiosk', categoryId: snacks });
    // Every part in Snacks or Fuel: merged into one, so no longer split (its part descriptions become the expense's).
    const merged = await postExpense(b, {
      amount: 5_000,
      occurredOn: '2026-11-07',
      merchant: 'Shell',
      splits: [
        { categoryId: fuel, amount: 2_000, description: 'petrol' },
        { categoryId: snacks, amount: 3_000, description: 'crisps' },
      ],
    });
    // A Home part stays: still split, its Snacks part moved into a Fuel part.
    const split = await postExpense(b, {
      amount: 2_200,
      occurredOn: '2026-11-09',
      merchant: 'Market',
      splits: [
        { categoryId: home, amount: 1_000 },
        { categoryId: snacks, amount: 700, description: 'gum' },
        { categoryId: fuel, amount: 500 },
      ],
    });
    const later = await postExpense(b, { amount: 400, occurredOn: '2026-11-12', merchant: 'Kiosk', categoryId: snacks });
    const untouched = await postExpense(b, { amount: 1_500, occurredOn: '2026-11-06', merchant: 'Aral', categoryId: fuel });

    // Before, by hand: Fuel 2000 + 500 + 1500 = 4000; Snacks 6000 + 3000 + 700 + 400 = 10100; Home 1000.
    const before = { byCategory: { [fuel]: 4_000, [snacks]: 10_100, [home]: 1_000 }, uncategorized: 0 };
    expect(await month(b, '2026-11-24')).toEqual(before);

    const { result: moved, sent } = await commandsSentDuring(suite.h.t.doc, () => reassign(b, snacks, { to: fuel }));
    expect(moved.status, moved.text).toBe(200);
    // The undo's record: ONE write after the writes (a transaction with the budget's closed-budget check), the bulk edit's kind, an entry per expense moved.
    const puts = sent.filter((c) => c.name === 'TransactWriteItemsCommand').flatMap((c) => c.input.TransactItems as any[]).filter((i) => i.Put?.Item?.kind === 'bulk-undo');
    expect(puts).toHaveLength(1);
    const record = puts[0]!.Put.Item as Record<string, any>;
    expect(record).toMatchObject({ pk: `expenses#budget#${b.id}`, sk: `expenses#bulk#${moved.json.undo.id}`, kind: 'bulk-undo' });
    expect(JSON.parse(record.entries).find((e: { expenseId: string }) => e.expenseId === merged.id)).toEqual({
      expenseId: merged.id,
      version: 2,
      before: {
        splits: [
          { categoryId: fuel, amount: 2_000, description: 'petrol' },
          { categoryId: snacks, amount: 3_000, description: 'crisps' },
        ],
        categoryId: null,
        description: null,
      },
    });
    expect(moved.json.moved.map((m: { id: string }) => m.id).sort()).toEqual([plain.id, merged.id, split.id, later.id].sort());
    expect(moved.json.undo).toEqual({ id: expect.any(String), expiresAt: expect.any(String) });
    // After, by hand: Fuel 4000 + 6000 + 3000 + 700 + 400 = 14100; Home 1000.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 14_100, [home]: 1_000 }, uncategorized: 0 });
    expect(await get(b, merged.id)).toMatchObject({ categoryId: fuel, description: 'petrol; crisps', version: 2 });
    expect((await get(b, merged.id)).splits).toBeUndefined();
    expect((await get(b, split.id)).splits).toEqual([
      { categoryId: home, amount: 1_000 },
      { categoryId: fuel, amount: 1_200, description: 'gum' },
    ]);

    // Changed since (its merchant): kept, still in Fuel.
    await patch(b, later.id, { merchant: 'Kiosk 2' });

    const undone = await undo(b, moved.json.undo.id);
    expect(undone.status, undone.text).toBe(200);
    expect(undone.json.undone.slice().sort()).toEqual([plain.id, merged.id, split.id].sort());
    expect(undone.json.kept).toEqual([{ expenseId: later.id, reason: 'changed' }]);
    expect(undone.json.failed).toEqual([]);

    // Exactly as before, but the changed one: Fuel 4000 + 400 = 4400; Snacks 10100 - 400 = 9700; Home 1000.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 4_400, [snacks]: 9_700, [home]: 1_000 }, uncategorized: 0 });
    expect(await get(b, plain.id)).toMatchObject({ categoryId: snacks, version: 3 });
    const mergedBack = await get(b, merged.id);
    expect(mergedBack).toMatchObject({ categoryId: null, version: 3 });
    expect(mergedBack.description).toBeUndefined();
    expect(mergedBack.splits).toEqual([
      { categoryId: fuel, amount: 2_000, description: 'petrol' },
      { categoryId: snacks, amount: 3_000, description: 'crisps' },
    ]);
    expect((await get(b, split.id)).splits).toEqual([
      { categoryId: home, amount: 1_000 },
      { categoryId: snacks, amount: 700, description: 'gum' },
      { categoryId: fuel, amount: 500 },
    ]);
    expect(await get(b, later.id)).toMatchObject({ categoryId: fuel, merchant: 'Kiosk 2', version: 3 });
    expect(await get(b, untouched.id)).toMatchObject({ categoryId: fuel, version: 1 });

    // Again: the same answer, nothing written.
    const again = await undo(b, moved.json.undo.id);
    expect(again.json).toEqual(undone.json);
    expect(await get(b, plain.id)).toMatchObject({ version: 3 });

    // A call with nothing left moved nothing: no undo.
    const none = await reassign(b, home, { to: snacks });
    expect(none.status, none.text).toBe(200);
    expect(none.json.moved).toEqual([{ id: split.id, version: 4 }]);
    expect(none.json.undo).not.toBeNull();
    const empty = await reassign(b, home, { to: snacks });
    expect(empty.json).toMatchObject({ moved: [], undo: null });
  });

  it('a rule apply that renamed and categorized, then undo: merchants, categories and tags back; one changed since kept', async () => {
    const b = await fresh();
    const [fuel, snacks] = b.categories.map((c) => c.id) as [string, string, string];
    const shouting = await postExpense(b, { amount: 6_000, occurredOn: '2026-11-03', merchant: 'SHELL 042', categoryId: snacks });
    const tagged = await postExpense(b, { amount: 2_500, occurredOn: '2026-11-10', merchant: 'Shell Berlin', categoryId: null, tags: ['work'] });
    const later = await postExpense(b, { amount: 1_000, occurredOn: '2026-11-05', merchant: 'Shell Berlin', categoryId: snacks });
    const rule = await addRule(b, { merchant: { contains: 'shell' }, categoryId: fuel, renameTo: 'Shell', tags: ['car'] });

    // Before, by hand: Snacks 6000 + 1000 = 7000; uncategorized 2500.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [snacks]: 7_000 }, uncategorized: 2_500 });
    const applied = await apply(b, rule.id);
    expect(applied.status, applied.text).toBe(200);
    expect(applied.json.applied).toEqual([
      { id: tagged.id, categoryId: fuel, merchant: 'Shell', tags: ['work', 'car'] },
      { id: later.id, categoryId: fuel, merchant: 'Shell', tags: ['car'] },
      { id: shouting.id, categoryId: fuel, merchant: 'Shell', tags: ['car'] },
    ]);
    expect(applied.json.undo).toEqual({ id: expect.any(String), expiresAt: expect.any(String) });
    // After: all 9500 in Fuel.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 9_500 }, uncategorized: 0 });

    await patch(b, later.id, { tags: ['mine'] });

    const undone = await undo(b, applied.json.undo.id);
    expect(undone.status, undone.text).toBe(200);
    expect(undone.json).toEqual({ id: applied.json.undo.id, undone: [tagged.id, shouting.id], kept: [{ expenseId: later.id, reason: 'changed' }], failed: [] });
    // By hand: Snacks 6000; Fuel 1000 (the one kept); uncategorized 2500.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 1_000, [snacks]: 6_000 }, uncategorized: 2_500 });
    const shoutingBack = await get(b, shouting.id);
    expect(shoutingBack).toMatchObject({ categoryId: snacks, merchant: 'SHELL 042', version: 3 });
    expect(shoutingBack.tags ?? []).toEqual([]);
    expect(await get(b, tagged.id)).toMatchObject({ categoryId: null, merchant: 'Shell Berlin', tags: ['work'], version: 3 });
    expect(await get(b, later.id)).toMatchObject({ categoryId: fuel, merchant: 'Shell', tags: ['mine'], version: 3 });

    // The rule applied again writes the two put back, and the kept one for its tag (its own changed them), with a new undo; nothing left after: undo null.
    const reapplied = await apply(b, rule.id);
    expect(reapplied.json.applied.map((a: { id: string }) => a.id)).toEqual([tagged.id, later.id, shouting.id]);
    expect(reapplied.json.undo?.id).not.toBe(applied.json.undo.id);
    const nothing = await apply(b, rule.id);
    expect(nothing.json).toMatchObject({ applied: [], undo: null });
  });

  it('a reassign out of a category the budget no longer has: its undo keeps the expense where it is (`kept: category-removed`, not a failure)', async () => {
    const b = await fresh();
    const [fuel, snacks] = b.categories.map((c) => c.id) as [string, string, string];
    const kiosk = await postExpense(b, { amount: 800, occurredOn: '2026-11-03', merchant: 'Kiosk', categoryId: snacks });
    await removeCategory(b, snacks);
    const moved = await reassign(b, snacks, { to: fuel });
    expect(moved.json.moved).toEqual([{ id: kiosk.id, version: 2 }]);
    const undone = await undo(b, moved.json.undo.id);
    expect(undone.status, undone.text).toBe(200);
    expect(undone.json).toEqual({ id: moved.json.undo.id, undone: [], kept: [{ expenseId: kiosk.id, reason: 'category-removed' }], failed: [] });
    expect(await get(b, kiosk.id)).toMatchObject({ categoryId: fuel, version: 2 });
    // Idempotent: the same answer again, nothing written.
    expect((await undo(b, moved.json.undo.id)).json).toEqual(undone.json);
    expect(await get(b, kiosk.id)).toMatchObject({ version: 2 });
  });

  it('a category one expense would go back to removed after the reassign: that one kept (`category-removed`), the other undone in the same call', async () => {
    const b = await fresh();
    const [fuel, snacks, home] = b.categories.map((c) => c.id) as [string, string, string];
    const kiosk = await postExpense(b, { amount: 800, occurredOn: '2026-11-03', merchant: 'Kiosk', categoryId: snacks });
    const market = await postExpense(b, {
      amount: 2_000,
      occurredOn: '2026-11-05',
      merchant: 'Market',
      splits: [
        { categoryId: home, amount: 1_200 },
        { categoryId: snacks, amount: 800 },
      ],
    });
    const moved = await reassign(b, snacks, { to: fuel });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json.moved.map((m: { id: string }) => m.id).sort()).toEqual([kiosk.id, market.id].sort());
    // Home removed after the move: the market's parts before it (Home 1200, Snacks 800) cannot come back.
    await removeCategory(b, home);
    const marketMoved = await get(b, market.id);
    const undone = await undo(b, moved.json.undo.id);
    expect(undone.status, undone.text).toBe(200);
    expect(undone.json).toMatchObject({ undone: [kiosk.id], kept: [{ expenseId: market.id, reason: 'category-removed' }], failed: [] });
    expect(await get(b, kiosk.id)).toMatchObject({ categoryId: snacks, version: 3 });
    expect(await get(b, market.id)).toEqual(marketMoved);
    // By hand: Snacks 800 (the kiosk back); the market's 2000 as the move left it: its former Home
    // part (1200) now uncategorized (Home removed), its Fuel part 800.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [snacks]: 800, [fuel]: 800 }, uncategorized: 1_200 });
  });

  it('a split rule applied, then undo: the expense is plain again in its category', async () => {
    const b = await fresh();
    const [fuel, snacks, home] = b.categories.map((c) => c.id) as [string, string, string];
    const costco = await postExpense(b, { amount: 10_000, occurredOn: '2026-11-03', merchant: 'Costco', categoryId: snacks });
    const rule = await addRule(b, { merchant: { equals: 'Costco' }, split: [{ categoryId: fuel, percent: 70 }, { categoryId: home, percent: 30 }] });
    const applied = await apply(b, rule.id);
    expect(applied.status, applied.text).toBe(200);
    // By hand: 70 % of 10000 = 7000, 30 % = 3000.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 7_000, [home]: 3_000 }, uncategorized: 0 });
    const undone = await undo(b, applied.json.undo.id);
    expect(undone.json).toMatchObject({ undone: [costco.id], kept: [], failed: [] });
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [snacks]: 10_000 }, uncategorized: 0 });
    const back = await get(b, costco.id);
    expect(back).toMatchObject({ categoryId: snacks, version: 3 });
    expect(back.splits).toBeUndefined();
  });
});
