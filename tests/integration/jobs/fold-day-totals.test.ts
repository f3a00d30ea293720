import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DayTotalsFold } from '../../../packages/expenses/src/repository/day-totals-fold';
import { addExpense, as, createBudget, signUp, type Actor, type CreatedBudget } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { partition } from './seed';

/**
 * Running totals written before 2026-11-30: a day item and a month item per (date, shard),
 * the month item holding only month-level figures. The operator job
 * `expenses-fold-day-totals` folds each day item into its month item as d<DD>_ figures; the
 * result is exactly what the new code writes, and a second run (or two at once) changes nothing.
 */
const JOB = 'expenses-fold-day-totals';
let t: TestSystem;
let owner: Actor;
let budget: CreatedBudget;
const totalsPk = () => `expenses#totals#${budget.id}`;
const ctx = () => ({ logger: t.system.deps.logger });
const DAY_FIGURE = /^d(\d{2})_(.+)$/;

/** The budget's totals partition, zero figures left out (the old layout kept zeros on day items only). */
async function totalsItems() {
  const items = await partition(t, totalsPk());
  return items
    .map((i) => Object.fromEntries(Object.entries(i).filter(([, v]) => v !== 0)))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
}

/** Rewrites the budget's month items as the code before 2026-11-30 stored them: day figures on day items. */
async function toOldLayout() {
  for (const month of await partition(t, totalsPk())) {
    const monthLevel: Record<string, unknown> = {};
    const days = new Map<string, Record<string, number>>();
    for (const [name, value] of Object.entries(month)) {
      const m = DAY_FIGURE.exec(name);
      if (!m) monthLevel[name] = value;
      else days.set(m[1]!, { ...days.get(m[1]!), [m[2]!]: value as number });
    }
    const [, , yearMonth, shard] = String(month.sk).split('#');
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: monthLevel }));
    for (const [day, figures] of days) {
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: month.pk, sk: `expenses#day#${yearMonth}-${day}#${shard}`, ...figures } }));
    }
  }
}

beforeAll(async () => {
  t = await createTestSystem({ clock: fixedClock('2026-10-01T08:00:00Z') });
  owner = await signUp(t.app, 'fold-owner');
  budget = await createBudget(t.app, owner, { categories: [{ name: 'Food' }, { name: 'Home' }], limit: 10_000_000 });
  const [food, home] = budget.categories.map((c) => c.id);
  const bodies = [
    { amount: 1200, occurredOn: '2026-10-03', categoryId: food },
    { amount: 300, occurredOn: '2026-10-03', categoryId: null },
    { amount: 4500, occurredOn: '2026-10-12', categoryId: home },
    { amount: 777, occurredOn: '2026-10-20', categoryId: food },
    { amount: 150, occurredOn: '2026-10-31', categoryId: null },
    { amount: 2000, occurredOn: '2026-11-01', categoryId: home },
    { amount: 60, occurredOn: '2026-11-15', categoryId: food },
    { amount: 999, occurredOn: '2026-11-15', categoryId: home },
  ];
  for (const body of bodies) await addExpense(t.app, owner, budget.id, body);
  // One expense deleted: its day's figures net to zero.
  const gone = await addExpense(t.app, owner, budget.id, { amount: 5000, occurredOn: '2026-10-25', categoryId: food });
  expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/expenses/${gone.id}`, { headers: { 'if-match': '"1"' } })).status).toBe(204);
});
afterAll(() => t.destroy());

describe('folding the old day items into the month items', { timeout: 120_000 }, () => {
  it('gives exactly the new layout, and ranges cut by the day are exact again; a second run changes nothing', async () => {
    const written = await totalsItems();
    const spending = t.system.facades.spending;
    await toOldLayout();
    expect((await partition(t, totalsPk())).some((i) => String(i.sk).startsWith('expenses#day#'))).toBe(true);
    // Unfolded, a range that cuts a month cannot see the old days (why the job must run)...
    expect((await spending.totalsBetween(budget.id, '2026-10-01', '2026-10-15')).total).toBe(0);
    // ...whole months can: the old month items hold the month-level figures.
    expect((await spending.totalsBetween(budget.id, '2026-10-01', '2026-11-30')).total).toBe(1200 + 300 + 4500 + 777 + 150 + 2000 + 60 + 999);

    await t.system.jobs.plan(JOB, new Date('2026-12-01T00:00:00Z'), ctx());
    expect(t.system.jobs.metrics.totals(JOB).UnitsProcessed).toBeGreaterThanOrEqual(1);
    expect(await totalsItems()).toEqual(written);
    const [food, home] = budget.categories.map((c) => c.id);
    expect(await spending.totalsBetween(budget.id, '2026-10-01', '2026-10-15')).toEqual({ total: 6000, byCategory: { [food!]: 1200, [home!]: 4500 }, uncategorized: 300 });
    expect(await spending.totalsBetween(budget.id, '2026-10-20', '2026-11-01')).toEqual({ total: 2927, byCategory: { [food!]: 777, [home!]: 2000 }, uncategorized: 150 });
    expect((await spending.totalsAndDays(budget.id, [], { from: '2026-11-01', to: '2026-11-30' })).days).toEqual([
      { date: '2026-11-01', total: 2000 },
      { date: '2026-11-15', total: 1059 },
    ]);

    await t.system.jobs.plan(JOB, new Date('2026-12-01T01:00:00Z'), ctx());
    expect(await totalsItems()).toEqual(written);
  });

  it('two folds of one budget at once count every day once', async () => {
    await createBudget(t.app, owner); // another budget, nothing to fold: one Query
    const written = await totalsItems();
    await toOldLayout();
    const dayItems = (await partition(t, totalsPk())).filter((i) => String(i.sk).startsWith('expenses#day#')).length;
    // 03, 12, 20, 25, 31 of October and 01, 15 of November, in one shard or more each.
    expect(dayItems).toBeGreaterThanOrEqual(7);
    const fold = new DayTotalsFold(t.system.deps.storeFor('expenses'));
    const deadline = Date.now() + 60_000;
    const runs = await Promise.all([fold.foldSome(budget.id, deadline), fold.foldSome(budget.id, deadline)]);
    expect(runs.every((r) => r.finished)).toBe(true);
    // Each day item folded by exactly one of them.
    expect(runs[0]!.folded + runs[1]!.folded).toBe(dayItems);
    expect(await totalsItems()).toEqual(written);
  });

  it('a day item changed after it was read is not folded with its old figures', async () => {
    const written = await totalsItems();
    await toOldLayout();
    const day = (await partition(t, totalsPk())).find((i) => String(i.sk).startsWith('expenses#day#2026-10-12#'))!;
    // As if an old container ADDed to it between the fold's read and its write: the fold's
    // condition fails, and the next round folds the new figures.
    const store = t.system.deps.storeFor('expenses');
    const fold = new DayTotalsFold(store);
    const query = store.query.bind(store);
    let first = true;
    store.query = (async (input: Parameters<typeof store.query>[0]) => {
      const page = await query(input);
      if (first) {
        first = false;
        await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...day, total: day.total + 1 } }));
      }
      return page;
    }) as typeof store.query;
    try {
      expect((await fold.foldSome(budget.id, Date.now() + 60_000)).finished).toBe(true);
    } finally {
      store.query = query;
    }
    const items = await totalsItems();
    const month = items.find((i) => i.sk === String(day.sk).replace('day#2026-10-12', 'month#2026-10'))!;
    const before = written.find((i) => i.sk === month.sk)!;
    expect(month.d12_total).toBe(before.d12_total + 1);
    expect(items.filter((i) => i.sk !== month.sk)).toEqual(written.filter((i) => i.sk !== month.sk));
  });
});
