import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { withWritesThrottled } from '../../support/throttled-writes';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/bulk through HTTP (DynamoDB Local): each expense changed
 * by the single PATCH/DELETE write, so the summary's totals move exactly, a syncing device sees
 * one change per changed expense, and an expense already as asked is left alone (no version,
 * no change entry, no event). Expected totals are computed here from the amounts created.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team();
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const bulk = (b: Budget, body: unknown, opts: { token?: string; key?: string } = {}) =>
  h.call('POST', `${path(b)}/bulk`, { token: opts.token ?? team.owner.token, body, headers: opts.key ? { 'idempotency-key': opts.key } : {} });
const create = async (b: Budget, body: Record<string, unknown>) => {
  const res = await h.call('POST', path(b), { token: team.owner.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
};
const get = async (b: Budget, id: string) => (await h.call('GET', `${path(b)}/${id}`, { token: team.owner.token })).json;
const fresh = () => h.createBudget(team.owner, { categories: ['Groceries', 'Transport', 'Travel'] });

/** The summary of the month containing `date`: spent, spent per category (zeros left out), uncategorized. */
async function month(b: Budget, date: string) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/summary?date=${date}`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  const byCategory = Object.fromEntries((res.json.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
  return { spent: res.json.spent as number, byCategory, uncategorized: res.json.uncategorizedSpent as number };
}

/** The budget's delta-sync knowledge now (a device that just synced). */
async function knowledge(b: Budget): Promise<string> {
  let since: string | undefined;
  for (;;) {
    const res = await h.call('GET', `/v1/budgets/${b.id}/changes${since ? `?since=${encodeURIComponent(since)}` : ''}`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    since = res.json.serverKnowledge;
    if (!res.json.hasMore) return since!;
  }
}

/** What a device that synced at `since` gets next, every page. */
async function changesSince(b: Budget, since: string): Promise<any[]> {
  const all: any[] = [];
  for (let token = since; ; ) {
    const res = await h.call('GET', `/v1/budgets/${b.id}/changes?since=${encodeURIComponent(token)}`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    all.push(...res.json.expenses);
    token = res.json.serverKnowledge;
    if (!res.json.hasMore) return all;
  }
}

const eventsOf = async (b: Budget, type: string) => (await outboxEvents(h.t, type)).filter((e) => e.envelope.data.budgetId === b.id);

const MONTHS = ['2026-09', '2026-10', '2026-11'] as const;

describe('POST /expenses/bulk', { timeout: 240_000 }, () => {
  it('recategorizes 30 expenses over three months: each month\'s category totals move exactly; the already-filed ones are left alone', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    await h.addMember(b, team.owner, team.editor, 'editor');
    // 30 Groceries expenses on several days of three months, 4 already in Transport, 3 uncategorized.
    const moved: any[] = [];
    for (let i = 0; i < 30; i++) moved.push(await create(b, { amount: 100 + 37 * i, categoryId: groceries, occurredOn: `${MONTHS[i % 3]}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}` }));
    const already: any[] = [];
    for (let i = 0; i < 4; i++) already.push(await create(b, { amount: 5000 + i, categoryId: transport, occurredOn: `${MONTHS[i % 3]}-15` }));
    for (let i = 0; i < 3; i++) await create(b, { amount: 70 + i, categoryId: null, occurredOn: `${MONTHS[i]}-20` });

    const before = Object.fromEntries(await Promise.all(MONTHS.map(async (m) => [m, await month(b, `${m}-10`)] as const)));
    const sumIn = (list: any[], m: string) => list.filter((e) => e.occurredOn.startsWith(m)).reduce((s, e) => s + e.amount, 0);
    for (const m of MONTHS) expect(before[m]!.byCategory).toEqual({ [groceries]: sumIn(moved, m), [transport]: sumIn(already, m) });

    const since = await knowledge(b);
    const updatedBefore = (await eventsOf(b, 'expense.updated')).length;
    const ids = [...moved.slice(0, 15), ...already, ...moved.slice(15)].map((e) => e.id);
    const res = await bulk(b, { expenseIds: ids, action: { type: 'recategorize', categoryId: transport } }, { token: team.editor.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.succeeded).toBe(34);
    expect(res.json.failed).toBe(0);
    expect(res.json.results.map((r: any) => r.expenseId)).toEqual(ids);
    for (const r of res.json.results) {
      expect(r.status).toBe(200);
      expect(r.expense).toEqual(await get(b, r.expenseId));
      expect(r.expense.categoryId).toBe(transport);
    }
    // Moved: version 2; already in Transport: untouched (version 1, same updatedAt).
    const byId = new Map(res.json.results.map((r: any) => [r.expenseId, r.expense]));
    for (const e of moved) expect(byId.get(e.id)).toMatchObject({ version: 2, amount: e.amount, occurredOn: e.occurredOn });
    for (const e of already) expect(byId.get(e.id)).toEqual(e);

    for (const m of MONTHS) {
      const after = await month(b, `${m}-10`);
      expect(after.spent).toBe(before[m]!.spent);
      expect(after.uncategorized).toBe(before[m]!.uncategorized);
      expect(after.byCategory).toEqual({ [transport]: before[m]!.byCategory[transport]! + sumIn(moved, m) });
      expect(after.byCategory[transport]).toBe(sumIn(moved, m) + sumIn(already, m));
    }
    // One change and one event per moved expense; none for the 4 already filed there.
    const changes = await changesSince(b, since);
    expect(changes.map((c) => c.id).sort()).toEqual(moved.map((e) => e.id).sort());
    expect(changes.every((c) => c.kind === 'expense' && c.categoryId === transport && c.version === 2)).toBe(true);
    const updated = (await eventsOf(b, 'expense.updated')).slice(updatedBefore);
    expect(updated).toHaveLength(30);
    expect(updated.every((e) => e.envelope.data.updatedBy === team.editor.id && e.envelope.data.changes.categoryId?.after === transport)).toBe(true);
  });

  it('addTags and removeTags: ignoring case and accents, an expense that has them (or not) is left alone, past 10 tags is a 409 for that expense', async () => {
    const b = await fresh();
    const plain = await create(b, { amount: 100, occurredOn: '2026-11-02' });
    const tagged = await create(b, { amount: 200, occurredOn: '2026-11-03', tags: ['trip', 'Work'] });
    const full = await create(b, { amount: 300, occurredOn: '2026-11-04', tags: Array.from({ length: 9 }, (_, i) => `t${i}`) });
    const ids = [plain.id, tagged.id, full.id];
    const since = await knowledge(b);

    const added = await bulk(b, { expenseIds: ids, action: { type: 'addTags', tags: ['Trip', 'Café'] } });
    expect(added.status, added.text).toBe(200);
    const [p, t, f] = added.json.results;
    expect(p).toMatchObject({ status: 200, expense: { tags: ['Trip', 'Café'], version: 2 } });
    // Keeps its own spelling of `trip`, appends the new one.
    expect(t).toMatchObject({ status: 200, expense: { tags: ['trip', 'Work', 'Café'], version: 2 } });
    expect(f).toMatchObject({ status: 409, problem: { status: 409, errors: [{ path: 'action.tags' }] } });
    expect(f.expense).toBeUndefined();
    expect(await get(b, full.id)).toEqual(full);
    expect(added.json).toMatchObject({ succeeded: 2, failed: 1 });

    // Again: every expense that could take them has them: nothing written.
    const again = await bulk(b, { expenseIds: [plain.id, tagged.id], action: { type: 'addTags', tags: ['CAFE'] } });
    expect(again.json.results.map((r: any) => [r.status, r.expense.version])).toEqual([[200, 2], [200, 2]]);

    const removed = await bulk(b, { expenseIds: ids, action: { type: 'removeTags', tags: ['TRIP', 'cafe', 'T0'] } });
    expect(removed.status, removed.text).toBe(200);
    const [p2, t2, f2] = removed.json.results;
    expect(p2.status).toBe(200);
    expect('tags' in p2.expense).toBe(false);
    expect(p2.expense.version).toBe(3);
    expect(t2.expense).toMatchObject({ tags: ['Work'], version: 3 });
    expect(f2.expense).toMatchObject({ tags: Array.from({ length: 8 }, (_, i) => `t${i + 1}`), version: 2 });

    // No such tag to remove: left alone.
    const none = await bulk(b, { expenseIds: [plain.id], action: { type: 'removeTags', tags: ['work'] } });
    expect(none.json.results[0].expense.version).toBe(3);

    // 2 + 2 + 1 writes: each a change in the feed at its last version.
    const changes = await changesSince(b, since);
    expect(changes.map((c) => [c.id, c.version]).sort()).toEqual([[plain.id, 3], [tagged.id, 3], [full.id, 2]].sort());
    const events = (await eventsOf(b, 'expense.updated')).map((e) => `${e.envelope.data.expenseId}@${e.envelope.data.version}`);
    expect(events.sort()).toEqual([`${plain.id}@2`, `${plain.id}@3`, `${tagged.id}@2`, `${tagged.id}@3`, `${full.id}@2`].sort());
  });

  it('deletes 20: gone, the totals exact, a syncing device sees 20 deletes', async () => {
    const b = await fresh();
    const [groceries] = b.categories.map((c) => c.id) as [string];
    const all: any[] = [];
    for (let i = 0; i < 25; i++) all.push(await create(b, { amount: 1000 + 13 * i, categoryId: i % 2 ? groceries : null, occurredOn: `2026-11-${String(1 + i).padStart(2, '0')}` }));
    const since = await knowledge(b);
    const gone = all.slice(0, 20);
    const res = await bulk(b, { expenseIds: gone.map((e) => e.id), action: { type: 'delete' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ results: gone.map((e) => ({ expenseId: e.id, status: 204 })), succeeded: 20, failed: 0, undo: { id: expect.any(String), expiresAt: expect.any(String) } });

    const kept = all.slice(20);
    expect((await h.listExpenses(b, team.owner.token)).map((e) => e.id).sort()).toEqual(kept.map((e) => e.id).sort());
    const sum = (list: any[]) => list.reduce((s, e) => s + e.amount, 0);
    expect(await month(b, '2026-11-10')).toEqual({
      spent: sum(kept),
      byCategory: { [groceries]: sum(kept.filter((e) => e.categoryId === groceries)) },
      uncategorized: sum(kept.filter((e) => e.categoryId === null)),
    });
    const changes = await changesSince(b, since);
    expect(changes).toHaveLength(20);
    expect(changes.map((c) => c.id).sort()).toEqual(gone.map((e) => e.id).sort());
    expect(changes.every((c) => c.kind === 'deleted')).toBe(true);
    expect(await eventsOf(b, 'expense.deleted')).toHaveLength(20);
    // Restorable, as any deletion.
    const deleted = await h.call('GET', `${path(b)}/deleted?limit=100`, { token: team.owner.token });
    expect(deleted.json.items).toHaveLength(20);

    // Deleting them again: each a 404, nothing else.
    const again = await bulk(b, { expenseIds: gone.slice(0, 3).map((e) => e.id), action: { type: 'delete' } });
    expect(again.json.results.map((r: any) => r.status)).toEqual([404, 404, 404]);
    expect(again.json).toMatchObject({ succeeded: 0, failed: 3 });
  });

  it('ids not in the budget are 404 items, a split expense is a 409 item, the rest is done', async () => {
    const b = await fresh();
    const other = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const mine = await create(b, { amount: 500, categoryId: groceries, occurredOn: '2026-11-05' });
    const split = await create(b, { amount: 900, occurredOn: '2026-11-06', splits: [{ categoryId: groceries, amount: 600 }, { categoryId: transport, amount: 300 }] });
    const theirs = await create(other, { amount: 700, categoryId: other.categories[0]!.id, occurredOn: '2026-11-05' });
    const before = await month(b, '2026-11-10');

    const res = await bulk(b, { expenseIds: ['01JDNOSUCHEXPENSE000000000', theirs.id, split.id, mine.id], action: { type: 'recategorize', categoryId: null } });
    expect(res.status, res.text).toBe(200);
    const [unknown, foreign, splitResult, done] = res.json.results;
    expect(unknown).toMatchObject({ expenseId: '01JDNOSUCHEXPENSE000000000', status: 404, problem: { status: 404 } });
    expect(foreign).toMatchObject({ expenseId: theirs.id, status: 404, problem: { status: 404 } });
    expect(splitResult).toMatchObject({ expenseId: split.id, status: 409, problem: { status: 409, errors: [{ path: 'action.categoryId' }] } });
    expect(splitResult.problem.detail).toMatch(/split/);
    expect(done).toMatchObject({ status: 200, expense: { id: mine.id, categoryId: null, version: 2 } });
    expect(res.json).toMatchObject({ succeeded: 1, failed: 3 });

    expect(await get(b, split.id)).toEqual(split);
    expect(await get(other, theirs.id)).toEqual(theirs);
    expect(await month(b, '2026-11-10')).toEqual({ spent: before.spent, byCategory: { [groceries]: 600, [transport]: 300 }, uncategorized: 500 });
    // A split expense takes tags like any other.
    const tagged = await bulk(b, { expenseIds: [split.id], action: { type: 'addTags', tags: ['shared'] } });
    expect(tagged.json.results[0]).toMatchObject({ status: 200, expense: { tags: ['shared'], splits: split.splits, version: 2 } });
  });

  it('one expense throttled on every attempt is a 503 item with a problem; the rest are done and the totals exact', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const items: any[] = [];
    for (let i = 0; i < 5; i++) items.push(await create(b, { amount: 1_000 + 11 * i, categoryId: groceries, occurredOn: `2026-11-0${1 + i}` }));
    const throttled = items[2];
    const before = await month(b, '2026-11-10');
    expect(before.byCategory).toEqual({ [groceries]: items.reduce((s, e) => s + e.amount, 0) });

    // DynamoDB Local never throttles: every attempt (after the SDK's retry middleware, so each of
    // its retries too) of a transaction naming this expense is refused as a throttled request.
    const { result: res, attempts } = await withWritesThrottled(h.t.doc, throttled.id, () =>
      bulk(b, { expenseIds: items.map((e) => e.id), action: { type: 'recategorize', categoryId: transport } }),
    );
    expect(attempts).toBeGreaterThan(1); // the SDK retried it, and every retry was throttled

    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ succeeded: 4, failed: 1 });
    expect(res.json.results.map((r: any) => [r.expenseId, r.status])).toEqual(items.map((e) => [e.id, e === throttled ? 503 : 200]));
    const failed = res.json.results[2];
    expect(failed.problem).toMatchObject({ status: 503, title: 'Service unavailable' });
    expect(failed.expense).toBeUndefined();
    for (const [i, r] of res.json.results.entries()) if (i !== 2) expect(r.expense).toMatchObject({ id: items[i].id, categoryId: transport, version: 2 });

    // The throttled expense is as it was; the others moved, and the month's totals say exactly that.
    expect(await get(b, throttled.id)).toEqual(throttled);
    const moved = items.filter((e) => e !== throttled).reduce((s, e) => s + e.amount, 0);
    expect(await month(b, '2026-11-10')).toEqual({ spent: before.spent, byCategory: { [groceries]: throttled.amount, [transport]: moved }, uncategorized: before.uncategorized });
    // Only the four written announce a change.
    const updated = (await eventsOf(b, 'expense.updated')).map((e) => e.envelope.data.expenseId).sort();
    expect(updated).toEqual(items.filter((e) => e !== throttled).map((e) => e.id).sort());
  });

  it('refuses a malformed request whole with a 400 naming the field, a viewer with 403, a stranger with 404', async () => {
    const b = await fresh();
    const e = await create(b, { amount: 100, occurredOn: '2026-11-05' });
    const recategorize = { type: 'recategorize', categoryId: null };
    expectProblem(await bulk(b, { expenseIds: [], action: recategorize }), 400, ['expenseIds']);
    expectProblem(await bulk(b, { expenseIds: Array.from({ length: 101 }, (_, i) => `id-${i}`), action: recategorize }), 400, ['expenseIds']);
    expectProblem(await bulk(b, { expenseIds: [e.id, 'x', e.id], action: recategorize }), 400, ['expenseIds.2']);
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'rename', name: 'x' } }), 400, ['action.type']);
    expectProblem(await bulk(b, { expenseIds: [e.id] }), 400, ['action']);
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'recategorize' } }), 400, ['action.categoryId']);
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'addTags', tags: [] } }), 400, ['action.tags']);
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'addTags', tags: ['ok', '   '] } }), 400, ['action.tags.1']);
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'addTags', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) } }), 400, ['action.tags']);
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'delete', extra: 1 } }), 400, ['action.extra']);
    // What the budget tells: a category not of this budget, for the whole request.
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'recategorize', categoryId: 'not-a-category' } }), 400, ['action.categoryId']);

    await h.addMember(b, team.owner, team.viewer, 'viewer');
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'delete' } }, { token: team.viewer.token }), 403);
    expectProblem(await bulk(b, { expenseIds: [e.id], action: { type: 'delete' } }, { token: team.stranger.token }), 404);
    expect(await get(b, e.id)).toEqual(e);
  });

  it('an Idempotency-Key replays the first answer and writes nothing', async () => {
    const b = await fresh();
    const [, transport] = b.categories.map((c) => c.id) as [string, string];
    const a = await create(b, { amount: 100, occurredOn: '2026-11-05' });
    const c = await create(b, { amount: 200, occurredOn: '2026-11-06' });
    const body = { expenseIds: [a.id, c.id], action: { type: 'recategorize', categoryId: transport } };
    const first = await bulk(b, body, { key: 'bulk-retry-1' });
    expect(first.status, first.text).toBe(200);
    const since = await knowledge(b);
    // Changed meanwhile: the replay still answers what the first attempt did.
    expect((await h.call('PATCH', `${path(b)}/${a.id}`, { token: team.owner.token, body: { categoryId: null } })).status).toBe(200);
    const retry = await bulk(b, body, { key: 'bulk-retry-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect((await get(b, a.id)).categoryId).toBeNull();
    expect((await changesSince(b, since)).map((x) => [x.id, x.version])).toEqual([[a.id, 3]]);
    // Another body with the key: 422.
    expectProblem(await bulk(b, { ...body, action: { type: 'delete' } }, { key: 'bulk-retry-1' }), 422);
  });

  it('reads the expenses in one BatchGetItem and writes one transaction per expense changed, none for the others', async () => {
    const b = await fresh();
    const [groceries, transport] = b.categories.map((c) => c.id) as [string, string];
    const toMove: any[] = [];
    for (let i = 0; i < 5; i++) toMove.push(await create(b, { amount: 100 + i, categoryId: groceries, occurredOn: `2026-11-0${1 + i}` }));
    const there: any[] = [];
    for (let i = 0; i < 3; i++) there.push(await create(b, { amount: 200 + i, categoryId: transport, occurredOn: `2026-10-0${1 + i}` }));
    const ids = [...toMove, ...there].map((e) => e.id).concat(['01JDNOSUCHEXPENSE000000001', '01JDNOSUCHEXPENSE000000002']);
    const { result, sent } = await commandsSentDuring(h.t.doc, () => bulk(b, { expenseIds: ids, action: { type: 'recategorize', categoryId: transport } }));
    expect(result.status, result.text).toBe(200);
    expect(result.json).toMatchObject({ succeeded: 8, failed: 2 });
    const expenseKey = (k: any) => String(k.sk).startsWith('expenses#expense#');
    const batchReads = sent.filter((c) => c.name === 'BatchGetItemCommand');
    const expenseReads = batchReads.flatMap((c) => Object.values(c.input.RequestItems as Record<string, { Keys: any[] }>).flatMap((r) => r.Keys)).filter(expenseKey);
    // Every id read once, in batch reads (at most the access read and the expenses' read).
    expect(expenseReads.map((k) => String(k.sk).slice('expenses#expense#'.length)).sort()).toEqual([...ids].sort());
    expect(batchReads.length).toBeLessThanOrEqual(2);
    expect(sent.filter((c) => c.name === 'GetItemCommand' && expenseKey(c.input.Key))).toEqual([]);
    // One transaction per expense moved (each with the expense's Put), none for the 3 already there.
    const transactions = sent.filter((c) => c.name === 'TransactWriteItemsCommand').map((c) => c.input.TransactItems as any[]);
    const writes = transactions.filter((items) => items.some((i) => i.Put?.Item?.kind === 'expense'));
    expect(writes).toHaveLength(5);
    const putIds = writes.map((items) => items.find((i) => i.Put?.Item?.kind === 'expense')!.Put.Item.id);
    expect(putIds.sort()).toEqual(toMove.map((e) => e.id).sort());
    // The undo's record: ONE transaction after the writes (its Put and the budget's closed-budget check), an entry per expense moved (version 2, its category before).
    expect(sent.filter((c) => c.name === 'PutItemCommand')).toEqual([]);
    const undo = transactions.filter((items) => !writes.includes(items));
    expect(undo).toHaveLength(1);
    expect(undo[0]!.map((i) => Object.keys(i)[0])).toEqual(['Put', 'ConditionCheck']);
    expect(undo[0]![1].ConditionCheck.Key.pk).toBe(`expenses#closed#${b.id}`);
    const record = undo[0]![0].Put.Item as Record<string, any>;
    expect(record).toMatchObject({ pk: `expenses#budget#${b.id}`, sk: `expenses#bulk#${result.json.undo.id}`, kind: 'bulk-undo', createdBy: team.owner.id });
    expect(JSON.parse(record.entries)).toEqual(toMove.map((e) => ({ expenseId: e.id, version: 2, before: { categoryId: groceries } })));
  });

  it('two bulk edits of the same expenses at once: each tag is added on the expense as it is when written, none lost', async () => {
    const b = await fresh();
    const created: any[] = [];
    for (let i = 0; i < 24; i++) created.push(await create(b, { amount: 100 + i, occurredOn: '2026-11-07', tags: ['start'] }));
    const ids = created.map((e) => e.id);
    const [one, two] = await Promise.all([
      bulk(b, { expenseIds: ids, action: { type: 'addTags', tags: ['a'] } }),
      bulk(b, { expenseIds: [...ids].reverse(), action: { type: 'addTags', tags: ['b'] } }, { token: team.owner.token }),
    ]);
    expect(one.status, one.text).toBe(200);
    expect(two.status, two.text).toBe(200);
    expect([one.json.succeeded, two.json.succeeded]).toEqual([24, 24]);
    for (const e of await h.listExpenses(b, team.owner.token)) {
      expect([...e.tags].sort()).toEqual(['a', 'b', 'start']);
      expect(e.version).toBe(3);
    }
  });

  it('100 expenses in one request', async () => {
    const b = await fresh();
    const mutations = Array.from({ length: 100 }, (_, i) => ({ op: 'create', expense: { amount: 10 + i, occurredOn: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}` } }));
    const pushed = await h.call('POST', `/v1/budgets/${b.id}/changes`, { token: team.owner.token, body: { mutations } });
    expect(pushed.status, pushed.text).toBe(200);
    const ids = pushed.json.results.map((r: any) => r.expense.id);
    const since = await knowledge(b);
    const res = await bulk(b, { expenseIds: ids, action: { type: 'addTags', tags: ['batch'] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ succeeded: 100, failed: 0 });
    expect(res.json.results.map((r: any) => r.expenseId)).toEqual(ids);
    expect(res.json.results.every((r: any) => r.status === 200 && r.expense.version === 2 && r.expense.tags[0] === 'batch')).toBe(true);
    expect(await changesSince(b, since)).toHaveLength(100);
    expect((await h.listExpenses(b, team.owner.token)).every((e) => e.tags?.[0] === 'batch')).toBe(true);
  });
});
