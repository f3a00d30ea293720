import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../support/actors';
import { call } from '../support/http';
import { expectProblem } from '../support/problem';
import { systemWithAccount } from '../support/system-with-account';
import type { TestSystem } from '../support/test-system';

/**
 * Text must be well-formed Unicode: lone surrogates, NUL and invalid UTF-8 bytes are refused
 * with a 400 naming the field (never stored, never silently replaced). Names are normalized
 * (NFC, trimmed, inner whitespace collapsed, zero-width characters do not count) before they
 * are compared, and text survives a CSV export/import round trip exactly.
 */
let t: TestSystem;
let owner: Actor;
beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signUp, 'owner')));
afterAll(() => t.destroy());

const LONE_HIGH = '\ud800';
const LONE_LOW = 'x\udc00y';
const NUL = 'a\u0000b';

/** JSON.stringify writes lone surrogates as \\uXXXX escapes, which is how a client sends them. */
const post = (path: string, body: unknown, who: Actor = owner) => as(t.app, who)('POST', path, { body });

describe('ill-formed text is refused with 400 naming the field', () => {
  it.each([
    ['a lone high surrogate', LONE_HIGH],
    ['a lone low surrogate', LONE_LOW],
    ['NUL', NUL],
    // C1 controls show nothing: a budget named U+0081 was a name showing nothing, "Food" and "Food" + U+0090 two categories looking alike.
    ['a C1 control', 'Food\u0090'],
    ['the 8-bit CSI of terminal escapes', '\u009b31mRent'],
  ])('%s in names, descriptions and merchants', async (_label, bad) => {
    expectProblem(await call(t.app, 'POST', '/v1/auth/signup', { body: { email: `u${Math.random()}@example.com`, password: 'correct horse battery staple', name: bad } }), 400, ['name']);
    expectProblem(await as(t.app, owner)('PATCH', '/v1/me', { body: { name: bad } }), 400, ['name']);
    expectProblem(await post('/v1/budgets', { name: bad, currency: 'USD', limit: 1000 }), 400, ['name']);
    expectProblem(await post('/v1/budgets', { name: 'Home', currency: 'USD', limit: 1000, categories: [{ name: bad }] }), 400, ['categories.0.name']);
    const budget = await createBudget(t.app, owner);
    const expenses = `/v1/budgets/${budget.id}/expenses`;
    expectProblem(await post(expenses, { amount: 100, description: bad }), 400, ['description']);
    expectProblem(await post(expenses, { amount: 100, merchant: bad }), 400, ['merchant']);
    expectProblem(
      await post(`/v1/budgets/${budget.id}/recurring-expenses`, { amount: 100, merchant: bad, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } }),
      400,
      ['merchant'],
    );
  });

  it('refuses an id of ill-formed text in a body (offline push, bulk edit, duplicates) with a 400 naming it: it was looked up and echoed back, a lone surrogate in the answer', async () => {
    const budget = await createBudget(t.app, owner);
    const base = `/v1/budgets/${budget.id}`;
    const expense = await addExpense(t.app, owner, budget.id, { amount: 100, occurredOn: '2026-11-20' });
    for (const bad of [LONE_HIGH, `${expense.id}\udc00`]) {
      expectProblem(await post(`${base}/changes`, { mutations: [{ op: 'delete', id: bad, baseVersion: 1 }] }), 400, ['mutations.0.id']);
      expectProblem(await post(`${base}/changes`, { mutations: [{ type: 'income', op: 'delete', id: bad, baseVersion: 1 }] }), 400, ['mutations.0.id']);
      expectProblem(await post(`${base}/changes`, { mutations: [{ type: 'recurringExpense', op: 'delete', id: bad, baseVersion: 1 }] }), 400, ['mutations.0.id']);
      expectProblem(await post(`${base}/expenses/bulk`, { expenseIds: [expense.id, bad], action: { type: 'delete' } }), 400, ['expenseIds.1']);
      expectProblem(await post(`${base}/expenses/duplicates/dismiss`, { expenseIds: [expense.id, bad] }), 400, ['expenseIds.1']);
    }
    expect((await as(t.app, owner)('GET', `${base}/expenses`)).json.items).toHaveLength(1);
  });

  it('refuses invalid UTF-8 bytes in a JSON body instead of replacing them, naming the field', async () => {
    const budget = await createBudget(t.app, owner);
    const head = Buffer.from('{"amount":100,"merchant":"Caf');
    const body = Buffer.concat([head, Buffer.from([0xe9]), Buffer.from('"}')]); // Latin-1 é: not UTF-8
    const res = await t.app.request(`/v1/budgets/${budget.id}/expenses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body,
    });
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(400);
    expect(json.errors.map((e: { path: string }) => e.path)).toContain('merchant');
    const list = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/expenses`);
    expect(list.json.items).toEqual([]);
  });

  it('refuses a query value whose percent-encoding is not UTF-8, naming it (it was searched for as the literal "%ED%A0%80")', async () => {
    const budget = await createBudget(t.app, owner);
    const base = `/v1/budgets/${budget.id}`;
    for (const [query, field] of [
      ['/expenses?q=%ED%A0%80', 'query.q'], // a lone surrogate, encoded as UTF-8 cannot
      ['/expenses?merchant=Caf%E9', 'query.merchant'], // Latin-1 é
      ['/expenses?limit=10&tag=%FF', 'query.tag'],
      ['/spending/monthly?merchant=%C0%80', 'query.merchant'], // an overlong NUL
      ['/expenses?q=100%', 'query.q'], // a bare percent sign
    ]) {
      expectProblem(await as(t.app, owner)('GET', base + query!), 400, [field!]);
    }
    expect((await as(t.app, owner)('GET', `${base}/expenses?q=caf%C3%A9+au+lait%20%F0%9F%98%80`)).status).toBe(200);
  });

  it('refuses invalid UTF-8 bytes in a CSV import labelled charset=utf-8 (unlabelled, such a file is read as Windows-1252: bank-csv-charset.test.ts)', async () => {
    const budget = await createBudget(t.app, owner);
    const csv = Buffer.concat([Buffer.from('date,amount,category,description,merchant\n2026-11-20,1.00,,x,Caf'), Buffer.from([0xff]), Buffer.from('\n')]);
    const send = (contentType: string) =>
      t.app.request(`/v1/budgets/${budget.id}/expenses/import?dryRun=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': contentType },
        body: csv,
      });
    const res = await send('text/csv; charset=utf-8');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const guessed = await send('text/csv');
    expect(guessed.status).toBe(200);
    expect(await guessed.json()).toMatchObject({ charset: 'windows-1252', imported: 1 });
  });
});

describe('names are normalized before they are compared', () => {
  it('counts a name of zero-width characters as empty', async () => {
    for (const name of ['\u200b', '\u200b\u200d\ufeff', ' \u2060 ']) {
      expectProblem(await post('/v1/budgets', { name, currency: 'USD', limit: 1000 }), 400, ['name']);
      expectProblem(await post('/v1/budgets', { name: 'Home', currency: 'USD', limit: 1000, categories: [{ name }] }), 400, ['categories.0.name']);
    }
  });

  it('treats category names equal after NFC, trimming, collapsing spaces and dropping zero-width characters as duplicates', async () => {
    const pairs = [
      ['Caf\u00e9', 'Cafe\u0301'], // precomposed vs combining accent
      ['Eating out', '  Eating   out '],
      ['Food', 'Fo\u200bod'],
      ['Food', 'Food\u200b'],
    ];
    for (const [a, b] of pairs) {
      expectProblem(await post('/v1/budgets', { name: 'Home', currency: 'USD', limit: 1000, categories: [{ name: a }, { name: b }] }), 400, ['categories.1.name']);
    }
  });

  it('treats category names that differ only by invisible format characters as duplicates (they looked the same and were two categories)', async () => {
    const lookalikes = [
      'Food\u200e', // left-to-right mark
      'Food\u200f', // right-to-left mark
      '\u202eFood', // right-to-left override
      '\u2066Food\u2069', // left-to-right isolate
      'Fo\u00adod', // soft hyphen
      'Fo\u034fod', // combining grapheme joiner
      'Food\u3164', // Hangul filler
      'Food\ufe0f', // variation selector 16
      'Food\u{E0001}', // language tag
    ];
    for (const name of lookalikes) {
      expectProblem(await post('/v1/budgets', { name: 'Home', currency: 'USD', limit: 1000, categories: [{ name: 'Food' }, { name }] }), 400, ['categories.1.name']);
    }
  });

  it('counts a name of invisible format characters as empty', async () => {
    for (const name of ['\u200e\u200f', '\u202e', '\u3164', '\u00ad']) {
      expectProblem(await post('/v1/budgets', { name, currency: 'USD', limit: 1000 }), 400, ['name']);
    }
  });

  it('stores names normalized', async () => {
    const budget = await createBudget(t.app, owner, { name: '  My\u00a0  home\u200b ', categories: [{ name: 'Cafe\u0301  bills' }] });
    expect(budget.name).toBe('My home');
    expect(budget.categories[0]!.name).toBe('Caf\u00e9 bills');
  });
});

describe('CSV round trip', () => {
  /** The CSV export of `sourceId` imported into a new budget of the owner's (its answer a 200: the import finished). */
  async function exportedAndImported(sourceId: string) {
    const exported = await as(t.app, owner)('GET', `/v1/budgets/${sourceId}/expenses/export`);
    expect(exported.status).toBe(200);
    const target = await createBudget(t.app, owner);
    const imported = await as(t.app, owner)('POST', `/v1/budgets/${target.id}/expenses/import`, {
      rawBody: exported.text,
      headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
    });
    expect(imported.status, imported.text).toBe(200);
    return { target, imported };
  }

  it('imports back a merchant and a description as long as the API took them, counted as it counts them: in characters (code points), an emoji one', async () => {
    const merchant = '\u{1F6D2}'.repeat(150); // 150 characters, 300 UTF-16 units: the API takes up to 200
    const description = `${'\u{1F600}'.repeat(300)} ${'x'.repeat(150)}`; // 451 characters, 751 units: up to 500
    const source = await createBudget(t.app, owner);
    const created = await post(`/v1/budgets/${source.id}/expenses`, { amount: 100, occurredOn: '2026-11-20', merchant, description });
    expect(created.status, created.text.slice(0, 200)).toBe(201);
    const { target, imported } = await exportedAndImported(source.id);
    expect(imported.json).toMatchObject({ imported: 1, errors: [] });
    const list = await as(t.app, owner)('GET', `/v1/budgets/${target.id}/expenses`);
    expect(list.json.items).toMatchObject([{ merchant, description }]);
  });

  it('exports and re-imports text exactly as stored', async () => {
    const texts = [
      'Caf\u00e9 \u{1F468}\u200d\u{1F469}\u200d\u{1F467} "quoted", with comma',
      '\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627',
      'e\u0301 decomposed stays as sent',
      '=SUM(A1) looks like a formula',
      '\u{1D54F}\u{1F600} astral',
    ];
    const source = await createBudget(t.app, owner);
    for (const [i, text] of texts.entries()) {
      await addExpense(t.app, owner, source.id, { amount: 100 + i, occurredOn: '2026-11-20', merchant: text });
    }
    const { target, imported } = await exportedAndImported(source.id);
    expect(imported.json.imported).toBe(texts.length);
    const list = await as(t.app, owner)('GET', `/v1/budgets/${target.id}/expenses?limit=50`);
    expect(list.json.items.map((e: { merchant: string }) => e.merchant).sort()).toEqual([...texts].sort());
  });
});
