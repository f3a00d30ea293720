import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAtClock } from '../../support/actors';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { withCommandMiddleware } from '../../support/command-middleware';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Undo of a bulk edit through HTTP (DynamoDB Local): POST .../expenses/bulk answers `undo`, and
 * POST .../expenses/bulk/{bulkId}/undo puts back each expense still at the version the bulk
 * left it at (PATCH's write with If-Match, or the restore's), keeps the others with a reason,
 * answers the same when called again. Expected figures are worked out here by hand.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team();
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const bulk = async (b: Budget, body: unknown, who: User = team.editor) => {
  const res = await h.call('POST', `${path(b)}/bulk`, { token: who.token, body });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const undo = (b: Budget, bulkId: string, who: User = team.editor) => h.call('POST', `${path(b)}/bulk/${bulkId}/undo`, { token: who.token });
const create = async (b: Budget, body: Record<string, unknown>) => {
  const res = await h.call('POST', path(b), { token: team.owner.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
};
const get = async (b: Budget, id: string) => h.call('GET', `${path(b)}/${id}`, { token: team.owner.token });
const fresh = async () => {
  const b = await h.createBudget(team.owner, { categories: ['Groceries', 'Transport'] });
  await h.addMember(b, team.owner, team.editor, 'editor');
  await h.addMember(b, team.owner, team.viewer, 'viewer');
  return b;
};

/** The summary of the month containing `date`: spent, spent per category (zeros left out), uncategorized. */
async function month(b: Budget, date: string) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/summary?date=${date}`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  const byCategory = Object.fromEntries((res.json.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
  return { spent: res.json.spent as number, byCategory, uncategorized: res.json.uncategorizedSpent as number };
}

/** Every change a device that synced at `since` gets next (and the new knowledge). */
async function changesSince(b: Budget, since?: string): Promise<{ expenses: any[]; knowledge: string }> {
  const expenses: any[] = [];
  for (let token = since; ; ) {
    const res = await h.call('GET', `/v1/budgets/${b.id}/changes${token ? `?since=${encodeURIComponent(token)}` : ''}`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expenses.push(...res.json.expenses);
    token = res.json.serverKnowledge;
    if (!res.json.hasMore) return { expenses, knowledge: token! };
  }
}

const eventsOf = async (b: Budget, type: string) => (await outboxEvents(h.t, type)).filter((e) => e.envelope.data.budgetId === b.id);
const expensesStore = () => h.t.system.deps.storeFor('expenses');

describe('POST /expenses/bulk/{bulkId}/undo', { timeout: 180_000 }, () => {
  it('recategorize then undo: the categories and each month\'s totals come back exactly; the writes reach delta sync and events; a second undo answers the same', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const a = await create(b, { amount: 1000, categoryId: groceries, occurredOn: '2026-11-03' });
    const c = await create(b, { amount: 250, categoryId: groceries, occurredOn: '2026-11-17' });
    const d = await create(b, { amount: 400, categoryId: groceries, occurredOn: '2026-10-09' });
    const already = await create(b, { amount: 700, categoryId: transport, occurredOn: '2026-11-20' });
    const u = await create(b, { amount: 90, categoryId: null, occurredOn: '2026-11-21' });

    const moved = await bulk(b, { expenseIds: [a.id, c.id, d.id, already.id, u.id], action: { type: 'recategorize', categoryId: transport } });
    expect(moved.succeeded).toBe(5);
    expect(moved.undo).toEqual({ id: expect.any(String), expiresAt: '2026-11-25T12:00:00.000Z' });
    // Nov: 1000 + 250 + 700 + 90 in Transport; Oct: 400.
    expect(await month(b, '2026-11-10')).toEqual({ spent: 2040, byCategory: { [transport]: 2040 }, uncategorized: 0 });
    expect(await month(b, '2026-10-10')).toEqual({ spent: 400, byCategory: { [transport]: 400 }, uncategorized: 0 });

    const { knowledge } = await changesSince(b);
    const updatedBefore = (await eventsOf(b, 'expense.updated')).length;
    const res = await undo(b, moved.undo.id);
    expect(res.status, res.text).toBe(200);
    // `already` was in Transport: the bulk did not write it, so it is not the undo's.
    expect(res.json).toEqual({ id: moved.undo.id, undone: [a.id, c.id, d.id, u.id], kept: [], failed: [] });
    // Nov: Groceries 1000 + 250, Transport 700, uncategorized 90; Oct: Groceries 400.
    expect(await month(b, '2026-11-10')).toEqual({ spent: 2040, byCategory: { [groceries]: 1250, [transport]: 700 }, uncategorized: 90 });
    expect(await month(b, '2026-10-10')).toEqual({ spent: 400, byCategory: { [groceries]: 400 }, uncategorized: 0 });
    for (const e of [a, c, d]) expect((await get(b, e.id)).json).toMatchObject({ categoryId: groceries, version: 3, amount: e.amount });
    expect((await get(b, u.id)).json).toMatchObject({ categoryId: null, version: 3 });
    expect((await get(b, already.id)).json).toEqual(already);

    // The undo's writes are ordinary expense writes: a syncing device and the subscribers see each.
    const synced = await changesSince(b, knowledge);
    expect(synced.expenses.map((e) => e.id).sort()).toEqual([a.id, c.id, d.id, u.id].sort());
    expect(synced.expenses.every((e) => e.version === 3)).toBe(true);
    const updated = (await eventsOf(b, 'expense.updated')).slice(updatedBefore);
    expect(updated).toHaveLength(4);
    expect(updated.every((e) => e.envelope.data.updatedBy === team.editor.id)).toBe(true);
    // And in the activity log: the undo's four writes, each moving its expense back out of Transport, by the editor.
    const activity = (await h.call('GET', `/v1/budgets/${b.id}/activity?limit=100`, { token: team.owner.token })).json.items as any[];
    const movedBack = activity.filter((e) => e.action === 'expense.updated' && e.changes?.categoryId?.before === transport);
    expect(movedBack.map((e) => e.changes.categoryId.after).sort()).toEqual([groceries, groceries, groceries, null].sort());
    expect(movedBack.every((e) => e.actor.id === team.editor.id)).toBe(true);

    // Again: the same answer, nothing written (no change for a device, versions stay).
    const again = await undo(b, moved.undo.id);
    expect(again.status, again.text).toBe(200);
    expect(again.json).toEqual(res.json);
    expect((await changesSince(b, synced.knowledge)).expenses).toEqual([]);
    expect((await get(b, a.id)).json.version).toBe(3);
  });

  it('addTags, removeTags, markReviewed and delete are undone; a bulk that wrote nothing has no undo', async () => {
    const b = await fresh();
    const [groceries] = b.categories.map((c) => c.id) as [string];
    const t1 = await create(b, { amount: 100, categoryId: groceries, occurredOn: '2026-11-02', tags: ['home'] });
    const t2 = await create(b, { amount: 200, categoryId: groceries, occurredOn: '2026-11-03' });
    const added = await bulk(b, { expenseIds: [t1.id, t2.id], action: { type: 'addTags', tags: ['trip'] } });
    expect((await get(b, t1.id)).json.tags).toEqual(['home', 'trip']);
    expect((await undo(b, added.undo.id)).json).toMatchObject({ undone: [t1.id, t2.id], kept: [], failed: [] });
    expect((await get(b, t1.id)).json).toMatchObject({ tags: ['home'], version: 3 });
    expect((await get(b, t2.id)).json).not.toHaveProperty('tags');

    const r1 = await create(b, { amount: 300, categoryId: groceries, occurredOn: '2026-11-04', tags: ['trip', 'work'] });
    const removed = await bulk(b, { expenseIds: [r1.id], action: { type: 'removeTags', tags: ['TRIP'] } });
    expect((await get(b, r1.id)).json.tags).toEqual(['work']);
    expect((await undo(b, removed.undo.id)).json.undone).toEqual([r1.id]);
    expect((await get(b, r1.id)).json.tags).toEqual(['trip', 'work']);

    const m1 = await create(b, { amount: 400, categoryId: groceries, occurredOn: '2026-11-05', reviewed: false });
    const reviewed = await bulk(b, { expenseIds: [m1.id], action: { type: 'markReviewed' } });
    expect((await get(b, m1.id)).json.reviewed).toBe(true);
    expect((await undo(b, reviewed.undo.id)).json.undone).toEqual([m1.id]);
    expect((await get(b, m1.id)).json).toMatchObject({ reviewed: false, version: 3 });

    // Already as asked: nothing written, nothing to undo.
    expect((await bulk(b, { expenseIds: [m1.id], action: { type: 'removeTags', tags: ['none'] } })).undo).toBeNull();

    const before = await month(b, '2026-11-10');
    expect(before.spent).toBe(1000);
    const del = await create(b, { amount: 1500, categoryId: null, occurredOn: '2026-11-06', tags: ['big'] });
    const deleted = await bulk(b, { expenseIds: [del.id, t2.id], action: { type: 'delete' } });
    expect(deleted.succeeded).toBe(2);
    expect((await month(b, '2026-11-10')).spent).toBe(800);
    const recordedBefore = (await eventsOf(b, 'expense.recorded')).length;
    const res = await undo(b, deleted.undo.id);
    expect(res.json).toEqual({ id: deleted.undo.id, undone: [del.id, t2.id], kept: [], failed: [] });
    // Restored as deleted, one version on (del: deleted at 1; t2: at 3).
    expect((await get(b, del.id)).json).toEqual({ ...del, version: 2 });
    expect((await get(b, t2.id)).json).toMatchObject({ amount: 200, version: 4 });
    expect(await month(b, '2026-11-10')).toEqual({ spent: 2500, byCategory: { [groceries]: 1000 }, uncategorized: 1500 });
    const recorded = (await eventsOf(b, 'expense.recorded')).slice(recordedBefore);
    expect(recorded.map((e) => e.envelope.data.restoredBy)).toEqual([team.editor.id, team.editor.id]);
  });

  it('an expense changed, deleted or restored since the bulk is kept and not overwritten', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const edited = await create(b, { amount: 100, categoryId: groceries, occurredOn: '2026-11-02' });
    const untouched = await create(b, { amount: 200, categoryId: groceries, occurredOn: '2026-11-03' });
    const gone = await create(b, { amount: 300, categoryId: groceries, occurredOn: '2026-11-04' });
    const moved = await bulk(b, { expenseIds: [edited.id, untouched.id, gone.id], action: { type: 'recategorize', categoryId: transport } });
    const patched = await h.call('PATCH', `${path(b)}/${edited.id}`, { token: team.owner.token, body: { merchant: 'Bakery' } });
    expect(patched.status, patched.text).toBe(200);
    expect((await h.call('DELETE', `${path(b)}/${gone.id}`, { token: team.owner.token })).status).toBe(204);

    const res = await undo(b, moved.undo.id);
    expect(res.json).toEqual({
      id: moved.undo.id,
      undone: [untouched.id],
      kept: [
        { expenseId: edited.id, reason: 'changed' },
        { expenseId: gone.id, reason: 'gone' },
      ],
      failed: [],
    });
    expect((await get(b, edited.id)).json).toEqual(patched.json);
    expect((await get(b, untouched.id)).json.categoryId).toBe(groceries);
    expect((await get(b, gone.id)).status).toBe(404);
    // 200 in Groceries (put back), 100 in Transport (kept as edited).
    expect((await month(b, '2026-11-10')).byCategory).toEqual({ [groceries]: 200, [transport]: 100 });

    // Deleted by the bulk: restored by hand since (changed), or its restorable copy gone (not-restorable).
    const x = await create(b, { amount: 10, categoryId: groceries, occurredOn: '2026-11-05' });
    const y = await create(b, { amount: 20, categoryId: groceries, occurredOn: '2026-11-06' });
    const removed = await bulk(b, { expenseIds: [x.id, y.id], action: { type: 'delete' } });
    const restored = await h.call('POST', `${path(b)}/${x.id}/restore`, { token: team.owner.token });
    expect(restored.status, restored.text).toBe(200);
    await expensesStore().delete({ Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#deleted#${y.id}` } });
    expect((await undo(b, removed.undo.id)).json).toEqual({
      id: removed.undo.id,
      undone: [],
      kept: [
        { expenseId: x.id, reason: 'changed' },
        { expenseId: y.id, reason: 'not-restorable' },
      ],
      failed: [],
    });
    expect((await get(b, x.id)).json.version).toBe(2);
  });

  it('two undos at once: one does the work, both answer the same, each expense written back once', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await create(b, { amount: 10 + i, categoryId: groceries, occurredOn: '2026-11-07' })).id);
    const moved = await bulk(b, { expenseIds: ids, action: { type: 'recategorize', categoryId: transport } });
    const [one, two] = await Promise.all([undo(b, moved.undo.id), undo(b, moved.undo.id, team.owner)]);
    expect(one.status, one.text).toBe(200);
    expect(two.status, two.text).toBe(200);
    expect(two.json).toEqual(one.json);
    expect(one.json.undone).toEqual(ids);
    for (const id of ids) expect((await get(b, id)).json).toMatchObject({ categoryId: groceries, version: 3 });
  });

  it('an undo whose claim committed but whose answer was lost (the SDK sent it again and met that claim) does the work, not a 409 "being undone by another request"', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await create(b, { amount: 10 + i, categoryId: groceries, occurredOn: '2026-11-07' })).id);
    const moved = await bulk(b, { expenseIds: ids, action: { type: 'recategorize', categoryId: transport } });
    const claim = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes(moved.undo.id) && input.includes('SET claimToken');
    const { result: res, resent } = await withFirstAnswerLost(h.t.doc, claim, () => undo(b, moved.undo.id));
    expect(resent).toBe(true);
    expect(res.status, res.text).toBe(200);
    expect(res.json.undone).toEqual(ids);
    for (const id of ids) expect((await get(b, id)).json).toMatchObject({ categoryId: groceries, version: 3 });
    // Called again: the same answer, nothing written twice.
    const again = await undo(b, moved.undo.id);
    expect(again.json).toEqual(res.json);
    for (const id of ids) expect((await get(b, id)).json.version).toBe(3);
  });

  it('an expense changed between the undo\'s read and its write-back is kept (changed) and not overwritten; the others are undone', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const raced = await create(b, { amount: 300, categoryId: groceries, occurredOn: '2026-11-05' });
    const calm = await create(b, { amount: 400, categoryId: groceries, occurredOn: '2026-11-06' });
    const moved = await bulk(b, { expenseIds: [raced.id, calm.id], action: { type: 'recategorize', categoryId: transport } });
    // The undo reads both at version 2; its write-back of `raced` (the first transaction naming
    // it) is held, as tests/support/archive-race.ts holds writes, until another write has moved
    // it to version 3.
    let arrived!: () => void;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    const result = await withCommandMiddleware(
      h.t.doc,
      'holdUndoWriteBack',
      (next, context) => async (args) => {
        if (holding && context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes(raced.id)) {
          holding = false;
          arrived();
          await released;
        }
        return next(args);
      },
      async () => {
        try {
          const undoing = undo(b, moved.undo.id);
          await held;
          // Another writer's change, written to the item directly (a PATCH through this same process
          // would meet the held request's in-process state; in AWS it is another invocation).
          await h.t.doc.send(
            new UpdateCommand({
              TableName: h.t.tableName,
              Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#expense#${raced.id}` },
              UpdateExpression: 'SET version = version + :one, description = :d',
              ExpressionAttributeValues: { ':one': 1, ':d': 'checked by hand' },
            }),
          );
          release();
          return await undoing;
        } finally {
          // A held write-back must not wait forever if the test failed before releasing it.
          release();
        }
      },
    );
    expect(result.status, result.text).toBe(200);
    expect(result.json).toEqual({ id: moved.undo.id, undone: [calm.id], kept: [{ expenseId: raced.id, reason: 'changed' }], failed: [] });
    // The other write stands, on the bulk's category; the undo wrote nothing after it.
    expect((await get(b, raced.id)).json).toMatchObject({ categoryId: transport, description: 'checked by hand', version: 3 });
    expect((await get(b, calm.id)).json).toMatchObject({ categoryId: groceries, version: 3 });
  });

  it('a call that died part-way, taken over after its 60 s claim: what it put back is reported undone; a member\'s edit after its claim is kept', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const [first, second, third] = [
      await create(b, { amount: 100, categoryId: groceries, occurredOn: '2026-11-05' }),
      await create(b, { amount: 200, categoryId: groceries, occurredOn: '2026-11-06' }),
      await create(b, { amount: 300, categoryId: groceries, occurredOn: '2026-11-07' }),
    ];
    const moved = await bulk(b, { expenseIds: [first.id, second.id, third.id], action: { type: 'recategorize', categoryId: transport } });

    // The first call writes `first` back, then dies at `second`'s write (an error no problem
    // maps: the call answers 500, stores no outcome and leaves its claim); `third` is never written.
    let firstWritten!: () => void;
    const written = new Promise<void>((resolve) => (firstWritten = resolve));
    await withCommandMiddleware(
      h.t.doc,
      'dieAtSecondWriteBack',
      (next, context) => async (args) => {
        if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
        const input = JSON.stringify(args.input);
        if (input.includes(second.id) || input.includes(third.id)) {
          await written;
          throw new Error('the invocation was killed');
        }
        const out = await next(args);
        if (input.includes(first.id)) firstWritten();
        return out;
      },
      async () => {
        expect((await undo(b, moved.undo.id)).status).toBe(500);
      },
    );
    expect((await get(b, first.id)).json).toMatchObject({ categoryId: groceries, version: 3 });

    // After the dead call's claim went stale, a member sets `third` back by hand: one version on,
    // as before the bulk, but written outside that claim, so it is not the undo's.
    clock.advance(61_000);
    for (const u of [team.owner, team.editor]) u.token = await tokenAtClock(h.t, u);
    const byHand = await h.call('PATCH', `${path(b)}/${third.id}`, { token: team.owner.token, body: { categoryId: groceries } });
    expect(byHand.status, byHand.text).toBe(200);

    const taken = await undo(b, moved.undo.id);
    expect(taken.status, taken.text).toBe(200);
    expect(taken.json).toEqual({ id: moved.undo.id, undone: [first.id, second.id], kept: [{ expenseId: third.id, reason: 'changed' }], failed: [] });
    // `first` was written once (by the dead call), `second` by the takeover, `third` by hand only.
    expect((await get(b, first.id)).json).toMatchObject({ categoryId: groceries, version: 3 });
    expect((await get(b, second.id)).json).toMatchObject({ categoryId: groceries, version: 3 });
    expect((await get(b, third.id)).json).toMatchObject({ categoryId: groceries, version: 3 });
    expect((await undo(b, moved.undo.id)).json).toEqual(taken.json);
  });

  it('who may undo: its maker or the owner; viewer 403, another editor 403, stranger 404, another budget\'s id or an unknown one 404, archived 409, after 24 hours 404', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const e = await create(b, { amount: 100, categoryId: groceries, occurredOn: '2026-11-02' });
    const other = await h.signup('other-editor');
    await h.addMember(b, team.owner, other, 'editor');
    const moved = await bulk(b, { expenseIds: [e.id], action: { type: 'recategorize', categoryId: transport } });

    expectProblem(await undo(b, moved.undo.id, team.viewer), 403);
    expectProblem(await undo(b, moved.undo.id, other), 403);
    expectProblem(await undo(b, moved.undo.id, team.stranger), 404);
    expectProblem(await undo(b, '01JDBULK0000000000000000001'), 404);
    const elsewhere = await fresh();
    expectProblem(await undo(elsewhere, moved.undo.id), 404);
    expect((await get(b, e.id)).json.categoryId).toBe(transport);

    // The owner may undo a member's bulk edit.
    const byOwner = await undo(b, moved.undo.id, team.owner);
    expect(byOwner.json.undone).toEqual([e.id]);

    // Archived: refused as every write.
    const again = await bulk(b, { expenseIds: [e.id], action: { type: 'recategorize', categoryId: transport } });
    const budget = (await h.call('GET', `/v1/budgets/${b.id}`, { token: team.owner.token })).json;
    const archived = await h.call('POST', `/v1/budgets/${b.id}/archive`, { token: team.owner.token, headers: { 'if-match': `"${budget.version}"` } });
    expect(archived.status, archived.text).toBe(200);
    const refused = await undo(b, again.undo.id);
    expectProblem(refused, 409);
    expect(refused.json.type).toMatch(/budget-archived$/);
    // Another editor still gets the 403 of the rule, never the 409 that says unarchiving would let them.
    expectProblem(await undo(b, again.undo.id, other), 403);

    // 24 hours later (the TTL not run yet): gone. A second before, still there.
    const later = await fresh();
    const [f, g] = [await create(later, { amount: 50, categoryId: null, occurredOn: '2026-11-02' }), await create(later, { amount: 60, categoryId: null, occurredOn: '2026-11-02' })];
    const early = await bulk(later, { expenseIds: [f.id], action: { type: 'addTags', tags: ['x'] } });
    const late = await bulk(later, { expenseIds: [g.id], action: { type: 'addTags', tags: ['x'] } });
    clock.advance(24 * 60 * 60 * 1000 - 1000);
    for (const u of [team.owner, team.editor]) u.token = await tokenAtClock(h.t, u);
    expect((await undo(later, early.undo.id)).json.undone).toEqual([f.id]);
    clock.advance(1000);
    for (const u of [team.owner, team.editor]) u.token = await tokenAtClock(h.t, u);
    expectProblem(await undo(later, late.undo.id), 404);
    expect((await get(later, g.id)).json.tags).toEqual(['x']);
  });
});
