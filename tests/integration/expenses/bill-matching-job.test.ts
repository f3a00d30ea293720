import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { RecurringJobOptions } from '@budgeting/expenses';
import { describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { loadRecurringJob } from '../../support/recurring-job';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { ExpensesRepository } from '../../../packages/expenses/src/repository/expenses.repository';
import { ExpenseQueries } from '../../../packages/expenses/src/repository/expense-queries.repository';
import { ImportsRepository } from '../../../packages/expenses/src/repository/imports.repository';
import { RecurringRepository } from '../../../packages/expenses/src/repository/recurring.repository';
import { TotalsRepository } from '../../../packages/expenses/src/repository/totals.repository';
import { ChangeLog } from '../../../packages/expenses/src/repository/change-log';
import type { Budget } from './harness';
import { callAs, recurringSuite } from './recurring-harness';

/**
 * Bill matching, the job's half, on DynamoDB Local with the real recurring job and import: the
 * bank statement holding the rent is imported BEFORE the job reaches the rent's date (paid
 * early, or the job behind). The job then settles the occurrence with the imported expense
 * instead of recording a second rent: the totals count it once, the occurrence marker names the
 * imported expense, a second run (or a stale delivery) does nothing, and importing the same file
 * again adds nothing. Not matched: an expense recorded by hand, one outside the window, one of an
 * import run with matchRecurring=false. One imported expense settles one occurrence at most.
 */
const suite = recurringSuite('2026-10-30T12:00:00Z');
const { req, clock } = suite;

const RENT = { amount: 120000, merchant: 'Acme Rentals', description: 'Rent', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-11-01' } };

/** The module's job over the test system, its runs one definition at a time unless asked (deterministic counts). */
const job = (options: RecurringJobOptions = { concurrency: 1 }) => loadRecurringJob(suite.harness().t, options);
const run = async (options?: RecurringJobOptions) => (await job(options)).runOnce({ logger: suite.harness().t.system.deps.logger });

async function define(b: Budget, body: Record<string, unknown> = RENT): Promise<string> {
  const res = await req('POST', suite.collection(b), { body });
  expect(res.status, res.text).toBe(201);
  suite.created.push(res.headers.get('location')!);
  return res.json.id as string;
}

async function importCsv(b: Budget, csv: string, query = '') {
  const h = suite.harness();
  const res = await callAs(h, suite.owner(), 'POST', `/v1/budgets/${b.id}/expenses/import${query}`, { rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; status: string; imported: number; duplicates: number; matched: number };
}

const spentIn = async (b: Budget, date: string) => (await req('GET', `/v1/budgets/${b.id}/summary?date=${date}`)).json.spent as number;

async function itemsOf(kind: string, budgetId: string) {
  const out = await suite.harness().t.doc.send(new ScanCommand({ TableName: suite.harness().t.tableName }));
  return (out.Items ?? []).filter((i) => i.kind === kind && String(i.pk).endsWith(budgetId));
}

/** expense.recorded events of the budget written by the recurring job. */
async function recordedByJob(b: Budget) {
  return (await outboxEvents(suite.harness().t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === b.id && e.envelope.data.via === 'recurring');
}

const HEADER = 'date,amount,category,description,merchant\n';
// The rent paid a day early (Oct 31), as the bank spells the merchant, and a coffee.
const STATEMENT = `${HEADER}2026-10-31,1200.00,,SEPA DD,ACME RENTALS LTD\n2026-10-31,4.50,,,Corner Café\n`;

async function expensesOf(b: Budget) {
  return suite.expensesOf<{ id: string; occurredOn: string; amount: number; merchant?: string }>(b);
}

describe('bill matching by the recurring job (the bill imported first)', { timeout: 120_000 }, () => {
  it('settles the occurrence with the imported expense: no second rent, counted once, marker names it; again and the same file again add nothing', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const recurringId = await define(b);
    const first = await importCsv(b, STATEMENT);
    // The occurrence was not recorded yet: nothing for the import to match.
    expect(first).toMatchObject({ status: 'succeeded', imported: 2, matched: 0 });
    const [rent] = (await expensesOf(b)).filter((e) => e.amount === 120000);

    clock.set('2026-11-01T12:00:00Z');
    const matching = await commandsSentDuring(suite.harness().t.doc, () => run());
    expect(matching.result).toMatchObject({ due: 1, recorded: 0, matched: 1, failed: 0 });
    // Its requests besides the Queries (the planner's, the bill's): the creator's access, the
    // definition read with its change counter (one BatchGetItem), the settle's ONE transaction,
    // which numbers the definition's new next date for delta sync with no read more.
    expect(matching.commands.filter((c) => c !== 'QueryCommand')).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
    const settle = writeItemsOf(matching.sent) as Record<string, any>[];
    expect(settle.filter((i) => i.Put?.Item?.kind === 'expense-change').map((i) => i.Put.Item.recurringExpenseId)).toEqual([recurringId]);

    // The rent once (October's, the imported one); November has none of its own.
    expect((await expensesOf(b)).map((e) => e.amount).sort((x, y) => x - y)).toEqual([450, 120000]);
    expect(await spentIn(b, '2026-10-15')).toBe(120000 + 450);
    expect(await spentIn(b, '2026-11-15')).toBe(0);
    expect(await recordedByJob(b)).toEqual([]);
    // The imported expense is not given the link (that would be a new write: packages/expenses/docs/recurring.md "The link
    // to the definition"); the markers below name the pair.
    expect((await req('GET', `/v1/budgets/${b.id}/expenses/${rent!.id}`)).json).not.toHaveProperty('recurringExpenseId');

    const [occurrence] = await itemsOf('recurring-occurrence', b.id);
    expect(occurrence).toMatchObject({ recurringExpenseId: recurringId, occurredOn: '2026-11-01', expenseId: rent!.id, matched: true });
    const [billMatch] = await itemsOf('bill-match', b.id);
    expect(billMatch).toMatchObject({ recurringExpenseId: recurringId, occurredOn: '2026-11-01', expenseId: rent!.id, importId: first.id });
    expect(billMatch!.expiresAt).toBe(Date.parse('2026-11-01T00:00:00Z') / 1000 + 400 * 24 * 60 * 60);
    const [expenseMatch] = await itemsOf('bill-match-expense', b.id);
    expect(expenseMatch).toMatchObject({ expenseId: rent!.id, recurringExpenseId: recurringId, occurredOn: '2026-11-01' });
    // The schedule moved on exactly as for a recorded occurrence.
    expect((await req('GET', `${suite.collection(b)}/${recurringId}`)).json.nextOccurrenceOn).toBe('2026-12-01');

    // A second run, and a stale delivery of the same unit, do nothing.
    expect(await run()).toMatchObject({ recorded: 0, matched: 0, failed: 0 });
    const stale = await (await job()).work(
      { budgetId: b.id, id: recurringId, createdBy: suite.owner().id, nextOccurrenceOn: '2026-11-01' },
      clock.now(),
      { logger: suite.harness().t.system.deps.logger, deadline: Number.POSITIVE_INFINITY, lastAttempt: false },
    );
    expect(stale).toMatchObject({ done: 0 });
    expect(await itemsOf('recurring-occurrence', b.id)).toHaveLength(1);
    expect(await itemsOf('bill-match', b.id)).toHaveLength(1);

    // The same file again: duplicates, nothing added.
    const again = await importCsv(b, STATEMENT);
    expect(again).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 2, matched: 0 });
    expect(await spentIn(b, '2026-10-15')).toBe(120000 + 450);
    expect(await expensesOf(b)).toHaveLength(2);

    // Another file holding the bill (another fingerprint) finds the occurrence matched by the
    // job: the import cannot match it too, so its row is imported (as for a bill an import matched).
    const other = await importCsv(b, `${HEADER}2026-11-02,1200.00,,,Acme Rentals\n`);
    expect(other).toMatchObject({ status: 'succeeded', imported: 1, matched: 0 });
    expect(await itemsOf('bill-match', b.id)).toHaveLength(1);
  });

  it('an imported expense reviewed, edited (not its amount, date or merchant), deleted and restored is still matched', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    await define(b);
    await importCsv(b, `${HEADER}2026-10-31,1200.00,,,Acme Rentals\n`);
    const [rent] = await expensesOf(b);
    const patched = await req('PATCH', `/v1/budgets/${b.id}/expenses/${rent!.id}`, { body: { reviewed: true, description: 'October rent', categoryId: b.categories[0]!.id } });
    expect(patched.status, patched.text).toBe(200);
    expect((await req('DELETE', `/v1/budgets/${b.id}/expenses/${rent!.id}`)).status).toBe(204);
    const restored = await req('POST', `/v1/budgets/${b.id}/expenses/${rent!.id}/restore`);
    expect(restored.status, restored.text).toBe(200);
    // The import stays on the item (never shown).
    expect(restored.json).not.toHaveProperty('importId');
    const [item] = (await itemsOf('expense', b.id)).filter((i) => i.id === rent!.id);
    expect(item).toMatchObject({ importId: expect.any(String) });

    clock.set('2026-11-01T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0, matched: 1 });
    expect(await expensesOf(b)).toHaveLength(1);
  });

  it('is not matched: an expense recorded by hand, one outside the window, one of a matchRecurring=false import; the job records as before', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    await define(b);
    // By hand, on the day: the same amount and merchant.
    const byHand = await req('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 120000, merchant: 'Acme Rentals', occurredOn: '2026-10-31' } });
    expect(byHand.status, byHand.text).toBe(201);
    // Imported: 3 days before (the window opens 2 days before), and one cent off.
    await importCsv(b, `${HEADER}2026-10-29,1200.00,,,Acme Rentals\n2026-10-31,1200.01,,,Acme Rentals\n`);
    // Imported with matching off, on the day.
    await importCsv(b, `${HEADER}2026-10-30,1200.00,,,ACME RENTALS\n`, '?matchRecurring=false');

    clock.set('2026-11-01T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, matched: 0, failed: 0 });
    expect(await recordedByJob(b)).toHaveLength(1);
    expect(await spentIn(b, '2026-11-15')).toBe(120000);
    expect(await itemsOf('bill-match', b.id)).toEqual([]);
    expect(await itemsOf('bill-match-expense', b.id)).toEqual([]);
  });

  it('is not matched: an imported refund of the rent\'s amount (packages/expenses/docs/expense-fields.md "Refunds"); the job records the rent', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    await define(b);
    expect(await importCsv(b, `${HEADER}2026-10-31,-1200.00,,SEPA DD,ACME RENTALS LTD\n`)).toMatchObject({ status: 'succeeded', imported: 1, matched: 0 });

    clock.set('2026-11-01T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, matched: 0, failed: 0 });
    // October: the refund alone (-1200.00); November: the rent the job recorded.
    expect(await spentIn(b, '2026-10-15')).toBe(-120000);
    expect(await spentIn(b, '2026-11-15')).toBe(120000);
    expect(await itemsOf('bill-match', b.id)).toEqual([]);
  });

  it('a job behind: catching up, the occurrence takes the row at the window end (5 days after), not the one beyond', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const recurringId = await define(b);
    // The job has not run since: the statement comes first, on Nov 7.
    clock.set('2026-11-07T12:00:00Z');
    await importCsv(b, `${HEADER}2026-11-07,1200.00,,,Acme Rentals\n2026-11-06,1200.00,,,Acme Rentals\n`);
    const byDate = new Map((await expensesOf(b)).map((e) => [e.occurredOn, e.id]));
    expect(await run()).toMatchObject({ recorded: 0, matched: 1 });
    const [occurrence] = await itemsOf('recurring-occurrence', b.id);
    expect(occurrence).toMatchObject({ recurringExpenseId: recurringId, occurredOn: '2026-11-01', expenseId: byDate.get('2026-11-06') });
    expect(await expensesOf(b)).toHaveLength(2);
  });

  it('two occurrences cannot take the same imported row: two definitions of one bill, and a weekly bill whose windows overlap', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const streams = { amount: 1599, merchant: 'Netflix', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-11-01' } };
    const [first, second] = [await define(b, streams), await define(b, streams)];
    // Weekly: Nov 1 and Nov 8; the row of Nov 6 is in both windows (5 days after, 2 days before).
    const weeklyId = await define(b, { amount: 2500, merchant: 'Veg Box', categoryId: null, schedule: { frequency: 'weekly', startsOn: '2026-11-01' } });
    clock.set('2026-11-08T12:00:00Z');
    await importCsv(b, `${HEADER}2026-11-01,15.99,,,NETFLIX.COM\n2026-11-06,25.00,,,Veg Box\n`);
    const [netflix] = (await expensesOf(b)).filter((e) => e.amount === 1599);
    const [veg] = (await expensesOf(b)).filter((e) => e.amount === 2500);

    // Netflix: one definition takes the row, the other records its own. Veg box: Nov 1 takes
    // it (oldest first), Nov 8 finds it held and records.
    expect(await run()).toMatchObject({ due: 3, matched: 2, recorded: 2, failed: 0 });
    const claims = await itemsOf('bill-match-expense', b.id);
    expect(claims.map((c) => [c.expenseId, c.occurredOn]).sort()).toEqual(
      [
        [netflix!.id, '2026-11-01'],
        [veg!.id, '2026-11-01'],
      ].sort(),
    );
    const netflixOccurrences = (await itemsOf('recurring-occurrence', b.id)).filter((o) => o.recurringExpenseId === first || o.recurringExpenseId === second);
    expect(netflixOccurrences.filter((o) => o.matched === true).map((o) => o.expenseId)).toEqual([netflix!.id]);
    const vegOccurrences = (await itemsOf('recurring-occurrence', b.id)).filter((o) => o.recurringExpenseId === weeklyId).sort((x, y) => (x.occurredOn < y.occurredOn ? -1 : 1));
    expect(vegOccurrences.map((o) => [o.occurredOn, o.matched === true])).toEqual([
      ['2026-11-01', true],
      ['2026-11-08', false],
    ]);
    expect(vegOccurrences[1]!.expenseId).not.toBe(veg!.id);
    expect((await expensesOf(b)).map((e) => e.amount).sort((x, y) => x - y)).toEqual([1599, 1599, 2500, 2500]);
  });

  it("a candidate held by another occurrence, then one that fits: the second settle numbers the definition with no counter read (no request more)", async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const streams = { amount: 1599, merchant: 'Netflix', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-11-01' } };
    const [first, second] = [await define(b, streams), await define(b, streams)];
    clock.set('2026-11-01T12:00:00Z');
    await importCsv(b, `${HEADER}2026-11-01,15.99,,,NETFLIX.COM\n2026-11-02,15.99,,,NETFLIX.COM\n`);
    clock.set('2026-11-02T12:00:00Z');
    const matching = await commandsSentDuring(suite.harness().t.doc, () => run());
    expect(matching.result).toMatchObject({ due: 2, matched: 2, recorded: 0, failed: 0 });
    // One settle lost its first candidate (the other definition's): tried again on the next
    // one. Every definition's counter came with its read, whatever a lost settle did.
    expect(matching.commands.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(3);
    expect(matching.sent.filter((c) => c.name === 'GetItemCommand').map((c) => (c.input as { Key: { sk: string } }).Key.sk)).toEqual([]);
    const claims = await itemsOf('bill-match-expense', b.id);
    expect(claims.map((c) => c.recurringExpenseId).sort()).toEqual([first, second].sort());
  });

  it('two concurrent runs settle the occurrence once and record nothing', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    await define(b);
    await importCsv(b, STATEMENT);
    clock.set('2026-11-01T12:00:00Z');
    const reports = await Promise.all([run(), run()]);
    // A run that met the other's transaction at the same moment fails the definition, left due for the next run.
    const after = await run();
    const total = (k: 'matched' | 'recorded') => reports.reduce((n, r) => n + r[k], 0) + after[k];
    expect({ matched: total('matched'), recorded: total('recorded') }).toEqual({ matched: 1, recorded: 0 });
    expect(await itemsOf('recurring-occurrence', b.id)).toHaveLength(1);
    expect(await itemsOf('bill-match-expense', b.id)).toHaveLength(1);
    expect(await expensesOf(b)).toHaveLength(2);
    expect(await recordedByJob(b)).toEqual([]);
  });

  it('an occurrence an import already matched is recorded as before; the settle transaction writes nothing when it loses', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const recurringId = await define(b);
    await importCsv(b, STATEMENT);
    const [rent] = (await expensesOf(b)).filter((e) => e.amount === 120000);
    const store = suite.harness().t.system.deps.storeFor('expenses');
    const expenses = new ExpensesRepository(store, new TotalsRepository(store));
    const queries = new ExpenseQueries(store, expenses.changes);
    const recurring = new RecurringRepository(store, expenses, queries);
    const definition = (await recurring.get(b.id, recurringId))!;
    const [facts] = await queries.importedOfAmount(b.id, 120000, '2026-10-30', '2026-11-06', 300);
    expect(facts).toMatchObject({ id: rent!.id, amount: 120000, occurredOn: '2026-10-31', merchant: 'ACME RENTALS LTD' });
    const now = new Date('2026-11-01T12:00:00Z');

    // The expense not as read (another amount, or gone): nothing written.
    expect(await recurring.settleWithImported(definition, { ...facts!, amount: 120001 }, '2026-12-01', 'UTC', now)).toBe('expense-changed');
    expect(await recurring.settleWithImported(definition, { ...facts!, id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }, '2026-12-01', 'UTC', now)).toBe('expense-changed');
    // Held by another occurrence (its expense match marker): nothing written.
    await store.put({ Item: { pk: `expenses#budget#${b.id}`, sk: `expenses#billmatchexpense#${rent!.id}`, kind: 'bill-match-expense' } });
    expect(await recurring.settleWithImported(definition, facts!, '2026-12-01', 'UTC', now)).toBe('expense-taken');
    await store.delete({ Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#billmatchexpense#${rent!.id}` } });
    // A stale definition (another delivery moved it): changed.
    expect(await recurring.settleWithImported({ ...definition, version: definition.version + 1 }, facts!, '2026-12-01', 'UTC', now)).toBe('changed');
    expect(await itemsOf('recurring-occurrence', b.id)).toEqual([]);
    expect(await itemsOf('bill-match-expense', b.id)).toEqual([]);

    // An import matched the occurrence (its bill match marker) without the job having recorded
    // it (only if the occurrence marker expired): the job records it, the expense stays free.
    const imports = new ImportsRepository(store, expenses);
    expect(await imports.recordMatched(b.id, [{ fingerprint: 'f', recurringExpenseId: recurringId, occurredOn: '2026-11-01' }], 'i0', now)).toMatchObject({ matched: ['f'] });
    expect(await recurring.settleWithImported(definition, facts!, '2026-12-01', 'UTC', now)).toBe('occurrence-taken');
    clock.set('2026-11-01T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, matched: 0 });
    expect(await itemsOf('bill-match-expense', b.id)).toEqual([]);
    expect(await recordedByJob(b)).toHaveLength(1);
  });

  it("a budget archived after the job's access read: the bill imported before is still matched (no expense, totals unchanged), the next date is skipped as a recording's", async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const recurringId = await define(b);
    await importCsv(b, STATEMENT);
    // The job a month behind: Nov 1 has its imported bill, Dec 1 none.
    clock.set('2026-12-02T12:00:00Z');
    const t = suite.harness().t;
    const real: BudgetsFacade = t.system.facades.budgets;
    const budgets: BudgetsFacade = Object.create(real);
    let archived = false;
    budgets.getAccess = async (...args: Parameters<BudgetsFacade['getAccess']>) => {
      const access = await real.getAccess(...args);
      if (!archived) {
        archived = true;
        const a = await req('POST', `/v1/budgets/${b.id}/archive`);
        expect(a.status, a.text).toBeLessThan(300);
      }
      return access;
    };
    const log = new ChangeLog(t.system.deps.storeFor('expenses'));
    const before = await log.counters(b.id);
    const racing = await loadRecurringJob({ system: { ...t.system, facades: { ...t.system.facades, budgets } } }, { concurrency: 1 });
    const report = await racing.runOnce({ logger: t.system.deps.logger });
    expect(archived).toBe(true);
    // Nov 1 settled by the bill paid (imported) before the archive: only markers and the advance,
    // no expense, no totals moved. Dec 1 would be a new expense: refused, skipped past today.
    expect(report).toMatchObject({ due: 1, matched: 1, recorded: 0, skipped: 1, failed: 0 });
    const [occurrence] = await itemsOf('recurring-occurrence', b.id);
    expect(occurrence).toMatchObject({ recurringExpenseId: recurringId, occurredOn: '2026-11-01', matched: true });
    expect(await itemsOf('recurring-occurrence', b.id)).toHaveLength(1);
    expect(await recordedByJob(b)).toEqual([]);
    expect((await expensesOf(b)).map((e) => e.amount).sort((x, y) => x - y)).toEqual([450, 120000]);
    expect(await spentIn(b, '2026-10-15')).toBe(120000 + 450);
    expect(await spentIn(b, '2026-12-15')).toBe(0);
    // The definition's moves numbered (the settle's, the skip's) so a client sees its date once the budget is back.
    expect((await log.counters(b.id)).reduce((n, c) => n + c, 0)).toBe(before.reduce((n, c) => n + c, 0) + 2);
    expect((await req('GET', `${suite.collection(b)}/${recurringId}`)).json.nextOccurrenceOn).toBe('2027-01-01');
    expect((await req('POST', `/v1/budgets/${b.id}/unarchive`)).status).toBeLessThan(300);
  });

  it("a budget archived BEFORE the job's access read agrees: a date of before the archive is settled with its imported bill, one after it skipped unread; nothing recorded", async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const recurringId = await define(b);
    await importCsv(b, STATEMENT);
    // Archived on Nov 15 with the job behind (it never ran): Nov 1 was paid by the import before.
    clock.set('2026-11-15T12:00:00Z');
    expect((await req('POST', `/v1/budgets/${b.id}/archive`)).status).toBeLessThan(300);
    clock.set('2026-12-02T12:00:00Z');
    const log = new ChangeLog(suite.harness().t.system.deps.storeFor('expenses'));
    const before = await log.counters(b.id);
    const report = await run();
    // Nov 1 matched (markers and the advance), Dec 1 after the archive day skipped without a
    // look for a bill (none can have been imported since: the budget is read-only).
    expect(report).toMatchObject({ due: 1, matched: 1, recorded: 0, skipped: 1, failed: 0 });
    const occurrences = await itemsOf('recurring-occurrence', b.id);
    expect(occurrences).toEqual([expect.objectContaining({ recurringExpenseId: recurringId, occurredOn: '2026-11-01', matched: true })]);
    expect(await recordedByJob(b)).toEqual([]);
    expect((await expensesOf(b)).map((e) => e.amount).sort((x, y) => x - y)).toEqual([450, 120000]);
    expect(await spentIn(b, '2026-10-15')).toBe(120000 + 450);
    expect(await spentIn(b, '2026-12-15')).toBe(0);
    expect((await log.counters(b.id)).reduce((n, c) => n + c, 0)).toBe(before.reduce((n, c) => n + c, 0) + 2);
    expect((await req('GET', `${suite.collection(b)}/${recurringId}`)).json.nextOccurrenceOn).toBe('2027-01-01');
    // The bill's November reads matched (it read missed, the bill paid before the archive unlinked).
    const status = await req('GET', `${suite.collection(b)}/status?date=2026-11-15`);
    expect(status.status, status.text).toBe(200);
    expect(status.json.items.find((i: { recurringExpenseId: string }) => i.recurringExpenseId === recurringId).dates).toEqual([
      expect.objectContaining({ occurredOn: '2026-11-01', status: 'matched' }),
    ]);
    // Run again: nothing due, nothing read or written.
    expect(await run()).toMatchObject({ due: 0, matched: 0, skipped: 0 });
    expect((await req('POST', `/v1/budgets/${b.id}/unarchive`)).status).toBeLessThan(300);
  });

  it("archived at 23:30 local the day before the bill's date, paid and imported that day: the date after the archive's day is still matched (its window starts before it)", async () => {
    const b = await suite.harness().createBudget(suite.owner(), { timezone: 'America/New_York' });
    const recurringId = await define(b);
    // Oct 31 in New York: the rent (due Nov 1) paid a day early and imported, then the budget
    // archived at 23:30 EDT (Nov 1 03:30 UTC; the night DST ends): the archive's day is Oct 31.
    clock.set('2026-10-31T20:00:00Z');
    await importCsv(b, STATEMENT);
    clock.set('2026-11-01T03:30:00Z');
    expect((await req('POST', `/v1/budgets/${b.id}/archive`)).status).toBeLessThan(300);
    clock.set('2026-11-01T12:00:00Z');
    // Nov 1's window (Oct 30 to Nov 6) holds the bill imported before the archive: matched, as
    // in a budget not archived (or archived after the access read), never read missed.
    expect(await run()).toMatchObject({ due: 1, matched: 1, recorded: 0, skipped: 0, failed: 0 });
    expect(await itemsOf('recurring-occurrence', b.id)).toEqual([expect.objectContaining({ recurringExpenseId: recurringId, occurredOn: '2026-11-01', matched: true })]);
    expect(await recordedByJob(b)).toEqual([]);
    expect((await req('GET', `${suite.collection(b)}/${recurringId}`)).json.nextOccurrenceOn).toBe('2026-12-01');
    // Dec 1's window starts Nov 29, after the archive's day: skipped unread.
    clock.set('2026-12-01T12:00:00Z');
    expect(await run()).toMatchObject({ due: 1, matched: 0, recorded: 0, skipped: 1, failed: 0 });
    expect((await req('GET', `${suite.collection(b)}/${recurringId}`)).json.nextOccurrenceOn).toBe('2027-01-01');
    expect((await req('POST', `/v1/budgets/${b.id}/unarchive`)).status).toBeLessThan(300);
  });
});
