import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents, tableItems, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, readCostDuring, writeItemsOf } from '../../support/sent-commands';
import { expectArchived, holdingWrites } from '../../support/archive-race';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Income entries and the cash flow (packages/expenses/docs/income.md "Income and cash flow") on DynamoDB Local
 * through the whole system: CRUD with ETag, If-Match and Idempotency-Key as the other budget
 * resources; owners and editors write, viewers read, strangers get 404; bad fields named; an
 * archived budget refuses writes; each write moves its month's income total in its own
 * transaction, exact under concurrent creates, changes and deletes; the cash flow's hand-worked
 * figures (a refund lowering spending, a negative savings rate, a null one); the budget's
 * deletion removes entries and totals.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ currency: 'USD' });
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/income`;
const post = (b: Budget, body: unknown, who: User = team.owner, headers: Record<string, string> = {}) => h.call('POST', path(b), { token: who.token, body, headers });
const fresh = () => h.createBudget(team.owner, { currency: 'USD' });
const created = async (b: Budget, body: Record<string, unknown>, who: User = team.owner) => {
  const res = await post(b, body, who);
  expect(res.status, res.text).toBe(201);
  return res.json;
};
const cashFlow = (b: Budget, query: string, who: User = team.owner) => h.call('GET', `/v1/budgets/${b.id}/cash-flow${query}`, { token: who.token });
const incomeOfMonth = async (b: Budget, month: string) => {
  const res = await cashFlow(b, `?from=${month}&to=${month}`);
  expect(res.status, res.text).toBe(200);
  return res.json.months[0].income as number;
};
/** Every item of the budget's this feature writes: its income entries and its months' income totals. */
const incomeItems = async (budgetId: string) =>
  (await tableItems(h.t.doc, h.t.tableName)).filter(
    (i) =>
      (i.pk === `expenses#budget#${budgetId}` && String(i.sk).startsWith('expenses#income#')) ||
      (i.pk === `expenses#totals#${budgetId}` && String(i.sk).endsWith('#income')),
  );
async function listAll(b: Budget, query = ''): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.call('GET', `${path(b)}?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    all.push(...res.json.items);
    cursor = res.json.nextCursor;
  } while (cursor);
  return all;
}

describe('income: the resource', { timeout: 120_000 }, () => {
  it('creates, gets, patches (ETag, If-Match) and deletes; text trimmed, empty text none', async () => {
    const b = team.budget;
    const res = await post(b, { amount: 320000, receivedOn: '2026-11-28', source: '  Acme payroll ', description: 'November salary', currency: 'USD' });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      budgetId: b.id,
      amount: 320000,
      receivedOn: '2026-11-28',
      source: 'Acme payroll',
      description: 'November salary',
      createdBy: team.owner.id,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await h.expectCreated(res, path(b), team.viewer);
    const bare = await created(b, { amount: 1, receivedOn: '2026-11-01', source: '   ', description: '' }, team.editor);
    expect(bare).not.toHaveProperty('source');
    expect(bare).not.toHaveProperty('description');
    expect(bare.createdBy).toBe(team.editor.id);

    const url = `${path(b)}/${res.json.id}`;
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { amount: 5 }, headers: { 'if-match': '"2"' } }), 412);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: {} }), 400, ['body']);
    const patched = await h.call('PATCH', url, { token: team.editor.token, body: { amount: 335000, source: null }, headers: { 'if-match': '"1"' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(patched.json).toMatchObject({ amount: 335000, receivedOn: '2026-11-28', description: 'November salary', version: 2 });
    expect(patched.json).not.toHaveProperty('source');
    // 335000 + 1: the PATCH moved the month's total by the difference.
    expect(await incomeOfMonth(b, '2026-11')).toBe(335001);

    expectProblem(await h.call('DELETE', url, { token: team.owner.token, headers: { 'if-match': '"1"' } }), 412);
    expect((await h.call('DELETE', url, { token: team.owner.token, headers: { 'if-match': '"2"' } })).status).toBe(204);
    expectProblem(await h.call('GET', url, { token: team.owner.token }), 404);
    expect(await incomeOfMonth(b, '2026-11')).toBe(1);
  });

  it('defaults receivedOn to today in the budget time zone', async () => {
    // The test system's clock stands at 2026-11-24T12:00Z: already the 25th at UTC+14.
    const b = await h.createBudget(team.owner, { timezone: 'Pacific/Kiritimati' });
    expect((await created(b, { amount: 100 })).receivedOn).toBe('2026-11-25');
    expect((await created(team.budget, { amount: 100 })).receivedOn).toBe('2026-11-24');
  });

  it('replays a create with the same Idempotency-Key; another body with it is a 422', async () => {
    const b = await fresh();
    const key = { 'idempotency-key': 'income-create-1' };
    const first = await post(b, { amount: 1000, receivedOn: '2026-11-05' }, team.owner, key);
    expect(first.status, first.text).toBe(201);
    const retry = await post(b, { amount: 1000, receivedOn: '2026-11-05' }, team.owner, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expectProblem(await post(b, { amount: 2000, receivedOn: '2026-11-05' }, team.owner, key), 422);
    expect(await listAll(b)).toHaveLength(1);
    // Counted once.
    expect(await incomeOfMonth(b, '2026-11')).toBe(1000);
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    const b = team.budget;
    expectProblem(await post(b, { receivedOn: '2026-11-01' }), 400, ['amount']);
    expectProblem(await post(b, { amount: 0 }), 400, ['amount']);
    expectProblem(await post(b, { amount: -5 }), 400, ['amount']);
    expectProblem(await post(b, { amount: 12.5 }), 400, ['amount']);
    expectProblem(await post(b, { amount: '100' }), 400, ['amount']);
    expectProblem(await post(b, { amount: 1_000_000_000_001 }), 400, ['amount']);
    expectProblem(await post(b, { amount: 100, receivedOn: '2026-02-30' }), 400, ['receivedOn']);
    expectProblem(await post(b, { amount: 100, source: 'x'.repeat(201) }), 400, ['source']);
    expectProblem(await post(b, { amount: 100, description: 'x'.repeat(501) }), 400, ['description']);
    expectProblem(await post(b, { amount: 100, currency: 'EUR' }), 400, ['currency']);
    expectProblem(await post(b, { amount: 100, merchant: 'Acme' }), 400, ['merchant']);
    const one = await created(b, { amount: 100, receivedOn: '2026-03-01' });
    const url = `${path(b)}/${one.id}`;
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { amount: 0 } }), 400, ['amount']);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { currency: 'GBP' } }), 400, ['currency']);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { occurredOn: '2026-03-02' } }), 400, ['occurredOn']);
    // Nothing of the refused writes was counted.
    expect(await incomeOfMonth(b, '2026-03')).toBe(100);
  });

  it('owners and editors write, viewers read (403 on writes), strangers get 404', async () => {
    const b = team.budget;
    const one = await created(b, { amount: 700, receivedOn: '2026-04-10' }, team.editor);
    const url = `${path(b)}/${one.id}`;
    expect((await h.call('GET', url, { token: team.viewer.token })).status).toBe(200);
    expect((await h.call('GET', path(b), { token: team.viewer.token })).status).toBe(200);
    expect((await cashFlow(b, '', team.viewer)).status).toBe(200);
    expectProblem(await post(b, { amount: 5 }, team.viewer), 403);
    expectProblem(await h.call('PATCH', url, { token: team.viewer.token, body: { amount: 5 } }), 403);
    expectProblem(await h.call('DELETE', url, { token: team.viewer.token }), 403);
    expectProblem(await post(b, { amount: 5 }, team.stranger), 404);
    expectProblem(await h.call('GET', url, { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', path(b), { token: team.stranger.token }), 404);
    expectProblem(await h.call('PATCH', url, { token: team.stranger.token, body: { amount: 5 } }), 404);
    expectProblem(await h.call('DELETE', url, { token: team.stranger.token }), 404);
    expectProblem(await cashFlow(b, '', team.stranger), 404);
    expect(await incomeOfMonth(b, '2026-04')).toBe(700);
  });

  it('an archived budget refuses income writes (409 budget-archived) and still answers reads', async () => {
    const b = await fresh();
    const one = await created(b, { amount: 900, receivedOn: '2026-05-02' });
    expect((await h.call('POST', `/v1/budgets/${b.id}/archive`, { token: team.owner.token })).status).toBe(200);
    const refused = await post(b, { amount: 5 });
    expectProblem(refused, 409);
    expect(refused.json.type).toMatch(/budget-archived$/);
    expectProblem(await h.call('PATCH', `${path(b)}/${one.id}`, { token: team.owner.token, body: { amount: 5 } }), 409);
    expectProblem(await h.call('DELETE', `${path(b)}/${one.id}`, { token: team.owner.token }), 409);
    expect((await h.call('GET', `${path(b)}/${one.id}`, { token: team.owner.token })).json.amount).toBe(900);
    expect(await incomeOfMonth(b, '2026-05')).toBe(900);
  });

  it('a create held past its access check while the budget is archived writes nothing (the guard in its transaction): 409 budget-archived', async () => {
    const b = await fresh();
    const archive = async () => expect((await h.call('POST', `/v1/budgets/${b.id}/archive`, { token: team.owner.token })).status).toBe(200);
    // The source names the create's transaction only (not the archive's): that one is held until the archive committed.
    const { result } = await holdingWrites(h.t, 'Held payroll', archive, () => post(b, { amount: 4200, receivedOn: '2026-05-03', source: 'Held payroll' }));
    expectArchived(result);
    expect(await incomeItems(b.id)).toEqual([]);
    expect(await incomeOfMonth(b, '2026-05')).toBe(0);
    // Its event was an item of the same transaction: not written either.
    expect((await outboxEvents(h.t)).filter((e) => e.detailType.startsWith('income.') && e.envelope.data.budgetId === b.id)).toEqual([]);
  });

  it('lists newest receivedOn first within from..to, paged by a cursor bound to the budget and range', async () => {
    const b = await fresh();
    const days = ['2026-01-15', '2026-03-01', '2026-02-10', '2026-03-01', '2026-04-30'];
    const made = [];
    for (const [i, receivedOn] of days.entries()) made.push(await created(b, { amount: 100 + i, receivedOn }));
    // Same day: the later id (created later) first.
    expect((await listAll(b)).map((i) => i.amount)).toEqual([104, 103, 101, 102, 100]);
    expect((await listAll(b, '&from=2026-02-10&to=2026-03-01')).map((i) => i.amount)).toEqual([103, 101, 102]);
    const first = await h.call('GET', `${path(b)}?limit=2`, { token: team.owner.token });
    expect(first.json.items.map((i: any) => i.id)).toEqual([made[4].id, made[3].id]);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await h.call('GET', `${path(b)}?limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: team.owner.token });
    expect(second.json.items.map((i: any) => i.id)).toEqual([made[1].id, made[2].id]);
    const third = await h.call('GET', `${path(b)}?limit=2&cursor=${encodeURIComponent(second.json.nextCursor)}`, { token: team.owner.token });
    expect(third.json).toEqual({ items: [made[0]], nextCursor: null });
    // The cursor of this budget against another budget, or another range: 400.
    expectProblem(await h.call('GET', `${path(team.budget)}?limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: team.owner.token }), 400, ['query.cursor']);
    expectProblem(await h.call('GET', `${path(b)}?limit=2&from=2026-01-01&cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: team.owner.token }), 400, ['query.cursor']);
    expectProblem(await h.call('GET', `${path(b)}?from=2026-03-02&to=2026-03-01`, { token: team.owner.token }), 400, ['query.from']);
    expectProblem(await h.call('GET', `${path(b)}?from=2026-3-1`, { token: team.owner.token }), 400, ['query.from']);
    // The expense list never shows income.
    expect(await h.listExpenses(b, team.owner.token)).toEqual([]);
  });
});

describe('income: month totals under concurrency', { timeout: 180_000 }, () => {
  it('concurrent creates, then concurrent moves and deletes, leave each month total equal to its entries', async () => {
    const b = await fresh();
    await h.addMember(b, team.owner, team.editor, 'editor');
    const writers = [team.owner, team.editor];
    // 24 creates at once over two months: amounts 1000..1023, every other in October.
    const bodies = Array.from({ length: 24 }, (_, i) => ({ amount: 1000 + i, receivedOn: i % 2 === 0 ? '2026-10-07' : '2026-11-07' }));
    const results = await Promise.all(bodies.map((body, i) => post(b, body, writers[i % 2]!)));
    for (const res of results) expect(res.status, res.text).toBe(201);
    // By hand: October gets 1000, 1002, ..., 1022 (12 amounts) = 12 x 1011 = 12132;
    // November 1001, ..., 1023 = 12 x 1012 = 12144.
    expect(await incomeOfMonth(b, '2026-10')).toBe(12132);
    expect(await incomeOfMonth(b, '2026-11')).toBe(12144);

    // At once: the first 6 October entries moved to November with amount + 1, the next 3 deleted,
    // and each of the 6 also PATCHed by a second writer (description only: moves no total).
    const october = results.map((r) => r.json).filter((i) => i.receivedOn === '2026-10-07');
    const moved = october.slice(0, 6);
    const deleted = october.slice(6, 9);
    const writes = [
      ...moved.map((i) => h.call('PATCH', `${path(b)}/${i.id}`, { token: team.owner.token, body: { receivedOn: '2026-11-20', amount: i.amount + 1 } })),
      ...moved.map((i) => h.call('PATCH', `${path(b)}/${i.id}`, { token: team.editor.token, body: { description: 'seen' } })),
      ...deleted.map((i) => h.call('DELETE', `${path(b)}/${i.id}`, { token: team.editor.token })),
    ];
    for (const res of await Promise.all(writes)) expect([200, 204], res.text).toContain(res.status);
    // Moved: 1000, 1002, ..., 1010 (sum 6030) leave October, arrive as 6036 in November;
    // deleted: 1012 + 1014 + 1016 = 3042. October: 12132 - 6030 - 3042 = 3060 (1018 + 1020 + 1022);
    // November: 12144 + 6036 = 18180.
    expect(await incomeOfMonth(b, '2026-10')).toBe(3060);
    expect(await incomeOfMonth(b, '2026-11')).toBe(18180);
    // The totals agree with the entries that exist.
    const left = await listAll(b);
    expect(left).toHaveLength(21);
    const sumOf = (month: string) => left.filter((i) => i.receivedOn.startsWith(month)).reduce((s, i) => s + i.amount, 0);
    expect(sumOf('2026-10')).toBe(3060);
    expect(sumOf('2026-11')).toBe(18180);
    for (const i of moved) expect(left.find((l) => l.id === i.id)).toMatchObject({ description: 'seen', version: 3 });
  });
});

describe("income: the totals' limit (2^53 - 1)", { timeout: 120_000 }, () => {
  it('refuses a write that would take a month total past it (409 naming amount, nothing written); lowering it stays allowed', async () => {
    const b = await fresh();
    const kept = await created(b, { amount: 10, receivedOn: '2026-07-01' });
    // The month's total set by hand 5 short of the limit (9007199254740991), as thousands of
    // the largest entries would leave it.
    await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { pk: `expenses#totals#${b.id}`, sk: 'expenses#month#2026-07#income', income: 9007199254740986 } }));
    const refused = await post(b, { amount: 6, receivedOn: '2026-07-20' });
    expectProblem(refused, 409, ['amount']);
    expectProblem(await h.call('PATCH', `${path(b)}/${kept.id}`, { token: team.owner.token, body: { amount: 16 } }), 409, ['amount']);
    expect(await listAll(b)).toHaveLength(1);
    expect((await post(b, { amount: 5, receivedOn: '2026-07-20' })).status).toBe(201);
    expect(await incomeOfMonth(b, '2026-07')).toBe(9007199254740991);
    // Taking income out is never refused.
    expect((await h.call('DELETE', `${path(b)}/${kept.id}`, { token: team.owner.token })).status).toBe(204);
    expect(await incomeOfMonth(b, '2026-07')).toBe(9007199254740981);
  });
});

describe('cash flow', { timeout: 120_000 }, () => {
  it('answers hand-worked months: a refund lowering spending, a negative savings rate, months without income (null rate)', async () => {
    const b = await fresh();
    await h.addMember(b, team.owner, team.viewer, 'viewer');
    const expense = async (body: Record<string, unknown>) => {
      const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: team.owner.token, body });
      expect(res.status, res.text).toBe(201);
    };
    await expense({ amount: 12000, occurredOn: '2026-08-15' });
    await expense({ amount: 150000, occurredOn: '2026-09-03' });
    await expense({ amount: 5000, occurredOn: '2026-09-20', refund: true });
    await expense({ amount: 250000, occurredOn: '2026-10-05', categoryId: b.categories[0]!.id });
    await expense({ amount: 100001, occurredOn: '2026-11-11' });
    await created(b, { amount: 300000, receivedOn: '2026-09-01', source: 'Acme payroll' });
    await created(b, { amount: 200000, receivedOn: '2026-09-30' });
    await created(b, { amount: 100000, receivedOn: '2026-10-25' });
    await created(b, { amount: 300000, receivedOn: '2026-11-28' });
    // One moved to December, then deleted: it ends up nowhere.
    const passing = await created(b, { amount: 70000, receivedOn: '2026-10-20' });
    const moved = await h.call('PATCH', `${path(b)}/${passing.id}`, { token: team.owner.token, body: { receivedOn: '2026-12-01' } });
    expect(moved.status, moved.text).toBe(200);
    expect(await incomeOfMonth(b, '2026-12')).toBe(70000);
    expect(await incomeOfMonth(b, '2026-10')).toBe(100000);
    expect((await h.call('DELETE', `${path(b)}/${passing.id}`, { token: team.owner.token })).status).toBe(204);

    const res = await cashFlow(b, '?from=2026-08&to=2026-12', team.viewer);
    expect(res.status, res.text).toBe(200);
    // By hand:
    // Aug: no income, spent 12000: net -12000, rate null.
    // Sep: income 500000, spent 150000 - 5000 (the refund) = 145000: net 355000, 355000 / 500000 = 71.00 % = 7100 bp.
    // Oct: income 100000, spent 250000: net -150000, -150 % = -15000 bp.
    // Nov: income 300000, spent 100001: net 199999, 6666.63 bp -> 6667.
    // Dec: nothing (the moved entry was deleted): zeros, rate null.
    // Total: income 900000, spent 507001, net 392999, 4366.66 bp -> 4367.
    expect(res.json).toEqual({
      currency: 'USD',
      months: [
        { month: '2026-08', income: 0, spent: 12000, net: -12000, savingsRate: null },
        { month: '2026-09', income: 500000, spent: 145000, net: 355000, savingsRate: 7100 },
        { month: '2026-10', income: 100000, spent: 250000, net: -150000, savingsRate: -15000 },
        { month: '2026-11', income: 300000, spent: 100001, net: 199999, savingsRate: 6667 },
        { month: '2026-12', income: 0, spent: 0, net: 0, savingsRate: null },
      ],
      total: { income: 900000, spent: 507001, net: 392999, savingsRate: 4367 },
    });
    // The month's spending is the summary's.
    expect(await h.spent(b, team.owner.token, '2026-09-10')).toBe(145000);
  });

  it('defaults to the 6 months up to the current one; at most 24 months; from after to or a bad month is a 400 naming it', async () => {
    const b = await fresh();
    // The test system's clock stands at 2026-11-24T12:00Z: November is the current month.
    const byDefault = await cashFlow(b, '');
    expect(byDefault.status, byDefault.text).toBe(200);
    expect(byDefault.json.months.map((m: any) => m.month)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    // On Nov 30 at 12:00Z a budget at UTC+14 is already in December: its range moves with it.
    // (A user signed up at that time: the team's access tokens would have expired by then.)
    const clock = h.t.clock as ReturnType<typeof fixedClock>;
    clock.set('2026-11-30T12:00:00Z');
    try {
      const late = await h.signup('late');
      const east = await h.createBudget(late, { timezone: 'Pacific/Kiritimati' });
      const west = await h.createBudget(late, { timezone: 'UTC' });
      expect((await cashFlow(east, '', late)).json.months.map((m: any) => m.month)).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
      expect((await cashFlow(west, '', late)).json.months.at(-1).month).toBe('2026-11');
    } finally {
      clock.set('2026-11-24T12:00:00Z');
    }
    expect(byDefault.json.total).toEqual({ income: 0, spent: 0, net: 0, savingsRate: null });
    expect((await cashFlow(b, '?to=2026-03')).json.months.map((m: any) => m.month)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    const longest = await cashFlow(b, '?from=2024-12&to=2026-11');
    expect(longest.status, longest.text).toBe(200);
    expect(longest.json.months).toHaveLength(24);
    expectProblem(await cashFlow(b, '?from=2024-11&to=2026-11'), 400, ['query.from']);
    expectProblem(await cashFlow(b, '?from=2026-11&to=2026-10'), 400, ['query.from']);
    expectProblem(await cashFlow(b, '?from=2026-13'), 400, ['query.from']);
    expectProblem(await cashFlow(b, '?to=2026-1'), 400, ['query.to']);
    // The months the API accepts are the dates' (1900-01..9998-12): year 0000 is no month.
    expectProblem(await cashFlow(b, '?from=0000-01&to=0000-06'), 400, ['query.from', 'query.to']);
    expectProblem(await cashFlow(b, '?from=1899-12&to=1900-01'), 400, ['query.from']);
    expectProblem(await cashFlow(b, '?from=9998-12&to=9999-01'), 400, ['query.to']);
    const edges = await cashFlow(b, '?from=1900-01&to=1900-02');
    expect(edges.status, edges.text).toBe(200);
    expectProblem(await cashFlow(b, '?month=2026-10'), 400, ['query.month']);
  });
});

describe("the budget's deletion", { timeout: 120_000 }, () => {
  it('removes its income entries and month totals with the rest of its expense data (budget.deleted cleanup)', async () => {
    const doomed = await fresh();
    await created(doomed, { amount: 5000, receivedOn: '2026-10-01' });
    await created(doomed, { amount: 6000, receivedOn: '2026-11-01' });
    const kept = await fresh();
    await created(kept, { amount: 7000, receivedOn: '2026-11-01' });
    expect(await incomeItems(doomed.id)).toHaveLength(4); // two entries, two month totals
    expect((await h.call('DELETE', `/v1/budgets/${doomed.id}`, { token: team.owner.token })).status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: doomed.id }));
    expect(await incomeItems(doomed.id)).toEqual([]);
    expect(await incomeItems(kept.id)).toHaveLength(2);
  });
});

/**
 * What a write and the cash flow cost (packages/expenses/docs/income.md "Income and cash flow"): the requests each sends
 * and the items of a write's one transaction; the cash flow's read units.
 */
describe('income: what it costs', { timeout: 120_000 }, () => {
  it('a create, a PATCH across months and a delete: the access read (with the entry) and ONE transaction each (entry, month total, event, change stamp, writer guard)', async () => {
    // Warm the write path on another budget: this one's change counters stay unknown to the process.
    await created(await fresh(), { amount: 1, receivedOn: '2026-11-01' });
    const b = await fresh();
    const create = await commandsSentDuring(h.t.doc, () => post(b, { amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll', description: 'November salary' }));
    expect(create.result.status).toBe(201);
    // The change counter of the entry's shard is read first (strongly consistent GetItem): this
    // process never wrote it (a fresh budget), as an expense create's (delta sync, README).
    expect(create.commands).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    const createItems = writeItemsOf(create.sent) as Record<string, any>[];
    expect(createItems.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Put', 'Update', 'Put', 'ConditionCheck']);
    // The third item is the event's outbox item (income-events.test.ts checks what it carries).
    expect(createItems[2]!.Put.Item).toMatchObject({ kind: 'outbox', detailType: 'income.recorded' });
    // Then the stamp: the counter's first increment (absent before) and the change entry naming the income id, with no event of its own.
    expect(createItems[3]!.Update.ConditionExpression).toBe('attribute_not_exists(#seq) AND attribute_not_exists(#archivedAt)');
    expect(createItems[3]!.Update.ExpressionAttributeValues).toMatchObject({ ':next': 1, ':recent0': `1|i|${create.result.json.id}` });
    expect(createItems[4]!.Put.Item).toEqual({ pk: expect.any(String), sk: expect.stringMatching(/#change#\d\d#000000000001$/), kind: 'expense-change', seq: 1, incomeId: create.result.json.id, expiresAt: expect.any(Number) });
    const url = `${path(b)}/${create.result.json.id}`;
    const move = await commandsSentDuring(h.t.doc, () => h.call('PATCH', url, { token: team.owner.token, body: { receivedOn: '2026-12-01' } }));
    // The entry's read travels in the access check's BatchGetItem; the counter's value is the one this process committed (no read).
    expect(move.commands).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect((writeItemsOf(move.sent) as Record<string, any>[]).map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Update', 'Put', 'Update', 'Put', 'ConditionCheck']);
    // A change of the text alone moves no total: the entry, the event, the stamp and the guard.
    const text = await commandsSentDuring(h.t.doc, () => h.call('PATCH', url, { token: team.owner.token, body: { description: 'typo fixed' } }));
    expect(text.commands).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect((writeItemsOf(text.sent) as Record<string, any>[]).map((i) => Object.keys(i)[0])).toEqual(['Put', 'Put', 'Update', 'Put', 'ConditionCheck']);
    const remove = await commandsSentDuring(h.t.doc, () => h.call('DELETE', url, { token: team.owner.token }));
    expect(remove.commands).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    const removeItems = writeItemsOf(remove.sent) as Record<string, any>[];
    // An entry of the last 24 h: its item becomes a tombstone (the same one item: a Put instead of
    // the Delete), which a resend of its create finds (income-sync.test.ts), expiring 24 h after its creation.
    // Then the restorable copy (30 days, income-restore.test.ts), the event, the stamp and the guard.
    expect(removeItems.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Put', 'Put', 'Update', 'Put', 'ConditionCheck']);
    expect(removeItems[2]!.Put.Item).toMatchObject({ sk: expect.stringContaining(`incomedeleted#${create.result.json.id}`), kind: 'income-deleted', deletedBy: team.owner.id });
    expect(removeItems[0]!.Put.Item).toEqual({
      pk: expect.any(String), sk: expect.stringContaining(create.result.json.id), kind: 'income-tombstone', createdBy: team.owner.id,
      expiresAt: Date.parse(create.result.json.createdAt) / 1000 + 24 * 60 * 60,
    });
    expect(removeItems[0]!.Put.ConditionExpression).toBe('#version = :version');
    // The fourth change of the shard, a deletion of income: `di` in its slot, `deleted` on its entry.
    expect(removeItems[4]!.Update.ExpressionAttributeValues).toMatchObject({ ':next': 4, ':recent0': `4|di|${create.result.json.id}` });
    expect(removeItems[5]!.Put.Item).toMatchObject({ seq: 4, incomeId: create.result.json.id, deleted: true });
  });

  it('the cash flow of 24 months: the access read and one Query of the totals items, whatever the number of entries', async () => {
    const b = await fresh();
    for (let m = 1; m <= 12; m++) {
      const month = `2026-${String(m).padStart(2, '0')}`;
      await created(b, { amount: 1000 * m, receivedOn: `${month}-10` });
      const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: team.owner.token, body: { amount: 100 * m, occurredOn: `${month}-11` } });
      expect(res.status, res.text).toBe(201);
    }
    const read = await readCostDuring(h.t.doc, () => cashFlow(b, '?from=2025-01&to=2026-12'));
    expect(read.result.status).toBe(200);
    expect(read.commands).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(read.result.json.total).toMatchObject({ income: 78000, spent: 7800, net: 70200, savingsRate: 9000 });
    // The Query: 12 months x (an income item + a spending shard item with one expense), well
    // under 4 KB in all: 1 read unit (strongly consistent).
    expect(read.reads.find((r) => r.name === 'Query')!.units).toBe(1);
  });
});
