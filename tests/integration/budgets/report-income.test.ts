import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { readCostDuring } from '../../support/sent-commands';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, createBudget, signup, type Account } from './helpers';

/**
 * A monthly report's income and savings rate (packages/budgets/docs/reports.md "Reports"), through HTTP on DynamoDB
 * Local: October with income, November whose only entry was deleted (its month total item is 0),
 * a weekly budget with income (its periods are not months: no field). Figures worked out by hand.
 */
const clock = fixedClock('2026-09-10T12:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const setClock = (when: string) => setClockFor(t, clock, owner, when);
const call = (method: string, path: string, body?: unknown) => as(t.app, owner)(method, path, body === undefined ? {} : { body });

async function earn(budgetId: string, receivedOn: string, amount: number): Promise<string> {
  const res = await call('POST', `/v1/budgets/${budgetId}/income`, { amount, receivedOn });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

/** POST a report, measured: the report, the commands sent and the read units. */
async function report(budgetId: string, date: string) {
  const cost = await readCostDuring(t.doc, () => call('POST', `/v1/budgets/${budgetId}/reports`, { date }));
  expect(cost.result.status, cost.result.text).toBe(201);
  const totals = cost.sent.filter((c) => JSON.stringify(c.input).includes('expenses#totals#'));
  const bounds = totals.map((c) => {
    const values = c.input.ExpressionAttributeValues as Record<string, string>;
    return `${values[':lo']?.split('#')[2]}..${values[':hi']?.split('#')[2]}`;
  });
  return { body: cost.result.json, commands: cost.commands, bounds, readUnits: cost.readUnits };
}

describe('a monthly report shows the month\'s income and savings rate', () => {
  it('October with income, November without (an entry recorded then deleted): fields only where there was income, the same requests', async () => {
    const budget = await createBudget(t.app, owner, { limit: 100_000, categories: [{ name: 'Food' }] });
    await setClock('2026-12-05T12:00:00Z');
    await addExpense(t.app, owner, budget.id, { amount: 12_000, occurredOn: '2026-09-20' });
    await addExpense(t.app, owner, budget.id, { amount: 30_000, occurredOn: '2026-10-03' });
    await addExpense(t.app, owner, budget.id, { amount: 5_000, occurredOn: '2026-10-28' });
    await addExpense(t.app, owner, budget.id, { amount: 20_000, occurredOn: '2026-11-11' });
    await earn(budget.id, '2026-10-01', 40_000);
    await earn(budget.id, '2026-10-31', 2_001);
    const gone = await earn(budget.id, '2026-11-15', 9_000);
    expect((await call('DELETE', `/v1/budgets/${budget.id}/income/${gone}`)).status).toBe(204);
    // September's income, for the previous period only: never October's.
    await earn(budget.id, '2026-09-30', 1_000);

    const october = await report(budget.id, '2026-10-15');
    // 42,001 in, 35,000 spent: 7,001 kept, 16.6686..% -> 1667 bp (a floor would say 1666).
    expect(october.body).toMatchObject({ periodStart: '2026-10-01', spent: 35_000, income: 42_001, savingsRate: 1_667 });
    const november = await report(budget.id, '2026-11-15');
    expect(november.body.spent).toBe(20_000);
    expect(november.body).not.toHaveProperty('income');
    expect(november.body).not.toHaveProperty('savingsRate');

    // The same requests with and without income: the access read, the existing-report check, ONE
    // totals Query (the previous month to this one: its bounds hold the month's income item, read
    // before income was shown too), the merchants' walk, the transaction.
    expect(october.commands).toEqual(november.commands);
    expect([...october.commands].sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'QueryCommand', 'QueryCommand', 'TransactWriteItemsCommand']);
    expect(october.bounds).toEqual(['2026-09..2026-10']);
    expect(november.bounds).toEqual(['2026-10..2026-11']);
    // The access BatchGetItem (3), the existing-report GetItem (1: absent), the totals Query (a few small items: 1), the walk (eventually consistent: 0.5).
    expect(october.readUnits).toBe(5.5);
    expect(november.readUnits).toBe(5.5);

    // Stored and read back as made; the event says the same; the page shows it.
    const again = await call('GET', `/v1/budgets/${budget.id}/reports/${october.body.id}`);
    expect(again.json).toEqual(october.body);
    const events = (await outboxEvents(t, 'report.generated')).filter((e) => e.envelope.data.budgetId === budget.id).map((e) => e.envelope.data);
    expect(events.find((e) => e.reportId === october.body.id)).toMatchObject({ spent: 35_000, income: 42_001, savingsRate: 1_667 });
    const novemberEvent = events.find((e) => e.reportId === november.body.id)!;
    expect(novemberEvent).not.toHaveProperty('income');
    const page = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/reports/${october.body.id}`, { headers: { accept: 'text/html' } });
    expect(page.text).toContain('<tr><th>Income</th><td class="n"><span>420.01</span></td></tr><tr><th>Savings rate</th><td class="n"><span>16.67%</span></td></tr>');
  });

  it('a weekly budget\'s report has no income: its periods are not the months the income is kept by', async () => {
    await setClock('2026-11-02T09:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'weekly', limit: 10_000, categories: [{ name: 'Food' }] });
    await setClock('2026-12-05T12:00:00Z');
    await addExpense(t.app, owner, budget.id, { amount: 1_000, occurredOn: '2026-11-04' });
    await earn(budget.id, '2026-11-04', 50_000);
    const week = await report(budget.id, '2026-11-04');
    expect(week.body).toMatchObject({ periodStart: '2026-11-02', periodEnd: '2026-11-08', spent: 1_000 });
    expect(week.body).not.toHaveProperty('income');
  });
});
