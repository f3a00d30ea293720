import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Harness, type Team } from './harness';
import { importExpenses, type ImportedBody } from './seed';

/**
 * GET /v1/budgets/{budgetId}/recurring-expenses/suggestions: the bill finder, computed on read
 * from the budget's newest expenses. The test clock is 2026-11-24T12:00Z (UTC budget), so the
 * 400-day window starts on 2025-10-21. Every expectation is written out by hand from the
 * expenses made here (one CSV import per budget: fast).
 */
let h: Harness;
let team: Team;
let bills: string;
let food: string;
const path = (budget: { id: string }) => `/v1/budgets/${budget.id}/recurring-expenses/suggestions`;

async function suggest(budget: { id: string } = team.budget, token = team.owner.token) {
  const res = await h.call('GET', path(budget), { token });
  expect(res.status, res.text).toBe(200);
  return res;
}

/** A weekly cleaner, uncategorized, last paid a week before today. */
const cleaner: ImportedBody[] = ['2026-11-03', '2026-11-10', '2026-11-17'].map((occurredOn) => ({ amount: 6000, occurredOn, categoryId: null, merchant: 'Cleaner' }));

const monthly = (merchant: string, amount: number, dates: string[], categoryId: string | null): ImportedBody[] =>
  dates.map((occurredOn) => ({ amount, occurredOn, categoryId, merchant }));

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Bills', 'Food'] });
  [bills, food] = team.budget.categories.map((c) => c.id) as [string, string];
  await importExpenses(h, team.budget, team.owner, [
    // A monthly bill (one payment a day early), five payments of one amount.
    ...monthly('Netflix', 1299, ['2026-07-03', '2026-08-03', '2026-09-02', '2026-10-03', '2026-11-03'], bills),
    // Weekly, filed under Food three times out of four.
    ...monthly('Veg Box', 2500, ['2026-11-02', '2026-11-09', '2026-11-16'], food),
    { amount: 2500, occurredOn: '2026-11-23', categoryId: bills, merchant: 'VEG BOX' },
    // Monthly, amounts within 10% of their median: medium, the latest amount.
    { amount: 4000, occurredOn: '2026-09-20', categoryId: bills, merchant: 'Phone Co' },
    { amount: 4200, occurredOn: '2026-10-20', categoryId: bills, merchant: 'Phone Co' },
    { amount: 4100, occurredOn: '2026-11-20', categoryId: bills, merchant: 'Phone Co' },
    // Weekly, due today (11-24) and not entered yet: expected today.
    ...cleaner,
    // Irregular: no cadence fits every gap.
    ...[['2026-09-01', 830], ['2026-09-20', 1210], ['2026-10-30', 560], ['2026-11-20', 990]].map(([occurredOn, amount]) => ({
      amount: amount as number,
      occurredOn: occurredOn as string,
      categoryId: food,
      merchant: 'Corner Shop',
    })),
    // Stopped: monthly until August, 106 days before today (more than 1.5 months).
    ...monthly('Old Gym', 3000, ['2026-05-10', '2026-06-10', '2026-07-10', '2026-08-10'], bills),
    // Monthly, but a recurring expense already covers it (spelled otherwise).
    ...monthly('Home Insurance', 4500, ['2026-09-15', '2026-10-15', '2026-11-15'], bills),
  ]);
  const covered = await h.call('POST', `/v1/budgets/${team.budget.id}/recurring-expenses`, {
    token: team.editor.token,
    body: { amount: 4500, merchant: 'HOME  insurance', categoryId: bills, schedule: { frequency: 'monthly', startsOn: '2026-12-15' } },
  });
  expect(covered.status, covered.text).toBe(201);
});
afterAll(() => h.destroy());

describe('recurring expense suggestions', () => {
  it('finds the monthly and weekly bills with their next dates; irregular, stopped and covered merchants are left out', async () => {
    const res = await suggest();
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    expect(res.json).toEqual({
      items: [
        {
          merchant: 'VEG BOX',
          categoryId: food,
          amount: 2500,
          currency: 'USD',
          cadence: { frequency: 'weekly', interval: 1 },
          occurrences: 4,
          lastOn: '2026-11-23',
          nextExpectedOn: '2026-11-30',
          amountVaries: false,
          confidence: 'high',
          recurringExpense: { amount: 2500, categoryId: food, merchant: 'VEG BOX', schedule: { frequency: 'weekly', interval: 1, startsOn: '2026-11-23' } },
        },
        {
          merchant: 'Netflix',
          categoryId: bills,
          amount: 1299,
          currency: 'USD',
          cadence: { frequency: 'monthly', interval: 1 },
          occurrences: 5,
          lastOn: '2026-11-03',
          nextExpectedOn: '2026-12-03',
          amountVaries: false,
          confidence: 'high',
          recurringExpense: { amount: 1299, categoryId: bills, merchant: 'Netflix', schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-03' } },
        },
        {
          merchant: 'Cleaner',
          categoryId: null,
          amount: 6000,
          currency: 'USD',
          cadence: { frequency: 'weekly', interval: 1 },
          occurrences: 3,
          lastOn: '2026-11-17',
          nextExpectedOn: '2026-11-24',
          amountVaries: false,
          confidence: 'medium',
          recurringExpense: { amount: 6000, categoryId: null, merchant: 'Cleaner', schedule: { frequency: 'weekly', interval: 1, startsOn: '2026-11-17' } },
        },
        {
          merchant: 'Phone Co',
          categoryId: bills,
          amount: 4100,
          currency: 'USD',
          cadence: { frequency: 'monthly', interval: 1 },
          occurrences: 3,
          lastOn: '2026-11-20',
          nextExpectedOn: '2026-12-20',
          amountVaries: true,
          confidence: 'medium',
          recurringExpense: { amount: 4100, categoryId: bills, merchant: 'Phone Co', schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-20' } },
        },
      ],
      window: { from: '2025-10-21', expensesExamined: 26, complete: true },
    });
  });

  it('any member reads it (a viewer too); a stranger or no such budget 404, no token 401', async () => {
    const owner = await suggest();
    expect((await suggest(team.budget, team.viewer.token)).json).toEqual(owner.json);
    expect((await suggest(team.budget, team.editor.token)).json).toEqual(owner.json);
    expectProblem(await h.call('GET', path(team.budget), { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', path({ id: '01JDNOSUCHBUDGET0000000000' }), { token: team.owner.token }), 404);
    expectProblem(await h.call('GET', path(team.budget)), 401);
    expectProblem(await h.call('GET', `${path(team.budget)}?limit=5`, { token: team.owner.token }), 400);
  });

  it('reads the access, the window (projected, bounded) and the definitions; writes nothing; a cut window says so', async () => {
    const app = h.expensesAppWith({ recurringSuggestions: { maxExpenses: 5 } });
    const { result: res, sent } = await commandsSentDuring(h.t.doc, () => call(app, 'GET', path(team.budget), { token: team.viewer.token }));
    expect(res.status, res.text).toBe(200);
    // The newest 5: Veg Box 11-23, Phone Co and Corner Shop 11-20, Cleaner 11-17, Veg Box 11-16: no merchant has 3.
    expect(res.json).toEqual({ items: [], window: { from: '2026-11-16', expensesExamined: 5, complete: false } });
    const windowQueries = sent.filter((c) => c.name === 'QueryCommand' && c.input.IndexName === 'gsi1');
    for (const q of windowQueries) expect(q.input).toMatchObject({ ScanIndexForward: false, ProjectionExpression: '#merchant, #categoryId, #amount, #occurredOn, #refund' });
    expect(windowQueries.reduce((sum, q) => sum + Number(q.input.Limit), 0)).toBeLessThanOrEqual(6);
    expect(sent.map((c) => c.name).sort()).toEqual(['BatchGetItemCommand', ...windowQueries.map(() => 'QueryCommand'), 'QueryCommand']);
  });

  it("next dates are in the budget's time zone: at 12:00 UTC it is already tomorrow in Kiritimati", async () => {
    // The UTC budget expects the cleaner today (11-24, first test); in Kiritimati today is 11-25, so the next is 12-01.
    const east = await h.createBudget(team.owner, { categories: ['Home'], timezone: 'Pacific/Kiritimati' });
    await importExpenses(h, east, team.owner, cleaner);
    expect((await suggest(east)).json.items).toMatchObject([{ merchant: 'Cleaner', nextExpectedOn: '2026-12-01', recurringExpense: { schedule: { startsOn: '2026-11-17' } } }]);
  });

  it('posting a suggestion as is sets it up (first occurrence: nextExpectedOn), and it is suggested no more', async () => {
    const before = (await suggest()).json.items as { merchant: string; nextExpectedOn: string; recurringExpense: unknown }[];
    const netflix = before.find((s) => s.merchant === 'Netflix')!;
    const posted = await h.call('POST', `/v1/budgets/${team.budget.id}/recurring-expenses`, { token: team.editor.token, body: netflix.recurringExpense });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.json).toMatchObject({ amount: 1299, categoryId: bills, merchant: 'Netflix', nextOccurrenceOn: netflix.nextExpectedOn, paused: false });
    const after = (await suggest()).json.items.map((s: { merchant: string }) => s.merchant);
    expect(after).toEqual(['VEG BOX', 'Cleaner', 'Phone Co']);
    // A paused definition still covers its merchant; a deleted one no longer does.
    const id = posted.json.id as string;
    const paused = await h.call('PATCH', `/v1/budgets/${team.budget.id}/recurring-expenses/${id}`, { token: team.editor.token, body: { paused: true } });
    expect(paused.status, paused.text).toBe(200);
    expect((await suggest()).json.items.map((s: { merchant: string }) => s.merchant)).toEqual(['VEG BOX', 'Cleaner', 'Phone Co']);
    const removed = await h.call('DELETE', `/v1/budgets/${team.budget.id}/recurring-expenses/${id}`, { token: team.editor.token });
    expect(removed.status, removed.text).toBe(204);
    expect((await suggest()).json.items.map((s: { merchant: string }) => s.merchant)).toEqual(['VEG BOX', 'Netflix', 'Cleaner', 'Phone Co']);
  });

  it('an ended definition no longer covers its merchant, also when it was left paused (it can never record again)', async () => {
    const all = ['VEG BOX', 'Netflix', 'Cleaner', 'Phone Co'];
    // A contract that ran to the end of October: ended (no next occurrence), then paused.
    const ended = await h.call('POST', `/v1/budgets/${team.budget.id}/recurring-expenses`, {
      token: team.editor.token,
      body: { amount: 1299, merchant: 'Netflix', categoryId: bills, schedule: { frequency: 'monthly', startsOn: '2026-06-03', endsOn: '2026-10-31' } },
    });
    expect(ended.status, ended.text).toBe(201);
    expect(ended.json.nextOccurrenceOn).toBeNull();
    const url = `/v1/budgets/${team.budget.id}/recurring-expenses/${ended.json.id}`;
    expect((await suggest()).json.items.map((s: { merchant: string }) => s.merchant)).toEqual(all);
    const paused = await h.call('PATCH', url, { token: team.editor.token, body: { paused: true } });
    expect(paused.status, paused.text).toBe(200);
    // Resuming it would find no date on or before its end: it stays ended, so Netflix is suggested still.
    expect((await suggest()).json.items.map((s: { merchant: string }) => s.merchant)).toEqual(all);
    expect((await h.call('DELETE', url, { token: team.editor.token })).status).toBe(204);
  });
});
