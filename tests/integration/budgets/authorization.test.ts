import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * The authorization matrix of every budgets-module route: a stranger gets 404 (exactly like
 * a budget that does not exist), a viewer 403 on any write, an editor 403 on settings and
 * members, the owner may do everything. Each cell runs on a fresh budget, and a refused
 * write must leave the budget unchanged.
 */
type Role = 'stranger' | 'viewer' | 'editor' | 'owner';

let t: TestSystem;
const people = {} as Record<Role | 'target' | 'newcomer', Account>;

beforeAll(async () => {
  t = await createTestSystem();
  for (const name of ['owner', 'editor', 'viewer', 'stranger', 'target', 'newcomer'] as const) {
    people[name] = await signup(t.app, name);
  }
});
afterAll(() => t.destroy());

async function freshBudget() {
  const budget = await createBudget(t.app, people.owner);
  await addMember(t.app, people.owner, budget.id, people.editor, 'editor');
  await addMember(t.app, people.owner, budget.id, people.viewer, 'viewer');
  await addMember(t.app, people.owner, budget.id, people.target, 'viewer');
  return budget.id;
}

interface RouteCase {
  name: string;
  request: (budgetId: string) => [method: string, path: string, body?: unknown];
  /** Expected status per role. */
  expect: Record<Role, number>;
}

const read = { stranger: 404, viewer: 200, editor: 200, owner: 200 };
const ownerOnly = (ok: number) => ({ stranger: 404, viewer: 403, editor: 403, owner: ok });

const routes: RouteCase[] = [
  { name: 'GET budget', request: (id) => ['GET', `/v1/budgets/${id}`], expect: read },
  { name: 'PATCH budget', request: (id) => ['PATCH', `/v1/budgets/${id}`, { limit: 7 }], expect: ownerOnly(200) },
  { name: 'DELETE budget', request: (id) => ['DELETE', `/v1/budgets/${id}`], expect: ownerOnly(204) },
  { name: 'GET summary', request: (id) => ['GET', `/v1/budgets/${id}/summary?date=2026-11-24`], expect: read },
  { name: 'GET trends', request: (id) => ['GET', `/v1/budgets/${id}/trends?periods=3&date=2026-11-24`], expect: read },
  { name: 'GET limit suggestions', request: (id) => ['GET', `/v1/budgets/${id}/limit-suggestions?basis=average-spent&date=2026-11-24`], expect: read },
  { name: 'GET members', request: (id) => ['GET', `/v1/budgets/${id}/members`], expect: read },
  {
    name: 'POST member',
    request: (id) => ['POST', `/v1/budgets/${id}/members`, { email: people.newcomer.email, role: 'viewer' }],
    expect: ownerOnly(201),
  },
  {
    name: 'PATCH member',
    request: (id) => ['PATCH', `/v1/budgets/${id}/members/${people.target.id}`, { role: 'editor' }],
    expect: ownerOnly(200),
  },
  {
    name: 'DELETE member',
    request: (id) => ['DELETE', `/v1/budgets/${id}/members/${people.target.id}`],
    expect: ownerOnly(204),
  },
];

const cells = routes.flatMap((route) =>
  (['stranger', 'viewer', 'editor', 'owner'] as const).map((role) => [route.name, role, route.expect[role], route] as const),
);

/** Reads and refusals share one budget (a refusal must not change it); successful writes get their own. */
let shared: string | undefined;

describe('authorization matrix', () => {
  it.each(cells)('%s as %s -> %i', async (_name, role, status, route) => {
    const mutates = status < 400 && route.request('x')[0] !== 'GET';
    const budgetId = mutates ? await freshBudget() : (shared ??= await freshBudget());
    const before = await snapshot(budgetId);
    const [method, path, body] = route.request(budgetId);
    const res = await as(t.app, people[role])(method, path, body === undefined ? {} : { body });
    if (status >= 400) {
      expectProblem(res, status);
      // A refused request changes nothing.
      expect(await snapshot(budgetId)).toEqual(before);
    } else {
      expect(res.status, res.text).toBe(status);
    }
  });

  it("tells a stranger nothing more than about a budget that doesn't exist", async () => {
    const budgetId = (shared ??= await freshBudget());
    const hidden = await as(t.app, people.stranger)('GET', `/v1/budgets/${budgetId}`);
    const missing = await as(t.app, people.stranger)('GET', '/v1/budgets/01JDQ4V8M7ZK3X9A2B5C6D7E8F');
    const strip = (r: typeof hidden) => ({ ...r.json, detail: r.json.detail.replace(/Budget \S+ /, 'Budget X ') });
    expect(strip(hidden)).toEqual(strip(missing));
    expect(hidden.status).toBe(missing.status);
  });

  it('answers 401 without a token on every route', async () => {
    const budgetId = (shared ??= await freshBudget());
    for (const route of routes) {
      const [method, path, body] = route.request(budgetId);
      expectProblem(await call(t.app, method, path, body === undefined ? {} : { body }), 401);
    }
  });
});

/** The owner's view of the budget and its members. */
async function snapshot(budgetId: string) {
  const budget = await as(t.app, people.owner)('GET', `/v1/budgets/${budgetId}`);
  const members = await as(t.app, people.owner)('GET', `/v1/budgets/${budgetId}/members`);
  return { budget: budget.json, members: members.json };
}
