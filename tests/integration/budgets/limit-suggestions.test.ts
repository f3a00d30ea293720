import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * Quick budget (GET /v1/budgets/{id}/limit-suggestions) on DynamoDB Local with a fixed clock:
 * every expected suggestion is worked out here by hand from the expenses written (packages/budgets/docs/periods-and-limits.md
 * "Quick budget (limit suggestions)"), then the answer's `patch` is sent to PATCH with
 * its ETag as If-Match, and the summary shows the new limits.
 */
const clock = fixedClock('2026-08-10T09:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const setClock = (when: string) => setClockFor(t, clock, owner, when);
const suggestionsRes = (budgetId: string, query = '', who: Account = owner) => as(t.app, who)('GET', `/v1/budgets/${budgetId}/limit-suggestions${query}`);
const suggestions = async (budgetId: string, query = '', who: Account = owner) => {
  const res = await suggestionsRes(budgetId, query, who);
  expect(res.status, res.text).toBe(200);
  return { body: res.json, etag: res.headers.get('etag') };
};

const TARGET = { amount: 120_000, by: '2027-01-31' };

let budgetId: string;
let groceries: string;
let transport: string;
let pets: string;
let fun: string;
let car: string;

beforeAll(async () => {
  // Created on 10 August 2026 (monthly, UTC): Car insurance rolls over from August.
  await setClock('2026-08-10T09:00:00Z');
  const budget = await createBudget(t.app, owner, {
    limit: 100_000,
    categories: [
      { name: 'Groceries', limit: 40_000, group: 'Everyday' },
      { name: 'Transport' },
      { name: 'Pets' },
      { name: 'Fun', limit: 5_000 },
      { name: 'Car insurance', limit: 20_000, group: 'Bills', rollover: true, target: TARGET },
    ],
  });
  budgetId = budget.id;
  [groceries, transport, pets, fun, car] = budget.categories.map((c) => c.id) as [string, string, string, string, string];
  // Today: Thursday 3 December 2026. The three complete months before December: September..November.
  await setClock('2026-12-03T12:00:00Z');
  const expenses = [
    { amount: 99_999, occurredOn: '2026-08-20', categoryId: groceries }, // August: only with periods=4
    { amount: 42_000, occurredOn: '2026-09-05', categoryId: groceries },
    { amount: 1_000, occurredOn: '2026-09-06', categoryId: transport },
    { amount: 5_000, occurredOn: '2026-09-30', categoryId: car },
    { amount: 47_350, occurredOn: '2026-10-15', categoryId: groceries },
    { amount: 30_000, occurredOn: '2026-11-01', categoryId: groceries },
    { amount: 16_920, occurredOn: '2026-11-30', categoryId: groceries },
    { amount: 2_001, occurredOn: '2026-11-18', categoryId: transport },
    { amount: 777, occurredOn: '2026-11-19' }, // uncategorized: in no category's figures
    { amount: 7_777, occurredOn: '2026-12-01', categoryId: groceries }, // December: not a complete period
    { amount: 3_000, occurredOn: '2026-12-02', categoryId: car }, // December: counts in the target's figures only
  ];
  for (const e of expenses) await addExpense(t.app, owner, budgetId, e);
});

describe('GET /limit-suggestions', () => {
  it('average-spent over the three complete months before today, by default', async () => {
    const { body, etag } = await suggestions(budgetId);
    const budget = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    expect(etag).toBe(budget.headers.get('etag'));
    expect(etag).toBe(`"${budget.json.version}"`);
    expect(body).toEqual({
      basis: 'average-spent',
      periods: 3,
      from: '2026-09-01',
      to: '2026-11-30',
      categories: [
        // 42,000 + 47,350 + 46,920 = 136,270; / 3 = 45,423.33, up: 45,424.
        { categoryId: groceries, name: 'Groceries', groupName: 'Everyday', limit: 40_000, suggested: 45_424, change: 5_424, unchanged: false, spent: [42_000, 47_350, 46_920] },
        // 1,000 + 0 + 2,001 = 3,001; / 3 = 1,000.33, up: 1,001.
        { categoryId: transport, name: 'Transport', limit: null, suggested: 1_001, change: 1_001, unchanged: false, spent: [1_000, 0, 2_001] },
        { categoryId: pets, name: 'Pets', limit: null, suggested: 0, change: 0, unchanged: false, spent: [0, 0, 0] },
        { categoryId: fun, name: 'Fun', limit: 5_000, suggested: 0, change: -5_000, unchanged: false, spent: [0, 0, 0] },
        // 5,000 / 3 = 1,666.67, up: 1,667.
        { categoryId: car, name: 'Car insurance', groupName: 'Bills', limit: 20_000, suggested: 1_667, change: -18_333, unchanged: false, spent: [5_000, 0, 0] },
      ],
      // 40,000 + 5,000 + 20,000; 45,424 + 1,001 + 0 + 0 + 1,667.
      totals: { limit: 65_000, suggested: 48_092 },
      patch: {
        categories: [
          { id: groceries, name: 'Groceries', limit: 45_424, group: 'Everyday' },
          { id: transport, name: 'Transport', limit: 1_001 },
          { id: pets, name: 'Pets' }, // no limit, spent nothing: keeps none
          { id: fun, name: 'Fun', limit: 0 }, // had a limit, spent nothing: 0
          { id: car, name: 'Car insurance', limit: 1_667, group: 'Bills', rollover: true, target: TARGET },
        ],
      },
    });
  });

  it('roundTo rounds every suggestion UP to a multiple; periods=4 reaches back to August', async () => {
    const { body } = await suggestions(budgetId, '?roundTo=500&date=2026-12-31');
    expect(body.categories.map((c: { suggested: number }) => c.suggested)).toEqual([45_500, 1_500, 0, 0, 2_000]);
    expect(body.totals).toEqual({ limit: 65_000, suggested: 49_000 });
    const four = (await suggestions(budgetId, '?periods=4')).body;
    expect(four).toMatchObject({ periods: 4, from: '2026-08-01', to: '2026-11-30' });
    // (99,999 + 136,270) / 4 = 59,067.25, up: 59,068.
    expect(four.categories[0]).toMatchObject({ suggested: 59_068, spent: [99_999, 42_000, 47_350, 46_920] });
  });

  it('last-period-spent: November alone', async () => {
    const { body } = await suggestions(budgetId, '?basis=last-period-spent');
    expect(body.basis).toBe('last-period-spent');
    expect(body.categories.map((c: { suggested: number; change: number }) => [c.suggested, c.change])).toEqual([
      [46_920, 6_920],
      [2_001, 2_001],
      [0, 0],
      [0, -5_000],
      [0, -20_000],
    ]);
    // Car insurance spent nothing in November: limit 0, its rollover and target kept (PATCH accepts it, see below).
    expect(body.patch.categories[4]).toEqual({ id: car, name: 'Car insurance', limit: 0, group: 'Bills', rollover: true, target: TARGET });
  });

  it("target: the savings target's neededPerPeriod in December; every other category unchanged", async () => {
    // Car insurance in December: carried from Aug..Nov = 4 x 20,000 - 5,000 = 75,000; available 95,000;
    // spent 3,000: remaining 92,000. Target 120,000 by 31 January: 2 periods left (December, January).
    // needed = ceil((120,000 - (92,000 - 20,000)) / 2) = 24,000 (the summary's own figure, checked below).
    const { body } = await suggestions(budgetId, '?basis=target');
    const summary = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary`);
    expect(summary.json.categories[4].target).toMatchObject({ periodsLeft: 2, neededPerPeriod: 24_000, status: 'behind' });
    expect(body.categories.map((c: { suggested: number; change: number; unchanged: boolean }) => [c.suggested, c.change, c.unchanged])).toEqual([
      [40_000, 0, true],
      [0, 0, true],
      [0, 0, true],
      [5_000, 0, true],
      [24_000, 4_000, false],
    ]);
    expect(body.totals).toEqual({ limit: 65_000, suggested: 69_000 });
    expect(body.patch.categories.map((c: { limit?: number }) => c.limit)).toEqual([40_000, undefined, undefined, 5_000, 24_000]);
    // Rounded up as the others: 24,000 -> 28,000 with roundTo 7,000.
    expect((await suggestions(budgetId, '?basis=target&roundTo=7000')).body.categories[4].suggested).toBe(28_000);
  });

  it('costs what the trends cost: the access BatchGetItem, then ONE Query of the running totals', async () => {
    for (const query of ['?periods=12', '?basis=target&periods=12']) {
      const { result, commands, sent } = await commandsSentDuring(t.doc, () => suggestionsRes(budgetId, query));
      expect(result.status, result.text).toBe(200);
      expect([...commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
      expect(sent.find((c) => c.name === 'QueryCommand')!.input).toMatchObject({ ConsistentRead: true });
    }
    const trends = await commandsSentDuring(t.doc, () => as(t.app, owner)('GET', `/v1/budgets/${budgetId}/trends?periods=12`));
    expect(trends.result.status).toBe(200);
    const ours = await commandsSentDuring(t.doc, () => suggestionsRes(budgetId, '?periods=12'));
    expect([...ours.commands].sort()).toEqual([...trends.commands].sort());
  });

  it('its patch, sent with If-Match: the ETag, is accepted; the summary then shows the new limits, nothing else changed', async () => {
    const before = (await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`)).json;
    const { body, etag } = await suggestions(budgetId, '?roundTo=500');
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: body.patch, headers: { 'If-Match': etag! } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${before.version + 1}"`);
    // Only the limits moved: groups, rollover, rolloverSince and the target are as they were.
    expect(res.json.categories).toEqual([
      { id: groceries, name: 'Groceries', limit: 45_500, group: 'Everyday' },
      { id: transport, name: 'Transport', limit: 1_500 },
      { id: pets, name: 'Pets' },
      { id: fun, name: 'Fun', limit: 0 },
      { id: car, name: 'Car insurance', limit: 2_000, group: 'Bills', rollover: true, rolloverSince: '2026-08-01', target: TARGET },
    ]);
    expect(before.categories[4]).toEqual({ ...res.json.categories[4], limit: 20_000 });
    const summary = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.categories.map((c: { limit: number | null }) => c.limit)).toEqual([45_500, 1_500, null, 0, 2_000]);
    // Limit history (changed with it: before it, limits were not versioned and this carried 4 x 2,000 - 5,000):
    // the PATCH applies from December on, so August to November keep their 20,000. Car insurance carries
    // 4 x 20,000 - 5,000 = 75,000; available 2,000 + 75,000 = 77,000; spent 3,000: remaining 74,000.
    expect(summary.json.categories[4]).toMatchObject({ carriedOver: 75_000, available: 77_000, remaining: 74_000 });
  });

  it('a change in between makes the If-Match a 412, and nothing is written; with the new ETag it goes through', async () => {
    // The target suggestion at the new limit: remaining 74,000 (limit history, above), needed =
    // ceil((120,000 - (74,000 - 2,000)) / 2) = 24,000 (60,000 when limits were not versioned).
    const { body, etag } = await suggestions(budgetId, '?basis=target');
    expect(body.categories[4]).toMatchObject({ limit: 2_000, suggested: 24_000, change: 22_000 });
    const renamed = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { name: 'Home' } });
    expect(renamed.status, renamed.text).toBe(200);
    expectProblem(await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: body.patch, headers: { 'If-Match': etag! } }), 412);
    expect((await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`)).json.categories[4].limit).toBe(2_000);
    const fresh = await suggestions(budgetId, '?basis=target');
    expect(fresh.etag).toBe(renamed.headers.get('etag'));
    const ok = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: fresh.body.patch, headers: { 'If-Match': fresh.etag! } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.categories.map((c: { limit?: number }) => c.limit)).toEqual([45_500, 1_500, undefined, 0, 24_000]);
  });

  it('a suggestion of 0 for a rollover category with a target is limit 0, which PATCH accepts: rollover and target stay', async () => {
    const { body, etag } = await suggestions(budgetId, '?basis=last-period-spent');
    expect(body.patch.categories[4]).toEqual({ id: car, name: 'Car insurance', limit: 0, group: 'Bills', rollover: true, target: TARGET });
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: body.patch, headers: { 'If-Match': etag! } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.categories[4]).toEqual({ id: car, name: 'Car insurance', limit: 0, group: 'Bills', rollover: true, rolloverSince: '2026-08-01', target: TARGET });
    // The summary still computes its line; August to November keep their 20,000 (limit history; before it, 4 x 0 - 5,000
    // = -5,000 was carried): carried 4 x 20,000 - 5,000 = 75,000; available 0 + 75,000; spent 3,000: remaining 72,000.
    const summary = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.categories[4]).toMatchObject({ limit: 0, carriedOver: 75_000, available: 75_000, remaining: 72_000 });
  });
});

describe('GET /limit-suggestions access and validation', () => {
  it('is readable by a viewer; a stranger and an unknown budget get 404', async () => {
    const viewer = await signup(t.app, 'viewer');
    await addMember(t.app, owner, budgetId, viewer, 'viewer');
    expect((await suggestions(budgetId, '?basis=last-period-spent', viewer)).body.categories[0].suggested).toBe(46_920);
    const stranger = await signup(t.app, 'stranger');
    expectProblem(await suggestionsRes(budgetId, '', stranger), 404);
    expectProblem(await suggestionsRes('01JDQ4V8M7ZK3X9A2B5C6D7E8F'), 404);
  });

  it.each(['average', '', 'TARGET', 'target&basis=target'])('refuses basis=%s naming query.basis', async (basis) => {
    expectProblem(await suggestionsRes(budgetId, `?basis=${basis}`), 400, ['query.basis']);
  });

  it.each(['0', '13', '-1', '1.5', 'abc', ''])('refuses periods=%s naming query.periods', async (periods) => {
    expectProblem(await suggestionsRes(budgetId, `?periods=${periods}`), 400, ['query.periods']);
  });

  it.each(['0', '100001', '-5', '2.5', 'ten', ''])('refuses roundTo=%s naming query.roundTo', async (roundTo) => {
    expectProblem(await suggestionsRes(budgetId, `?roundTo=${roundTo}`), 400, ['query.roundTo']);
  });

  it.each(['2026-02-30', '2026-1-05', 'today', ''])('refuses date=%s naming query.date', async (date) => {
    expectProblem(await suggestionsRes(budgetId, `?date=${date}`), 400, ['query.date']);
  });

  it('accepts the bounds (periods 1 and 12, roundTo 1 and 100000) and names an unknown parameter', async () => {
    expect((await suggestions(budgetId, '?periods=1&roundTo=100000')).body).toMatchObject({ periods: 1, from: '2026-11-01', to: '2026-11-30' });
    expect((await suggestions(budgetId, '?periods=12&roundTo=1')).body.from).toBe('2025-12-01');
    expectProblem(await suggestionsRes(budgetId, '?limit=3'), 400, ['query.limit']);
  });
});

/**
 * The target basis suggests the limit that reaches the target, so the patch applied leaves it
 * funded or on track: a funded target keeps the pace from here to its date (not limit 0, which
 * took this period's limit out of what is set aside), and a target whose date has passed gets
 * its shortfall ON TOP of what this period's limit already adds (not the shortfall as the limit).
 */
describe('GET /limit-suggestions?basis=target: the patch applied reaches the target', () => {
  it('a funded target and one whose date has passed are funded or on track after the patch', async () => {
    // Created 10 August (monthly, UTC): both categories roll over from August, nothing spent.
    await setClock('2026-08-10T09:00:00Z');
    const budget = await createBudget(t.app, owner, {
      name: 'Sinking funds',
      limit: 100_000,
      categories: [
        { name: 'Holiday', limit: 20_000, rollover: true, target: { amount: 70_000, by: '2027-06-30' } },
        { name: 'Tax bill', limit: 20_000, rollover: true, target: { amount: 90_000, by: '2026-10-31' } },
      ],
    });
    await setClock('2026-11-20T12:00:00Z');
    const before = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary`);
    // November: each carries Aug..Oct = 3 x 20,000 = 60,000; available 80,000; remaining 80,000.
    // Holiday: funded (80,000 >= 70,000), periods Nov..Jun = 8. Tax bill: 31 October passed, 10,000 short.
    expect(before.json.categories.map((c: { target: unknown }) => c.target)).toEqual([
      { amount: 70_000, by: '2027-06-30', periodsLeft: 8, neededPerPeriod: 0, status: 'funded' },
      { amount: 90_000, by: '2026-10-31', periodsLeft: 0, neededPerPeriod: 10_000, status: 'behind' },
    ]);
    const { body, etag } = await suggestions(budget.id, '?basis=target&roundTo=1');
    // Holiday: what was set aside before November's limit is 60,000; the pace from here through June:
    // ceil((70,000 - 60,000) / 8) = 1,250. Tax bill: needed at once, in November's limit: 90,000 - 60,000 = 30,000.
    expect(body.categories.map((c: { suggested: number }) => c.suggested)).toEqual([1_250, 30_000]);
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: body.patch, headers: { 'If-Match': etag! } });
    expect(res.status, res.text).toBe(200);
    const after = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary`);
    // Holiday: 61,250 now, + 7 x 1,250 = 70,000 by June: on track. Tax bill: 60,000 + 30,000 = 90,000: funded.
    expect(after.json.categories.map((c: { remaining: number; target: { status: string } }) => [c.remaining, c.target.status])).toEqual([
      [61_250, 'on-track'],
      [90_000, 'funded'],
    ]);
  });
});
