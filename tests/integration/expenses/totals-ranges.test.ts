import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { seedExpenses } from './seed';

/**
 * The running totals are one item per (month, totals shard) holding the month's figures and
 * each day's. A range that cuts a month is answered from the day figures, a whole month from
 * the month's: every answer must equal the sum of the expenses it covers, by category.
 */
let h: Harness;
let owner: User;
let budget: Budget;
type Body = { amount: number; occurredOn: string; categoryId: string | null };
let bodies: Body[];

beforeAll(async () => {
  h = await createHarness({ clock: fixedClock('2026-09-01T08:00:00Z') });
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { categories: ['Food', 'Home', 'Fun'] });
  const categories = [null, ...budget.categories.map((c) => c.id)];
  // Every day of September..November 2026, 1 or 2 expenses a day over all categories, with
  // amounts that make each day's sum distinct.
  bodies = [];
  for (let month = 9; month <= 11; month++) {
    const days = month === 9 || month === 11 ? 30 : 31;
    for (let day = 1; day <= days; day++) {
      const occurredOn = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      for (let k = 0; k < 1 + ((day + month) % 2); k++) {
        bodies.push({ amount: 1000 * month + 10 * day + k, occurredOn, categoryId: categories[(day + k) % categories.length] ?? null });
      }
    }
  }
  await seedExpenses(h, budget, owner, bodies);
}, 300_000);
afterAll(() => h.destroy());

/** What the expenses dated in [from, to] add up to, from the bodies the test wrote. */
function expected(from: string, to: string) {
  const inRange = bodies.filter((b) => b.occurredOn >= from && b.occurredOn <= to);
  const byCategory: Record<string, number> = {};
  for (const b of inRange) if (b.categoryId !== null) byCategory[b.categoryId] = (byCategory[b.categoryId] ?? 0) + b.amount;
  return {
    total: inRange.reduce((s, b) => s + b.amount, 0),
    byCategory,
    uncategorized: inRange.filter((b) => b.categoryId === null).reduce((s, b) => s + b.amount, 0),
  };
}

/** Each day in [from, to] with expenses the test wrote, and their sum, in date order. */
function expectedDays(from: string, to: string) {
  const days = new Map<string, number>();
  for (const b of bodies.filter((b) => b.occurredOn >= from && b.occurredOn <= to)) days.set(b.occurredOn, (days.get(b.occurredOn) ?? 0) + b.amount);
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([date, total]) => ({ date, total }));
}

describe('running totals over ranges', { timeout: 60_000 }, () => {
  it('a partial month (10th..20th) equals the sum of its expenses, by category', async () => {
    const got = await h.spending.totalsBetween(budget.id, '2026-10-10', '2026-10-20');
    expect(got).toEqual(expected('2026-10-10', '2026-10-20'));
    // The bounds are inclusive and nothing outside counts: the 9th and the 21st are not in it.
    expect(got.total).toBe(expected('2026-10-09', '2026-10-21').total - expected('2026-10-09', '2026-10-09').total - expected('2026-10-21', '2026-10-21').total);
    expect(Object.keys(got.byCategory).sort()).toEqual(budget.categories.map((c) => c.id).sort());
  });

  it('a range over three months with partial ends equals the sum of its expenses', async () => {
    expect(await h.spending.totalsBetween(budget.id, '2026-09-15', '2026-11-10')).toEqual(expected('2026-09-15', '2026-11-10'));
    expect(await h.spending.totalsBetween(budget.id, '2026-09-30', '2026-11-01')).toEqual(expected('2026-09-30', '2026-11-01'));
    expect(await h.spending.totalsBetween(budget.id, '2026-08-20', '2026-12-05')).toEqual(expected('2026-09-01', '2026-11-30'));
  });

  it('a whole month by key counts each expense once (day figures are not added to it)', async () => {
    expect(await h.spending.monthTotalsByKey(budget.id, '2026-10')).toEqual(expected('2026-10-01', '2026-10-31'));
    expect(await h.spending.totalsBetween(budget.id, '2026-10-01', '2026-10-31')).toEqual(expected('2026-10-01', '2026-10-31'));
  });

  it('totalsOfRanges answers each range exactly as totalsBetween does, from ONE Query', async () => {
    const ranges = [
      { from: '2026-11-01', to: '2026-11-30' }, // a whole month
      { from: '2026-09-14', to: '2026-10-31' }, // adjacent to it, with a partial first month
      { from: '2026-10-05', to: '2026-10-05' }, // one day inside another range
      { from: '2026-09-30', to: '2026-09-01' }, // empty: zero, and it widens nothing
      { from: '2026-08-20', to: '2026-09-02' }, // a month without spending, then a cut one
    ];
    const { result, commands } = await commandsSentDuring(h.t.doc, () => h.spending.totalsOfRanges(budget.id, ranges));
    expect(commands).toEqual(['QueryCommand']);
    expect(result).toEqual(ranges.map(({ from, to }) => (from > to ? { total: 0, byCategory: {}, uncategorized: 0 } : expected(from, to))));
    expect(result[0]!.total).toBeGreaterThan(0);
    // Only empty ranges: no request at all.
    const none = await commandsSentDuring(h.t.doc, () => h.spending.totalsOfRanges(budget.id, [{ from: '2026-10-02', to: '2026-10-01' }]));
    expect(none.commands).toEqual([]);
    expect(none.result).toEqual([{ total: 0, byCategory: {}, uncategorized: 0 }]);
  });

  it('totalsAndDays answers the ranges as totalsOfRanges does and every day with spending in `days`, in date order, from ONE Query', async () => {
    const want = expectedDays('2026-09-25', '2026-10-05');
    expect(want).toHaveLength(11);
    const ranges = [
      { from: '2026-10-01', to: '2026-10-31' },
      { from: '2026-09-01', to: '2026-09-30' },
    ];
    const { result, commands } = await commandsSentDuring(h.t.doc, () => h.spending.totalsAndDays(budget.id, ranges, { from: '2026-09-25', to: '2026-10-05' }));
    expect(commands).toEqual(['QueryCommand']);
    expect(result).toEqual({ totals: ranges.map(({ from, to }) => expected(from, to)), days: want });

    // The days widen the months read like one more range: November and December, after the only range, are read for them.
    const widened = await commandsSentDuring(h.t.doc, () => h.spending.totalsAndDays(budget.id, ranges.slice(0, 1), { from: '2026-11-29', to: '2026-12-02' }));
    expect(widened.commands).toEqual(['QueryCommand']);
    expect(widened.result).toEqual({ totals: [expected('2026-10-01', '2026-10-31')], days: expectedDays('2026-11-29', '2026-12-02') });
    expect(widened.result.days.map((d) => d.date)).toEqual(['2026-11-29', '2026-11-30']);
    const values = widened.sent[0]!.input.ExpressionAttributeValues as Record<string, string>;
    expect([values[':lo'], values[':hi']].map((k) => k?.split('#')[2])).toEqual(['2026-10', '2026-12']);

    // No ranges and empty days: no request at all.
    const none = await commandsSentDuring(h.t.doc, () => h.spending.totalsAndDays(budget.id, [], { from: '2026-10-02', to: '2026-10-01' }));
    expect(none.commands).toEqual([]);
    expect(none.result).toEqual({ totals: [], days: [] });
  });

  it('totalsAndCashFlow answers as totalsAndDays, and each month\'s cash flow as GET .../cash-flow does, from ONE Query the months widen', async () => {
    for (const [receivedOn, amount] of [['2026-10-05', 250_000], ['2026-12-24', 1_000]] as const) {
      const res = await h.call('POST', `/v1/budgets/${budget.id}/income`, { token: owner.token, body: { amount, receivedOn } });
      expect(res.status, res.text).toBe(201);
    }
    const ranges = [{ from: '2026-10-01', to: '2026-10-31' }];
    const days = { from: '2026-10-01', to: '2026-10-03' };
    const { result, commands, sent } = await commandsSentDuring(h.t.doc, () => h.spending.totalsAndCashFlow(budget.id, ranges, days, { from: '2026-09', to: '2026-12' }));
    expect(commands).toEqual(['QueryCommand']);
    // September and December lie outside the range and the days: the months widen the one Query to them.
    const values = sent[0]!.input.ExpressionAttributeValues as Record<string, string>;
    expect([values[':lo'], values[':hi']].map((k) => k?.split('#')[2])).toEqual(['2026-09', '2026-12']);
    expect(result.totals).toEqual([expected('2026-10-01', '2026-10-31')]);
    expect(result.days).toEqual(expectedDays('2026-10-01', '2026-10-03'));
    const spentIn = (from: string, to: string) => expected(from, to).total;
    const [september, october, november] = [spentIn('2026-09-01', '2026-09-30'), spentIn('2026-10-01', '2026-10-31'), spentIn('2026-11-01', '2026-11-30')];
    expect(result.cashFlow!.months.map(({ month, income, spent }) => ({ month, income, spent }))).toEqual([
      { month: '2026-09', income: 0, spent: september },
      { month: '2026-10', income: 250_000, spent: october },
      { month: '2026-11', income: 0, spent: november },
      { month: '2026-12', income: 1_000, spent: 0 },
    ]);
    // December: all of 1,000 kept, 100 %; a month without income has no rate.
    expect(result.cashFlow!.months[3]).toMatchObject({ net: 1_000, savingsRate: 10_000 });
    expect(result.cashFlow!.months[0]).toMatchObject({ net: -september, savingsRate: null });
    // The route's own answer, figure for figure (one computation: domain/cash-flow.ts cashFlowOf).
    const route = await h.call('GET', `/v1/budgets/${budget.id}/cash-flow?from=2026-09&to=2026-12`, { token: owner.token });
    expect(route.status, route.text).toBe(200);
    expect(result.cashFlow).toEqual({ months: route.json.months, total: route.json.total });

    // `totalsOf`: more month ranges' sums from the SAME one Query, widened to them (August here),
    // each the route's `total` over those months.
    const more = await commandsSentDuring(h.t.doc, () =>
      h.spending.totalsAndCashFlow(budget.id, ranges, null, { from: '2026-10', to: '2026-10' }, [{ from: '2026-08', to: '2026-10' }, { from: '2026-12', to: '2026-12' }]),
    );
    expect(more.commands).toEqual(['QueryCommand']);
    const widened = more.sent[0]!.input.ExpressionAttributeValues as Record<string, string>;
    expect([widened[':lo'], widened[':hi']].map((k) => k?.split('#')[2])).toEqual(['2026-08', '2026-12']);
    const [augToOct, december] = await Promise.all(
      ['from=2026-08&to=2026-10', 'from=2026-12&to=2026-12'].map(async (q) => (await h.call('GET', `/v1/budgets/${budget.id}/cash-flow?${q}`, { token: owner.token })).json.total),
    );
    // Each the route's `total` but its rate (CashFlowSums: no reader shows one).
    const sums = ({ income, spent, net }: { income: number; spent: number; net: number }) => ({ income, spent, net });
    expect(more.result.cashFlow!.totalsOf).toEqual([sums(augToOct), sums(december)]);
    expect(more.result.cashFlow!.months).toEqual([route.json.months[1]]);

    // A month range that is not one is a programming error, not a 400.
    await expect(h.spending.totalsAndCashFlow(budget.id, ranges, null, { from: '2026-12', to: '2026-09' })).rejects.toThrow(RangeError);
    await expect(h.spending.totalsAndCashFlow(budget.id, ranges, null, { from: '2026-09', to: '2026-12' }, [{ from: '2026-12', to: '2026-09' }])).rejects.toThrow(RangeError);
  });

  it('moving an expense across months and deleting one keep days and months exact', async () => {
    const other = await h.createBudget(owner, { categories: ['Food'] });
    const food = other.categories[0]!.id;
    const post = (body: Body) => h.call('POST', `/v1/budgets/${other.id}/expenses`, { token: owner.token, body });
    const a = await post({ amount: 700, occurredOn: '2026-10-31', categoryId: food });
    const b = await post({ amount: 50, occurredOn: '2026-10-15', categoryId: null });
    expect([a.status, b.status]).toEqual([201, 201]);
    const moved = await h.call('PATCH', `/v1/budgets/${other.id}/expenses/${a.json.id}`, {
      token: owner.token,
      headers: { 'if-match': '"1"' },
      body: { occurredOn: '2026-11-02', categoryId: null },
    });
    expect(moved.status, moved.text).toBe(200);
    expect((await h.call('DELETE', `/v1/budgets/${other.id}/expenses/${b.json.id}`, { token: owner.token, headers: { 'if-match': '"1"' } })).status).toBe(204);

    expect(await h.spending.totalsBetween(other.id, '2026-10-01', '2026-10-31')).toEqual({ total: 0, byCategory: {}, uncategorized: 0 });
    expect(await h.spending.totalsBetween(other.id, '2026-10-31', '2026-11-02')).toEqual({ total: 700, byCategory: {}, uncategorized: 700 });
    expect(await h.spending.totalsBetween(other.id, '2026-11-03', '2026-11-30')).toEqual({ total: 0, byCategory: {}, uncategorized: 0 });
    expect(await h.spending.monthTotalsByKey(other.id, '2026-11')).toEqual({ total: 700, byCategory: {}, uncategorized: 700 });
    expect((await h.spending.totalsAndDays(other.id, [], { from: '2026-10-01', to: '2026-11-30' })).days).toEqual([{ date: '2026-11-02', total: 700 }]);

    // Stored layout: month items only, one per (month, shard) written, the day's figures on them.
    const { Items = [] } = await h.t.doc.send(
      new QueryCommand({ TableName: h.t.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `expenses#totals#${other.id}` } }),
    );
    // Expense a wrote October and November of its shard, b October of its shard: 2 or 3 items.
    expect(Items.length).toBeGreaterThanOrEqual(2);
    expect(Items.length).toBeLessThanOrEqual(3);
    for (const item of Items) expect(item.sk).toMatch(/^expenses#month#2026-1[01]#[0-3]$/);
    const november = Items.find((i) => String(i.sk).startsWith('expenses#month#2026-11#'))!;
    expect(november).toMatchObject({ total: 700, uncategorized: 700, d02_total: 700, d02_uncategorized: 700 });
  });
});
