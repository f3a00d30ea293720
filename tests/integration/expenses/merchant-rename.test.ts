import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { MerchantRenamesRepository } from '../../../packages/expenses/src/repository/merchant-renames.repository';
import type { Actor } from '../../support/actors';
import { eventsAbout } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { fanOutTeamSuite, itemsOfKind, type FanOutSystem } from '../jobs/support';

/**
 * POST /v1/budgets/{budgetId}/merchants/rename: a merchant renamed across a budget's expenses
 * by a job over the local work queue (separate deliveries, retries), pages of 3 expenses here
 * (so a dozen expenses are several units), each expense written as its own PATCH. Every
 * expectation is counted by hand from the expenses made here.
 */
const RENAME_JOB = 'expenses-merchant-rename';
const CLEANUP_JOB = 'expenses-budget-cleanup';
/** Jobs whose deliveries wait until released (the deleted budget's case). */
const held = new Map<string, Promise<void>>();

const suite = fanOutTeamSuite('rename-', {
  concurrency: 2,
  expenses: { merchantRename: { pageSize: 3 } },
  beforeDelivery: async (job) => held.get(job),
});
const { api } = suite;
let s: FanOutSystem;
let owner: Actor;
let editor: Actor;
let viewer: Actor;
let stranger: Actor;
beforeAll(() => ({ s, owner, editor, viewer, stranger } = suite.accounts));

const finishedOf = (renameId: string) => eventsAbout(s.t, 'expense.merchant_rename_finished', 'renameId', renameId);
const teamBudget = () => suite.teamBudget('Shopping');

async function add(budgetId: string, body: Record<string, unknown>) {
  const res = await api(owner)('POST', `/v1/budgets/${budgetId}/expenses`, { body: { occurredOn: '2026-11-10', ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; version: number; merchant?: string };
}

/** The merchants the noise of a bank statement gives, and others left alone. */
const MERCHANTS = [
  'AMZN MKTP US*2K4',
  'amzn  mktp us*2k4',
  'Amazon.com',
  'AMAZON.COM',
  'Amazón.com', // an accent
  'Amazon', // already the target: left as it is
  'Amazon Prime', // another merchant
  'Corner Market',
  undefined, // no merchant
  'Café Nero',
  'AMZN Mktp US*2K4',
];
const MATCHING = new Set([0, 1, 2, 3, 4, 10]);

async function seed(budgetId: string, category: string) {
  const made = [];
  for (const [n, merchant] of MERCHANTS.entries()) made.push(await add(budgetId, { amount: 100 + n, categoryId: category, ...(merchant ? { merchant } : {}) }));
  return made;
}

const body = { from: ['AMZN MKTP US*2K4', 'amazon.com'], to: 'Amazon' };

describe('merchant rename', { timeout: 60_000 }, () => {
  it('renames exactly the matching expenses, each as its PATCH; sync, suggestions and totals agree', async () => {
    const b = await teamBudget();
    const made = await seed(b.id, b.category);
    const before = (await api()('GET', `/v1/budgets/${b.id}/changes`)).json.serverKnowledge as string;
    const spent = (await api()('GET', `/v1/budgets/${b.id}/summary?date=2026-11-10`)).json.spent as number;
    const deliveriesBefore = s.deliveries.filter((d) => d.job === RENAME_JOB).length;

    const res = await api()('POST', `/v1/budgets/${b.id}/merchants/rename`, { body, headers: { prefer: 'wait=20' } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('wait=20');
    expect(res.headers.get('location')).toBe(`/v1/budgets/${b.id}/merchant-renames/${res.json.id}`);
    expect(res.json).toMatchObject({ status: 'succeeded', from: body.from, to: 'Amazon', examined: MERCHANTS.length, renamed: MATCHING.size });
    expect(res.json.finishedAt).toEqual(expect.any(String));
    // 11 expenses in pages of 3: four units, each a delivery of its own, each recorded done with the next page's cursor.
    const units = (await itemsOfKind(s.t, 'merchant-rename-unit')).filter((u) => String(u.sk).includes(res.json.id)).sort((a, b) => (a.sk < b.sk ? -1 : 1));
    expect(units.map((u) => [u.done, u.next === null, u.planned])).toEqual([
      [true, false, undefined],
      [true, false, undefined],
      [true, false, undefined],
      [true, true, undefined],
    ]);
    expect(s.deliveries.filter((d) => d.job === RENAME_JOB).length - deliveriesBefore).toBeGreaterThanOrEqual(3);

    for (const [n, expense] of made.entries()) {
      const got = (await api(viewer)('GET', `/v1/budgets/${b.id}/expenses/${expense.id}`)).json;
      if (MATCHING.has(n)) expect(got, `expense ${n}`).toMatchObject({ merchant: 'Amazon', version: 2, amount: 100 + n, categoryId: b.category });
      else expect(got, `expense ${n}`).toEqual(expense);
    }
    // Delta sync reports exactly the renamed ones.
    const changes = (await api()('GET', `/v1/budgets/${b.id}/changes?since=${encodeURIComponent(before)}`)).json;
    expect(new Set(changes.expenses.map((e: { id: string }) => e.id))).toEqual(new Set(made.filter((_, n) => MATCHING.has(n)).map((e) => e.id)));
    // Each an expense.updated of the editor who asked, as their PATCH would be (the activity log reads the change log).
    const activity = (await api()('GET', `/v1/budgets/${b.id}/activity?limit=100`)).json.items as { action: string; actor: { id: string } }[];
    const updates = activity.filter((e) => e.action === 'expense.updated');
    expect(updates.length).toBe(MATCHING.size);
    expect(updates.every((e) => e.actor.id === editor.id)).toBe(true);
    // One payee in the suggestions; the totals unchanged.
    const suggestions = (await api(viewer)('GET', `/v1/budgets/${b.id}/merchants`)).json.items.map((i: { merchant: string; count: number }) => [i.merchant, i.count]);
    expect(suggestions).toEqual([
      ['Amazon', 7],
      // Ties (one use each, the same day) in the order of their keys.
      ['Amazon Prime', 1],
      ['Café Nero', 1],
      ['Corner Market', 1],
    ]);
    expect((await api()('GET', `/v1/budgets/${b.id}/summary?date=2026-11-10`)).json.spent).toBe(spent);

    // GET shows it to any member; a second rename finds nothing left to do.
    const got = await api(viewer)('GET', res.headers.get('location')!);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
    const again = await api()('POST', `/v1/budgets/${b.id}/merchants/rename`, { body, headers: { prefer: 'wait=20' } });
    expect(again.json).toMatchObject({ status: 'succeeded', examined: MERCHANTS.length, renamed: 0 });
  });

  it('without Prefer answers 202 queued; a worker crashing after its commits is delivered again and counts each unit once', async () => {
    const b = await teamBudget();
    const made = await seed(b.id, b.category);
    s.crash.count = 0;
    s.crash.crashed = 0;
    s.crash.everyNth = 3;
    s.crash.limit = 4;
    let final;
    try {
      const res = await api()('POST', `/v1/budgets/${b.id}/merchants/rename`, { body, headers: { 'idempotency-key': 'rename-crash-1' } });
      expect(res.status, res.text).toBe(202);
      expect(res.json).toMatchObject({ status: 'queued', examined: 0, renamed: 0 });
      expect(res.json.updatedAt).toBe(res.json.createdAt);
      // The same request retried with its key replays the answer and starts nothing.
      const replay = await api()('POST', `/v1/budgets/${b.id}/merchants/rename`, { body, headers: { 'idempotency-key': 'rename-crash-1' } });
      expect(replay.status).toBe(202);
      expect(replay.json.id).toBe(res.json.id);
      await s.queue.idle();
      expect(s.crash.crashed).toBeGreaterThan(0);
      final = (await api()('GET', res.headers.get('location')!)).json;
    } finally {
      s.crash.everyNth = 0;
      s.crash.limit = Number.POSITIVE_INFINITY;
    }
    expect(final).toMatchObject({ status: 'succeeded', examined: MERCHANTS.length, renamed: MATCHING.size });
    for (const [n, expense] of made.entries()) {
      const got = (await api()('GET', `/v1/budgets/${b.id}/expenses/${expense.id}`)).json;
      expect(got.version, `expense ${n}`).toBe(MATCHING.has(n) ? 2 : 1);
    }

    // A unit delivered again after the rename finished counts nothing more.
    await s.t.system.deps.work.enqueue(RENAME_JOB, [{ budgetId: b.id, renameId: final.id, n: 0 }], new Date());
    await s.queue.idle();
    expect((await api()('GET', `/v1/budgets/${b.id}/merchant-renames/${final.id}`)).json).toEqual(final);
    // Exactly one expense.merchant_rename_finished, with the final counts, though units were
    // delivered again after their commits (the last one's included) and after the end.
    expect((await finishedOf(final.id)).map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, renameId: final.id, startedBy: editor.id, from: body.from, to: body.to, status: 'succeeded', examined: MERCHANTS.length, renamed: MATCHING.size },
    ]);
  });

  it('a budget deleted meanwhile: the rename fails, saying why', async () => {
    const b = await teamBudget();
    await add(b.id, { amount: 100, merchant: 'Amazon.com' });
    // The rename's first unit waits until the budget is deleted; the deletion's cleanup (which
    // removes the rename's record with the budget's items) until the rename has been worked.
    let releaseRename!: () => void;
    let releaseCleanup!: () => void;
    held.set(RENAME_JOB, new Promise<void>((resolve) => (releaseRename = resolve)));
    held.set(CLEANUP_JOB, new Promise<void>((resolve) => (releaseCleanup = resolve)));
    const renames = new MerchantRenamesRepository(s.t.system.deps.storeFor('expenses'));
    try {
      const res = await api(owner)('POST', `/v1/budgets/${b.id}/merchants/rename`, { body });
      expect(res.status, res.text).toBe(202);
      expect((await api(owner)('DELETE', `/v1/budgets/${b.id}`)).status).toBe(204);
      releaseRename();
      let record = await renames.get(b.id, res.json.id);
      for (let i = 0; i < 100 && record?.status === 'queued'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        record = await renames.get(b.id, res.json.id);
      }
      // The record GET would show (the budget is gone, so GET answers 404): the code beside the reason.
      expect(record).toMatchObject({ status: 'failed', failure: 'the budget was deleted while renaming', failureCode: 'budget-deleted', renamed: 0, examined: 0 });
      expect(record!.finishedAt).toEqual(expect.any(String));
      expect((await finishedOf(res.json.id)).map((e) => e.envelope.data)).toEqual([
        { budgetId: b.id, renameId: res.json.id, startedBy: owner.id, from: body.from, to: body.to, status: 'failed', examined: 0, renamed: 0, failure: 'the budget was deleted while renaming', failureCode: 'budget-deleted' },
      ]);
    } finally {
      held.clear();
      releaseRename();
      releaseCleanup();
      await s.queue.idle();
    }
  });

  it('an expense its PATCH refuses for what it holds (a damaged item) is left as it is; the rename goes on and succeeds', async () => {
    const b = await teamBudget();
    // Pages of 3: the damaged expense is on the first page, with one to rename before and after it.
    const first = await add(b.id, { amount: 100, merchant: 'Amazon.com' });
    const damaged = await add(b.id, { amount: 900, merchant: 'Amazon.com', splits: [{ categoryId: b.category, amount: 600 }, { categoryId: null, amount: 300 }] });
    const rest = [await add(b.id, { amount: 101, merchant: 'AMAZON.COM' }), await add(b.id, { amount: 102, merchant: 'AMZN MKTP US*2K4' }), await add(b.id, { amount: 103, merchant: 'amazon.com' })];
    // No request makes such an expense (every write checks a split's parts add up to its amount):
    // its stored amount is set by hand, as a legacy or damaged item would hold it. Its PATCH is a 400 naming `splits`.
    await s.t.doc.send(new UpdateCommand({ TableName: s.t.tableName, Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#expense#${damaged.id}` }, UpdateExpression: 'SET amount = :a', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':a': 1_000 } }));
    const before = (await api()('GET', `/v1/budgets/${b.id}/expenses/${damaged.id}`)).json;
    expect(before).toMatchObject({ amount: 1_000, merchant: 'Amazon.com', version: 1 });

    const res = await api()('POST', `/v1/budgets/${b.id}/merchants/rename`, { body, headers: { prefer: 'wait=20' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', examined: 5, renamed: 4 });
    for (const e of [first, ...rest]) expect((await api()('GET', `/v1/budgets/${b.id}/expenses/${e.id}`)).json).toMatchObject({ merchant: 'Amazon', version: 2 });
    expect((await api()('GET', `/v1/budgets/${b.id}/expenses/${damaged.id}`)).json).toEqual(before);
  });

  it('owners and editors only; a bad body is a 400 naming the field', async () => {
    const b = await teamBudget();
    const path = `/v1/budgets/${b.id}/merchants/rename`;
    expectProblem(await api(viewer)('POST', path, { body }), 403);
    expectProblem(await api(stranger)('POST', path, { body }), 404);
    expectProblem(await api(stranger)('GET', `/v1/budgets/${b.id}/merchant-renames/01JDRENAME00000000000000001`), 404);
    expectProblem(await api()('GET', `/v1/budgets/${b.id}/merchant-renames/01JDRENAME00000000000000001`), 404);
    expectProblem(await api()('POST', path, { body: { from: [], to: 'Amazon' } }), 400, ['from']);
    expectProblem(await api()('POST', path, { body: { from: Array.from({ length: 21 }, (_, n) => `m${n}`), to: 'Amazon' } }), 400, ['from']);
    expectProblem(await api()('POST', path, { body: { from: ['ok', '  '], to: 'Amazon' } }), 400, ['from.1']);
    expectProblem(await api()('POST', path, { body: { from: ['ok'], to: '' } }), 400, ['to']);
    expectProblem(await api()('POST', path, { body: { from: ['ok'], to: 'x'.repeat(201) } }), 400, ['to']);
    expectProblem(await api()('POST', path, { body: { from: ['ok'] } }), 400, ['to']);
    expectProblem(await api()('POST', path, { body: { ...body, extra: 1 } }), 400);
    const owned = await api(owner)('POST', path, { body, headers: { prefer: 'wait=5' } });
    expect(owned.status, owned.text).toBe(200);
  });
});
