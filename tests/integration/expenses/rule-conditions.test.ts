import { describe, expect, it } from 'vitest';
import { tableItems, theEvent } from '../../support/events';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { ownerSuite, type Budget } from './harness';

/**
 * A rule's amount and description conditions over HTTP (DynamoDB Local): created, stored,
 * returned, PATCHed (null removes one); 400s naming the field; applied with the merchant (AND)
 * to a POST, to a CSV import's rows (amount and description) and to an offline push's creates
 * (amount); and POST .../rules/preview, which lists the range's
 * expenses a rule would match (newest first, at most 100 and `more`), writing nothing, for the
 * owner only. The test clock is 2026-11-24 (UTC budgets), so the preview's default range is
 * 2026-10-26..2026-11-24.
 */
const suite = ownerSuite(['Fuel', 'Snacks']);
const { token, rulesPath, expensesPath, fresh, addRule, postExpense } = suite;

const importCsv = (b: Budget, csv: string, query = '') =>
  suite.h.call('POST', `${expensesPath(b)}/import${query}`, { token: token(), rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
const preview = (b: Budget, body: unknown, who = token()) => suite.h.call('POST', `${rulesPath(b)}/preview`, { token: who, body });
const budgetItems = async (b: Budget) => (await tableItems(suite.h.t.doc, suite.h.t.tableName)).filter((i) => String(i.pk).includes(b.id));

describe('rule conditions: the resource', { timeout: 120_000 }, () => {
  it('creates a rule with amount and description conditions, returns and stores them, PATCH replaces them and null removes them', async () => {
    const b = await fresh();
    const fuel = b.categories[0]!.id;
    const created = await suite.h.call('POST', rulesPath(b), {
      token: token(),
      body: { merchant: { contains: 'shell' }, amount: { min: 2000, max: 9000 }, description: { contains: '  Diesel ' }, categoryId: fuel },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ merchant: { contains: 'shell' }, amount: { min: 2000, max: 9000 }, description: { contains: 'Diesel' }, categoryId: fuel, version: 1 });
    await suite.h.expectCreated(created, rulesPath(b), suite.team.owner);
    const stored = (await budgetItems(b)).find((i) => i.kind === 'categorization-rule')!;
    expect([stored.amount, stored.description]).toEqual([{ min: 2000, max: 9000 }, { contains: 'Diesel' }]);

    const url = `${rulesPath(b)}/${created.json.id}`;
    const onlyMax = await suite.h.call('PATCH', url, { token: token(), body: { amount: { max: 5000 } } });
    expect(onlyMax.status, onlyMax.text).toBe(200);
    expect(onlyMax.json.amount).toEqual({ max: 5000 });
    expect(onlyMax.json.description).toEqual({ contains: 'Diesel' });
    const cleared = await suite.h.call('PATCH', url, { token: token(), body: { amount: null, description: null }, headers: { 'if-match': '"2"' } });
    expect(cleared.status, cleared.text).toBe(200);
    expect(['amount' in cleared.json, 'description' in cleared.json, cleared.json.version]).toEqual([false, false, 3]);
    const listed = await suite.h.call('GET', rulesPath(b), { token: suite.team.owner.token });
    expect(listed.json.items).toHaveLength(1);
    expect('amount' in listed.json.items[0]).toBe(false);
    const item = (await budgetItems(b)).find((i) => i.kind === 'categorization-rule')!;
    expect(['amount' in item, 'description' in item]).toEqual([false, false]);
    // null on a rule without the condition is no error; a condition comes back.
    const again = await suite.h.call('PATCH', url, { token: token(), body: { description: { contains: 'adblue' }, amount: null } });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ description: { contains: 'adblue' }, version: 4 });
  });

  it('refuses bad conditions with a 400 naming the field, writing nothing', async () => {
    const b = await fresh();
    const fuel = b.categories[0]!.id;
    const base = { merchant: { contains: 'shell' }, categoryId: fuel };
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: {} }, 'amount'],
      [{ amount: { min: 5000, max: 1000 } }, 'amount.max'],
      [{ amount: { min: 0 } }, 'amount.min'],
      [{ amount: { min: 12.5 } }, 'amount.min'],
      [{ amount: { max: 'ten' } }, 'amount.max'],
      [{ amount: 100 }, 'amount'],
      [{ description: {} }, 'description.contains'],
      [{ description: { contains: '' } }, 'description.contains'],
      [{ description: { contains: '\u200b' } }, 'description.contains'],
    ];
    for (const [extra, field] of cases) expectProblem(await suite.h.call('POST', rulesPath(b), { token: token(), body: { ...base, ...extra } }), 400, [field]);
    expect((await budgetItems(b)).filter((i) => i.kind === 'categorization-rule')).toEqual([]);
    const rule = await addRule(b, base);
    expectProblem(await suite.h.call('PATCH', `${rulesPath(b)}/${rule.id}`, { token: token(), body: { amount: { min: 9, max: 8 } } }), 400, ['amount.max']);
    expectProblem(await suite.h.call('PATCH', `${rulesPath(b)}/${rule.id}`, { token: token(), body: { merchant: null } }), 400, ['merchant']);
  });
});

describe('rule conditions on new expenses', { timeout: 180_000 }, () => {
  it('a POST without a category takes the first rule whose merchant AND amount AND description hold', async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const big = await addRule(b, { merchant: { contains: 'shell' }, amount: { min: 2000 }, categoryId: fuel, tags: ['car'] });
    const coffee = await addRule(b, { merchant: { contains: 'shell' }, description: { contains: 'café' }, categoryId: snacks, tags: ['coffee'] });
    const cases: [number, string | undefined, string | null, string | undefined][] = [
      [4500, undefined, fuel, big.id],
      [2000, 'CAFE au lait', fuel, big.id], // 2000 is min: inclusive, and the earlier rule wins
      [350, 'Cafe au lait', snacks, coffee.id],
      [350, 'Sandwich', null, undefined],
      [350, undefined, null, undefined],
    ];
    for (const [amount, description, categoryId] of cases) {
      const made = await postExpense(b, { amount, occurredOn: '2026-11-20', merchant: 'SHELL 042', ...(description ? { description } : {}) });
      expect([amount, description, made.categoryId]).toEqual([amount, description, categoryId]);
    }
    // The same amount at another merchant: the merchant condition still holds the rule back.
    expect((await postExpense(b, { amount: 4500, occurredOn: '2026-11-20', merchant: 'BP' })).categoryId).toBeNull();
  });

  it('a rename rule with an amount condition renames only those amounts, and the category rule matches the renamed merchant', async () => {
    const b = await fresh();
    const snacks = b.categories[1]!.id;
    const rename = await addRule(b, { merchant: { equals: 'PAYPAL' }, amount: { max: 1099 }, renameTo: 'Spotify' });
    await addRule(b, { merchant: { equals: 'Spotify' }, categoryId: snacks });
    const small = await postExpense(b, { amount: 999, occurredOn: '2026-11-20', merchant: 'paypal' });
    expect([small.merchant, small.categoryId]).toEqual(['Spotify', snacks]);
    const large = await postExpense(b, { amount: 5000, occurredOn: '2026-11-20', merchant: 'paypal' });
    expect([large.merchant, large.categoryId]).toEqual(['paypal', null]);
    expect(rename.id).toEqual(expect.any(String));
  });

  it('CSV rows with an empty category are categorized by an amount condition (dry run and import)', async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const tank = await addRule(b, { merchant: { contains: 'shell' }, amount: { min: 3000 }, categoryId: fuel });
    const shop = await addRule(b, { merchant: { contains: 'shell' }, amount: { max: 2999 }, categoryId: snacks });
    const csv =
      'date,amount,category,description,merchant\n' +
      '2026-11-01,45.00,,,SHELL Hauptstraße\n' +
      '2026-11-02,29.99,,,Shell\n' +
      '2026-11-03,30.00,,,shell express\n' +
      '2026-11-04,80.00,,,Aral\n';
    const dry = await importCsv(b, csv, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json.categorized).toEqual([
      { line: 2, categoryId: fuel, ruleId: tank.id },
      { line: 3, categoryId: snacks, ruleId: shop.id },
      { line: 4, categoryId: fuel, ruleId: tank.id },
    ]);
    const done = await importCsv(b, csv);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 4 });
    const listed = await suite.h.listExpenses(b, token());
    expect(listed.map((e) => [e.occurredOn, e.amount, e.categoryId])).toEqual([
      ['2026-11-04', 8000, null],
      ['2026-11-03', 3000, fuel],
      ['2026-11-02', 2999, snacks],
      ['2026-11-01', 4500, fuel],
    ]);
  });
});

describe('rule conditions on imported and pushed expenses', { timeout: 180_000 }, () => {
  it('CSV rows with an empty category are categorized by a description condition: the row whose description holds it, not the other', async () => {
    const b = await fresh();
    const snacks = b.categories[1]!.id;
    const coffee = await addRule(b, { merchant: { contains: 'shell' }, description: { contains: 'coffee' }, categoryId: snacks });
    const csv =
      'date,amount,category,description,merchant\n' +
      '2026-11-05,3.20,,Large COFFEE to go,Shell Station\n' +
      '2026-11-06,3.20,,Sandwich,Shell Station\n';
    const dry = await importCsv(b, csv, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json.categorized).toEqual([{ line: 2, categoryId: snacks, ruleId: coffee.id }]);
    const done = await importCsv(b, csv);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 2 });
    const listed = await suite.h.listExpenses(b, token());
    expect(listed.map((e) => [e.occurredOn, e.description, e.categoryId])).toEqual([
      ['2026-11-06', 'Sandwich', null],
      ['2026-11-05', 'Large COFFEE to go', snacks],
    ]);
    const recorded = await theEvent(suite.h.t, 'expense.recorded', { expenseId: listed[1]!.id });
    expect(recorded.envelope.data).toMatchObject({ via: 'import', categorizedBy: { ruleId: coffee.id } });
  });

  it('an offline push: an amount condition categorizes the create at or above its min, not the one below', async () => {
    const b = await fresh();
    const fuel = b.categories[0]!.id;
    const tank = await addRule(b, { merchant: { contains: 'shell' }, amount: { min: 3000 }, categoryId: fuel });
    const [big, small] = ['01JDZZ00000000000000009001', '01JDZZ00000000000000009002'];
    const res = await suite.h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: token(),
      body: {
        mutations: [
          { op: 'create', id: big, expense: { amount: 3000, occurredOn: '2026-11-20', merchant: 'SHELL 042' } },
          { op: 'create', id: small, expense: { amount: 2999, occurredOn: '2026-11-20', merchant: 'SHELL 042' } },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toHaveLength(2);
    expect(res.json.results[0]).toMatchObject({ status: 'applied', expense: { id: big, amount: 3000, categoryId: fuel } });
    expect(res.json.results[1]).toMatchObject({ status: 'applied', expense: { id: small, amount: 2999, categoryId: null } });
    // Stored so: read back through GET.
    expect((await suite.h.call('GET', `${expensesPath(b)}/${big}`, { token: token() })).json.categoryId).toBe(fuel);
    expect((await suite.h.call('GET', `${expensesPath(b)}/${small}`, { token: token() })).json.categoryId).toBeNull();
    expect((await theEvent(suite.h.t, 'expense.recorded', { expenseId: big })).envelope.data.categorizedBy).toEqual({ ruleId: tank.id });
    expect((await theEvent(suite.h.t, 'expense.recorded', { expenseId: small })).envelope.data.categorizedBy).toBeUndefined();
  });
});

describe('POST .../rules/preview', { timeout: 180_000 }, () => {
  it('lists the range expenses the rule would match, newest first, with their category now, and writes nothing', async () => {
    const b = await fresh();
    const fuel = b.categories[0]!.id;
    const a = await postExpense(b, { amount: 4500, occurredOn: '2026-11-20', merchant: 'Shell 1', description: 'Diesel' });
    const c = await postExpense(b, { amount: 6000, occurredOn: '2026-11-02', merchant: 'SHELL 2', categoryId: fuel });
    await postExpense(b, { amount: 1500, occurredOn: '2026-11-10', merchant: 'Shell 3' }); // too small
    await postExpense(b, { amount: 5000, occurredOn: '2026-11-11', merchant: 'BP' }); // another merchant
    await postExpense(b, { amount: 5000, occurredOn: '2026-11-12' }); // no merchant
    const old = await postExpense(b, { amount: 5000, occurredOn: '2026-10-20', merchant: 'Shell 4' }); // before the default range
    const before = await budgetItems(b);

    const rule = { merchant: { contains: 'shell' }, amount: { min: 2000 }, categoryId: fuel };
    const res = await preview(b, { rule });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      from: '2026-10-26',
      to: '2026-11-24',
      matches: [
        { id: a.id, occurredOn: '2026-11-20', merchant: 'Shell 1', amount: 4500, categoryId: null },
        { id: c.id, occurredOn: '2026-11-02', merchant: 'SHELL 2', amount: 6000, categoryId: fuel },
      ],
      more: false,
    });
    const wider = await preview(b, { rule: { ...rule, description: { contains: 'diesel' } }, from: '2026-10-01', to: '2026-11-30' });
    expect(wider.json.matches.map((m: { id: string }) => m.id)).toEqual([a.id]);
    const older = await preview(b, { rule, from: '2026-10-01', to: '2026-11-30' });
    expect(older.json.matches.map((m: { id: string }) => m.id)).toEqual([a.id, c.id, old.id]);
    expect(await budgetItems(b)).toEqual(before);
  });

  it('answers at most 100 matches and `more`', async () => {
    const b = await fresh();
    const rows = Array.from({ length: 102 }, (_, i) => `2026-11-${String(1 + (i % 20)).padStart(2, '0')},${(i + 1).toFixed(2)},,,Shell ${i}`);
    const done = await importCsv(b, `date,amount,category,description,merchant\n${rows.join('\n')}\n`);
    expect(done.json, done.text).toMatchObject({ status: 'succeeded', imported: 102 });
    const rule = { merchant: { contains: 'shell' }, categoryId: b.categories[0]!.id };
    const all = await preview(b, { rule, from: '2026-11-01', to: '2026-11-30' });
    expect(all.status, all.text).toBe(200);
    expect([all.json.matches.length, all.json.more]).toEqual([100, true]);
    const dates = all.json.matches.map((m: { occurredOn: string }) => m.occurredOn);
    expect(dates).toEqual([...dates].sort().reverse());
    // 101 of them have an amount of at least 2.00: still more than 100; 100 at least 3.00: not.
    const fewer = await preview(b, { rule: { ...rule, amount: { min: 300 } }, from: '2026-11-01', to: '2026-11-30' });
    expect([fewer.json.matches.length, fewer.json.more]).toEqual([100, false]);
    const some = await preview(b, { rule: { ...rule, amount: { min: 200 } }, from: '2026-11-01', to: '2026-11-30' });
    expect([some.json.matches.length, some.json.more]).toEqual([100, true]);
  });

  it('validates as a create does, bounds the range, and is the owner only', async () => {
    const b = suite.team.budget;
    const fuel = b.categories[0]!.id;
    const rule = { merchant: { contains: 'shell' }, categoryId: fuel };
    expect((await preview(b, { rule, from: '2026-09-01', to: '2026-12-01' })).status).toBe(200); // 92 days
    expectProblem(await preview(b, { rule, from: '2026-09-01', to: '2026-12-02' }), 400, ['from', 'to']);
    expectProblem(await preview(b, { rule, from: '2026-11-02', to: '2026-11-01' }), 400, ['from']);
    expectProblem(await preview(b, { rule, from: '2026-11-02' }), 400, ['to']);
    expectProblem(await preview(b, { rule: { merchant: { contains: 'shell' } } }), 400, ['rule.categoryId']);
    expectProblem(await preview(b, { rule: { ...rule, amount: { min: 5, max: 4 } } }), 400, ['rule.amount.max']);
    expectProblem(await preview(b, { rule: { ...rule, categoryId: 'not-one' } }), 400, ['rule.categoryId']);
    expectProblem(await preview(b, {}), 400, ['rule']);
    expectProblem(await preview(b, { rule }, suite.team.editor.token), 403);
    expectProblem(await preview(b, { rule }, suite.team.viewer.token), 403);
    expectProblem(await preview(b, { rule }, suite.team.stranger.token), 404);
  });

  it("applies to expenses recorded before the rule through the bulk edit of the preview's matches (README recipe)", async () => {
    const b = await fresh();
    const [fuel, snacks] = [b.categories[0]!.id, b.categories[1]!.id];
    const big = await postExpense(b, { amount: 6_000, occurredOn: '2026-11-03', merchant: 'Shell Berlin', categoryId: snacks });
    const small = await postExpense(b, { amount: 300, occurredOn: '2026-11-04', merchant: 'Shell Berlin', categoryId: snacks });
    const rule = { merchant: { contains: 'shell' }, amount: { min: 1_000 }, categoryId: fuel };
    const found = await preview(b, { rule, from: '2026-11-01', to: '2026-11-24' });
    expect(found.json.matches.map((m: { id: string }) => m.id)).toEqual([big.id]);
    const bulk = await suite.h.call('POST', `${expensesPath(b)}/bulk`, {
      token: token(),
      body: { expenseIds: found.json.matches.map((m: { id: string }) => m.id), action: { type: 'recategorize', categoryId: fuel } },
    });
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.json).toMatchObject({ succeeded: 1, failed: 0 });
    const summary = await suite.h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-11-24`, { token: token() });
    const spent = Object.fromEntries(summary.json.categories.map((c: { categoryId: string; spent: number }) => [c.categoryId, c.spent]));
    expect(spent).toEqual({ [fuel]: 6_000, [snacks]: 300 });
    expect((await suite.h.call('GET', `${expensesPath(b)}/${small.id}`, { token: token() })).json.categoryId).toBe(snacks);
  });

  it('a range holding more expenses than the read examines is a 422 naming `from`', async () => {
    const b = await fresh();
    for (const day of ['01', '02', '03']) await postExpense(b, { amount: 100, occurredOn: `2026-11-${day}`, merchant: 'x' });
    const app = suite.h.expensesAppWith({ spending: { maxExpenses: 2 } });
    const body = { rule: { merchant: { contains: 'shell' }, categoryId: b.categories[0]!.id }, from: '2026-11-01', to: '2026-11-30' };
    expectProblem(await call(app, 'POST', `${rulesPath(b)}/preview`, { token: token(), body }), 422, ['from']);
    const narrower = await call(app, 'POST', `${rulesPath(b)}/preview`, { token: token(), body: { ...body, to: '2026-11-02' } });
    expect(narrower.status, narrower.text).toBe(200);
  });
});
