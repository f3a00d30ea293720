import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type Actor } from '../support/actors';
import { everyRoute } from '../support/every-route';
import { call } from '../support/http';
import { responseValidator } from '../support/response-validator';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * "Unknown fields are rejected, named" (SPEC), for the query string too, "as on every route"
 * (packages/expenses/docs/merchants-and-tags.md): a route that declares query parameters refused
 * an unknown one with a 400 naming it, while a route that declares none ignored any (`GET
 * /v1/webhooks?limit=1` answered every webhook, `?cursor=` was dropped without a word), and a
 * DELETE went ahead whatever its query said. Walked over every operation of the modules' routers
 * that takes no body, so a route added tomorrow is covered: the 400 is answered, names the
 * parameter, and is the one the operation documents.
 */
let t: TestSystem;
let owner: Actor;
let routes: Awaited<ReturnType<typeof everyRoute<{ requestBody?: unknown }>>>;

/** Served by the app itself, not a module's router (the service document, the problem catalogue). */
const APP_ROUTES = ['/health', '/problems', '/problems/{slug}'];
/** Run last: they take the owner's budget or account with them. */
const DESTRUCTIVE = ['DELETE /v1/budgets/{budgetId}', 'DELETE /v1/me'];

beforeAll(async () => {
  t = await createTestSystem({ env: { API_RATE_LIMIT_PER_MINUTE: '0' } });
  owner = await signUp(t.app, 'unknown-query');
  routes = await everyRoute(t.app, owner, '01JDQ4V8M7ZK3X9A2B5C6D7E8F');
});
afterAll(() => t.destroy());

describe('an unknown query parameter', () => {
  it('is a documented 400 naming it on every operation without a body, whatever the operation declares', { timeout: 120_000 }, async () => {
    const validator = responseValidator(routes.openapi);
    const operations = Object.entries(routes.openapi.paths)
      .filter(([template]) => !APP_ROUTES.includes(template))
      .flatMap(([template, item]) =>
        Object.entries(item)
          .filter(([, op]) => !op.requestBody)
          .map(([method]) => ({ method: method.toUpperCase(), template })),
      )
      .sort((a, b) => Number(DESTRUCTIVE.includes(`${a.method} ${a.template}`)) - Number(DESTRUCTIVE.includes(`${b.method} ${b.template}`)));
    expect(operations.length).toBeGreaterThan(80);
    const wrong: string[] = [];
    for (const { method, template } of operations) {
      const path = `${routes.fill(template)}?colour=blue`;
      const res = await call(t.app, method, path, { token: owner.token });
      const named = res.json?.errors?.some((e: { path: string }) => e.path === 'query.colour');
      if (res.status !== 400 || !named) wrong.push(`${method} ${template} -> ${res.status} ${res.text.slice(0, 120)}`);
      else wrong.push(...validator.violations({ method, url: path, status: res.status, headers: res.headers, body: res.text }));
    }
    expect(wrong).toEqual([]);
  });
});
