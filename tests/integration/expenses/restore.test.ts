import { fixedClock, newId } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { withoutClosedMarkers } from '../../support/closed-budgets';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { expenseKeys, totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Undo of a delete: DELETE keeps a restorable copy for 30 days, POST .../restore puts the
 * expense back (same id and content, next version) with its totals, change-log entry and
 * expense.recorded event, GET .../expenses/deleted lists the copies. DynamoDB Local, HTTP.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team();
});
afterAll(() => h.destroy());

const DAY = 24 * 60 * 60 * 1000;
const expensesPath = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const restorePath = (b: Budget, id: string) => `${expensesPath(b)}/${id}/restore`;

async function add(b: Budget, body: Record<string, unknown>, who: User = team.owner) {
  const res = await h.call('POST', expensesPath(b), { token: who.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function remove(b: Budget, id: string, who: User = team.owner) {
  const res = await h.call('DELETE', `${expensesPath(b)}/${id}`, { token: who.token });
  expect(res.status, res.text).toBe(204);
}

async function get(b: Budget, id: string) {
  return h.call('GET', `${expensesPath(b)}/${id}`, { token: team.owner.token });
}

async function summary(b: Budget, date = '2026-11-15') {
  const res = await h.call('GET', `/v1/budgets/${b.id}/summary?date=${date}`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  const { spent, categories } = res.json;
  return { spent, categories: categories.map((c: any) => ({ id: c.id, spent: c.spent })) };
}

async function sync(b: Budget, since?: string) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/changes${since ? `?since=${encodeURIComponent(since)}` : ''}`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  return res.json as { serverKnowledge: string; hasMore: boolean; expenses: any[] };
}

async function deletedPage(b: Budget, query = '', who: User = team.owner) {
  return h.call('GET', `${expensesPath(b)}/deleted${query}`, { token: who.token });
}

/** Signs everyone in again (after the clock moved past their tokens' lifetime). */
async function freshTokens() {
  await h.signInAgain(team);
}

const copyItem = async (b: Budget, id: string) =>
  h.t.system.deps.storeFor('expenses').get({ Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#deleted#${id}` }, ConsistentRead: true });

describe('restoring a deleted expense', { timeout: 120_000 }, () => {
  it('puts back the same expense at the next version: GET equal except version, totals back, stale If-Match refused', async () => {
    const b = team.budget;
    const [groceries] = b.categories;
    await add(b, { amount: 500, categoryId: groceries!.id, occurredOn: '2026-11-10' });
    const e = await add(b, { amount: 1250, categoryId: groceries!.id, occurredOn: '2026-11-12', merchant: 'Corner Market', description: 'Weekly', tags: ['food'] });
    const before = (await get(b, e.id)).json;
    const totalsBefore = await summary(b);

    await remove(b, e.id, team.editor);
    const totalsDeleted = await summary(b);
    expect(totalsDeleted.spent).toBe(totalsBefore.spent - 1250);
    expect((await get(b, e.id)).status).toBe(404);

    const res = await h.call('POST', restorePath(b, e.id), { token: team.editor.token });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.json).toEqual({ ...before, version: 2 });
    const after = await get(b, e.id);
    expect(after.json).toEqual({ ...before, version: 2 });
    expect(after.headers.get('etag')).toBe('"2"');
    expect(await summary(b)).toEqual(totalsBefore);
    // It is in the list again, and no longer in the deleted list.
    expect((await h.listExpenses(b, team.owner.token)).map((x) => x.id)).toContain(e.id);
    expect((await deletedPage(b)).json.items.map((x: any) => x.id)).not.toContain(e.id);

    // An If-Match from before the delete names version 1: it no longer matches.
    const stale = await h.call('PATCH', `${expensesPath(b)}/${e.id}`, { token: team.owner.token, headers: { 'if-match': '"1"' }, body: { amount: 1 } });
    expect(stale.status).toBe(412);

    // The event: expense.recorded, by its creator, restored by the editor, at version 2.
    const event = await theEvent(h.t, 'expense.recorded', { expenseId: e.id, version: 2 });
    expect(event.envelope.data).toMatchObject({ createdBy: team.owner.id, restoredBy: team.editor.id, amount: 1250, categoryId: groceries!.id });
    // The activity log says who restored it.
    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.owner.token });
    expect(activity.status, activity.text).toBe(200);
    expect(activity.json.items[0]).toMatchObject({ action: 'expense.restored', actor: { type: 'user', id: team.editor.id }, subject: { type: 'expense', id: e.id } });
  });

  it('a device that synced the delete gets the expense back from the changes feed', async () => {
    const b = await h.createBudget(team.owner);
    const e = await add(b, { amount: 300, occurredOn: '2026-11-05' });
    const first = await sync(b);
    expect(first.expenses.map((x) => x.id)).toEqual([e.id]);

    await remove(b, e.id);
    const afterDelete = await sync(b, first.serverKnowledge);
    expect(afterDelete.expenses).toEqual([{ kind: 'deleted', id: e.id, deleted: true }]);

    const restored = await h.call('POST', restorePath(b, e.id), { token: team.owner.token });
    expect(restored.status, restored.text).toBe(200);
    const afterRestore = await sync(b, afterDelete.serverKnowledge);
    expect(afterRestore.expenses).toEqual([{ kind: 'expense', ...restored.json }]);
    // And a first sync lists it.
    expect((await sync(b)).expenses).toEqual([{ kind: 'expense', ...restored.json }]);
  });

  // The restore row of packages/expenses/docs/storage-and-totals.md "What one write costs"
  // (bench/write-cost.ts measures create, update and delete only). The delete just before wrote
  // the expense's change shard, so this process knows its counter: no counter read.
  it("costs the access read and ONE transaction; keyed, the lease's write before it and the key's completion one item more of that transaction", async () => {
    const b = await h.createBudget(team.owner);
    const restoreCost = async (id: string, headers: Record<string, string> = {}) => {
      const { result, commands, sent } = await commandsSentDuring(h.t.doc, () => h.call('POST', restorePath(b, id), { token: team.owner.token, headers }));
      expect(result.status, result.text).toBe(200);
      const written = (writeItemsOf(sent) as Record<string, unknown>[]).map((i) => Object.keys(i)[0]).filter((kind) => kind !== 'ConditionCheck');
      return { commands, written };
    };
    const plain = await add(b, { amount: 300, occurredOn: '2026-11-10' });
    await remove(b, plain.id);
    const unkeyed = await restoreCost(plain.id);
    expect(unkeyed.commands).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    // The copy's Delete, the expense's Put, its month's totals, the change counter and entry.
    expect(unkeyed.written).toHaveLength(5);
    const keyedOne = await add(b, { amount: 400, occurredOn: '2026-11-11' });
    await remove(b, keyedOne.id);
    const keyed = await restoreCost(keyedOne.id, { 'idempotency-key': `cost-restore-${keyedOne.id}` });
    // The caller's account is read in a BatchGetItem of its own: the lease's write comes between
    // it and the access read (which carries it when nothing does).
    expect(keyed.commands).toEqual(['BatchGetItemCommand', 'UpdateItemCommand', ...unkeyed.commands]);
    expect(keyed.written).toHaveLength(6);
  });

  it('a second restore is a 409, never restored: 404; viewer 403, stranger 404', async () => {
    const b = team.budget;
    const e = await add(b, { amount: 77, occurredOn: '2026-11-03' });
    expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.owner.token }), 409);
    expectProblem(await h.call('POST', restorePath(b, '01KZZZZZZZZZZZZZZZZZZZZZZZ'), { token: team.owner.token }), 404);
    await remove(b, e.id);
    expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.viewer.token }), 403);
    expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.stranger.token }), 404);
    expect((await h.call('POST', restorePath(b, e.id), { token: team.owner.token })).status).toBe(200);
    expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.owner.token }), 409);
    // Deleted again: restorable again, at the version after.
    const current = (await get(b, e.id)).json;
    await remove(b, e.id);
    const again = await h.call('POST', restorePath(b, e.id), { token: team.owner.token });
    expect(again.json).toEqual({ ...current, version: current.version + 1 });
  });

  it('an Idempotency-Key retry replays the answer and restores nothing twice', async () => {
    const b = await h.createBudget(team.owner);
    const e = await add(b, { amount: 900, occurredOn: '2026-11-20' });
    await remove(b, e.id);
    const headers = { 'idempotency-key': 'restore-once-1' };
    const first = await h.call('POST', restorePath(b, e.id), { token: team.owner.token, headers });
    expect(first.status, first.text).toBe(200);
    const retry = await h.call('POST', restorePath(b, e.id), { token: team.owner.token, headers });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('etag')).toBe('"2"');
    expect((await summary(b, '2026-11-20')).spent).toBe(900);
    expect((await outboxEvents(h.t, 'expense.recorded')).filter((x) => x.envelope.data.expenseId === e.id)).toHaveLength(2);
  });

  it('a restored expense still holds its create\'s Idempotency-Key: a retry of the create replays, records nothing', async () => {
    const b = await h.createBudget(team.owner);
    const key = newId(clock.now().getTime());
    const body = { amount: 2_500, occurredOn: '2026-11-21' };
    const created = await h.call('POST', expensesPath(b), { token: team.owner.token, body, headers: { 'idempotency-key': key } });
    expect(created.status, created.text).toBe(201);
    await remove(b, created.json.id);
    expect((await h.call('POST', restorePath(b, created.json.id), { token: team.owner.token })).status).toBe(200);
    const retry = await h.call('POST', expensesPath(b), { token: team.owner.token, body, headers: { 'idempotency-key': key } });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(created.json);
    expect((await h.listExpenses(b, team.owner.token)).map((x) => x.id)).toEqual([created.json.id]);
    expect((await summary(b, '2026-11-21')).spent).toBe(2_500);
  });

  it('5 concurrent restores: exactly one succeeds and the totals count the expense once', async () => {
    const b = await h.createBudget(team.owner);
    await add(b, { amount: 100, occurredOn: '2026-11-01' });
    const e = await add(b, { amount: 4_321, categoryId: b.categories[1]!.id, occurredOn: '2026-11-02' });
    const totalsBefore = await summary(b);
    await remove(b, e.id);
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.call('POST', restorePath(b, e.id), { token: team.owner.token })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await summary(b)).toEqual(totalsBefore);
    expect((await get(b, e.id)).json.version).toBe(2);
  });

  it('a split expense with a foreign amount comes back exactly, in every category it counted in', async () => {
    const b = await h.createBudget(team.owner, { currency: 'EUR' });
    const [a, c] = b.categories;
    const e = await add(b, {
      amount: 10_000,
      splits: [
        { categoryId: a!.id, amount: 6_000, description: 'food' },
        { categoryId: c!.id, amount: 3_000 },
        { categoryId: null, amount: 1_000 },
      ],
      occurredOn: '2026-11-30',
      merchant: 'Café Zoë',
      tags: ['vacation-2026', 'Reimbursable'],
      foreign: { amount: 1_150_000, currency: 'JPY' },
    });
    const before = (await get(b, e.id)).json;
    const totalsBefore = await summary(b);
    await remove(b, e.id);
    expect((await summary(b)).spent).toBe(totalsBefore.spent - 10_000);
    const res = await h.call('POST', restorePath(b, e.id), { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ ...before, version: 2 });
    expect((await get(b, e.id)).json).toEqual({ ...before, version: 2 });
    expect(await summary(b)).toEqual(totalsBefore);
    // Listed under a category one of its parts is in, as before.
    const byCategory = await h.call('GET', `${expensesPath(b)}?categoryId=${c!.id}`, { token: team.owner.token });
    expect(byCategory.json.items.map((x: any) => x.id)).toEqual([e.id]);
  });

  it('the deleted list: newest deletion first, paged, with deletedAt, deletedBy, restorableUntil; the copy has a 30-day TTL', async () => {
    const b = await h.createBudget(team.owner);
    await h.addMember(b, team.owner, team.viewer, 'viewer');
    const ids: string[] = [];
    for (const amount of [10, 20, 30]) ids.push((await add(b, { amount, occurredOn: '2026-11-09' })).id);
    const deletedAt: string[] = [];
    for (const id of ids) {
      clock.advance(60_000);
      deletedAt.push(clock.now().toISOString());
      await remove(b, id);
    }
    const first = await deletedPage(b, '?limit=2', team.viewer);
    expect(first.status, first.text).toBe(200);
    expect(first.json.items.map((x: any) => x.id)).toEqual([ids[2], ids[1]]);
    expect(first.json.items[0]).toMatchObject({
      id: ids[2],
      amount: 30,
      version: 1,
      deletedAt: deletedAt[2],
      deletedBy: team.owner.id,
      restorableUntil: new Date(Date.parse(deletedAt[2]!) + 30 * DAY).toISOString(),
    });
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await deletedPage(b, `?limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`, team.viewer);
    expect(second.json.items.map((x: any) => x.id)).toEqual([ids[0]]);
    expect(second.json.nextCursor).toBeNull();
    // Exactly a page's worth: that page is the last (no cursor to a page of nothing).
    const exact = await deletedPage(b, '?limit=3', team.viewer);
    expect(exact.json.items.map((x: any) => x.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(exact.json.nextCursor).toBeNull();
    expectProblem(await deletedPage(b, '', team.stranger), 404);
    expectProblem(await deletedPage(b, '?limit=0'), 400, ['query.limit']);

    const copy = await copyItem(b, ids[0]!);
    expect(copy?.expiresAt).toBe(Math.floor(Date.parse(deletedAt[0]!) / 1000) + 30 * 24 * 60 * 60);

    // The first one past 30 days (DynamoDB's TTL has not removed it yet): neither listed nor
    // restorable; the other two still are (deleted one and two minutes later).
    clock.advance(30 * DAY - 90_000);
    await freshTokens();
    expect((await deletedPage(b)).json.items.map((x: any) => x.id)).toEqual([ids[2], ids[1]]);
    // The expired copy after the live ones is no page of its own: the page of the last live one ends the list.
    expect((await deletedPage(b, '?limit=2')).json).toMatchObject({ items: [{ id: ids[2] }, { id: ids[1] }], nextCursor: null });
    const byOne = await deletedPage(b, '?limit=1');
    const last = await deletedPage(b, `?limit=1&cursor=${encodeURIComponent(byOne.json.nextCursor)}`);
    expect(last.json).toMatchObject({ items: [{ id: ids[1] }], nextCursor: null });
    expectProblem(await h.call('POST', restorePath(b, ids[0]!), { token: team.owner.token }), 404);
    expect((await h.call('POST', restorePath(b, ids[2]!), { token: team.owner.token })).status).toBe(200);
  });

  it('a cursor of the deleted list whose copy has left its 30 days since: the end of the list (200, nothing more), not a failed read', async () => {
    const b = await h.createBudget(team.owner);
    const ids: string[] = [];
    for (const amount of [10, 20]) ids.push((await add(b, { amount, occurredOn: '2026-11-09' })).id);
    for (const id of ids) {
      clock.advance(60_000);
      await remove(b, id);
    }
    const first = await deletedPage(b, '?limit=1');
    expect(first.json.items.map((x: any) => x.id)).toEqual([ids[1]]);
    clock.advance(31 * DAY);
    await freshTokens();
    const next = await deletedPage(b, `?limit=1&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(next.status, next.text).toBe(200);
    expect(next.json).toEqual({ items: [], nextCursor: null });
  });

  it('comes back without its receipts, and takes new ones at once (the second pass spares them: attachments-resweep.test.ts)', async () => {
    const b = await h.createBudget(team.owner);
    const e = await add(b, { amount: 420, occurredOn: '2026-11-11' });
    const attach = () =>
      h.call('POST', `${expensesPath(b)}/${e.id}/attachments`, { token: team.owner.token, body: { contentType: 'image/jpeg', size: 1_000, fileName: 'r.jpg' } });
    const receipts = () => h.call('GET', `${expensesPath(b)}/${e.id}/attachments`, { token: team.owner.token });
    expect((await attach()).status).toBe(201);
    await remove(b, e.id);
    // The cascade (expense.deleted) removes the receipts.
    await deliver(h.t, await theEvent(h.t, 'expense.deleted', { expenseId: e.id }));
    expect((await h.call('POST', restorePath(b, e.id), { token: team.owner.token })).status).toBe(200);
    expect((await receipts()).json).toEqual({ items: [] });

    // No hold: a receipt is attached right away, also after a change.
    const changed = await h.call('PATCH', `${expensesPath(b)}/${e.id}`, { token: team.owner.token, body: { description: 'restored' } });
    expect(changed.status, changed.text).toBe(200);
    const now = await attach();
    expect(now.status, now.text).toBe(201);
    expect((await receipts()).json.items.map((a: any) => a.id)).toEqual([now.json.id]);
  });

  it('the totals\' limit holds for a restore as for a create: refused whole, the copy kept', async () => {
    const b = await h.createBudget(team.owner);
    const e = await add(b, { amount: 1_000, occurredOn: '2026-11-20' });
    await remove(b, e.id);
    // Meanwhile the month filled up (written directly: about 9,000 expenses at the largest amount otherwise).
    const store = h.t.system.deps.storeFor('expenses');
    const keys = totalsKeys(store);
    const near = Number.MAX_SAFE_INTEGER - 999;
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      await store.put({ Item: { pk: keys.totalsPk(b.id), sk: keys.monthSk('2026-11', shard), total: near, uncategorized: near, d20_total: near, d20_uncategorized: near } });
    }
    const res = await h.call('POST', restorePath(b, e.id), { token: team.owner.token });
    expectProblem(res, 409, ['amount']);
    expect((await get(b, e.id)).status).toBe(404);
    expect(await copyItem(b, e.id)).toBeDefined();
    expect((await store.get({ Key: { pk: keys.totalsPk(b.id), sk: keys.monthSk('2026-11', 0) }, ConsistentRead: true }))?.total).toBe(near);
  });

  it('a deleted budget: restore refused, and its copies go with the budget data cleanup', async () => {
    const b = await h.createBudget(team.owner);
    const e = await add(b, { amount: 60, occurredOn: '2026-11-08' });
    await remove(b, e.id);
    expect(await copyItem(b, e.id)).toBeDefined();
    expect((await h.call('DELETE', `/v1/budgets/${b.id}`, { token: team.owner.token })).status).toBe(204);
    expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.owner.token }), 404);
    await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: b.id }));
    expect(await copyItem(b, e.id)).toBeUndefined();
    const left = await h.t.system.deps.storeFor('expenses').query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `expenses#budget#${b.id}` }, ConsistentRead: true });
    expect(withoutClosedMarkers(left.items)).toEqual([]);
  });

  it('a restore racing the budget deletion (its closed markers written) fails as a whole', async () => {
    const b = await h.createBudget(team.owner);
    const e = await add(b, { amount: 60, occurredOn: '2026-11-08' });
    await remove(b, e.id);
    // The cleanup's first step (ExpensesRepository.closeBudget), as if budget.deleted arrived
    // while this request still saw the budget.
    const store = h.t.system.deps.storeFor('expenses');
    const keys = expenseKeys(store);
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) await store.put({ Item: { ...keys.closedBudget(b.id, shard), kind: 'closed-budget' } });
    const res = await h.call('POST', restorePath(b, e.id), { token: team.owner.token });
    expectProblem(res, 404);
    expect(res.json.detail).toBe('Budget not found.');
    expect((await get(b, e.id)).status).toBe(404);
    expect(await copyItem(b, e.id)).toBeDefined();
    expect((await summary(b)).spent).toBe(0);
  });
});
