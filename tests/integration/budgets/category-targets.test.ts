import { beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, clockSuite, createBudget, expectProblem, type Account } from './helpers';

/**
 * Category targets (sinking funds) through HTTP on DynamoDB Local: `target: {amount, by}` on a
 * rollover category, its figures on the summary line (and trends, forecast, report), groups
 * with a rollover member carrying carriedOver/available, the report's bar drawn against the
 * available, copy, and the 400s. Every expected amount is worked out by hand from the expenses
 * written here (packages/budgets/docs/periods-and-limits.md "Category targets").
 */
const suite = clockSuite('2026-08-15T09:00:00Z');
const { setClock, get, line } = suite;
let t: TestSystem;
let owner: Account;
beforeAll(() => ({ t, owner } = suite.accounts));

let budgetId: string;
let car: string;
let rent: string;
let food: string;
const TARGET = { amount: 120_000, by: '2027-01-31' };

describe('category targets', () => {
  it('is set on create on a rollover category, and shown on the Budget resource', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 100_000,
      categories: [
        { name: 'Car insurance', limit: 20_000, group: 'Bills', rollover: true, target: TARGET },
        { name: 'Rent', limit: 50_000, group: 'Bills' },
        { name: 'Food', limit: 10_000 },
      ],
    });
    budgetId = budget.id;
    [car, rent, food] = budget.categories.map((c) => c.id) as [string, string, string];
    expect(budget.categories[0]).toEqual({ id: car, name: 'Car insurance', limit: 20_000, group: 'Bills', rollover: true, rolloverSince: '2026-08-01', target: TARGET });
    expect((await get(`/v1/budgets/${budgetId}`)).categories[0]).toMatchObject({ target: TARGET });
  });

  it('refuses a target without rollover, without a limit, or malformed, naming the field', async () => {
    const create = (categories: unknown[]) => as(t.app, owner)('POST', '/v1/budgets', { body: { name: 'X', limit: 1, categories } });
    expectProblem(await create([{ name: 'A', limit: 100, target: TARGET }]), 400, ['categories.0.target']);
    expectProblem(await create([{ name: 'A', limit: 100, rollover: false, target: TARGET }]), 400, ['categories.0.target']);
    expectProblem(await create([{ name: 'A', rollover: true, target: TARGET }]), 400, ['categories.0.rollover', 'categories.0.target']);
    expectProblem(await create([{ name: 'A', limit: 100, rollover: true, target: { amount: 0, by: '2027-01-31' } }]), 400, ['categories.0.target.amount']);
    expectProblem(await create([{ name: 'A', limit: 100, rollover: true, target: { amount: 1.5, by: '2027-01-31' } }]), 400, ['categories.0.target.amount']);
    expectProblem(await create([{ name: 'A', limit: 100, rollover: true, target: { amount: 1_000_000_000_001, by: '2027-01-31' } }]), 400, ['categories.0.target.amount']);
    expectProblem(await create([{ name: 'A', limit: 100, rollover: true, target: { amount: 100, by: '2027-02-30' } }]), 400, ['categories.0.target.by']);
    expectProblem(await create([{ name: 'A', limit: 100, rollover: true, target: { amount: 100, by: 20270131 } }]), 400, ['categories.0.target.by']);
    expectProblem(await create([{ name: 'A', limit: 100, rollover: true, target: { by: '2027-01-31' } }]), 400, ['categories.0.target.amount']);
    expectProblem(await create([{ name: 'A', limit: 100, rollover: true, target: { amount: 100, by: '2027-01-31', note: 'x' } }]), 400, ['categories.0.target.note']);
    // PATCH: turning rollover off while the entry keeps its target is refused (the client drops it).
    const patch = (categories: unknown[]) => as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { categories } });
    expectProblem(
      await patch([{ id: car, name: 'Car insurance', limit: 20_000, group: 'Bills', target: TARGET }, { id: rent, name: 'Rent', limit: 50_000, group: 'Bills' }, { id: food, name: 'Food', limit: 10_000 }]),
      400,
      ['categories.0.target'],
    );
    // Nothing changed.
    expect((await get(`/v1/budgets/${budgetId}`)).categories[0]).toMatchObject({ rollover: true, target: TARGET });
  });

  it('the summary: target figures on the line, group carriedOver/available, no request added', async () => {
    await addExpense(t.app, owner, budgetId, { amount: 5_000, occurredOn: '2026-08-10', categoryId: car });
    await setClock('2026-11-20T12:00:00Z');
    await addExpense(t.app, owner, budgetId, { amount: 2_000, occurredOn: '2026-11-03', categoryId: car });
    await addExpense(t.app, owner, budgetId, { amount: 50_000, occurredOn: '2026-11-01', categoryId: rent });

    const { result, commands } = await commandsSentDuring(t.doc, () => as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=2026-11-20`));
    expect(result.status, result.text).toBe(200);
    const s = result.json;
    // Car since August: 3 x 20,000 - 5,000 = 55,000 carried; 75,000 available; 2,000 spent; 73,000 remaining.
    // November, December, January: 3 periods. 73,000 + 2 x 20,000 = 113,000 < 120,000: behind.
    // Needed: (120,000 - (73,000 - 20,000)) / 3 = 22,333.33 -> 22,334.
    expect(line(s.categories, car)).toMatchObject({
      carriedOver: 55_000,
      available: 75_000,
      spent: 2_000,
      remaining: 73_000,
      target: { amount: 120_000, by: '2027-01-31', periodsLeft: 3, neededPerPeriod: 22_334, status: 'behind' },
    });
    expect(line(s.categories, rent)).not.toHaveProperty('target');
    // Bills: limits 70,000; carried 55,000 (Car's); available 125,000; spent 52,000; remaining 73,000.
    expect(s.groups).toEqual([{ name: 'Bills', categoryIds: [car, rent], limit: 70_000, carriedOver: 55_000, available: 125_000, spent: 52_000, remaining: 73_000 }]);
    // The same three requests as any summary.
    expect([...commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);

    // August (its first period): 15,000 remaining, 6 periods; 15,000 + 5 x 20,000 = 115,000: behind;
    // (120,000 - (15,000 - 20,000)) / 6 = 20,833.33 -> 20,834.
    expect(line((await get(`/v1/budgets/${budgetId}/summary?date=2026-08-20`)).categories, car).target).toEqual({
      amount: 120_000,
      by: '2027-01-31',
      periodsLeft: 6,
      neededPerPeriod: 20_834,
      status: 'behind',
    });
    // February 2027, past `by`: 6 x 20,000 - 7,000 = 113,000 carried, 133,000 remaining >= 120,000: funded.
    expect(line((await get(`/v1/budgets/${budgetId}/summary?date=2027-02-10`)).categories, car)).toMatchObject({
      remaining: 133_000,
      target: { amount: 120_000, by: '2027-01-31', periodsLeft: 0, neededPerPeriod: 0, status: 'funded' },
    });
  });

  it('overview: the budget counts its target behind', async () => {
    const o = await get('/v1/me/overview');
    expect(o.items.find((i: { budgetId: string }) => i.budgetId === budgetId)).toMatchObject({ categoriesOver: 0, targetsBehind: 1 });
  });

  it('trends: each period\'s target figures and group figures are its summary\'s', async () => {
    const trends = await get(`/v1/budgets/${budgetId}/trends?periods=4&date=2026-11-20`);
    // August..November: 6, 5, 4, 3 periods left; September: 35,000 remaining, (120,000 - 15,000) / 5 = 21,000.
    expect(trends.periods.map((p: { categories: { categoryId: string }[] }) => (line(p.categories, car).target as { periodsLeft: number }).periodsLeft)).toEqual([6, 5, 4, 3]);
    expect(line(trends.periods[1].categories, car).target).toEqual({ amount: 120_000, by: '2027-01-31', periodsLeft: 5, neededPerPeriod: 21_000, status: 'behind' });
    for (const p of trends.periods) {
      const s = await get(`/v1/budgets/${budgetId}/summary?date=${p.periodStart}`);
      expect(line(p.categories, car).target).toEqual(line(s.categories, car).target);
      const { remaining: _r, ...group } = s.groups[0];
      expect(p.groups[0]).toEqual(group);
    }
  });

  it('forecast: the target as the summary\'s, the group projected against its available', async () => {
    const f = await get(`/v1/budgets/${budgetId}/forecast?date=2026-11-20`);
    expect(line(f.categories, car).target).toEqual({ amount: 120_000, by: '2027-01-31', periodsLeft: 3, neededPerPeriod: 22_334, status: 'behind' });
    // 125,000 available - 52,000 projected (nothing scheduled).
    expect(f.groups[0]).toMatchObject({ carriedOver: 55_000, available: 125_000, projectedSpent: 52_000, projectedRemaining: 73_000 });
  });

  it('a report of an ended period keeps the target figures and the group carry; its bar chart draws a rollover category against its available', async () => {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/reports`, { body: { date: '2026-09-15' } });
    expect(res.status, res.text).toBe(201);
    // September: 15,000 carried, 35,000 available, nothing spent.
    expect(line(res.json.byCategory, car)).toMatchObject({ carriedOver: 15_000, available: 35_000, spent: 0, target: { periodsLeft: 5, neededPerPeriod: 21_000, status: 'behind' } });
    // Bills: limits 70,000; Car's 15,000 carried; 85,000 available.
    expect(res.json.groups).toEqual([{ name: 'Bills', categoryIds: [car, rent], limit: 70_000, carriedOver: 15_000, available: 85_000, spent: 0 }]);
    const page = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/reports/${res.json.id}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    // The group's row: what it carried in, and Left of its available (850.00 - 0), not of its limit (700.00).
    expect(page.text).toContain('<td>Bills</td><td class="n"><span>700.00</span> (<span>150.00</span> carried over)</td><td class="n"><span>0.00</span></td><td class="n"><span>850.00</span></td>');
    // The bar's label (the chart's next text after the row's name): "spent of available", 0.00 of 350.00, not of the 200.00 limit.
    const bar = /Car insurance<\/text><rect [^>]*\/><line [^>]*\/><text [^>]*>([^<]*)<\/text>/.exec(page.text);
    expect(bar?.[1]).toBe('0.00 of 350.00');
    // The target row under Car insurance's row: September's figures above (5 periods left, 210.00 a period, behind).
    expect(page.text).toContain(
      '<tr class="target"><td colspan="4">Target 1200.00 by 2027-01-31 · 210.00 a period · <span class="target-behind">Behind</span></td></tr>',
    );
    // One target row: Rent and Food have none.
    expect(page.text.match(/<tr class="target">/g)).toHaveLength(1);
  });

  it('PATCH changes the target (on track at 110,000) and removes it with an entry without one', async () => {
    const entries = (target: unknown) => [
      { id: car, name: 'Car insurance', limit: 20_000, group: 'Bills', rollover: true, ...(target === undefined ? {} : { target }) },
      { id: rent, name: 'Rent', limit: 50_000, group: 'Bills' },
      { id: food, name: 'Food', limit: 10_000 },
    ];
    const changed = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { categories: entries({ amount: 110_000, by: '2027-01-31' }) } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.categories[0]).toMatchObject({ rolloverSince: '2026-08-01', target: { amount: 110_000, by: '2027-01-31' } });
    // 73,000 + 2 x 20,000 = 113,000 >= 110,000: on track; (110,000 - 53,000) / 3 = 19,000 (<= the 20,000 limit).
    expect(line((await get(`/v1/budgets/${budgetId}/summary?date=2026-11-20`)).categories, car).target).toEqual({
      amount: 110_000,
      by: '2027-01-31',
      periodsLeft: 3,
      neededPerPeriod: 19_000,
      status: 'on-track',
    });
    // Past `by` and short: 150,000 against 133,000 in February: behind by 17,000.
    await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { categories: entries({ amount: 150_000, by: '2027-01-31' }) } });
    expect(line((await get(`/v1/budgets/${budgetId}/summary?date=2027-02-10`)).categories, car).target).toEqual({
      amount: 150_000,
      by: '2027-01-31',
      periodsLeft: 0,
      neededPerPeriod: 17_000,
      status: 'behind',
    });
    const removed = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { categories: entries(undefined) } });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json.categories[0]).not.toHaveProperty('target');
    expect(line((await get(`/v1/budgets/${budgetId}/summary?date=2026-11-20`)).categories, car)).not.toHaveProperty('target');
    // Back for the copy below.
    expect((await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { categories: entries(TARGET) } })).status).toBe(200);
  });

  it('copy keeps the target with rollover', async () => {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/copy`, { body: { name: 'Next' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.categories[0]).toMatchObject({ name: 'Car insurance', rollover: true, rolloverSince: '2026-11-01', target: TARGET });
  });
});

/**
 * An undated target (YNAB's "have a balance of"): `target: {amount}`, no `by`. Its figures:
 * periodsLeft and neededPerPeriod null; funded when remaining >= amount, else on-track when the
 * limit > 0, behind when it is 0 (packages/budgets/docs/periods-and-limits.md "Category targets"). Worked by hand below.
 */
describe('undated targets ("have a balance of")', () => {
  let id: string;
  let fund: string;
  let spare: string;
  const entries = (fundTarget: unknown) => [
    { id: fund, name: 'Emergency fund', limit: 30_000, group: 'Savings', rollover: true, target: fundTarget },
    { id: spare, name: 'Spare', limit: 0, rollover: true, target: { amount: 10_000 } },
  ];

  it('is accepted without `by` and shown without it', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, {
      name: 'Balances',
      limit: 50_000,
      categories: [
        { name: 'Emergency fund', limit: 30_000, group: 'Savings', rollover: true, target: { amount: 100_000 } },
        // `by: null` is the same as leaving it out.
        { name: 'Spare', limit: 0, rollover: true, target: { amount: 10_000, by: null } },
      ],
    });
    id = budget.id;
    [fund, spare] = budget.categories.map((c) => c.id) as [string, string];
    expect(budget.categories[0]).toEqual({ id: fund, name: 'Emergency fund', limit: 30_000, group: 'Savings', rollover: true, rolloverSince: '2026-08-01', target: { amount: 100_000 } });
    expect(budget.categories[1]).toEqual({ id: spare, name: 'Spare', limit: 0, rollover: true, rolloverSince: '2026-08-01', target: { amount: 10_000 } });
    // A malformed `by` given is still named; a missing amount too.
    const create = (target: unknown) => as(t.app, owner)('POST', '/v1/budgets', { body: { name: 'X', limit: 1, categories: [{ name: 'A', limit: 100, rollover: true, target }] } });
    expectProblem(await create({ amount: 100, by: '2027-02-30' }), 400, ['categories.0.target.by']);
    expectProblem(await create({ amount: 0 }), 400, ['categories.0.target.amount']);
    expectProblem(await create({ amount: 100, when: '2027-01-31' }), 400, ['categories.0.target.when']);
    await setClock('2026-11-20T12:00:00Z');
    await addExpense(t.app, owner, id, { amount: 10_000, occurredOn: '2026-09-05', categoryId: fund });
  });

  it('the summary line: null periodsLeft and neededPerPeriod, the status from remaining and the limit', async () => {
    // August: nothing carried, 30,000 available, nothing spent: 30,000 < 100,000, limit 30,000 > 0: on track.
    const aug = await get(`/v1/budgets/${id}/summary?date=2026-08-20`);
    expect(line(aug.categories, fund)).toMatchObject({ carriedOver: 0, available: 30_000, spent: 0, remaining: 30_000 });
    expect(line(aug.categories, fund).target).toEqual({ amount: 100_000, periodsLeft: null, neededPerPeriod: null, status: 'on-track' });
    // Spare: limit 0, 0 remaining < 10,000: behind (nothing moves it closer).
    expect(line(aug.categories, spare).target).toEqual({ amount: 10_000, periodsLeft: null, neededPerPeriod: null, status: 'behind' });
    // October: August left 30,000, September 30,000 - 10,000 = 20,000: 50,000 carried, 80,000 remaining: on track.
    const oct = await get(`/v1/budgets/${id}/summary?date=2026-10-20`);
    expect(line(oct.categories, fund)).toMatchObject({ carriedOver: 50_000, remaining: 80_000, target: { status: 'on-track', periodsLeft: null, neededPerPeriod: null } });
    // November: 80,000 carried, 110,000 remaining >= 100,000: funded.
    const nov = await get(`/v1/budgets/${id}/summary?date=2026-11-20`);
    expect(line(nov.categories, fund)).toMatchObject({ carriedOver: 80_000, remaining: 110_000 });
    expect(line(nov.categories, fund).target).toEqual({ amount: 100_000, periodsLeft: null, neededPerPeriod: null, status: 'funded' });
    expect(Object.keys(line(nov.categories, fund).target as object)).toEqual(['amount', 'periodsLeft', 'neededPerPeriod', 'status']);
  });

  it('overview counts the limit-0 one behind; trends and forecast carry the summary\'s figures', async () => {
    const o = await get('/v1/me/overview');
    // November: the fund is funded, Spare behind.
    expect(o.items.find((i: { budgetId: string }) => i.budgetId === id)).toMatchObject({ targetsBehind: 1 });
    const trends = await get(`/v1/budgets/${id}/trends?periods=4&date=2026-11-20`);
    expect(trends.periods.map((p: { categories: { categoryId: string }[] }) => (line(p.categories, fund).target as { status: string }).status)).toEqual([
      'on-track',
      'on-track',
      'on-track',
      'funded',
    ]);
    for (const p of trends.periods) {
      const s = await get(`/v1/budgets/${id}/summary?date=${p.periodStart}`);
      expect(line(p.categories, fund).target).toEqual(line(s.categories, fund).target);
    }
    const f = await get(`/v1/budgets/${id}/forecast?date=2026-11-20`);
    expect(line(f.categories, fund).target).toEqual({ amount: 100_000, periodsLeft: null, neededPerPeriod: null, status: 'funded' });
    // The quick budget's target basis has no pace to suggest for an undated target: unchanged.
    const q = await get(`/v1/budgets/${id}/limit-suggestions?basis=target&date=2026-11-20`);
    expect(q.categories.map((c: { unchanged: boolean }) => c.unchanged)).toEqual([true, true]);
    expect(q.patch.categories[0].target).toEqual({ amount: 100_000 });
  });

  it('a report: the figures kept, the page line "Target <amount> · <status>"', async () => {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${id}/reports`, { body: { date: '2026-09-15' } });
    expect(res.status, res.text).toBe(201);
    // September: 30,000 carried, 60,000 available, 10,000 spent, 50,000 remaining < 100,000: on track.
    expect(line(res.json.byCategory, fund)).toMatchObject({ carriedOver: 30_000, available: 60_000, spent: 10_000 });
    expect(line(res.json.byCategory, fund).target).toEqual({ amount: 100_000, periodsLeft: null, neededPerPeriod: null, status: 'on-track' });
    const page = await as(t.app, owner)('GET', `/v1/budgets/${id}/reports/${res.json.id}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<tr class="target"><td colspan="4">Target 1000.00 · <span class="target-on-track">On track</span></td></tr>');
    expect(page.text).toContain('<tr class="target"><td colspan="4">Target 100.00 · <span class="target-behind">Behind</span></td></tr>');
  });

  it('PATCH adds `by` (dated figures) and removes it again (undated)', async () => {
    const dated = await as(t.app, owner)('PATCH', `/v1/budgets/${id}`, { body: { categories: entries({ amount: 150_000, by: '2027-01-31' }) } });
    expect(dated.status, dated.text).toBe(200);
    expect(dated.json.categories[0].target).toEqual({ amount: 150_000, by: '2027-01-31' });
    // November: 110,000 remaining; November..January: 3 periods; 110,000 + 2 x 30,000 = 170,000 >= 150,000: on track;
    // ceil((150,000 - (110,000 - 30,000)) / 3) = ceil(23,333.33) = 23,334.
    expect(line((await get(`/v1/budgets/${id}/summary?date=2026-11-20`)).categories, fund).target).toEqual({
      amount: 150_000,
      by: '2027-01-31',
      periodsLeft: 3,
      neededPerPeriod: 23_334,
      status: 'on-track',
    });
    const undated = await as(t.app, owner)('PATCH', `/v1/budgets/${id}`, { body: { categories: entries({ amount: 150_000 }) } });
    expect(undated.status, undated.text).toBe(200);
    expect(undated.json.categories[0].target).toEqual({ amount: 150_000 });
    expect((await get(`/v1/budgets/${id}`)).categories[0].target).toEqual({ amount: 150_000 });
    // 110,000 < 150,000, limit 30,000: on track, no pace.
    expect(line((await get(`/v1/budgets/${id}/summary?date=2026-11-20`)).categories, fund).target).toEqual({
      amount: 150_000,
      periodsLeft: null,
      neededPerPeriod: null,
      status: 'on-track',
    });
  });

  it('copy carries the undated target unchanged', async () => {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${id}/copy`, { body: { name: 'Balances 2' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.categories[0]).toMatchObject({ name: 'Emergency fund', rollover: true, target: { amount: 150_000 } });
    expect(res.json.categories[0].target).not.toHaveProperty('by');
  });
});
