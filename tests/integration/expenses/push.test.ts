import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { withCommandMiddleware } from '../../support/command-middleware';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { withWritesThrottled } from '../../support/throttled-writes';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/changes: a phone's offline queue. The replica here is built only
 * from GET /changes responses, as a client would, and must end equal to the server's list.
 */
let h: Harness;
let owner: User;
let editor: User;
let viewer: User;
let stranger: User;

beforeAll(async () => {
  h = await createHarness();
  [owner, editor, viewer, stranger] = await Promise.all([h.signup('owner'), h.signup('editor'), h.signup('viewer'), h.signup('stranger')]);
});
afterAll(() => h.destroy());

const expensesPath = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const changesPath = (b: Budget) => `/v1/budgets/${b.id}/changes`;
const push = (b: Budget, who: User, mutations: unknown[], key?: string) =>
  h.call('POST', changesPath(b), { token: who.token, body: { mutations }, headers: key ? { 'idempotency-key': key } : {} });

/** Applies GET /changes pages from `since` until caught up; returns the last serverKnowledge. */
async function syncInto(b: Budget, replica: Map<string, any>, since?: string) {
  let token = since;
  for (;;) {
    const q = token ? `?since=${encodeURIComponent(token)}` : '';
    const res = await h.call('GET', `${changesPath(b)}${q}`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    // Items carry `kind` (the discriminator); the replica keeps the expense as GET shows it.
    for (const { kind, ...e } of res.json.expenses) if (kind === 'deleted') replica.delete(e.id); else replica.set(e.id, e);
    token = res.json.serverKnowledge;
    if (!res.json.hasMore) return token!;
  }
}

async function serverCopy(b: Budget) {
  return new Map((await h.listExpenses(b, owner.token)).map((e) => [e.id, e] as const));
}

/** A client-side ULID (what a phone would generate), distinct per n. */
const clientId = (n: number) => `01JDZZ${String(n).padStart(20, '0')}`;

describe('POST /changes (offline push)', { timeout: 180_000 }, () => {
  it('applies 90 of 100 mixed mutations, answers the 10 stale ones with the server copy, and sync ends equal; the retry changes nothing', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const seeded: any[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await h.call('POST', expensesPath(b), { token: owner.token, body: { amount: 100 + i, occurredOn: '2026-11-05' } });
      expect(res.status).toBe(201);
      seeded.push(res.json);
    }
    const replica = new Map<string, any>();
    const k0 = await syncInto(b, replica);
    expect(replica.size).toBe(40);

    // While the phone is offline, the owner changes 7 of the expenses it will update and 3 it will delete.
    const staleIds = new Set([...seeded.slice(0, 7), ...seeded.slice(30, 33)].map((e) => e.id));
    for (const id of staleIds) {
      const res = await h.call('PATCH', `${expensesPath(b)}/${id}`, { token: owner.token, body: { amount: 9999 } });
      expect(res.status).toBe(200);
    }

    const category = b.categories[0]!.id;
    const mutations: any[] = [];
    for (let i = 0; i < 50; i++) {
      const expense = { amount: 500 + i, occurredOn: '2026-11-06', categoryId: category, merchant: `Shop ${i}` };
      mutations.push(i < 25 ? { op: 'create', id: clientId(i), expense } : { op: 'create', expense });
    }
    for (let i = 0; i < 30; i++) mutations.push({ op: 'update', id: seeded[i].id, baseVersion: 1, patch: { amount: 700 + i } });
    for (let i = 30; i < 40; i++) mutations.push({ op: 'delete', id: seeded[i].id, baseVersion: 1 });
    for (let i = 0; i < 5; i++) mutations.push({ op: 'update', id: clientId(i), baseVersion: 1, patch: { description: 'edited offline' } });
    for (let i = 5; i < 10; i++) mutations.push({ op: 'delete', id: clientId(i), baseVersion: 1 });
    expect(mutations).toHaveLength(100);

    const res = await push(b, editor, mutations, 'offline-batch-1');
    expect(res.status, res.text).toBe(200);
    const { results } = res.json;
    expect(results).toHaveLength(100);
    expect(results.filter((r: any) => r.status === 'applied')).toHaveLength(90);
    const conflicts = results.flatMap((r: any, i: number) => (r.status === 'conflict' ? [{ i, r }] : []));
    expect(conflicts.map((c: any) => mutations[c.i].id).sort()).toEqual([...staleIds].sort());

    // Conflicts carry the server's copy, which the push did not touch.
    const server = await serverCopy(b);
    for (const { r } of conflicts) {
      expect(r.current).toMatchObject({ amount: 9999, version: 2 });
      expect(r.current).toEqual({ kind: 'expense', ...server.get(r.current.id) }); // kind, as in GET /changes
    }
    // Applied results carry what is stored: creates by the editor, client ids kept.
    results.slice(0, 25).forEach((r: any, i: number) => expect(r.expense.id).toBe(clientId(i)));
    for (const r of results.slice(10, 50)) {
      expect(r).toMatchObject({ status: 'applied', version: 1, expense: { createdBy: editor.id } });
      expect(r.expense).toEqual(server.get(r.expense.id));
    }
    expect(results[90]).toMatchObject({ status: 'applied', version: 2, expense: { description: 'edited offline' } });
    expect(results[95]).toEqual({ status: 'applied', id: clientId(5), version: 1 });
    expect(results[57]).toMatchObject({ status: 'applied', expense: { id: seeded[7].id, amount: 707, version: 2 } });
    // 40 seeded - 7 deleted + 50 created - 5 deleted again
    expect(server.size).toBe(78);

    // A replica that only syncs, from before the push, ends equal to the server.
    await syncInto(b, replica, k0);
    expect(replica).toEqual(server);
    // The serverKnowledge of the push is the state after it: nothing newer to fetch.
    const after = await h.call('GET', `${changesPath(b)}?since=${encodeURIComponent(res.json.serverKnowledge)}`, { token: owner.token });
    expect(after.json.expenses).toEqual([]);

    // The same batch with its key: the same answer, nothing written.
    const retry = await push(b, editor, mutations, 'offline-batch-1');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(res.json);
    expect(await serverCopy(b)).toEqual(server);
    const nothing = await h.call('GET', `${changesPath(b)}?since=${encodeURIComponent(res.json.serverKnowledge)}`, { token: owner.token });
    expect(nothing.json.expenses).toEqual([]);
  });

  it('a create with a client id that exists for another user, an update of a deleted expense and a foreign category are answered per mutation', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const mine = (await h.call('POST', expensesPath(b), { token: owner.token, body: { amount: 100, occurredOn: '2026-11-05' } })).json;
    const gone = (await h.call('POST', expensesPath(b), { token: owner.token, body: { amount: 200, occurredOn: '2026-11-05' } })).json;
    expect((await h.call('DELETE', `${expensesPath(b)}/${gone.id}`, { token: owner.token })).status).toBe(204);

    const res = await push(b, editor, [
      { op: 'create', id: mine.id, expense: { amount: 1, occurredOn: '2026-11-05' } },
      { op: 'update', id: gone.id, baseVersion: 1, patch: { amount: 5 } },
      { op: 'delete', id: gone.id, baseVersion: 1 },
      { op: 'create', expense: { amount: 3, categoryId: 'not-a-category' } },
      { op: 'update', id: mine.id, baseVersion: 1, patch: {} },
      { op: 'update', id: mine.id, baseVersion: 1, patch: { amount: 150 } },
    ]);
    expect(res.status, res.text).toBe(200);
    const [taken, updGone, delGone, foreign, empty, ok] = res.json.results;
    expect(taken).toEqual({ status: 'conflict', current: { kind: 'expense', ...mine } });
    expect(updGone).toEqual({ status: 'conflict', current: { kind: 'deleted', id: gone.id, deleted: true } });
    expect(delGone).toEqual({ status: 'conflict', current: { kind: 'deleted', id: gone.id, deleted: true } });
    expect(foreign).toMatchObject({ status: 'error', problem: { status: 400, errors: [{ path: 'categoryId' }] } });
    expect(empty).toMatchObject({ status: 'error', problem: { status: 400 } });
    expect(ok).toMatchObject({ status: 'applied', version: 2, expense: { amount: 150 } });
  });

  it('a resend of a create whose expense was deleted since (within 24 h) does not record it again: a conflict `{id, deleted: true}`; the DELETE costs what it did; restore still works', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const id = clientId(700);
    const create = { op: 'create', id, expense: { amount: 4_321, occurredOn: '2026-11-12', merchant: 'Corner shop' } };
    const first = await push(b, editor, [create, { op: 'create', id: clientId(701), expense: { amount: 10, occurredOn: '2026-11-12' } }]);
    expect(first.json.results.map((r: any) => r.status)).toEqual(['applied', 'applied']);
    expect(await h.spent(b, owner.token, '2026-11-12')).toBe(4_331);

    // Another member deletes it: the same requests and items as any DELETE (issue 11's bench: 2 requests, 5 items;
    // 6 since 2026-12-05: the deleter's membership check, so a removal in flight cannot be overtaken).
    const deleted = await commandsSentDuring(h.t.doc, () => h.call('DELETE', `${expensesPath(b)}/${id}`, { token: owner.token }));
    expect(deleted.result.status, deleted.result.text).toBe(204);
    expect(deleted.commands).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect((writeItemsOf(deleted.sent) as unknown[]).length).toBe(6);
    expect(await h.spent(b, owner.token, '2026-11-12')).toBe(10);
    const replica = new Map<string, any>();
    const token = await syncInto(b, replica);
    expect([...replica.keys()]).toEqual([clientId(701)]);

    // The phone never got the first answer and sends a new batch with the same create, without a key.
    const resend = await push(b, editor, [create]);
    expect(resend.status, resend.text).toBe(200);
    expect(resend.json.results).toEqual([{ status: 'conflict', current: { kind: 'deleted', id, deleted: true } }]);
    // Not back: totals, lists, a sync from before and a first sync do not see it; no new change or event.
    expect(await h.spent(b, owner.token, '2026-11-12')).toBe(10);
    expect([...(await serverCopy(b)).keys()]).toEqual([clientId(701)]);
    const later = await h.call('GET', `${changesPath(b)}?since=${encodeURIComponent(token)}`, { token: owner.token });
    expect(later.json.expenses).toEqual([]);
    const fresh = new Map<string, any>();
    await syncInto(b, fresh);
    expect([...fresh.keys()]).toEqual([clientId(701)]);
    expect((await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.expenseId === id)).toHaveLength(1);
    expect((await h.call('GET', `${expensesPath(b)}/${id}`, { token: owner.token })).status).toBe(404);

    // The undo of the delete (30 days) still puts it back over what the delete left.
    const restored = await h.call('POST', `${expensesPath(b)}/${id}/restore`, { token: owner.token });
    expect(restored.status, restored.text).toBe(200);
    expect(await h.spent(b, owner.token, '2026-11-12')).toBe(4_331);
    expect([...(await serverCopy(b)).keys()].sort()).toEqual([id, clientId(701)].sort());
  });

  it('a resent create whose category was removed since finds its item (applied, nothing written), as a keyed POST\'s replay does, not a 400 while it exists', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const category = b.categories[0]!.id;
    const batch = [
      { op: 'create', id: clientId(800), expense: { amount: 2_500, occurredOn: '2026-11-14', categoryId: category } },
      { type: 'recurringExpense', op: 'create', id: clientId(801), recurringExpense: { amount: 900, categoryId: category, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } } },
    ];
    const first = await push(b, editor, batch);
    expect(first.json.results.map((r: any) => r.status)).toEqual(['applied', 'applied']);
    const [expense, definition] = [first.json.results[0].expense, first.json.results[1].recurringExpense];

    // The owner removes the category (the expense and the definition keep it); the phone never got the answer and resends.
    const budget = (await h.call('GET', `/v1/budgets/${b.id}`, { token: owner.token })).json;
    const removed = await h.call('PATCH', `/v1/budgets/${b.id}`, {
      token: owner.token,
      headers: { 'if-match': `"${budget.version}"` },
      body: { categories: budget.categories.filter((c: { id: string }) => c.id !== category) },
    });
    expect(removed.status, removed.text).toBe(200);
    const token = await syncInto(b, new Map());
    const resend = await push(b, editor, batch);
    expect(resend.status, resend.text).toBe(200);
    expect(resend.json.results).toEqual([
      { status: 'applied', expense, version: 1 },
      { status: 'applied', recurringExpense: definition, version: 1 },
    ]);
    // Nothing written again: the same spending, no change for a sync, the one event.
    expect(await h.spent(b, owner.token, '2026-11-14')).toBe(2_500);
    expect((await h.call('GET', `${changesPath(b)}?since=${encodeURIComponent(token)}`, { token: owner.token })).json.expenses).toEqual([]);
    expect((await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.expenseId === expense.id)).toHaveLength(1);
    // A create naming the removed category under a new id is still the 400.
    const fresh = await push(b, editor, [{ op: 'create', id: clientId(802), expense: { amount: 1, occurredOn: '2026-11-14', categoryId: category } }]);
    expect(fresh.json.results[0]).toMatchObject({ status: 'error', problem: { status: 400, errors: [{ path: 'categoryId' }] } });
  });

  it('a resent create whose body the phone changed meanwhile (its answer lost, the edit folded into the queued create) is a conflict showing the stored copy, not applied over the edit', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const create = (expense: object) => ({ op: 'create', id: clientId(980), expense });
    const sent = { amount: 500, occurredOn: '2026-11-16', merchant: 'Corner Market', tags: ['food'] };
    const first = await push(b, editor, [create(sent)]);
    expect(first.json.results).toEqual([expect.objectContaining({ status: 'applied', version: 1 })]);
    const stored = first.json.results[0].expense;
    // The same create again (a plain resend): applied with the stored copy, as before.
    expect((await push(b, editor, [create(sent)])).json.results).toEqual([{ status: 'applied', expense: stored, version: 1 }]);
    // The answer was lost and the user changed the amount before the phone resent: the server
    // must not answer `applied` with 500, which the phone would adopt over the user's 600.
    const changed = await push(b, editor, [create({ ...sent, amount: 600 })]);
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.results).toEqual([{ status: 'conflict', current: { kind: 'expense', ...stored } }]);
    expect(await h.spent(b, owner.token, '2026-11-16')).toBe(500);
    // The client acts on it: its edit as an update of the version shown.
    const update = await push(b, editor, [{ op: 'update', id: clientId(980), baseVersion: 1, patch: { amount: 600 } }]);
    expect(update.json.results).toEqual([expect.objectContaining({ status: 'applied', version: 2, expense: expect.objectContaining({ amount: 600 }) })]);
  });

  it('a recurring definition\'s create resent with other values (its answer lost) is a conflict showing the stored definition; the same body resent is applied', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const bill = { amount: 90_000, merchant: 'Landlord', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } };
    const pay = { amount: 300_000, source: 'Acme', schedule: { frequency: 'monthly', startsOn: '2026-12-15' } };
    const creates = (b1: object, p1: object) => [
      { type: 'recurringExpense', op: 'create', id: clientId(990), recurringExpense: b1 },
      { type: 'recurringIncome', op: 'create', id: clientId(991), recurringIncome: p1 },
    ];
    const first = await push(b, editor, creates(bill, pay));
    expect(first.json.results.map((r: any) => r.status)).toEqual(['applied', 'applied']);
    const [storedBill, storedPay] = [first.json.results[0].recurringExpense, first.json.results[1].recurringIncome];
    expect((await push(b, editor, creates(bill, pay))).json.results).toEqual([
      { status: 'applied', recurringExpense: storedBill, version: 1 },
      { status: 'applied', recurringIncome: storedPay, version: 1 },
    ]);
    const changed = await push(b, editor, creates({ ...bill, amount: 95_000 }, { ...pay, schedule: { frequency: 'monthly', startsOn: '2026-12-20' } }));
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.results).toEqual([
      { status: 'conflict', current: { kind: 'recurringExpense', ...storedBill } },
      { status: 'conflict', current: { kind: 'recurringIncome', ...storedPay } },
    ]);
  });

  it('an offline edit that sends back a category the expense keeps, removed since on another device, applies (the PATCH too); moving into it is still the 400', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const [kept, other] = [b.categories[0]!.id, b.categories[1]!.id];
    const post = (body: object) => h.call('POST', expensesPath(b), { token: editor.token, body });
    const plain = (await post({ amount: 1_000, occurredOn: '2026-11-14', categoryId: kept, merchant: 'Market' })).json;
    const split = (await post({ amount: 1_000, occurredOn: '2026-11-14', splits: [{ amount: 600, categoryId: kept }, { amount: 400, categoryId: other }] })).json;
    const uncategorized = (await post({ amount: 1_000, occurredOn: '2026-11-14' })).json;

    // The owner's device removes the category; the editor's phone, offline, edited both expenses,
    // sending the form whole (its category) and the splits whole (a split's amounts change only with them).
    const budget = (await h.call('GET', `/v1/budgets/${b.id}`, { token: owner.token })).json;
    const removed = await h.call('PATCH', `/v1/budgets/${b.id}`, {
      token: owner.token,
      headers: { 'if-match': `"${budget.version}"` },
      body: { categories: budget.categories.filter((c: { id: string }) => c.id !== kept) },
    });
    expect(removed.status, removed.text).toBe(200);
    const res = await push(b, editor, [
      { op: 'update', id: plain.id, baseVersion: 1, patch: { amount: 1_200, categoryId: kept, merchant: 'Market' } },
      { op: 'update', id: split.id, baseVersion: 1, patch: { amount: 1_100, splits: [{ amount: 700, categoryId: kept }, { amount: 400, categoryId: other }] } },
      // Moving an expense into the removed category is still refused.
      { op: 'update', id: uncategorized.id, baseVersion: 1, patch: { categoryId: kept } },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toEqual([
      { status: 'applied', version: 2, expense: expect.objectContaining({ amount: 1_200, categoryId: kept }) },
      { status: 'applied', version: 2, expense: expect.objectContaining({ amount: 1_100, splits: [{ amount: 700, categoryId: kept }, { amount: 400, categoryId: other }] }) },
      { status: 'error', problem: expect.objectContaining({ status: 400, errors: [{ path: 'categoryId', message: 'Not a category of this budget' }] }) },
    ]);
    // The PATCH route alike: the category it keeps is no move; a part of one not in it is still the 400 naming that part.
    const patch = (e: { id: string }, body: object) => h.call('PATCH', `${expensesPath(b)}/${e.id}`, { token: editor.token, body });
    const again = await patch(plain, { amount: 1_300, categoryId: kept });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ amount: 1_300, categoryId: kept, version: 3 });
    expectProblem(await patch(uncategorized, { splits: [{ amount: 600, categoryId: other }, { amount: 400, categoryId: kept }] }), 400, ['splits.1.categoryId']);
    expect(await h.spent(b, owner.token, '2026-11-14')).toBe(1_300 + 1_100 + 1_000);
  });

  it('an update whose write met a passing change of access (nothing written, the 409 to retry) is that error, not a conflict showing the copy the client has', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const expense = (await h.call('POST', expensesPath(b), { token: owner.token, body: { amount: 1_000, occurredOn: '2026-11-20' } })).json;
    const role = (r: 'viewer' | 'editor') => h.call('PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { token: owner.token, body: { role: r } });
    // The editor is made a viewer while the update's transaction is on its way, and an editor again
    // right after it failed on the writer's check: the access read after it passes again.
    let raced = false;
    const res = await withCommandMiddleware(
      h.t.doc,
      'accessChangedDuringPush',
      (next, context) => async (args) => {
        if (raced || context.commandName !== 'TransactWriteItemsCommand' || !JSON.stringify(args.input).includes(expense.id)) return next(args);
        raced = true;
        expect((await role('viewer')).status).toBe(200);
        try {
          return await next(args);
        } finally {
          expect((await role('editor')).status).toBe(200);
        }
      },
      () => push(b, editor, [{ op: 'update', id: expense.id, baseVersion: 1, patch: { amount: 2_000 } }]),
    );
    expect(raced).toBe(true);
    expect(res.status, res.text).toBe(200);
    // Nothing was written and the client's baseVersion is the server's: sending it again applies it.
    expect(res.json.results).toEqual([{ status: 'error', problem: expect.objectContaining({ status: 409 }) }]);
    expect((await h.call('GET', `${expensesPath(b)}/${expense.id}`, { token: owner.token })).json).toEqual(expense);
    const again = await push(b, editor, [{ op: 'update', id: expense.id, baseVersion: 1, patch: { amount: 2_000 } }]);
    expect(again.json.results).toEqual([expect.objectContaining({ status: 'applied', version: 2, expense: expect.objectContaining({ amount: 2_000 }) })]);
  });

  it('a conflict whose server copy cannot be read (the table throttled) is that mutation\'s 503 error; the batch goes on', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const stale = (await h.call('POST', expensesPath(b), { token: owner.token, body: { amount: 1_000, occurredOn: '2026-11-20' } })).json;
    expect((await h.call('PATCH', `${expensesPath(b)}/${stale.id}`, { token: owner.token, body: { amount: 1_100 } })).status).toBe(200);
    // Every GetItem of the stale expense is throttled (the SDK's retries too): the conflict's read of the server's copy.
    const { result: res, attempts } = await withWritesThrottled(
      h.t.doc,
      stale.id,
      () => push(b, editor, [
        { op: 'create', expense: { amount: 20, occurredOn: '2026-11-20' } },
        { op: 'update', id: stale.id, baseVersion: 1, patch: { amount: 1_200 } },
        { op: 'create', id: clientId(900), expense: { amount: 300, occurredOn: '2026-11-20' } },
      ]),
      ['GetItemCommand'],
    );
    expect(attempts).toBeGreaterThan(1);
    expect(res.status, res.text).toBe(200);
    // A 503 of the whole batch after its first create committed: resent (the phone's answer to a
    // 503), that create without a client id would be recorded twice.
    expect(res.json.results).toEqual([
      expect.objectContaining({ status: 'applied', expense: expect.objectContaining({ amount: 20 }) }),
      { status: 'error', problem: expect.objectContaining({ status: 503 }) },
      expect.objectContaining({ status: 'applied', expense: expect.objectContaining({ id: clientId(900), amount: 300 }) }),
    ]);
    expect(await h.spent(b, owner.token, '2026-11-20')).toBe(1_420);
  });

  it('a member removed mid-batch is told what was applied before (200, the rest refused per mutation), not a 404 for a batch whose first writes committed', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    // The editor is removed right after the first create's transaction committed.
    let removed = false;
    const res = await withCommandMiddleware(
      h.t.doc,
      'memberRemovedDuringPush',
      (next, context) => async (args) => {
        const out = await next(args);
        if (!removed && context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes(clientId(950))) {
          removed = true;
          expect((await h.call('DELETE', `/v1/budgets/${b.id}/members/${editor.id}`, { token: owner.token })).status).toBe(204);
        }
        return out;
      },
      () => push(b, editor, [
        { op: 'create', id: clientId(950), expense: { amount: 40, occurredOn: '2026-11-20' } },
        { op: 'create', id: clientId(951), expense: { amount: 50, occurredOn: '2026-11-20' } },
      ]),
    );
    expect(removed).toBe(true);
    // A 404 here told the phone nothing was applied: it kept the first create queued, for a
    // member who can no longer send it, and its user never learnt it had been recorded.
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toEqual([
      expect.objectContaining({ status: 'applied', expense: expect.objectContaining({ id: clientId(950), amount: 40 }) }),
      { status: 'error', problem: expect.objectContaining({ status: 404 }) },
    ]);
    expect(typeof res.json.serverKnowledge).toBe('string');
    expect((await h.listExpenses(b, owner.token)).map((e) => e.id)).toEqual([clientId(950)]);
  });

  it('same roles as single writes, and a malformed batch is a 400 naming the field', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, viewer, 'viewer');
    const one = [{ op: 'create', expense: { amount: 1 } }];
    expectProblem(await push(b, viewer, one), 403);
    expectProblem(await push(b, stranger, one), 404);
    expectProblem(await push(b, owner, [{ op: 'create', id: 'not-a-ulid', expense: { amount: 1 } }]), 400, ['mutations.0.id']);
    expectProblem(await push(b, owner, [{ op: 'update', id: 'x', patch: { amount: 1 } }]), 400, ['mutations.0.baseVersion']);
    expectProblem(await push(b, owner, Array.from({ length: 101 }, () => one[0])), 400, ['mutations']);
    expect((await h.listExpenses(b, owner.token))).toEqual([]);
  });
});
