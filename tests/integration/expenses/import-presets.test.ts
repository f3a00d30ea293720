import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { expectCreditsAsIncome } from './credit-income';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Built-in import presets (domain/import-presets.ts) on DynamoDB Local through the HTTP API:
 * each app's export (hand-written, as the app writes it: a credit, a category the budget does
 * not have, a quoted field holding a comma) by `?profile=<preset>` in a dry run and for real,
 * `?profile=auto` picking each, a saved profile with the same columns winning, and the list.
 * Expected amounts are the files' figures in cents, worked out by hand.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ currency: 'USD', categories: ['Groceries', 'Dining Out'] });
});
afterAll(() => h.destroy());

const fresh = () => h.createBudget(team.owner, { currency: 'USD', categories: ['Groceries', 'Dining Out'] });
const importCsv = (b: Budget, csv: string, query: Record<string, string>, who: User = team.owner) => h.importCsv(b, who, csv, query);
const categoryId = (b: Budget, name: string) => b.categories.find((c) => c.name === name)!.id;
/** The stored expenses, oldest first, as the file's figures. */
const stored = async (b: Budget) =>
  (await h.listExpenses(b, team.owner.token))
    .map(({ occurredOn, amount, categoryId, merchant, description, refund }) => ({ occurredOn, amount, categoryId, merchant, description: description ?? null, refund: refund ?? false }))
    .reverse();

/** YNAB's register export (US number format): Outflow / Inflow, MM/DD/YYYY. */
const YNAB = [
  '"Account","Flag","Date","Payee","Category Group/Category","Category Group","Category","Memo","Outflow","Inflow","Cleared"',
  '"Checking","","11/03/2026","Trader Joe\'s","Everyday Expenses: Groceries","Everyday Expenses","Groceries","Weekly shop, apples","1,234.56","0.00","Cleared"',
  '"Checking","","11/04/2026","Acme Corp","Inflow: Ready to Assign","Inflow","Ready to Assign","Salary","0.00","2,500.00","Cleared"',
  '"Checking","Red","11/05/2026","Shell","Monthly Bills: Car Fuel","Monthly Bills","Car Fuel","","45.10","0.00","Uncleared"',
  '"Checking","","11/06/2026","Chipotle","Fun: Dining Out","Fun","Dining Out","Burrito","12.34","0.00","Cleared"',
  '',
].join('\r\n');

/** Monarch Money's transactions export: one signed amount (spending negative), ISO dates. */
const MONARCH = [
  'Date,Merchant,Category,Account,Original Statement,Notes,Amount,Tags',
  '2026-11-03,Whole Foods,Groceries,Chase Checking,"WHOLE FOODS #123, AUSTIN TX",,-87.65,',
  '2026-11-04,Employer,Paychecks,Chase Checking,PAYROLL,,3000.00,',
  '2026-11-05,Uber,Auto & Transport,Chase Checking,UBER *TRIP,Airport ride,-23.40,travel',
  '2026-11-06,Olive Garden,Dining Out,Chase Checking,OLIVE GARDEN,"Dinner, with Sam",-56.00,',
  '',
].join('\n');

/** Mint's transactions.csv: positive amounts, "Transaction Type" debit or credit, M/D/YYYY. */
const MINT = [
  '"Date","Description","Original Description","Amount","Transaction Type","Category","Account Name","Labels","Notes"',
  '"1/5/2026","Costco","COSTCO WHSE #123, SEATTLE WA","152.37","debit","Groceries","Visa","",""',
  '"1/6/2026","Paycheck","ACME PAYROLL","2000.00","credit","Paycheck","Checking","",""',
  '"1/12/2026","Starbucks","STARBUCKS #55","5.75","debit","Coffee Shops","Visa","","Latte, large"',
  '"12/24/2026","Red Lobster","RED LOBSTER","1,043.10","debit","Dining Out","Visa","holiday",""',
  '',
].join('\n');

/** Actual Budget's transactions export: one signed amount (spending negative), ISO dates. */
const ACTUAL = [
  'Account,Date,Payee,Notes,Category,Amount',
  'Checking,2026-11-03,Safeway,"Milk, eggs",Groceries,-19.99',
  'Checking,2026-11-04,Starting Balance,,Income,1500.00',
  'Checking,2026-11-05,Lyft,,Transport: Rideshare,-14.25',
  'Checking,2026-11-06,Chick-fil-A,,Dining Out,-9.05',
  '',
].join('\n');

/**
 * Firefly III's transactions export as its current exporter writes it (ExportDataGenerator.php:
 * `type`, `currency_code`, `foreign_*`, `primary_currency_code`, `pc_*`), for a USD budget: every
 * transaction type, an unrounded amount as older exporters wrote them, a row paid in EUR from a
 * EUR account (its USD figure in foreign_amount), a USD row with a EUR foreign amount, a row in
 * GBP only, and an amount with a non-zero third decimal.
 */
const FIREFLY_ROW = (type: string, currency: string, amount: string, foreignCurrency: string, foreignAmount: string, day: string, destination: string, description: string) =>
  `1,10,11,2026-03-20T10:00:00+01:00,2026-03-20T10:00:00+01:00,,${type},${currency},${amount},${foreignCurrency},${foreignAmount},USD,${amount},${foreignAmount},${description},${day}T00:00:00+01:00,Checking,,Asset account,"${destination}",,Expense account,false,,,,,`;
/** A deposit as Firefly III writes it: from a revenue account (`source`, who paid) into the asset account Checking. */
const FIREFLY_DEPOSIT = (amount: string, day: string, source: string, description: string) =>
  `1,10,12,2026-11-20T10:00:00+01:00,2026-11-20T10:00:00+01:00,,Deposit,USD,${amount},,,USD,${amount},,${description},${day}T00:00:00+01:00,"${source}",,Revenue account,Checking,,Asset account,false,,,,,`;
const FIREFLY_HEADER =
  'user_id,group_id,journal_id,created_at,updated_at,group_title,type,currency_code,amount,foreign_currency_code,foreign_amount,primary_currency_code,pc_amount,pc_foreign_amount,' +
  'description,date,source_name,source_iban,source_type,destination_name,destination_iban,destination_type,reconciled,category,budget,bill,tags,notes';
const FIREFLY = [
  FIREFLY_HEADER,
  FIREFLY_ROW('Withdrawal', 'USD', '-12.50', '', '', '2026-03-02', 'Corner Market, Main St', 'Weekly shop'),
  FIREFLY_ROW('Deposit', 'USD', '2500.00', '', '', '2026-03-03', 'Checking', 'Salary'),
  FIREFLY_ROW('Transfer', 'USD', '100.00', '', '', '2026-03-04', 'Savings', 'To savings'),
  FIREFLY_ROW('Opening balance', 'USD', '-1000.00', '', '', '2026-01-01', 'Checking initial balance', 'Start'),
  FIREFLY_ROW('Withdrawal', 'USD', '-8.750000000000', '', '', '2026-03-05', 'Noodle Bar', 'Lunch'),
  FIREFLY_ROW('Withdrawal', 'EUR', '-20.00', 'USD', '-21.80', '2026-03-06', 'Bäckerei', 'Bread in Berlin'),
  FIREFLY_ROW('Withdrawal', 'USD', '-30.00', 'EUR', '-27.50', '2026-03-07', 'Hotel', 'Card abroad'),
  FIREFLY_ROW('Withdrawal', 'GBP', '-10.00', '', '', '2026-03-08', 'Pub', 'London'),
  FIREFLY_ROW('Withdrawal', 'USD', '-1.005000000000', '', '', '2026-03-09', 'Kiosk', 'Odd'),
  '',
].join('\n');

describe('built-in import presets', { timeout: 120_000 }, () => {
  it('GET .../import-presets lists them for any member; a stranger gets 404', async () => {
    const listed = await h.call('GET', `/v1/budgets/${team.budget.id}/import-presets`, { token: team.viewer.token });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items.map((p: { id: string; name: string }) => [p.id, p.name])).toEqual([
      ['ynab', 'YNAB'],
      ['monarch', 'Monarch Money'],
      ['mint', 'Mint'],
      ['actual', 'Actual Budget'],
      ['firefly', 'Firefly III'],
    ]);
    expect(listed.json.items[1]).toEqual({
      id: 'monarch',
      name: 'Monarch Money',
      mapping: { dateColumn: 'Date', merchantColumn: 'Merchant', categoryColumn: 'Category', descriptionColumn: 'Notes', amountColumn: 'Amount', amountSign: 'negativeIsSpending', decimalSeparator: '.', tagsColumn: 'Tags', tagsSeparator: ',' },
      columns: ['Date', 'Merchant', 'Category', 'Account', 'Original Statement', 'Notes', 'Amount', 'Tags'],
    });
    expectProblem(await h.call('GET', `/v1/budgets/${team.budget.id}/import-presets`, { token: team.stranger.token }), 404);
    // The saved profiles' list stays the saved ones.
    const saved = await h.call('GET', `/v1/budgets/${team.budget.id}/import-profiles`, { token: team.viewer.token });
    expect(saved.json.items).toEqual([]);
  });

  it('?profile=ynab: a dry run, the import, credits=refunds; a category the budget lacks is uncategorized', async () => {
    const b = await fresh();
    const dry = await importCsv(b, YNAB, { profile: 'ynab', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, profileId: 'ynab', total: 3, imported: 3, errorCount: 0, importLines: [2, 4, 5], skipped: 1, skippedLines: [3] });
    const refunds = await importCsv(b, YNAB, { profile: 'ynab', dryRun: 'true', credits: 'refunds' });
    expect(refunds.json).toMatchObject({ total: 4, imported: 4, errorCount: 0, importLines: [2, 3, 4, 5] });
    expect(await h.listExpenses(b, team.owner.token)).toEqual([]);

    const done = await importCsv(b, YNAB, { profile: 'ynab' });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 3, skipped: 1, errorCount: 0, profileId: 'ynab' });
    expect(await stored(b)).toEqual([
      { occurredOn: '2026-11-03', amount: 123456, categoryId: categoryId(b, 'Groceries'), merchant: "Trader Joe's", description: 'Weekly shop, apples', refund: false },
      { occurredOn: '2026-11-05', amount: 4510, categoryId: null, merchant: 'Shell', description: null, refund: false },
      { occurredOn: '2026-11-06', amount: 1234, categoryId: categoryId(b, 'Dining Out'), merchant: 'Chipotle', description: 'Burrito', refund: false },
    ]);
    // The same file again adds nothing.
    expect((await importCsv(b, YNAB, { profile: 'ynab' })).json).toMatchObject({ imported: 0, duplicates: 3 });
  });

  it('?profile=monarch and ?profile=actual: negative amounts are spending, positive ones skipped', async () => {
    const b = await fresh();
    const monarchDry = await importCsv(b, MONARCH, { profile: 'monarch', dryRun: 'true' });
    expect(monarchDry.status, monarchDry.text).toBe(200);
    expect(monarchDry.json).toMatchObject({ profileId: 'monarch', total: 3, imported: 3, errorCount: 0, importLines: [2, 4, 5], skipped: 1, skippedLines: [3] });
    const monarch = await importCsv(b, MONARCH, { profile: 'monarch' });
    expect(monarch.json).toMatchObject({ status: 'succeeded', imported: 3, skipped: 1, errorCount: 0, profileId: 'monarch' });

    const other = await fresh();
    const actualDry = await importCsv(other, ACTUAL, { profile: 'actual', dryRun: 'true' });
    expect(actualDry.json).toMatchObject({ profileId: 'actual', total: 3, imported: 3, errorCount: 0, importLines: [2, 4, 5], skipped: 1, skippedLines: [3] });
    const actual = await importCsv(other, ACTUAL, { profile: 'actual', credits: 'refunds' });
    expect(actual.json).toMatchObject({ status: 'succeeded', imported: 4, errorCount: 0, profileId: 'actual' });

    expect(await stored(b)).toEqual([
      { occurredOn: '2026-11-03', amount: 8765, categoryId: categoryId(b, 'Groceries'), merchant: 'Whole Foods', description: null, refund: false },
      { occurredOn: '2026-11-05', amount: 2340, categoryId: null, merchant: 'Uber', description: 'Airport ride', refund: false },
      { occurredOn: '2026-11-06', amount: 5600, categoryId: categoryId(b, 'Dining Out'), merchant: 'Olive Garden', description: 'Dinner, with Sam', refund: false },
    ]);
    expect(await stored(other)).toEqual([
      { occurredOn: '2026-11-03', amount: 1999, categoryId: categoryId(other, 'Groceries'), merchant: 'Safeway', description: 'Milk, eggs', refund: false },
      { occurredOn: '2026-11-04', amount: 150000, categoryId: null, merchant: 'Starting Balance', description: null, refund: true },
      { occurredOn: '2026-11-05', amount: 1425, categoryId: null, merchant: 'Lyft', description: null, refund: false },
      { occurredOn: '2026-11-06', amount: 905, categoryId: categoryId(other, 'Dining Out'), merchant: 'Chick-fil-A', description: null, refund: false },
    ]);
  });

  it('?profile=mint: the type column says debit or credit, M/D/YYYY dates; typeColumn as a query parameter and in a saved profile', async () => {
    const b = await fresh();
    const dry = await importCsv(b, MINT, { profile: 'mint', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ profileId: 'mint', total: 3, imported: 3, errorCount: 0, importLines: [2, 4, 5], skipped: 1, skippedLines: [3] });
    const done = await importCsv(b, MINT, { profile: 'mint' });
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 3, skipped: 1, errorCount: 0, profileId: 'mint' });
    expect(await stored(b)).toEqual([
      { occurredOn: '2026-01-05', amount: 15237, categoryId: categoryId(b, 'Groceries'), merchant: 'Costco', description: null, refund: false },
      { occurredOn: '2026-01-12', amount: 575, categoryId: null, merchant: 'Starbucks', description: 'Latte, large', refund: false },
      { occurredOn: '2026-12-24', amount: 104310, categoryId: categoryId(b, 'Dining Out'), merchant: 'Red Lobster', description: null, refund: false },
    ]);

    // The same reading by query parameters (no preset: Mint's categories must then be the budget's, so no category column).
    const params = { dateColumn: 'Date', merchantColumn: 'Description', descriptionColumn: 'Notes', categoryColumn: 'Account Name', typeColumn: 'Transaction Type', dateFormat: 'M/D/YYYY', decimalSeparator: '.' };
    const other = await fresh();
    const byQuery = await importCsv(other, MINT.replaceAll('"Visa"', '""').replaceAll('"Checking"', '""'), { ...params, credits: 'refunds', dryRun: 'true' });
    expect(byQuery.status, byQuery.text).toBe(200);
    expect(byQuery.json).toMatchObject({ total: 4, imported: 4, errorCount: 0 });
    expect(byQuery.json.profileId).toBeUndefined();
    expectProblem(await importCsv(other, MINT, { ...params, debitColumn: 'Amount', creditColumn: 'Amount', dryRun: 'true' }), 400, ['query.typeColumn']);
    expectProblem(await importCsv(other, MINT, { ...params, typeColumn: 'Kind', dryRun: 'true' }), 400, ['query.typeColumn']);

    const saved = await h.call('POST', `/v1/budgets/${other.id}/import-profiles`, { token: team.owner.token, body: { name: 'Mint by hand', mapping: { ...params, categoryColumn: 'Category' } } });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.json.mapping.typeColumn).toBe('Transaction Type');
    const bad = await h.call('POST', `/v1/budgets/${other.id}/import-profiles`, {
      token: team.owner.token,
      body: { name: 'Wrong', mapping: { typeColumn: 'Transaction Type', amountSign: 'negativeIsSpending' } },
    });
    expectProblem(bad, 400, ['mapping.amountSign']);
    // The saved profile (the same columns) wins over the preset; its categories must exist (row errors).
    const auto = await importCsv(other, MINT, { profile: 'auto', dryRun: 'true' });
    expect(auto.json).toMatchObject({ profileId: saved.json.id, total: 3, imported: 2, errorCount: 1, skipped: 1 });
  });

  it("?profile=firefly: the type column decides (transfers and opening balances never imported), unrounded amounts, currency_code and the foreign amount", async () => {
    const b = await fresh();
    const gbp = "currency_code is GBP, not the budget's currency USD, and the row has no foreign amount: an amount in USD is needed (foreign_amount with foreign_currency_code USD)";
    const errors = [
      { line: 9, message: gbp },
      { line: 10, message: 'amount has at most 2 decimals in USD' },
    ];
    const dry = await importCsv(b, FIREFLY, { profile: 'firefly', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ profileId: 'firefly', total: 6, imported: 4, errorCount: 2, errors, importLines: [2, 6, 7, 8], skipped: 3, skippedLines: [3, 4, 5] });
    // `auto` picks the preset with its reading; credits=refunds makes the deposit a refund, never the transfer or the opening balance.
    expect((await importCsv(b, FIREFLY, { profile: 'auto', dryRun: 'true' })).json).toMatchObject({ profileId: 'firefly', importLines: [2, 6, 7, 8], skippedLines: [3, 4, 5] });
    const refunds = await importCsv(b, FIREFLY, { profile: 'firefly', dryRun: 'true', credits: 'refunds' });
    expect(refunds.json).toMatchObject({ total: 7, imported: 5, errorCount: 2, importLines: [2, 3, 6, 7, 8], skipped: 2, skippedLines: [4, 5] });

    const done = await importCsv(b, FIREFLY, { profile: 'firefly' });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 4, skipped: 3, errorCount: 2, errors, profileId: 'firefly' });
    const expenses = (await h.listExpenses(b, team.owner.token)).reverse();
    expect(expenses.map(({ occurredOn, amount, merchant, foreign, refund }) => ({ occurredOn, amount, merchant, foreign, refund: refund ?? false }))).toEqual([
      { occurredOn: '2026-03-02', amount: 1250, merchant: 'Corner Market, Main St', foreign: undefined, refund: false },
      { occurredOn: '2026-03-05', amount: 875, merchant: 'Noodle Bar', foreign: undefined, refund: false },
      { occurredOn: '2026-03-06', amount: 2180, merchant: 'Bäckerei', foreign: { amount: 2000, currency: 'EUR' }, refund: false },
      { occurredOn: '2026-03-07', amount: 3000, merchant: 'Hotel', foreign: { amount: 2750, currency: 'EUR' }, refund: false },
    ]);
    // The same file again adds nothing.
    expect((await importCsv(b, FIREFLY, { profile: 'firefly' })).json).toMatchObject({ imported: 0, duplicates: 4 });
  });

  it('?profile=firefly&credits=income: a Deposit row is an income entry from its source (revenue) account, not the asset account it went into; the same file again adds nothing', async () => {
    const b = await h.createBudget(team.owner, { currency: 'USD' });
    // The header on line 1, the withdrawal on 2, the deposit on 3.
    const file = [FIREFLY_HEADER, FIREFLY_ROW('Withdrawal', 'USD', '-40.00', '', '', '2026-11-04', 'Corner Market', 'Weekly shop'), FIREFLY_DEPOSIT('2500.00', '2026-11-05', 'ACME Corp', 'Salary November'), ''].join('\n');
    await expectCreditsAsIncome(h, team.owner, b, (query) => importCsv(b, file, { profile: 'firefly', ...query }), { line: 3, source: 'ACME Corp', description: 'Salary November' });
    // The withdrawal's merchant is still its destination (expense) account.
    expect((await h.listExpenses(b, team.owner.token))[0]).toMatchObject({ merchant: 'Corner Market' });
  });

  it('?profile=auto picks each preset by its header; a saved profile that fits wins', async () => {
    const b = await fresh();
    for (const [file, id] of [
      [YNAB, 'ynab'],
      [MONARCH, 'monarch'],
      [MINT, 'mint'],
      [ACTUAL, 'actual'],
    ] as const) {
      const dry = await importCsv(b, file, { profile: 'auto', dryRun: 'true' });
      expect(dry.status, dry.text).toBe(200);
      expect(dry.json).toMatchObject({ profileId: id, imported: 3, errorCount: 0, skipped: 1 });
    }
    const done = await importCsv(b, ACTUAL, { profile: 'auto' });
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 3, profileId: 'actual' });
    const got = await h.call('GET', done.headers.get('location')!, { token: team.owner.token });
    expect(got.json.profileId).toBe('actual');

    // The user's own mapping of the same columns (credits as refunds) is preferred to the preset.
    const mine = await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, {
      token: team.owner.token,
      body: { name: 'Actual Budget', mapping: { dateColumn: 'Date', merchantColumn: 'Payee', amountColumn: 'Amount', amountSign: 'negativeIsSpending' }, credits: 'refunds' },
    });
    expect(mine.status, mine.text).toBe(201);
    const again = await importCsv(b, ACTUAL, { profile: 'auto', dryRun: 'true' });
    // Read as the saved profile reads it: the credit is a row (refunds); `Category` by its own
    // name, where a category the budget lacks is the row's error (lines 3 and 4: Income,
    // Transport: Rideshare), as for any mapped file; no description (Notes is not mapped), so
    // Safeway's row is a new one and only Chick-fil-A's (no notes) a duplicate.
    expect(again.json).toMatchObject({ profileId: mine.json.id, total: 4, imported: 1, importLines: [2], duplicates: 1, duplicateLines: [5], errorCount: 2 });
    expect(again.json.errors.map((e: { line: number }) => e.line)).toEqual([3, 4]);
    // A file no preset's header fits is still a 400 naming the profile.
    const bank = ['Booking Date,Amount,Payee,Notes,Category,Account', '2026-11-03,-5.00,Corner Shop,,,Checking', ''].join('\n');
    expectProblem(await importCsv(b, bank, { profile: 'auto', dryRun: 'true' }), 400, ['query.profile']);
  });

  it("a UK YNAB file (DD/MM/YYYY, the budget's date format in YNAB) under the preset's MM/DD/YYYY: refused naming the profile, never stored a month off", async () => {
    const b = await fresh();
    const uk = [
      '"Account","Flag","Date","Payee","Category Group/Category","Category Group","Category","Memo","Outflow","Inflow","Cleared"',
      '"Current","","05/03/2026","Tesco","Everyday Expenses: Groceries","Everyday Expenses","Groceries","","£12.50","£0.00","Cleared"',
      '"Current","","13/03/2026","Boots","Everyday Expenses: Groceries","Everyday Expenses","Groceries","","£4.20","£0.00","Cleared"',
      '',
    ].join('\r\n');
    for (const profile of ['ynab', 'auto']) {
      const res = await importCsv(b, uk, { profile });
      expectProblem(res, 400, ['query.profile']);
      expect(res.json.errors[0].message).toContain('line 3 ("13/03/2026") is a date only with its day and month the other way round');
      expect(res.json.errors[0].message).toContain('give dateFormat=DD/MM/YYYY');
    }
    expect(await stored(b)).toEqual([]);
    // Read as the file is written: both rows, on their days.
    const read = await importCsv(b, uk, { profile: 'ynab', dateFormat: 'DD/MM/YYYY' });
    expect(read.json).toMatchObject({ status: 'succeeded', imported: 2, errorCount: 0 });
    expect((await stored(b)).map((e) => [e.occurredOn, e.amount, e.merchant])).toEqual([
      ['2026-03-05', 1250, 'Tesco'],
      ['2026-03-13', 420, 'Boots'],
    ]);
  });

  it('a query parameter overrides a preset field (a European YNAB file); a viewer is refused, an unknown preset is a 400', async () => {
    const b = await fresh();
    const eu = [
      '"Account","Flag","Date","Payee","Category Group/Category","Category Group","Category","Memo","Outflow","Inflow","Cleared"',
      '"Giro","","03/11/2026","REWE","Alltag: Groceries","Alltag","Groceries","","1.234,56","0,00","Cleared"',
      '',
    ].join('\n');
    const dry = await importCsv(b, eu, { profile: 'ynab', dateFormat: 'DD/MM/YYYY', decimalSeparator: ',', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ profileId: 'ynab', imported: 1, errorCount: 0 });
    // Without the overrides the preset's US format refuses the row (the row's error, nothing guessed).
    const us = await importCsv(b, eu, { profile: 'ynab', dryRun: 'true' });
    expect(us.json).toMatchObject({ imported: 0, errorCount: 1 });
    expectProblem(await importCsv(team.budget, YNAB, { profile: 'ynab', dryRun: 'true' }, team.viewer), 403);
    expectProblem(await importCsv(b, YNAB, { profile: 'mint-legacy', dryRun: 'true' }), 400, ['query.profile']);
  });

  it("YNAB's currency symbols as downloaded (`$1,234.56`, `12,34 €`): left out by the preset, refused with currencySymbol=refuse, kept by a saved profile", async () => {
    const b = await fresh();
    const header = '"Account","Flag","Date","Payee","Category Group/Category","Category Group","Category","Memo","Outflow","Inflow","Cleared"';
    const us = [
      header,
      '"Checking","","11/03/2026","Trader Joe\'s","Everyday Expenses: Groceries","Everyday Expenses","Groceries","","$1,234.56","$0.00","Cleared"',
      '"Checking","","11/04/2026","Acme Corp","Inflow: Ready to Assign","Inflow","Ready to Assign","Salary","$0.00","$2,500.00","Cleared"',
      '"Checking","","11/05/2026","Shell","Monthly Bills: Car Fuel","Monthly Bills","Car Fuel","","$45.10","$0.00","Uncleared"',
      '',
    ].join('\r\n');
    const dry = await importCsv(b, us, { profile: 'ynab', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ profileId: 'ynab', total: 2, imported: 2, errorCount: 0, importLines: [2, 4], skipped: 1, skippedLines: [3] });
    const refused = await importCsv(b, us, { profile: 'ynab', currencySymbol: 'refuse', dryRun: 'true' });
    expect(refused.json).toMatchObject({ imported: 0, errorCount: 3 });
    expect(await h.listExpenses(b, team.owner.token)).toEqual([]);

    const done = await importCsv(b, us, { profile: 'ynab' });
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 2, skipped: 1, errorCount: 0 });
    expect(await stored(b)).toEqual([
      { occurredOn: '2026-11-03', amount: 123456, categoryId: categoryId(b, 'Groceries'), merchant: "Trader Joe's", description: null, refund: false },
      { occurredOn: '2026-11-05', amount: 4510, categoryId: null, merchant: 'Shell', description: null, refund: false },
    ]);

    // A European YNAB file, the symbol after the number, through a saved profile that keeps the switch.
    const eu = [header, '"Giro","","03/11/2026","REWE","Alltag: Groceries","Alltag","Groceries","","1.234,56 €","0,00 €","Cleared"', ''].join('\n');
    const mapping = { dateColumn: 'Date', merchantColumn: 'Payee', debitColumn: 'Outflow', creditColumn: 'Inflow', dateFormat: 'DD/MM/YYYY', decimalSeparator: ',', currencySymbol: 'ignore' };
    const saved = await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, { token: team.owner.token, body: { name: 'YNAB Europe', mapping } });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.json.mapping.currencySymbol).toBe('ignore');
    const viaProfile = await importCsv(b, eu, { profile: saved.json.id, dryRun: 'true' });
    expect(viaProfile.json).toMatchObject({ imported: 1, errorCount: 0 });
    expectProblem(await importCsv(b, eu, { profile: saved.json.id, currencySymbol: 'strip', dryRun: 'true' }), 400, ['query.currencySymbol']);
  });
});
