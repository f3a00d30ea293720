import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, tokenAtClock, type Actor } from '../support/actors';
import { call } from '../support/http';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * Response headers a browser relies on: no MIME sniffing of JSON, CSV or problem bodies,
 * token responses never cached, and the HTML report neither framable nor leaking its URL as
 * a referrer.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let owner: Actor;
let budgetId: string;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'headers');
  budgetId = (await createBudget(t.app, owner, { name: 'Home', limit: 10_000 })).id;
  await addExpense(t.app, owner, budgetId, { amount: 500, occurredOn: '2026-11-20' });
});
afterAll(() => t.destroy());

describe('security headers', () => {
  it('marks JSON, CSV and problem responses nosniff', async () => {
    const json = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    expect(json.status).toBe(200);
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');
    const csv = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/expenses/export`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('x-content-type-options')).toBe('nosniff');
    const problem = await call(t.app, 'GET', '/v1/budgets');
    expect(problem.status).toBe(401);
    expect(problem.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('forbids caching every response that carries tokens (signup, login, refresh)', async () => {
    const signup = await call(t.app, 'POST', '/v1/auth/signup', { body: { email: `nocache-${Date.now()}@example.com`, password: owner.password } });
    expect(signup.status).toBe(201);
    expect(signup.headers.get('cache-control')).toBe('no-store');
    const login = await call(t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const refresh = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: login.json.tokens.refreshToken } });
    expect(refresh.status).toBe(200);
    expect(refresh.headers.get('cache-control')).toBe('no-store');
  });

  it('lets no cache store a signed-in caller\'s answers unless the route chose a policy', async () => {
    // A budget, its expenses, an error about them: the caller's financial data, on any shared computer's disk otherwise.
    const budget = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    const expenses = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/expenses`);
    const csv = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/expenses/export`);
    const missing = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/expenses/01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    expect([budget.status, expenses.status, csv.status, missing.status]).toEqual([200, 200, 200, 404]);
    for (const res of [budget, expenses, csv, missing]) expect(res.headers.get('cache-control'), res.text.slice(0, 80)).toBe('no-store');
    // A route's own policy stands (the overview's short private cache), and public answers get none.
    const overview = await as(t.app, owner)('GET', '/v1/me/overview');
    expect(overview.headers.get('cache-control')).toBe('private, max-age=15');
    const health = await call(t.app, 'GET', '/health');
    expect(health.headers.get('cache-control')).toBeNull();
  });

  it("lets a private cache keep a signed-in caller's answer only for the credentials it was asked with (Vary: Authorization), its 304 too", async () => {
    // /v1/me/overview is one URL for every account: keyed by the URL alone, a phone's or a browser's
    // cache hands the last account's budgets to the next one signed in on it within max-age.
    const other = await signUp(t.app, 'headers-other');
    const mine = await as(t.app, owner)('GET', '/v1/me/overview');
    const theirs = await as(t.app, other)('GET', '/v1/me/overview');
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    expect(mine.json.items).not.toEqual(theirs.json.items);
    const notModified = await as(t.app, owner)('GET', '/v1/me/overview', { headers: { 'if-none-match': mine.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    const merchants = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/merchants`);
    expect(merchants.status, merchants.text).toBe(200);
    for (const res of [mine, theirs, notModified, merchants]) {
      expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
      expect(res.headers.get('vary') ?? '').toMatch(/(^|,\s*)Authorization(\s*,|$)/i);
    }
  });

  it('keeps the HTML report out of frames and sends no referrer from it', async () => {
    clock.set('2026-12-02T00:00:00Z');
    owner.token = await tokenAtClock(t, owner);
    const created = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/reports`, { body: { date: '2026-11-01' } });
    expect(created.status, created.text).toBe(201);
    const html = await as(t.app, owner)('GET', created.headers.get('location')!, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(html.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
