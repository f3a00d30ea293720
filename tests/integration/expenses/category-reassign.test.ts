import { describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { withWritesThrottled } from '../../support/throttled-writes';
import { expectProblem } from '../../support/problem';
import { call } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import { ownerSuite, type Budget } from './harness';

/**
 * POST /v1/budgets/{budgetId}/categories/{categoryId}/reassign over HTTP (DynamoDB Local):
 * every expense of a category, across all dates, moved to another, at most 100 per call, each
 * by the PATCH's write: the summary's spent moves from the category to `to` (figures worked by
 * hand below), a syncing device sees each moved expense, a call with nothing left writes
 * nothing (and reads only the access check and the two index partitions). A removed category's
 * expenses (the main use), split expenses' parts, 105 expenses over two calls with an
 * Idempotency-Key replay, roles (owner and editor; viewer 403, stranger 404) and bad bodies.
 */
const suite = ownerSuite(['Fuel', 'Snacks']);
const { token, expensesPath, fresh, postExpense, get, month, knowledge, changesSince } = suite;
/** An answer's `undo` when the call wrote (undone in batch-undo.test.ts). */
const UNDO = { id: expect.any(String), expiresAt: expect.any(String) };

const reassign = (b: Budget, categoryId: string, body: unknown, opts: { who?: string; key?: string } = {}) =>
  suite.h.call('POST', `/v1/budgets/${b.id}/categories/${categoryId}/reassign`, { token: opts.who ?? token(), body, headers: opts.key ? { 'idempotency-key': opts.key } : {} });

/** Removes every category of `b` but `keep` (a budget PATCH, If-Match its version). */
async function keepOnly(b: Budget, keep: { id: string; name: string }[]) {
  const budget = (await suite.h.call('GET', `/v1/budgets/${b.id}`, { token: token() })).json;
  const res = await suite.h.call('PATCH', `/v1/budgets/${b.id}`, { token: token(), headers: { 'if-match': `"${budget.version}"` }, body: { categories: keep } });
  expect(res.status, res.text).toBe(200);
}

describe('POST .../categories/{categoryId}/reassign', { timeout: 240_000 }, () => {
  it("moves the category's expenses of every date to `to`; totals, sync and events follow; a second call writes nothing", async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const nov = await postExpense(b, { amount: 6_000, occurredOn: '2026-11-03', merchant: 'Kiosk', categoryId: snacks });
    const oct = await postExpense(b, { amount: 300, occurredOn: '2026-10-04', merchant: 'Kiosk', categoryId: snacks });
    const old = await postExpense(b, { amount: 700, occurredOn: '2025-03-01', merchant: 'Kiosk', categoryId: snacks });
    const filed = await postExpense(b, { amount: 1_500, occurredOn: '2026-11-06', merchant: 'Shell', categoryId: fuel });
    const none = await postExpense(b, { amount: 2_500, occurredOn: '2026-11-10', merchant: 'Misc', categoryId: null });

    // Before, by hand: November Fuel 1500, Snacks 6000, uncategorized 2500; October Snacks 300; March 2025 Snacks 700.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 1_500, [snacks]: 6_000 }, uncategorized: 2_500 });
    expect(await month(b, '2026-10-15')).toEqual({ byCategory: { [snacks]: 300 }, uncategorized: 0 });
    expect(await month(b, '2025-03-15')).toEqual({ byCategory: { [snacks]: 700 }, uncategorized: 0 });
    const since = await knowledge(b);
    const updatedBefore = (await outboxEvents(suite.h.t, 'expense.updated')).filter((e) => e.envelope.data.budgetId === b.id).length;

    const first = await reassign(b, snacks, { to: fuel });
    expect(first.status, first.text).toBe(200);
    // Newest first, each at its next version.
    expect(first.json).toEqual({
      from: snacks,
      to: fuel,
      moved: [
        { id: nov.id, version: 2 },
        { id: oct.id, version: 2 },
        { id: old.id, version: 2 },
      ],
      failed: [],
      more: false,
      cursor: null,
      undo: UNDO,
    });
    // After, by hand: November Fuel 1500 + 6000 = 7500; October Fuel 300; March 2025 Fuel 700; uncategorized untouched.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 7_500 }, uncategorized: 2_500 });
    expect(await month(b, '2026-10-15')).toEqual({ byCategory: { [fuel]: 300 }, uncategorized: 0 });
    expect(await month(b, '2025-03-15')).toEqual({ byCategory: { [fuel]: 700 }, uncategorized: 0 });
    expect(await get(b, filed.id)).toMatchObject({ categoryId: fuel, version: 1 });
    expect(await get(b, none.id)).toMatchObject({ categoryId: null, version: 1 });
    expect(await get(b, old.id)).toMatchObject({ categoryId: fuel, version: 2 });

    // A syncing device sees exactly the three moved expenses; one expense.updated each, by the owner.
    const changes = await changesSince(b, since);
    expect(changes.map((c) => [c.id, c.categoryId, c.version]).sort()).toEqual(
      [
        [nov.id, fuel, 2],
        [oct.id, fuel, 2],
        [old.id, fuel, 2],
      ].sort(),
    );
    const updated = (await outboxEvents(suite.h.t, 'expense.updated')).filter((e) => e.envelope.data.budgetId === b.id).slice(updatedBefore);
    expect(updated.map((e) => e.envelope.data.expenseId).sort()).toEqual([nov.id, oct.id, old.id].sort());
    expect(updated.every((e) => e.envelope.data.updatedBy === suite.team.owner.id && e.envelope.data.changes.categoryId?.after === fuel)).toBe(true);

    // Nothing left: the access read and one Query of each index partition (the category's, the split one), no write.
    const { result: second, commands } = await commandsSentDuring(suite.h.t.doc, () => reassign(b, snacks, { to: fuel }));
    expect(second.status, second.text).toBe(200);
    expect(second.json).toEqual({ from: snacks, to: fuel, moved: [], failed: [], more: false, cursor: null, undo: null });
    expect(commands).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    expect(await changesSince(b, since)).toHaveLength(3);
  });

  it('one expense throttled on every attempt is listed in `failed` with its problem, the others moved, `more` true; a call from the newest retries it', async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const newest = await postExpense(b, { amount: 1_000, occurredOn: '2026-11-20', merchant: 'A', categoryId: snacks });
    const throttled = await postExpense(b, { amount: 2_000, occurredOn: '2026-11-15', merchant: 'B', categoryId: snacks });
    const oldest = await postExpense(b, { amount: 3_000, occurredOn: '2026-11-10', merchant: 'C', categoryId: snacks });
    const before = await get(b, throttled.id);

    // Every attempt (the SDK's retries too) of a transaction naming this expense is refused as throttled.
    const { result: first, attempts } = await withWritesThrottled(suite.h.t.doc, throttled.id, () => reassign(b, snacks, { to: fuel }));
    expect(attempts).toBeGreaterThan(1);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({
      moved: [
        { id: newest.id, version: 2 },
        { id: oldest.id, version: 2 },
      ],
      failed: [{ id: throttled.id, problem: { status: 503, title: 'Service unavailable' } }],
      more: true,
    });
    expect(first.json.failed).toHaveLength(1);
    // The throttled one is as it was; by hand: Fuel 1000 + 3000, Snacks 2000 left.
    expect(await get(b, throttled.id)).toEqual(before);
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 4_000, [snacks]: 2_000 }, uncategorized: 0 });

    // The answer's cursor resumes right before the failed one: following it retries it.
    expect(first.json.cursor).toEqual(expect.any(String));
    const second = await reassign(b, snacks, { to: fuel, cursor: first.json.cursor });
    expect(second.json).toEqual({ from: snacks, to: fuel, moved: [{ id: throttled.id, version: 2 }], failed: [], more: false, cursor: null, undo: UNDO });
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 6_000 }, uncategorized: 0 });
  });

  it('a client following `cursor` page after page never steps over a failed expense (bounds lowered: 1 write per call)', async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const newest = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'A', categoryId: snacks });
    const throttled = await postExpense(b, { amount: 200, occurredOn: '2026-11-15', merchant: 'B', categoryId: snacks });
    const oldest = await postExpense(b, { amount: 400, occurredOn: '2026-11-10', merchant: 'C', categoryId: snacks });
    const app = suite.h.expensesAppWith({ categoryReassign: { maxWrites: 1 } });
    const post = (body: Record<string, unknown>, from = snacks) => call(app, 'POST', `/v1/budgets/${b.id}/categories/${from}/reassign`, { token: token(), body });

    const first = await post({ to: fuel });
    expect(first.json).toMatchObject({ moved: [{ id: newest.id, version: 2 }], failed: [], more: true, cursor: expect.any(String) });
    // The next page's only expense fails: the cursor stays where this call started (encrypted anew: another string).
    const { result: second } = await withWritesThrottled(suite.h.t.doc, throttled.id, () => post({ to: fuel, cursor: first.json.cursor }));
    expect(second.json).toMatchObject({ moved: [], failed: [{ id: throttled.id, problem: { status: 503 } }], more: true, cursor: expect.any(String) });
    // Following the cursor: the failed one first, then the oldest, then nothing left.
    const third = await post({ to: fuel, cursor: second.json.cursor });
    expect(third.json).toMatchObject({ moved: [{ id: throttled.id, version: 2 }], failed: [], more: true });
    const fourth = await post({ to: fuel, cursor: third.json.cursor });
    expect(fourth.json).toMatchObject({ moved: [{ id: oldest.id, version: 2 }], failed: [], more: false, cursor: null });
    // By hand: 100 + 200 + 400 = 700 in Fuel, none left in Snacks.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 700 }, uncategorized: 0 });

    // The newest expense of a call from the newest fails: no cursor to resume before it, `more` with a null cursor.
    const again = await postExpense(b, { amount: 50, occurredOn: '2026-11-21', merchant: 'D', categoryId: fuel });
    const { result: refused } = await withWritesThrottled(suite.h.t.doc, again.id, () => post({ to: snacks }, fuel));
    expect(refused.json).toMatchObject({ moved: [], failed: [{ id: again.id }], more: true, cursor: null });
  });

  it("empties a category the budget no longer has (its spending counted uncategorized) into a current one, split parts too; `to` must be current", async () => {
    const b = await fresh(['Fuel', 'Snacks', 'Rent']);
    const [fuel, snacks, rent] = b.categories as [{ id: string; name: string }, { id: string; name: string }, { id: string; name: string }];
    const plain = await postExpense(b, { amount: 1_200, occurredOn: '2026-11-02', merchant: 'Kiosk', categoryId: snacks.id });
    const split = await postExpense(b, {
      amount: 900,
      occurredOn: '2026-11-05',
      merchant: 'Market',
      splits: [
        { categoryId: fuel.id, amount: 400 },
        { categoryId: snacks.id, amount: 500, description: 'crisps' },
      ],
    });
    const otherSplit = await postExpense(b, {
      amount: 1_000,
      occurredOn: '2026-11-06',
      merchant: 'Landlord',
      splits: [
        { categoryId: fuel.id, amount: 100 },
        { categoryId: rent.id, amount: 900 },
      ],
    });
    await postExpense(b, { amount: 3_000, occurredOn: '2026-11-07', merchant: 'Landlord', categoryId: rent.id });
    await keepOnly(b, [fuel, rent]);
    // Snacks removed, by hand: its 1200 + 500 now count as uncategorized (1700); Fuel 400 + 100 = 500; Rent 900 + 3000 = 3900.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel.id]: 500, [rent.id]: 3_900 }, uncategorized: 1_700 });

    // The removed category is no `to`.
    expectProblem(await reassign(b, fuel.id, { to: snacks.id }), 400, ['to']);
    const res = await reassign(b, snacks.id, { to: fuel.id });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      from: snacks.id,
      to: fuel.id,
      moved: [
        { id: split.id, version: 2 },
        { id: plain.id, version: 2 },
      ],
      failed: [],
      more: false,
      cursor: null,
      undo: UNDO,
    });
    // The part in Snacks merged into the one in Fuel, leaving one part: a plain Fuel expense of 400 + 500 = 900,
    // the part's description its own (it had none).
    const merged = await get(b, split.id);
    expect(merged).toMatchObject({ amount: 900, categoryId: fuel.id, description: 'crisps' });
    expect(merged.splits).toBeUndefined();
    expect(await get(b, plain.id)).toMatchObject({ categoryId: fuel.id });
    expect(await get(b, otherSplit.id)).toMatchObject({ version: 1 });
    // After, by hand: Fuel 500 + 1200 + 500 = 2200; Rent 3900; nothing uncategorized.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel.id]: 2_200, [rent.id]: 3_900 }, uncategorized: 0 });
    // The Fuel list now shows all three of its expenses.
    const list = await suite.h.call('GET', `${expensesPath(b)}?categoryId=${fuel.id}`, { token: token() });
    expect(list.json.items.map((e: any) => e.id).sort()).toEqual([plain.id, split.id, otherSplit.id].sort());

    // Nothing left of Snacks; an id that never was a category has nothing either.
    expect((await reassign(b, snacks.id, { to: rent.id })).json).toEqual({ from: snacks.id, to: rent.id, moved: [], failed: [], more: false, cursor: null, undo: null });
    expect((await reassign(b, '01JDCATNEVER0000000000000A', { to: rent.id })).json).toMatchObject({ moved: [], more: false });
  });

  it("merges a split expense's moved part into its part already in `to`, leaving the other parts and the sum as they were", async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const split = await postExpense(b, {
      amount: 600,
      occurredOn: '2026-11-12',
      merchant: 'Station',
      splits: [
        { categoryId: snacks, amount: 300 },
        { categoryId: fuel, amount: 200 },
        { categoryId: null, amount: 100 },
      ],
    });
    // Before, by hand: Fuel 200, Snacks 300, uncategorized 100.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 200, [snacks]: 300 }, uncategorized: 100 });
    const res = await reassign(b, snacks, { to: fuel });
    expect(res.status, res.text).toBe(200);
    expect(res.json.moved).toEqual([{ id: split.id, version: 2 }]);
    // One Fuel part of 300 + 200 = 500 where the Snacks part was; the uncategorized part as it was.
    expect((await get(b, split.id)).splits).toEqual([
      { categoryId: fuel, amount: 500 },
      { categoryId: null, amount: 100 },
    ]);
    // After: Fuel 500, uncategorized 100.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 500 }, uncategorized: 100 });
    // Fuel back to Snacks: the one Fuel part goes.
    const back = await reassign(b, fuel, { to: snacks });
    expect(back.json.moved).toEqual([{ id: split.id, version: 3 }]);
    expect((await get(b, split.id)).splits).toEqual([
      { categoryId: snacks, amount: 500 },
      { categoryId: null, amount: 100 },
    ]);
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [snacks]: 500 }, uncategorized: 100 });
  });

  it('a merge leaving one part makes a plain expense of `to` (lists, totals and sync follow); descriptions joined', async () => {
    const b = await fresh(['Fuel', 'Snacks', 'Rent']);
    const [fuel, snacks, rent] = [b.categories[0]!.id, b.categories[1]!.id, b.categories[2]!.id];
    // Two parts, Snacks and Fuel, no description of its own.
    const two = await postExpense(b, {
      amount: 900,
      occurredOn: '2026-11-12',
      merchant: 'Station',
      splits: [
        { categoryId: snacks, amount: 600, description: 'chips' },
        { categoryId: fuel, amount: 300, description: 'diesel' },
      ],
    });
    // Two parts with its own description: that one stays, the parts' are dropped.
    const described = await postExpense(b, {
      amount: 200,
      occurredOn: '2026-11-13',
      merchant: 'Station',
      description: 'Sunday stop',
      splits: [
        { categoryId: fuel, amount: 100 },
        { categoryId: snacks, amount: 100, description: 'gum' },
      ],
    });
    // Three parts: Snacks and Fuel become one, Rent stays.
    const three = await postExpense(b, {
      amount: 1_000,
      occurredOn: '2026-11-14',
      merchant: 'Mall',
      splits: [
        { categoryId: snacks, amount: 400, description: 'snack' },
        { categoryId: fuel, amount: 350, description: 'fuel' },
        { categoryId: rent, amount: 250 },
      ],
    });
    const plain = await postExpense(b, { amount: 200, occurredOn: '2026-11-15', merchant: 'Kiosk', categoryId: snacks });
    // Before, by hand: Fuel 300 + 100 + 350 = 750; Snacks 600 + 100 + 400 + 200 = 1300; Rent 250.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 750, [snacks]: 1_300, [rent]: 250 }, uncategorized: 0 });
    const since = await knowledge(b);

    const res = await reassign(b, snacks, { to: fuel });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      from: snacks,
      to: fuel,
      moved: [
        { id: plain.id, version: 2 },
        { id: three.id, version: 2 },
        { id: described.id, version: 2 },
        { id: two.id, version: 2 },
      ],
      failed: [],
      more: false,
      cursor: null,
      undo: UNDO,
    });
    const twoAfter = await get(b, two.id);
    expect(twoAfter).toMatchObject({ amount: 900, categoryId: fuel, description: 'diesel; chips', version: 2 });
    expect(twoAfter.splits).toBeUndefined();
    const describedAfter = await get(b, described.id);
    expect(describedAfter).toMatchObject({ amount: 200, categoryId: fuel, description: 'Sunday stop' });
    expect(describedAfter.splits).toBeUndefined();
    expect(await get(b, three.id)).toMatchObject({
      categoryId: null,
      splits: [
        { categoryId: fuel, amount: 750, description: 'fuel; snack' },
        { categoryId: rent, amount: 250 },
      ],
    });
    // After, by hand: Fuel 900 + 200 + 750 + 200 = 2050; Rent 250; Snacks nothing (2300 in all, as before).
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 2_050, [rent]: 250 }, uncategorized: 0 });
    // The list by category: the two former split expenses are now filed under Fuel (its own index partition).
    const listed = await suite.h.call('GET', `${expensesPath(b)}?categoryId=${fuel}`, { token: token() });
    expect(listed.json.items.map((e: any) => e.id).sort()).toEqual([plain.id, three.id, described.id, two.id].sort());
    expect((await suite.h.call('GET', `${expensesPath(b)}?categoryId=${snacks}`, { token: token() })).json.items).toEqual([]);
    // A syncing device sees the plain expense without splits.
    const synced = await changesSince(b, since);
    expect(synced.find((c) => c.id === two.id)).toMatchObject({ categoryId: fuel, version: 2 });
    expect(synced.find((c) => c.id === two.id).splits).toBeUndefined();
    // Nothing left in Snacks.
    expect((await reassign(b, snacks, { to: fuel })).json).toMatchObject({ moved: [], more: false });
  });

  it('moves 105 expenses over two calls: 100 with `more` and a cursor, an Idempotency-Key replay writes nothing, the next call finishes', async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const amounts = Array.from({ length: 105 }, (_, n) => 100 + n);
    const made: { id: string }[] = [];
    for (let i = 0; i < amounts.length; i += 15) {
      const batch = amounts.slice(i, i + 15);
      made.push(...(await Promise.all(batch.map((amount, k) => postExpense(b, { amount, occurredOn: `2026-11-${String(1 + ((i + k) % 24)).padStart(2, '0')}`, merchant: 'Kiosk', categoryId: snacks })))));
    }
    // 100 + 101 + ... + 204, summed here: 105 × (100 + 204) / 2 = 15960.
    expect(amounts.reduce((s, a) => s + a, 0)).toBe(15_960);
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [snacks]: 15_960 }, uncategorized: 0 });

    const first = await reassign(b, snacks, { to: fuel }, { key: 'reassign-snacks-1' });
    expect(first.status, first.text).toBe(200);
    expect(first.json.moved).toHaveLength(100);
    expect(first.json).toMatchObject({ from: snacks, to: fuel, more: true, cursor: expect.any(String) });
    expect(new Set(first.json.moved.map((m: any) => m.id)).size).toBe(100);

    const replay = await reassign(b, snacks, { to: fuel }, { key: 'reassign-snacks-1' });
    expect(replay.status, replay.text).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(first.json);

    const second = await reassign(b, snacks, { to: fuel, cursor: first.json.cursor });
    expect(second.status, second.text).toBe(200);
    expect(second.json).toMatchObject({ more: false, cursor: null });
    expect(second.json.moved).toHaveLength(5);
    const all = [...first.json.moved, ...second.json.moved].map((m: any) => m.id).sort();
    expect(all).toEqual(made.map((e) => e.id).sort());
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 15_960 }, uncategorized: 0 });

    const third = await reassign(b, snacks, { to: fuel });
    expect(third.json).toEqual({ from: snacks, to: fuel, moved: [], failed: [], more: false, cursor: null, undo: null });
  });

  it("stops at its read bound among other categories' split expenses (`more`, nothing moved) and goes on with the cursor (bounds lowered: 2 writes, 4 entries read)", async () => {
    const b = await fresh(['Fuel', 'Snacks', 'Rent']);
    const [fuel, snacks, rent] = [b.categories[0]!.id, b.categories[1]!.id, b.categories[2]!.id];
    // Six newer split expenses of Fuel and Rent only, then three older Snacks expenses.
    for (let d = 10; d < 16; d++) {
      await postExpense(b, { amount: 300, occurredOn: `2026-11-${d}`, merchant: 'Mixed', splits: [{ categoryId: fuel, amount: 100 }, { categoryId: rent, amount: 200 }] });
    }
    const olds = [];
    for (const d of ['01', '02', '03']) olds.push(await postExpense(b, { amount: 50, occurredOn: `2026-01-${d}`, merchant: 'Kiosk', categoryId: snacks }));
    const app = suite.h.expensesAppWith({ categoryReassign: { maxWrites: 2, maxExamined: 3 } });
    const moved: string[] = [];
    const answers: any[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 10; n++) {
      const res = await call(app, 'POST', `/v1/budgets/${b.id}/categories/${snacks}/reassign`, { token: token(), body: { to: rent, ...(cursor ? { cursor } : {}) } });
      expect(res.status, res.text).toBe(200);
      answers.push(res.json);
      moved.push(...res.json.moved.map((m: any) => m.id));
      expect(res.json.moved.length).toBeLessThanOrEqual(2);
      if (!res.json.more) break;
      cursor = res.json.cursor;
    }
    // The first call read only split expenses of other categories: nothing moved, but more.
    expect(answers[0]).toMatchObject({ moved: [], more: true, cursor: expect.any(String) });
    expect(answers.at(-1)).toMatchObject({ more: false, cursor: null });
    expect(moved.sort()).toEqual(olds.map((e) => e.id).sort());
    // January by hand: 3 × 50 = 150, all Rent now.
    expect(await month(b, '2026-01-15')).toEqual({ byCategory: { [rent]: 150 }, uncategorized: 0 });
    // A cursor of another category is refused, naming it.
    expectProblem(await reassign(b, fuel, { to: rent, cursor: answers[0].cursor }), 400, ['cursor']);
  });

  it('owners and editors: viewer 403, stranger 404; a bad `to`, body or cursor a 400 naming it; nothing written', async () => {
    const b = suite.team.budget;
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const expense = await postExpense(b, { amount: 2_000, occurredOn: '2026-11-20', merchant: 'Kiosk', categoryId: snacks });
    expectProblem(await reassign(b, snacks, { to: fuel }, { who: suite.team.viewer.token }), 403);
    expectProblem(await reassign(b, snacks, { to: fuel }, { who: suite.team.stranger.token }), 404);
    expectProblem(await reassign(b, snacks, { to: snacks }), 400, ['to']);
    expectProblem(await reassign(b, snacks, { to: '01JDCATNOTINBUDGET00000000A' }), 400, ['to']);
    expectProblem(await reassign(b, snacks, {}), 400, ['to']);
    expectProblem(await reassign(b, snacks, { to: fuel, extra: 1 }), 400);
    expectProblem(await reassign(b, snacks, { to: fuel, cursor: 'not-a-cursor' }), 400, ['cursor']);
    expect(await get(b, expense.id)).toMatchObject({ categoryId: snacks, version: 1 });
    const ok = await reassign(b, snacks, { to: fuel }, { who: suite.team.editor.token });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.moved).toEqual([{ id: expense.id, version: 2 }]);
    expect(await get(b, expense.id)).toMatchObject({ categoryId: fuel, version: 2 });
  });
});
