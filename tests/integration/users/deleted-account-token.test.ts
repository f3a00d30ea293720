import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The access token of a deleted account is still validly signed until it expires; the API
 * says such a token gets 401 on every protected route (not an empty list, not a 404).
 */
let t: TestSystem;
let gone: Actor;
let ids: Record<string, string>;
let openapi: { paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content: Record<string, unknown> } }>> };

beforeAll(async () => {
  t = await createTestSystem();
  gone = await signUp(t.app, 'gone');
  const budget = await createBudget(t.app, gone, { name: 'Home', limit: 10_000 });
  const expense = await addExpense(t.app, gone, budget.id, { amount: 500, occurredOn: '2026-11-20' });
  ids = { budgetId: budget.id, expenseId: expense.id, userId: gone.id, reportId: 'x', recurringId: 'x' };
  openapi = (await call(t.app, 'GET', '/v1/openapi.json')).json;
  expect((await as(t.app, gone)('DELETE', '/v1/me')).status).toBe(204);
});
afterAll(() => t.destroy());

describe('the access token of a deleted account', () => {
  it('gets 401 on every protected route', async () => {
    const protectedRoutes = Object.entries(openapi.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => (operation.security ?? []).length > 0)
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          path: path.replace(/\{(\w+)\}/g, (_, n: string) => ids[n] ?? 'x'),
          csv: operation.requestBody?.content['text/csv'] !== undefined,
        })),
    );
    expect(protectedRoutes.length).toBeGreaterThan(15);
    const answers = [];
    for (const { method, path, csv } of protectedRoutes) {
      const body = csv ? { rawBody: 'date,amount\n', headers: { 'content-type': 'text/csv' } } : { body: {} };
      const res = await as(t.app, gone)(method, path, ['POST', 'PATCH', 'PUT'].includes(method) ? body : {});
      answers.push({ method, path, status: res.status, detail: res.json?.detail });
    }
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(answers[0]!.detail).toBe('The account of this access token no longer exists.');
  });
});
