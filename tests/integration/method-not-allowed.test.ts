import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../support/actors';
import { everyRoute } from '../support/every-route';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * Every documented path answers a method it does not have with 405 and an Allow header that
 * lists ITS methods: never a 404 from a neighbouring route with a path parameter
 * (`/expenses/{expenseId}` next to `/expenses/import`), never another route's methods.
 */
let t: TestSystem;
let owner: Actor;
let routes: Awaited<ReturnType<typeof everyRoute>>;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

beforeAll(async () => {
  t = await createTestSystem();
  owner = await signUp(t.app, 'methods');
  routes = await everyRoute(t.app, owner, 'r');
});
afterAll(() => t.destroy());

const allowOf = (header: string | null) => new Set((header ?? '').split(',').map((m) => m.trim()).filter((m) => m && m !== 'OPTIONS'));

describe('405 Method Not Allowed', () => {
  it('answers the import and export paths with their own methods, not those of /expenses/{expenseId}', async () => {
    const base = `/v1/budgets/${routes.ids.budgetId}/expenses`;
    for (const [method, path, allow] of [
      ['GET', `${base}/import`, ['POST']],
      ['DELETE', `${base}/import`, ['POST']],
      ['PATCH', `${base}/export`, ['GET', 'HEAD']],
      ['DELETE', `${base}/export`, ['GET', 'HEAD']],
      ['POST', `${base}/export`, ['GET', 'HEAD']],
    ] as const) {
      const res = await as(t.app, owner)(method, path);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(405);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(allowOf(res.headers.get('allow')), `${method} ${path}`).toEqual(new Set(allow));
    }
  });

  it('answers every documented path, for every method it does not document, with 405 and exactly its methods', async () => {
    let checked = 0;
    for (const [template, operations] of Object.entries(routes.openapi.paths)) {
      const path = routes.fill(template);
      const documented = Object.keys(operations).map((m) => m.toUpperCase());
      const expected = new Set(documented.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])));
      for (const method of METHODS.filter((m) => !documented.includes(m))) {
        const res = await as(t.app, owner)(method, path);
        expect(res.status, `${method} ${template}: ${res.text}`).toBe(405);
        expect(allowOf(res.headers.get('allow')), `${method} ${template}`).toEqual(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});
