import { newId, type ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { ChangeLog, changeShardOf } from '../../../packages/expenses/src/repository/change-log';
import { TotalsRepository } from '../../../packages/expenses/src/repository/totals.repository';
import { recordedEvent } from '../../../packages/expenses/src/service/expense-facts';
import type { Expense } from '../../../packages/expenses/src/model';
import { ExpensesRepository } from '../../../packages/expenses/src/repository/expenses.repository';
import { ExpenseQueries } from '../../../packages/expenses/src/repository/expense-queries.repository';
import { RecurringRepository } from '../../../packages/expenses/src/repository/recurring.repository';
import { runRecurringIncomeJob, runRecurringJob } from '../../support/recurring-job';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { type Budget } from './harness';
import { recurringIncomeSuite } from './recurring-income-harness';

/**
 * Recurring definitions in delta sync (packages/expenses/docs/sync.md "Delta sync", "Recurring definitions"):
 * every write of a recurring expense or a recurring income (create, PATCH, pause, resume, skip,
 * record-next, DELETE, the jobs' advance) takes a change number in its own transaction, and GET
 * /changes answers `recurringExpenses` and `recurringIncome` arrays beside `expenses` and
 * `income` (each absent when none changed). A client keeps only what the responses told it and
 * must end equal to what GET of each definition answers.
 */
const BASE = '2026-11-24T12:00:00Z';
const suite = recurringIncomeSuite(BASE);
const { clock, created, req, fresh } = suite;

type Page = { serverKnowledge: string; hasMore: boolean; expenses: any[]; income?: any[]; recurringExpenses?: any[]; recurringIncome?: any[]; budget?: unknown };

async function sync(b: Budget, since?: string, limit?: number): Promise<Page> {
  const params = new URLSearchParams();
  if (since) params.set('since', since);
  if (limit) params.set('limit', String(limit));
  const res = await req(suite.team.owner, 'GET', `/v1/budgets/${b.id}/changes${params.size ? `?${params}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.json as Page;
}

/** What a phone keeps of the definitions: as the responses gave them. */
class Replica {
  readonly recurringExpenses = new Map<string, any>();
  readonly recurringIncome = new Map<string, any>();
  apply(page: Page) {
    for (const { kind, ...r } of page.recurringExpenses ?? []) {
      expect(['recurringExpense', 'deleted']).toContain(kind);
      if (kind === 'deleted') this.recurringExpenses.delete(r.id); else this.recurringExpenses.set(r.id, r);
    }
    for (const { kind, ...r } of page.recurringIncome ?? []) {
      expect(['recurringIncome', 'deleted']).toContain(kind);
      if (kind === 'deleted') this.recurringIncome.delete(r.id); else this.recurringIncome.set(r.id, r);
    }
  }
  async syncFrom(b: Budget, since?: string, limit?: number) {
    const pages: Page[] = [];
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

async function serverDefinitions(b: Budget, path: 'recurring-expenses' | 'recurring-income') {
  const res = await req(suite.team.owner, 'GET', `/v1/budgets/${b.id}/${path}?limit=100`);
  expect(res.status, res.text).toBe(200);
  return new Map((res.json.items as any[]).map((r) => [r.id, r] as const));
}
async function expectEqual(replica: Replica, b: Budget) {
  expect(replica.recurringExpenses).toEqual(await serverDefinitions(b, 'recurring-expenses'));
  expect(replica.recurringIncome).toEqual(await serverDefinitions(b, 'recurring-income'));
}
async function define(b: Budget, path: 'recurring-expenses' | 'recurring-income', body: Record<string, unknown>) {
  const res = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/${path}`, { body });
  expect(res.status, res.text).toBe(201);
  const url = res.headers.get('location')!;
  created.push(url);
  return { url, def: res.json };
}
const rent = (b: Budget) => define(b, 'recurring-expenses', { amount: 120000, description: 'Rent', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } });
const salary = (b: Budget) => define(b, 'recurring-income', { amount: 320000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } });
const ok = async (res: Promise<{ status: number; text: string; json: any }>, status = 200) => {
  const r = await res;
  expect(r.status, r.text).toBe(status);
  return r.json;
};

describe('recurring definitions in GET /changes', { timeout: 120_000 }, () => {
  it('a first sync sends every definition; later syncs bring a created, patched, paused, resumed, skipped and deleted definition of both kinds', async () => {
    const b = await fresh();
    const first = [await rent(b), await salary(b)];
    const replica = new Replica();
    const start = await replica.syncFrom(b);
    expect(start.pages.at(-1)!.recurringExpenses).toEqual([{ kind: 'recurringExpense', ...first[0]!.def }]);
    expect(start.pages.at(-1)!.recurringIncome).toEqual([{ kind: 'recurringIncome', ...first[1]!.def }]);
    await expectEqual(replica, b);

    // Caught up: nothing, and neither key.
    const none = await sync(b, start.token);
    expect(none).toEqual({ serverKnowledge: expect.any(String), hasMore: false, expenses: [] });

    // Created, patched, skipped of both kinds.
    const phone = await define(b, 'recurring-expenses', { amount: 4500, merchant: 'Phone Co', schedule: { frequency: 'monthly', startsOn: '2026-12-03' } });
    const patched = await ok(req(suite.team.owner, 'PATCH', first[0]!.url, { body: { amount: 125000 } }));
    const skipped = await ok(req(suite.team.owner, 'POST', `${first[1]!.url}/skip`));
    expect(skipped.nextOccurrenceOn).toBe('2026-12-28');
    const page = await sync(b, start.token);
    expect(page.expenses).toEqual([]);
    expect(page.income).toBeUndefined();
    expect([...page.recurringExpenses!].sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      [{ kind: 'recurringExpense', ...patched }, { kind: 'recurringExpense', ...phone.def }].sort((x, y) => x.id.localeCompare(y.id)),
    );
    expect(page.recurringIncome).toEqual([{ kind: 'recurringIncome', ...skipped }]);
    replica.apply(page);
    await expectEqual(replica, b);

    // Paused, then deleted; the income paused then resumed.
    const paused = await ok(req(suite.team.owner, 'PATCH', phone.url, { body: { paused: true } }));
    expect(paused).toMatchObject({ paused: true, nextOccurrenceOn: null });
    const pausedPage = await sync(b, page.serverKnowledge);
    expect(pausedPage.recurringExpenses).toEqual([{ kind: 'recurringExpense', ...paused }]);
    expect(pausedPage.recurringIncome).toBeUndefined();
    replica.apply(pausedPage);
    await ok(req(suite.team.owner, 'PATCH', first[1]!.url, { body: { paused: true } }));
    const resumed = await ok(req(suite.team.owner, 'PATCH', first[1]!.url, { body: { paused: false } }));
    expect((await ok(req(suite.team.owner, 'DELETE', phone.url), 204)) ?? null).toBeFalsy();
    created.splice(created.indexOf(phone.url), 1);
    const last = await sync(b, pausedPage.serverKnowledge);
    expect(last.recurringExpenses).toEqual([{ kind: 'deleted', id: phone.def.id, deleted: true }]);
    expect(last.recurringIncome).toEqual([{ kind: 'recurringIncome', ...resumed }]);
    replica.apply(last);
    await expectEqual(replica, b);
    expect(await sync(b, last.serverKnowledge)).toEqual({ serverKnowledge: last.serverKnowledge, hasMore: false, expenses: [] });
  });

  it('the other kind of each write: a skipped bill, a patched, recorded-now and deleted paycheck', async () => {
    const b = await fresh();
    const r = await rent(b);
    const s = await salary(b);
    const replica = new Replica();
    const { token } = await replica.syncFrom(b);
    const skipped = await ok(req(suite.team.owner, 'POST', `${r.url}/skip`));
    expect(skipped).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });
    const patched = await ok(req(suite.team.owner, 'PATCH', s.url, { body: { amount: 330000, description: 'raise' } }));
    const page = await sync(b, token);
    expect(page.recurringExpenses).toEqual([{ kind: 'recurringExpense', ...skipped }]);
    expect(page.recurringIncome).toEqual([{ kind: 'recurringIncome', ...patched }]);
    replica.apply(page);
    const recorded = await ok(req(suite.team.owner, 'POST', `${s.url}/record-next`, { body: {} }));
    const next = await sync(b, page.serverKnowledge);
    expect(next.income).toEqual([{ kind: 'income', ...recorded.income }]);
    expect(next.recurringIncome).toEqual([{ kind: 'recurringIncome', ...recorded.recurringIncome }]);
    expect(recorded.recurringIncome).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 3 });
    replica.apply(next);
    await expectEqual(replica, b);
    expect(await ok(req(suite.team.owner, 'DELETE', s.url), 204)).toBeFalsy();
    created.splice(created.indexOf(s.url), 1);
    const last = await sync(b, next.serverKnowledge);
    expect(last).toEqual({ serverKnowledge: expect.any(String), hasMore: false, expenses: [], recurringIncome: [{ kind: 'deleted', id: s.def.id, deleted: true }] });
    replica.apply(last);
    await expectEqual(replica, b);
  });

  it('a PATCH that changes nothing is no change; a sync with no definition changed makes its usual 2 requests and answers no definition key', async () => {
    const b = await fresh();
    const { url, def } = await rent(b);
    const inc = await salary(b);
    const { token } = await new Replica().syncFrom(b);
    expect(await ok(req(suite.team.owner, 'PATCH', url, { body: { amount: def.amount, description: 'Rent' } }))).toEqual(def);
    expect(await ok(req(suite.team.owner, 'PATCH', inc.url, { body: { amount: 320000 } }))).toEqual(inc.def);
    expect(await sync(b, token)).toEqual({ serverKnowledge: token, hasMore: false, expenses: [] });

    const expense = await ok(req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-20' } }), 201);
    const later = await commandsSentDuring(suite.h.t.doc, () => sync(b, token));
    expect(later.commands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(later.result).toEqual({ serverKnowledge: expect.any(String), hasMore: false, expenses: [{ kind: 'expense', ...expense }] });
  });

  it("the jobs' recording of an occurrence shows the definition's new next date; record-next too", async () => {
    const b = await fresh();
    const r = await rent(b);
    const s = await salary(b);
    const replica = new Replica();
    const { token } = await replica.syncFrom(b);

    clock.set('2026-11-28T12:00:00Z');
    expect(await runRecurringJob(suite.h.t)).toMatchObject({ recorded: 1, failed: 0 });
    expect(await runRecurringIncomeJob(suite.h.t)).toMatchObject({ recorded: 1, failed: 0 });
    const page = await sync(b, token);
    expect(page.expenses).toEqual([expect.objectContaining({ kind: 'expense', amount: 120000, occurredOn: '2026-11-28', recurringExpenseId: r.def.id })]);
    expect(page.income).toEqual([expect.objectContaining({ kind: 'income', amount: 320000, receivedOn: '2026-11-28', recurringIncomeId: s.def.id })]);
    expect(page.recurringExpenses).toEqual([{ kind: 'recurringExpense', ...r.def, nextOccurrenceOn: '2026-12-28' }]);
    expect(page.recurringIncome).toEqual([{ kind: 'recurringIncome', ...s.def, nextOccurrenceOn: '2026-12-28' }]);
    replica.apply(page);
    await expectEqual(replica, b);

    const recorded = await ok(req(suite.team.owner, 'POST', `${r.url}/record-next`, { body: {} }));
    const next = await sync(b, page.serverKnowledge);
    expect(next.recurringExpenses).toEqual([{ kind: 'recurringExpense', ...recorded.recurringExpense }]);
    expect(recorded.recurringExpense).toMatchObject({ nextOccurrenceOn: '2027-01-28', version: 2 });
    replica.apply(next);
    await expectEqual(replica, b);
  });

  it("the job's recording carries the definition's change in its own transaction: one item more, no request more", async () => {
    const b = await fresh();
    await rent(b);
    await salary(b);
    clock.set('2026-11-28T12:00:00Z');
    for (const job of [() => runRecurringJob(suite.h.t), () => runRecurringIncomeJob(suite.h.t)]) {
      const run = await commandsSentDuring(suite.h.t.doc, job);
      expect(run.result).toMatchObject({ recorded: 1, failed: 0 });
      // The requests of one occurrence as before: the planner's Queries, the creator's access, the
      // definition (now with its own change counter in one BatchGetItem, where a GetItem was), the
      // recorded entry's change counter (unless that is the definition's, known then), the transaction.
      const items = writeItemsOf(run.sent) as any[];
      const recordedId = items[0]!.Put.Item.id;
      const definitionId = items.find((i) => i.Update?.Key?.sk?.includes('recur'))!.Update.Key.sk.split('#').pop();
      const counterKnown = changeShardOf(recordedId) === changeShardOf(definitionId);
      const own = run.commands.filter((c) => c !== 'QueryCommand');
      expect(own).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', ...(counterKnown ? [] : ['GetItemCommand']), 'TransactWriteItemsCommand']);
      // Two change entries in the one transaction (the recorded entry's and the definition's), on one counter.
      const entries = items.filter((i) => i.Put?.Item?.kind === 'expense-change');
      expect(entries.map((i) => Object.keys(i.Put.Item).filter((k) => /^(expense|income|recurringExpense|recurringIncome)Id$/.test(k)))).toEqual(
        [[expect.stringMatching(/^(expenseId|incomeId)$/)], [expect.stringMatching(/^recurring(Expense|Income)Id$/)]],
      );
      expect(items.filter((i) => i.Update?.ExpressionAttributeValues?.[':kind'] === 'change-counter')).toHaveLength(1);
    }
  });

  it("an archived budget: the jobs skip its due dates past today, numbered all the same, so a client sees the new dates", async () => {
    const b = await fresh();
    const r = await rent(b);
    const s = await salary(b);
    const { token } = await new Replica().syncFrom(b);
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/archive`)).status).toBeLessThan(300);
    clock.set('2026-11-28T12:00:00Z');
    expect(await runRecurringJob(suite.h.t)).toMatchObject({ recorded: 0, skipped: 1, failed: 0 });
    expect(await runRecurringIncomeJob(suite.h.t)).toMatchObject({ recorded: 0, skipped: 1, failed: 0 });
    const page = await sync(b, token);
    expect(page.recurringExpenses).toEqual([{ kind: 'recurringExpense', ...r.def, nextOccurrenceOn: '2026-12-28' }]);
    expect(page.recurringIncome).toEqual([{ kind: 'recurringIncome', ...s.def, nextOccurrenceOn: '2026-12-28' }]);
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/unarchive`)).status).toBeLessThan(300);
  });

  it('a token issued before definitions were synced sends every definition once, then goes on incrementally', async () => {
    const b = await fresh();
    const r = await rent(b);
    const s = await salary(b);
    const { token } = await new Replica().syncFrom(b);
    // The same state as the server wrote it before definitions were synced: without `r`.
    const cursors = suite.h.t.system.deps.cursors;
    const binding = JSON.stringify(['changes', b.id]);
    const { r: _r, ...payload } = cursors.decode(token, binding) as Record<string, unknown>;
    expect(_r).toBe(1);
    const old = cursors.encode(payload, binding)!;
    const oldClient = new Replica();
    const page = await sync(b, old);
    expect(page.recurringExpenses).toEqual([{ kind: 'recurringExpense', ...r.def }]);
    expect(page.recurringIncome).toEqual([{ kind: 'recurringIncome', ...s.def }]);
    oldClient.apply(page);
    await expectEqual(oldClient, b);
    expect(await sync(b, page.serverKnowledge)).toEqual({ serverKnowledge: page.serverKnowledge, hasMore: false, expenses: [] });
    const patched = await ok(req(suite.team.owner, 'PATCH', r.url, { body: { description: 'Rent, flat 2' } }));
    expect((await sync(b, page.serverKnowledge)).recurringExpenses).toEqual([{ kind: 'recurringExpense', ...patched }]);
  });

  it("an offline push with a token of before (no `r`) answers a token that still brings every definition (and not the push's own write again)", async () => {
    const b = await fresh();
    const r = await rent(b);
    const s = await salary(b);
    const { token } = await new Replica().syncFrom(b);
    const cursors = suite.h.t.system.deps.cursors;
    const binding = JSON.stringify(['changes', b.id]);
    const { r: _r, ...payload } = cursors.decode(token, binding) as Record<string, unknown>;
    const old = cursors.encode(payload, binding)!;
    const push = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/changes?since=${encodeURIComponent(old)}`, {
      body: { mutations: [{ op: 'create', id: '01JDXX00000000000000000052', expense: { amount: 700, occurredOn: '2026-11-20' } }] },
    });
    expect(push.status, push.text).toBe(200);
    expect(push.json.results[0].status).toBe('applied');
    // The answered token keeps saying the client lacks the definitions.
    expect((cursors.decode(push.json.serverKnowledge, binding) as Record<string, unknown>).r).toBeUndefined();
    const oldClient = new Replica();
    const page = await sync(b, push.json.serverKnowledge);
    expect(page.recurringExpenses).toEqual([{ kind: 'recurringExpense', ...r.def }]);
    expect(page.recurringIncome).toEqual([{ kind: 'recurringIncome', ...s.def }]);
    expect(page.expenses).toEqual([]);
    oldClient.apply(page);
    await expectEqual(oldClient, b);
    // Then incremental: the next token has `r` and brings nothing more.
    expect((cursors.decode(page.serverKnowledge, binding) as Record<string, unknown>).r).toBe(1);
    expect(await sync(b, page.serverKnowledge)).toEqual({ serverKnowledge: page.serverKnowledge, hasMore: false, expenses: [] });
  });

  it("a first sync's pages: every definition once, after the expenses and income, within `limit` (a page the expenses fill exactly too), one created between pages included", async () => {
    const b = await fresh();
    const r = await rent(b);
    for (const amount of [100, 200]) await ok(req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount, occurredOn: '2026-11-20' } }), 201);
    // The expenses fill the page exactly and there is no income: the definition comes on the next page.
    const exact = await sync(b, undefined, 2);
    expect(exact.hasMore).toBe(true);
    expect(exact.expenses).toHaveLength(2);
    expect(exact.recurringExpenses).toBeUndefined();
    const after = await sync(b, exact.serverKnowledge, 2);
    expect(after).toMatchObject({ hasMore: false, expenses: [], recurringExpenses: [{ kind: 'recurringExpense', ...r.def }] });
    // Pages of 1: one item a page, the definitions last; one created between pages comes on a later page.
    const replica = new Replica();
    const firstPage = await sync(b, undefined, 1);
    expect(firstPage.hasMore).toBe(true);
    expect(firstPage.recurringExpenses ?? []).toEqual([]);
    expect(firstPage.recurringIncome ?? []).toEqual([]);
    replica.apply(firstPage);
    const s = await salary(b);
    const rest = await replica.syncFrom(b, firstPage.serverKnowledge, 1);
    for (const page of rest.pages) expect(page.expenses.length + (page.recurringExpenses ?? []).length + (page.recurringIncome ?? []).length).toBeLessThanOrEqual(1);
    const sent = [firstPage, ...rest.pages].flatMap((p) => [...(p.recurringExpenses ?? []), ...(p.recurringIncome ?? [])]);
    // Written after the counters the first page read: the page ending the paging says hasMore, and
    // the same sync sends it again from those numbers (harmless), then nothing.
    expect(sent.map((d) => d.id).sort()).toEqual([r.def.id, s.def.id, s.def.id].sort());
    expect(rest.pages.at(-2)!).toMatchObject({ hasMore: true, recurringIncome: [{ kind: 'recurringIncome', ...s.def }] });
    expect(rest.pages.at(-1)!).toMatchObject({ hasMore: false, recurringIncome: [{ kind: 'recurringIncome', ...s.def }] });
    await expectEqual(replica, b);
    expect(await sync(b, rest.token)).toEqual({ serverKnowledge: rest.token, hasMore: false, expenses: [] });
  });

  it('a first sync of a budget whose definitions are as large as the API allows completes in pages that Lambda can send, however many definitions (each page bounded by `limit`)', { timeout: 300_000 }, async () => {
    // Lambda's answer is its result as JSON, the body a JSON string in it: a backslash in a text
    // takes 4 bytes. A definition of 50 split parts of 500 backslashes is ~105 KB sent; 64 pass 6 MB.
    const LAMBDA_RESULT_MAX_BYTES = 6_291_456;
    const sentBytes = (text: string) => Buffer.byteLength(JSON.stringify(text));
    const b = await fresh();
    const backslashes = (n: number) => '\\'.repeat(n);
    const ids: string[] = [];
    for (let n = 0; n < 64; n++) {
      const { def } = await define(b, 'recurring-expenses', {
        amount: 5000,
        description: backslashes(500),
        merchant: backslashes(200),
        splits: Array.from({ length: 50 }, () => ({ categoryId: null, amount: 100, description: backslashes(500) })),
        schedule: { frequency: 'monthly', startsOn: '2026-12-01' },
      });
      ids.push(def.id);
    }
    const replica = new Replica();
    let token: string | undefined;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(200);
      const params = new URLSearchParams({ limit: '1', ...(token ? { since: token } : {}) });
      const res = await req(suite.team.owner, 'GET', `/v1/budgets/${b.id}/changes?${params}`);
      expect(res.status).toBe(200);
      // A smaller limit is all a client can do: every page must fit then.
      expect(sentBytes(res.text)).toBeLessThan(LAMBDA_RESULT_MAX_BYTES / 4);
      const page = res.json as Page;
      replica.apply(page);
      token = page.serverKnowledge;
      if (!page.hasMore) break;
    }
    expect([...replica.recurringExpenses.keys()].sort()).toEqual([...ids].sort());
    expect(replica.recurringExpenses.get(ids[0]!)!.splits[0].description).toBe(backslashes(500));
    expect(await sync(b, token)).toEqual({ serverKnowledge: token, hasMore: false, expenses: [] });
  });

  it('a definition write that read the counter before a concurrent write commits is numbered after what a reader saw', async () => {
    const b = await fresh();
    const { def } = await rent(b);
    const store: ModuleStore = suite.h.t.system.deps.storeFor('expenses');
    const log = new ChangeLog(store);
    const expenses = new ExpensesRepository(store, new TotalsRepository(store));
    const shard = changeShardOf(def.id);
    const idInShard = (s: number) => {
      for (;;) {
        const id = newId(suite.h.t.clock.now().getTime());
        if (changeShardOf(id) === s) return id;
      }
    };
    let seen: number[] = [];
    let seenToken = '';
    let held = false;
    const racing: ModuleStore = Object.create(store);
    racing.transactWrite = async (...args: Parameters<ModuleStore['transactWrite']>) => {
      if (!held) {
        held = true;
        // A has read its counter and built its transaction. B (an expense in A's change shard) commits first...
        const e: Expense = { id: idInShard(shard), budgetId: b.id, amount: 100, categoryId: null, occurredOn: '2026-11-20', reviewed: true, createdBy: suite.team.owner.id, version: 1, createdAt: BASE, updatedAt: BASE };
        expect(await expenses.create(e, await recordedEvent(e, suite.h.t.clock))).toBe('created');
        // ...and a client syncs: it has everything up to the counters it saw.
        seenToken = (await new Replica().syncFrom(b)).token;
        seen = await log.counters(b.id);
      }
      return store.transactWrite(...args);
    };
    // A: a PATCH of the definition through a repository whose transaction waits for B.
    const repository = new RecurringRepository(racing, expenses, new ExpenseQueries(racing, expenses.changes));
    const current = (await repository.get(b.id, def.id))!;
    await repository.replace(current, { ...current, description: 'Rent (A)', version: current.version + 1 }, 'UTC');
    expect(held).toBe(true);
    expect(await log.entriesAfter(b.id, shard, seen[shard]!, 10)).toEqual([{ shard, seq: seen[shard]! + 1, expenseId: def.id, deleted: false, recurring: true }]);
    // A landed after what the client saw: its next sync brings it.
    const page = await sync(b, seenToken);
    expect(page.recurringExpenses).toEqual([expect.objectContaining({ kind: 'recurringExpense', id: def.id, description: 'Rent (A)', version: 2 })]);
  });
});

/**
 * The offline push of definitions (packages/expenses/docs/sync.md "Offline push"): `type: recurringExpense |
 * recurringIncome` mutations go through the routes' own write path, so GET /changes, GET of the
 * definition and the conflict rule are the routes' own.
 */
describe('recurring definitions in POST /changes (offline push)', { timeout: 120_000 }, () => {
  const push = (b: Budget, mutations: unknown[], options: { who?: typeof suite.team.owner; key?: string; since?: string } = {}) =>
    req(options.who ?? suite.team.owner, 'POST', `/v1/budgets/${b.id}/changes${options.since ? `?since=${encodeURIComponent(options.since)}` : ''}`, {
      body: { mutations },
      ...(options.key ? { headers: { 'Idempotency-Key': options.key } } : {}),
    });
  /** A definition the push created: deleted after the test as the routes' are. */
  const track = (b: Budget, path: 'recurring-expenses' | 'recurring-income', id: string) => created.push(`/v1/budgets/${b.id}/${path}/${id}`);
  const clientId = (n: number) => `01JDXDEF${String(n).padStart(18, '0')}`;

  it('creates, updates (paused too) and deletes of both kinds, mixed with an expense and an income entry, come with the next sync as the routes\' writes', async () => {
    const b = await fresh();
    const [r, s] = [await rent(b), await salary(b)];
    const gym = await define(b, 'recurring-expenses', { amount: 3000, merchant: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
    const side = await define(b, 'recurring-income', { amount: 5000, source: 'Side gig', schedule: { frequency: 'weekly', startsOn: '2026-11-27' } });
    const replica = new Replica();
    const { token } = await replica.syncFrom(b);

    const res = await push(b, [
      { type: 'recurringExpense', op: 'create', id: clientId(1), recurringExpense: { amount: 1599, merchant: 'Streamly', schedule: { frequency: 'monthly', startsOn: '2026-12-03' } } },
      { op: 'create', expense: { amount: 450, occurredOn: '2026-11-24', merchant: 'Kiosk' } },
      { type: 'recurringExpense', op: 'update', id: r.def.id, baseVersion: 1, patch: { paused: true } },
      { type: 'recurringIncome', op: 'create', id: clientId(2), recurringIncome: { amount: 320000, source: 'Acme bonus', schedule: { frequency: 'yearly', startsOn: '2026-12-15' } } },
      { type: 'recurringIncome', op: 'update', id: s.def.id, baseVersion: 1, patch: { amount: 330000, source: null } },
      { type: 'income', op: 'create', income: { amount: 700, receivedOn: '2026-11-24' } },
      { type: 'recurringExpense', op: 'delete', id: gym.def.id, baseVersion: 1 },
      { type: 'recurringIncome', op: 'delete', id: side.def.id, baseVersion: 1 },
    ], { since: token });
    expect(res.status, res.text).toBe(200);
    track(b, 'recurring-expenses', clientId(1));
    track(b, 'recurring-income', clientId(2));
    const expenses = await serverDefinitions(b, 'recurring-expenses');
    const income = await serverDefinitions(b, 'recurring-income');
    // Each applied result is the definition as GET answers it now, under its kind's name.
    const results = res.json.results;
    expect(results[0]).toEqual({ status: 'applied', recurringExpense: expenses.get(clientId(1)), version: 1 });
    expect(results[0].recurringExpense).toMatchObject({ amount: 1599, merchant: 'Streamly', nextOccurrenceOn: '2026-12-03', paused: false, createdBy: suite.team.owner.id });
    expect(results[1]).toMatchObject({ status: 'applied', expense: { amount: 450, merchant: 'Kiosk' }, version: 1 });
    // A pause as the PATCH makes it: no next date, the pause opened today, version 2.
    expect(results[2]).toEqual({ status: 'applied', recurringExpense: expenses.get(r.def.id), version: 2 });
    expect(results[2].recurringExpense).toMatchObject({ paused: true, nextOccurrenceOn: null, pauses: [{ from: '2026-11-24', to: null }] });
    expect(results[3]).toEqual({ status: 'applied', recurringIncome: income.get(clientId(2)), version: 1 });
    expect(results[3].recurringIncome).toMatchObject({ amount: 320000, source: 'Acme bonus', nextOccurrenceOn: '2026-12-15' });
    expect(results[4]).toEqual({ status: 'applied', recurringIncome: income.get(s.def.id), version: 2 });
    expect(results[4].recurringIncome).toMatchObject({ amount: 330000 });
    expect(results[4].recurringIncome.source).toBeUndefined();
    expect(results[5]).toMatchObject({ status: 'applied', income: { amount: 700 }, version: 1 });
    expect(results[6]).toEqual({ status: 'applied', id: gym.def.id, version: 1 });
    expect(results[7]).toEqual({ status: 'applied', id: side.def.id, version: 1 });
    expect([...expenses.keys()].sort()).toEqual([clientId(1), r.def.id].sort());
    expect([...income.keys()].sort()).toEqual([clientId(2), s.def.id].sort());

    // A phone that only syncs: the pushed writes come as ordinary writes, deletions as `deleted`.
    const page = await sync(b, token);
    expect(page.recurringExpenses).toEqual(expect.arrayContaining([{ kind: 'deleted', id: gym.def.id, deleted: true }]));
    expect(page.recurringIncome).toEqual(expect.arrayContaining([{ kind: 'deleted', id: side.def.id, deleted: true }]));
    expect(page.expenses).toEqual([expect.objectContaining({ kind: 'expense', amount: 450 })]);
    expect(page.income).toEqual([expect.objectContaining({ kind: 'income', amount: 700 })]);
    replica.apply(page);
    await expectEqual(replica, b);
    // The pushing phone adopts the answer: nobody else wrote, so nothing more to sync.
    expect(await sync(b, res.json.serverKnowledge)).toEqual({ serverKnowledge: res.json.serverKnowledge, hasMore: false, expenses: [] });
  });

  it('a stale baseVersion answers the server copy and writes nothing; gone, someone else\'s client id, the key\'s replay and a resent create write nothing twice', async () => {
    const b = await fresh();
    const r = await rent(b);
    const s = await salary(b);
    const gone = await define(b, 'recurring-expenses', { amount: 900, merchant: 'Old', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
    await ok(req(suite.team.owner, 'DELETE', gone.url), 204);
    created.splice(created.indexOf(gone.url), 1);
    // Edited online meanwhile (version 2), by the owner.
    const online = await ok(req(suite.team.owner, 'PATCH', r.url, { body: { amount: 125000 } }));
    const onlineIncome = await ok(req(suite.team.owner, 'PATCH', s.url, { body: { paused: true } }));
    const { token } = await new Replica().syncFrom(b);

    const editor = suite.team.editor;
    const mutations = [
      { type: 'recurringExpense', op: 'update', id: r.def.id, baseVersion: 1, patch: { amount: 130000, paused: true } },
      { type: 'recurringIncome', op: 'delete', id: s.def.id, baseVersion: 1 },
      { type: 'recurringExpense', op: 'delete', id: gone.def.id, baseVersion: 1 },
      // The owner's definition's id as the editor's client id: not the editor's, so shown, not taken.
      { type: 'recurringExpense', op: 'create', id: r.def.id, recurringExpense: { amount: 1, schedule: { frequency: 'weekly' } } },
      { type: 'recurringIncome', op: 'create', recurringIncome: { amount: 2500, source: 'Tutoring', schedule: { frequency: 'weekly', startsOn: '2026-11-26' } } },
      { type: 'recurringExpense', op: 'create', id: clientId(3), recurringExpense: { amount: 800, merchant: 'Cloud', schedule: { frequency: 'monthly' } } },
    ];
    const res = await push(b, mutations, { who: editor, key: 'defs-batch-1' });
    expect(res.status, res.text).toBe(200);
    const results = res.json.results;
    track(b, 'recurring-income', results[4].recurringIncome.id);
    track(b, 'recurring-expenses', clientId(3));
    // The server's copies, untouched, told apart by kind.
    expect(results[0]).toEqual({ status: 'conflict', current: { kind: 'recurringExpense', ...online } });
    expect(results[1]).toEqual({ status: 'conflict', current: { kind: 'recurringIncome', ...onlineIncome } });
    expect(results[2]).toEqual({ status: 'conflict', current: { kind: 'deleted', id: gone.def.id, deleted: true } });
    expect(results[3]).toEqual({ status: 'conflict', current: { kind: 'recurringExpense', ...online } });
    expect(results[4]).toMatchObject({ status: 'applied', recurringIncome: { amount: 2500, createdBy: editor.id }, version: 1 });
    expect(results[5]).toMatchObject({ status: 'applied', recurringExpense: { id: clientId(3), createdBy: editor.id, nextOccurrenceOn: '2026-11-24' }, version: 1 });
    expect(await ok(req(suite.team.owner, 'GET', r.url))).toEqual(online);
    expect(await ok(req(suite.team.owner, 'GET', s.url))).toEqual(onlineIncome);
    // Only the two creates were written.
    const after = await sync(b, token);
    expect((after.recurringExpenses ?? []).map((d) => d.id)).toEqual([clientId(3)]);
    expect((after.recurringIncome ?? []).map((d) => d.id)).toEqual([results[4].recurringIncome.id]);

    // The same batch with its key: the stored answer, nothing written again.
    const retry = await push(b, mutations, { who: editor, key: 'defs-batch-1' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(res.json);
    // Without the key (the phone never got the answer): the client id's create finds the editor's
    // definition (applied, the stored copy, no change number). A create without an id would be made
    // again, as an expense's: a phone resending without the key sends client ids.
    const resent = await push(b, [mutations[5]], { who: editor });
    expect(resent.json.results).toEqual([{ status: 'applied', recurringExpense: results[5].recurringExpense, version: 1 }]);
    expect(await sync(b, after.serverKnowledge)).toEqual({ serverKnowledge: after.serverKnowledge, hasMore: false, expenses: [] });

    // A batch that created and deleted a definition of each kind, retried without its key: the
    // creates find their DELETE's marker (deleted, not made again), the deletes find nothing.
    const createdThenDeleted = [
      { type: 'recurringExpense', op: 'create', id: clientId(4), recurringExpense: { amount: 500, merchant: 'Trial', schedule: { frequency: 'monthly' } } },
      { type: 'recurringIncome', op: 'create', id: clientId(5), recurringIncome: { amount: 900, source: 'Once', schedule: { frequency: 'monthly' } } },
      { type: 'recurringExpense', op: 'delete', id: clientId(4), baseVersion: 1 },
      { type: 'recurringIncome', op: 'delete', id: clientId(5), baseVersion: 1 },
    ];
    const once = await push(b, createdThenDeleted, { who: editor });
    expect(once.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const seen = await sync(b, after.serverKnowledge);
    expect(seen.recurringExpenses).toEqual([{ kind: 'deleted', id: clientId(4), deleted: true }]);
    expect(seen.recurringIncome).toEqual([{ kind: 'deleted', id: clientId(5), deleted: true }]);
    const again = await push(b, createdThenDeleted, { who: editor });
    expect(again.json.results).toEqual([
      { status: 'conflict', current: { kind: 'deleted', id: clientId(4), deleted: true } },
      { status: 'conflict', current: { kind: 'deleted', id: clientId(5), deleted: true } },
      { status: 'conflict', current: { kind: 'deleted', id: clientId(4), deleted: true } },
      { status: 'conflict', current: { kind: 'deleted', id: clientId(5), deleted: true } },
    ]);
    expect(await sync(b, seen.serverKnowledge)).toEqual({ serverKnowledge: seen.serverKnowledge, hasMore: false, expenses: [] });
    // The route's DELETE leaves the marker too: a create pushed under that id is refused the same way.
    const underGone = await push(b, [{ type: 'recurringExpense', op: 'create', id: gone.def.id, recurringExpense: { amount: 900, schedule: { frequency: 'monthly' } } }], { who: editor });
    expect(underGone.json.results).toEqual([{ status: 'conflict', current: { kind: 'deleted', id: gone.def.id, deleted: true } }]);
    // Still refused a day later (the marker lives 30 days), and only for the id's own resend: a new id is created.
    clock.set('2026-11-25T13:00:00Z');
    const later = await push(b, [createdThenDeleted[0], { ...createdThenDeleted[0], id: clientId(6) }], { who: editor });
    expect(later.json.results[0]).toEqual({ status: 'conflict', current: { kind: 'deleted', id: clientId(4), deleted: true } });
    expect(later.json.results[1]).toMatchObject({ status: 'applied', recurringExpense: { id: clientId(6) } });
    track(b, 'recurring-expenses', clientId(6));
  });

  it('400 names the field within its mutation and writes nothing; a viewer is refused; a refusal only the budget can tell is one result, the batch goes on', async () => {
    const b = await fresh();
    const { viewer, stranger, editor } = suite.team;
    const one = [{ type: 'recurringExpense', op: 'create', recurringExpense: { amount: 100, schedule: { frequency: 'monthly' } } }];
    expectProblem(await push(b, one, { who: viewer }), 403);
    expectProblem(await push(b, [{ type: 'recurringIncome', op: 'update', id: 'x', baseVersion: 1, patch: { paused: true } }], { who: viewer }), 403);
    expectProblem(await push(b, one, { who: stranger }), 404);
    expectProblem(await push(b, [{ type: 'recurringExpense', op: 'create', recurringExpense: { amount: 0, schedule: { frequency: 'monthly' } } }]), 400, ['mutations.0.recurringExpense.amount']);
    expectProblem(await push(b, [{ type: 'recurringExpense', op: 'create', recurringExpense: { amount: 100 } }]), 400, ['mutations.0.recurringExpense.schedule']);
    expectProblem(
      await push(b, [{ op: 'create', expense: { amount: 1, occurredOn: '2026-11-24' } }, { type: 'recurringIncome', op: 'update', id: 'x', baseVersion: 1, patch: { paused: 'yes' } }]),
      400,
      ['mutations.1.patch.paused'],
    );
    expectProblem(await push(b, [{ type: 'recurringIncome', op: 'delete', id: 'x' }]), 400, ['mutations.0.baseVersion']);
    // The other kind's body under this type is an unknown field.
    expectProblem(await push(b, [{ type: 'recurringIncome', op: 'create', recurringExpense: { amount: 100, schedule: { frequency: 'monthly' } } }]), 400);
    expect((await serverDefinitions(b, 'recurring-expenses')).size).toBe(0);
    expect((await serverDefinitions(b, 'recurring-income')).size).toBe(0);
    expect((await sync(b)).expenses).toEqual([]);

    // `count` with `endsOn`: the service's 400, answered for that mutation only.
    const res = await push(b, [
      { type: 'recurringExpense', op: 'create', recurringExpense: { amount: 100, schedule: { frequency: 'monthly', count: 3, endsOn: '2027-03-01' } } },
      { type: 'recurringExpense', op: 'create', recurringExpense: { amount: 100, schedule: { frequency: 'monthly' } } },
    ], { who: editor });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results[0]).toMatchObject({ status: 'error', problem: { status: 400, errors: [{ path: 'schedule.count' }] } });
    expect(res.json.results[1]).toMatchObject({ status: 'applied', recurringExpense: { amount: 100, createdBy: editor.id } });
    track(b, 'recurring-expenses', res.json.results[1].recurringExpense.id);
    expect([...(await serverDefinitions(b, 'recurring-expenses')).keys()]).toEqual([res.json.results[1].recurringExpense.id]);
  });

  it('a create then updates of the same definition in one batch, a stale one after them and a failed one before: each as the routes would answer in that order', async () => {
    const b = await fresh();
    const { token } = await new Replica().syncFrom(b);
    const id = clientId(7);
    const res = await push(b, [
      { type: 'recurringIncome', op: 'update', id, baseVersion: 1, patch: { amount: 1 } },
      { type: 'recurringIncome', op: 'create', id, recurringIncome: { amount: 90000, source: 'Pension', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } } },
      { type: 'recurringIncome', op: 'update', id, baseVersion: 1, patch: { paused: true } },
      { type: 'recurringIncome', op: 'update', id, baseVersion: 2, patch: { amount: 95000, paused: false } },
      { type: 'recurringIncome', op: 'update', id, baseVersion: 2, patch: { amount: 1 } },
    ], { since: token });
    expect(res.status, res.text).toBe(200);
    track(b, 'recurring-income', id);
    const stored = await ok(req(suite.team.owner, 'GET', `/v1/budgets/${b.id}/recurring-income/${id}`));
    const results = res.json.results;
    // Before its create the id names nothing: gone.
    expect(results[0]).toEqual({ status: 'conflict', current: { kind: 'deleted', id, deleted: true } });
    expect(results[1]).toMatchObject({ status: 'applied', recurringIncome: { id, version: 1, nextOccurrenceOn: '2026-12-01' }, version: 1 });
    // Paused then resumed the same day, as two PATCHes would: the pause opened, then dropped as
    // covering no day (domain/pause-history.ts resumed), the next date today's schedule's again.
    expect(results[2]).toMatchObject({ status: 'applied', recurringIncome: { paused: true, nextOccurrenceOn: null, pauses: [{ from: '2026-11-24', to: null }] }, version: 2 });
    expect(results[3]).toEqual({ status: 'applied', recurringIncome: stored, version: 3 });
    expect(stored).toMatchObject({ amount: 95000, paused: false, nextOccurrenceOn: '2026-12-01', pauses: [] });
    expect(results[4]).toEqual({ status: 'conflict', current: { kind: 'recurringIncome', ...stored } });
    // The answered token moved over the three writes: adopting it, nothing more to sync.
    expect(await sync(b, res.json.serverKnowledge)).toEqual({ serverKnowledge: res.json.serverKnowledge, hasMore: false, expenses: [] });
    expect((await sync(b, token)).recurringIncome).toEqual([{ kind: 'recurringIncome', ...stored }]);
  });

  it("skip and recordNext of both kinds at the date the client saw: as the routes' actions, synced; a resend skips or records nothing twice; a date the job moved is a conflict", async () => {
    const b = await fresh();
    const r = await rent(b);
    const s = await salary(b);
    const replica = new Replica();
    const { token } = await replica.syncFrom(b);
    expect([r.def.nextOccurrenceOn, s.def.nextOccurrenceOn]).toEqual(['2026-11-28', '2026-11-28']);

    const mutations = [
      { type: 'recurringExpense', op: 'skip', id: r.def.id, baseVersion: 1, nextOccurrenceOn: '2026-11-28' },
      { type: 'recurringIncome', op: 'recordNext', id: s.def.id, baseVersion: 1, nextOccurrenceOn: '2026-11-28', receivedOn: '2026-11-24' },
      // The rent's next after the skip, as the phone computed it offline: recorded today.
      { type: 'recurringExpense', op: 'recordNext', id: r.def.id, baseVersion: 2, nextOccurrenceOn: '2026-12-28', occurredOn: '2026-11-24' },
      // The salary's date the phone saw before its own recordNext: moved, a conflict.
      { type: 'recurringIncome', op: 'skip', id: s.def.id, baseVersion: 2, nextOccurrenceOn: '2026-11-28' },
    ];
    const res = await push(b, mutations, { key: 'defs-actions-1', since: token });
    expect(res.status, res.text).toBe(200);
    const [rentNow, salaryNow] = [await ok(req(suite.team.owner, 'GET', r.url)), await ok(req(suite.team.owner, 'GET', s.url))];
    const results = res.json.results;
    // The skip as POST .../skip makes it: the next date after, the skipped date in no list, version 2.
    expect(results[0]).toEqual({ status: 'applied', recurringExpense: expect.objectContaining({ nextOccurrenceOn: '2026-12-28', version: 2 }), version: 2 });
    // record-next's: the entry the job would record, dated the day sent, and the definition moved on.
    expect(results[1]).toEqual({
      status: 'applied',
      income: expect.objectContaining({ amount: 320000, receivedOn: '2026-11-24', source: 'Acme payroll', recurringIncomeId: s.def.id, createdBy: suite.team.owner.id }),
      recurringIncome: salaryNow,
      version: 2,
    });
    expect(salaryNow).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });
    expect(results[2]).toEqual({
      status: 'applied',
      expense: expect.objectContaining({ amount: 120000, occurredOn: '2026-11-24', recurringExpenseId: r.def.id, reviewed: true }),
      recurringExpense: rentNow,
      version: 3,
    });
    expect(rentNow).toMatchObject({ nextOccurrenceOn: '2027-01-28', version: 3 });
    expect(results[3]).toEqual({ status: 'conflict', current: { kind: 'recurringIncome', ...salaryNow } });

    // Synced as the routes' actions: the two entries and both definitions; the adopted token has nothing more.
    const page = await sync(b, token);
    expect(page.expenses).toEqual([{ kind: 'expense', ...results[2].expense }]);
    expect(page.income).toEqual([{ kind: 'income', ...results[1].income }]);
    replica.apply(page);
    await expectEqual(replica, b);
    expect(await sync(b, res.json.serverKnowledge)).toEqual({ serverKnowledge: res.json.serverKnowledge, hasMore: false, expenses: [] });

    // The key's replay answers the same; resent without it (the answer was lost), every action
    // meets the version it produced: conflicts showing the definitions, nothing skipped or recorded again.
    const replay = await push(b, mutations, { key: 'defs-actions-1', since: token });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(res.json);
    const resent = await push(b, mutations);
    expect(resent.json.results).toEqual([
      { status: 'conflict', current: { kind: 'recurringExpense', ...rentNow } },
      { status: 'conflict', current: { kind: 'recurringIncome', ...salaryNow } },
      { status: 'conflict', current: { kind: 'recurringExpense', ...rentNow } },
      { status: 'conflict', current: { kind: 'recurringIncome', ...salaryNow } },
    ]);
    expect(await sync(b, res.json.serverKnowledge)).toEqual({ serverKnowledge: res.json.serverKnowledge, hasMore: false, expenses: [] });

    // The job records the gym's 25th without a new version: a skip and a recordNext queued for the
    // 25th at that version are conflicts (the route's skip would skip the 25th of December).
    const gym = await define(b, 'recurring-expenses', { amount: 3000, merchant: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-11-25' } });
    clock.set('2026-11-25T12:00:00Z');
    expect(await runRecurringJob(suite.h.t)).toMatchObject({ recorded: 1, failed: 0 });
    const gymNow = await ok(req(suite.team.owner, 'GET', gym.url));
    expect(gymNow).toMatchObject({ nextOccurrenceOn: '2026-12-25', version: 1 });
    const queued = await push(b, [
      { type: 'recurringExpense', op: 'skip', id: gym.def.id, baseVersion: 1, nextOccurrenceOn: '2026-11-25' },
      { type: 'recurringExpense', op: 'recordNext', id: gym.def.id, baseVersion: 1, nextOccurrenceOn: '2026-11-25' },
    ]);
    expect(queued.json.results).toEqual([
      { status: 'conflict', current: { kind: 'recurringExpense', ...gymNow } },
      { status: 'conflict', current: { kind: 'recurringExpense', ...gymNow } },
    ]);
    expect(await ok(req(suite.team.owner, 'GET', gym.url))).toEqual(gymNow);
    expect((await ok(req(suite.team.owner, 'GET', `/v1/budgets/${b.id}/expenses?recurringExpenseId=${gym.def.id}`))).items).toHaveLength(1);

    // The body is checked first (400 naming the field, nothing done); a date the service refuses is one result.
    expectProblem(await push(b, [{ type: 'recurringExpense', op: 'skip', id: gym.def.id, baseVersion: 1 }]), 400, ['mutations.0.nextOccurrenceOn']);
    expectProblem(await push(b, [{ type: 'recurringIncome', op: 'recordNext', id: s.def.id, baseVersion: 2, nextOccurrenceOn: '2026-12-28', occurredOn: '2026-11-24' }]), 400);
    const future = await push(b, [{ type: 'recurringExpense', op: 'recordNext', id: gym.def.id, baseVersion: 1, nextOccurrenceOn: '2026-12-25', occurredOn: '2026-11-26' }]);
    expect(future.json.results).toEqual([expect.objectContaining({ status: 'error', problem: expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'occurredOn' })] }) })]);
    expect(await ok(req(suite.team.owner, 'GET', gym.url))).toEqual(gymNow);
  });

  it("a definition's DELETE is one transaction of 6 items, its deleted marker expiring 30 days on; the marker is in no list or sync", async () => {
    const b = await fresh();
    const defs = [await rent(b), await salary(b)];
    const { token } = await new Replica().syncFrom(b);
    for (const d of defs) {
      const run = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.owner, 'DELETE', d.url));
      expect(run.result.status, run.result.text).toBe(204);
      created.splice(created.indexOf(d.url), 1);
      // Delete, the count, the marker, the change stamp's 2, the guard (packages/expenses/docs/income.md "Recurring income", Cost).
      const items = writeItemsOf(run.sent) as any[];
      expect(items.map((i) => Object.keys(i)[0])).toEqual(['Delete', 'Update', 'Put', 'Update', 'Put', 'ConditionCheck']);
      expect(items[2].Put.Item).toEqual({
        pk: items[0].Delete.Key.pk,
        sk: expect.stringMatching(new RegExp(`^expenses#(recurring|recurincome)-deleted#${d.def.id}$`)),
        kind: 'recurring-deleted',
        // The table's TTL attribute: 30 days after the DELETE, in epoch seconds.
        expiresAt: Date.parse(BASE) / 1000 + 30 * 24 * 60 * 60,
      });
    }
    expect((await serverDefinitions(b, 'recurring-expenses')).size).toBe(0);
    expect((await serverDefinitions(b, 'recurring-income')).size).toBe(0);
    const page = await sync(b, token);
    expect(page.recurringExpenses).toEqual([{ kind: 'deleted', id: defs[0]!.def.id, deleted: true }]);
    expect(page.recurringIncome).toEqual([{ kind: 'deleted', id: defs[1]!.def.id, deleted: true }]);
    expect((await sync(b)).recurringExpenses ?? []).toEqual([]);

    // The window, on the service's clock: a create resent under the id 29 days after the DELETE is
    // refused; 31 days after, the marker has expired (whether or not the TTL removed it yet): created.
    const resend = { type: 'recurringExpense', op: 'create', id: defs[0]!.def.id, recurringExpense: { amount: 120000, description: 'Rent', schedule: { frequency: 'monthly' } } };
    clock.set('2026-12-23T12:00:00Z');
    const refused = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/changes`, { body: { mutations: [resend] } });
    expect(refused.json.results, refused.text).toEqual([{ status: 'conflict', current: { kind: 'deleted', id: defs[0]!.def.id, deleted: true } }]);
    clock.set('2026-12-25T12:00:00Z');
    const again = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/changes`, { body: { mutations: [resend] } });
    expect(again.json.results, again.text).toEqual([expect.objectContaining({ status: 'applied', recurringExpense: expect.objectContaining({ id: defs[0]!.def.id }) })]);
    created.push(`/v1/budgets/${b.id}/recurring-expenses/${defs[0]!.def.id}`);
  });
});
