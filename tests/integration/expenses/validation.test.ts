import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Budget, type Harness, type User } from './harness';

/** Every invalid field is a problem+json 400 that names it; nothing is written. */
let h: Harness;
let owner: User;
let budget: Budget;
let expenseUrl: string;
const path = () => `/v1/budgets/${budget.id}/expenses`;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { currency: 'EUR', categories: ['Groceries'] });
  const created = await h.call('POST', path(), { token: owner.token, body: { amount: 100, occurredOn: '2026-11-01' } });
  expenseUrl = `${path()}/${created.json.id}`;
});
afterAll(() => h.destroy());

function expectNamed(res: { status: number; json: any; headers: Headers }, field: string) {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
}

const valid = { amount: 100, occurredOn: '2026-11-01' };

describe('POST /expenses validation', () => {
  it.each([
    ['amount', { ...valid, amount: 0 }],
    ['amount', { ...valid, amount: -5 }],
    ['amount', { ...valid, amount: 12.5 }],
    ['amount', { ...valid, amount: '1250' }],
    ['amount', { ...valid, amount: 1_000_000_000_001 }],
    ['amount', { occurredOn: '2026-11-01' }],
    ['occurredOn', { ...valid, occurredOn: '2026-02-29' }],
    ['occurredOn', { ...valid, occurredOn: '2026-13-01' }],
    ['occurredOn', { ...valid, occurredOn: '01/11/2026' }],
    ['occurredOn', { ...valid, occurredOn: 20261101 }],
    // Outside 1900-01-01..9998-12-31: no period of such a date fits a 4-digit year.
    ['occurredOn', { ...valid, occurredOn: '9999-12-15' }],
    ['occurredOn', { ...valid, occurredOn: '0000-01-01' }],
    ['occurredOn', { ...valid, occurredOn: '1899-12-31' }],
    ['categoryId', { ...valid, categoryId: '' }],
    ['categoryId', { ...valid, categoryId: 42 }],
    ['description', { ...valid, description: 'x'.repeat(501) }],
    ['merchant', { ...valid, merchant: 'x'.repeat(201) }],
    ['currency', { ...valid, currency: 'eur' }],
    ['currency', { ...valid, currency: 'EURO' }],
    ['surprise', { ...valid, surprise: true }],
    ['version', { ...valid, version: 3 }],
  ])('names %s for %j', async (field, body) => {
    expectNamed(await h.call('POST', path(), { token: owner.token, body }), field);
  });

  it("names categoryId when it is not one of the budget's categories", async () => {
    const other = await h.createBudget(owner, { categories: ['Elsewhere'] });
    const res = await h.call('POST', path(), { token: owner.token, body: { ...valid, categoryId: other.categories[0]!.id } });
    expectNamed(res, 'categoryId');
  });

  it("names currency when it differs from the budget's", async () => {
    const res = await h.call('POST', path(), { token: owner.token, body: { ...valid, currency: 'USD' } });
    expectNamed(res, 'currency');
    expect(res.json.errors.find((e: { path: string }) => e.path === 'currency').message).toContain('EUR');
  });

  it('reports several bad fields at once', async () => {
    const res = await h.call('POST', path(), { token: owner.token, body: { amount: 0, occurredOn: 'soon', extra: 1 } });
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['amount', 'extra', 'occurredOn']);
  });

  it('refuses a body that is not JSON, or not an object, with a 400', async () => {
    const notJson = await h.call('POST', path(), { token: owner.token, rawBody: '{"amount":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    const array = await h.call('POST', path(), { token: owner.token, body: [valid] });
    expect(array.status).toBe(400);
  });

  it('accepts the matching currency and trims free text', async () => {
    const res = await h.call('POST', path(), {
      token: owner.token,
      body: { ...valid, currency: 'EUR', description: '   ', merchant: ' Shop ' },
    });
    expect(res.status).toBe(201);
    expect(res.json).not.toHaveProperty('description');
    expect(res.json.merchant).toBe('Shop');
  });

  it('recorded nothing for any refused request', async () => {
    const list = await h.call('GET', path(), { token: owner.token });
    expect(list.json.items.map((e: { amount: number }) => e.amount)).toEqual([100, 100]);
  });
});

describe('PATCH /expenses/{id} validation', () => {
  it.each([
    ['amount', { amount: 0 }],
    ['amount', { amount: null }],
    ['occurredOn', { occurredOn: '2026-04-31' }],
    ['occurredOn', { occurredOn: null }],
    ['description', { description: 'x'.repeat(501) }],
    ['currency', { currency: 'USD' }],
    ['categoryId', { categoryId: 'not-a-category' }],
    ['id', { id: 'other' }],
    ['body', {}],
  ])('names %s for %j', async (field, body) => {
    expectNamed(await h.call('PATCH', expenseUrl, { token: owner.token, body }), field);
  });

  it('names a malformed If-Match header', async () => {
    const res = await h.call('PATCH', expenseUrl, { token: owner.token, headers: { 'if-match': 'version-1' }, body: { amount: 5 } });
    expectNamed(res, 'header.If-Match');
    const del = await h.call('DELETE', expenseUrl, { token: owner.token, headers: { 'if-match': '1' } });
    expectNamed(del, 'header.If-Match');
  });

  it('left the expense untouched', async () => {
    const res = await h.call('GET', expenseUrl, { token: owner.token });
    expect(res.json).toMatchObject({ amount: 100, version: 1 });
  });
});

describe('GET /expenses query validation', () => {
  it.each([
    ['query.from', '?from=2026-02-30'],
    ['query.to', '?to=yesterday'],
    ['query.from', '?from=2026-11-02&to=2026-11-01'],
    ['query.categoryId', '?categoryId=unknown'],
    ['query.limit', '?limit=0'],
    ['query.limit', '?limit=101'],
    ['query.limit', '?limit=ten'],
    ['query.cursor', '?cursor=garbage'],
    ['query.sort', '?sort=amount'],
  ])('names %s for %s', async (field, query) => {
    expectNamed(await h.call('GET', `${path()}${query}`, { token: owner.token }), field);
  });
});
