import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { theEvent } from '../../support/events';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * Limit history through HTTP on DynamoDB Local: a PATCH of a limit applies from the current
 * period on (earlier periods keep theirs, rollover carries their old limits), unless
 * `limitChangesApplyTo: "allPeriods"`. Every expected amount is worked out by hand.
 */
const clock = fixedClock('2026-08-15T09:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const setClock = (when: string) => setClockFor(t, clock, owner, when);
const summary = async (budgetId: string, date: string) => {
  const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=${date}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const patch = (budgetId: string, body: unknown) => as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body });

let budgetId: string;
let food: string;

describe('limit history', { timeout: 60_000 }, () => {
  it('a monthly rollover budget created in August: no history shown (the answer as before)', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, rollover: true, categories: [{ name: 'Food', limit: 4_000, rollover: true }] });
    budgetId = budget.id;
    food = budget.categories[0]!.id;
    expect('limitHistory' in budget).toBe(false);
    // August spending: 3,000 on food, 3,000 uncategorized.
    await addExpense(t.app, owner, budgetId, { amount: 3_000, occurredOn: '2026-08-10', categoryId: food });
    await addExpense(t.app, owner, budgetId, { amount: 3_000, occurredOn: '2026-08-12' });
    // A PATCH in the budget's first period records nothing (no earlier period exists).
    const first = await patch(budgetId, { limit: 10_000, categories: [{ id: food, name: 'Food', limit: 4_000, rollover: true }] });
    expect(first.status, first.text).toBe(200);
    expect('limitHistory' in first.json).toBe(false);
  });

  it('a PATCH in September applies from September: August keeps 10,000 and Food 4,000', async () => {
    await setClock('2026-09-10T12:00:00Z');
    const res = await patch(budgetId, { limit: 12_000, categories: [{ id: food, name: 'Food', limit: 5_000, rollover: true }] });
    expect(res.status, res.text).toBe(200);
    expect(res.json.limitHistory).toEqual([
      { before: '2026-09-01', limit: 10_000 },
      { before: '2026-09-01', categoryId: food, limit: 4_000 },
    ]);
    expect((await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`)).json.limitHistory).toEqual(res.json.limitHistory);

    const august = await summary(budgetId, '2026-08-20');
    expect(august).toMatchObject({ periodStart: '2026-08-01', limit: 10_000, carriedOver: 0, available: 10_000, spent: 6_000, remaining: 4_000 });
    expect(august.categories[0]).toMatchObject({ categoryId: food, limit: 4_000, carriedOver: 0, available: 4_000, spent: 3_000, remaining: 1_000 });

    // September carries August's OLD limits: 10,000 - 6,000 = 4,000 (not 12,000 - 6,000), Food 4,000 - 3,000 = 1,000.
    const september = await summary(budgetId, '2026-09-20');
    expect(september).toMatchObject({ periodStart: '2026-09-01', limit: 12_000, carriedOver: 4_000, available: 16_000, spent: 0, remaining: 16_000 });
    expect(september.categories[0]).toMatchObject({ categoryId: food, limit: 5_000, carriedOver: 1_000, available: 6_000, remaining: 6_000 });

    // The trends list each period at its own limits, as its summary.
    const trends = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/trends?periods=2&date=2026-09-20`);
    expect(trends.status, trends.text).toBe(200);
    expect(trends.json.periods.map((p: { limit: number; carriedOver: number }) => [p.limit, p.carriedOver])).toEqual([
      [10_000, 0],
      [12_000, 4_000],
    ]);
  });

  it('a second change in September keeps what applied before it (10,000), not the intermediate 12,000', async () => {
    const res = await patch(budgetId, { limit: 11_000 });
    expect(res.status, res.text).toBe(200);
    expect(res.json.limitHistory).toEqual([
      { before: '2026-09-01', limit: 10_000 },
      { before: '2026-09-01', categoryId: food, limit: 4_000 },
    ]);
    expect(await summary(budgetId, '2026-08-20')).toMatchObject({ limit: 10_000 });
    expect(await summary(budgetId, '2026-09-20')).toMatchObject({ limit: 11_000, carriedOver: 4_000, available: 15_000 });
  });

  it('"allPeriods" re-values August too and drops that limit\'s history (Food keeps its own)', async () => {
    const res = await patch(budgetId, { limit: 13_000, limitChangesApplyTo: 'allPeriods' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.limitHistory).toEqual([{ before: '2026-09-01', categoryId: food, limit: 4_000 }]);
    expect(await summary(budgetId, '2026-08-20')).toMatchObject({ limit: 13_000, remaining: 7_000 });
    // 13,000 - 6,000 carried into September.
    expect(await summary(budgetId, '2026-09-20')).toMatchObject({ limit: 13_000, carriedOver: 7_000, available: 20_000 });
  });

  it('a time zone moved west, back into the period before a change: the next change applies from that period, the earlier ones keep theirs', async () => {
    // Created in October on Kiritimati (UTC+14).
    await setClock('2026-10-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, timezone: 'Pacific/Kiritimati' });
    // 30 November 12:00 UTC is already 1 December 02:00 there: 20,000 from December, November keeps 10,000.
    await setClock('2026-11-30T12:00:00Z');
    const december = await patch(budget.id, { limit: 20_000 });
    expect(december.status, december.text).toBe(200);
    expect(december.json.limitHistory).toEqual([{ before: '2026-12-01', limit: 10_000 }]);
    // Moved to Honolulu (UTC-10): 30 November 02:00 there, November is the current period again.
    const moved = await patch(budget.id, { timezone: 'Pacific/Honolulu' });
    expect(moved.status, moved.text).toBe(200);
    // 30,000 from the current period (November) on: October keeps the 10,000 it had, November and December are 30,000.
    const november = await patch(budget.id, { limit: 30_000 });
    expect(november.status, november.text).toBe(200);
    expect([(await summary(budget.id, '2026-10-15')).limit, (await summary(budget.id, '2026-11-15')).limit, (await summary(budget.id, '2026-12-15')).limit]).toEqual([
      10_000, 30_000, 30_000,
    ]);
    expect(november.json.limitHistory).toEqual([{ before: '2026-11-01', limit: 10_000 }]);
  });

  it('names limitChangesApplyTo when it is not one of its values', async () => {
    expectProblem(await patch(budgetId, { limit: 1, limitChangesApplyTo: 'sometimes' }), 400, ['limitChangesApplyTo']);
  });

  it('a copy starts with its limits and no history', async () => {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/copy`, { body: { name: 'Copy' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ limit: 13_000 });
    expect('limitHistory' in res.json).toBe(false);
  });

  it('a change of period kind drops the history (its periods are gone)', async () => {
    const res = await patch(budgetId, { period: 'weekly' });
    expect(res.status, res.text).toBe(200);
    expect('limitHistory' in res.json).toBe(false);
  });

  it('at the cap of 240 entries a PATCH adding one is a 422 naming `limit`, the budget unchanged; one adding none and "allPeriods" still pass', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, categories: [{ name: 'Rent', limit: 4_000 }] });
    // Seeded on the item (240 PATCHes across 240 periods would be 240 clock moves): the budget's own limit
    // before each month start from 2006-09-01 to 2026-08-01 (20 years x 12 = 240), 5,000 and 6,000 in turn,
    // so no entry equals the one after it (or the current 10,000) and every one survives normalization.
    const seeded = Array.from({ length: 240 }, (_, i) => {
      const month = 8 + i; // months since 2006-01, zero-based: 2006-09 first
      const before = `${2006 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
      return { before, limit: i % 2 === 0 ? 5_000 : 6_000 };
    });
    expect([seeded[0]!.before, seeded[239]!.before]).toEqual(['2006-09-01', '2026-08-01']);
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: { pk: `budgets#budget#${budget.id}`, sk: 'budgets#budget' },
        UpdateExpression: 'SET limitHistory = :h',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':h': seeded },
      }),
    );
    await setClock('2026-09-10T12:00:00Z');
    const before = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}`);
    expect(before.status, before.text).toBe(200);
    expect(before.json.limitHistory).toEqual(seeded);

    // Changing the budget's limit in September would add {before: 2026-09-01, limit: 10,000}: the 241st.
    const refused = await patch(budget.id, { limit: 12_000 });
    expectProblem(refused, 422, ['limit']);
    expect(refused.json.errors.find((e: { path: string }) => e.path === 'limit').message).toContain('allPeriods');
    // A category's limit too: its first entry would be the 241st.
    const rent = budget.categories[0]!;
    expectProblem(await patch(budget.id, { categories: [{ id: rent.id, name: 'Rent', limit: 4_500 }] }), 422, ['limit']);
    // Nothing written: the same budget, version and history.
    const after = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}`);
    expect(after.json).toEqual(before.json);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));

    // A PATCH adding no entry passes at the cap (the 240 kept); "allPeriods" drops the budget limit's entries.
    const renamed = await patch(budget.id, { name: 'Capped' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.limitHistory).toHaveLength(240);
    const everywhere = await patch(budget.id, { limit: 12_000, limitChangesApplyTo: 'allPeriods' });
    expect(everywhere.status, everywhere.text).toBe(200);
    expect(everywhere.json.limit).toBe(12_000);
    expect('limitHistory' in everywhere.json).toBe(false);
  });

  it("removing a category's limit keeps the money moved in earlier periods: August keeps the limits it had, its assigned amounts too", async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, categories: [{ name: 'Food', limit: 4_000 }, { name: 'Fun', limit: 1_000 }] });
    const [foodId, funId] = budget.categories.map((c) => c.id);
    // August: 500 moved from Food to Fun (Food 3,500, Fun 1,500).
    const moved = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/move-money`, { body: { from: foodId, to: funId, amount: 500, date: '2026-08-20' } });
    expect(moved.status, moved.text).toBe(200);
    await setClock('2026-09-10T12:00:00Z');
    // September: Fun's limit removed, from September on.
    const res = await patch(budget.id, { categories: [{ id: foodId, name: 'Food', limit: 4_000 }, { id: funId, name: 'Fun' }] });
    expect(res.status, res.text).toBe(200);
    expect(res.json.limitHistory).toEqual([{ before: '2026-09-01', categoryId: funId, limit: 1_000 }]);
    // August keeps the limits it had: Fun's 1,500 after the move, not its base 1,000.
    const august = await summary(budget.id, '2026-08-20');
    expect(august.categories.map((c: { limit: number | null }) => c.limit)).toEqual([3_500, 1_500]);
    const assignable = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/assignable?month=2026-08`);
    expect(assignable.status, assignable.text).toBe(200);
    expect(assignable.json.assigned).toBe(5_000);
    // September: Fun has no limit.
    const september = await summary(budget.id, '2026-09-20');
    expect(september.categories.map((c: { limit: number | null }) => c.limit)).toEqual([4_000, null]);
    // Clearing August's override of Fun puts August back at the limit it had then (1,000), as its event says.
    const cleared = await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/period-limits?categoryId=${funId}`);
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.periodLimits).toEqual([{ periodStart: '2026-08-01', categoryId: foodId, limit: 3_500 }]);
    const event = await theEvent(t, 'budget.updated', { budgetId: budget.id, version: cleared.json.version });
    expect(event.envelope.data.changes.periodLimits.after).toEqual([{ periodStart: '2026-08-01', categoryId: funId, limit: 1_000 }]);
    expect((await summary(budget.id, '2026-08-20')).categories.map((c: { limit: number | null }) => c.limit)).toEqual([3_500, 1_000]);
  });

  it('money moved into a period in which the category had no limit, and moved back, leaves that period as it was; setting the 0 it starts from writes nothing', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, categories: [{ name: 'Food', limit: 4_000 }] });
    const foodId = budget.categories[0]!.id;
    await setClock('2026-09-10T12:00:00Z');
    // Gifts is added in September with 1,000: August had no Gifts limit.
    const added = await patch(budget.id, { categories: [{ id: foodId, name: 'Food', limit: 4_000 }, { name: 'Gifts', limit: 1_000 }] });
    expect(added.status, added.text).toBe(200);
    const giftsId = added.json.categories[1].id as string;
    const move = (from: string, to: string) =>
      as(t.app, owner)('POST', `/v1/budgets/${budget.id}/move-money`, { body: { from, to, amount: 500, date: '2026-08-20' } });
    const there = await move(foodId, giftsId);
    expect(there.status, there.text).toBe(200);
    expect((await summary(budget.id, '2026-08-20')).categories.map((c: { limit: number | null }) => c.limit)).toEqual([3_500, 500]);
    // And back: both overrides go ("moving money back removes both"), August is as before the moves.
    const back = await move(giftsId, foodId);
    expect(back.status, back.text).toBe(200);
    expect(back.json.periodLimits).toEqual([]);
    expect((await summary(budget.id, '2026-08-20')).categories.map((c: { limit: number | null }) => c.limit)).toEqual([4_000, null]);
    // Gifts' August limit is 0 for a set (what a move starts from): setting 0 is the limit it already has, nothing written.
    const set = await as(t.app, owner)('PUT', `/v1/budgets/${budget.id}/period-limits`, { body: { categoryId: giftsId, limit: 0, date: '2026-08-20' } });
    expect(set.status, set.text).toBe(200);
    expect(set.json.version).toBe(back.json.version);
    expect(set.json.periodLimits).toEqual([]);
  });

  it("removing the limit of a category given one in this period keeps the money moved into it in earlier periods", async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, categories: [{ name: 'Food', limit: 4_000 }] });
    const foodId = budget.categories[0]!.id;
    await setClock('2026-09-10T12:00:00Z');
    // September: Gifts added with 1,000, 500 moved into it for August (Food 3,500, Gifts 500 there).
    const added = await patch(budget.id, { categories: [{ id: foodId, name: 'Food', limit: 4_000 }, { name: 'Gifts', limit: 1_000 }] });
    expect(added.status, added.text).toBe(200);
    const giftsId = added.json.categories[1].id as string;
    const moved = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/move-money`, { body: { from: foodId, to: giftsId, amount: 500, date: '2026-08-20' } });
    expect(moved.status, moved.text).toBe(200);
    // Still September: Gifts' limit removed, from September on. August keeps what it had, as any earlier period.
    const removed = await patch(budget.id, { categories: [{ id: foodId, name: 'Food', limit: 4_000 }, { id: giftsId, name: 'Gifts' }] });
    expect(removed.status, removed.text).toBe(200);
    expect((await summary(budget.id, '2026-08-20')).categories.map((c: { limit: number | null }) => c.limit)).toEqual([3_500, 500]);
    const assignable = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/assignable?month=2026-08`);
    expect(assignable.status, assignable.text).toBe(200);
    expect(assignable.json.assigned).toBe(4_000);
    expect((await summary(budget.id, '2026-09-20')).categories.map((c: { limit: number | null }) => c.limit)).toEqual([4_000, null]);
    // A later write normalizing the overrides again (a rename) keeps it too.
    const renamed = await patch(budget.id, { name: 'Home' });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await summary(budget.id, '2026-08-20')).categories.map((c: { limit: number | null }) => c.limit)).toEqual([3_500, 500]);
  });
});
