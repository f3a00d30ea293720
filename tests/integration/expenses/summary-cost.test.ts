import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { addDays, importExpenses } from './seed';

/**
 * The summary never reads expenses: it reads running totals, so its DynamoDB requests are
 * the same for a budget with 10 expenses and one with 2,000. Requests are counted with a
 * middleware on the system's DocumentClient.
 */
let h: Harness;
let owner: User;

/** The commands `run` sends, with their inputs as JSON (to prove no expense item was read). */
async function counted<T>(run: () => Promise<T>) {
  const { result, commands, sent } = await commandsSentDuring(h.t.doc, run);
  return { result, commands, inputs: sent.map((c) => JSON.stringify(c.input)) };
}

interface Seeded {
  budget: Budget;
  /** amount by occurredOn */
  expenses: { amount: number; occurredOn: string; categoryId: string | null }[];
}

async function budgetWith(count: number, period: 'monthly' | 'weekly' | 'yearly' = 'monthly'): Promise<Seeded> {
  // Rollover on, so a summary also reads the spending of every earlier period.
  const budget = await h.createBudget(owner, { categories: ['Food', 'Home'], period, rollover: true });
  const categories = [null, ...budget.categories.map((c) => c.id)];
  // Spread over 2026-06-01 .. 2026-12-30 so month and day buckets of many months are filled.
  const bodies = Array.from({ length: count }, (_, i) => ({
    amount: 100 + (i % 97),
    occurredOn: addDays('2026-06-01', (i * 13) % 213),
    categoryId: categories[i % categories.length] ?? null,
  }));
  // One CSV import (seed.ts): about 30 expenses per transaction, not one each (the summary
  // reads running totals, whichever write path kept them).
  await importExpenses(h, budget, owner, bodies);
  return { budget, expenses: bodies };
}

const spentBetween = (s: Seeded, from: string, to: string) =>
  s.expenses.filter((e) => e.occurredOn >= from && e.occurredOn <= to).reduce((sum, e) => sum + e.amount, 0);

let small: Seeded;
let large: Seeded;

beforeAll(async () => {
  // Budgets are created in June, so a November summary also reads June..October (rollover).
  h = await createHarness({ clock: fixedClock('2026-06-01T08:00:00Z') });
  owner = await h.signup('owner');
  small = await budgetWith(10);
  large = await budgetWith(2000);
}, 600_000);
afterAll(() => h.destroy());

describe('summary cost does not grow with the number of expenses', { timeout: 60_000 }, () => {
  it('GET /summary makes the same DynamoDB requests for 10 and for 2,000 expenses, and is exact', async () => {
    const runs = [];
    const inputs: string[] = [];
    for (const s of [small, large]) {
      const { result, commands, inputs: sent } = await counted(() =>
        h.call('GET', `/v1/budgets/${s.budget.id}/summary?date=2026-11-24`, { token: owner.token }),
      );
      expect(result.status, result.text).toBe(200);
      expect(result.json.spent).toBe(spentBetween(s, '2026-11-01', '2026-11-30'));
      runs.push(commands);
      inputs.push(...sent);
    }
    expect(runs[1]).toEqual(runs[0]);
    // This period's and the rollover range's spending come from ONE Query per summary (the
    // ranges are adjacent); with the thresholds' Query and the access BatchGetItem: 3 requests.
    expect(inputs.filter((i) => i.includes('expenses#totals#')).length).toBe(2);
    expect([...runs[0]!].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    // Totals only: nothing in the expenses' own partition (expenses#budget#...) was read.
    expect(inputs.filter((i) => i.includes('expenses#budget#'))).toEqual([]);
    expect(inputs.some((i) => i.includes('expenses#totals#'))).toBe(true);
  });

  it.each([
    ['a whole month', '2026-11-01', '2026-11-30', 1],
    ['part of a month', '2026-11-03', '2026-11-17', 1],
    ['a week across two months', '2026-09-28', '2026-10-04', 1],
    ['a year', '2026-01-01', '2026-12-31', 1],
    ['whole months with partial ends', '2026-06-15', '2026-12-10', 1],
  ])('totalsBetween over %s is %i Query whatever the expenses, and exact', async (_label, from, to, queries) => {
    for (const s of [small, large]) {
      const { result, commands } = await counted(() => h.spending.totalsBetween(s.budget.id, from, to));
      expect(commands).toEqual(Array(queries).fill('QueryCommand'));
      expect(result.total).toBe(spentBetween(s, from, to));
      const uncategorized = s.expenses.filter((e) => e.categoryId === null && e.occurredOn >= from && e.occurredOn <= to);
      expect(result.uncategorized).toBe(uncategorized.reduce((sum, e) => sum + e.amount, 0));
    }
  });
});
