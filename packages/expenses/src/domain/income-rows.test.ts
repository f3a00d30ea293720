import { describe, expect, it } from 'vitest';
import { incomeGroups } from '../repository/imports.repository';
import { changeShardOf } from '../repository/change-log';
import { readBankCsv } from './csv/bank-csv';
import { withRefunds } from './csv/refund-rows';
import type { FileRow } from './import-file';
import { incomeFieldsOf, isIncomeCredit, readsCredits } from './income-rows';
import { readOfx } from './ofx/read';

/** `count` ULID-like ids whose change shard is `shard` (drawn by counting, not by the code under test's own drawing). */
function idsInShard(shard: number, count: number): string[] {
  const out: string[] = [];
  for (let n = 0; out.length < count; n++) {
    const id = `01JDINCOME${String(n).padStart(16, '0')}`;
    if (changeShardOf(id) === shard) out.push(id);
  }
  return out;
}

/** `credits=income`: which rows become income entries (domain/income-rows.ts), and how many a transaction takes. */
describe('isIncomeCredit', () => {
  const credit = { refund: true as const };
  const debit = {};

  it('is a credit (a refund row) of a format with a sign convention, with credits=income only', () => {
    for (const format of ['ofx', 'camt', 'qif'] as const) {
      expect(isIncomeCredit({ format, credits: 'income' }, credit)).toBe(true);
      expect(isIncomeCredit({ format, credits: 'income' }, debit)).toBe(false);
      expect(isIncomeCredit({ format, credits: 'refunds' }, credit)).toBe(false);
      expect(isIncomeCredit({ format, credits: 'skip' }, credit)).toBe(false);
      expect(isIncomeCredit({ format }, credit)).toBe(false);
    }
    expect(isIncomeCredit({ format: 'csv', layout: { amountSign: 'negativeIsSpending' }, credits: 'income' }, credit)).toBe(true);
    expect(isIncomeCredit({ format: 'csv', layout: { columns: {}, debitCredit: { debit: 'Out', credit: 'In' } }, credits: 'income' }, credit)).toBe(true);
    expect(isIncomeCredit({ format: 'csv', layout: { columns: {}, typeColumn: 'Type' }, credits: 'income' }, credit)).toBe(true);
    // A preset's type column (Firefly III) is a sign convention too.
    expect(isIncomeCredit({ format: 'csv', layout: { reading: { types: { column: 'Type', meanings: { Deposit: 'credit' } } } }, credits: 'income' }, credit)).toBe(true);
  });

  it('is never a negative amount of a CSV without a sign convention (our own format, a mapping alone): that stays a refund', () => {
    expect(isIncomeCredit({ format: 'csv', credits: 'income' }, credit)).toBe(false);
    expect(isIncomeCredit({ format: 'csv', layout: { delimiter: ';' }, credits: 'income' }, credit)).toBe(false);
    expect(isIncomeCredit({ format: 'csv', layout: { amountSign: 'positive' }, credits: 'income' }, credit)).toBe(false);
    expect(readsCredits({ format: 'csv' })).toBe(false);
    expect(readsCredits({ format: 'ofx' })).toBe(true);
  });

  it('classifies what the readers hand on: an OFX credit and a sign-convention CSV credit, not our format\'s negative amount', () => {
    const ofx = [
      'OFXHEADER:100',
      'DATA:OFXSGML',
      '',
      '<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>',
      '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261103<TRNAMT>-4.50<FITID>a<NAME>CAFE</STMTTRN>',
      '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261105<TRNAMT>2500.00<FITID>b<NAME>ACME</STMTTRN>',
      '</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
    ].join('\n');
    const read = readOfx(ofx, 'USD', 'income');
    expect(read.skipped).toEqual([]);
    expect(read.rows.map((r) => isIncomeCredit({ format: 'ofx', credits: 'income' }, r))).toEqual([false, true]);
    // Skipped as before with credits=skip: the reader is asked the same way.
    expect(readOfx(ofx, 'USD', 'skip').rows).toHaveLength(1);

    const layout = { columns: { date: 'Date', amount: 'Amount' }, amountSign: 'negativeIsSpending' as const };
    const bank = readBankCsv('Date,Amount\n2026-11-02,-12.00\n2026-11-03,1800.00\n', layout, 'income');
    expect(bank.rows.map((r) => [r.fields[1], isIncomeCredit({ format: 'csv', layout, credits: 'income' }, r)])).toEqual([
      ['12.00', false],
      ['1800.00', true],
    ]);

    const own = withRefunds<FileRow>([{ line: 2, fields: ['2026-11-09', '-5.00', '', 'returned', 'Bakery'] }]);
    expect(own[0]!.refund).toBe(true);
    expect(isIncomeCredit({ format: 'csv', credits: 'income' }, own[0]!)).toBe(false);
  });
});

describe('incomeFieldsOf', () => {
  it("takes the row's amount, date, merchant as source and description; drops category, tags, foreign amount", () => {
    expect(
      incomeFieldsOf({ occurredOn: '2026-11-05', amount: 250000, categoryId: 'cat', merchant: 'ACME PAYROLL', description: 'SALARY', tags: ['x'], foreign: { amount: 1, currency: 'EUR' }, refund: true }),
    ).toEqual({ amount: 250000, receivedOn: '2026-11-05', source: 'ACME PAYROLL', description: 'SALARY' });
    expect(incomeFieldsOf({ occurredOn: '2026-11-05', amount: 1, categoryId: null, refund: true })).toEqual({ amount: 1, receivedOn: '2026-11-05' });
  });
});

describe('incomeGroups', () => {
  const rows = (dates: string[], entry?: (n: number) => string | undefined) =>
    dates.map((receivedOn, n) => ({ income: { receivedOn }, ...(entry?.(n) === undefined ? {} : { entryFingerprint: entry(n)! }) }));

  it('fills a transaction to 100 items: 4 per row (entry, marker, income.recorded, change entry), 1 per month, 1 per batch entry, the counter, the closed check and the guard', () => {
    // One month: 4n + 1 + 3 <= 100 -> 24 rows (100 items; 25 -> 104); 100 rows -> 24 x 4, 4.
    expect(incomeGroups(rows(Array.from({ length: 100 }, () => '2026-11-05'))).map((g) => g.length)).toEqual([24, 24, 24, 24, 4]);
    // Two months in a group: 4n + 2 + 3 <= 100 -> 23 rows (97 items; 24 -> 101): 20 of October and 3 of November, then 17 + 6, then the other 14 of December.
    const two = [...Array.from({ length: 20 }, () => '2026-10-31'), ...Array.from({ length: 20 }, () => '2026-11-01'), ...Array.from({ length: 20 }, () => '2026-12-01')];
    expect(incomeGroups(rows(two)).map((g) => g.length)).toEqual([23, 23, 14]);
    // Three months in the first group: 4n + 3 + 3 <= 100 -> 23 rows (98 items; 24 -> 102): 10 + 10 + 3, then 24 of the other 37 of December (one month), then 13.
    const three = [...Array.from({ length: 10 }, () => '2026-10-31'), ...Array.from({ length: 10 }, () => '2026-11-01'), ...Array.from({ length: 40 }, () => '2026-12-01')];
    expect(incomeGroups(rows(three)).map((g) => g.length)).toEqual([23, 24, 13]);
    // A batch entry per 2 rows (25 entries): 4n + 1 + entries + 3 <= 100 -> 21 rows over 11 entries (84 + 1 + 11 + 3 = 99; a 22nd row -> 103), twice, then 8.
    expect(incomeGroups(rows(Array.from({ length: 50 }, () => '2026-11-05'), (n) => `e${Math.floor(n / 2)}`)).map((g) => g.length)).toEqual([21, 21, 8]);
    expect(incomeGroups([])).toEqual([]);
  });

  it('keeps a group to one change shard (its stamp is one counter): a row of another shard starts the next group', () => {
    const [a1, a2] = idsInShard(3, 2);
    const [b1] = idsInShard(7, 1);
    const row = (id: string) => ({ income: { id, receivedOn: '2026-11-05' } });
    expect(incomeGroups([row(a1!), row(a2!), row(b1!), row(a1!)]).map((g) => g.map((r) => r.income.id))).toEqual([[a1, a2], [b1], [a1]]);
  });
});
