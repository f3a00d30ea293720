import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { theEvent } from '../../support/events';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * What categorization rules do to new expenses (DynamoDB Local): a POST /expenses, an offline
 * push create and a CSV row WITHOUT a category take the first matching rule's category and tags
 * (case and accents ignored, equals vs contains, position then creation order), and their
 * expense.recorded names the rule; an explicit `categoryId: null`, a PATCH and the expenses
 * recorded before are left alone. A create that names its category sends exactly what it sent
 * before rules existed; one without reads the rules once (one Query). A rule whose category
 * was removed from the budget is passed over. Importing the same file twice adds nothing, and
 * the dry run shows the category a rule gives.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries', 'Eating out'] });
});
afterAll(() => h.destroy());

const token = () => team.owner.token;
const expensesPath = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const postExpense = (b: Budget, body: Record<string, unknown>) => h.call('POST', expensesPath(b), { token: token(), body });
const addRule = async (b: Budget, body: Record<string, unknown>) => {
  const res = await h.call('POST', `/v1/budgets/${b.id}/rules`, { token: token(), body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
};
const importCsv = (b: Budget, csv: string, query = '') =>
  h.call('POST', `${expensesPath(b)}/import${query}`, { token: token(), rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });

/** A budget with Groceries and Eating out, and rules: "café" (contains) -> Eating out + coffee tag; "corner market" (equals) -> Groceries. */
async function budgetWithRules() {
  const b = await h.createBudget(team.owner, { categories: ['Groceries', 'Eating out'] });
  const groceries = b.categories[0]!.id;
  const eating = b.categories[1]!.id;
  const cafe = await addRule(b, { merchant: { contains: 'café' }, categoryId: eating, tags: ['coffee'] });
  const corner = await addRule(b, { merchant: { equals: 'Corner Market' }, categoryId: groceries });
  return { b, groceries, eating, cafe: cafe.id, corner: corner.id };
}

describe('categorization rules on new expenses', { timeout: 180_000 }, () => {
  it('POST without categoryId takes the first matching rule: case and accents folded, equals whole, contains anywhere', async () => {
    const { b, groceries, eating, cafe, corner } = await budgetWithRules();
    const cases: [string, string | null, string[] | undefined][] = [
      ['CAFE ZOË', eating, ['coffee']],
      ['Le petit cafe', eating, ['coffee']],
      ['corner   MARKET', groceries, undefined],
      ['Corner Market Express', null, undefined], // equals is the whole merchant
      ['Bakery', null, undefined],
    ];
    for (const [merchant, categoryId, tags] of cases) {
      const res = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant });
      expect(res.status, res.text).toBe(201);
      expect([merchant, res.json.categoryId, res.json.tags]).toEqual([merchant, categoryId, tags]);
      const got = await h.call('GET', `${expensesPath(b)}/${res.json.id}`, { token: token() });
      expect(got.json.categoryId).toBe(categoryId);
      const event = await theEvent(h.t, 'expense.recorded', { expenseId: res.json.id });
      expect(event.envelope.data.categoryId).toBe(categoryId);
      expect(event.envelope.data.categorizedBy).toEqual(categoryId === null ? undefined : { ruleId: categoryId === eating ? cafe : corner });
    }
    // Without occurredOn (the read-first path) too, and the request's tags come first.
    const today = await postExpense(b, { amount: 250, merchant: 'Café Zoë', tags: ['Work', 'COFFEE'] });
    expect(today.status, today.text).toBe(201);
    expect(today.json).toMatchObject({ categoryId: eating, tags: ['Work', 'COFFEE'] });
    // The activity log shows the category it got.
    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: token() });
    const entry = activity.json.items.find((e: { subject: { id: string } }) => e.subject.id === today.json.id);
    expect(entry.action).toBe('expense.created');
    expect(entry.changes.categoryId).toEqual({ before: null, after: eating });
    expect(entry.categorizedBy).toEqual({ ruleId: cafe });
    const bakery = activity.json.items.find((e: { changes?: { merchant?: { after: string } } }) => e.changes?.merchant?.after === 'Bakery');
    expect(bakery.changes.categoryId).toBeUndefined();
    expect('categorizedBy' in bakery).toBe(false);
  });

  it('the first match wins by position, then creation order', async () => {
    const { b, groceries, eating } = await budgetWithRules();
    // A later, broader rule at the default position loses to the earlier "café" rule...
    await addRule(b, { merchant: { contains: 'caf' }, categoryId: groceries });
    expect((await postExpense(b, { amount: 1, occurredOn: '2026-11-20', merchant: 'Café' })).json.categoryId).toBe(eating);
    // ...and wins once it is placed before it.
    const first = await addRule(b, { merchant: { equals: 'CAFÉ' }, categoryId: groceries, position: -1 });
    const res = await postExpense(b, { amount: 1, occurredOn: '2026-11-20', merchant: 'cafe' });
    expect(res.json.categoryId).toBe(groceries);
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: res.json.id })).envelope.data.categorizedBy).toEqual({ ruleId: first.id });
  });

  it('leaves alone an explicit categoryId (null or a category), splits, a PATCH and expenses recorded before', async () => {
    const b = await h.createBudget(team.owner, { categories: ['Groceries', 'Eating out'] });
    const [groceries, eating] = b.categories.map((c) => c.id) as [string, string];
    const before = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'Café' });
    await addRule(b, { merchant: { contains: 'cafe' }, categoryId: eating, tags: ['coffee'] });

    const nulled = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'Café', categoryId: null });
    expect(nulled.status, nulled.text).toBe(201);
    expect(nulled.json.categoryId).toBeNull();
    expect('tags' in nulled.json).toBe(false);
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: nulled.json.id })).envelope.data.categorizedBy).toBeUndefined();
    const named = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'Café', categoryId: groceries });
    expect([named.json.categoryId, named.json.tags]).toEqual([groceries, undefined]);
    const split = await postExpense(b, {
      amount: 300,
      occurredOn: '2026-11-20',
      merchant: 'Café',
      splits: [
        { categoryId: groceries, amount: 100 },
        { categoryId: null, amount: 200 },
      ],
    });
    expect([split.json.categoryId, split.json.tags]).toEqual([null, undefined]);
    // A PATCH is not a new expense: the merchant changes, the category stays.
    const patched = await h.call('PATCH', `${expensesPath(b)}/${nulled.json.id}`, { token: token(), body: { merchant: 'Café Zoë' } });
    expect(patched.json.categoryId).toBeNull();
    // Not retroactive: the expense recorded before the rule is unchanged.
    expect((await h.call('GET', `${expensesPath(b)}/${before.json.id}`, { token: token() })).json.categoryId).toBeNull();
  });

  it('a create naming its category sends what it did before rules (one transaction); one without reads the rules in one Query', async () => {
    const { b, groceries, eating } = await budgetWithRules();
    const sent = async (body: Record<string, unknown>) => {
      const { result, sent: commands } = await commandsSentDuring(h.t.doc, () => postExpense(b, body));
      expect(result.status, result.text).toBe(201);
      // Left out: the change counter's read when this process has not written the expense's
      // change shard yet (see checked-create.test.ts), which rules do not change.
      const counterRead = (c: { name: string; input: unknown }) => c.name !== 'TransactWriteItemsCommand' && JSON.stringify(c.input).includes('expenses#changes#');
      return { commands: commands.filter((c) => !counterRead(c)).map((c) => c.name), categoryId: result.json.categoryId };
    };
    expect(await sent({ amount: 1, occurredOn: '2026-11-21', merchant: 'Café', categoryId: groceries })).toEqual({ commands: ['TransactWriteItemsCommand'], categoryId: groceries });
    expect(await sent({ amount: 1, occurredOn: '2026-11-21' })).toEqual({ commands: ['TransactWriteItemsCommand'], categoryId: null });
    expect(await sent({ amount: 1, occurredOn: '2026-11-21', merchant: 'Café' })).toEqual({ commands: ['QueryCommand', 'TransactWriteItemsCommand'], categoryId: eating });
    expect(await sent({ amount: 1, occurredOn: '2026-11-21', merchant: 'Bakery' })).toEqual({ commands: ['QueryCommand', 'TransactWriteItemsCommand'], categoryId: null });
  });

  it('offline push creates take the rule (one Query for the whole batch); explicit null and updates do not', async () => {
    const { b, groceries, eating, cafe } = await budgetWithRules();
    const mutations = [
      { op: 'create', id: '01JDZZ00000000000000007001', expense: { amount: 100, occurredOn: '2026-11-20', merchant: 'café de flore' } },
      { op: 'create', id: '01JDZZ00000000000000007002', expense: { amount: 200, occurredOn: '2026-11-20', merchant: 'Corner Market', tags: ['weekly'] } },
      { op: 'create', id: '01JDZZ00000000000000007003', expense: { amount: 300, occurredOn: '2026-11-20', merchant: 'Café', categoryId: null } },
    ];
    const { result: res, sent } = await commandsSentDuring(h.t.doc, () =>
      h.call('POST', `/v1/budgets/${b.id}/changes`, { token: token(), body: { mutations } }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.results.map((r: { status: string; expense: { categoryId: string | null; tags?: string[] } }) => [r.status, r.expense.categoryId, r.expense.tags])).toEqual([
      ['applied', eating, ['coffee']],
      ['applied', groceries, ['weekly']],
      ['applied', null, undefined],
    ]);
    expect(sent.filter((c) => c.name === 'QueryCommand' && String((c.input.ExpressionAttributeValues as Record<string, unknown>)[':prefix']) === 'expenses#rule#')).toHaveLength(1);
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: '01JDZZ00000000000000007001' })).envelope.data.categorizedBy).toEqual({ ruleId: cafe });
    // A push update with the rule's merchant leaves the category alone.
    const update = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: token(),
      body: { mutations: [{ op: 'update', id: '01JDZZ00000000000000007003', baseVersion: 1, patch: { merchant: 'Café Zoë' } }] },
    });
    expect(update.json.results[0]).toMatchObject({ status: 'applied', expense: { categoryId: null, merchant: 'Café Zoë' } });
  });

  it('a rule and a foreign amount on one new expense: both kept (POST on both paths, CSV), the budget-currency check still holds', async () => {
    const { b, eating, cafe } = await budgetWithRules();
    const yen = { amount: 800, currency: 'JPY' };
    const fast = await postExpense(b, { amount: 540, occurredOn: '2026-11-20', merchant: 'Café Zoë', foreign: yen });
    expect(fast.status, fast.text).toBe(201);
    expect(fast.json).toMatchObject({ categoryId: eating, tags: ['coffee'], foreign: { amount: 800, currency: 'JPY' } });
    const readFirst = await postExpense(b, { amount: 540, merchant: 'Café Zoë', foreign: yen });
    expect(readFirst.status, readFirst.text).toBe(201);
    expect(readFirst.json).toMatchObject({ categoryId: eating, foreign: { amount: 800, currency: 'JPY' } });
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: fast.json.id })).envelope.data).toMatchObject({
      categoryId: eating,
      categorizedBy: { ruleId: cafe },
      foreign: { amount: 800, currency: 'JPY' },
    });
    // The budget's own currency (USD) is still refused when a rule fills the category in.
    const own = await postExpense(b, { amount: 540, occurredOn: '2026-11-20', merchant: 'Café Zoë', foreign: { amount: 540, currency: 'USD' } });
    expect(own.status, own.text).toBe(400);
    expect(own.json.errors.map((e: { path: string }) => e.path)).toEqual(['foreign.currency']);

    const csv = 'date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency\n2026-11-05,5.40,,,CAFÉ ZOË,,800,JPY\n';
    const imported = await importCsv(b, csv);
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({ imported: 1 });
    const row = (await h.listExpenses(b, token())).find((e: { occurredOn: string }) => e.occurredOn === '2026-11-05');
    expect(row).toMatchObject({ amount: 540, categoryId: eating, tags: ['coffee'], foreign: { amount: 800, currency: 'JPY' } });
  });

  it('CSV rows with an empty category take the rule; the dry run shows it; the same file twice adds nothing', async () => {
    const { b, groceries, eating, cafe, corner } = await budgetWithRules();
    const csv =
      'date,amount,category,description,merchant\n' +
      '2026-11-01,4.50,,Flat white,CAFÉ ZOË\n' +
      '2026-11-02,30.00,,,corner market\n' +
      '2026-11-03,5.00,Groceries,,Le Café\n' +
      '2026-11-04,7.00,,,Bakery\n';
    const { result: dry, sent } = await commandsSentDuring(h.t.doc, () => importCsv(b, csv, '?dryRun=true'));
    expect(dry.status, dry.text).toBe(200);
    // The rules are read once for the whole file, not per row.
    expect(sent.filter((c) => c.name === 'QueryCommand' && JSON.stringify(c.input).includes('"expenses#rule#"'))).toHaveLength(1);
    expect(dry.json).toMatchObject({ imported: 4, duplicates: 0, importLines: [2, 3, 4, 5] });
    expect(dry.json.categorized).toEqual([
      { line: 2, categoryId: eating, ruleId: cafe },
      { line: 3, categoryId: groceries, ruleId: corner },
    ]);
    expect(await h.listExpenses(b, token())).toEqual([]);

    const first = await importCsv(b, csv);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ status: 'succeeded', imported: 4, duplicates: 0, errorCount: 0 });
    const listed = await h.listExpenses(b, token());
    expect(listed.map((e) => [e.occurredOn, e.amount, e.categoryId, e.tags])).toEqual([
      ['2026-11-04', 700, null, undefined],
      ['2026-11-03', 500, groceries, undefined],
      ['2026-11-02', 3000, groceries, undefined],
      ['2026-11-01', 450, eating, ['coffee']],
    ]);
    const recorded = await theEvent(h.t, 'expense.recorded', { expenseId: listed[3].id });
    expect(recorded.envelope.data).toMatchObject({ via: 'import', categoryId: eating, categorizedBy: { ruleId: cafe } });
    expect(await h.spent(b, token(), '2026-11-15')).toBe(4650);

    // Again, even after the rules changed: the rows' identity is the file's, so nothing is added.
    await h.call('DELETE', `/v1/budgets/${b.id}/rules/${corner}`, { token: token() });
    const again = await importCsv(b, csv);
    expect(again.json).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 4 });
    const dryAgain = await importCsv(b, csv, '?dryRun=true');
    expect(dryAgain.json).toMatchObject({ imported: 0, duplicates: 4, categorized: [] });
    expect(await h.listExpenses(b, token())).toHaveLength(4);
  });

  it('a rule whose category was removed from the budget is passed over: the next matching rule, else uncategorized', async () => {
    const b = await h.createBudget(team.owner, { categories: ['Groceries', 'Eating out'] });
    const [groceries, eating] = b.categories as [{ id: string; name: string }, { id: string; name: string }];
    const specific = await addRule(b, { merchant: { equals: 'Café Zoë' }, categoryId: eating.id });
    const broad = await addRule(b, { merchant: { contains: 'zoe' }, categoryId: groceries.id });
    // Eating out removed from the budget (PATCH of its categories).
    const budget = (await h.call('GET', `/v1/budgets/${b.id}`, { token: token() })).json;
    const removed = await h.call('PATCH', `/v1/budgets/${b.id}`, { token: token(), headers: { 'if-match': `"${budget.version}"` }, body: { categories: [groceries] } });
    expect(removed.status, removed.text).toBe(200);
    // The rule stays (listed as it was), the create falls through to the next matching rule,
    // on the checked path (the day named) and the read-first one alike.
    expect((await h.call('GET', `/v1/budgets/${b.id}/rules/${specific.id}`, { token: token() })).json.categoryId).toBe(eating.id);
    for (const body of [{ amount: 100, occurredOn: '2026-11-20', merchant: 'Café Zoë' }, { amount: 100, merchant: 'Café Zoë' }]) {
      const res = await postExpense(b, body);
      expect(res.status, res.text).toBe(201);
      expect(res.json.categoryId).toBe(groceries.id);
      expect((await theEvent(h.t, 'expense.recorded', { expenseId: res.json.id })).envelope.data.categorizedBy).toEqual({ ruleId: broad.id });
    }
    // Without another match: uncategorized, not an error.
    await h.call('DELETE', `/v1/budgets/${b.id}/rules/${broad.id}`, { token: token() });
    const alone = await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'Café Zoë' });
    expect(alone.status, alone.text).toBe(201);
    expect(alone.json.categoryId).toBeNull();
    // The CSV import passes it over too.
    const imported = await importCsv(b, 'date,amount,category,description,merchant\n2026-11-05,1.00,,,Café Zoë\n', '?dryRun=true');
    expect(imported.json).toMatchObject({ imported: 1, categorized: [] });
    // Pointing the rule at a category the budget has makes it apply again.
    const fixed = await h.call('PATCH', `/v1/budgets/${b.id}/rules/${specific.id}`, { token: token(), body: { categoryId: groceries.id } });
    expect(fixed.status, fixed.text).toBe(200);
    expect((await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'cafe zoe' })).json.categoryId).toBe(groceries.id);
  });
});
