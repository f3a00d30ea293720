import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../packages/budgets/src/service/periods';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { as, createBudget, signup, type Account } from './helpers';

/**
 * The summary's cost must not grow with the number of expenses: the DynamoDB requests of
 * one summary are counted with an SDK middleware for a budget with 10 expenses and one with
 * 2,000 (same dates span, rollover on so both spending reads run). The 2,000 expenses are
 * recorded through the real HTTP API; on DynamoDB Local that takes several minutes.
 */
const clock = fixedClock('2026-08-01T08:00:00Z');
let t: TestSystem;
let owner: Account;
let counting = false;
let requests: string[] = [];

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signup(t.app, 'owner');
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting) requests.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countSummaryRequests' },
  );
});
afterAll(() => t.destroy());

async function budgetWithExpenses(count: number) {
  const budget = await createBudget(t.app, owner, { limit: 1_000_000, rollover: true });
  const categories = [...budget.categories.map((c) => c.id), null];
  const bodies = Array.from({ length: count }, (_, i) => ({
    amount: 100 + (i % 50),
    // Spread over 120 days from 2026-08-01 (August to November), so both the current
    // period and the rollover range hold many expenses; neighbours land on different days
    // so concurrent writes do not all contend for one day's running total.
    occurredOn: addDays('2026-08-01', (i * 37) % 120),
    categoryId: categories[i % categories.length],
  }));
  const expected = bodies.filter((b) => b.occurredOn >= '2026-11-01').reduce((s, b) => s + b.amount, 0);
  // DynamoDB Local runs transactions one at a time (~0.3 s each), so more concurrency
  // does not load faster; a little keeps the reads overlapping.
  for (let i = 0; i < bodies.length; i += 10) {
    const results = await Promise.all(
      bodies.slice(i, i + 10).map((body) => call(t.app, 'POST', `/v1/budgets/${budget.id}/expenses`, { token: owner.token, body })),
    );
    for (const r of results) expect(r.status, r.text).toBe(201);
  }
  return { id: budget.id, expected };
}

async function countedSummary(budgetId: string) {
  requests = [];
  counting = true;
  const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=2026-11-24`);
  counting = false;
  expect(res.status, res.text).toBe(200);
  return { summary: res.json, requests: [...requests] };
}

describe('summary cost', () => {
  it('makes the same DynamoDB requests for 10 and for 2,000 expenses', { timeout: 30 * 60_000 }, async () => {
    const small = await budgetWithExpenses(10);
    const large = await budgetWithExpenses(2_000);
    owner.token = await t.system.deps.tokens.sign({ userId: owner.id }); // the loading took a while

    const a = await countedSummary(small.id);
    const b = await countedSummary(large.id);
    expect(a.summary.spent).toBe(small.expected);
    expect(b.summary.spent).toBe(large.expected);
    expect(b.summary.carriedOver).toBe(3 * 1_000_000 - (2_000 * 100 + sumOfRemainders(2_000) - large.expected));
    expect(b.requests.sort(), `10 expenses: ${a.requests}`).toEqual(a.requests.sort());
    // One read for the budget and the caller's membership, then a few Query requests for
    // the spending (this period, and with rollover the range before it).
    expect(b.requests.filter((r) => r === 'BatchGetItemCommand'), String(b.requests)).toHaveLength(1);
    expect(b.requests.filter((r) => r !== 'BatchGetItemCommand' && r !== 'QueryCommand'), String(b.requests)).toEqual([]);
    expect(b.requests.length, String(b.requests)).toBeLessThanOrEqual(7);
  });
});

/** Sum of (i % 50) for i < n: the varying part of the amounts. */
function sumOfRemainders(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += i % 50;
  return s;
}
