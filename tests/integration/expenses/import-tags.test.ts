import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Tags read from a CSV file's tags column (`tagsColumn`, `tagsSeparator`: domain/csv/tags-cell.ts)
 * on DynamoDB Local through the HTTP API: a Monarch-style file by its preset (a row's tags split,
 * trimmed, duplicates by case dropped; an empty cell; 11 tags and a too-long tag each their row's
 * error), a Firefly III export by `?profile=auto`, the parameters in the query and in a saved
 * profile, and their 400s. The stored tags are checked through `GET .../expenses?tag=`; the
 * expected tags, amounts and lines are worked out by hand from the files.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ currency: 'USD', categories: ['Groceries', 'Dining Out'] });
});
afterAll(() => h.destroy());

const fresh = () => h.createBudget(team.owner, { currency: 'USD', categories: ['Groceries', 'Dining Out'] });
const importCsv = (b: Budget, csv: string, query: Record<string, string>) => h.importCsv(b, team.owner, csv, query);
/** The expenses having a tag (`?tag=`), oldest first: merchant, amount in cents, tags as stored. */
const tagged = async (b: Budget, tag: string) => {
  const res = await h.call('GET', `/v1/budgets/${b.id}/expenses?tag=${encodeURIComponent(tag)}&limit=100`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { merchant: string; amount: number; tags?: string[] }[]).map(({ merchant, amount, tags }) => ({ merchant, amount, tags })).reverse();
};

const ELEVEN = Array.from({ length: 11 }, (_, i) => `t${i + 1}`).join(',');
const LONG = 'x'.repeat(33);

/** Monarch Money's export with tags joined by commas. */
const MONARCH = [
  'Date,Merchant,Category,Account,Original Statement,Notes,Amount,Tags',
  '2026-11-03,Whole Foods,Groceries,Chase Checking,WHOLE FOODS,,-87.65,"Vacation, Reimbursable"',
  '2026-11-04,Employer,Paychecks,Chase Checking,PAYROLL,,3000.00,salary',
  '2026-11-05,Uber,Auto & Transport,Chase Checking,UBER *TRIP,Airport ride,-23.40,"vacation, Work ,work,"',
  '2026-11-06,Olive Garden,Dining Out,Chase Checking,OLIVE GARDEN,,-56.00,',
  `2026-11-07,Target,Shopping,Chase Checking,TARGET,,-10.00,"${ELEVEN}"`,
  `2026-11-08,Shell,Gas,Chase Checking,SHELL,,-30.00,"ok, ${LONG}"`,
  '',
].join('\n');

/** Firefly III's transactions export (the newest exporter's header, ExportDataGenerator.php; amounts rounded, Atom dates). */
const FIREFLY = [
  'user_id,group_id,journal_id,created_at,updated_at,group_title,type,currency_code,amount,foreign_currency_code,foreign_amount,native_currency_code,native_amount,native_foreign_amount,' +
    'description,date,source_name,source_iban,source_type,destination_name,destination_iban,destination_type,reconciled,category,budget,bill,tags,notes',
  '1,10,11,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Withdrawal,USD,-12.50,,,USD,-12.50,,Weekly shop,2026-03-05T00:00:00+01:00,Checking,,Asset account,"Corner Market, Main St",,Expense account,false,Groceries,,,"groceries,Family",',
  '1,12,13,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Deposit,USD,2500.00,,,USD,2500.00,,Salary,2026-03-01T00:00:00+01:00,Employer,,Revenue account,Checking,,Asset account,false,,,,family,',
  '1,14,15,2026-03-06T10:00:00+01:00,2026-03-06T10:00:00+01:00,,Transfer,USD,100.00,,,USD,100.00,,To savings,2026-03-02T00:00:00+01:00,Checking,,Asset account,Savings,,Asset account,false,,,,,',
  '1,16,17,2026-03-07T10:00:00+01:00,2026-03-07T10:00:00+01:00,,Withdrawal,USD,-8.75,,,USD,-8.75,,Lunch,2026-03-06T23:30:00-05:00,Checking,,Asset account,Noodle Bar,,Expense account,false,Pizza place,,,,',
  '',
].join('\n');

describe('tags from a CSV tags column', { timeout: 120_000 }, () => {
  it('?profile=monarch: the Tags column split at commas, duplicates by case dropped; bad cells are their rows\' errors', async () => {
    const b = await fresh();
    const dry = await importCsv(b, MONARCH, { profile: 'monarch', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    const errors = [
      { line: 6, message: 'tags (column "Tags") holds more than 10 tags; an expense has at most 10' },
      { line: 7, message: `tags (column "Tags"): "${LONG}" is longer than 32 characters, the most a tag holds` },
    ];
    expect(dry.json).toMatchObject({ profileId: 'monarch', total: 5, imported: 3, errorCount: 2, errors, importLines: [2, 4, 5], skippedLines: [3] });

    const done = await importCsv(b, MONARCH, { profile: 'monarch' });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 3, skipped: 1, errorCount: 2, errors });
    // `?tag=` matches ignoring case: both spellings of vacation are one tag.
    expect(await tagged(b, 'VACATION')).toEqual([
      { merchant: 'Whole Foods', amount: 8765, tags: ['Vacation', 'Reimbursable'] },
      { merchant: 'Uber', amount: 2340, tags: ['vacation', 'Work'] },
    ]);
    expect(await tagged(b, 'work')).toEqual([{ merchant: 'Uber', amount: 2340, tags: ['vacation', 'Work'] }]);
    // The empty cell: no tags field; the skipped credit's `salary` is nowhere.
    const all = await h.listExpenses(b, team.owner.token);
    expect(all.find((e) => e.merchant === 'Olive Garden')).not.toHaveProperty('tags');
    expect(await tagged(b, 'salary')).toEqual([]);
    // Tags are not part of a row's identity: the same file again adds nothing.
    expect((await importCsv(b, MONARCH, { profile: 'monarch' })).json).toMatchObject({ imported: 0, duplicates: 3 });
  });

  it("?profile=auto picks firefly: withdrawals imported on their written day, deposits and transfers skipped, its tags", async () => {
    const b = await fresh();
    const done = await importCsv(b, FIREFLY, { profile: 'auto' });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', profileId: 'firefly', imported: 2, skipped: 2, errorCount: 0 });
    expect(await tagged(b, 'family')).toEqual([{ merchant: 'Corner Market, Main St', amount: 1250, tags: ['groceries', 'Family'] }]);
    const all = (await h.listExpenses(b, team.owner.token)).map(({ occurredOn, amount, merchant, description, categoryId, tags }) => ({ occurredOn, amount, merchant, description, categoryId, tags })).reverse();
    const groceries = b.categories.find((c) => c.name === 'Groceries')!.id;
    expect(all).toEqual([
      { occurredOn: '2026-03-05', amount: 1250, merchant: 'Corner Market, Main St', description: 'Weekly shop', categoryId: groceries, tags: ['groceries', 'Family'] },
      // A category the budget lacks: uncategorized, as with every preset.
      { occurredOn: '2026-03-06', amount: 875, merchant: 'Noodle Bar', description: 'Lunch', categoryId: null, tags: undefined },
    ]);
  });

  it('tagsColumn and tagsSeparator as query parameters and in a saved profile; their 400s', async () => {
    const bank = ['Date,Amount,Payee,Labels', '2026-11-03,-12.50,Shop,"trip  Work"', '2026-11-04,-3.00,Cafe,trip|food', ''].join('\n');
    // A space as itself (`+` in the query string) and as `space`: `trip  Work` is two tags, `trip|food` one.
    for (const tagsSeparator of [' ', 'space']) {
      const spaced = await fresh();
      const done = await importCsv(spaced, bank, { merchantColumn: 'Payee', tagsColumn: 'labels', tagsSeparator, amountSign: 'negativeIsSpending' });
      expect(done.json, tagsSeparator).toMatchObject({ status: 'succeeded', imported: 2, errorCount: 0 });
      expect(await tagged(spaced, 'work'), tagsSeparator).toEqual([{ merchant: 'Shop', amount: 1250, tags: ['trip', 'Work'] }]);
      expect(await tagged(spaced, 'trip|food'), tagsSeparator).toEqual([{ merchant: 'Cafe', amount: 300, tags: ['trip|food'] }]);
    }
    const b = await fresh();
    expectProblem(await importCsv(b, bank, { tagsColumn: 'Labels', tagsSeparator: '/' }), 400, ['query.tagsSeparator']);
    expectProblem(await importCsv(b, bank, { tagsColumn: 'Tags' }), 400, ['query.tagsColumn']);

    const created = await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, {
      token: team.owner.token,
      body: { name: 'My bank', mapping: { merchantColumn: 'Payee', amountSign: 'negativeIsSpending', tagsColumn: 'Labels', tagsSeparator: '|' } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.mapping).toEqual({ merchantColumn: 'Payee', amountSign: 'negativeIsSpending', tagsColumn: 'Labels', tagsSeparator: '|' });
    expectProblem(
      await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, { token: team.owner.token, body: { name: 'Bad', mapping: { tagsColumn: 'Labels', tagsSeparator: 'tab' } } }),
      400,
      ['mapping.tagsSeparator'],
    );
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}/import-profiles/${created.json.id}`, {
      token: team.owner.token,
      body: { mapping: { merchantColumn: 'Payee', amountSign: 'negativeIsSpending', tagsColumn: 'Labels', tagsSeparator: 'space' } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.mapping.tagsSeparator).toBe('space');
    // The saved space separator, overridden by `|` in the query for this file.
    const done = await importCsv(b, bank, { profile: created.json.id, tagsSeparator: '|' });
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 2, errorCount: 0, profileId: created.json.id });
    expect(await tagged(b, 'trip')).toEqual([{ merchant: 'Cafe', amount: 300, tags: ['trip', 'food'] }]);
    expect(await tagged(b, 'trip work')).toEqual([{ merchant: 'Shop', amount: 1250, tags: ['trip Work'] }]);
  });

  it('GET .../import-presets lists the tags fields of each preset', async () => {
    const listed = await h.call('GET', `/v1/budgets/${team.budget.id}/import-presets`, { token: team.viewer.token });
    expect(listed.status, listed.text).toBe(200);
    const tags = Object.fromEntries(listed.json.items.map((p: { id: string; mapping: { tagsColumn?: string; tagsSeparator?: string } }) => [p.id, [p.mapping.tagsColumn, p.mapping.tagsSeparator]]));
    expect(tags).toEqual({ ynab: [undefined, undefined], monarch: ['Tags', ','], mint: ['Labels', ','], actual: [undefined, undefined], firefly: ['tags', ','] });
    expect(listed.json.items[4].mapping.dateFormat).toBe('YYYY-MM-DDThh:mm:ss');
  });
});
