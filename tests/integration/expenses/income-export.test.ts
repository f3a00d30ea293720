import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * GET /v1/budgets/{budgetId}/income/export (packages/expenses/docs/income.md "Income and cash flow", Export): the
 * income entries as CSV, newest receivedOn first, major units, RFC 4180 quoting and the formula
 * guard of the expense export, its range, roles, bad input and pages. Expected files written by hand.
 */
let h: Harness;
let team: Team;
let budget: Budget;

const exportPath = (b: Budget, query = '') => `/v1/budgets/${b.id}/income/export${query}`;
async function record(b: Budget, body: Record<string, unknown>, who: User = team.owner) {
  const res = await h.call('POST', `/v1/budgets/${b.id}/income`, { token: who.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ currency: 'USD' });
  budget = team.budget;
  // Two months, recorded out of order: the file is ordered by receivedOn, not by creation.
  await record(budget, { amount: 320000, receivedOn: '2026-10-28', source: 'Acme payroll', description: 'October salary' });
  await record(budget, { amount: 4500, receivedOn: '2026-11-03', source: 'Smith, Jones & "Co"', description: '=HYPERLINK("http://evil")' });
  await record(budget, { amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll', description: 'November salary' }, team.editor);
  await record(budget, { amount: 7, receivedOn: '2026-10-02', source: '@cmd', description: 'Interest\nsecond line' });
  await record(budget, { amount: 1999, receivedOn: '2026-11-15' });
});
afterAll(() => h.destroy());

describe('income export', { timeout: 120_000 }, () => {
  it('sends every entry, newest first, with a header, major units, RFC 4180 quoting and the formula guard', async () => {
    const res = await h.call('GET', exportPath(budget), { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="income-${budget.id}-start-end.csv"`);
    expect(res.text).toBe(
      'date,amount,source,description,recurringIncomeId\r\n' +
        '2026-11-28,3200.00,Acme payroll,November salary,\r\n' +
        '2026-11-15,19.99,,,\r\n' +
        `2026-11-03,45.00,"Smith, Jones & ""Co""","'=HYPERLINK(""http://evil"")",\r\n` +
        '2026-10-28,3200.00,Acme payroll,October salary,\r\n' +
        `2026-10-02,0.07,'@cmd,"Interest\nsecond line",\r\n`,
    );
    // A CSV reader gets the values back (the guard's apostrophe aside).
    expect(parse(res.text)[3]).toEqual(['2026-11-03', '45.00', 'Smith, Jones & "Co"', `'=HYPERLINK("http://evil")`, '']);
  });

  it('guards each `;`-separated piece of the source and the description, as the expense export guards its text cells', async () => {
    // A spreadsheet that splits at `;` read `Acme;=1+2` as two cells, the second a formula.
    const other = await h.team({ currency: 'USD' });
    await record(other.budget, { amount: 100, receivedOn: '2026-11-05', source: 'Acme;=1+2', description: "Pay;@SUM(A1);'-own" }, other.owner);
    const res = await h.call('GET', exportPath(other.budget), { token: other.owner.token });
    expect(res.status, res.text).toBe(200);
    const [row] = parse(res.text, { from_line: 2 }) as string[][];
    expect(row!.slice(2, 4)).toEqual(["Acme;'=1+2", "Pay;'@SUM(A1);''-own"]);
    expect(row!.slice(2, 4).flatMap((cell) => cell.split(';')).filter((piece) => /^[=+\-@\t\r]/.test(piece))).toEqual([]);
  });

  it('exports a range (inclusive), named in the file name; a viewer may export', async () => {
    const res = await h.call('GET', exportPath(budget, '?from=2026-11-03&to=2026-11-15'), { token: team.viewer.token });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="income-${budget.id}-2026-11-03-2026-11-15.csv"`);
    expect(res.text).toBe('date,amount,source,description,recurringIncomeId\r\n' + '2026-11-15,19.99,,,\r\n' + `2026-11-03,45.00,"Smith, Jones & ""Co""","'=HYPERLINK(""http://evil"")",\r\n`);

    const october = await h.call('GET', exportPath(budget, '?to=2026-10-31'), { token: team.viewer.token });
    expect(october.status, october.text).toBe(200);
    expect(october.text).toBe('date,amount,source,description,recurringIncomeId\r\n' + '2026-10-28,3200.00,Acme payroll,October salary,\r\n' + `2026-10-02,0.07,'@cmd,"Interest\nsecond line",\r\n`);
    expect(october.headers.get('content-disposition')).toBe(`attachment; filename="income-${budget.id}-start-2026-10-31.csv"`);
  });

  it('is the header alone for a budget without income', async () => {
    const empty = await h.createBudget(team.owner, { currency: 'USD' });
    const res = await h.call('GET', exportPath(empty), { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('date,amount,source,description,recurringIncomeId\r\n');
  });

  it('writes amounts with the currency exponent (JPY none, KWD three)', async () => {
    const yen = await h.createBudget(team.owner, { currency: 'JPY' });
    await record(yen, { amount: 250000, receivedOn: '2026-11-25', source: 'Kabushiki' });
    const kwd = await h.createBudget(team.owner, { currency: 'KWD' });
    await record(kwd, { amount: 1250, receivedOn: '2026-11-25' });
    expect((await h.call('GET', exportPath(yen), { token: team.owner.token })).text).toBe('date,amount,source,description,recurringIncomeId\r\n2026-11-25,250000,Kabushiki,,\r\n');
    expect((await h.call('GET', exportPath(kwd), { token: team.owner.token })).text).toBe('date,amount,source,description,recurringIncomeId\r\n2026-11-25,1.250,,,\r\n');
  });

  it('walks every page of the list (pages of 2 here)', async () => {
    const b = await h.createBudget(team.owner, { currency: 'USD' });
    for (let i = 1; i <= 5; i++) await record(b, { amount: i, receivedOn: `2026-0${i}-15` });
    const app = h.expensesAppWith({ csv: { exportPageSize: 2 } });
    const res = await call(app, 'GET', exportPath(b), { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('date,amount,source,description,recurringIncomeId\r\n2026-05-15,0.05,,,\r\n2026-04-15,0.04,,,\r\n2026-03-15,0.03,,,\r\n2026-02-15,0.02,,,\r\n2026-01-15,0.01,,,\r\n');
  });

  it('is a 404 for a stranger and for a budget that does not exist, a 401 without a token', async () => {
    expectProblem(await h.call('GET', exportPath(budget), { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', '/v1/budgets/01JDNOSUCHBUDGET0000000000/income/export', { token: team.owner.token }), 404);
    expectProblem(await h.call('GET', exportPath(budget)), 401);
  });

  it('names a bad from, a bad to, from after to and an unknown parameter (400)', async () => {
    expectProblem(await h.call('GET', exportPath(budget, '?from=2026-13-01'), { token: team.owner.token }), 400, ['query.from']);
    expectProblem(await h.call('GET', exportPath(budget, '?to=yesterday'), { token: team.owner.token }), 400, ['query.to']);
    expectProblem(await h.call('GET', exportPath(budget, '?from=2026-11-02&to=2026-11-01'), { token: team.owner.token }), 400, ['query.from']);
    expectProblem(await h.call('GET', exportPath(budget, '?format=qif'), { token: team.owner.token }), 400, ['query.format']);
  });
});
