import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fingerprintKeyed } from '../../../packages/expenses/src/domain/csv/fingerprint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportsRepository } from '../../../packages/expenses/src/repository/imports.repository';
import { CAMT_BATCH_IBAN, camtBatch } from '../../support/camt-batch';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/import with a camt.053 batch booking (a day's card
 * payments booked as ONE entry, its transactions in `NtryDtls/TxDtls`): each transaction whose
 * amount is given becomes its own expense when they add up to the entry, the same file again
 * adds nothing, and a statement imported before batches were split (the entry as one expense
 * under its own key) adds nothing when imported again now, nor the other way round. The
 * budget's `spent` counts the entry's amount once throughout.
 */
let h: Harness;
let owner: User;

/** The entry: 61.85 EUR on 2026-11-21 = 12.40 (bakery) + 45.00 (fuel) + 4.45 (parking). */
const TXS = [
  { amount: '12.40', refs: '<AcctSvcrRef>TX-A</AcctSvcrRef>', creditor: 'Bäckerei Schmidt', ustrd: 'Brötchen' },
  { amount: '45.00', refs: '<TxId>T-778</TxId>', creditor: 'Aral Tankstelle' },
  { amount: '4.45', refs: '<EndToEndId>NOTPROVIDED</EndToEndId>', creditor: 'Parkhaus Mitte', ustrd: 'Parken' },
];

/** The batch statement; `amounts: false` lists its TxDtls without amounts (read as one row, as before batches were split). */
const statement = (amounts = true) => camtBatch(amounts ? TXS : TXS.map(({ amount: _amount, ...t }) => t));
/** The TxDtls are on lines 15, 22 and 28; the entry's <Ntry> on line 8. */
const TX_LINES = [15, 22, 28];

const importCamt = (b: Budget, body: string, query = '') =>
  h.call('POST', `/v1/budgets/${b.id}/expenses/import${query}`, { token: owner.token, rawBody: body, headers: { 'content-type': 'application/xml', prefer: 'wait=25' } });
const view = (list: any[]) => list.map(({ occurredOn, amount, merchant, description }) => [occurredOn, amount, merchant, description]);

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
});
afterAll(() => h.destroy());

describe('camt.053 batch bookings', { timeout: 120_000 }, () => {
  it('imports each transaction of a batch that adds up; the same file again adds nothing; a dry run shows the same', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const dry = await importCamt(b, statement(), '?dryRun=true');
    expect(dry.json, dry.text).toMatchObject({ total: 3, imported: 3, duplicates: 0, importLines: TX_LINES, errorCount: 0 });

    const first = await importCamt(b, statement());
    expect(first.json, first.text).toMatchObject({ status: 'succeeded', total: 3, processed: 3, imported: 3, duplicates: 0, errorCount: 0 });
    expect(view(await h.listExpenses(b, owner.token))).toEqual([
      ['2026-11-21', 445, 'Parkhaus Mitte', 'Parken'],
      ['2026-11-21', 4500, 'Aral Tankstelle', 'KARTENZAHLUNGEN'],
      ['2026-11-21', 1240, 'Bäckerei Schmidt', 'Brötchen'],
    ]);
    expect(await h.spent(b, owner.token, '2026-11-21')).toBe(6185);

    const dryAgain = await importCamt(b, statement(), '?dryRun=true');
    expect(dryAgain.json).toMatchObject({ total: 3, imported: 0, duplicates: 3, duplicateLines: TX_LINES });
    const again = await importCamt(b, statement());
    expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 3 });

    // The entry read as one row (as before batches were split, or a statement without the
    // amounts) finds the entry's marker the split import wrote: nothing added.
    const whole = await importCamt(b, statement(false));
    expect(whole.json).toMatchObject({ status: 'succeeded', total: 1, imported: 0, duplicates: 1 });
    expect(await h.listExpenses(b, owner.token)).toHaveLength(3);
    expect(await h.spent(b, owner.token, '2026-11-21')).toBe(6185);
  });

  it('adds nothing for a batch imported before as one expense under the entry\'s key, however often imported again', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    // The state before this change: the entry as ONE row, its marker under the entry's key
    // (an entry that is not split is read and written exactly as the code before wrote every batch).
    const before = await importCamt(b, statement(false));
    expect(before.json, before.text).toMatchObject({ status: 'succeeded', total: 1, imported: 1 });
    expect(view(await h.listExpenses(b, owner.token))).toEqual([['2026-11-21', 6185, 'Bäckerei Schmidt', 'Brötchen']]);

    const dry = await importCamt(b, statement(), '?dryRun=true');
    expect(dry.json).toMatchObject({ total: 3, imported: 0, duplicates: 3, duplicateLines: TX_LINES });
    const split = await importCamt(b, statement());
    expect(split.json).toMatchObject({ status: 'succeeded', total: 3, processed: 3, imported: 0, duplicates: 3 });
    // A third time, either way: still nothing.
    expect((await importCamt(b, statement())).json).toMatchObject({ imported: 0, duplicates: 3 });
    expect((await importCamt(b, statement(false))).json).toMatchObject({ imported: 0, duplicates: 1 });
    expect(await h.listExpenses(b, owner.token)).toHaveLength(1);
    expect(await h.spent(b, owner.token, '2026-11-21')).toBe(6185);

    // Nothing was written for the split rows: the only markers are the entry's (no batchSplit).
    const scan = await h.t.doc.send(new ScanCommand({ TableName: h.t.tableName }));
    const markers = (scan.Items ?? []).filter((i) => i.kind === 'import-marker' && String(i.pk).includes(b.id));
    expect(markers.map((m) => m.batchSplit)).toEqual([undefined]);
  });

  it("imports a split batch's row whose own marker is missing (a batch partly recorded): the entry's marker of split rows does not stand for them", async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    expect((await importCamt(b, statement())).json).toMatchObject({ imported: 3 });
    // As if the parking row had never been recorded: its expense and its marker gone.
    const parking = (await h.listExpenses(b, owner.token)).find((e) => e.merchant === 'Parkhaus Mitte');
    expect((await h.call('DELETE', `/v1/budgets/${b.id}/expenses/${parking.id}`, { token: owner.token })).status).toBe(204);
    // Its key: no reference (EndToEndId NOTPROVIDED), so the entry's and its index.
    const fingerprint = fingerprintKeyed(b.id, JSON.stringify(['camt', CAMT_BATCH_IBAN, 'AcctSvcrRef', 'BATCH-1121', 'TxDtls', 2]));
    const scan = await h.t.doc.send(new ScanCommand({ TableName: h.t.tableName }));
    const marker = (scan.Items ?? []).find((i) => i.kind === 'import-marker' && String(i.sk).endsWith(fingerprint));
    expect(marker).toBeDefined();
    await h.t.doc.send(new DeleteCommand({ TableName: h.t.tableName, Key: { pk: marker!.pk, sk: marker!.sk } }));

    const again = await importCamt(b, statement());
    expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 1, duplicates: 2 });
    expect(await h.spent(b, owner.token, '2026-11-21')).toBe(6185);
  });

  it('a file listing the batch twice, once without the amounts: the one row is imported, the transactions are duplicates of it', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const entry = /<Ntry>[\s\S]*<\/Ntry>/.exec(statement())![0];
    const both = statement(false).replace('</Ntry>', `</Ntry>\n${entry}`);
    const res = await importCamt(b, both);
    expect(res.json, res.text).toMatchObject({ status: 'succeeded', total: 4, imported: 1, duplicates: 3, errorCount: 0 });
    expect(await h.spent(b, owner.token, '2026-11-21')).toBe(6185);
  });

  it("the repository: a batch's rows matched with bills write their entry's flagged marker once; an entry's row marker makes them duplicates, or raced", async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    // recordMatched and markers touch markers only: the expenses repository is not used.
    const imports = new ImportsRepository(h.t.system.deps.storeFor('expenses'), {} as never);
    const now = new Date('2026-11-22T09:00:00Z');
    const row = (fingerprint: string, day: string, entryFingerprint?: string) => ({ fingerprint, recurringExpenseId: 'r1', occurredOn: `2026-11-${day}`, ...(entryFingerprint ? { entryFingerprint } : {}) });
    // Two transactions of entry e1 matched bills; e2 is an entry imported as one row (matched too).
    expect(await imports.recordMatched(b.id, [row('a', '01', 'e1'), row('b', '02', 'e1'), row('e2', '03')], 'i1', now)).toEqual({ matched: ['a', 'b', 'e2'], raced: [], taken: [] });
    const scan = await h.t.doc.send(new ScanCommand({ TableName: h.t.tableName }));
    const markers = (scan.Items ?? []).filter((i) => i.kind === 'import-marker' && String(i.pk).includes(b.id));
    expect(markers.filter((m) => m.batchSplit === true)).toHaveLength(1);
    expect(markers).toHaveLength(4);

    // e1's flagged marker stands for none of its rows; e2's row marker for all of its.
    const found = await imports.markers(b.id, [{ fingerprint: 'a', entryFingerprint: 'e1' }, { fingerprint: 'c', entryFingerprint: 'e1' }, { fingerprint: 'x', entryFingerprint: 'e2' }, 'e1']);
    expect(Object.fromEntries(found)).toEqual({ a: { importId: 'i1', matched: true }, x: { importId: 'i1', matched: true }, e1: { importId: 'i1', matched: false } });
    // A transaction of e2 written now (e2's row marker there meanwhile): raced, its own marker not written.
    expect(await imports.recordMatched(b.id, [row('y', '04', 'e2'), row('z', '05', 'e1')], 'i2', now)).toEqual({ matched: ['z'], raced: ['y'], taken: [] });
    expect(Object.fromEntries(await imports.markers(b.id, ['y']))).toEqual({});
  });
});
