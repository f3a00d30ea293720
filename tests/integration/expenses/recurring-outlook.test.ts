import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * GET .../recurring-expenses/upcoming and .../recurring-expenses/costs against DynamoDB Local.
 * The clock is 2026-11-24T12:00Z; the budget is in Pacific/Kiritimati (UTC+14), where it is
 * already 2026-11-25: "today" is 2026-11-25 (in UTC it is still the 24th), the default 30 days
 * are 2026-11-25..2026-12-24 and the year ahead 2026-11-25..2027-11-24 (no Feb 29 in it: a daily
 * definition counts 365). Every expected value below is counted by hand from the definitions:
 * - rent       monthly 120,000 from 2026-12-01 (Housing)
 * - gym        weekly    1,006 from 2026-11-26 (Thursdays: Nov 26, Dec 3, 10, 17, 24, ...)
 * - coffee     daily       250 from 2026-11-25 (today)
 * - streaming  monthly   1,299 from 2026-12-10, ends 2027-02-28 (Dec 10, Jan 10, Feb 10)
 * - paused     monthly   5,000 from 2026-11-30, paused
 * - phone      monthly   3,000 from 2026-11-28, its first occurrence skipped (next: Dec 28)
 * - utilities  monthly  10,000 from 2026-12-15, split Housing 7,000 / Fun 3,000
 * - ended      daily        99 from 2026-11-01 to 2026-11-20 (ended before today)
 */
let t: TestSystem;
let owner: Actor;
let viewer: Actor;
let stranger: Actor;
let budgetId: string;
let housing: string;
let fun: string;
const ids: Record<string, string> = {};
const clock = fixedClock('2026-11-24T12:00:00Z');

const upcoming = (query = '', id = budgetId) => `/v1/budgets/${id}/recurring-expenses/upcoming${query}`;
const costs = (query = '', id = budgetId) => `/v1/budgets/${id}/recurring-expenses/costs${query}`;

async function define(name: string, body: Record<string, unknown>) {
  const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/recurring-expenses`, { body });
  expect(res.status, res.text).toBe(201);
  ids[name] = res.json.id;
  return res.headers.get('location')!;
}

beforeAll(async () => {
  t = await createTestSystem({ clock });
  [owner, viewer, stranger] = (await Promise.all(['owner', 'viewer', 'stranger'].map((label) => signUp(t.app, label)))) as [Actor, Actor, Actor];
  const budget = await createBudget(t.app, owner, { currency: 'EUR', timezone: 'Pacific/Kiritimati', categories: [{ name: 'Housing' }, { name: 'Fun' }] });
  budgetId = budget.id;
  [housing, fun] = budget.categories.map((c) => c.id) as [string, string];
  await addMember(t.app, owner, budgetId, viewer, 'viewer');
  await define('rent', { amount: 120_000, merchant: 'Landlord', categoryId: housing, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
  await define('gym', { amount: 1_006, merchant: 'Gym', schedule: { frequency: 'weekly', startsOn: '2026-11-26' } });
  await define('coffee', { amount: 250, description: 'Coffee', schedule: { frequency: 'daily', startsOn: '2026-11-25' } });
  await define('streaming', { amount: 1_299, merchant: 'Netflix', schedule: { frequency: 'monthly', startsOn: '2026-12-10', endsOn: '2027-02-28' } });
  const paused = await define('paused', { amount: 5_000, merchant: 'Magazine', schedule: { frequency: 'monthly', startsOn: '2026-11-30' } });
  expect((await as(t.app, owner)('PATCH', paused, { body: { paused: true } })).status).toBe(200);
  const phone = await define('phone', { amount: 3_000, merchant: 'Phone Co', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } });
  const skipped = await as(t.app, owner)('POST', `${phone}/skip`);
  expect(skipped.json.nextOccurrenceOn, skipped.text).toBe('2026-12-28');
  await define('utilities', {
    amount: 10_000,
    description: 'Utilities',
    splits: [
      { categoryId: housing, amount: 7_000 },
      { categoryId: fun, amount: 3_000, description: 'Internet' },
    ],
    schedule: { frequency: 'monthly', startsOn: '2026-12-15' },
  });
  await define('ended', { amount: 99, schedule: { frequency: 'daily', startsOn: '2026-11-01', endsOn: '2026-11-20' } });
});
afterAll(() => t.destroy());

describe('upcoming bills', { timeout: 60_000 }, () => {
  it("lists the next 30 days' occurrences from today in the budget's time zone, nearest first; paused, skipped and ended ones left out", async () => {
    const res = await as(t.app, viewer)('GET', upcoming());
    expect(res.status, res.text).toBe(200);
    // coffee 30 + gym 5 + rent 1 + streaming 1 + utilities 1; phone's Nov 28 is skipped and its Dec 28 after Dec 24.
    expect(res.json).toMatchObject({ from: '2026-11-25', to: '2026-12-24', currency: 'EUR', count: 38, truncated: false });
    expect(res.json.total).toBe(30 * 250 + 5 * 1_006 + 120_000 + 1_299 + 10_000); // 143,829
    expect(res.json.items).toHaveLength(38);
    const [first, second] = [ids.gym!, ids.coffee!].sort();
    const byId = (id: string) => Object.keys(ids).find((k) => ids[k] === id);
    expect(res.json.items.slice(0, 4).map((i: any) => [i.occurredOn, byId(i.recurringExpenseId), i.daysUntil])).toEqual([
      ['2026-11-25', 'coffee', 0],
      ['2026-11-26', byId(first!), 1],
      ['2026-11-26', byId(second!), 1],
      ['2026-11-27', 'coffee', 2],
    ]);
    const notCoffee = res.json.items.filter((i: any) => i.recurringExpenseId !== ids.coffee);
    // Dec 10 has two: the smaller id first.
    const dec10 = ([['gym', 1_006], ['streaming', 1_299]] as const).map(([name, amount]) => ['2026-12-10', name, amount, 15]);
    if (ids.streaming! < ids.gym!) dec10.reverse();
    expect(notCoffee.map((i: any) => [i.occurredOn, byId(i.recurringExpenseId), i.amount, i.daysUntil])).toEqual([
      ['2026-11-26', 'gym', 1_006, 1],
      ['2026-12-01', 'rent', 120_000, 6],
      ['2026-12-03', 'gym', 1_006, 8],
      ...dec10,
      ['2026-12-15', 'utilities', 10_000, 20],
      ['2026-12-17', 'gym', 1_006, 22],
      ['2026-12-24', 'gym', 1_006, 29],
    ]);
    expect(notCoffee.find((i: any) => i.recurringExpenseId === ids.rent)).toEqual({
      recurringExpenseId: ids.rent,
      occurredOn: '2026-12-01',
      amount: 120_000,
      categoryId: housing,
      merchant: 'Landlord',
      daysUntil: 6,
      // Not an installment plan (no count): none of its figures.
      count: null,
      paymentsLeft: null,
      paymentNumber: null,
    });
    expect(notCoffee.find((i: any) => i.recurringExpenseId === ids.utilities)).toEqual({
      recurringExpenseId: ids.utilities,
      occurredOn: '2026-12-15',
      amount: 10_000,
      categoryId: null,
      description: 'Utilities',
      splits: [
        { categoryId: housing, amount: 7_000 },
        { categoryId: fun, amount: 3_000, description: 'Internet' },
      ],
      daysUntil: 20,
      count: null,
      paymentsLeft: null,
      paymentNumber: null,
    });
    expect(res.json.items[0]).toEqual({ recurringExpenseId: ids.coffee, occurredOn: '2026-11-25', amount: 250, categoryId: null, description: 'Coffee', daysUntil: 0, count: null, paymentsLeft: null, paymentNumber: null });
  });

  it('days=1 is today alone; days=90 counts all 114 occurrences and lists the nearest 100 (truncated)', async () => {
    const today = await as(t.app, owner)('GET', upcoming('?days=1'));
    expect(today.json).toMatchObject({ from: '2026-11-25', to: '2026-11-25', total: 250, count: 1, truncated: false });
    expect(today.json.items.map((i: any) => i.recurringExpenseId)).toEqual([ids.coffee]);

    // To 2027-02-22: coffee 90, gym 13 (Nov 26 + 12 weeks = Feb 18), rent 3, streaming 3, phone 2 (Dec 28, Jan 28), utilities 3.
    const res = await as(t.app, owner)('GET', upcoming('?days=90'));
    expect(res.json).toMatchObject({ from: '2026-11-25', to: '2027-02-22', count: 114, truncated: true });
    expect(res.json.total).toBe(90 * 250 + 13 * 1_006 + 3 * 120_000 + 3 * 1_299 + 2 * 3_000 + 3 * 10_000); // 435,475
    expect(res.json.items).toHaveLength(100);
    // The 14 left out, latest first: coffee Feb 22..12 (11), gym Feb 18, utilities Feb 15, and on Feb 11 the later
    // id of gym and coffee; the earlier one is the last listed (78 days after Nov 25).
    const last = res.json.items.at(-1);
    expect([last.occurredOn, last.recurringExpenseId, last.daysUntil]).toEqual(['2027-02-11', [ids.gym!, ids.coffee!].sort()[0], 78]);
    expect(res.json.items.filter((i: any) => i.recurringExpenseId === ids.phone).map((i: any) => i.occurredOn)).toEqual(['2026-12-28', '2027-01-28']);
  });

  it('any member reads it; a stranger or no such budget 404; days out of 1..90 or not a whole number 400 naming it', async () => {
    expect((await as(t.app, viewer)('GET', upcoming('?days=7'))).status).toBe(200);
    expectProblem(await as(t.app, stranger)('GET', upcoming()), 404);
    expectProblem(await as(t.app, owner)('GET', upcoming('', '01JDNOSUCHBUDGET0000000000')), 404);
    for (const days of ['0', '91', '1.5', 'abc', '', '-1']) expectProblem(await as(t.app, owner)('GET', upcoming(`?days=${days}`)), 400, ['query.days']);
    expectProblem(await as(t.app, owner)('GET', upcoming('?limit=5')), 400);
  });
});

describe('yearly costs', { timeout: 60_000 }, () => {
  it('counts each active definition over 2026-11-25..2027-11-24 exactly, largest first; monthly = yearly / 12 rounded', async () => {
    const res = await as(t.app, viewer)('GET', costs());
    expect(res.status, res.text).toBe(200);
    // None is an installment plan: count and paymentsLeft null.
    const row = (name: string, fields: Record<string, unknown>) => ({ recurringExpenseId: ids[name], ...fields, count: null, paymentsLeft: null });
    expect(res.json).toEqual({
      from: '2026-11-25',
      to: '2027-11-24',
      currency: 'EUR',
      items: [
        // Dec 1 .. Nov 1.
        row('rent', { merchant: 'Landlord', categoryId: housing, frequency: 'monthly', interval: 1, amount: 120_000, occurrences: 12, yearly: 1_440_000, monthly: 120_000 }),
        // Dec 15 .. Nov 15; split: no category of its own.
        row('utilities', { description: 'Utilities', categoryId: null, frequency: 'monthly', interval: 1, amount: 10_000, occurrences: 12, yearly: 120_000, monthly: 10_000 }),
        // Every day of the 365: 91,250 / 12 = 7,604.17.
        row('coffee', { description: 'Coffee', categoryId: null, frequency: 'daily', interval: 1, amount: 250, occurrences: 365, yearly: 91_250, monthly: 7_604 }),
        // Nov 26 + 51 weeks = 2027-11-18 (363 days to Nov 24): 52; 52,312 / 12 = 4,359.33.
        row('gym', { merchant: 'Gym', categoryId: null, frequency: 'weekly', interval: 1, amount: 1_006, occurrences: 52, yearly: 52_312, monthly: 4_359 }),
        // The skipped Nov 28 not counted: Dec 28 .. Oct 28.
        row('phone', { merchant: 'Phone Co', categoryId: null, frequency: 'monthly', interval: 1, amount: 3_000, occurrences: 11, yearly: 33_000, monthly: 2_750 }),
        // Ends Feb 28: Dec 10, Jan 10, Feb 10; 3,897 / 12 = 324.75.
        row('streaming', { merchant: 'Netflix', categoryId: null, frequency: 'monthly', interval: 1, amount: 1_299, occurrences: 3, yearly: 3_897, monthly: 325 }),
      ],
      // 1,740,459 / 12 = 145,038.25.
      totals: { yearly: 1_740_459, monthly: 145_038 },
    });
  });

  it('costs the access BatchGetItem and ONE Query of the definitions', async () => {
    const { result, commands } = await commandsSentDuring(t.doc, () => as(t.app, owner)('GET', costs()));
    expect(result.status).toBe(200);
    expect(commands).toEqual(['BatchGetItemCommand', 'QueryCommand']);
  });

  it('any member reads it; a stranger or no such budget 404; an unknown parameter 400', async () => {
    expectProblem(await as(t.app, stranger)('GET', costs()), 404);
    expectProblem(await as(t.app, owner)('GET', costs('', '01JDNOSUCHBUDGET0000000000')), 404);
    expectProblem(await as(t.app, owner)('GET', costs('?days=30')), 400);
  });
});
