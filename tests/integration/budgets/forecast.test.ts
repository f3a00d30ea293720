import { addDays, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { runRecurringJob as runTheRecurringJob } from '../../support/recurring-job';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, addRecurring, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * GET /v1/budgets/{id}/forecast against real recurring expenses (created over HTTP, recorded by
 * the real recurring job) and real expenses, on DynamoDB Local with a fixed clock. Every
 * expected figure is worked out here by hand from the dates chosen.
 */
const clock = fixedClock('2026-11-10T12:00:00Z'); // a Tuesday
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const setClock = (when: string) => setClockFor(t, clock, owner, when);

const forecastRes = (budgetId: string, date?: string, who: Account = owner) =>
  as(t.app, who)('GET', `/v1/budgets/${budgetId}/forecast${date ? `?date=${date}` : ''}`);

const forecast = async (budgetId: string, date?: string, who: Account = owner) => {
  const res = await forecastRes(budgetId, date, who);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

const recurring = (budgetId: string, body: Record<string, unknown>) => addRecurring(t.app, owner, budgetId, body);

/** One tick of the real recurring-expenses job at the clock's time. */
const runRecurringJob = () => runTheRecurringJob(t);

/** None of these recurring expenses is an installment plan: the plan's figures are null on every entry. */
const notAPlan = { count: null, paymentsLeft: null, paymentNumber: null };

/** Upcoming entries as the API lists them: date order, then recurring expense id. */
type Upcoming = { recurringExpenseId: string; occurredOn: string; amount: number; categoryId: string | null; description?: string; merchant?: string };
const inOrder = (list: Upcoming[]) =>
  [...list].sort((a, b) => (a.occurredOn === b.occurredOn ? (a.recurringExpenseId < b.recurringExpenseId ? -1 : 1) : a.occurredOn < b.occurredOn ? -1 : 1));
const datesFrom = (first: string, count: number, stepDays: number) => Array.from({ length: count }, (_, i) => addDays(first, i * stepDays));

describe('GET /forecast of a monthly budget', () => {
  let budgetId: string;
  let groceries: string;
  let transport: string;
  let rent: string;
  let milk: string;
  let bus: string;

  beforeAll(async () => {
    await setClock('2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 100_000,
      categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Transport' }],
    });
    budgetId = budget.id;
    groceries = budget.categories[0]!.id;
    transport = budget.categories[1]!.id;
    // Monthly on the 15th, uncategorized: next occurrence 2026-11-15.
    rent = await recurring(budgetId, { amount: 30_000, description: 'Rent', schedule: { frequency: 'monthly', startsOn: '2026-09-15' } });
    // Weekly on Thursdays (2026-10-01 is one): next 2026-11-12, then 19 and 26 in November.
    milk = await recurring(budgetId, {
      amount: 2_000,
      categoryId: groceries,
      merchant: 'Milk Co',
      schedule: { frequency: 'weekly', startsOn: '2026-10-01' },
    });
    // Daily, ending mid-period: 2026-11-10 (today) .. 2026-11-20, 11 occurrences.
    bus = await recurring(budgetId, { amount: 500, categoryId: transport, schedule: { frequency: 'daily', startsOn: '2026-11-01', endsOn: '2026-11-20' } });
    await addExpense(t.app, owner, budgetId, { amount: 4_000, occurredOn: '2026-11-02', categoryId: groceries });
    await addExpense(t.app, owner, budgetId, { amount: 1_000, occurredOn: '2026-11-03' });
    await addExpense(t.app, owner, budgetId, { amount: 9_999, occurredOn: '2026-10-31' }); // another period
  });

  const upcomingOfNovember = (from: string): Upcoming[] =>
    inOrder([
      { recurringExpenseId: rent, occurredOn: '2026-11-15', amount: 30_000, categoryId: null, description: 'Rent', ...notAPlan },
      ...['2026-11-12', '2026-11-19', '2026-11-26'].map((d) => ({ recurringExpenseId: milk, occurredOn: d, amount: 2_000, categoryId: groceries, merchant: 'Milk Co', ...notAPlan })),
      ...datesFrom('2026-11-10', 11, 1).map((d) => ({ recurringExpenseId: bus, occurredOn: d, amount: 500, categoryId: transport, ...notAPlan })),
    ]).filter((o) => o.occurredOn >= from);

  it('adds the occurrences not recorded yet: sums, categories, uncategorized and the upcoming list', async () => {
    // The default date is today (2026-11-10): November.
    expect(await forecast(budgetId)).toEqual({
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      limit: 100_000,
      available: 100_000,
      spent: 5_000,
      scheduled: 30_000 + 3 * 2_000 + 11 * 500, // 41,500
      projectedSpent: 46_500,
      projectedRemaining: 53_500,
      categories: [
        { categoryId: groceries, name: 'Groceries', limit: 40_000, group: null, spent: 4_000, scheduled: 6_000, projectedSpent: 10_000, projectedRemaining: 30_000 },
        { categoryId: transport, name: 'Transport', limit: null, group: null, spent: 0, scheduled: 5_500, projectedSpent: 5_500, projectedRemaining: null },
      ],
      groups: [],
      uncategorized: { spent: 1_000, scheduled: 30_000, projectedSpent: 31_000 },
      upcoming: upcomingOfNovember('2026-11-10'),
      upcomingTruncated: false,
    });
    // Any day of the period gives the same forecast.
    expect((await forecast(budgetId, '2026-11-30')).scheduled).toBe(41_500);
  });

  it('an occurrence the job has recorded is spent, no longer scheduled', async () => {
    await setClock('2026-11-10T12:00:00Z');
    const run = await runRecurringJob(); // records today's bus fare (2026-11-10), nothing else is due
    expect(run).toMatchObject({ recorded: 1, failed: 0 });
    const f = await forecast(budgetId, '2026-11-10');
    expect(f).toMatchObject({ spent: 5_500, scheduled: 41_000, projectedSpent: 46_500, projectedRemaining: 53_500 });
    expect(f.categories[1]).toEqual({ categoryId: transport, name: 'Transport', limit: null, group: null, spent: 500, scheduled: 5_000, projectedSpent: 5_500, projectedRemaining: null });
    expect(f.upcoming).toEqual(upcomingOfNovember('2026-11-11'));
  });

  it('a later period counts every occurrence in it; an ended schedule none', async () => {
    const f = await forecast(budgetId, '2026-12-15');
    // December: rent on the 15th, milk on Thursdays 3, 10, 17, 24, 31; the bus ended on 2026-11-20.
    expect(f).toMatchObject({ periodStart: '2026-12-01', periodEnd: '2026-12-31', spent: 0, scheduled: 40_000, projectedSpent: 40_000, projectedRemaining: 60_000 });
    expect(f.categories.map((c: { scheduled: number }) => c.scheduled)).toEqual([10_000, 0]);
    expect(f.uncategorized).toEqual({ spent: 0, scheduled: 30_000, projectedSpent: 30_000 });
    expect(f.upcoming.map((o: Upcoming) => o.occurredOn)).toEqual(['2026-12-03', '2026-12-10', '2026-12-15', '2026-12-17', '2026-12-24', '2026-12-31']);
  });

  it('schedules a category removed from the budget as uncategorized, as the job will record it', async () => {
    const other = await createBudget(t.app, owner, { limit: 10_000, categories: [{ name: 'Gym' }, { name: 'Books' }] });
    const [gym, books] = other.categories;
    const fee = await recurring(other.id, { amount: 3_000, categoryId: gym!.id, schedule: { frequency: 'monthly', startsOn: '2026-11-20' } });
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${other.id}`, { body: { categories: [{ id: books!.id, name: 'Books' }] } });
    expect(res.status, res.text).toBe(200);
    const f = await forecast(other.id, '2026-11-10');
    expect(f.categories).toEqual([{ categoryId: books!.id, name: 'Books', limit: null, group: null, spent: 0, scheduled: 0, projectedSpent: 0, projectedRemaining: null }]);
    expect(f.uncategorized).toEqual({ spent: 0, scheduled: 3_000, projectedSpent: 3_000 });
    expect(f.upcoming).toEqual([{ recurringExpenseId: fee, occurredOn: '2026-11-20', amount: 3_000, categoryId: null, ...notAPlan }]);
  });

  it('costs the access read, the totals Query and one Query of the definitions; an ended period no definitions read', async () => {
    const current = await commandsSentDuring(t.doc, () => forecastRes(budgetId, '2026-11-10'));
    expect(current.result.status).toBe(200);
    expect([...current.commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    const definitionReads = current.sent.filter((c) => JSON.stringify(c.input).includes('expenses#recurring#'));
    expect(definitionReads).toHaveLength(1);
    expect(definitionReads[0]!.input).toMatchObject({ ConsistentRead: true });
    const ended = await commandsSentDuring(t.doc, () => forecastRes(budgetId, '2026-10-10'));
    expect(ended.result.status).toBe(200);
    expect([...ended.commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
  });
});

describe('GET /forecast of a period that has ended', () => {
  it('schedules nothing, even for occurrences the job has not recorded yet', async () => {
    await setClock('2026-10-25T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 50_000, categories: [] });
    const daily = await recurring(budget.id, { amount: 100, schedule: { frequency: 'daily' } }); // next: 2026-10-25
    // The job has not run: October 25..31 are still pending when November begins.
    await setClock('2026-11-10T12:00:00Z');
    const october = await forecast(budget.id, '2026-10-31');
    expect(october).toMatchObject({ periodStart: '2026-10-01', periodEnd: '2026-10-31', spent: 0, scheduled: 0, projectedSpent: 0, projectedRemaining: 50_000 });
    expect(october.upcoming).toEqual([]);
    expect(october.upcomingTruncated).toBe(false);
    // November counts only its own days: 1..30 (the definition's next occurrence is before them).
    const november = await forecast(budget.id);
    expect(november).toMatchObject({ scheduled: 30 * 100, projectedRemaining: 50_000 - 3_000 });
    expect(november.upcoming[0]).toEqual({ recurringExpenseId: daily, occurredOn: '2026-11-01', amount: 100, categoryId: null, ...notAPlan });
  });
});

describe('GET /forecast of a yearly budget with a daily definition', () => {
  it('sums all 365 occurrences exactly and lists the first 100', async () => {
    await setClock('2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'yearly', limit: 1_000_000, rollover: true, categories: [{ name: 'Coffee' }] });
    const coffee = budget.categories[0]!.id;
    const daily = await recurring(budget.id, { amount: 123, categoryId: coffee, description: 'Coffee', schedule: { frequency: 'daily' } });
    const monthly = await recurring(budget.id, { amount: 10_000, schedule: { frequency: 'monthly', startsOn: '2026-11-15' } });
    await addExpense(t.app, owner, budget.id, { amount: 600_000, occurredOn: '2026-03-01' }); // 2026 leaves 400,000 to carry

    const f = await forecast(budget.id, '2027-06-01');
    const scheduled = 365 * 123 + 12 * 10_000; // 44,895 + 120,000
    expect(f).toMatchObject({
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
      limit: 1_000_000,
      available: 1_400_000, // the summary's rollover: 2026 carried 1,000,000 - 600,000
      spent: 0,
      scheduled,
      projectedSpent: scheduled,
      projectedRemaining: 1_400_000 - scheduled,
      upcomingTruncated: true,
    });
    expect(f.categories).toEqual([
      { categoryId: coffee, name: 'Coffee', limit: null, group: null, spent: 0, scheduled: 365 * 123, projectedSpent: 365 * 123, projectedRemaining: null },
    ]);
    expect(f.uncategorized).toEqual({ spent: 0, scheduled: 120_000, projectedSpent: 120_000 });
    const all = inOrder([
      ...datesFrom('2027-01-01', 365, 1).map((d) => ({ recurringExpenseId: daily, occurredOn: d, amount: 123, categoryId: coffee, description: 'Coffee', ...notAPlan })),
      ...Array.from({ length: 12 }, (_, m) => ({ recurringExpenseId: monthly, occurredOn: `2027-${String(m + 1).padStart(2, '0')}-15`, amount: 10_000, categoryId: null, ...notAPlan })),
    ]);
    expect(f.upcoming).toHaveLength(100);
    expect(f.upcoming).toEqual(all.slice(0, 100));
    expect(f.upcoming.at(-1).occurredOn).toBe('2027-04-07'); // 97 days of coffee (Jan 1..Apr 7) and 3 payments (Jan..Mar 15)
    // The current year: from today (2026-11-10) to Dec 31 is 52 days of coffee, and Nov 15 and Dec 15.
    const now = await forecast(budget.id);
    expect(now).toMatchObject({ periodStart: '2026-01-01', spent: 600_000, scheduled: 52 * 123 + 2 * 10_000, upcomingTruncated: false });
    expect(now.upcoming).toHaveLength(54);
  });
});

describe('GET /forecast access and validation', () => {
  it('is readable by a viewer; a stranger and an unknown budget get 404', async () => {
    await setClock('2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, categories: [] });
    await recurring(budget.id, { amount: 700, schedule: { frequency: 'weekly', startsOn: '2026-11-11' } });
    const viewer = await signup(t.app, 'viewer');
    await addMember(t.app, owner, budget.id, viewer, 'viewer');
    // 2026-11-11, 18, 25.
    expect(await forecast(budget.id, '2026-11-20', viewer)).toMatchObject({ scheduled: 2_100, projectedRemaining: 7_900 });
    const stranger = await signup(t.app, 'stranger');
    expectProblem(await forecastRes(budget.id, '2026-11-20', stranger), 404);
    expectProblem(await forecastRes('01JDQ4V8M7ZK3X9A2B5C6D7E8F', undefined, owner), 404);
  });

  it.each(['2026-02-30', '2026-1-05', 'tomorrow', '', '0001-01-01'])('refuses date=%s with a problem naming query.date', async (date) => {
    const budget = await createBudget(t.app, owner, { categories: [] });
    expectProblem(await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/forecast?date=${date}`), 400, ['query.date']);
  });

  it('refuses an unknown query parameter, naming it', async () => {
    const budget = await createBudget(t.app, owner, { categories: [] });
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/forecast?date=2026-11-10&limit=5`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.errors)).toContain('limit');
  });
});
