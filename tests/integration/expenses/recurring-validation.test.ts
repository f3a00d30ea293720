import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Budget, type Harness, type User } from './harness';

/** Every invalid field of a recurring expense is a problem+json 400 that names it; nothing is written. */
let h: Harness;
let owner: User;
let budget: Budget;
let itemUrl: string;
const path = () => `/v1/budgets/${budget.id}/recurring-expenses`;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { currency: 'EUR', categories: ['Housing'] });
  const created = await h.call('POST', path(), { token: owner.token, body: valid });
  expect(created.status, created.text).toBe(201);
  itemUrl = `${path()}/${created.json.id}`;
});
afterAll(() => h.destroy());

function expectNamed(res: { status: number; json: any; headers: Headers }, field: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
}

const schedule = { frequency: 'monthly', interval: 1, startsOn: '2026-12-01' };
const valid = { amount: 100, schedule };

describe('POST /recurring-expenses validation', () => {
  it.each([
    ['amount', { ...valid, amount: 0 }],
    ['amount', { ...valid, amount: 12.5 }],
    ['amount', { ...valid, amount: '100' }],
    ['amount', { ...valid, amount: 1_000_000_000_001 }],
    ['amount', { schedule }],
    ['categoryId', { ...valid, categoryId: '' }],
    ['description', { ...valid, description: 'x'.repeat(501) }],
    ['merchant', { ...valid, merchant: 'x'.repeat(201) }],
    ['currency', { ...valid, currency: 'eur' }],
    ['schedule', { amount: 100 }],
    ['schedule', { ...valid, schedule: 'monthly' }],
    ['schedule.frequency', { ...valid, schedule: { ...schedule, frequency: 'fortnightly' } }],
    ['schedule.frequency', { ...valid, schedule: { interval: 1 } }],
    ['schedule.interval', { ...valid, schedule: { ...schedule, interval: 0 } }],
    ['schedule.interval', { ...valid, schedule: { ...schedule, interval: 1.5 } }],
    ['schedule.interval', { ...valid, schedule: { ...schedule, interval: 366 } }],
    ['schedule.interval', { ...valid, schedule: { ...schedule, interval: '2' } }],
    ['schedule.startsOn', { ...valid, schedule: { ...schedule, startsOn: '2026-02-29' } }],
    ['schedule.startsOn', { ...valid, schedule: { ...schedule, startsOn: '9999-01-01' } }],
    ['schedule.endsOn', { ...valid, schedule: { ...schedule, endsOn: '2026-11-31' } }],
    ['schedule.endsOn', { ...valid, schedule: { ...schedule, endsOn: '2026-11-30' } }],
    ['schedule.every', { ...valid, schedule: { ...schedule, every: 2 } }],
    ['nextOccurrenceOn', { ...valid, nextOccurrenceOn: '2026-12-01' }],
    ['occurredOn', { ...valid, occurredOn: '2026-12-01' }],
  ])('names %s for %j', async (field, body) => {
    expectNamed(await h.call('POST', path(), { token: owner.token, body }), field);
  });

  it("names categoryId when it is not one of the budget's, currency when it is not the budget's", async () => {
    const other = await h.createBudget(owner, { categories: ['Elsewhere'] });
    expectNamed(await h.call('POST', path(), { token: owner.token, body: { ...valid, categoryId: other.categories[0]!.id } }), 'categoryId');
    const currency = await h.call('POST', path(), { token: owner.token, body: { ...valid, currency: 'USD' } });
    expectNamed(currency, 'currency');
    expect(currency.json.errors[0].message).toContain('EUR');
  });

  it('names endsOn when it is before a defaulted startsOn (today)', async () => {
    expectNamed(await h.call('POST', path(), { token: owner.token, body: { amount: 1, schedule: { frequency: 'daily', endsOn: '2026-11-23' } } }), 'schedule.endsOn');
  });

  it('wrote nothing for any of them', async () => {
    const list = await h.call('GET', path(), { token: owner.token });
    expect(list.json.items).toHaveLength(1);
  });
});

describe('PATCH /recurring-expenses/{id} validation', () => {
  it.each([
    ['body', {}],
    ['amount', { amount: -1 }],
    ['categoryId', { categoryId: 'not-a-category' }],
    ['currency', { currency: 'USD' }],
    ['schedule.frequency', { schedule: { frequency: 'hourly' } }],
    ['schedule.interval', { schedule: { interval: 0 } }],
    ['schedule.startsOn', { schedule: { startsOn: null } }],
    ['schedule.endsOn', { schedule: { endsOn: '2026-11-30' } }],
    ['schedule.endsOn', { schedule: { endsOn: 'never' } }],
    ['schedule.surprise', { schedule: { surprise: 1 } }],
    ['version', { version: 2 }],
    ['createdBy', { createdBy: 'someone' }],
  ])('names %s for %j', async (field, body) => {
    expectNamed(await h.call('PATCH', itemUrl, { token: owner.token, body }), field);
  });

  it('names endsOn when a new startsOn would come after it', async () => {
    const withEnd = await h.call('POST', path(), { token: owner.token, body: { ...valid, schedule: { ...schedule, endsOn: '2027-01-31' } } });
    const url = `${path()}/${withEnd.json.id}`;
    expectNamed(await h.call('PATCH', url, { token: owner.token, body: { schedule: { startsOn: '2027-02-01' } } }), 'schedule.endsOn');
    expect((await h.call('GET', url, { token: owner.token })).json.version).toBe(1);
  });

  it('left the definition as it was', async () => {
    const got = await h.call('GET', itemUrl, { token: owner.token });
    expect(got.json).toMatchObject({ amount: 100, version: 1, schedule });
  });
});

describe('path and query validation', () => {
  it('names query.limit and refuses unknown query parameters', async () => {
    expectNamed(await h.call('GET', `${path()}?limit=0`, { token: owner.token }), 'query.limit');
    expectNamed(await h.call('GET', `${path()}?from=2026-01-01`, { token: owner.token }), 'query.from');
  });

  it('a bad If-Match is a 400 naming it', async () => {
    expectNamed(await h.call('PATCH', itemUrl, { token: owner.token, headers: { 'if-match': 'nonsense' }, body: { amount: 5 } }), 'header.If-Match');
  });
});
