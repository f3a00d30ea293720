import { describe, expect, it } from 'vitest';
import { ImportMapping } from '../schemas/csv.schemas';
import { readBankCsv } from './csv/bank-csv';
import { layoutOf, mappingProblems } from './csv/layout';
import { validateRow } from './csv/rows';
import { fingerprintRows } from './csv/fingerprint';
import { validateFileRow } from './file-rows';
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

/** The layout the import service reads a `?profile=firefly` file with: the mapping's, and the preset's reading. */
const fireflyLayout = () => ({ ...layoutOf(presetOf('firefly')!.mapping)!, reading: presetOf('firefly')!.reading! });
/** A row of FIREFLY_HEADER: type, currency, amount, foreign currency and amount, description, date, destination. */
const row = (type: string, currency: string, amount: string, foreignCurrency: string, foreignAmount: string, description: string, day: string, destination = 'Shop') =>
  `1,10,11,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,${type},${currency},${amount},${foreignCurrency},${foreignAmount},EUR,${amount},,${description},${day}T00:00:00+01:00,Checking,,Asset account,${destination},,Expense account,false,,,,,,`;
const file = (...rows: string[]) => [FIREFLY_HEADER, ...rows].join('\n');

describe("Firefly III's type column (the preset's reading)", () => {
  const layout = fireflyLayout();

  it('the type decides: a withdrawal is an expense; a deposit a credit; transfers, opening balances, reconciliations skipped; another type the row\'s error', () => {
    const text = file(
      row('Withdrawal', 'EUR', '-12.50', '', '', 'Shop', '2026-03-05'),
      row('Deposit', 'EUR', '2500.00', '', '', 'Salary', '2026-03-01'),
      row('Transfer', 'EUR', '100.00', '', '', 'To savings', '2026-03-02'),
      // From an asset account Firefly writes an opening balance negative: by its sign it would be spending.
      row('Opening balance', 'EUR', '-1000.00', '', '', 'Start', '2026-01-01'),
      row('Reconciliation', 'EUR', '-3.10', '', '', 'Fix', '2026-03-03'),
      row('Liability credit', 'EUR', '-500.00', '', '', 'Loan', '2026-03-03'),
      row('opening BALANCE', 'EUR', '-7.00', '', '', 'Case', '2026-03-03'),
      row('Invalid', 'EUR', '-4.00', '', '', 'Odd', '2026-03-04'),
    );
    const read = readBankCsv(text, layout, 'skip', 'EUR');
    // The fraction's trailing zeros are dropped (trailingZeros): the same value for the row check.
    expect(read.rows).toEqual([
      { line: 2, fields: ['2026-03-05', '12.5', '', 'Shop', 'Shop'] },
      {
        line: 9,
        fields: ['2026-03-04', '-4.00', '', 'Odd', 'Shop'],
        error: 'type must be one of Withdrawal, Deposit, Transfer, Opening balance, Reconciliation, Liability credit, not "Invalid"',
      },
    ]);
    expect(read.skipped).toEqual([3, 4, 5, 6, 7, 8]);

    // credits=refunds: the deposit is a refund of its amount; a transfer between own accounts stays skipped.
    const refunds = readBankCsv(text, layout, 'refunds', 'EUR');
    expect(refunds.rows.map((r) => [r.line, r.fields[1], r.refund ?? false])).toEqual([
      [2, '12.5', false],
      [3, '2500', true],
      [9, '-4.00', false],
    ]);
    expect(refunds.skipped).toEqual([4, 5, 6, 7, 8]);
  });

  it('a file without the type column is read by the sign (negative spending, positive skipped); without the currency column no currency is checked', () => {
    const text = ['date,amount,description,destination_name,category,tags', '2026-03-05T00:00:00+01:00,-12.50,Shop,Market,,', '2026-03-06T00:00:00+01:00,100.00,Back,Savings,,'].join('\n');
    const read = readBankCsv(text, layout, 'skip', 'EUR');
    expect(read.rows).toEqual([{ line: 2, fields: ['2026-03-05', '12.5', '', 'Shop', 'Market'] }]);
    expect(read.skipped).toEqual([3]);
  });

  it("a deposit's merchant (a refund's, an income entry's source) is its source account, who paid; a withdrawal's stays its destination", () => {
    const text = [
      FIREFLY_HEADER,
      '1,12,13,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Deposit,EUR,2500.00,,,EUR,2500.00,,Salary,2026-03-01T00:00:00+01:00,ACME Corp,,Revenue account,Checking,,Asset account,false,,,,,,',
      row('Withdrawal', 'EUR', '-12.50', '', '', 'Shop', '2026-03-05', 'REWE'),
    ].join('\n');
    for (const credits of ['refunds', 'income'] as const) {
      expect(readBankCsv(text, layout, credits, 'EUR').rows.map((r) => [r.line, r.fields[4], r.refund ?? false])).toEqual([
        [2, 'ACME Corp', true],
        [3, 'REWE', false],
      ]);
    }
    // A file without source_name: the mapping's merchant column, as before.
    const bare = ['date,amount,type,description,destination_name,category,tags', '2026-03-01T00:00:00+01:00,2500.00,Deposit,Salary,Checking,,'].join('\n');
    expect(readBankCsv(bare, layout, 'refunds', 'EUR').rows.map((r) => r.fields[4])).toEqual(['Checking']);
  });
});

describe("Firefly III deposits' row keys (the preset's reading)", () => {
  const layout = fireflyLayout();

  it("a deposit keeps the identity it had before its merchant was source_name: the same file imported before that change adds nothing (a withdrawal's is as it was)", () => {
    const text = [
      FIREFLY_HEADER,
      '1,12,13,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Deposit,EUR,2500.00,,,EUR,2500.00,,Salary,2026-03-01T00:00:00+01:00,ACME Corp,,Revenue account,Checking,,Asset account,false,,,,,,',
      '1,14,15,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Deposit,USD,40.00,EUR,36.80,EUR,36.80,,Refund,2026-03-02T00:00:00+01:00,Shop Inc,,Revenue account,Checking,,Asset account,false,,,,,,',
      row('Withdrawal', 'EUR', '-12.50', '', '', 'Shop', '2026-03-05', 'REWE'),
    ].join('\n');
    const context = { currency: 'EUR', categoryIds: new Map<string, string>(), unknownCategory: 'uncategorized' as const };
    // The row keys as the import computes them (service/import-prepare.ts prepareImport: the identity, else the row).
    const keys = (read: ReturnType<typeof readBankCsv>) =>
      fingerprintRows(
        'b1',
        read.rows.map((r) => {
          const v = validateFileRow(r, context);
          if (!v.ok) throw new Error(v.message);
          return v.value.identity ?? v.value.row;
        }),
      );
    // The code before: no creditMerchant, a deposit's merchant the destination_name cell.
    const { creditMerchant: _dropped, ...before } = layout.reading;
    for (const credits of ['refunds', 'income'] as const) {
      const now = readBankCsv(text, layout, credits, 'EUR');
      expect(now.rows.map((r) => r.fields[4])).toEqual(['ACME Corp', 'Shop Inc', 'REWE']);
      expect(keys(now)).toEqual(keys(readBankCsv(text, { ...layout, reading: before }, credits, 'EUR')));
    }
  });
});

describe("Firefly III's unrounded amounts and currencies (the preset's reading)", () => {
  const layout = fireflyLayout();

  it('unrounded amounts (12 decimals) are read when the extra decimals are zeros; a non-zero one is the row\'s error naming amount', () => {
    const text = file(
      row('Withdrawal', 'EUR', '-12.500000000000', '', '', 'Twelve', '2026-03-05'),
      row('Withdrawal', 'EUR', '-3.000000000000', '', '', 'Three', '2026-03-05'),
      row('Withdrawal', 'EUR', '-12.505000000000', '', '', 'Extra', '2026-03-05'),
      row('Withdrawal', 'EUR', '-0.000000000000', '', '', 'Zero', '2026-03-05'),
    );
    const read = readBankCsv(text, layout, 'skip', 'EUR');
    expect(read.rows.map((r) => r.fields[1])).toEqual(['12.5', '3', '12.505']);
    expect(read.skipped).toEqual([5]);
    const checked = read.rows.map((r) => validateRow(r.fields, { currency: 'EUR', categoryIds: new Map() }));
    expect(checked).toEqual([
      expect.objectContaining({ ok: true, value: expect.objectContaining({ amount: 1250 }) }),
      expect.objectContaining({ ok: true, value: expect.objectContaining({ amount: 300 }) }),
      { ok: false, message: 'amount has at most 2 decimals in EUR' },
    ]);
    // JPY has no decimals: 1250.000000000000 is 1250 yen.
    const yen = readBankCsv(file(row('Withdrawal', 'JPY', '-1250.000000000000', '', '', 'Ramen', '2026-03-05')), layout, 'skip', 'JPY');
    expect(validateRow(yen.rows[0]!.fields, { currency: 'JPY', categoryIds: new Map() })).toMatchObject({ ok: true, value: { amount: 1250 } });
    // A mapped bank file (no preset) keeps refusing them: its `1.500` may be a thousand and a half.
    const bank = readBankCsv('Date,Amount\n2026-03-05,-12.500\n', layoutOf({ amountSign: 'negativeIsSpending', decimalSeparator: '.', dateColumn: 'Date', amountColumn: 'Amount' })!);
    expect(validateRow(bank.rows[0]!.fields, { currency: 'EUR', categoryIds: new Map() })).toEqual({ ok: false, message: 'amount has at most 2 decimals in EUR' });
  });

  it("currency_code: the budget's currency as it is, with a foreign amount its foreign; another currency its error unless the foreign amount is in the budget's", () => {
    const text = file(
      row('Withdrawal', 'EUR', '-45.00', '', '', 'Home', '2026-03-05'),
      row('Withdrawal', 'EUR', '-45.00', 'USD', '-49.10', 'Card abroad', '2026-03-05'),
      row('Withdrawal', 'USD', '-20.00', 'EUR', '-18.40', 'USD account', '2026-03-05'),
      row('Withdrawal', 'GBP', '-10.00', '', '', 'London', '2026-03-05'),
      row('Withdrawal', 'USD', '-20.00', 'JPY', '-3000', 'Neither', '2026-03-05'),
      row('Withdrawal', 'EUR', '-5.00', '', '-5.40', 'Half', '2026-03-05'),
      row('Transfer', 'GBP', '10.00', '', '', 'Skipped first', '2026-03-05'),
      row('Withdrawal', 'JPY', '-1500.50', 'EUR', '-9.20', 'Yen decimals', '2026-03-05'),
      row('Deposit', 'USD', '30.00', 'EUR', '27.60', 'Refund abroad', '2026-03-05'),
      row('Withdrawal', 'eur', '-1.00', '', '', 'Lower case', '2026-03-05'),
    );
    const read = readBankCsv(text, layout, 'refunds', 'EUR');
    expect(read.skipped).toEqual([8]);
    expect(read.rows.map(({ line, fields, foreign, error, refund }) => ({ line, amount: fields[1], foreign, error, refund }))).toEqual([
      { line: 2, amount: '45', foreign: undefined, error: undefined, refund: undefined },
      { line: 3, amount: '45', foreign: ['49.1', 'USD'], error: undefined, refund: undefined },
      { line: 4, amount: '18.4', foreign: ['20', 'USD'], error: undefined, refund: undefined },
      {
        line: 5,
        amount: '10',
        foreign: undefined,
        error: "currency_code is GBP, not the budget's currency EUR, and the row has no foreign amount: an amount in EUR is needed (foreign_amount with foreign_currency_code EUR)",
        refund: undefined,
      },
      {
        line: 6,
        amount: '20',
        foreign: undefined,
        error: "currency_code is USD, not the budget's currency EUR, and the row has its foreign amount in JPY: an amount in EUR is needed (foreign_amount with foreign_currency_code EUR)",
        refund: undefined,
      },
      { line: 7, amount: '5', foreign: undefined, error: 'foreign_currency_code is required with a foreign_amount', refund: undefined },
      { line: 9, amount: '1500.5', foreign: undefined, error: 'amount must be a whole number of JPY (no decimals)', refund: undefined },
      { line: 10, amount: '27.6', foreign: ['30', 'USD'], error: undefined, refund: true },
      { line: 11, amount: '1', foreign: undefined, error: undefined, refund: undefined },
    ]);
    // The row check makes the foreign pair minor units of its own currency.
    const context = { currency: 'EUR', categoryIds: new Map<string, string>() };
    expect(validateRow(read.rows[1]!.fields, context, read.rows[1]!.foreign)).toMatchObject({ ok: true, value: { amount: 4500, foreign: { amount: 4910, currency: 'USD' } } });
    expect(validateRow(read.rows[2]!.fields, context, read.rows[2]!.foreign)).toMatchObject({ ok: true, value: { amount: 1840, foreign: { amount: 2000, currency: 'USD' } } });
  });
});

describe('Firefly III\'s preset: an empty currency_code', () => {
  const layout = fireflyLayout();

  it('an empty currency_code is the row\'s error naming it, never read as the budget\'s currency (Firefly III leaves it empty only for a transaction without a currency)', () => {
    const text = file(
      row('Withdrawal', '', '-45.00', '', '', 'No currency', '2026-03-05'),
      row('Withdrawal', ' ', '-12.50', 'EUR', '-12.50', 'Blank with foreign EUR', '2026-03-05'),
      row('Withdrawal', 'EUR', '-3.00', '', '', 'Next row read', '2026-03-05'),
    );
    const read = readBankCsv(text, layout, 'skip', 'EUR');
    const required = "currency_code is required: the amount's currency cannot be told without it (an amount in EUR is needed)";
    expect(read.rows.map(({ line, fields, error }) => ({ line, amount: fields[1], error }))).toEqual([
      { line: 2, amount: '45', error: required },
      { line: 3, amount: '12.5', error: required },
      { line: 4, amount: '3', error: undefined },
    ]);
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
