import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import { camtBatch } from '../../support/camt-batch';
import { expectProblem } from '../../support/problem';
import { ImportsRepository } from '../../../packages/expenses/src/repository/imports.repository';
import type { Budget } from './harness';
import { callAs, recurringSuite } from './recurring-harness';
import { holdingWrites } from '../../support/archive-race';

/**
 * Bill matching on DynamoDB Local: the recurring job records the rent on the 1st, then the bank
 * statement holding the same payment, posted on the 3rd, is imported. The rent is matched (not
 * recorded twice, the summary counts it once), the same file again adds nothing, another file
 * with the same bill imports it (the occurrence was matched already), a dry run lists the match
 * and writes nothing, and `matchRecurring=false` imports every row.
 */
const suite = recurringSuite('2026-11-01T12:00:00Z');
const { req, clock } = suite;

const RENT = { amount: 120000, merchant: 'Acme Rentals', description: 'Rent', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-11-01' } };

async function budgetWithRent(): Promise<{ b: Budget; recurringId: string; rentExpenseId: string }> {
  const b = await suite.harness().createBudget(suite.owner());
  const res = await req('POST', suite.collection(b), { body: RENT });
  expect(res.status, res.text).toBe(201);
  suite.created.push(res.headers.get('location')!);
  expect(await suite.run()).toMatchObject({ recorded: 1, failed: 0 });
  const [rent] = await suite.expensesOf<{ id: string; occurredOn: string; amount: number }>(b);
  expect(rent).toMatchObject({ occurredOn: '2026-11-01', amount: 120000 });
  // The statement comes later.
  clock.set('2026-11-06T09:00:00Z');
  return { b, recurringId: res.json.id as string, rentExpenseId: rent!.id };
}

async function importCsv(b: Budget, csv: string, query = '') {
  const h = suite.harness();
  return callAs(h, suite.owner(), 'POST', `/v1/budgets/${b.id}/expenses/import${query}`, { rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
}

const spent = async (b: Budget) => (await req('GET', `/v1/budgets/${b.id}/summary?date=2026-11-15`)).json.spent as number;

async function itemsOf(kind: string, budgetId: string) {
  const out = await suite.harness().t.doc.send(new ScanCommand({ TableName: suite.harness().t.tableName }));
  return (out.Items ?? []).filter((i) => i.kind === kind && String(i.pk).endsWith(budgetId));
}

// Line 2 is the rent, posted two days after the job recorded it (a merchant spelled as banks do);
// line 3 a coffee; line 4 the same merchant one cent off: never a match.
const STATEMENT =
  'date,amount,category,description,merchant\n' +
  '2026-11-03,1200.00,,SEPA DD,ACME RENTALS LTD\n' +
  '2026-11-03,4.50,,,Corner Café\n' +
  '2026-11-04,1200.01,,,Acme Rentals\n';

describe('bill matching at import', { timeout: 120_000 }, () => {
  it('a dry run lists the match with the recorded expense and writes nothing', async () => {
    const { b, recurringId, rentExpenseId } = await budgetWithRent();
    const dry = await importCsv(b, STATEMENT, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ total: 3, imported: 2, duplicates: 0, matchedCount: 1, errorCount: 0, importLines: [3, 4] });
    expect(dry.json.matched).toEqual([{ line: 2, expenseId: rentExpenseId, recurringExpenseId: recurringId, occurredOn: '2026-11-01' }]);
    expect(await itemsOf('bill-match', b.id)).toEqual([]);
    expect(await itemsOf('import-marker', b.id)).toEqual([]);
    expect(await suite.expensesOf(b)).toHaveLength(1);
  });

  it('matches the recorded rent: not recorded twice, the same file again adds nothing, another file with the bill imports it', async () => {
    const { b, recurringId } = await budgetWithRent();
    const first = await importCsv(b, STATEMENT);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ status: 'succeeded', total: 3, processed: 3, imported: 2, duplicates: 0, matched: 1, errorCount: 0 });
    // The rent once (the job's), the coffee, the 1200.01.
    expect(await spent(b)).toBe(120000 + 450 + 120001);
    expect(await suite.expensesOf(b)).toHaveLength(3);
    const [match] = await itemsOf('bill-match', b.id);
    expect(match).toMatchObject({ recurringExpenseId: recurringId, occurredOn: '2026-11-01', importId: first.json.id });
    expect(match!.expiresAt).toBe(Date.parse('2026-11-01T00:00:00Z') / 1000 + 400 * 24 * 60 * 60);

    // The finished event carries the count.
    const finished = (await outboxEvents(suite.harness().t, 'expense.import_finished')).filter((e) => e.envelope.data.importId === first.json.id);
    expect(finished.map((e) => e.envelope.data)).toMatchObject([{ total: 3, imported: 2, duplicates: 0, matched: 1, errorCount: 0 }]);

    const again = await importCsv(b, STATEMENT);
    expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 3, matched: 0 });
    expect(await spent(b)).toBe(120000 + 450 + 120001);

    // Another download holding the same payment (another fingerprint): its occurrence is taken, so it is imported.
    const other = await importCsv(b, 'date,amount,category,description,merchant\n2026-11-02,1200.00,,,Acme Rentals\n');
    expect(other.json).toMatchObject({ status: 'succeeded', total: 1, imported: 1, duplicates: 0, matched: 0 });
    expect(await spent(b)).toBe(2 * 120000 + 450 + 120001);
    expect(await itemsOf('bill-match', b.id)).toHaveLength(1);
  });

  it('the rent raised since it was recorded: a row at the new amount is no record of it, the statement\'s row at the amount recorded is (the rent counted once)', async () => {
    const { b, recurringId, rentExpenseId } = await budgetWithRent();
    // December's rent goes up; November's was recorded (and paid) at 1,200.00.
    const raised = await req('PATCH', `${suite.collection(b)}/${recurringId}`, { body: { amount: 125000 } });
    expect(raised.status, raised.text).toBe(200);
    // A payment of 1,250.00 near Nov 1 is not November's rent (recorded at 1,200.00): imported.
    const other = await importCsv(b, 'date,amount,category,description,merchant\n2026-11-02,1250.00,,,Acme Rentals\n');
    expect(other.json).toMatchObject({ status: 'succeeded', total: 1, imported: 1, matched: 0 });
    const dry = await importCsv(b, STATEMENT, '?dryRun=true');
    expect(dry.json).toMatchObject({ total: 3, imported: 2, matchedCount: 1 });
    expect(dry.json.matched).toEqual([{ line: 2, expenseId: rentExpenseId, recurringExpenseId: recurringId, occurredOn: '2026-11-01' }]);
    const imported = await importCsv(b, STATEMENT);
    expect(imported.json).toMatchObject({ status: 'succeeded', total: 3, imported: 2, matched: 1 });
    expect(await spent(b)).toBe(120000 + 125000 + 450 + 120001);
  });

  it('one row per occurrence: of two rent rows in a file the closer one matches, the other is imported', async () => {
    const { b } = await budgetWithRent();
    const res = await importCsv(b, 'date,amount,category,description,merchant\n2026-11-05,1200.00,,,Acme Rentals\n2026-11-02,1200.00,,,Acme Rentals\n');
    expect(res.json).toMatchObject({ status: 'succeeded', total: 2, imported: 1, matched: 1 });
    const dates = (await suite.expensesOf<{ occurredOn: string }>(b)).map((e) => e.occurredOn).sort();
    expect(dates).toEqual(['2026-11-01', '2026-11-05']);
  });

  it("a camt.053 batch on one line: its transactions share a line, and the match lands on the rent's row, not its neighbour's", async () => {
    const { b } = await budgetWithRent();
    // One entry of 1204.50 USD booked 2026-11-03 = the rent 1200.00 + a coffee 4.50, the whole
    // file on one line (as many banks write it): both rows are on line 1.
    const oneLine = camtBatch(
      [
        { amount: '1200.00', refs: '<AcctSvcrRef>TX-RENT</AcctSvcrRef>', creditor: 'Acme Rentals' },
        { amount: '4.50', refs: '<AcctSvcrRef>TX-CAFE</AcctSvcrRef>', creditor: 'Corner Café' },
      ],
      '1204.50',
    )
      .replaceAll('EUR', 'USD')
      .replace('2026-11-21', '2026-11-03')
      .replaceAll('\n', '');
    const h = suite.harness();
    const res = await callAs(h, suite.owner(), 'POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: oneLine, headers: { 'content-type': 'application/xml', prefer: 'wait=25' } });
    expect(res.json, res.text).toMatchObject({ status: 'succeeded', total: 2, imported: 1, matched: 1 });
    const rows = (await suite.expensesOf<{ occurredOn: string; amount: number; merchant?: string }>(b)).map((e) => [e.occurredOn, e.amount, e.merchant]);
    expect(rows.sort()).toEqual([
      ['2026-11-01', 120000, 'Acme Rentals'],
      ['2026-11-03', 450, 'Corner Café'],
    ]);
    expect(await spent(b)).toBe(120450);
  });

  it('matchRecurring=false imports every row; a bad value is a 400 naming it', async () => {
    const { b } = await budgetWithRent();
    expectProblem(await importCsv(b, STATEMENT, '?matchRecurring=nope'), 400, ['query.matchRecurring']);
    const res = await importCsv(b, STATEMENT, '?matchRecurring=false');
    expect(res.json).toMatchObject({ status: 'succeeded', total: 3, imported: 3, matched: 0 });
    expect(await spent(b)).toBe(2 * 120000 + 450 + 120001);
    expect(await itemsOf('bill-match', b.id)).toEqual([]);
  });

  it('a refund of the bill\'s amount (-1200.00, packages/expenses/docs/expense-fields.md "Refunds") is never matched: imported as a refund, the rent counted once and given back', async () => {
    const { b } = await budgetWithRent();
    const res = await importCsv(b, 'date,amount,category,description,merchant\n2026-11-03,-1200.00,,SEPA DD,ACME RENTALS LTD\n');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 1, imported: 1, matched: 0, errorCount: 0 });
    // 1200.00 (the job's rent) - 1200.00 (the refund).
    expect(await spent(b)).toBe(0);
    expect(await itemsOf('bill-match', b.id)).toEqual([]);
  });

  it('a paused definition: its occurrence recorded before the pause is still matched', async () => {
    const { b, recurringId } = await budgetWithRent();
    const paused = await req('PATCH', `${suite.collection(b)}/${recurringId}`, { body: { paused: true } });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.json).toMatchObject({ paused: true, nextOccurrenceOn: null });
    const res = await importCsv(b, STATEMENT);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 3, imported: 2, matched: 1 });
  });

  it('a bill outside the window, or a skipped occurrence, is imported', async () => {
    const { b, recurringId } = await budgetWithRent();
    // Nov 7 is 6 days after the occurrence; Dec 1 was skipped (never recorded, no marker).
    const skip = await req('POST', `${suite.collection(b)}/${recurringId}/skip`);
    expect(skip.status, skip.text).toBe(200);
    clock.set('2026-12-03T09:00:00Z');
    const res = await importCsv(b, 'date,amount,category,description,merchant\n2026-11-07,1200.00,,,Acme Rentals\n2026-12-02,1200.00,,,Acme Rentals\n');
    expect(res.json).toMatchObject({ status: 'succeeded', total: 2, imported: 2, matched: 0 });
  });

  it('archived while its bill matches were being written (held past the access check): the import fails budget-archived, no marker kept; after unarchive it matches', async () => {
    const { b } = await budgetWithRent();
    const archive = async () => {
      const res = await req('POST', `/v1/budgets/${b.id}/archive`);
      expect(res.status, res.text).toBe(200);
    };
    // Only the bill matches' transaction names a bill match key.
    const { result } = await holdingWrites(suite.harness().t, 'expenses#billmatch#', archive, () => importCsv(b, STATEMENT));
    expect(result.status, result.text).toBeLessThan(300);
    expect(result.json).toMatchObject({ status: 'failed', failureCode: 'budget-archived', matched: 0, imported: 0 });
    expect(await itemsOf('bill-match', b.id)).toEqual([]);
    expect(await itemsOf('import-marker', b.id)).toEqual([]);
    expect((await req('POST', `/v1/budgets/${b.id}/unarchive`)).status).toBe(200);
    expect((await importCsv(b, STATEMENT)).json).toMatchObject({ status: 'succeeded', imported: 2, matched: 1 });
  });

  it('the transaction: an occurrence taken meanwhile falls back (taken), a row marked meanwhile is raced, a deleted budget keeps nothing', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const store = suite.harness().t.system.deps.storeFor('expenses');
    // recordMatched writes markers only: the expenses repository is not used.
    const imports = new ImportsRepository(store, {} as never);
    const now = new Date('2026-11-06T09:00:00Z');
    const row = (fingerprint: string, occurredOn: string) => ({ fingerprint, recurringExpenseId: 'r1', occurredOn });
    expect(await imports.recordMatched(b.id, [row('a', '2026-11-01')], 'i1', now)).toEqual({ matched: ['a'], raced: [], taken: [] });
    // b: another row for the occurrence a took; c: a's own row again (another import); d: free.
    expect(await imports.recordMatched(b.id, [row('b', '2026-11-01'), row('a', '2026-10-01'), row('d', '2026-12-01')], 'i2', now)).toEqual({ matched: ['d'], raced: ['a'], taken: ['b'] });
    expect([...(await imports.matchesTaken(b.id, [row('x', '2026-11-01'), row('x', '2026-10-01'), row('x', '2026-12-01')]))].sort()).toEqual(['r1#2026-11-01', 'r1#2026-12-01']);
    const markers = await imports.markers(b.id, ['a', 'b', 'd']);
    expect(Object.fromEntries(markers)).toEqual({ a: { importId: 'i1', matched: true }, d: { importId: 'i2', matched: true } });

    expect(await itemsOf('bill-match', b.id)).toHaveLength(2);

    // budget.deleted: the cleanup removes the bill match markers with the budget's partition,
    // and a matched row written after it (an import still running) keeps nothing.
    const del = await req('DELETE', `/v1/budgets/${b.id}`);
    expect(del.status, del.text).toBe(204);
    await deliver(suite.harness().t, await theEvent(suite.harness().t, 'budget.deleted', { budgetId: b.id }));
    expect(await itemsOf('bill-match', b.id)).toEqual([]);
    expect(await itemsOf('import-marker', b.id)).toEqual([]);
    expect(await imports.recordMatched(b.id, [row('e', '2027-01-01')], 'i3', now)).toBe('budget-closed');
    expect(await itemsOf('bill-match', b.id)).toEqual([]);
  });
});
