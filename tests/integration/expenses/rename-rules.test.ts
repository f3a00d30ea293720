import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { theEvent } from '../../support/events';
import { call } from '../../support/http';
import { holdingFirstWrite } from '../../support/holding-commands';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Payee renaming rules (DynamoDB Local): a rule's `renameTo` replaces the merchant of a NEW
 * expense (POST and offline push creates that ask for a categorization, i.e. send no categoryId;
 * every row of an import) before categorization, which then matches the
 * renamed merchant; expense.recorded names the rule (`renamedBy`). The import renames at
 * acceptance (the dry run lists it) and keeps the file's fingerprint (the same file twice adds
 * nothing). POST .../merchants/rename with `remember: true` adds the rules (owner only, within
 * the cap), so a later import is renamed. Expectations are written by hand from the rules here.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Shopping', 'Groceries'] });
});
afterAll(() => h.destroy());

const token = () => team.owner.token;
const expensesPath = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const rulesPath = (b: Budget) => `/v1/budgets/${b.id}/rules`;
const postExpense = (b: Budget, body: Record<string, unknown>) => h.call('POST', expensesPath(b), { token: token(), body });
const addRule = async (b: Budget, body: Record<string, unknown>) => {
  const res = await h.call('POST', rulesPath(b), { token: token(), body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; renameTo?: string; categoryId?: string };
};
const importCsv = (b: Budget, csv: string, query = '') =>
  h.call('POST', `${expensesPath(b)}/import${query}`, { token: token(), rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
const rename = (b: Budget, body: Record<string, unknown>, who = team.owner) =>
  h.call('POST', `/v1/budgets/${b.id}/merchants/rename`, { token: who.token, body, headers: { prefer: 'wait=25' } });

async function fresh() {
  const b = await h.createBudget(team.owner, { categories: ['Shopping', 'Groceries'] });
  await h.addMember(b, team.owner, team.editor, 'editor');
  return { b, shopping: b.categories[0]!.id, groceries: b.categories[1]!.id };
}

describe('rename rules: the API of a rule', { timeout: 120_000 }, () => {
  it('renameTo makes categoryId optional; neither is a 400 naming categoryId; renameTo is validated as a merchant', async () => {
    const { b, shopping } = await fresh();
    const renameOnly = await addRule(b, { merchant: { contains: 'amzn mktp' }, renameTo: 'Amazon' });
    expect(renameOnly).toMatchObject({ merchant: { contains: 'amzn mktp' }, renameTo: 'Amazon' });
    expect('categoryId' in renameOnly).toBe(false);
    const both = await addRule(b, { merchant: { equals: 'amazon.com' }, renameTo: 'Amazon', categoryId: shopping });
    expect(both).toMatchObject({ renameTo: 'Amazon', categoryId: shopping });

    expectProblem(await h.call('POST', rulesPath(b), { token: token(), body: { merchant: { equals: 'x' } } }), 400, ['categoryId']);
    expectProblem(await h.call('POST', rulesPath(b), { token: token(), body: { merchant: { equals: 'x' }, renameTo: '' } }), 400, ['renameTo']);
    expectProblem(await h.call('POST', rulesPath(b), { token: token(), body: { merchant: { equals: 'x' }, renameTo: 'y'.repeat(201) } }), 400, ['renameTo']);
    expectProblem(await h.call('POST', rulesPath(b), { token: token(), body: { merchant: { equals: 'x' }, renameTo: 42 } }), 400, ['renameTo']);

    // PATCH: set, clear (null), but never both cleared.
    const url = `${rulesPath(b)}/${both.id}`;
    const cleared = await h.call('PATCH', url, { token: token(), body: { categoryId: null } });
    expect(cleared.status, cleared.text).toBe(200);
    expect('categoryId' in cleared.json).toBe(false);
    expectProblem(await h.call('PATCH', url, { token: token(), body: { renameTo: null } }), 400, ['categoryId']);
    const swapped = await h.call('PATCH', url, { token: token(), body: { renameTo: null, categoryId: shopping } });
    expect(swapped.status, swapped.text).toBe(200);
    expect(swapped.json.categoryId).toBe(shopping);
    expect('renameTo' in swapped.json).toBe(false);
    const got = await h.call('GET', `${rulesPath(b)}/${renameOnly.id}`, { token: token() });
    expect(got.json).toMatchObject({ renameTo: 'Amazon' });
    // Editors still may not manage rules.
    expectProblem(await h.call('POST', rulesPath(b), { token: team.editor.token, body: { merchant: { equals: 'x' }, renameTo: 'y' } }), 403);
  });
});

describe('rename rules on new expenses', { timeout: 180_000 }, () => {
  it('POST: renamed first, then categorized by the renamed merchant, on both create paths; the event carries renamedBy', async () => {
    const { b, shopping, groceries } = await fresh();
    const renaming = await addRule(b, { merchant: { contains: 'amzn mktp' }, renameTo: 'Amazon' });
    const filing = await addRule(b, { merchant: { equals: 'Amazon' }, categoryId: shopping, tags: ['online'] });

    const renamedIds: string[] = [];
    for (const occurredOn of ['2026-11-20', undefined]) {
      const res = await postExpense(b, { amount: 1299, merchant: 'AMZN MKTP US*2K4', ...(occurredOn ? { occurredOn } : {}) });
      expect(res.status, res.text).toBe(201);
      renamedIds.push(res.json.id);
      expect(res.json).toMatchObject({ merchant: 'Amazon', categoryId: shopping, tags: ['online'] });
      const data = (await theEvent(h.t, 'expense.recorded', { expenseId: res.json.id })).envelope.data;
      expect(data).toMatchObject({ merchant: 'Amazon', renamedBy: { ruleId: renaming.id }, categorizedBy: { ruleId: filing.id } });
    }

    // A category sent (also null): the rules are not read (the one-request create), so the
    // merchant is kept as typed: no renamedBy, no categorizedBy.
    for (const categoryId of [groceries, null]) {
      const sent = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'amzn mktp x', categoryId });
      expect(sent.json).toMatchObject({ merchant: 'amzn mktp x', categoryId });
      const sentEvent = (await theEvent(h.t, 'expense.recorded', { expenseId: sent.json.id })).envelope.data;
      expect(sentEvent.renamedBy).toBeUndefined();
      expect(sentEvent.categorizedBy).toBeUndefined();
    }

    // Not matching: as sent, no renamedBy.
    const other = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'Bakery' });
    expect(other.json).toMatchObject({ merchant: 'Bakery', categoryId: null });
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: other.json.id })).envelope.data.renamedBy).toBeUndefined();

    // A PATCH is never renamed.
    const patched = await h.call('PATCH', `${expensesPath(b)}/${other.json.id}`, { token: token(), body: { merchant: 'AMZN MKTP 1' } });
    expect(patched.json.merchant).toBe('AMZN MKTP 1');

    // The activity log says which rule renamed it.
    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: token() });
    const entry = activity.json.items.find((e: { subject: { id: string } }) => e.subject.id === renamedIds[0]);
    expect(entry).toMatchObject({ action: 'expense.created', renamedBy: { ruleId: renaming.id } });
    expect(entry.changes.merchant).toEqual({ before: null, after: 'Amazon' });
  });

  it('an offline push create is renamed too', async () => {
    const { b } = await fresh();
    const renaming = await addRule(b, { merchant: { equals: 'PAYPAL *SPOTIFY' }, renameTo: 'Spotify' });
    const res = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: token(),
      body: { mutations: [{ op: 'create', id: '01JDZZ00000000000000008001', expense: { amount: 999, occurredOn: '2026-11-20', merchant: 'paypal *spotify' } }] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results[0]).toMatchObject({ status: 'applied', expense: { merchant: 'Spotify', categoryId: null } });
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: '01JDZZ00000000000000008001' })).envelope.data.renamedBy).toEqual({ ruleId: renaming.id });
  });

  it('CSV import: rows renamed at acceptance (dry run lists them), categorized by the renamed merchant; the same file twice adds nothing', async () => {
    const { b, shopping, groceries } = await fresh();
    const renaming = await addRule(b, { merchant: { contains: 'amzn' }, renameTo: 'Amazon' });
    const filing = await addRule(b, { merchant: { equals: 'amazon' }, categoryId: shopping });
    const csv =
      'date,amount,category,description,merchant\n' +
      '2026-11-01,12.99,,,AMZN MKTP US*2K4\n' +
      '2026-11-02,5.00,Groceries,,amzn fresh\n' +
      '2026-11-03,7.00,,,Bakery\n';
    const dry = await importCsv(b, csv, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ imported: 3, duplicates: 0 });
    expect(dry.json.renamed).toEqual([
      { line: 2, merchant: 'Amazon', ruleId: renaming.id },
      { line: 3, merchant: 'Amazon', ruleId: renaming.id },
    ]);
    expect(dry.json.categorized).toEqual([{ line: 2, categoryId: shopping, ruleId: filing.id }]);

    const first = await importCsv(b, csv);
    expect(first.json).toMatchObject({ status: 'succeeded', imported: 3, duplicates: 0 });
    const listed = await h.listExpenses(b, token());
    expect(listed.map((e) => [e.occurredOn, e.merchant, e.categoryId])).toEqual([
      ['2026-11-03', 'Bakery', null],
      ['2026-11-02', 'Amazon', groceries],
      ['2026-11-01', 'Amazon', shopping],
    ]);
    const recorded = (await theEvent(h.t, 'expense.recorded', { expenseId: listed[2].id })).envelope.data;
    expect(recorded).toMatchObject({ via: 'import', renamedBy: { ruleId: renaming.id }, categorizedBy: { ruleId: filing.id } });

    // Again, even with the rename rule gone: the rows' identity is the file's.
    await h.call('DELETE', `${rulesPath(b)}/${renaming.id}`, { token: token() });
    const again = await importCsv(b, csv);
    expect(again.json).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 3 });
    expect(await h.listExpenses(b, token())).toHaveLength(3);
  });
});

describe('merchant rename with remember', { timeout: 180_000 }, () => {
  it('renames the existing expenses and adds one rule per new spelling; a later import is renamed', async () => {
    const { b } = await fresh();
    const before = await postExpense(b, { amount: 100, occurredOn: '2026-11-01', merchant: 'AMZN MKTP US*2K4' });
    // A spelling already covered identically gets no second rule.
    const covered = await addRule(b, { merchant: { equals: 'amazon.com' }, renameTo: 'Amazon' });
    const res = await rename(b, { from: ['AMZN MKTP US*2K4', 'Amazon.COM', 'amzn mktp us*2k4'], to: 'Amazon', remember: true });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', renamed: 1 });
    expect(res.json.ruleIds).toHaveLength(1);
    const rules = (await h.call('GET', rulesPath(b), { token: token() })).json.items as { id: string; merchant: unknown; renameTo?: string }[];
    expect(rules.map((r) => [r.id, r.merchant, r.renameTo])).toEqual([
      [covered.id, { equals: 'amazon.com' }, 'Amazon'],
      [res.json.ruleIds[0], { equals: 'AMZN MKTP US*2K4' }, 'Amazon'],
    ]);
    expect((await h.call('GET', `${expensesPath(b)}/${before.json.id}`, { token: token() })).json.merchant).toBe('Amazon');
    // GET of the rename shows the rules too.
    const got = await h.call('GET', `/v1/budgets/${b.id}/merchant-renames/${res.json.id}`, { token: token() });
    expect(got.json.ruleIds).toEqual(res.json.ruleIds);

    const imported = await importCsv(b, 'date,amount,category,description,merchant\n2026-11-05,3.00,,,amzn mktp us*2k4\n');
    expect(imported.json).toMatchObject({ status: 'succeeded', imported: 1 });
    const row = (await h.listExpenses(b, token())).find((e) => e.occurredOn === '2026-11-05');
    expect(row.merchant).toBe('Amazon');
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: row.id })).envelope.data.renamedBy).toEqual({ ruleId: res.json.ruleIds[0] });

    // Without remember: no rules, no ruleIds.
    const plain = await rename(b, { from: ['Bakery X'], to: 'Bakery' });
    expect(plain.status, plain.text).toBe(200);
    expect('ruleIds' in plain.json).toBe(false);
    expect((await h.call('GET', rulesPath(b), { token: token() })).json.items).toHaveLength(2);
  });

  it('an editor may rename but not remember (403 naming remember, nothing started); remember must be a boolean', async () => {
    const { b } = await fresh();
    const refused = await rename(b, { from: ['AMZN'], to: 'Amazon', remember: true }, team.editor);
    expectProblem(refused, 403, ['remember']);
    expect((await h.call('GET', rulesPath(b), { token: token() })).json.items).toEqual([]);
    const ok = await rename(b, { from: ['AMZN'], to: 'Amazon' }, team.editor);
    expect(ok.status, ok.text).toBe(200);
    expectProblem(await rename(b, { from: ['AMZN'], to: 'Amazon', remember: 'yes' }), 400, ['remember']);
    // Archived: the editor's remember is still the 403 naming it (the rule comes before the archive, as
    // the role does), never the 409 saying unarchiving would let it; a plain rename is the archive's 409.
    expect((await h.call('POST', `/v1/budgets/${b.id}/archive`, { token: token() })).status).toBe(200);
    expectProblem(await rename(b, { from: ['AMZN'], to: 'Amazon', remember: true }, team.editor), 403, ['remember']);
    expectProblem(await rename(b, { from: ['AMZN'], to: 'Amazon' }, team.editor), 409);
  });

  /** A budget of an app whose rules cap is CAP, holding an AMZN expense and one rule ('shop 1'). */
  const CAP = 3;
  async function cappedBudget() {
    const app = h.expensesAppWith({ rules: { maxPerBudget: CAP } });
    const as = (method: string, url: string, body?: unknown) => call(app, method, url, { token: token(), ...(body === undefined ? {} : { body }) });
    const { b } = await fresh();
    const expense = await postExpense(b, { amount: 100, occurredOn: '2026-11-01', merchant: 'AMZN' });
    expect((await as('POST', rulesPath(b), { merchant: { equals: 'shop 1' }, renameTo: 'Shop' })).status).toBe(201);
    return { as, b, expense };
  }

  it('past the rule cap: 409 naming remember, before anything is started', async () => {
    const { as, b, expense } = await cappedBudget();
    expect((await as('POST', rulesPath(b), { merchant: { equals: 'shop 2' }, renameTo: 'Shop' })).status).toBe(201);
    const refused = await as('POST', `/v1/budgets/${b.id}/merchants/rename`, { from: ['AMZN', 'Amazon.com'], to: 'Amazon', remember: true });
    expectProblem(refused, 409, ['remember']);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: CAP, collection: 'rules' });
    expect(refused.json.detail).toContain(`past ${CAP} categorization rules`);
    expect((await h.call('GET', rulesPath(b), { token: token() })).json.items).toHaveLength(2);
    // Nothing started: the expense keeps its merchant.
    expect((await h.call('GET', `${expensesPath(b)}/${expense.json.id}`, { token: token() })).json.merchant).toBe('AMZN');
    // One spelling fits.
    const fits = await as('POST', `/v1/budgets/${b.id}/merchants/rename`, { from: ['AMZN'], to: 'Amazon', remember: true });
    expect(fits.status, fits.text).toBe(202);
    expect(fits.json.ruleIds).toHaveLength(1);
  });

  it('a rule created by someone else while the rules are being remembered fills the cap: 409, and the rules this rename made are taken back', async () => {
    const { as, b, expense } = await cappedBudget();
    // 1 rule + 2 spellings fit the count read first; the second spelling's create is held
    // until another rule has taken the last place.
    const refused = await holdingFirstWrite(
      h.t,
      'Amazon.com',
      async () => expect((await as('POST', rulesPath(b), { merchant: { equals: 'shop 2' }, renameTo: 'Shop' })).status).toBe(201),
      () => as('POST', `/v1/budgets/${b.id}/merchants/rename`, { from: ['AMZN', 'Amazon.com'], to: 'Amazon', remember: true }),
    );
    expectProblem(refused, 409, ['remember']);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', limit: CAP, collection: 'rules' });
    expect(refused.json.detail).toContain('Nothing was started');
    const rules = (await h.call('GET', rulesPath(b), { token: token() })).json.items as { merchant: { equals: string } }[];
    expect(rules.map((r) => r.merchant.equals).sort()).toEqual(['shop 1', 'shop 2']);
    expect((await h.call('GET', `${expensesPath(b)}/${expense.json.id}`, { token: token() })).json.merchant).toBe('AMZN');
    // The place the taken-back rule held is free again.
    expect((await as('POST', rulesPath(b), { merchant: { equals: 'shop 3' }, renameTo: 'Shop' })).status).toBe(201);
  });
});
