import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import { systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import {
  addExpense,
  asUser,
  createBudget,
  deliver,
  itemsUnder,
  outboxEvents,
  signup,
  tableItems,
  theEvent,
  type OutboxEvent,
  type User,
} from './support';

/**
 * budgets-on-expenses: expense events make budgets re-check the thresholds of the expense's
 * period, and budget.threshold_crossed is published exactly once per (period, scope,
 * threshold), whatever the order, duplicates or concurrency of the deliveries.
 */
let t: TestSystem;
let alice: User;

beforeAll(async () => ({ t, account: alice } = await systemWithAccount(signup, 'alice')));
afterAll(() => t.destroy());

/** Records an expense over HTTP and returns its expense.recorded outbox event (not delivered). */
async function record(budgetId: string, amount: number, occurredOn = '2026-11-10', categoryId?: string): Promise<OutboxEvent> {
  const expense = await addExpense(t.app, alice, budgetId, { amount, occurredOn, ...(categoryId ? { categoryId } : {}) });
  return theEvent(t, 'expense.recorded', { expenseId: expense.id });
}

async function crossings(budgetId: string) {
  return (await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === budgetId).map((e) => e.envelope.data);
}

async function summary(budgetId: string, date = '2026-11-24') {
  const res = await asUser(t.app, alice)('GET', `/v1/budgets/${budgetId}/summary?date=${date}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

const markers = async (budgetId: string) => (await itemsUnder(t, `budgets#thresholds#${budgetId}`)).map((m) => m.sk as string);

describe('budget.threshold_crossed', { timeout: 120_000 }, () => {
  it('is published once when spending first reaches each threshold of the budget limit, with the currency its amounts are in', async () => {
    const budget = await createBudget(t.app, alice, { limit: 10_000, currency: 'JPY' });

    await deliver(t, await record(budget.id, 5_000));
    expect(await crossings(budget.id)).toEqual([]);

    await deliver(t, await record(budget.id, 3_000)); // 8,000 = 80%
    expect(await crossings(budget.id)).toEqual([
      {
        budgetId: budget.id,
        periodStart: '2026-11-01',
        periodEnd: '2026-11-30',
        scope: 'budget',
        categoryId: null,
        threshold: 80,
        spent: 8_000,
        limit: 10_000,
        // A receiver cannot tell 8,000 yen from 80.00 dollars without it (as budget.overspend_projected carries it).
        currency: 'JPY',
      },
    ]);

    await deliver(t, await record(budget.id, 2_500)); // 10,500 = 105%
    await deliver(t, await record(budget.id, 700)); // still above: nothing new
    const all = await crossings(budget.id);
    expect(all.map((c) => [c.threshold, c.spent])).toEqual([
      [80, 8_000],
      [100, 10_500],
    ]);
    expect(await markers(budget.id)).toEqual([
      'budgets#threshold#2026-11-01#2026-11-30#budget#100',
      'budgets#threshold#2026-11-01#2026-11-30#budget#80',
    ]);
    expect((await summary(budget.id)).thresholdsCrossed).toEqual([
      { scope: 'budget', categoryId: null, threshold: 80 },
      { scope: 'budget', categoryId: null, threshold: 100 },
    ]);
  });

  it("uses a category's own limit for that category, and only the period of the expense", async () => {
    const budget = await createBudget(t.app, alice, {
      limit: 100_000,
      alertThresholds: [50, 100],
      categories: [{ name: 'Food', limit: 2_000 }, { name: 'Fun' }],
    });
    const [food, fun] = [budget.categories[0]!, budget.categories[1]!];

    await deliver(t, await record(budget.id, 1_200, '2026-11-03', food.id)); // food 60%
    await deliver(t, await record(budget.id, 40_000, '2026-11-04', fun.id)); // no limit of its own
    await deliver(t, await record(budget.id, 1_000, '2026-10-31', food.id)); // October's period
    expect((await crossings(budget.id)).map((c) => [c.periodStart, c.scope, c.categoryId, c.threshold, c.spent, c.limit])).toEqual([
      ['2026-11-01', 'category', food.id, 50, 1_200, 2_000],
      ['2026-10-01', 'category', food.id, 50, 1_000, 2_000],
    ]);

    await deliver(t, await record(budget.id, 10_000, '2026-11-20')); // budget 51,200 of 100,000
    expect((await crossings(budget.id)).map((c) => [c.periodStart, c.scope, c.threshold])).toEqual([
      ['2026-11-01', 'category', 50],
      ['2026-10-01', 'category', 50],
      ['2026-11-01', 'budget', 50],
    ]);
    expect((await summary(budget.id)).thresholdsCrossed).toEqual([
      { scope: 'budget', categoryId: null, threshold: 50 },
      { scope: 'category', categoryId: food.id, threshold: 50 },
    ]);
    expect((await summary(budget.id, '2026-10-15')).thresholdsCrossed).toEqual([{ scope: 'category', categoryId: food.id, threshold: 50 }]);
  });

  it('reacts to expense.updated: an expense moved into a category can cross its limit', async () => {
    const budget = await createBudget(t.app, alice, { limit: 100_000, categories: [{ name: 'Food', limit: 1_000 }] });
    const food = budget.categories[0]!.id;
    const recorded = await record(budget.id, 900);
    await deliver(t, recorded);
    const res = await asUser(t.app, alice)('PATCH', `/v1/budgets/${budget.id}/expenses/${recorded.envelope.data.expenseId}`, {
      body: { categoryId: food },
    });
    expect(res.status, res.text).toBe(200);
    await deliver(t, await theEvent(t, 'expense.updated', { expenseId: recorded.envelope.data.expenseId }));
    expect((await crossings(budget.id)).map((c) => [c.scope, c.categoryId, c.threshold, c.spent])).toEqual([['category', food, 80, 900]]);
  });

  it('reacts to expense.updated: a refund moved to another period raises the spending of the period it left, which can cross', async () => {
    const budget = await createBudget(t.app, alice, { limit: 10_000, categories: [{ name: 'Shoes', limit: 5_000 }] });
    const shoes = budget.categories[0]!.id;
    const api = asUser(t.app, alice);
    await deliver(t, await record(budget.id, 4_500, '2026-11-20', shoes)); // shoes 90% (crosses 80), budget 45%
    await deliver(t, await record(budget.id, 4_000, '2026-11-21')); // budget 85%: crosses 80
    const refund = await addExpense(t.app, alice, budget.id, { amount: 4_000, occurredOn: '2026-11-30', categoryId: shoes, refund: true });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: refund.id })); // budget 45%, shoes 10%
    expect((await crossings(budget.id)).map((c) => [c.scope, c.threshold, c.spent])).toEqual([
      ['category', 80, 4_500],
      ['budget', 80, 8_500],
    ]);

    await deliver(t, await record(budget.id, 1_600, '2026-11-25')); // budget 6,100 while the refund counts
    // The refund really happened on 1 December: moved there, November's spending goes UP by its
    // 4,000 (10,100 of 10,000), and December's down.
    const moved = await api('PATCH', `/v1/budgets/${budget.id}/expenses/${refund.id}`, { body: { occurredOn: '2026-12-01' } });
    expect(moved.status, moved.text).toBe(200);
    await deliver(t, await theEvent(t, 'expense.updated', { expenseId: refund.id }));
    expect((await summary(budget.id)).spent).toBe(10_100);
    // November's 100% of the budget is reached by the move itself: announced with the move's event.
    expect((await crossings(budget.id)).map((c) => [c.periodStart, c.scope, c.threshold, c.spent])).toEqual([
      ['2026-11-01', 'category', 80, 4_500],
      ['2026-11-01', 'budget', 80, 8_500],
      ['2026-11-01', 'budget', 100, 10_100],
    ]);
  });

  it('keeps crossings when spending drops back below: once per period, announced and listed', async () => {
    const budget = await createBudget(t.app, alice, { limit: 10_000 });
    const big = await record(budget.id, 9_000);
    await deliver(t, big);
    expect((await crossings(budget.id)).map((c) => c.threshold)).toEqual([80]);

    const res = await asUser(t.app, alice)('DELETE', `/v1/budgets/${budget.id}/expenses/${big.envelope.data.expenseId}`);
    expect(res.status, res.text).toBe(204);
    await deliver(t, await theEvent(t, 'expense.deleted', { expenseId: big.envelope.data.expenseId }));
    const after = await summary(budget.id);
    expect(after.spent).toBe(0);
    expect(after.thresholdsCrossed).toEqual([{ scope: 'budget', categoryId: null, threshold: 80 }]);

    await deliver(t, await record(budget.id, 8_500)); // crosses 80% again in the same period
    expect((await crossings(budget.id)).map((c) => c.threshold)).toEqual([80]);
    await deliver(t, await record(budget.id, 9_000, '2026-12-02')); // a new period: a new crossing
    expect((await crossings(budget.id)).map((c) => [c.periodStart, c.threshold])).toEqual([
      ['2026-11-01', 80],
      ['2026-12-01', 80],
    ]);
  });

  it('re-checks a restored expense like a new one: it crosses the thresholds not yet announced, once per period', async () => {
    const budget = await createBudget(t.app, alice, {
      limit: 100_000,
      alertThresholds: [50, 100],
      categories: [{ name: 'Food', limit: 2_000 }],
    });
    const food = budget.categories[0]!.id;
    const api = asUser(t.app, alice);
    const foodCrossings = async () =>
      (await crossings(budget.id)).filter((c) => c.categoryId === food).map((c) => [c.scope, c.threshold, c.spent, c.limit]);

    await deliver(t, await record(budget.id, 800, '2026-11-03', food)); // 40%
    const crossing = await record(budget.id, 500, '2026-11-04', food); // 1,300 = 65%: crosses 50
    await deliver(t, crossing);
    expect(await foodCrossings()).toEqual([['category', 50, 1_300, 2_000]]);

    // Delete the expense that crossed: spending back under 50%.
    const id = crossing.envelope.data.expenseId as string;
    const del = await api('DELETE', `/v1/budgets/${budget.id}/expenses/${id}`);
    expect(del.status, del.text).toBe(204);
    await deliver(t, await theEvent(t, 'expense.deleted', { expenseId: id }));
    await deliver(t, await record(budget.id, 1_000, '2026-11-05', food)); // 1,800 = 90%: 50 already announced
    expect(await foodCrossings()).toEqual([['category', 50, 1_300, 2_000]]);

    // Restore it: its expense.recorded (version 2) is checked like a new expense's. 2,300 = 115%
    // crosses 100 (announced now, with the restored spending); 50 is not announced twice (once per period).
    const restored = await api('POST', `/v1/budgets/${budget.id}/expenses/${id}/restore`);
    expect(restored.status, restored.text).toBe(200);
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: id, version: 2 }));
    expect(await foodCrossings()).toEqual([
      ['category', 50, 1_300, 2_000],
      ['category', 100, 2_300, 2_000],
    ]);
    expect((await summary(budget.id)).thresholdsCrossed).toEqual([
      { scope: 'category', categoryId: food, threshold: 50 },
      { scope: 'category', categoryId: food, threshold: 100 },
    ]);
  });

  it('announces a threshold a lowered limit reached with the next expense event of the period', async () => {
    const budget = await createBudget(t.app, alice, { limit: 10_000 });
    await deliver(t, await record(budget.id, 5_000));
    const patch = await asUser(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { limit: 6_000 } });
    expect(patch.status, patch.text).toBe(200);
    // The summary lists it at once (live); the event comes with the next expense event.
    expect((await summary(budget.id)).thresholdsCrossed).toEqual([{ scope: 'budget', categoryId: null, threshold: 80 }]);
    expect(await crossings(budget.id)).toEqual([]);
    await deliver(t, await record(budget.id, 10));
    expect((await crossings(budget.id)).map((c) => [c.threshold, c.spent, c.limit])).toEqual([[80, 5_010, 6_000]]);
  });

  it("announces no crossing whose spending passed 2^53 - 1 over the totals shards (no exact figure), and still the exact lines', never failing the delivery", async () => {
    const budget = await createBudget(t.app, alice, { limit: 1_000_000, categories: [{ name: 'Food', limit: 1_000 }] });
    const food = budget.categories[0]!.id;
    // November's 4 totals shards hold about 2^51 each, uncategorized (written directly, in the real
    // key shape, as if about 2,250 expenses of 10^12 had been recorded into each): each within the
    // running totals' limit, 2^53 + 1 together, which a double reads as 2^53. The thresholds of the
    // budget's limit were never announced (a budget item restored, thresholds added since: any way).
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      const amount = 2 ** 51 + (shard === 0 ? 1 : 0);
      const Item = { pk: keys.totalsPk(budget.id), sk: keys.monthSk('2026-11', shard), total: amount, uncategorized: amount, d05_total: amount, d05_uncategorized: amount };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    await deliver(t, await record(budget.id, 900, '2026-11-10', food)); // Food: 90% of its own 1,000
    expect((await crossings(budget.id)).map((c) => [c.scope, c.threshold, c.spent])).toEqual([['category', 80, 900]]);
  });

  it('publishes exactly one event per threshold when many crossing deliveries race, duplicates included', async () => {
    const budget = await createBudget(t.app, alice, { limit: 10_000 });
    const events: OutboxEvent[] = [];
    for (let i = 0; i < 10; i++) events.push(await record(budget.id, 1_100)); // 11,000 once all are in
    // Each event delivered twice, all at once: the markers (and the inbox) decide.
    await Promise.all([...events, ...events].map((e) => deliver(t, e)));
    expect((await crossings(budget.id)).map((c) => c.threshold).sort((a, b) => a - b)).toEqual([80, 100]);
    expect(await markers(budget.id)).toHaveLength(2);
    // An inbox item is written only with an announcement: at most one per announcing event.
    const ids = events.map((e) => e.envelope.id);
    const inbox = (await itemsUnder(t, 'budgets#inbox#budgets-on-expenses#')).filter((i) => ids.includes(i.eventId));
    expect(new Set(inbox.map((i) => i.eventId)).size).toBe(inbox.length);
    expect(inbox.length).toBeGreaterThanOrEqual(1);
    expect(inbox.length).toBeLessThanOrEqual(2);
  });

  it.each(['weekly', 'monthly', 'yearly'])(
    'handles expenses on the first and last accepted dates of a %s rollover budget (no poison event)',
    async (period) => {
      const budget = await createBudget(t.app, alice, { limit: 100, period, rollover: true });
      for (const occurredOn of ['1900-01-01', '9998-12-31']) {
        await deliver(t, await record(budget.id, 100, occurredOn));
        expect((await crossings(budget.id)).filter((c) => c.periodStart <= occurredOn && occurredOn <= c.periodEnd).map((c) => c.threshold).sort((a, b) => a - b)).toEqual([80, 100]);
        expect((await summary(budget.id, occurredOn)).spent).toBe(100);
      }
    },
  );

  it('changes nothing when the same event is delivered again', async () => {
    const budget = await createBudget(t.app, alice, { limit: 10_000 });
    await deliver(t, await record(budget.id, 7_000));
    const crossing = await record(budget.id, 3_500);
    await deliver(t, crossing);
    const once = await tableItems(t.doc, t.tableName);
    expect((await crossings(budget.id)).map((c) => c.threshold)).toEqual([80, 100]); // the first delivery did its work

    await deliver(t, crossing);
    expect(await tableItems(t.doc, t.tableName)).toEqual(once);
  });

  it('does nothing for a budget deleted before the event arrived (and writes no marker)', async () => {
    const budget = await createBudget(t.app, alice, { limit: 100 });
    const recorded = await record(budget.id, 500);
    expect((await asUser(t.app, alice)('DELETE', `/v1/budgets/${budget.id}`)).status).toBe(204);
    await deliver(t, recorded);
    expect(await crossings(budget.id)).toEqual([]);
    expect(await markers(budget.id)).toEqual([]);
  });
});
