import { describe, expect, it } from 'vitest';
import { incomeGroups } from '../repository/imports.repository';
import { readBankCsv } from './csv/bank-csv';
import { withRefunds } from './csv/refund-rows';
import type { FileRow } from './import-file';
import { incomeFieldsOf, isIncomeCredit, readsCredits } from './income-rows';
import { readOfx } from './ofx/read';

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

  it('fills a transaction to 100 items: 3 per row (entry, marker, income.recorded), 1 per month, 1 per batch entry, the closed check and the guard', () => {
    // One month: 3n + 1 + 2 <= 100 -> 32 rows (99 items; 33 -> 102); 100 rows -> 32, 32, 32, 4.
    expect(incomeGroups(rows(Array.from({ length: 100 }, () => '2026-11-05'))).map((g) => g.length)).toEqual([32, 32, 32, 4]);
    // Two months in the first group: 3n + 2 + 2 <= 100 -> exactly 32 rows (100 items): 20 of October, 12 of November; the other 28 next.
    const two = [...Array.from({ length: 20 }, () => '2026-10-31'), ...Array.from({ length: 20 }, () => '2026-11-01'), ...Array.from({ length: 20 }, () => '2026-12-01')];
    expect(incomeGroups(rows(two)).map((g) => g.length)).toEqual([32, 28]);
    // Three months in the first group: 3n + 3 + 2 <= 100 -> 31 rows (98 items; 32 -> 101): 10 + 10 + 11, then the other 29 of December.
    const three = [...Array.from({ length: 10 }, () => '2026-10-31'), ...Array.from({ length: 10 }, () => '2026-11-01'), ...Array.from({ length: 40 }, () => '2026-12-01')];
    expect(incomeGroups(rows(three)).map((g) => g.length)).toEqual([31, 29]);
    // A batch entry per 2 rows (25 entries): 3n + 1 + ceil(n / 2) + 2 <= 100 -> n = 27 (81 + 1 + 14 + 2 = 98; 28 -> 84 + 1 + 14 + 2 = 101).
    expect(incomeGroups(rows(Array.from({ length: 50 }, () => '2026-11-05'), (n) => `e${Math.floor(n / 2)}`)).map((g) => g.length)).toEqual([27, 23]);
    expect(incomeGroups([])).toEqual([]);
  });
});
