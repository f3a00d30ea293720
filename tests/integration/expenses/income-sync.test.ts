import { newId, type ModuleStore } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_SHARDS, ChangeLog, changeShardOf } from '../../../packages/expenses/src/repository/change-log';
import { ExpensesRepository } from '../../../packages/expenses/src/repository/expenses.repository';
import { IncomeRepository } from '../../../packages/expenses/src/repository/income.repository';
import { TotalsRepository } from '../../../packages/expenses/src/repository/totals.repository';
import { recordedEvent } from '../../../packages/expenses/src/service/expense-facts';
import type { Expense, Income } from '../../../packages/expenses/src/model';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { ofxStatement } from './ofx-statement';

/**
 * Income in delta sync and offline push (packages/expenses/docs/sync.md "Delta sync", "Offline push", packages/expenses/docs/income.md "Income
 * and cash flow"): every income write takes a change number in its own transaction, GET
 * /changes answers an `income` array beside `expenses`, POST /changes takes `type: "income"`
 * mutations. A client keeps only what the responses told it (`Replica`) and must end equal to
 * the server's lists.
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

const changesPath = (b: Budget) => `/v1/budgets/${b.id}/changes`;
const incomePath = (b: Budget) => `/v1/budgets/${b.id}/income`;
const expensesPath = (b: Budget) => `/v1/budgets/${b.id}/expenses`;

async function sync(b: Budget, since?: string, limit?: number) {
  const params = new URLSearchParams();
  if (since) params.set('since', since);
  if (limit) params.set('limit', String(limit));
  const res = await h.call('GET', `${changesPath(b)}${params.size ? `?${params}` : ''}`, { token: owner.token });
  expect(res.status, res.text).toBe(200);
  return res.json as { serverKnowledge: string; hasMore: boolean; expenses: any[]; income?: any[] };
}

/** What a phone keeps: expenses and income entries as the responses gave them. */
class Replica {
  readonly expenses = new Map<string, any>();
  readonly income = new Map<string, any>();
  apply(page: { expenses: any[]; income?: any[] }) {
    for (const { kind, ...e } of page.expenses) if (kind === 'deleted') this.expenses.delete(e.id); else this.expenses.set(e.id, e);
    for (const { kind, ...i } of page.income ?? []) {
      expect(['income', 'deleted']).toContain(kind);
      if (kind === 'deleted') this.income.delete(i.id); else this.income.set(i.id, i);
    }
  }
  /** Syncs from `since` until caught up; the pages seen, the last token. */
  async syncFrom(b: Budget, since?: string, limit?: number) {
    const pages = [];
    let token = since;
    for (;;) {
      const page = await sync(b, token, limit);
      this.apply(page);
      pages.push(page);
      token = page.serverKnowledge;
      if (!page.hasMore) return { pages, token: token! };
    }
  }
}

async function serverIncome(b: Budget) {
  const res = await h.call('GET', `${incomePath(b)}?limit=100`, { token: owner.token });
  expect(res.status, res.text).toBe(200);
  return new Map((res.json.items as any[]).map((i) => [i.id, i] as const));
}
async function serverExpenses(b: Budget) {
  return new Map((await h.listExpenses(b, owner.token)).map((e) => [e.id, e] as const));
}
async function addIncome(b: Budget, amount: number, receivedOn = '2026-11-05') {
  const res = await h.call('POST', incomePath(b), { token: owner.token, body: { amount, receivedOn, source: `Payer ${amount}` } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
async function addExpense(b: Budget, amount: number) {
  const res = await h.call('POST', expensesPath(b), { token: owner.token, body: { amount, occurredOn: '2026-11-10' } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
const push = (b: Budget, who: User, mutations: unknown[], key?: string) =>
  h.call('POST', changesPath(b), { token: who.token, body: { mutations }, headers: key ? { 'idempotency-key': key } : {} });

/** A client-side ULID (a phone's), distinct per n. */
const clientId = (n: number) => `01JDYY${String(n).padStart(20, '0')}`;
/** Client ids in one change shard (the ids are the test's to choose: a phone's are random). */
function clientIdsInShard(shard: number, count: number, from = 0): string[] {
  const out: string[] = [];
  for (let n = from; out.length < count; n++) if (changeShardOf(clientId(n)) === shard) out.push(clientId(n));
  return out;
}
const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

describe('GET /changes with income', { timeout: 120_000 }, () => {
  it('the first sync pages through the expenses, then the income entries (limit counts both); later syncs bring creates, updates and deletes of income in the usual 2 requests', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const expenses = [await addExpense(b, 100), await addExpense(b, 200)];
    const income = [await addIncome(b, 300000), await addIncome(b, 1500), await addIncome(b, 120000, '2026-12-01')];
    const replica = new Replica();

    // limit 2: the two expenses fill the first page (more follows: there is income), then 2 + 1 entries in id order.
    const first = await replica.syncFrom(b, undefined, 2);
    expect(first.pages.map((p) => [p.expenses.length, p.income?.length ?? 0, p.hasMore])).toEqual([[2, 0, true], [0, 2, true], [0, 1, false]]);
    expect(first.pages[0]!.income).toBeUndefined(); // absent, not empty: a page of expenses alone is as before
    expect(first.pages.flatMap((p) => p.income ?? []).map((i) => i.id)).toEqual(income.map((i) => i.id).sort());
    expect(first.pages[1]!.income![0]).toEqual({ kind: 'income', ...[...income].sort(byId)[0] });
    expect(replica.expenses).toEqual(await serverExpenses(b));
    expect(replica.income).toEqual(await serverIncome(b));
    expect(expenses).toHaveLength(2);

    // Caught up: nothing, and no income key.
    const none = await sync(b, first.token);
    expect(none).toEqual({ serverKnowledge: expect.any(String), hasMore: false, expenses: [] });

    // On another phone: an income entry changed, one deleted, one created, an expense created.
    const patched = await h.call('PATCH', `${incomePath(b)}/${income[0].id}`, { token: owner.token, body: { amount: 310000, description: 'with bonus' } });
    expect(patched.status, patched.text).toBe(200);
    expect((await h.call('DELETE', `${incomePath(b)}/${income[1].id}`, { token: owner.token })).status).toBe(204);
    const added = await addIncome(b, 4200);
    const expense = await addExpense(b, 300);

    // A usual sync: the access check with the 16 counters, then the entries' states by key (expenses AND income) in one BatchGetItem.
    const later = await commandsSentDuring(h.t.doc, () => sync(b, first.token));
    expect(later.commands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    const page = later.result;
    expect(page.hasMore).toBe(false);
    expect(page.expenses).toEqual([{ kind: 'expense', ...expense }]);
    expect([...page.income!].sort(byId)).toEqual(
      [{ kind: 'income', ...patched.json }, { kind: 'deleted', id: income[1].id, deleted: true }, { kind: 'income', ...added }].sort(byId),
    );
    expect(patched.json).toMatchObject({ amount: 310000, description: 'with bonus', version: 2 });
    replica.apply(page);
    expect(replica.income).toEqual(await serverIncome(b));
    expect(replica.expenses).toEqual(await serverExpenses(b));

    // limit counts both kinds: 4 changes at limit 1 take 4 pages, each one change.
    const oneByOne = await new Replica().syncFrom(b, first.token, 1);
    expect(oneByOne.pages.map((p) => p.expenses.length + (p.income?.length ?? 0))).toEqual([1, 1, 1, 1]);
  });

  it('a client further behind than the counters keep (8 changes a shard) gets the income its older entries name from one BatchGetItem more', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const [x, y] = clientIdsInShard(3, 2);
    const created = await push(b, owner, [
      { type: 'income', op: 'create', id: x, income: { amount: 1000, receivedOn: '2026-11-01' } },
      { type: 'income', op: 'create', id: y, income: { amount: 2000, receivedOn: '2026-11-02' } },
    ]);
    expect(created.json.results.map((r: any) => r.status)).toEqual(['applied', 'applied']);
    const replica = new Replica();
    const { token } = await replica.syncFrom(b);
    // After the token: one change of x, then 9 of y (the counter's 8 slots hold only y's).
    expect((await h.call('PATCH', `${incomePath(b)}/${x}`, { token: owner.token, body: { amount: 1111 } })).status).toBe(200);
    for (let n = 1; n <= 9; n++) expect((await h.call('PATCH', `${incomePath(b)}/${y}`, { token: owner.token, body: { amount: 2000 + n } })).status).toBe(200);

    const behind = await commandsSentDuring(h.t.doc, () => sync(b, token));
    // Counters; the unslotted entries with y (named by the slots); x, which only an entry names.
    expect(behind.commands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(behind.result.income!.map((i: any) => [i.id, i.amount, i.version])).toEqual([[x, 1111, 2], [y, 2009, 10]]);
    replica.apply(behind.result);
    expect(replica.income).toEqual(await serverIncome(b));
  });

  it('a token issued before income was synced keeps working: its next sync pages through the income entries first, then goes on from its numbers', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    await addExpense(b, 100);
    const entries = [await addIncome(b, 500), await addIncome(b, 600)];
    const replica = new Replica();
    const { token } = await replica.syncFrom(b);
    // The same state as an older server wrote it: `{v: 1, s, h}`, without the `i` that says the client has the income.
    const cursors = h.t.system.deps.cursors;
    const binding = JSON.stringify(['changes', b.id]);
    const { v, s, h: hash } = cursors.decode(token, binding) as { v: number; s: number[]; h: string };
    const old = cursors.encode({ v, s, h: hash }, binding)!;
    const later = await addIncome(b, 700);

    const oldClient = new Replica();
    const pages = await oldClient.syncFrom(b, old, 2);
    // Page 1: two entries from the start (id order); page 2: the third.
    const ids = [...entries, later].map((i) => i.id).sort();
    // Page 2 says hasMore: an entry was written after the token's numbers. The same sync then goes on
    // from its numbers, as a first sync does: that entry comes again (harmless), and nothing else.
    expect(pages.pages.map((p) => [p.expenses.length, (p.income ?? []).map((i) => i.id), p.hasMore])).toEqual([[0, ids.slice(0, 2), true], [0, ids.slice(2), true], [0, [later.id], false]]);
    expect(pages.pages[2]!.income).toEqual([{ kind: 'income', ...later }]);
    expect(oldClient.income).toEqual(await serverIncome(b));
    expect(await sync(b, pages.token)).toEqual({ serverKnowledge: pages.token, hasMore: false, expenses: [] });
  });

  it('an import with credits=income, then a sync lists its entries; the undo, then a sync deletes them', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const replica = new Replica();
    const { token } = await replica.syncFrom(b);
    const file = ofxStatement([
      { type: 'DEBIT', posted: '20261103', amount: '-45.20', fitId: 'd-1103', name: 'WHOLE FOODS' },
      { type: 'CREDIT', posted: '20261105', amount: '2500.00', fitId: 'c-1105', name: 'ACME PAYROLL', memo: 'SALARY NOV' },
      { type: 'CREDIT', posted: '20261201', amount: '1200.00', fitId: 'c-1201', name: 'ACME PAYROLL' },
    ]);
    const done = await h.call('POST', `${expensesPath(b)}/import?credits=income`, {
      token: owner.token,
      rawBody: file,
      headers: { 'content-type': 'application/x-ofx', prefer: 'wait=25' },
    });
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 3, incomeImported: 2 });
    const page = await sync(b, token);
    expect(page.expenses.map((e) => [e.kind, e.amount])).toEqual([['expense', 4520]]);
    expect(page.income!.map((i) => [i.kind, i.amount, i.receivedOn, i.source]).sort()).toEqual([
      ['income', 120000, '2026-12-01', 'ACME PAYROLL'],
      ['income', 250000, '2026-11-05', 'ACME PAYROLL'],
    ]);
    replica.apply(page);
    expect(replica.income).toEqual(await serverIncome(b));

    const undo = await h.call('POST', `/v1/budgets/${b.id}/imports/${done.json.id}/undo`, { token: owner.token, headers: { prefer: 'wait=25' } });
    expect(undo.json.undo, undo.text).toMatchObject({ status: 'succeeded', removed: 3 });
    const after = await sync(b, page.serverKnowledge);
    expect(after.income!.map((i) => i.kind)).toEqual(['deleted', 'deleted']);
    replica.apply(after);
    expect(replica.income.size).toBe(0);
    expect(replica.expenses.size).toBe(0);
  });
});

describe('POST /changes with income mutations', { timeout: 120_000 }, () => {
  it('applies creates (client id or not), updates and deletes; a stale baseVersion, a gone entry and a taken id are conflicts; bad values errors; the retry with the key replays', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    await h.addMember(b, owner, editor, 'editor');
    const replica = new Replica();
    const { token } = await replica.syncFrom(b);
    const seeded = [await addIncome(b, 1000), await addIncome(b, 2000), await addIncome(b, 3000)];
    // Changed by the owner while the phone is offline: the phone's update of it is stale.
    expect((await h.call('PATCH', `${incomePath(b)}/${seeded[1].id}`, { token: owner.token, body: { amount: 2500 } })).status).toBe(200);
    const gone = await addIncome(b, 4000);
    expect((await h.call('DELETE', `${incomePath(b)}/${gone.id}`, { token: owner.token })).status).toBe(204);

    const mutations = [
      { type: 'income', op: 'create', id: clientId(900), income: { amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll' } },
      { type: 'income', op: 'create', income: { amount: 700, receivedOn: '2026-11-29' } },
      { type: 'income', op: 'update', id: seeded[0].id, baseVersion: 1, patch: { description: 'edited offline' } },
      { type: 'income', op: 'update', id: seeded[1].id, baseVersion: 1, patch: { amount: 9 } },
      { type: 'income', op: 'delete', id: seeded[2].id, baseVersion: 1 },
      { type: 'income', op: 'delete', id: gone.id, baseVersion: 1 },
      { type: 'income', op: 'create', id: seeded[0].id, income: { amount: 5 } },
      { type: 'income', op: 'create', income: { amount: 5, currency: 'EUR' } },
      { type: 'income', op: 'update', id: seeded[0].id, baseVersion: 2, patch: {} },
      { op: 'create', expense: { amount: 450, occurredOn: '2026-11-28' } },
    ];
    const res = await push(b, editor, mutations, 'income-batch-1');
    expect(res.status, res.text).toBe(200);
    const r = res.json.results;
    const server = await serverIncome(b);
    expect(r[0]).toEqual({ status: 'applied', income: server.get(clientId(900)), version: 1 });
    expect(r[0].income).toMatchObject({ amount: 320000, createdBy: editor.id });
    expect(r[1]).toMatchObject({ status: 'applied', version: 1, income: { amount: 700, receivedOn: '2026-11-29' } });
    expect(r[2]).toEqual({ status: 'applied', income: server.get(seeded[0].id), version: 2 });
    expect(r[2].income.description).toBe('edited offline');
    // The server's copy, untouched: kind `income`.
    expect(r[3]).toEqual({ status: 'conflict', current: { kind: 'income', ...server.get(seeded[1].id) } });
    expect(r[3].current).toMatchObject({ amount: 2500, version: 2 });
    expect(r[4]).toEqual({ status: 'applied', id: seeded[2].id, version: 1 });
    expect(r[5]).toEqual({ status: 'conflict', current: { kind: 'deleted', id: gone.id, deleted: true } });
    // A client id holding another user's entry (the owner's): a conflict showing it.
    expect(r[6]).toEqual({ status: 'conflict', current: { kind: 'income', ...server.get(seeded[0].id) } });
    expect(r[7]).toMatchObject({ status: 'error', problem: { status: 400, errors: [{ path: 'currency' }] } });
    expect(r[8]).toMatchObject({ status: 'error', problem: { status: 400 } });
    expect(r[9]).toMatchObject({ status: 'applied', expense: { amount: 450 } });
    expect([...server.keys()].sort()).toEqual([clientId(900), r[1].income.id, seeded[0].id, seeded[1].id].sort());

    // A phone that only syncs, from before, ends equal to the server; the push's knowledge has nothing newer.
    await replica.syncFrom(b, token);
    expect(replica.income).toEqual(server);
    expect(replica.expenses).toEqual(await serverExpenses(b));
    // (The token is the editor's view of the budget: the owner syncing with it gets the budget again, nothing else.)
    const pushed = await sync(b, res.json.serverKnowledge);
    expect(pushed).toMatchObject({ hasMore: false, expenses: [] });
    expect(pushed.income).toBeUndefined();

    // The same batch with its key: the same answer, nothing written again.
    const retry = await push(b, editor, mutations, 'income-batch-1');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(res.json);
    expect(await serverIncome(b)).toEqual(server);
    expect((await sync(b, res.json.serverKnowledge)).income).toBeUndefined();

    // A resend of the same create without the key (the phone never got the answer): applied with the stored copy.
    const resend = await push(b, editor, [mutations[0]]);
    expect(resend.json.results).toEqual([{ status: 'applied', income: server.get(clientId(900)), version: 1 }]);
  });

  it('with `since` (a token of before income was synced) the answered serverKnowledge keeps its income paging: adopting it, the next sync brings the income recorded before; a bad `since` is a 400 naming query.since and writes nothing', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    await addExpense(b, 100);
    await Promise.all([addIncome(b, 500), addIncome(b, 600)]);
    const { token } = await new Replica().syncFrom(b);
    // The client's token as an older server wrote it (as the GET test above builds it): `{v: 1, s, h}`, no `i`.
    const cursors = h.t.system.deps.cursors;
    const binding = JSON.stringify(['changes', b.id]);
    const { v, s, h: hash } = cursors.decode(token, binding) as { v: number; s: number[]; h: string };
    const old = cursors.encode({ v, s, h: hash }, binding)!;
    // What that client holds: the expenses, no income (its sync answers had no `income` array).
    const phone = new Replica();
    for (const [id, e] of await serverExpenses(b)) phone.expenses.set(id, e);

    const mutations = [
      { type: 'income', op: 'create', id: clientId(700), income: { amount: 900, receivedOn: '2026-11-20' } },
      { op: 'create', id: clientId(701), expense: { amount: 40, occurredOn: '2026-11-20' } },
    ];
    const bad = await h.call('POST', `${changesPath(b)}?since=garbage`, { token: owner.token, body: { mutations } });
    expectProblem(bad, 400, ['query.since']);
    const otherBudget = await h.createBudget(owner, { currency: 'USD' });
    const foreign = (await new Replica().syncFrom(otherBudget)).token;
    expectProblem(await h.call('POST', `${changesPath(b)}?since=${foreign}`, { token: owner.token, body: { mutations } }), 400, ['query.since']);
    expect((await serverIncome(b)).size).toBe(2);

    const res = await h.call('POST', `${changesPath(b)}?since=${old}`, { token: owner.token, body: { mutations } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results.map((r: any) => r.status)).toEqual(['applied', 'applied']);
    phone.apply({ expenses: [{ kind: 'expense', ...res.json.results[1].expense }], income: [{ kind: 'income', ...res.json.results[0].income }] });
    // Adopting the push's answer: the next sync pages through the income (the two of before and the pushed one).
    const after = await phone.syncFrom(b, res.json.serverKnowledge);
    expect(phone.income).toEqual(await serverIncome(b));
    expect(phone.income.size).toBe(3);
    expect(phone.expenses).toEqual(await serverExpenses(b));
    // Then, in the same sync (the page ending the income says hasMore), a token with the income at
    // the old token's numbers (nothing another member wrote before the push is skipped): the pushed
    // writes again (as the client has them), then nothing more.
    const caughtUp = { pages: after.pages.slice(-1), token: after.token };
    expect(after.pages.at(-2)!.hasMore).toBe(true);
    expect(caughtUp.pages[0]!.expenses.map((e: { id: string }) => e.id)).toEqual([clientId(701)]);
    expect(caughtUp.pages[0]!.income!.map((i: { id: string }) => i.id)).toEqual([clientId(700)]);
    expect(phone.expenses).toEqual(await serverExpenses(b));
    expect(phone.income).toEqual(await serverIncome(b));
    expect(await sync(b, caughtUp.token)).toEqual({ serverKnowledge: caughtUp.token, hasMore: false, expenses: [] });

    // Without `since`, unchanged: the answer says the client has the income (a client in sync may adopt it).
    const plain = await push(b, owner, [{ type: 'income', op: 'create', income: { amount: 1 } }]);
    expect(plain.status, plain.text).toBe(200);
    expect(await sync(b, plain.json.serverKnowledge)).toMatchObject({ hasMore: false, expenses: [] });
    expect((await sync(b, plain.json.serverKnowledge)).income).toBeUndefined();
    // With a token that has the income, nothing to page through; its numbers advance only over
    // the push's own write, so the entry pushed above without `since` (after that token) still
    // comes (with the push's own entry too when both took numbers of one shard, in that order).
    const current = await h.call('POST', `${changesPath(b)}?since=${caughtUp.token}`, { token: owner.token, body: { mutations: [{ type: 'income', op: 'create', income: { amount: 2 } }] } });
    expect(current.status, current.text).toBe(200);
    const next = await sync(b, current.json.serverKnowledge);
    expect(next).toMatchObject({ hasMore: false, expenses: [] });
    const plainId = plain.json.results[0].income.id;
    expect(next.income!.map((i: { id: string }) => i.id)).toContain(plainId);
    expect(next.income!.every((i: { id: string }) => i.id === plainId || i.id === current.json.results[0].income.id)).toBe(true);

    // With an Idempotency-Key, `since` is part of the request: the same one replays, another is a 422.
    const keyed = (since: string) =>
      h.call('POST', `${changesPath(b)}?since=${since}`, { token: owner.token, body: { mutations: [{ type: 'income', op: 'create', income: { amount: 3 } }] }, headers: { 'idempotency-key': 'since-batch-1' } });
    const once = await keyed(old);
    expect(once.status, once.text).toBe(200);
    const again = await keyed(old);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(once.json);
    expectProblem(await keyed(after.token), 422);
  });

  it('a resend of a create whose entry was deleted since does not record it again: a conflict `{id, deleted: true}`; the tombstone is seen by no list, sync or export', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    await h.addMember(b, owner, editor, 'editor');
    const { token } = await new Replica().syncFrom(b);
    const create = { type: 'income', op: 'create', id: clientId(800), income: { amount: 4200, receivedOn: '2026-11-12', source: 'Refund desk' } };
    const first = await push(b, editor, [create, { type: 'income', op: 'create', id: clientId(801), income: { amount: 10, receivedOn: '2026-11-12' } }]);
    expect(first.json.results.map((r: any) => r.status)).toEqual(['applied', 'applied']);
    // Deleted since (by the owner, through the route), then the phone, which never got the answer, resends the create.
    expect((await h.call('DELETE', `${incomePath(b)}/${clientId(800)}`, { token: owner.token })).status).toBe(204);
    const sent = await commandsSentDuring(h.t.doc, () => push(b, editor, [create]));
    const resend = sent.result;
    expect(resend.status, resend.text).toBe(200);
    // Its cost: the create's transaction, cancelled on the entry's condition (nothing written), and ONE read of the id (the tombstone: no entry).
    const after = sent.commands.slice(sent.commands.indexOf('TransactWriteItemsCommand'));
    expect(after.slice(0, 2)).toEqual(['TransactWriteItemsCommand', 'GetItemCommand']);
    expect(sent.commands.filter((c) => c === 'TransactWriteItemsCommand' || c === 'GetItemCommand')).toHaveLength(2);
    expect(resend.json.results).toEqual([{ status: 'conflict', current: { kind: 'deleted', id: clientId(800), deleted: true } }]);
    expect([...(await serverIncome(b)).keys()]).toEqual([clientId(801)]);
    // The month's total counts only the entry left.
    const flow = await h.call('GET', `/v1/budgets/${b.id}/cash-flow?from=2026-11&to=2026-11`, { token: owner.token });
    expect(flow.status, flow.text).toBe(200);
    expect(flow.json.total.income).toBe(10);
    // A PATCH or DELETE of it is a 404, as of any gone entry.
    expect((await h.call('PATCH', `${incomePath(b)}/${clientId(800)}`, { token: owner.token, body: { amount: 1 } })).status).toBe(404);
    expect((await h.call('DELETE', `${incomePath(b)}/${clientId(800)}`, { token: owner.token })).status).toBe(404);
    // Sync: the later one says deleted (once), a first sync (pages of 1: the tombstone thins a page) and the export never see it.
    const later = new Replica();
    await later.syncFrom(b, token);
    expect([...later.income.keys()]).toEqual([clientId(801)]);
    const fresh = new Replica();
    await fresh.syncFrom(b, undefined, 1);
    expect([...fresh.income.keys()]).toEqual([clientId(801)]);
    const exported = await h.call('GET', `${incomePath(b)}/export`, { token: owner.token });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.text).not.toContain('Refund desk');
  });

  it('a resent create whose body the phone changed meanwhile (its answer lost) is a conflict showing the stored entry, not applied over the edit', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    await h.addMember(b, owner, editor, 'editor');
    const create = (income: object) => ({ type: 'income', op: 'create', id: clientId(820), income });
    const sent = { amount: 4200, receivedOn: '2026-11-12', source: 'Refund desk' };
    const first = await push(b, editor, [create(sent)]);
    expect(first.json.results).toEqual([expect.objectContaining({ status: 'applied', version: 1 })]);
    const stored = first.json.results[0].income;
    expect((await push(b, editor, [create(sent)])).json.results).toEqual([{ status: 'applied', income: stored, version: 1 }]);
    const changed = await push(b, editor, [create({ ...sent, amount: 4500 })]);
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.results).toEqual([{ status: 'conflict', current: { kind: 'income', ...stored } }]);
    expect((await h.call('GET', `${incomePath(b)}/${clientId(820)}`, { token: owner.token })).json).toEqual(stored);
  });

  it('same roles and archive as the income routes; a malformed income mutation is a 400 naming the field; no type is an expense', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    await h.addMember(b, owner, viewer, 'viewer');
    const one = [{ type: 'income', op: 'create', income: { amount: 1 } }];
    expectProblem(await push(b, viewer, one), 403);
    expectProblem(await push(b, stranger, one), 404);
    expectProblem(await push(b, owner, [{ type: 'income', op: 'create', income: { amount: -1 } }]), 400, ['mutations.0.income.amount']);
    expectProblem(await push(b, owner, [{ type: 'income', op: 'create', expense: { amount: 1 } }]), 400);
    expectProblem(await push(b, owner, [{ type: 'income', op: 'update', id: 'x', patch: { amount: 1 } }]), 400, ['mutations.0.baseVersion']);
    expectProblem(await push(b, owner, [{ type: 'bonus', op: 'create', income: { amount: 1 } }]), 400, ['mutations.0.type']);
    // Without `type`, an `income` body is an unknown field of an expense create.
    expectProblem(await push(b, owner, [{ op: 'create', income: { amount: 1 } }]), 400);
    expect((await serverIncome(b)).size).toBe(0);

    const entry = await addIncome(b, 100);
    const archived = await h.call('POST', `/v1/budgets/${b.id}/archive`, { token: owner.token });
    expect(archived.status, archived.text).toBeLessThan(300);
    expectProblem(await push(b, owner, [{ type: 'income', op: 'update', id: entry.id, baseVersion: 1, patch: { amount: 2 } }]), 409);
  });
});

/**
 * The change log itself, through the repositories (as change-log.test.ts for expenses): an
 * income write is numbered inside its transaction, in the shard of its id, on the counters the
 * expenses use.
 */
describe('income in the change log', { timeout: 120_000 }, () => {
  let store: ModuleStore;
  let log: ChangeLog;
  let expenses: ExpensesRepository;
  let incomeRepo: IncomeRepository;
  beforeAll(() => {
    store = h.t.system.deps.storeFor('expenses');
    log = new ChangeLog(store);
    expenses = new ExpensesRepository(store, new TotalsRepository(store));
    incomeRepo = new IncomeRepository(store);
  });

  const now = () => h.t.clock.now().toISOString();
  const anIncome = (budgetId: string, id: string): Income => ({ id, budgetId, amount: 1000, receivedOn: '2026-11-05', createdBy: 'u1', version: 1, createdAt: now(), updatedAt: now() });
  const anExpense = (budgetId: string, id: string): Expense => ({ id, budgetId, amount: 100, categoryId: null, occurredOn: '2026-11-20', reviewed: true, createdBy: 'u1', version: 1, createdAt: now(), updatedAt: now() });
  /** An outbox item standing for the write's event (what the service passes; its time sets the entry's expiry). */
  const event = () => ({ Put: { Item: { pk: `expenses#outbox#${newId()}`, sk: 'expenses#outbox', kind: 'test-outbox', createdAt: now() } } });
  function idInShard(shard: number): string {
    for (;;) {
      const id = newId(h.t.clock.now().getTime());
      if (changeShardOf(id) === shard) return id;
    }
  }

  it('numbers an income create, update and delete in its shard, after the expenses of that shard, flagged as income', async () => {
    const budgetId = newId();
    const shard = 9;
    const e = anExpense(budgetId, idInShard(shard));
    await expenses.create(e, await recordedEvent(e, h.t.clock));
    const i = anIncome(budgetId, idInShard(shard));
    expect(await incomeRepo.create(i, event())).toBe('created');
    const changed = { ...i, amount: 2000, version: 2 };
    await incomeRepo.replace(i, changed, event());
    await incomeRepo.remove(changed, event(), { deletedAt: new Date().toISOString(), deletedBy: changed.createdBy });
    expect(await log.entriesAfter(budgetId, shard, 0, 10)).toEqual([
      { shard, seq: 1, expenseId: e.id, deleted: false },
      { shard, seq: 2, expenseId: i.id, deleted: false, income: true },
      { shard, seq: 3, expenseId: i.id, deleted: false, income: true },
      { shard, seq: 4, expenseId: i.id, deleted: true, income: true },
    ]);
    const counters = await log.countersWithRecent(budgetId);
    expect(counters.seqs.reduce((a, b) => a + b, 0)).toBe(4);
    expect(counters.recent[shard]!.map((r) => [r.seq, r.income ?? false, r.deleted])).toEqual([[1, false, false], [2, true, false], [3, true, false], [4, true, true]]);
    // A write whose own condition fails takes no number.
    await expect(incomeRepo.replace(changed, { ...changed, version: 3 }, event())).rejects.toThrow('changed concurrently');
    expect((await log.counters(budgetId))[shard]).toBe(4);
  });

  /**
   * As change-log.test.ts's for expenses: income writer A has read its shard's counter (v) and
   * is about to commit; meanwhile B (an expense, same shard) commits and a client syncs. A must
   * come after what the client saw, so its next sync gets it.
   */
  it('an income write that read the counter before a concurrent write commits is numbered after what a reader saw', async () => {
    const budgetId = newId();
    const shard = 5;
    const before = anIncome(budgetId, idInShard(shard));
    await incomeRepo.create(before, event());

    let seen: number[] = [];
    let held = false;
    const racing: ModuleStore = Object.create(store);
    racing.transactWrite = async (...args: Parameters<ModuleStore['transactWrite']>) => {
      if (!held) {
        held = true;
        // A has read the counter (1) and built its transaction. B commits first...
        const b = anExpense(budgetId, idInShard(shard));
        expect(await expenses.create(b, await recordedEvent(b, h.t.clock))).toBe('created');
        // ...and a client syncs: it knows shard 5 up to 2, entries 1 and 2.
        seen = await log.counters(budgetId);
        expect(seen[shard]).toBe(2);
        expect((await log.entriesAfter(budgetId, shard, 0, 10)).map((e) => e.seq)).toEqual([1, 2]);
      }
      return store.transactWrite(...args);
    };
    const a = anIncome(budgetId, idInShard(shard));
    expect(await new IncomeRepository(racing).create(a, event())).toBe('created');
    expect(await log.entriesAfter(budgetId, shard, seen[shard]!, 10)).toEqual([{ shard, seq: 3, expenseId: a.id, deleted: false, income: true }]);
  });

  it('concurrent income and expense writers get consecutive numbers in every shard, one per write', async () => {
    const budgetId = newId();
    const incomes = Array.from({ length: 40 }, () => anIncome(budgetId, newId(h.t.clock.now().getTime())));
    const spent = Array.from({ length: 40 }, () => anExpense(budgetId, newId(h.t.clock.now().getTime())));
    // DynamoDB Local may answer a transaction that waited on an item lock with an InternalServerError: nothing written, retried.
    const retrying = async <T>(write: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await write();
        } catch (err) {
          if (attempt > 10 || (err as Error).name !== 'InternalServerError') throw err;
        }
      }
    };
    await Promise.all([
      ...incomes.map((i) => retrying(() => incomeRepo.create(i, event()))),
      ...spent.map((e) => retrying(async () => expenses.create(e, await recordedEvent(e, h.t.clock)))),
    ]);
    await Promise.all(incomes.slice(0, 20).map((i) => retrying(() => incomeRepo.remove(i, event(), { deletedAt: new Date().toISOString(), deletedBy: i.createdBy }))));
    const all = [];
    for (let shard = 0; shard < CHANGE_SHARDS; shard++) all.push(...(await log.entriesAfter(budgetId, shard, 0, 1000)));
    expect(all).toHaveLength(100);
    const counters = await log.counters(budgetId);
    for (let shard = 0; shard < CHANGE_SHARDS; shard++) {
      expect(all.filter((e) => e.shard === shard).map((e) => e.seq)).toEqual(Array.from({ length: counters[shard]! }, (_, n) => n + 1));
    }
    expect(all.filter((e) => e.income && e.deleted).map((e) => e.expenseId).sort()).toEqual(incomes.slice(0, 20).map((i) => i.id).sort());
    expect(all.filter((e) => !e.income).map((e) => e.expenseId).sort()).toEqual(spent.map((e) => e.id).sort());
  });
});

describe("POST /changes?since= keeps what the client's token has not seen of the budget", { timeout: 120_000 }, () => {
  it("an in-sync token: another member's writes between the token and the push are not skipped by adopting the answer", async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    await h.addMember(b, owner, editor, 'editor');
    const kept = await addExpense(b, 100);
    const phone = new Replica();
    const { token } = await phone.syncFrom(b);
    // Three ids of one change shard: the editor's write takes the number right after the
    // token's, the phone's two creates the two after it (the answer must stop before the editor's).
    const [theirs, mine, mineIncome] = clientIdsInShard(5, 3, 100) as [string, string, string];
    const other = await push(b, editor, [{ op: 'create', id: theirs, expense: { amount: 777, occurredOn: '2026-11-11' } }]);
    expect(other.json.results[0].status).toBe('applied');
    // And an income entry of the editor's (whatever its shard), through the route.
    const theirIncome = await h.call('POST', incomePath(b), { token: editor.token, body: { amount: 555, receivedOn: '2026-11-11' } });
    expect(theirIncome.status, theirIncome.text).toBe(201);

    const create = { op: 'create', id: mine, expense: { amount: 42, occurredOn: '2026-11-12' } };
    const mutations = [
      create,
      { type: 'income', op: 'create', id: mineIncome, income: { amount: 9, receivedOn: '2026-11-12' } },
      create, // a resend in the same batch: writes nothing
      { op: 'update', id: kept.id, baseVersion: 1, patch: { amount: 100 } }, // changes nothing: writes nothing
      { op: 'create', expense: { amount: 3, categoryId: 'not-a-category' } }, // refused
    ];
    const res = await h.call('POST', `${changesPath(b)}?since=${token}`, { token: owner.token, body: { mutations } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results.map((r: any) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'error']);
    // The phone keeps what the push answered, and adopts its serverKnowledge (packages/expenses/docs/sync.md "Offline push").
    phone.apply({ expenses: [{ kind: 'expense', ...res.json.results[0].expense }], income: [{ kind: 'income', ...res.json.results[1].income }] });
    await phone.syncFrom(b, res.json.serverKnowledge);
    expect(phone.expenses.get(theirs)?.amount).toBe(777);
    expect(phone.income.get(theirIncome.json.id)?.amount).toBe(555);
    expect(phone.expenses).toEqual(await serverExpenses(b));
    expect(phone.income).toEqual(await serverIncome(b));
  });

  it('an in-sync token, no one else writing: the answer is past the push\'s own writes, so the next sync brings nothing', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const kept = await addExpense(b, 100);
    const gone = await addExpense(b, 200);
    const entry = await addIncome(b, 1_000);
    const phone = new Replica();
    const { token } = await phone.syncFrom(b);
    const [a, c] = clientIdsInShard(2, 2, 200);
    const mutations = [
      { op: 'create', id: a, expense: { amount: 1, occurredOn: '2026-11-12' } },
      { op: 'create', id: c, expense: { amount: 2, occurredOn: '2026-11-12' } },
      { op: 'create', expense: { amount: 3, occurredOn: '2026-11-12' } },
      { op: 'update', id: kept.id, baseVersion: 1, patch: { amount: 150 } },
      { op: 'update', id: kept.id, baseVersion: 2, patch: { amount: 150 } }, // changes nothing
      { op: 'delete', id: gone.id, baseVersion: 1 },
      { type: 'income', op: 'update', id: entry.id, baseVersion: 1, patch: { amount: 2_000 } },
      { type: 'income', op: 'create', income: { amount: 5 } },
    ];
    const res = await h.call('POST', `${changesPath(b)}?since=${token}`, { token: owner.token, body: { mutations } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results.every((r: any) => r.status === 'applied')).toBe(true);
    for (const r of res.json.results) {
      if (r.expense) phone.apply({ expenses: [{ kind: 'expense', ...r.expense }] });
      else if (r.income) phone.apply({ expenses: [], income: [{ kind: 'income', ...r.income }] });
      else phone.apply({ expenses: [{ kind: 'deleted', id: r.id }] });
    }
    const next = await sync(b, res.json.serverKnowledge);
    expect(next).toMatchObject({ hasMore: false, expenses: [] });
    expect(next.income).toBeUndefined();
    expect(phone.expenses).toEqual(await serverExpenses(b));
    expect(phone.income).toEqual(await serverIncome(b));
  });

  it('a budget changed after the token: adopting the push answer, the next sync still sends `budget`', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const { token } = await new Replica().syncFrom(b);
    // The owner changes the budget from another device; this client has not synced since.
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}`, { token: owner.token, body: { limit: 123_456 } });
    expect(patched.status, patched.text).toBe(200);
    const res = await h.call('POST', `${changesPath(b)}?since=${token}`, { token: owner.token, body: { mutations: [{ type: 'income', op: 'create', income: { amount: 5 } }] } });
    expect(res.status, res.text).toBe(200);
    // The answer's token must not claim the client saw the changed budget: the next sync sends it.
    const next = (await sync(b, res.json.serverKnowledge)) as { budget?: { limit: number } };
    expect(next.budget?.limit).toBe(123_456);
    // Without `since` the push cannot know what the client saw (README: a safe since only when in sync).
  });

  it("a token still paging (a pre-income token, a first sync half-way): another member's write before the push is not skipped by adopting the answer", async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    await h.addMember(b, owner, editor, 'editor');
    const first = await addExpense(b, 100);
    await addExpense(b, 200);
    // A client of before income sync: its token is `{v, s, h}` without `i` (as the test above builds it).
    const { token } = await new Replica().syncFrom(b);
    const cursors = h.t.system.deps.cursors;
    const binding = JSON.stringify(['changes', b.id]);
    const { v, s: seqs, h: hash } = cursors.decode(token, binding) as { v: number; s: number[]; h: string };
    const old = cursors.encode({ v, s: seqs, h: hash }, binding)!;
    const phone = new Replica();
    for (const [id, e] of await serverExpenses(b)) phone.expenses.set(id, e);
    // A first sync half-way (one expense of two paged).
    const halfway = new Replica();
    const page = await sync(b, undefined, 1);
    expect(page.hasMore).toBe(true);
    halfway.apply(page);

    // Another member changes the first expense (already paged by both) before either pushes.
    const changed = await h.call('PATCH', `${expensesPath(b)}/${first.id}`, { token: owner.token, body: { amount: 150 } });
    expect(changed.status, changed.text).toBe(200);

    for (const [client, since] of [
      [phone, old],
      [halfway, page.serverKnowledge],
    ] as const) {
      const res = await h.call('POST', `${changesPath(b)}?since=${since}`, { token: editor.token, body: { mutations: [{ type: 'income', op: 'create', income: { amount: 7 } }] } });
      expect(res.status, res.text).toBe(200);
      client.apply({ expenses: [], income: [{ kind: 'income', ...res.json.results[0].income }] });
      // The pages, then the next sync (what came after the numbers the pages started from).
      const paged = await client.syncFrom(b, res.json.serverKnowledge);
      await client.syncFrom(b, paged.token);
      expect(client.expenses.get(first.id)?.amount).toBe(150);
      expect(client.expenses).toEqual(await serverExpenses(b));
      expect(client.income).toEqual(await serverIncome(b));
    }
  });
});
