import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * POST/GET /v1/budgets/{id}/reports against real expenses recorded over HTTP, each number
 * checked against an expectation computed here from the expenses the test created.
 */
const clock = fixedClock('2026-09-10T12:00:00Z');
let t: TestSystem;
let owner: Account;
let editor: Account;
let viewer: Account;
let stranger: Account;

async function at(when: string) {
  clock.set(when);
  for (const who of [owner, editor, viewer, stranger]) who.token = await t.system.deps.tokens.sign({ userId: who.id });
}

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signup(t.app, 'owner');
  editor = await signup(t.app, 'editor');
  viewer = await signup(t.app, 'viewer');
  stranger = await signup(t.app, 'stranger');
});
afterAll(() => t.destroy());

type Spend = { amount: number; occurredOn: string; category: 'g' | 't' | null; merchant?: string };

/** A budget created on 2026-09-10 (monthly, rollover) with members and these expenses; time is then 2026-11-24. */
async function budgetWith(spends: Spend[]) {
  await at('2026-09-10T12:00:00Z');
  const budget = await createBudget(t.app, owner, {
    limit: 100_000,
    rollover: true,
    categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Transport' }],
  });
  await addMember(t.app, owner, budget.id, editor, 'editor');
  await addMember(t.app, owner, budget.id, viewer, 'viewer');
  const [groceries, transport] = budget.categories;
  const ids = { g: groceries!.id, t: transport!.id };
  for (const s of spends) {
    await addExpense(t.app, owner, budget.id, {
      amount: s.amount,
      occurredOn: s.occurredOn,
      categoryId: s.category ? ids[s.category] : null,
      ...(s.merchant ? { merchant: s.merchant } : {}),
    });
  }
  await at('2026-11-24T12:00:00Z');
  return { budget, ids };
}

const SPENDS: Spend[] = [
  { amount: 30_000, occurredOn: '2026-09-12', category: 'g', merchant: 'Lidl' },
  { amount: 5_000, occurredOn: '2026-09-30', category: 't' },
  { amount: 12_000, occurredOn: '2026-10-01', category: 'g', merchant: 'Lidl' },
  { amount: 8_000, occurredOn: '2026-10-01', category: 'g', merchant: ' lidl ' },
  { amount: 20_000, occurredOn: '2026-10-15', category: 't', merchant: 'Rail Co' },
  { amount: 2_500, occurredOn: '2026-10-15', category: null, merchant: 'Kiosk' },
  { amount: 700, occurredOn: '2026-10-20', category: null },
  { amount: 3_000, occurredOn: '2026-10-31', category: 'g', merchant: 'Bakery' },
  { amount: 100, occurredOn: '2026-10-31', category: 't', merchant: 'Bus' },
  { amount: 50, occurredOn: '2026-10-31', category: 't', merchant: 'Taxi' },
  { amount: 99_000, occurredOn: '2026-11-01', category: 'g', merchant: 'Next month' },
];

/** What a report of [start, end] must say, computed from the expenses alone. */
function expected(spends: Spend[], start: string, end: string, ids: { g: string; t: string }) {
  const inRange = (s: Spend, a: string, b: string) => s.occurredOn >= a && s.occurredOn <= b;
  const sum = (list: Spend[]) => list.reduce((n, s) => n + s.amount, 0);
  const mine = spends.filter((s) => inRange(s, start, end));
  const spent = sum(mine);
  const merchants = new Map<string, { merchant: string; spent: number; count: number }>();
  for (const s of mine.filter((x) => x.merchant)) {
    const key = s.merchant!.trim().toLowerCase();
    const m = merchants.get(key) ?? { merchant: s.merchant!.trim(), spent: 0, count: 0 };
    m.spent += s.amount;
    m.count += 1;
    merchants.set(key, m);
  }
  const days: { date: string; spent: number }[] = [];
  for (let d = new Date(`${start}T00:00:00Z`); d.toISOString().slice(0, 10) <= end; d.setUTCDate(d.getUTCDate() + 1)) {
    const date = d.toISOString().slice(0, 10);
    days.push({ date, spent: sum(mine.filter((s) => s.occurredOn === date)) });
  }
  return {
    spent,
    byCategory: [
      { categoryId: ids.g, name: 'Groceries', limit: 40_000, spent: sum(mine.filter((s) => s.category === 'g')) },
      { categoryId: ids.t, name: 'Transport', limit: null, spent: sum(mine.filter((s) => s.category === 't')) },
    ],
    uncategorizedSpent: sum(mine.filter((s) => s.category === null)),
    byDay: days,
    // Most spent first; ties: more expenses first, then by name.
    topMerchants: [...merchants.values()]
      .sort((a, b) => b.spent - a.spent || b.count - a.count || a.merchant.localeCompare(b.merchant))
      .slice(0, 5),
  };
}

describe('POST /v1/budgets/{id}/reports', () => {
  it('generates the report of an ended period with numbers that match the expenses', async () => {
    const { budget, ids } = await budgetWith(SPENDS);
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-15' } });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/budgets/${budget.id}/reports/20261001-20261031`);

    const october = expected(SPENDS, '2026-10-01', '2026-10-31', ids);
    const september = expected(SPENDS, '2026-09-01', '2026-09-30', ids);
    // Rollover: September (the creation period) carried limit - spent into October.
    const carriedOver = 100_000 - september.spent;
    expect(res.json).toEqual({
      id: '20261001-20261031',
      budgetId: budget.id,
      budgetName: 'Household',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      currency: 'USD',
      limit: 100_000,
      carriedOver,
      available: 100_000 + carriedOver,
      spent: october.spent,
      remaining: 100_000 + carriedOver - october.spent,
      byCategory: october.byCategory,
      uncategorizedSpent: october.uncategorizedSpent,
      byDay: october.byDay,
      topMerchants: october.topMerchants,
      previousPeriod: { periodStart: '2026-09-01', periodEnd: '2026-09-30', spent: september.spent },
      generatedAt: '2026-11-24T12:00:00.000Z',
    });
    // Sanity of the expectation itself: hand-checked numbers.
    expect(october.spent).toBe(46_350);
    expect(res.json.topMerchants[0]).toEqual({ merchant: 'Lidl', spent: 20_000, count: 2 });
    expect(res.json.topMerchants[1]).toEqual({ merchant: 'Rail Co', spent: 20_000, count: 1 });
    expect(res.json.topMerchants).toHaveLength(5);
    expect(res.json.byDay).toHaveLength(31);

    // The creation period has no previous period: the budget did not exist then.
    const first = await as(t.app, editor)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-09-01' } });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ previousPeriod: null, carriedOver: 0, spent: september.spent, byDay: september.byDay });
  });

  it('returns the existing report (200) instead of a second one, also to concurrent requests', async () => {
    const { budget } = await budgetWith(SPENDS.slice(0, 4));
    const path = `/v1/budgets/${budget.id}/reports`;
    const results = await Promise.all(
      ['2026-10-01', '2026-10-05', '2026-10-31', '2026-10-15', '2026-10-20'].map((date, i) =>
        as(t.app, i % 2 ? editor : owner)('POST', path, { body: { date } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json.generatedAt)).size).toBe(1);
    const later = await as(t.app, owner)('POST', path, { body: { date: '2026-10-02' } });
    expect(later.status).toBe(200);
    expect(later.json).toEqual(results[0]!.json);
    const events = (await outboxEvents(t, 'report.generated')).filter((e) => e.envelope.data.budgetId === budget.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      {
        reportId: '20261001-20261031',
        budgetId: budget.id,
        ownerId: owner.id,
        periodStart: '2026-10-01',
        periodEnd: '2026-10-31',
        currency: 'USD',
        limit: 100_000,
        spent: 20_000,
      },
    ]);
  });

  it('refuses a period that has not ended yet (409), in the budget time zone', async () => {
    const { budget } = await budgetWith([]);
    const path = `/v1/budgets/${budget.id}/reports`;
    expectProblem(await as(t.app, owner)('POST', path, { body: { date: '2026-11-24' } }), 409);
    expectProblem(await as(t.app, owner)('POST', path, { body: { date: '2027-03-01' } }), 409);
    // 2026-11-30 23:30 UTC is already December 1st in Tokyo: November has ended there.
    await at('2026-11-30T23:30:00Z');
    const tokyo = await createBudget(t.app, owner, { timezone: 'Asia/Tokyo' });
    const utc = await createBudget(t.app, owner, { timezone: 'UTC' });
    expect((await as(t.app, owner)('POST', `/v1/budgets/${tokyo.id}/reports`, { body: { date: '2026-11-30' } })).status).toBe(201);
    expectProblem(await as(t.app, owner)('POST', `/v1/budgets/${utc.id}/reports`, { body: { date: '2026-11-30' } }), 409);
  });

  it.each([
    ['a missing date', {}, 'date'],
    ['a date that does not exist', { date: '2026-02-30' }, 'date'],
    ['a date that is not a string', { date: 20261001 }, 'date'],
    ['a date out of range', { date: '0000-01-01' }, 'date'],
    ['an unknown field', { date: '2026-10-01', period: 'monthly' }, 'period'],
  ])('refuses %s, naming the field', async (_label, body, path) => {
    const { budget } = await budgetWith([]);
    expectProblem(await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body }), 400, [path]);
  });

  it('replays a retry with the same Idempotency-Key', async () => {
    const { budget } = await budgetWith(SPENDS.slice(0, 3));
    const post = () =>
      as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, {
        body: { date: '2026-09-15' },
        headers: { 'idempotency-key': `report-${budget.id}` },
      });
    const first = await post();
    const again = await post();
    expect(first.status, first.text).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
  });
});

describe('roles', () => {
  it('lets any member read, the owner and editors generate, and hides everything from strangers', async () => {
    const { budget } = await budgetWith(SPENDS.slice(0, 2));
    const base = `/v1/budgets/${budget.id}/reports`;
    expectProblem(await as(t.app, viewer)('POST', base, { body: { date: '2026-09-15' } }), 403);
    expectProblem(await as(t.app, stranger)('POST', base, { body: { date: '2026-09-15' } }), 404);
    expect((await as(t.app, editor)('POST', base, { body: { date: '2026-09-15' } })).status).toBe(201);
    for (const who of [owner, editor, viewer]) {
      expect((await as(t.app, who)('GET', base)).status).toBe(200);
      expect((await as(t.app, who)('GET', `${base}/20260901-20260930`)).status).toBe(200);
    }
    expectProblem(await as(t.app, stranger)('GET', base), 404);
    expectProblem(await as(t.app, stranger)('GET', `${base}/20260901-20260930`), 404);
    expectProblem(await as(t.app, owner)('GET', '/v1/budgets/01JDQ4V8M7ZK3X9A2B5C6D7E8F/reports'), 404);
  });
});

describe('GET /v1/budgets/{id}/reports', () => {
  it('gets one report by id, and 404s ids that name no report', async () => {
    const { budget } = await budgetWith(SPENDS.slice(0, 2));
    const created = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-09-02' } });
    const got = await as(t.app, viewer)('GET', `/v1/budgets/${budget.id}/reports/${created.json.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toContain('application/json');
    expect(got.json).toEqual(created.json);
    for (const id of ['20261001-20261031', '20260231-20260301', 'nope', '20260930-20260901']) {
      expectProblem(await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/reports/${id}`), 404);
    }
  });

  it('lists newest period first, in pages whose cursor is bound to the budget', async () => {
    const { budget } = await budgetWith(SPENDS);
    const other = await budgetWith([]);
    for (const date of ['2026-09-05', '2026-10-05', '2026-08-05']) {
      const res = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date } });
      expect(res.status, res.text).toBe(201);
    }
    await as(t.app, owner)('POST', `/v1/budgets/${other.budget.id}/reports`, { body: { date: '2026-10-05' } });
    const base = `/v1/budgets/${budget.id}/reports`;
    const all = await as(t.app, viewer)('GET', base);
    expect(all.json.items.map((r: { id: string }) => r.id)).toEqual(['20261001-20261031', '20260901-20260930', '20260801-20260831']);
    expect(all.json.nextCursor).toBeNull();

    const first = await as(t.app, owner)('GET', `${base}?limit=2`);
    expect(first.json.items).toHaveLength(2);
    const second = await as(t.app, owner)('GET', `${base}?limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.items.map((r: { id: string }) => r.id)).toEqual(['20260801-20260831']);
    expect(second.json.nextCursor).toBeNull();

    const foreign = await as(t.app, owner)('GET', `/v1/budgets/${other.budget.id}/reports?cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expectProblem(foreign, 400, ['query.cursor']);
    expectProblem(await as(t.app, owner)('GET', `${base}?limit=0`), 400, ['query.limit']);
    expectProblem(await as(t.app, owner)('GET', `${base}?colour=red`), 400, ['query.colour']);
  });
});
