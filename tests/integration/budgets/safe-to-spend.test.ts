import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCostDuring } from '../../support/sent-commands';
import { runRecurringJob as runTheRecurringJob } from '../../support/recurring-job';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, addRecurring, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * GET /v1/budgets/{id}/safe-to-spend against real recurring expenses (created over HTTP, paused,
 * skipped, recorded early and by the real recurring job) and real expenses, on DynamoDB Local
 * with a fixed clock (Tuesday 10 November 2026, a UTC budget). Every figure is worked out here
 * by hand from the dates chosen.
 */
const clock = fixedClock('2026-11-10T12:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const path = (budgetId: string, query = '') => `/v1/budgets/${budgetId}/safe-to-spend${query}`;
const safeRes = (budgetId: string, query = '', who: Account = owner) => as(t.app, who)('GET', path(budgetId, query));
const safe = async (budgetId: string, query = '', who: Account = owner) => {
  const res = await safeRes(budgetId, query, who);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

const recurring = (budgetId: string, body: Record<string, unknown>) => addRecurring(t.app, owner, budgetId, body);

/** One tick of the real recurring-expenses job at the clock's time. */
const runRecurringJob = () => runTheRecurringJob(t);

const notAPlan = { count: null, paymentsLeft: null, paymentNumber: null };

type StatusAnswer = { items: { recurringExpenseId: string; dates: { occurredOn: string; status: string; amount?: number | null }[] }[] };
/** The bill status's due and overdue dates, `<date> <recurringExpenseId>` in date order. */
const statusDue = (status: StatusAnswer) =>
  status.items
    .flatMap((i) => i.dates.filter((d) => d.status === 'due' || d.status === 'overdue').map((d) => `${d.occurredOn} ${i.recurringExpenseId}`))
    .sort();
/** Safe to spend's listed bills, `<dueOn> <recurringExpenseId>`. */
const listedBills = (s: { upcomingBills: { items: { dueOn: string; recurringExpenseId: string }[] } }) => s.upcomingBills.items.map((b) => `${b.dueOn} ${b.recurringExpenseId}`);

describe('GET /safe-to-spend of a monthly budget', () => {
  let budgetId: string;
  let housing: string;
  let fun: string;
  let misc: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 200_000,
      categories: [{ name: 'Housing', limit: 150_000 }, { name: 'Fun', limit: 10_000 }, { name: 'Misc' }],
    });
    budgetId = budget.id;
    [housing, fun, misc] = budget.categories.map((c) => c.id) as [string, string, string];
    const base = `/v1/budgets/${budgetId}/recurring-expenses`;
    const req = as(t.app, owner);
    // Rent, a category bill later in the period: next 2026-11-28.
    ids.rent = await recurring(budgetId, { amount: 100_000, categoryId: housing, description: 'Rent', schedule: { frequency: 'monthly', startsOn: '2026-09-28' } });
    // Phone: next 2026-11-20, recorded early (record-next, no body: dated the 20th) -> spent, next 2026-12-20.
    ids.phone = await recurring(budgetId, { amount: 3_000, merchant: 'Phone Co', schedule: { frequency: 'monthly', startsOn: '2026-10-20' } });
    // Gym: due today, recorded by the job -> spent, next 2026-12-10.
    ids.gym = await recurring(budgetId, { amount: 2_000, categoryId: fun, description: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-10-10' } });
    // Streaming: next 2026-11-25, paused -> no bill (else 1,500 against Fun).
    ids.streaming = await recurring(budgetId, { amount: 1_500, categoryId: fun, merchant: 'Streamio', schedule: { frequency: 'monthly', startsOn: '2026-10-25' } });
    // Insurance: ended on 2026-11-01 (it would be due on the 22nd).
    ids.insurance = await recurring(budgetId, { amount: 5_000, categoryId: housing, description: 'Insurance', schedule: { frequency: 'monthly', startsOn: '2026-08-22', endsOn: '2026-11-01' } });
    // A laptop in 4 payments: Aug 15, Sep 15, Oct 15, Nov 15; created today, so its last payment (Nov 15) is next.
    ids.laptop = await recurring(budgetId, { amount: 2_500, description: 'Laptop', schedule: { frequency: 'monthly', startsOn: '2026-08-15', count: 4 } });
    // Coffee beans, weekly from Wednesday 2026-11-11 in Misc (no limit); the 11th skipped: the 18th and 25th left.
    ids.coffee = await recurring(budgetId, { amount: 1_000, categoryId: misc, merchant: 'Beans', schedule: { frequency: 'weekly', startsOn: '2026-11-11' } });
    // Internet, uncategorized: next 2026-11-30.
    ids.internet = await recurring(budgetId, { amount: 6_000, merchant: 'Fiber Co', schedule: { frequency: 'monthly', startsOn: '2026-10-30' } });

    expect((await req('PATCH', `${base}/${ids.streaming}`, { body: { paused: true } })).status).toBe(200);
    expect((await req('POST', `${base}/${ids.coffee}/skip`)).json.nextOccurrenceOn).toBe('2026-11-18');
    const early = await req('POST', `${base}/${ids.phone}/record-next`);
    expect(early.status, early.text).toBe(200);
    expect(early.json.expense).toMatchObject({ occurredOn: '2026-11-20', amount: 3_000 });
    expect(await runRecurringJob()).toMatchObject({ recorded: 1, failed: 0 }); // the gym's 2026-11-10
    const insurance = await req('GET', `${base}/${ids.insurance}`);
    expect(insurance.json.nextOccurrenceOn).toBeNull();

    await addExpense(t.app, owner, budgetId, { amount: 30_000, occurredOn: '2026-11-02' });
    await addExpense(t.app, owner, budgetId, { amount: 7_000, occurredOn: '2026-11-05', categoryId: fun });
    await addExpense(t.app, owner, budgetId, { amount: 9_999, occurredOn: '2026-10-31' }); // October
  });

  it('today: remaining less the bills still to come, per day and per limited category', async () => {
    // spent 30,000 + 7,000 + gym 2,000 + phone 3,000 = 42,000; remaining 200,000 - 42,000 = 158,000.
    // Bills from the 10th: laptop 2,500 (15th), coffee 1,000 x 2 (18th, 25th), rent 100,000 (28th),
    // internet 6,000 (30th) = 110,500 in 5. Safe: 47,500 over 21 days (10..30): 2,261 (21 x 2,261 = 47,481).
    expect(await safe(budgetId)).toEqual({
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      date: '2026-11-10',
      available: 200_000,
      spent: 42_000,
      remaining: 158_000,
      upcomingBills: {
        total: 110_500,
        count: 5,
        items: [
          { recurringExpenseId: ids.laptop, description: 'Laptop', categoryId: null, dueOn: '2026-11-15', amount: 2_500, count: 4, paymentsLeft: 1, paymentNumber: 4 },
          { recurringExpenseId: ids.coffee, merchant: 'Beans', categoryId: misc, dueOn: '2026-11-18', amount: 1_000, ...notAPlan },
          { recurringExpenseId: ids.coffee, merchant: 'Beans', categoryId: misc, dueOn: '2026-11-25', amount: 1_000, ...notAPlan },
          { recurringExpenseId: ids.rent, description: 'Rent', categoryId: housing, dueOn: '2026-11-28', amount: 100_000, ...notAPlan },
          { recurringExpenseId: ids.internet, merchant: 'Fiber Co', categoryId: null, dueOn: '2026-11-30', amount: 6_000, ...notAPlan },
        ],
      },
      safeToSpend: 47_500,
      daysLeft: 21,
      perDay: 2_261,
      categories: [
        // The rent counts against Housing: 150,000 - 100,000 = 50,000; / 21 = 2,380 (21 x 2,380 = 49,980).
        { categoryId: housing, name: 'Housing', available: 150_000, spent: 0, remaining: 150_000, upcomingBills: 100_000, safeToSpend: 50_000, perDay: 2_380 },
        // Fun: 7,000 + the gym 2,000 spent; the paused streaming is no bill. 1,000 / 21 = 47.
        { categoryId: fun, name: 'Fun', available: 10_000, spent: 9_000, remaining: 1_000, upcomingBills: 0, safeToSpend: 1_000, perDay: 47 },
        // Misc has no limit: its coffee counts against the budget only.
      ],
    });
  });

  it("lists exactly the bill status's due and overdue dates of the period, whatever the day asked", async () => {
    const status = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/recurring-expenses/status?date=2026-11-10`);
    expect(status.status, status.text).toBe(200);
    const due = statusDue(status.json);
    for (const date of ['', '?date=2026-11-03', '?date=2026-11-20']) expect(listedBills(await safe(budgetId, date)), date).toEqual(due);
  });

  it('on a later day: every bill of the period still to record (those before that day too: they will be spent by then), over its days left', async () => {
    // The 20th: the bills from today, as today's answer (the phone recorded early for the 20th is
    // spent, not a bill): laptop 15th, coffee 18th and 25th, rent 28th, internet 30th = 110,500 in 5.
    // 158,000 - 110,500 = 47,500 over 11 days: 4,318 (11 x 4,318 = 47,498).
    const s = await safe(budgetId, '?date=2026-11-20');
    expect(s).toMatchObject({ date: '2026-11-20', spent: 42_000, remaining: 158_000, safeToSpend: 47_500, daysLeft: 11, perDay: 4_318 });
    expect(s.upcomingBills).toMatchObject({ total: 110_500, count: 5 });
    expect(s.upcomingBills.items.map((b: { dueOn: string }) => b.dueOn)).toEqual(['2026-11-15', '2026-11-18', '2026-11-25', '2026-11-28', '2026-11-30']);
    // Housing 50,000 / 11 = 4,545; Fun 1,000 / 11 = 90.
    expect(s.categories.map((c: { safeToSpend: number; perDay: number }) => [c.safeToSpend, c.perDay])).toEqual([
      [50_000, 4_545],
      [1_000, 90],
    ]);
  });

  it('next period: every bill of it; the installment plan has ended, the paused one stays out', async () => {
    // December from the 1st (31 days): coffee 2, 9, 16, 23, 30 (5,000), gym 10th (2,000, Fun), phone 20th
    // (3,000), rent 28th (100,000), internet 30th (6,000) = 116,000 in 9. 200,000 - 116,000 = 84,000: 2,709 a day (31 x 2,709 = 83,979).
    const s = await safe(budgetId, '?date=2026-12-01');
    expect(s).toMatchObject({ periodStart: '2026-12-01', periodEnd: '2026-12-31', spent: 0, remaining: 200_000, safeToSpend: 84_000, daysLeft: 31, perDay: 2_709 });
    expect(s.upcomingBills).toMatchObject({ total: 116_000, count: 9 });
    expect(s.upcomingBills.items.map((b: { dueOn: string }) => b.dueOn)).toEqual([
      '2026-12-02',
      '2026-12-09',
      '2026-12-10',
      '2026-12-16',
      '2026-12-20',
      '2026-12-23',
      '2026-12-28',
      '2026-12-30',
      '2026-12-30',
    ]);
    expect(s.upcomingBills.items.some((b: { recurringExpenseId: string }) => [ids.laptop, ids.streaming, ids.insurance].includes(b.recurringExpenseId))).toBe(false);
    // Housing 50,000 / 31 = 1,612; Fun 10,000 - gym 2,000 = 8,000 / 31 = 258.
    expect(s.categories.map((c: { upcomingBills: number; safeToSpend: number; perDay: number }) => [c.upcomingBills, c.safeToSpend, c.perDay])).toEqual([
      [100_000, 50_000, 1_612],
      [2_000, 8_000, 258],
    ]);
  });

  it('a period that has ended: no day and no bill left', async () => {
    const s = await safe(budgetId, '?date=2026-10-15');
    expect(s).toEqual({
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      date: '2026-10-15',
      available: 200_000,
      spent: 9_999,
      remaining: 190_001,
      upcomingBills: { total: 0, count: 0, items: [] },
      safeToSpend: 190_001,
      daysLeft: 0,
      perDay: 0,
      categories: [
        { categoryId: housing, name: 'Housing', available: 150_000, spent: 0, remaining: 150_000, upcomingBills: 0, safeToSpend: 150_000, perDay: 0 },
        { categoryId: fun, name: 'Fun', available: 10_000, spent: 0, remaining: 10_000, upcomingBills: 0, safeToSpend: 10_000, perDay: 0 },
      ],
    });
  });

  it('costs the summary reads less its thresholds Query, plus one Query of the definitions (3 requests); an ended period 2', async () => {
    const current = await readCostDuring(t.doc, () => safeRes(budgetId));
    expect(current.result.status).toBe(200);
    expect([...current.commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    const definitionReads = current.sent.filter((c) => JSON.stringify(c.input).includes('expenses#recurring#'));
    expect(definitionReads).toHaveLength(1);
    expect(definitionReads[0]!.input).toMatchObject({ ConsistentRead: true });
    // The access BatchGetItem (account, budget, membership: 3 small items, 1 unit each strongly
    // consistent), one month of running totals, 8 definitions (~5 KB): a few units.
    expect(current.readUnits).toBeGreaterThanOrEqual(4);
    expect(current.readUnits).toBeLessThanOrEqual(7);
    const ended = await readCostDuring(t.doc, () => safeRes(budgetId, '?date=2026-10-15'));
    expect([...ended.commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
  });

  it('any member may read it (a viewer sees the same); a stranger gets 404', async () => {
    const viewer = await signup(t.app, 'viewer');
    await addMember(t.app, owner, budgetId, viewer, 'viewer');
    expect(await safe(budgetId, '?date=2026-11-20', viewer)).toEqual(await safe(budgetId, '?date=2026-11-20'));
    const stranger = await signup(t.app, 'stranger');
    expectProblem(await safeRes(budgetId, '', stranger), 404);
    expectProblem(await safeRes('01JDQ4W3C9V0B1N2M3Q4R5S6T7'), 404);
  });

  it('refuses a bad date naming it, and unknown parameters', async () => {
    for (const bad of ['2026-13-01', '2026-02-30', 'abc', '']) expectProblem(await safeRes(budgetId, `?date=${bad}`), 400, ['query.date']);
    expectProblem(await safeRes(budgetId, '?days=3'), 400);
  });
});

describe('GET /safe-to-spend when the bills take more than is left', () => {
  it('is negative (budget and category), with nothing a day', async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 50_000, categories: [{ name: 'Bills', limit: 5_000 }] });
    const bills = budget.categories[0]!.id;
    await recurring(budget.id, { amount: 60_000, description: 'Rent', schedule: { frequency: 'monthly', startsOn: '2026-10-28' } });
    await recurring(budget.id, { amount: 8_000, categoryId: bills, description: 'Power', schedule: { frequency: 'monthly', startsOn: '2026-10-15' } });
    await addExpense(t.app, owner, budget.id, { amount: 1_000, occurredOn: '2026-11-03', categoryId: bills });
    const s = await safe(budget.id);
    // remaining 49,000 - bills 68,000 = -19,000; Bills: 4,000 - 8,000 = -4,000.
    expect(s).toMatchObject({ remaining: 49_000, upcomingBills: { total: 68_000, count: 2 }, safeToSpend: -19_000, daysLeft: 21, perDay: 0 });
    expect(s.categories).toEqual([{ categoryId: bills, name: 'Bills', available: 5_000, spent: 1_000, remaining: 4_000, upcomingBills: 8_000, safeToSpend: -4_000, perDay: 0 }]);
  });
});

describe('GET /safe-to-spend with rollover and many bills', () => {
  it("uses the summary's available and remaining (rollover included); lists 50 bills, counts them all", async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    // Created in 2026 with rollover: 2026 is its first (yearly) period; ask for 2027 from 2027-12-01.
    const budget = await createBudget(t.app, owner, { period: 'yearly', limit: 1_000_000, rollover: true, categories: [] });
    await recurring(budget.id, { amount: 100, description: 'Bus', schedule: { frequency: 'daily' } });
    await addExpense(t.app, owner, budget.id, { amount: 600_000, occurredOn: '2026-03-01' });
    // This year, from today: 52 bus days (Nov 10 .. Dec 31) = 5,200; remaining 400,000 - 5,200 = 394,800 over 52 days = 7,592 (52 x 7,592 = 394,784).
    const now = await safe(budget.id);
    expect(now).toMatchObject({ periodStart: '2026-01-01', available: 1_000_000, remaining: 400_000, safeToSpend: 394_800, daysLeft: 52, perDay: 7_592 });
    expect(now.upcomingBills).toMatchObject({ total: 5_200, count: 52 });
    expect(now.upcomingBills.items).toHaveLength(50);
    expect(now.upcomingBills.items.at(-1).dueOn).toBe('2026-12-29');
    // 2027 on Dec 1: available 1,000,000 + 400,000 carried (the summary's rollover, the bus not
    // recorded yet); every bus day of 2027 is still to record (by Dec 1 the 334 before it are
    // spent): 365 x 100 = 36,500; 1,363,500 over 31 days = 43,983 (31 x 43,983 = 1,363,473).
    const later = await safe(budget.id, '?date=2027-12-01');
    expect(later).toMatchObject({ periodStart: '2027-01-01', available: 1_400_000, spent: 0, remaining: 1_400_000, safeToSpend: 1_363_500, daysLeft: 31, perDay: 43_983 });
    expect(later.upcomingBills).toMatchObject({ total: 36_500, count: 365 });
    const summary = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary?date=2027-12-01`);
    expect(later).toMatchObject({ available: summary.json.available, remaining: summary.json.remaining });
  });
});

describe('GET /safe-to-spend and the bills the job has not recorded yet, or whose payment was moved', () => {
  const req = () => as(t.app, owner);
  const statusOf = async (budgetId: string) => {
    const res = await req()('GET', `/v1/budgets/${budgetId}/recurring-expenses/status`);
    expect(res.status, res.text).toBe(200);
    return res.json;
  };
  let budgetId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 100_000, categories: [] });
    budgetId = budget.id;
    // Water, monthly on the 11th; a cleaner weekly from Thursday the 12th (12, 19, 26).
    ids.water = await recurring(budgetId, { amount: 4_000, merchant: 'Water Co', schedule: { frequency: 'monthly', startsOn: '2026-11-11' } });
    ids.cleaner = await recurring(budgetId, { amount: 700, merchant: 'Cleaner', schedule: { frequency: 'weekly', startsOn: '2026-11-12' } });
    await addExpense(t.app, owner, budgetId, { amount: 10_000, occurredOn: '2026-11-02' });
    // Saturday the 14th, and the job has not run since the 10th: the water (11th) and the
    // cleaner's 12th are overdue, not recorded.
    await setClockFor(t, clock, owner, '2026-11-14T12:00:00Z');
  });

  it('a bill due before now that the job has not recorded yet still counts, on today, a past day and a later one', async () => {
    // Bills: water 11th 4,000, cleaner 12th, 19th, 26th 2,100 = 6,100 in 4; remaining 90,000:
    // safe 83,900. Today (14th..30th: 17 days): 4,935 (17 x 4,935 = 83,895).
    const status = await statusOf(budgetId);
    expect(statusDue(status)).toEqual([`2026-11-11 ${ids.water}`, `2026-11-12 ${ids.cleaner}`, `2026-11-19 ${ids.cleaner}`, `2026-11-26 ${ids.cleaner}`]);
    expect(status.totals.due).toBe(6_100);
    for (const [date, daysLeft, perDay] of [
      ['2026-11-14', 17, 4_935],
      // A past day of the period: the same bills (the 11th and 12th are still to be paid), over its days.
      ['2026-11-12', 19, 4_415],
      // A later day: the 19th paid by then, counted all the same (today's figures have not spent it).
      ['2026-11-20', 11, 7_627],
    ] as const) {
      const s = await safe(budgetId, `?date=${date}`);
      expect(s, date).toMatchObject({ date, remaining: 90_000, upcomingBills: { total: 6_100, count: 4 }, safeToSpend: 83_900, daysLeft, perDay });
      expect(listedBills(s), date).toEqual(statusDue(status));
    }
  });

  it('once the job records them: spent, not bills; safe to spend unchanged', async () => {
    // (The job records the other budgets' bills due by now too: only this budget's are counted here.)
    expect(await runRecurringJob()).toMatchObject({ failed: 0 });
    const s = await safe(budgetId);
    expect(s).toMatchObject({ spent: 14_700, remaining: 85_300, upcomingBills: { total: 1_400, count: 2 }, safeToSpend: 83_900 });
    expect(listedBills(s)).toEqual(statusDue(await statusOf(budgetId)));
  });

  it("a bill's payment moved onto its next due date, or recorded early and moved onto its own: the status and safe to spend agree, nothing counted twice", async () => {
    const expenses = await req()('GET', `/v1/budgets/${budgetId}/expenses?recurringExpenseId=${ids.cleaner}`);
    const cleaned12 = (expenses.json.items as { id: string; occurredOn: string }[]).find((e) => e.occurredOn === '2026-11-12')!;
    // The job's payment of the 12th moved onto the cleaner's next due date, the 19th.
    expect((await req()('PATCH', `/v1/budgets/${budgetId}/expenses/${cleaned12.id}`, { body: { occurredOn: '2026-11-19' } })).status).toBe(200);
    let status = await statusOf(budgetId);
    const cleanerDates = () => status.items.find((i: { recurringExpenseId: string }) => i.recurringExpenseId === ids.cleaner).dates.map((d: { occurredOn: string; status: string }) => `${d.occurredOn} ${d.status}`);
    // Its occurrence marker says it paid the 12th: the 19th is still due, and is a bill.
    expect(cleanerDates()).toEqual(['2026-11-12 paid', '2026-11-19 due', '2026-11-26 due']);
    let s = await safe(budgetId);
    expect(listedBills(s)).toEqual(statusDue(status));
    expect(s).toMatchObject({ spent: 14_700, upcomingBills: { total: 1_400, count: 2 }, safeToSpend: 83_900 });

    // The 19th recorded early (today, the 14th), then moved onto its own due date: paid, no bill.
    const early = await req()('POST', `/v1/budgets/${budgetId}/recurring-expenses/${ids.cleaner}/record-next`, { body: { occurredOn: '2026-11-14' } });
    expect(early.status, early.text).toBe(200);
    expect((await req()('PATCH', `/v1/budgets/${budgetId}/expenses/${early.json.expense.id}`, { body: { occurredOn: '2026-11-19' } })).status).toBe(200);
    status = await statusOf(budgetId);
    expect(cleanerDates()).toEqual(['2026-11-12 paid', '2026-11-19 paid', '2026-11-26 due']);
    // Each date names its own payment: the 12th the job's (moved, its marker says the 12th), the
    // 19th the early one, though the 12th's is dated the 19th too.
    const named = status.items.find((i: { recurringExpenseId: string }) => i.recurringExpenseId === ids.cleaner).dates.map((d: { expenseId?: string }) => d.expenseId);
    expect(named).toEqual([cleaned12.id, early.json.expense.id, undefined]);
    expect(status.totals.paid).toBe(4_000 + 700 + 700);
    s = await safe(budgetId);
    expect(listedBills(s)).toEqual(statusDue(status));
    expect(listedBills(s)).toEqual([`2026-11-26 ${ids.cleaner}`]);
    // 700 more spent, 700 less to come: safe to spend the same.
    expect(s).toMatchObject({ spent: 15_400, upcomingBills: { total: 700, count: 1 }, safeToSpend: 83_900 });
  });
});
