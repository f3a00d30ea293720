import { describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { withWritesThrottled } from '../../support/throttled-writes';
import { ownerSuite, type Budget } from './harness';

/**
 * POST /v1/budgets/{budgetId}/rules/{ruleId}/apply over HTTP (DynamoDB Local): the SAVED rule
 * written to the range's expenses its conditions match (the preview's matching), only those it
 * would change, at most 100 per call, each by the PATCH's write: the summary's category totals
 * move (figures worked by hand below), a syncing device sees each moved expense, a second call
 * writes nothing, more than 100 → `more` and a second call finishes. Owner only; unknown rule
 * 404; a bad range is a 400 naming `from`; a rule whose category was removed 409; a split
 * expense skipped by a categorizing rule and renamed by a rename-only one. The test clock is 2026-11-24 (UTC budgets), so the
 * default range is 2026-10-26..2026-11-24.
 */
const suite = ownerSuite(['Fuel', 'Snacks']);
const { token, rulesPath, expensesPath, fresh, addRule, postExpense, get, month, knowledge, changesSince } = suite;
/** An answer's `undo` when the call wrote (undone in batch-undo.test.ts). */
const UNDO = { id: expect.any(String), expiresAt: expect.any(String) };

const apply = (b: Budget, ruleId: string, body: unknown = {}, opts: { who?: string; key?: string } = {}) =>
  suite.h.call('POST', `${rulesPath(b)}/${ruleId}/apply`, { token: opts.who ?? token(), body, headers: opts.key ? { 'idempotency-key': opts.key } : {} });
/** The budget's `expense.updated` activity entries about `ids`, newest first. */
const activityOf = async (b: Budget, ids: string[]) => {
  const res = await suite.h.call('GET', `/v1/budgets/${b.id}/activity?limit=100`, { token: token() });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { action: string; subject: { id: string } }[]).filter((e) => e.action === 'expense.updated' && ids.includes(e.subject.id));
};

describe('POST .../rules/{ruleId}/apply', { timeout: 240_000 }, () => {
  it("moves only the matches the rule's conditions (amount min) catch and would change; totals, sync and events follow; a second call writes nothing", async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const big = await postExpense(b, { amount: 6_000, occurredOn: '2026-11-03', merchant: 'Shell Berlin', categoryId: snacks });
    const none = await postExpense(b, { amount: 2_500, occurredOn: '2026-11-10', merchant: 'SHELL 042', categoryId: null });
    const small = await postExpense(b, { amount: 300, occurredOn: '2026-11-04', merchant: 'Shell Berlin', categoryId: snacks });
    const other = await postExpense(b, { amount: 4_000, occurredOn: '2026-11-05', merchant: 'BP', categoryId: snacks });
    const filed = await postExpense(b, { amount: 1_500, occurredOn: '2026-11-06', merchant: 'Shell', categoryId: fuel, tags: ['CAR'] });
    const split = await postExpense(b, {
      amount: 5_000,
      occurredOn: '2026-11-07',
      merchant: 'Shell',
      splits: [
        { categoryId: fuel, amount: 2_000 },
        { categoryId: snacks, amount: 3_000 },
      ],
    });
    const october = await postExpense(b, { amount: 7_000, occurredOn: '2026-10-01', merchant: 'Shell', categoryId: snacks });
    const rule = await addRule(b, { merchant: { contains: 'shell' }, amount: { min: 1_000 }, categoryId: fuel, tags: ['car'] });

    // November by hand: Fuel 1500 + 2000 (split part) = 3500; Snacks 6000 + 300 + 4000 + 3000 = 13300; uncategorized 2500.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 3_500, [snacks]: 13_300 }, uncategorized: 2_500 });
    const since = await knowledge(b);
    const updatedBefore = (await outboxEvents(suite.h.t, 'expense.updated')).filter((e) => e.envelope.data.budgetId === b.id).length;

    const first = await apply(b, rule.id);
    expect(first.status, first.text).toBe(200);
    // Newest first; the tag added after the expense's own ("CAR" already is "car": nothing added to it).
    expect(first.json).toEqual({
      from: '2026-10-26',
      to: '2026-11-24',
      applied: [
        { id: none.id, categoryId: fuel, tags: ['car'] },
        { id: big.id, categoryId: fuel, tags: ['car'] },
      ],
      unchanged: 1,
      skipped: 1,
      failed: [],
      more: false,
      cursor: null,
      undo: UNDO,
    });
    // After, by hand: Fuel 3500 + 6000 + 2500 = 12000; Snacks 300 + 4000 + 3000 = 7300; nothing uncategorized.
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 12_000, [snacks]: 7_300 }, uncategorized: 0 });
    expect(await month(b, '2026-10-15')).toEqual({ byCategory: { [snacks]: 7_000 }, uncategorized: 0 });
    for (const [e, categoryId, version] of [
      [small, snacks, 1],
      [other, snacks, 1],
      [filed, fuel, 1],
      [split, null, 1],
      [october, snacks, 1],
      [big, fuel, 2],
      [none, fuel, 2],
    ] as const) {
      expect(await get(b, e.id)).toMatchObject({ categoryId, version });
    }
    expect((await get(b, filed.id)).tags).toEqual(['CAR']);

    // A syncing device sees exactly the two moved expenses; one expense.updated each, by the owner.
    const changes = await changesSince(b, since);
    expect(changes.map((c) => [c.id, c.categoryId, c.version]).sort()).toEqual(
      [
        [big.id, fuel, 2],
        [none.id, fuel, 2],
      ].sort(),
    );
    const updated = (await outboxEvents(suite.h.t, 'expense.updated')).filter((e) => e.envelope.data.budgetId === b.id).slice(updatedBefore);
    expect(updated.map((e) => e.envelope.data.expenseId).sort()).toEqual([big.id, none.id].sort());
    expect(updated.every((e) => e.envelope.data.updatedBy === suite.team.owner.id && e.envelope.data.changes.categoryId?.after === fuel)).toBe(true);
    // Each says the rule made it, and the activity log names the rule that filed it (nothing renamed).
    expect(updated.map((e) => e.envelope.data.ruleId)).toEqual([rule.id, rule.id]);
    const entries = await activityOf(b, [big.id, none.id]);
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry).toMatchObject({ action: 'expense.updated', actor: { type: 'user', id: suite.team.owner.id }, categorizedBy: { ruleId: rule.id } });
      expect(entry).not.toHaveProperty('renamedBy');
    }

    // Nothing left to write: the access read (carrying the rule's) and the range's one Query page, no write.
    const { result: second, commands } = await commandsSentDuring(suite.h.t.doc, () => apply(b, rule.id));
    expect(second.status, second.text).toBe(200);
    expect(second.json).toEqual({ from: '2026-10-26', to: '2026-11-24', applied: [], unchanged: 3, skipped: 1, failed: [], more: false, cursor: null, undo: null });
    expect(commands).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(await changesSince(b, since)).toHaveLength(2);
    // An explicit range reaching October moves the October one too.
    const wider = await apply(b, rule.id, { from: '2026-09-01', to: '2026-11-30' });
    expect(wider.status, wider.text).toBe(200);
    expect(wider.json).toMatchObject({ applied: [{ id: october.id, categoryId: fuel, tags: ['car'] }], unchanged: 3, skipped: 1, more: false });
  });

  it('renames and files more than 100 matches: 100 per call with `more`, an Idempotency-Key replay writes nothing, the next call finishes', async () => {
    const b = await fresh();
    const snacks = b.categories[1]!.id;
    const amounts = Array.from({ length: 105 }, (_, n) => 100 + n);
    const made: { id: string }[] = [];
    for (let i = 0; i < amounts.length; i += 15) {
      const batch = amounts.slice(i, i + 15);
      made.push(
        ...(await Promise.all(batch.map((amount, k) => postExpense(b, { amount, occurredOn: `2026-11-${String(1 + ((i + k) % 24)).padStart(2, '0')}`, merchant: 'NETFLIX.COM', categoryId: null })))),
      );
    }
    const rule = await addRule(b, { merchant: { contains: 'netflix' }, renameTo: 'Netflix', categoryId: snacks });
    // 100 + 101 + ... + 204, summed here: 105 × (100 + 204) / 2 = 15960.
    expect(amounts.reduce((s, a) => s + a, 0)).toBe(15_960);

    const first = await apply(b, rule.id, {}, { key: 'apply-netflix-1' });
    expect(first.status, first.text).toBe(200);
    expect(first.json.applied).toHaveLength(100);
    expect(first.json).toMatchObject({ unchanged: 0, skipped: 0, more: true });
    expect(first.json.applied.every((a: any) => a.categoryId === snacks && a.merchant === 'Netflix' && !('tags' in a))).toBe(true);
    expect(new Set(first.json.applied.map((a: any) => a.id)).size).toBe(100);

    const replay = await apply(b, rule.id, {}, { key: 'apply-netflix-1' });
    expect(replay.status, replay.text).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(first.json);

    const second = await apply(b, rule.id);
    expect(second.status, second.text).toBe(200);
    expect(second.json).toMatchObject({ unchanged: 100, skipped: 0, more: false });
    expect(second.json.applied).toHaveLength(5);
    const all = [...first.json.applied, ...second.json.applied].map((a: any) => a.id).sort();
    expect(all).toEqual(made.map((e) => e.id).sort());
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [snacks]: 15_960 }, uncategorized: 0 });
    expect((await get(b, made[0]!.id)).merchant).toBe('Netflix');

    const third = await apply(b, rule.id);
    expect(third.json).toMatchObject({ applied: [], unchanged: 105, more: false });
  });

  it('one expense throttled on every attempt is listed in `failed` with its problem, the others written, `more` true; the next call retries it', async () => {
    const b = await fresh();
    const fuel = b.categories[0]!.id;
    const newest = await postExpense(b, { amount: 1_000, occurredOn: '2026-11-20', merchant: 'Shell A', categoryId: null });
    const throttled = await postExpense(b, { amount: 2_000, occurredOn: '2026-11-15', merchant: 'Shell B', categoryId: null });
    const oldest = await postExpense(b, { amount: 3_000, occurredOn: '2026-11-10', merchant: 'Shell C', categoryId: null });
    const rule = await addRule(b, { merchant: { contains: 'shell' }, categoryId: fuel });
    const before = await get(b, throttled.id);

    // Every attempt (the SDK's retries too) of a transaction naming this expense is refused as
    // a throttled request, as in the bulk edit's test.
    const { result: first, attempts } = await withWritesThrottled(suite.h.t.doc, throttled.id, () => apply(b, rule.id));
    expect(attempts).toBeGreaterThan(1); // the SDK retried it, and every retry was throttled
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({
      from: '2026-10-26',
      to: '2026-11-24',
      applied: [
        { id: newest.id, categoryId: fuel },
        { id: oldest.id, categoryId: fuel },
      ],
      unchanged: 0,
      skipped: 0,
      failed: [{ id: throttled.id, problem: { status: 503, title: 'Service unavailable' } }],
      more: true,
    });
    expect(first.json.failed).toHaveLength(1);
    // The throttled expense is as it was; the month's totals moved 1,000 + 3,000 only.
    expect(await get(b, throttled.id)).toEqual(before);
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 4_000 }, uncategorized: 2_000 });

    // Calling again retries it: written now, nothing failed, nothing left.
    const second = await apply(b, rule.id);
    expect(second.status, second.text).toBe(200);
    expect(second.json).toEqual({ from: '2026-10-26', to: '2026-11-24', applied: [{ id: throttled.id, categoryId: fuel }], unchanged: 2, skipped: 0, failed: [], more: false, cursor: null, undo: UNDO });
    expect(await month(b, '2026-11-24')).toEqual({ byCategory: { [fuel]: 6_000 }, uncategorized: 0 });
    expect((await get(b, throttled.id)).version).toBe(before.version + 1);
  });

  it('`cursor`: following it retries the throttled expense and reads nothing newer; one of another rule or range is a 400 naming `cursor`', async () => {
    const b = await fresh();
    const fuel = b.categories[0]!.id;
    const newest = await postExpense(b, { amount: 1_000, occurredOn: '2026-11-20', merchant: 'Shell A', categoryId: null });
    const throttled = await postExpense(b, { amount: 2_000, occurredOn: '2026-11-15', merchant: 'Shell B', categoryId: null });
    const oldest = await postExpense(b, { amount: 3_000, occurredOn: '2026-11-10', merchant: 'Shell C', categoryId: null });
    const rule = await addRule(b, { merchant: { contains: 'shell' }, categoryId: fuel });
    const otherRule = await addRule(b, { merchant: { contains: 'shell' }, categoryId: fuel, tags: ['car'] });
    const range = { from: '2026-11-01', to: '2026-11-30' };

    const { result: first } = await withWritesThrottled(suite.h.t.doc, throttled.id, () => apply(b, rule.id, range));
    expect(first.json).toMatchObject({ applied: [{ id: newest.id }, { id: oldest.id }], failed: [{ id: throttled.id, retryable: true }], more: true });
    // Right before the throttled one: after the newest, written.
    const cursor = first.json.cursor as string;
    expect(cursor).toEqual(expect.any(String));

    expectProblem(await apply(b, otherRule.id, { ...range, cursor }), 400, ['cursor']);
    expectProblem(await apply(b, rule.id, { from: '2026-11-02', to: '2026-11-30', cursor }), 400, ['cursor']);
    expectProblem(await apply(b, rule.id, { cursor }), 400, ['cursor']);
    expectProblem(await apply(b, rule.id, { ...range, cursor: 'not-a-cursor' }), 400, ['cursor']);
    expect(await get(b, throttled.id)).toMatchObject({ categoryId: null, version: 1 });

    // Following it: the throttled one written; of the rest only the oldest is read (unchanged), the newest not.
    const second = await apply(b, rule.id, { ...range, cursor });
    expect(second.status, second.text).toBe(200);
    expect(second.json).toEqual({ ...range, applied: [{ id: throttled.id, categoryId: fuel }], unchanged: 1, skipped: 0, failed: [], more: false, cursor: null, undo: UNDO });
  });

  it('owner only: editor and viewer 403, stranger 404; an unknown rule is a 404 problem; a bad range a 400 naming `from`; nothing written', async () => {
    const b = suite.team.budget;
    const fuel = b.categories[0]!.id;
    const expense = await postExpense(b, { amount: 2_000, occurredOn: '2026-11-20', merchant: 'Shell', categoryId: null });
    const rule = await addRule(b, { merchant: { contains: 'shell' }, categoryId: fuel });
    expectProblem(await apply(b, rule.id, {}, { who: suite.team.editor.token }), 403);
    expectProblem(await apply(b, rule.id, {}, { who: suite.team.viewer.token }), 403);
    expectProblem(await apply(b, rule.id, {}, { who: suite.team.stranger.token }), 404);
    expectProblem(await apply(b, '01JDRULE0000000000000000404'), 404);
    expectProblem(await apply(b, rule.id, { from: '2026-11-20', to: '2026-11-01' }), 400, ['from']);
    expectProblem(await apply(b, rule.id, { to: '2026-11-20' }), 400, ['from']);
    expectProblem(await apply(b, rule.id, { from: '2026-08-01', to: '2026-11-20' }), 400, ['from', 'to']);
    expectProblem(await apply(b, rule.id, { from: '2026-11-01', to: '2026-11-20', extra: 1 }), 400);
    expect(await get(b, expense.id)).toMatchObject({ categoryId: null, version: 1 });
    const ok = await apply(b, rule.id);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.applied).toEqual([{ id: expense.id, categoryId: fuel }]);
  });

  it("a rule whose category the budget no longer has is a 409, writing nothing; a rename-only rule renames a split expense", async () => {
    const b = await fresh();
    const [fuel, snacks] = b.categories as [{ id: string; name: string }, { id: string; name: string }];
    const split = await postExpense(b, {
      amount: 900,
      occurredOn: '2026-11-20',
      merchant: 'shell 042',
      splits: [
        { categoryId: fuel.id, amount: 400 },
        { categoryId: snacks.id, amount: 500 },
      ],
    });
    const plain = await postExpense(b, { amount: 700, occurredOn: '2026-11-21', merchant: 'Shell 042', categoryId: fuel.id });
    const filing = await addRule(b, { merchant: { contains: 'shell' }, categoryId: snacks.id });
    const renaming = await addRule(b, { merchant: { contains: 'shell' }, renameTo: 'Shell' });
    const budget = (await suite.h.call('GET', `/v1/budgets/${b.id}`, { token: token() })).json;
    const removed = await suite.h.call('PATCH', `/v1/budgets/${b.id}`, { token: token(), headers: { 'if-match': `"${budget.version}"` }, body: { categories: [fuel] } });
    expect(removed.status, removed.text).toBe(200);
    expectProblem(await apply(b, filing.id), 409);
    expect(await get(b, plain.id)).toMatchObject({ categoryId: fuel.id, version: 1 });
    const renamed = await apply(b, renaming.id);
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json).toMatchObject({
      applied: [
        { id: plain.id, merchant: 'Shell' },
        { id: split.id, merchant: 'Shell' },
      ],
      unchanged: 0,
      skipped: 0,
      more: false,
    });
    expect(await get(b, split.id)).toMatchObject({ merchant: 'Shell', version: 2, splits: [{ amount: 400 }, { amount: 500 }] });
    // The activity log names the renaming rule; a PATCH by hand names none (no ruleId in its event).
    const byHand = await suite.h.call('PATCH', `${expensesPath(b)}/${plain.id}`, { token: token(), headers: { 'if-match': '"2"' }, body: { merchant: 'Shell Garage' } });
    expect(byHand.status, byHand.text).toBe(200);
    const [hand, ...renames] = await activityOf(b, [plain.id, split.id]);
    expect(hand).toMatchObject({ subject: { id: plain.id }, changes: { merchant: { before: 'Shell', after: 'Shell Garage' } } });
    expect(hand).not.toHaveProperty('renamedBy');
    expect(renames).toHaveLength(2);
    for (const entry of renames) expect(entry).toMatchObject({ renamedBy: { ruleId: renaming.id }, changes: { merchant: { after: 'Shell' } } });
    expect(renames.every((e) => !('categorizedBy' in e))).toBe(true);
    const events = (await outboxEvents(suite.h.t, 'expense.updated')).map((e) => e.envelope.data).filter((d) => d.budgetId === b.id);
    // The two written by the apply (in either order, written concurrently), then the PATCH.
    expect(events).toHaveLength(3);
    expect(events.slice(0, 2).map((d) => [d.expenseId, d.ruleId]).sort()).toEqual([[plain.id, renaming.id], [split.id, renaming.id]].sort());
    expect(events[2]).toMatchObject({ expenseId: plain.id, merchant: 'Shell Garage' });
    expect(events[2]).not.toHaveProperty('ruleId');
  });
});
