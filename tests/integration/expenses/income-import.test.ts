import { createEvent, newId, systemClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incomeRecorded } from '../../../packages/expenses/src/events';
import type { Income } from '../../../packages/expenses/src/model';
import { ImportsRepository, type IncomeRow } from '../../../packages/expenses/src/repository/imports.repository';
import { IncomeRepository } from '../../../packages/expenses/src/repository/income.repository';
import { deliver, outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, type SentCommand } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { ofxStatement, type OfxTransaction } from './ofx-statement';

/**
 * `?credits=income` (packages/expenses/docs/income.md "Income and cash flow", packages/expenses/docs/expense-fields.md "Refunds"): a bank statement's
 * credits imported as INCOME entries, through the HTTP API on DynamoDB Local, jobs worked inline.
 * Every expected figure is worked out by hand from the files below.
 */
let h: Harness;
let owner: User;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('income-import');
});
afterAll(() => h.destroy());

/** An OFX 1.02 statement (SGML, CRLF), one account, USD. */
const ofx = (transactions: OfxTransaction[]): string => ofxStatement(transactions);

/**
 * Three debits (45.20 + 3.50 in November, 60.00 in December) and three credits (2500.00 salary
 * and 15.00 in November, 1200.00 in December). Hand-worked cash flow with the credits as income:
 * November income 2515.00, spent 48.70, net 2466.30, rate 246630 / 251500 = 0.98064 -> 9806 bp;
 * December income 1200.00, spent 60.00, net 1140.00, rate 0.95 -> 9500; the range income
 * 3715.00, spent 108.70, net 3606.30, rate 360630 / 371500 = 0.97074 -> 9707.
 */
const STATEMENT = ofx([
  { type: 'DEBIT', posted: '20261103', amount: '-45.20', fitId: 'd-1103', name: 'WHOLE FOODS', memo: 'POS PURCHASE' },
  { type: 'CREDIT', posted: '20261105', amount: '2500.00', fitId: 'c-1105', name: 'ACME PAYROLL', memo: 'SALARY NOV' },
  { type: 'DEBIT', posted: '20261108', amount: '-3.50', fitId: 'd-1108', name: 'METRO TRANSIT' },
  { type: 'CREDIT', posted: '20261121', amount: '15.00', fitId: 'c-1121', name: 'CASHBACK' },
  { type: 'CREDIT', posted: '20261201', amount: '1200.00', fitId: 'c-1201', name: 'ACME PAYROLL', memo: 'BONUS' },
  { type: 'DEBIT', posted: '20261202', amount: '-60.00', fitId: 'd-1202', name: 'SHELL OIL' },
]);
const lines = STATEMENT.split('\r\n');
/** The line of the `<STMTTRN>` holding `fitId` (1-based), as the import reports it. */
const lineOf = (fitId: string) => lines.findIndex((l, i) => l === '<STMTTRN>' && lines[i + 4] === `<FITID>${fitId}`) + 1;

const importOfx = (b: Budget, query: Record<string, string>, file = STATEMENT) =>
  h.call('POST', `/v1/budgets/${b.id}/expenses/import?${new URLSearchParams(query).toString()}`, {
    token: owner.token,
    rawBody: file,
    headers: { 'content-type': 'application/x-ofx', prefer: 'wait=25' },
  });
const incomeOf = async (b: Budget) => {
  const res = await h.call('GET', `/v1/budgets/${b.id}/income?limit=100`, { token: owner.token });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as any[]).map(({ amount, receivedOn, source, description, createdBy, version }) => ({ amount, receivedOn, source, description, createdBy, version }));
};
const expensesOf = async (b: Budget) =>
  (await h.listExpenses(b, owner.token)).map(({ occurredOn, amount, merchant, refund }) => ({ occurredOn, amount, merchant, refund: refund ?? false }));
const cashFlow = async (b: Budget) => {
  const res = await h.call('GET', `/v1/budgets/${b.id}/cash-flow?from=2026-11&to=2026-12`, { token: owner.token });
  expect(res.status, res.text).toBe(200);
  return res.json;
};

const SALARY = { amount: 250000, receivedOn: '2026-11-05', source: 'ACME PAYROLL', description: 'SALARY NOV' };
const CASHBACK = { amount: 1500, receivedOn: '2026-11-21', source: 'CASHBACK' };
const BONUS = { amount: 120000, receivedOn: '2026-12-01', source: 'ACME PAYROLL', description: 'BONUS' };
const DEBITS = [
  { occurredOn: '2026-12-02', amount: 6000, merchant: 'SHELL OIL', refund: false },
  { occurredOn: '2026-11-08', amount: 350, merchant: 'METRO TRANSIT', refund: false },
  { occurredOn: '2026-11-03', amount: 4520, merchant: 'WHOLE FOODS', refund: false },
];

describe('credits=income', { timeout: 120_000 }, () => {
  it('OFX: debits are expenses, credits income entries; the cash flow; a dry run writes nothing; the same file twice adds nothing', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });

    const dry = await importOfx(b, { dryRun: 'true', credits: 'income' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, total: 6, imported: 6, incomeImported: 3, duplicates: 0, errorCount: 0, skipped: 0, skippedLines: [] });
    expect(dry.json.income).toEqual([
      { line: lineOf('c-1105'), ...SALARY },
      { line: lineOf('c-1121'), ...CASHBACK },
      { line: lineOf('c-1201'), ...BONUS },
    ]);
    expect(dry.json.importLines).toEqual(['d-1103', 'c-1105', 'd-1108', 'c-1121', 'c-1201', 'd-1202'].map(lineOf));
    expect(await expensesOf(b)).toEqual([]);
    expect(await incomeOf(b)).toEqual([]);

    const done = await importOfx(b, { credits: 'income' });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', total: 6, processed: 6, imported: 6, incomeImported: 3, duplicates: 0, errorCount: 0, skipped: 0 });
    expect(await expensesOf(b)).toEqual(DEBITS);
    const by = { createdBy: owner.id, version: 1 };
    expect(await incomeOf(b)).toEqual([
      { ...BONUS, ...by },
      { ...CASHBACK, description: undefined, ...by },
      { ...SALARY, ...by },
    ]);
    // Spending is the debits alone: income never moves a spending figure.
    expect(await h.spent(b, owner.token, '2026-11-15')).toBe(4870);
    const figures = {
      months: [
        { month: '2026-11', income: 251500, spent: 4870, net: 246630, savingsRate: 9806 },
        { month: '2026-12', income: 120000, spent: 6000, net: 114000, savingsRate: 9500 },
      ],
      total: { income: 371500, spent: 10870, net: 360630, savingsRate: 9707 },
    };
    expect(await cashFlow(b)).toMatchObject(figures);
    const read = await h.call('GET', `/v1/budgets/${b.id}/imports/${done.json.id}`, { token: owner.token });
    expect(read.json).toMatchObject({ imported: 6, incomeImported: 3 });

    // The same file again, as income, as refunds (credits keyed as refund rows are) or skipped: nothing added.
    expect((await importOfx(b, { credits: 'income' })).json).toMatchObject({ status: 'succeeded', imported: 0, incomeImported: 0, duplicates: 6 });
    expect((await importOfx(b, { credits: 'refunds' })).json).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 6 });
    const skipped = await importOfx(b, {});
    expect(skipped.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 3, skipped: 3 });
    expect(skipped.json).not.toHaveProperty('incomeImported');
    expect((await importOfx(b, { dryRun: 'true', credits: 'income' })).json).toMatchObject({ imported: 0, incomeImported: 0, duplicates: 6, income: [] });
    expect(await incomeOf(b)).toHaveLength(3);
    expect(await expensesOf(b)).toHaveLength(3);
    expect(await cashFlow(b)).toMatchObject(figures);
    expectProblem(await importOfx(b, { credits: 'salary', dryRun: 'true' }), 400, ['query.credits']);
  });

  it('without credits=income nothing changes: no incomeImported, no income field, credits skipped', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const dry = await importOfx(b, { dryRun: 'true' });
    expect(dry.json).not.toHaveProperty('incomeImported');
    expect(dry.json).not.toHaveProperty('income');
    const done = await importOfx(b, { credits: 'refunds' });
    expect(done.json).toMatchObject({ imported: 6, skipped: 0 });
    expect(done.json).not.toHaveProperty('incomeImported');
    expect(await incomeOf(b)).toEqual([]);
    expect((await cashFlow(b)).total).toMatchObject({ income: 0 });
  });

  it('the undo removes the income entries it wrote (a changed one kept), the income totals with them; the file then imports again', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const done = await importOfx(b, { credits: 'income' });
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 6, incomeImported: 3 });
    // The bonus changed since the import (version 2): kept, as a changed expense is.
    const listed = await h.call('GET', `/v1/budgets/${b.id}/income?limit=100`, { token: owner.token });
    const bonus = (listed.json.items as any[]).find((i) => i.receivedOn === '2026-12-01');
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}/income/${bonus.id}`, { token: owner.token, body: { description: 'Year-end bonus' } });
    expect(patched.status, patched.text).toBe(200);

    const undo = await h.call('POST', `/v1/budgets/${b.id}/imports/${done.json.id}/undo`, { token: owner.token, headers: { prefer: 'wait=25' } });
    expect(undo.status, undo.text).toBe(200);
    // 6 imported: 3 expenses and 2 income entries removed, the changed bonus kept.
    expect(undo.json.undo).toMatchObject({ status: 'succeeded', removed: 5, kept: 1, gone: 0, total: 6 });
    expect(await expensesOf(b)).toEqual([]);
    expect(await incomeOf(b)).toEqual([{ ...BONUS, description: 'Year-end bonus', createdBy: owner.id, version: 2 }]);
    expect(await cashFlow(b)).toMatchObject({
      months: [
        { month: '2026-11', income: 0, spent: 0, net: 0, savingsRate: null },
        { month: '2026-12', income: 120000, spent: 0, net: 120000, savingsRate: 10000 },
      ],
    });

    // Their markers went with them: the file again records the 5, the kept bonus a duplicate.
    const again = await importOfx(b, { credits: 'income' });
    expect(again.json).toMatchObject({ status: 'succeeded', imported: 5, incomeImported: 2, duplicates: 1 });
    expect(await incomeOf(b)).toHaveLength(3);
    expect((await cashFlow(b)).total).toMatchObject({ income: 371500, spent: 10870 });
  });

  it('a CSV with a sign convention and the YNAB preset: credits as income; our own format keeps a negative amount a refund', async () => {
    const b = await h.createBudget(owner, { currency: 'USD', categories: ['Groceries'] });
    // amountSign=negativeIsSpending: -12.00 and -30.50 spent, +1800.00 and +20.00 in, 0.00 skipped.
    const csv = ['Date,Amount,Payee,Memo', '2026-11-02,-12.00,Bakery,bread', '2026-11-03,1800.00,Employer Ltd,Salary', '2026-11-04,0.00,Bank,fee waived', '2026-11-05,-30.50,Grocer,', '2026-11-06,20.00,Friend,dinner share', ''].join('\n');
    const mapping = { dateColumn: 'Date', amountColumn: 'Amount', merchantColumn: 'Payee', descriptionColumn: 'Memo', amountSign: 'negativeIsSpending' };
    const dry = await h.importCsv(b, owner, csv, { ...mapping, credits: 'income', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ total: 4, imported: 4, incomeImported: 2, skipped: 1, skippedLines: [4] });
    expect(dry.json.income).toEqual([
      { line: 3, amount: 180000, receivedOn: '2026-11-03', source: 'Employer Ltd', description: 'Salary' },
      { line: 6, amount: 2000, receivedOn: '2026-11-06', source: 'Friend', description: 'dinner share' },
    ]);
    const done = await h.importCsv(b, owner, csv, { ...mapping, credits: 'income' });
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 4, incomeImported: 2, skipped: 1 });
    expect(await expensesOf(b)).toEqual([
      { occurredOn: '2026-11-05', amount: 3050, merchant: 'Grocer', refund: false },
      { occurredOn: '2026-11-02', amount: 1200, merchant: 'Bakery', refund: false },
    ]);
    expect((await incomeOf(b)).map((i) => i.amount)).toEqual([2000, 180000]);
    expect((await h.importCsv(b, owner, csv, { ...mapping, credits: 'income' })).json).toMatchObject({ imported: 0, duplicates: 4 });

    // YNAB's export: the Inflow row (Acme Corp, 2,500.00, "Salary") is income; its 3 outflows expenses.
    const ynab = [
      '"Account","Flag","Date","Payee","Category Group/Category","Category Group","Category","Memo","Outflow","Inflow","Cleared"',
      '"Checking","","11/03/2026","Trader Joe\'s","Everyday Expenses: Groceries","Everyday Expenses","Groceries","Weekly shop","1,234.56","0.00","Cleared"',
      '"Checking","","11/04/2026","Acme Corp","Inflow: Ready to Assign","Inflow","Ready to Assign","Salary","0.00","2,500.00","Cleared"',
      '"Checking","Red","11/05/2026","Shell","Monthly Bills: Car Fuel","Monthly Bills","Car Fuel","","45.10","0.00","Uncleared"',
      '',
    ].join('\r\n');
    const y = await h.createBudget(owner, { currency: 'USD', categories: ['Groceries'] });
    const preset = await h.importCsv(y, owner, ynab, { profile: 'ynab', credits: 'income' });
    expect(preset.json).toMatchObject({ status: 'succeeded', profileId: 'ynab', total: 3, imported: 3, incomeImported: 1, skipped: 0, errorCount: 0 });
    expect(await incomeOf(y)).toEqual([{ amount: 250000, receivedOn: '2026-11-04', source: 'Acme Corp', description: 'Salary', createdBy: owner.id, version: 1 }]);
    expect((await expensesOf(y)).map((e) => e.amount)).toEqual([4510, 123456]);

    // Our own format (no sign convention): -5.00 is a refund whatever `credits` says; nothing is income.
    const own = await h.importCsv(b, owner, 'date,amount,category,description,merchant\n2026-11-09,-5.00,,returned,Bakery\n', { credits: 'income' });
    expect(own.json).toMatchObject({ status: 'succeeded', imported: 1 });
    expect(own.json).not.toHaveProperty('incomeImported');
    expect((await expensesOf(b))[0]).toEqual({ occurredOn: '2026-11-09', amount: 500, merchant: 'Bakery', refund: true });
    expect(await incomeOf(b)).toHaveLength(2);
  });

  it("an import profile saves credits: income; the query's credits overrides it", async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const path = `/v1/budgets/${b.id}/import-profiles`;
    expectProblem(await h.call('POST', path, { token: owner.token, body: { name: 'x', mapping: { debitColumn: 'Out', creditColumn: 'In' }, credits: 'salary' } }), 400, ['credits']);
    const created = await h.call('POST', path, {
      token: owner.token,
      body: { name: 'Current account', mapping: { dateColumn: 'Date', merchantColumn: 'Who', debitColumn: 'Out', creditColumn: 'In' }, credits: 'income' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.credits).toBe('income');
    expect((await h.call('GET', `${path}/${created.json.id}`, { token: owner.token })).json.credits).toBe('income');

    const csv = ['Date,Who,Out,In', '2026-11-02,Cafe,4.50,', '2026-11-03,Employer,,2000.00', ''].join('\n');
    const skippedByQuery = await h.importCsv(b, owner, csv, { profile: created.json.id, credits: 'skip', dryRun: 'true' });
    expect(skippedByQuery.json).toMatchObject({ imported: 1, skipped: 1 });
    expect(skippedByQuery.json).not.toHaveProperty('incomeImported');
    const done = await h.importCsv(b, owner, csv, { profile: created.json.id });
    expect(done.json).toMatchObject({ status: 'succeeded', profileId: created.json.id, imported: 2, incomeImported: 1, skipped: 0 });
    expect(await incomeOf(b)).toEqual([{ amount: 200000, receivedOn: '2026-11-03', source: 'Employer', description: undefined, createdBy: owner.id, version: 1 }]);
    expect(await expensesOf(b)).toEqual([{ occurredOn: '2026-11-02', amount: 450, merchant: 'Cafe', refund: false }]);
  });

  it('costs: a debit row as without it (same requests, same transaction items); the credits ONE transaction per group (entry and marker each, the month income total, closed check, events, change stamp, guard)', async () => {
    const debits = ofx([
      { type: 'DEBIT', posted: '20261103', amount: '-45.20', fitId: 'd-1103', name: 'WHOLE FOODS' },
      { type: 'DEBIT', posted: '20261108', amount: '-3.50', fitId: 'd-1108', name: 'METRO TRANSIT' },
    ]);
    const items = (sent: SentCommand[]) => sent.filter((c) => c.name === 'TransactWriteItemsCommand').map((c) => (c.input.TransactItems as Record<string, unknown>[]).map((i) => Object.keys(i)[0]).join(' '));
    // The requests about the budget (an account's own bookkeeping, e.g. a rate limit's counter, may come and go between calls).
    const about = (b: Budget, sent: SentCommand[]) => sent.filter((c) => JSON.stringify(c.input).includes(b.id));
    const ofBudget = (b: Budget, sent: SentCommand[]) => about(b, sent).map((c) => c.name);
    await importOfx(await h.createBudget(owner, { currency: 'USD' }), {}, debits); // warm the process's code paths
    const [plain, withIncome] = [await h.createBudget(owner, { currency: 'USD' }), await h.createBudget(owner, { currency: 'USD' })];
    const skip = await commandsSentDuring(h.t.doc, () => importOfx(plain, {}, debits));
    const income = await commandsSentDuring(h.t.doc, () => importOfx(withIncome, { credits: 'income' }, debits));
    expect(income.result.json).toMatchObject({ imported: 2, incomeImported: 0 });
    expect(ofBudget(withIncome, income.sent)).toEqual(ofBudget(plain, skip.sent));
    expect(ofBudget(plain, skip.sent).length).toBeGreaterThan(5);
    expect(items(about(withIncome, income.sent))).toEqual(items(about(plain, skip.sent)));

    // Two credits in November, one in December, in one group: per credit its entry and marker
    // (Put, Put), one income total Update per month, the closed-budget check and the archive guard.
    const credits = ofx([
      { type: 'CREDIT', posted: '20261105', amount: '2500.00', fitId: 'c-1105', name: 'ACME PAYROLL' },
      { type: 'CREDIT', posted: '20261121', amount: '15.00', fitId: 'c-1121', name: 'CASHBACK' },
      { type: 'CREDIT', posted: '20261201', amount: '1200.00', fitId: 'c-1201', name: 'ACME PAYROLL' },
    ]);
    const b = await h.createBudget(owner, { currency: 'USD' });
    const written = await commandsSentDuring(h.t.doc, () => importOfx(b, { credits: 'income' }, credits));
    expect(written.result.json).toMatchObject({ status: 'succeeded', imported: 3, incomeImported: 3 });
    // The import record's creation (its Put with the budget's closed-budget check) aside.
    const recordCreate = (c: SentCommand) => (c.input.TransactItems as Record<string, any>[] | undefined)?.[0]?.Put?.Item?.kind === 'import';
    const incomeTransactions = items(written.sent.filter((c) => !recordCreate(c))).filter((t) => !t.startsWith('Update'));
    // ... and, after the closed check, each credit's income.recorded outbox item (Put), then the
    // change stamp: the counter's increment by 3 (Update) and one change entry per credit (Put).
    expect(incomeTransactions).toEqual(['Put Put Put Put Put Put Update Update ConditionCheck Put Put Put Update Put Put Put ConditionCheck']);
    const stamp = (written.sent.find((c) => c.name === 'TransactWriteItemsCommand' && items([c])[0] === incomeTransactions[0])!.input.TransactItems as Record<string, any>[]).slice(12, 16);
    expect(stamp[0]!.Update.ExpressionAttributeValues[':next']).toBe(3);
    expect(stamp.slice(1).map((i) => [i.Put.Item.seq, typeof i.Put.Item.incomeId, i.Put.Item.expenseId])).toEqual([[1, 'string', undefined], [2, 'string', undefined], [3, 'string', undefined]]);
    expect(items(skip.sent).some((t) => t === incomeTransactions[0])).toBe(false);
  });
});

/** The income events of type `type` about budget `b` in the outbox, oldest first. */
const incomeEventsOf = async (b: Budget, type: string) => (await outboxEvents(h.t, type)).filter((e) => e.envelope.data.budgetId === b.id);
/** The entries of a budget as listed, with their ids. */
const incomeIds = async (b: Budget) => ((await h.call('GET', `/v1/budgets/${b.id}/income?limit=100`, { token: owner.token })).json.items as any[]).map((i) => ({ id: i.id, receivedOn: i.receivedOn }));

describe('credits=income publishes income.recorded', { timeout: 120_000 }, () => {
  it('one per imported entry (a POST\'s data, via import, the importId), in its transaction; the same file, a dry run, refunds or skip add none; the undo deletes the same ids; the activity log copies them', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    expect((await importOfx(b, { dryRun: 'true', credits: 'income' })).json).toMatchObject({ incomeImported: 3 });
    expect(await incomeEventsOf(b, 'income.recorded')).toEqual([]);

    const done = await commandsSentDuring(h.t.doc, () => importOfx(b, { credits: 'income' }));
    expect(done.result.json).toMatchObject({ status: 'succeeded', incomeImported: 3 });
    const importId = done.result.json.id as string;
    const ids = await incomeIds(b);
    const idOn = (day: string) => ids.find((i) => i.receivedOn === day)!.id;
    const by = { createdBy: owner.id, version: 1, via: 'import', importId };
    const recorded = await incomeEventsOf(b, 'income.recorded');
    expect(recorded.map((e) => e.envelope.data).sort((x, y) => x.receivedOn.localeCompare(y.receivedOn))).toEqual([
      { budgetId: b.id, incomeId: idOn('2026-11-05'), ...SALARY, ...by },
      { budgetId: b.id, incomeId: idOn('2026-11-21'), ...CASHBACK, ...by },
      { budgetId: b.id, incomeId: idOn('2026-12-01'), ...BONUS, ...by },
    ]);
    expect(recorded.map((e) => e.envelope.type)).toEqual(['income.recorded', 'income.recorded', 'income.recorded']);
    // Each event in the one transaction that Put its entry (kind income, the same id).
    for (const e of recorded) {
      const carrying = done.sent
        .filter((c) => c.name === 'TransactWriteItemsCommand')
        .map((c) => c.input.TransactItems as Record<string, any>[])
        .filter((t) => t.some((i) => i.Put?.Item?.kind === 'outbox' && JSON.parse(i.Put.Item.detail).id === e.envelope.id));
      expect(carrying).toHaveLength(1);
      expect(carrying[0]!.some((i) => i.Put?.Item?.kind === 'income' && i.Put.Item.id === e.envelope.data.incomeId)).toBe(true);
    }

    // The same file again (income, a dry run, refunds, skip): no row written, no event.
    expect((await importOfx(b, { credits: 'income' })).json).toMatchObject({ incomeImported: 0, duplicates: 6 });
    expect((await importOfx(b, { dryRun: 'true', credits: 'income' })).json).toMatchObject({ incomeImported: 0 });
    expect((await importOfx(b, { credits: 'refunds' })).json).toMatchObject({ imported: 0, duplicates: 6 });
    expect((await importOfx(b, {})).json).toMatchObject({ imported: 0, skipped: 3 });
    expect((await incomeEventsOf(b, 'income.recorded')).map((e) => e.envelope.id)).toEqual(recorded.map((e) => e.envelope.id));

    // Delivered to every subscription (the webhooks' fan-out parses them too; a refusal fails deliver):
    // the activity log shows them as it shows a POST's, income.recorded by the importer.
    await deliver(h.t, ...recorded);
    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity?limit=100`, { token: owner.token });
    expect(activity.status, activity.text).toBe(200);
    const entries = (activity.json.items as any[]).filter((e) => e.action.startsWith('income.'));
    expect(entries.map((e) => [e.action, e.subject.id, e.actor.id]).sort()).toEqual(ids.map((i) => ['income.recorded', i.id, owner.id]).sort());

    // The undo's income.deleted name the very entries the import's income.recorded did.
    const undo = await h.call('POST', `/v1/budgets/${b.id}/imports/${importId}/undo`, { token: owner.token, headers: { prefer: 'wait=25' } });
    expect(undo.json.undo, undo.text).toMatchObject({ status: 'succeeded', removed: 6 });
    const deleted = await incomeEventsOf(b, 'income.deleted');
    expect(deleted.map((e) => e.envelope.data.incomeId).sort()).toEqual(recorded.map((e) => e.envelope.data.incomeId).sort());
    expect(deleted).toHaveLength(3);
  });

  it('the repository: a row whose marker (or batch entry\'s marker) was taken meanwhile is raced, the rest written with their events only', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    const store = h.t.system.deps.storeFor('expenses');
    const imports = new ImportsRepository(store, {} as never, new IncomeRepository(store));
    const at = new Date().toISOString();
    const row = async (importId: string, fingerprint: string, receivedOn: string, amount: number, entryFingerprint?: string): Promise<IncomeRow> => {
      const income: Income = { id: newId(Date.now()), budgetId: b.id, amount, receivedOn, createdBy: owner.id, version: 1, createdAt: at, updatedAt: at };
      const data = { budgetId: b.id, incomeId: income.id, amount, receivedOn, createdBy: owner.id, version: 1, via: 'import' as const, importId };
      return { income, publish: { contract: incomeRecorded, event: await createEvent(incomeRecorded, data, systemClock) }, fingerprint, ...(entryFingerprint ? { entryFingerprint } : {}) };
    };
    // Another import (i1) wrote row "b" and a row standing for batch entry "e" first.
    expect(await imports.recordIncome([await row('i1', 'b', '2026-11-02', 200), await row('i1', 'e', '2026-11-09', 900)], 'i1')).toEqual({ imported: ['b', 'e'], raced: [], overLimit: [] });
    const before = (await incomeEventsOf(b, 'income.recorded')).length;
    expect(before).toBe(2);
    // i2's rows: "b" again (its marker taken: item 2 * 1 + 1, read by the index arithmetic the events come after), "c" of entry "e" (the entry's marker taken), "a" and "d" new.
    const rows = [await row('i2', 'a', '2026-11-01', 100), await row('i2', 'b', '2026-11-02', 200), await row('i2', 'c', '2026-11-03', 300, 'e'), await row('i2', 'd', '2026-12-04', 400)];
    expect(await imports.recordIncome(rows, 'i2')).toEqual({ imported: ['a', 'd'], raced: ['b', 'c'], overLimit: [] });
    const events = (await incomeEventsOf(b, 'income.recorded')).filter((e) => e.envelope.data.importId === 'i2');
    expect(events.map((e) => e.envelope.id).sort()).toEqual([rows[0]!, rows[3]!].map((r) => r.publish.event.id).sort());
    expect(events.map((e) => e.envelope.data.incomeId).sort()).toEqual([rows[0]!.income.id, rows[3]!.income.id].sort());
    // The entries written are exactly those with an event.
    const listed = (await incomeIds(b)).map((i) => i.id).sort();
    expect(listed).toEqual([...(await incomeEventsOf(b, 'income.recorded')).map((e) => e.envelope.data.incomeId)].sort());
    expect(listed).toHaveLength(4);
  });
});
