import { MAX_AMOUNT_MINOR } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { as, createBudget, expectProblem, signup, validBudget, type Account } from './helpers';

/** Each invalid field is a problem+json 400 that names it (never a 5xx). */
let t: TestSystem;
let owner: Account;
let budgetId: string;

beforeAll(async () => {
  t = await createTestSystem();
  owner = await signup(t.app, 'owner');
  budgetId = (await createBudget(t.app, owner)).id;
});
afterAll(() => t.destroy());

const fiftyOne = Array.from({ length: 51 }, (_, i) => ({ name: `Category ${i}` }));

const invalidCreates: [string, Record<string, unknown>, string][] = [
  ['empty name', { name: '' }, 'name'],
  ['blank name', { name: '   ' }, 'name'],
  ['name over 100 characters', { name: 'x'.repeat(101) }, 'name'],
  ['name not a string', { name: 42 }, 'name'],
  ['lower-case currency', { currency: 'usd' }, 'currency'],
  ['unknown currency', { currency: 'XYZ' }, 'currency'],
  ['unknown period', { period: 'daily' }, 'period'],
  ['unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
  ['offset instead of a time zone', { timezone: '+02:00' }, 'timezone'],
  // ICU (Intl) also takes Java's legacy three-letter ids and SystemV zones, which are no IANA names:
  // "BST" there is Bangladesh (UTC+6), not British Summer Time; "SST" the Solomon Islands, not Samoa.
  ['an ICU-only abbreviation, not an IANA name', { timezone: 'BST' }, 'timezone'],
  ['an ICU-only abbreviation in lower case', { timezone: 'sst' }, 'timezone'],
  ['an ICU-only SystemV zone', { timezone: 'SystemV/EST5' }, 'timezone'],
  ['a name the tz database removed (2020b) that ICU still takes', { timezone: 'US/Pacific-New' }, 'timezone'],
  ['a name the tz database removed (2017c) that ICU still takes', { timezone: 'canada/east-saskatchewan' }, 'timezone'],
  ['negative limit', { limit: -1 }, 'limit'],
  ['fractional limit', { limit: 10.5 }, 'limit'],
  ['limit above the maximum', { limit: MAX_AMOUNT_MINOR + 1 }, 'limit'],
  ['limit as a string', { limit: '100' }, 'limit'],
  ['more than 50 categories', { categories: fiftyOne }, 'categories'],
  ['duplicate category names (any case)', { categories: [{ name: 'Food' }, { name: ' food ' }] }, 'categories.1.name'],
  ['duplicate category names (fullwidth look-alike)', { categories: [{ name: 'Food' }, { name: '\uff26\uff4f\uff4f\uff44' }] }, 'categories.1.name'],
  ['empty category name', { categories: [{ name: '' }] }, 'categories.0.name'],
  ['negative category limit', { categories: [{ name: 'Food', limit: -5 }] }, 'categories.0.limit'],
  ['fractional category limit', { categories: [{ name: 'Food', limit: 1.5 }] }, 'categories.0.limit'],
  ['client-chosen category id', { categories: [{ id: 'mine', name: 'Food' }] }, 'categories.0.id'],
  ['unknown category field', { categories: [{ name: 'Food', colour: 'red' }] }, 'categories.0.colour'],
  ['threshold 0', { alertThresholds: [0] }, 'alertThresholds.0'],
  ['threshold over 1000', { alertThresholds: [80, 1001] }, 'alertThresholds.1'],
  ['fractional threshold', { alertThresholds: [80.5] }, 'alertThresholds.0'],
  ['duplicate thresholds', { alertThresholds: [80, 100, 80] }, 'alertThresholds.2'],
  ['rollover not a boolean', { rollover: 'yes' }, 'rollover'],
  ['unknown field', { colour: 'blue' }, 'colour'],
];

describe('POST /v1/budgets validation', () => {
  it.each(invalidCreates)('refuses %s', async (_label, change, path) => {
    const res = await as(t.app, owner)('POST', '/v1/budgets', { body: validBudget(change) });
    expectProblem(res, 400, [path]);
  });

  it.each([['name'], ['limit']])('requires %s', async (field) => {
    const body: Record<string, unknown> = validBudget();
    delete body[field];
    expectProblem(await as(t.app, owner)('POST', '/v1/budgets', { body }), 400, [field]);
  });

  it('names every bad field at once', async () => {
    const res = await as(t.app, owner)('POST', '/v1/budgets', { body: validBudget({ name: '', limit: -1, currency: 'EURO' }) });
    expectProblem(res, 400, ['name', 'limit', 'currency']);
  });

  it('refuses malformed JSON and other content types', async () => {
    const bad = await as(t.app, owner)('POST', '/v1/budgets', {
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    const text = await as(t.app, owner)('POST', '/v1/budgets', { rawBody: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('accepts the edges: 50 categories, limit 0 and the maximum, thresholds 1 and 1000', async () => {
    const res = await as(t.app, owner)('POST', '/v1/budgets', {
      body: validBudget({ categories: fiftyOne.slice(0, 50), limit: 0, alertThresholds: [1, 1000] }),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.categories).toHaveLength(50);
  });
});

describe('PATCH /v1/budgets/{id} validation', () => {
  const invalidPatches: [string, Record<string, unknown>, string][] = [
    ['empty name', { name: '' }, 'name'],
    ['unknown period', { period: 'fortnightly' }, 'period'],
    ['unknown time zone', { timezone: 'Nowhere/Land' }, 'timezone'],
    ['an ICU-only abbreviation, not an IANA name', { timezone: 'IST' }, 'timezone'],
    ['negative limit', { limit: -1 }, 'limit'],
    ['duplicate category names', { categories: [{ name: 'A' }, { name: 'a' }] }, 'categories.1.name'],
    ['more than 50 categories', { categories: fiftyOne }, 'categories'],
    ['unknown category field', { categories: [{ name: 'A', budget: 1 }] }, 'categories.0.budget'],
    ['duplicate thresholds', { alertThresholds: [50, 50] }, 'alertThresholds.1'],
    ['null name', { name: null }, 'name'],
    ['unknown field', { owner: 'me' }, 'owner'],
    ['changed currency', { currency: 'EUR' }, 'currency'],
    ['invalid currency', { currency: 'eur' }, 'currency'],
  ];

  it.each(invalidPatches)('refuses %s', async (_label, body, path) => {
    expectProblem(await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body }), 400, [path]);
  });

  it('refuses a category id sent twice', async () => {
    const { categories } = (await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`)).json;
    const id = categories[0].id;
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, {
      body: { categories: [{ id, name: 'One' }, { id, name: 'Two' }] },
    });
    expectProblem(res, 400, ['categories.1.id']);
  });

  it('changes nothing on an invalid request', async () => {
    const read = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    expect(read.json.version).toBe(1);
  });
});

describe('members and summary validation', () => {
  it.each([
    ['invalid email', { email: 'not-an-email', role: 'editor' }, 'email'],
    ['owner role', { email: 'x@example.com', role: 'owner' }, 'role'],
    ['unknown role', { email: 'x@example.com', role: 'admin' }, 'role'],
    ['missing role', { email: 'x@example.com' }, 'role'],
    ['unknown field', { email: 'x@example.com', role: 'viewer', note: 'hi' }, 'note'],
  ])('POST members refuses %s', async (_label, body, path) => {
    expectProblem(await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/members`, { body }), 400, [path]);
  });

  it.each([
    ['owner role', { role: 'owner' }, 'role'],
    ['unknown field', { role: 'viewer', email: 'x@example.com' }, 'email'],
  ])('PATCH member refuses %s', async (_label, body, path) => {
    expectProblem(await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/members/${owner.id}`, { body }), 400, [path]);
  });

  it.each([['2023-02-29'], ['2026-13-01'], ['24-11-2026'], ['today'], ['1800-01-01']])(
    'summary refuses date=%s',
    async (date) => {
      expectProblem(await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=${date}`), 400, ['query.date']);
    },
  );

  it('members list refuses a bad limit', async () => {
    expectProblem(await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/members?limit=abc`), 400, ['query.limit']);
  });

  it.each([
    ['/v1/budgets?foo=1'],
    ['/v1/budgets/{id}/members?foo=1'],
    ['/v1/budgets/{id}/summary?foo=1'],
    ['/v1/budgets/{id}/summary?date=2026-11-24&foo=1'],
  ])('refuses an unknown query parameter, naming it: %s', async (path) => {
    const res = await as(t.app, owner)('GET', path.replace('{id}', budgetId));
    expectProblem(res, 400, ['query.foo']);
  });

  it('gives an empty summary date exactly one error', async () => {
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=`);
    expectProblem(res, 400, ['query.date']);
    expect(res.json.errors).toHaveLength(1);
  });
});
