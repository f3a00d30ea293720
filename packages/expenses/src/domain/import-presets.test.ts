import { describe, expect, it } from 'vitest';
import { ImportMapping } from '../schemas/csv.schemas';
import { readBankCsv } from './csv/bank-csv';
import { layoutOf, mappingProblems } from './csv/layout';
import { validateRow } from './csv/rows';
import { IMPORT_PRESETS, presetOf } from './import-presets';
import { columnsNeeded, pickProfile } from './import-profiles';

const candidates = IMPORT_PRESETS.map((p) => ({ id: p.id, updatedAt: '', mapping: p.mapping, alsoNeeds: p.signature }));
const header = (line: string) => line.split(',');
/** Firefly III's transactions export header as its newest exporter writes it (before its meta fields, here two of them). */
const FIREFLY_HEADER =
  'user_id,group_id,journal_id,created_at,updated_at,group_title,type,currency_code,amount,foreign_currency_code,foreign_amount,native_currency_code,native_amount,native_foreign_amount,' +
  'description,date,source_name,source_iban,source_type,destination_name,destination_iban,destination_type,reconciled,category,budget,bill,tags,notes,sepa_cc';

describe('the built-in import presets', () => {
  it('are valid mappings a saved profile could hold, with distinct ids that are no ULID, and read only columns of their signature', () => {
    expect(IMPORT_PRESETS.map((p) => p.id)).toEqual(['ynab', 'monarch', 'mint', 'actual', 'firefly']);
    for (const preset of IMPORT_PRESETS) {
      expect(ImportMapping.safeParse(preset.mapping).success, preset.id).toBe(true);
      // A ULID is 26 characters of Crockford base32: a saved profile's id is never a preset's.
      expect(preset.id).not.toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      const signature = new Set(preset.signature.map((c) => c.toLowerCase()));
      for (const column of columnsNeeded(preset.mapping)) expect(signature.has(column), `${preset.id}: ${column}`).toBe(true);
    }
    expect(presetOf('monarch')?.name).toBe('Monarch Money');
    expect(presetOf('auto')).toBeUndefined();
  });

  it('?profile=auto: each app header picks its own preset; a bank file with some of the columns picks none', () => {
    const pick = (line: string) => pickProfile(candidates, () => header(line))?.id;
    expect(pick('Account,Flag,Date,Payee,Category Group/Category,Category Group,Category,Memo,Outflow,Inflow,Cleared')).toBe('ynab');
    expect(pick('Date,Merchant,Category,Account,Original Statement,Notes,Amount,Tags')).toBe('monarch');
    expect(pick('Account,Date,Payee,Notes,Category,Amount')).toBe('actual');
    expect(pick('Date,Description,Original Description,Amount,Transaction Type,Category,Account Name,Labels,Notes')).toBe('mint');
    // Actual's mapped columns without its Account column (a bank's own export): not taken for Actual's.
    expect(pick('Date,Payee,Notes,Category,Amount')).toBeUndefined();
    expect(pick('Date,Amount')).toBeUndefined();
    // Firefly III: the header of each version seen (ExportDataGenerator.php), and its first columns alone.
    expect(pick(FIREFLY_HEADER)).toBe('firefly');
    expect(
      pick(
        'user_id,group_id,journal_id,created_at,updated_at,group_title,type,amount,foreign_amount,currency_code,foreign_currency_code,description,date,' +
          'source_name,source_iban,source_type,destination_name,destination_iban,destination_type,reconciled,category,budget,bill,tags',
      ),
    ).toBe('firefly');
    expect(pick('type,amount,description,date,destination_name,category,tags')).toBeUndefined();
  });

  it("Firefly III's file: a withdrawal (negative) is an expense of its day, deposits and transfers skipped, its tags split at commas", () => {
    const text = [
      FIREFLY_HEADER,
      '1,10,11,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Withdrawal,EUR,-12.50,,,EUR,-12.50,,Weekly shop,2026-03-05T00:00:00+01:00,Checking,,Asset account,"REWE, Berlin",,Expense account,false,Groceries,,,"vacation,Reimbursable",',
      '1,12,13,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Deposit,EUR,2500.00,,,EUR,2500.00,,Salary,2026-03-01T00:00:00+01:00,Employer,,Revenue account,Checking,,Asset account,false,,,,,',
      '1,14,15,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Transfer,EUR,100.00,,,EUR,100.00,,To savings,2026-03-02T23:30:00-05:00,Checking,,Asset account,Savings,,Asset account,false,,,,,',
    ].join('\n');
    const read = readBankCsv(text, layoutOf(presetOf('firefly')!.mapping)!);
    expect(read.rows).toEqual([{ line: 2, fields: ['2026-03-05', '12.50', 'Groceries', 'Weekly shop', 'REWE, Berlin'], tags: ['vacation', 'Reimbursable'] }]);
    expect(read.skipped).toEqual([3, 4]);
  });

  it("YNAB's file: Outflow is an expense, Inflow skipped, US dates, a quoted amount with a thousands comma", () => {
    const text = [
      '"Account","Flag","Date","Payee","Category Group/Category","Category Group","Category","Memo","Outflow","Inflow","Cleared"',
      '"Checking","","11/03/2026","Shop","G: Groceries","G","Groceries","a, b","1,234.56","0.00","Cleared"',
      '"Checking","","11/04/2026","Work","Inflow: Ready to Assign","Inflow","Ready to Assign","","0.00","20.00","Cleared"',
    ].join('\n');
    const read = readBankCsv(text, layoutOf(presetOf('ynab')!.mapping)!);
    expect(read.rows).toEqual([{ line: 2, fields: ['2026-11-03', '1234.56', 'Groceries', 'a, b', 'Shop'] }]);
    expect(read.skipped).toEqual([3]);
  });
});

describe('a type column (typeColumn: Mint\'s "Transaction Type")', () => {
  const text = [
    'Date,Description,Amount,Transaction Type,Category',
    '1/5/2026,Shop,"1,234.56",debit,Groceries',
    '12/31/2026,Work,20.00,Credit,Paycheck',
    '2/3/2026,Odd,-3.00,DEBIT,',
    '2/4/2026,Zero,0.00,debit,',
    '2/5/2026,Bad,1.00,transfer,',
  ].join('\n');
  const layout = layoutOf({ typeColumn: 'Transaction Type', merchantColumn: 'Description', dateFormat: 'M/D/YYYY', decimalSeparator: '.' })!;

  // The merchant column is also the description: a field not mapped is read from a column of its name.
  it('a debit is an expense (its sign ignored), a credit skipped or (refunds) a refund, zero skipped, another type the row\'s error', () => {
    const read = readBankCsv(text, layout);
    expect(read.rows).toEqual([
      { line: 2, fields: ['2026-01-05', '1234.56', 'Groceries', 'Shop', 'Shop'] },
      { line: 4, fields: ['2026-02-03', '3.00', '', 'Odd', 'Odd'] },
      { line: 6, fields: ['2026-02-05', '1.00', '', 'Bad', 'Bad'], error: 'type must be debit or credit (typeColumn), not "transfer"' },
    ]);
    expect(read.skipped).toEqual([3, 5]);
    const refunds = readBankCsv(text, layout, 'refunds');
    expect(refunds.rows[1]).toEqual({ line: 3, fields: ['2026-12-31', '20.00', 'Paycheck', 'Work', 'Work'], refund: true });
    expect(refunds.skipped).toEqual([5]);
  });

  it('goes with one amount column only: with debit and credit columns or amountSign it is a problem naming the parameter to change', () => {
    expect(mappingProblems({ typeColumn: 'Type', debitColumn: 'Out', creditColumn: 'In' }).map((p) => p.parameter)).toEqual(['typeColumn']);
    expect(mappingProblems({ typeColumn: 'Type', amountSign: 'negativeIsSpending' }).map((p) => p.parameter)).toEqual(['amountSign']);
    expect(mappingProblems({ typeColumn: 'Type', amountColumn: 'Amount' })).toEqual([]);
    expect(columnsNeeded({ typeColumn: 'Transaction Type' })).toEqual(['transaction type', 'date', 'amount']);
  });
});

describe("validateRow's unknownCategory", () => {
  const categoryIds = new Map([['groceries', 'cat-1']]);
  it('a category the budget lacks is the row\'s error by default, uncategorized with `uncategorized`; a known one is found either way', () => {
    const fields = ['2026-11-03', '12.50', 'Car Fuel', '', 'Shell'];
    expect(validateRow(fields, { currency: 'USD', categoryIds })).toEqual({ ok: false, message: 'category "Car Fuel" is not a category of this budget' });
    expect(validateRow(fields, { currency: 'USD', categoryIds, unknownCategory: 'uncategorized' })).toMatchObject({ ok: true, value: { amount: 1250, categoryId: null } });
    expect(validateRow(['2026-11-03', '12.50', 'GROCERIES', '', ''], { currency: 'USD', categoryIds, unknownCategory: 'uncategorized' })).toMatchObject({ ok: true, value: { categoryId: 'cat-1' } });
  });
});
