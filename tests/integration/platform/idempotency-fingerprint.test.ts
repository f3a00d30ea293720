import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Idempotency-Key through the real creating routes: a retry that re-serializes the same JSON
 * (keys in another order, other whitespace, a charset parameter) is the same request and gets
 * the replay; a body that means something else is a 422. The fingerprint's corner cases are in
 * packages/platform/src/http/request-fingerprint.test.ts.
 */
let t: TestSystem;
let token: string;
let expensesUrl: string;

beforeAll(async () => {
  t = await createTestSystem();
  const res = await call(t.app, 'POST', '/v1/auth/signup', {
    body: { email: `idempotency-${Date.now()}@example.com`, password: 'correct horse battery staple' },
  });
  expect(res.status, res.text).toBe(201);
  token = res.json.tokens.accessToken;
  const budget = await call(t.app, 'POST', '/v1/budgets', {
    token,
    body: { name: 'Household', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000 },
  });
  expect(budget.status, budget.text).toBe(201);
  expensesUrl = `/v1/budgets/${budget.json.id}/expenses`;
});
afterAll(() => t.destroy());

/** A POST with an Idempotency-Key and the body exactly as written (the client's own serialization). */
const post = (url: string, key: string, rawBody: string, contentType = 'application/json') =>
  call(t.app, 'POST', url, { token, rawBody, headers: { 'content-type': contentType, 'idempotency-key': key } });

async function expenseIds(): Promise<string[]> {
  const res = await call(t.app, 'GET', `${expensesUrl}?limit=100`, { token });
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((e: { id: string }) => e.id);
}

describe('Idempotency-Key on POST /v1/budgets/{id}/expenses', () => {
  it('replays the first response for the same JSON with keys in another order and other whitespace', async () => {
    const first = await post(expensesUrl, 'expense-reordered', '{"amount":1250,"occurredOn":"2026-11-20","merchant":"Corner Market"}');
    expect(first.status, first.text).toBe(201);
    const retry = await post(expensesUrl, 'expense-reordered', '{\n  "merchant": "Corner Market",\n  "occurredOn": "2026-11-20",\n  "amount": 1250\n}');
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect((await expenseIds()).filter((id) => id === first.json.id)).toHaveLength(1);
  });

  it('replays the first response when the retry adds a charset parameter to the content type', async () => {
    const body = '{"amount":990,"occurredOn":"2026-11-21"}';
    const first = await post(expensesUrl, 'expense-charset', body);
    expect(first.status, first.text).toBe(201);
    const before = await expenseIds();
    const retry = await post(expensesUrl, 'expense-charset', body, 'application/json; charset=utf-8');
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.id).toBe(first.json.id);
    expect(await expenseIds()).toEqual(before); // recorded once
  });

  it('refuses the same key with another amount (422) and records nothing more', async () => {
    const first = await post(expensesUrl, 'expense-other-amount', '{"amount":500,"occurredOn":"2026-11-22"}');
    expect(first.status, first.text).toBe(201);
    const before = await expenseIds();
    expectProblem(await post(expensesUrl, 'expense-other-amount', '{"occurredOn":"2026-11-22","amount":501}'), 422);
    expect(await expenseIds()).toEqual(before);
  });
});

describe('Idempotency-Key on POST /v1/budgets (nested JSON)', () => {
  const budget = (categories: string) =>
    `{"name":"Trip","currency":"EUR","period":"monthly","timezone":"UTC","limit":50000,"categories":${categories}}`;

  it('replays for keys reordered inside nested objects, but a different array order is another request', async () => {
    const first = await post('/v1/budgets', 'budget-nested', budget('[{"name":"Food","limit":20000},{"name":"Hotel"}]'));
    expect(first.status, first.text).toBe(201);
    const retry = await post('/v1/budgets', 'budget-nested', budget('[{"limit":20000,"name":"Food"},{"name":"Hotel"}]'));
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.id).toBe(first.json.id);
    expectProblem(await post('/v1/budgets', 'budget-nested', budget('[{"name":"Hotel"},{"name":"Food","limit":20000}]')), 422);
  });
});
