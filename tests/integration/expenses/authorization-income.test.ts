import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addMember, as, createBudget, expectProblem, signup, type Account } from '../budgets/helpers';

/**
 * The authorization matrix of the routes added on 2026-12-04/05 (recurring income with its
 * sub-routes, the cash flow forecast, Age of Money, ready to assign, the income list's
 * recurringIncomeId filter, offline push of income), as budgets/authorization.test.ts's of
 * the budgets routes: a stranger gets exactly what a budget that does not exist gets (404), a
 * viewer reads but every write is a 403 problem+json, an editor writes, an archived budget
 * refuses every write with 409 budget-archived, another budget's resource id under this
 * budget's path is a 404 (never the other budget's data), and a `read` personal access token
 * cannot write (403 insufficient-scope). A refused write changes nothing the owner can read.
 */
type Role = 'stranger' | 'viewer' | 'editor' | 'owner';
const ROLES = ['stranger', 'viewer', 'editor', 'owner'] as const;
const MISSING_BUDGET = '01JDQ4V8M7ZK3X9A2B5C6D7E8F';

let t: TestSystem;
const people = {} as Record<Role, Account>;
let readToken: Account;

beforeAll(async () => {
  t = await createTestSystem();
  for (const name of ROLES) people[name] = await signup(t.app, name);
  const pat = await as(t.app, people.owner)('POST', '/v1/me/tokens', { body: { name: 'Dashboard', scope: 'read' } });
  expect(pat.status, pat.text).toBe(201);
  readToken = { ...people.owner, token: pat.json.token };
});
afterAll(() => t.destroy());

/** A budget with the team, a recurring income (daily, so record-next and skip have a next one) and an income entry it recorded. */
async function seeded() {
  const budget = await createBudget(t.app, people.owner);
  await addMember(t.app, people.owner, budget.id, people.editor, 'editor');
  await addMember(t.app, people.owner, budget.id, people.viewer, 'viewer');
  const owner = as(t.app, people.owner);
  const def = await owner('POST', `/v1/budgets/${budget.id}/recurring-income`, { body: { amount: 250_000, source: 'Employer', schedule: { frequency: 'daily' } } });
  expect(def.status, def.text).toBe(201);
  const recorded = await owner('POST', `/v1/budgets/${budget.id}/recurring-income/${def.json.id}/record-next`);
  expect(recorded.status, recorded.text).toBe(200);
  return { budgetId: budget.id, definitionId: def.json.id as string, entryId: recorded.json.income.id as string };
}
type Seeded = Awaited<ReturnType<typeof seeded>>;

interface RouteCase {
  name: string;
  request: (s: Seeded) => [method: string, path: string, body?: unknown];
  /** 200 or 201 or 204 for a write that succeeds; reads are any member's. */
  write?: number;
}

const b = (s: Seeded) => `/v1/budgets/${s.budgetId}`;
const pushIncome = () => ({ mutations: [{ type: 'income', op: 'create', income: { amount: 1_000, receivedOn: '2026-11-20', source: 'Refund' } }] });

const routes: RouteCase[] = [
  { name: 'GET recurring-income', request: (s) => ['GET', `${b(s)}/recurring-income`] },
  { name: 'GET recurring-income/{id}', request: (s) => ['GET', `${b(s)}/recurring-income/${s.definitionId}`] },
  { name: 'GET recurring-income/upcoming', request: (s) => ['GET', `${b(s)}/recurring-income/upcoming`] },
  { name: 'GET cash-flow/forecast', request: (s) => ['GET', `${b(s)}/cash-flow/forecast`] },
  { name: 'GET age-of-money', request: (s) => ['GET', `${b(s)}/age-of-money`] },
  { name: 'GET assignable', request: (s) => ['GET', `${b(s)}/assignable`] },
  { name: 'GET income?recurringIncomeId=', request: (s) => ['GET', `${b(s)}/income?recurringIncomeId=${s.definitionId}`] },
  { name: 'POST recurring-income', request: (s) => ['POST', `${b(s)}/recurring-income`, { amount: 100, schedule: { frequency: 'monthly' } }], write: 201 },
  { name: 'PATCH recurring-income/{id}', request: (s) => ['PATCH', `${b(s)}/recurring-income/${s.definitionId}`, { amount: 260_000 }], write: 200 },
  { name: 'DELETE recurring-income/{id}', request: (s) => ['DELETE', `${b(s)}/recurring-income/${s.definitionId}`], write: 204 },
  { name: 'POST recurring-income/{id}/skip', request: (s) => ['POST', `${b(s)}/recurring-income/${s.definitionId}/skip`], write: 200 },
  { name: 'POST recurring-income/{id}/record-next', request: (s) => ['POST', `${b(s)}/recurring-income/${s.definitionId}/record-next`], write: 200 },
  { name: 'POST changes (income create)', request: (s) => ['POST', `${b(s)}/changes`, pushIncome()], write: 200 },
];
const reads = routes.filter((r) => r.write === undefined);
const writes = routes.filter((r) => r.write !== undefined);

/** What the owner can read of the budget's income and recurring income: a refused write must leave it as it was. */
async function snapshot(s: Seeded) {
  const owner = as(t.app, people.owner);
  const [defs, income] = await Promise.all([owner('GET', `${b(s)}/recurring-income`), owner('GET', `${b(s)}/income?limit=100`)]);
  return { defs: defs.json, income: income.json };
}

const call = (who: Account, [method, path, body]: [string, string, unknown?]) => as(t.app, who)(method, path, body === undefined ? {} : { body });

/** Reads and refusals share one budget (a refusal must not change it); successful writes get their own. */
let shared: Seeded | undefined;
const sharedBudget = async () => (shared ??= await seeded());

describe('authorization matrix of the income routes of 2026-12-04/05', { timeout: 120_000 }, () => {
  const cells = routes.flatMap((route) =>
    ROLES.map((role) => {
      const status = role === 'stranger' ? 404 : route.write === undefined ? 200 : role === 'viewer' ? 403 : route.write;
      return [route.name, role, status, route] as const;
    }),
  );

  it.each(cells)('%s as %s -> %i', async (_name, role, status, route) => {
    const s = status < 400 && route.write !== undefined ? await seeded() : await sharedBudget();
    const before = await snapshot(s);
    const res = await call(people[role], route.request(s));
    if (status >= 400) {
      expectProblem(res, status);
      expect(await snapshot(s)).toEqual(before);
    } else {
      expect(res.status, res.text).toBe(status);
      if (route.name.startsWith('POST changes')) expect(res.json.results[0].status, res.text).toBe('applied');
    }
  });

  it.each(routes.map((r) => [r.name, r] as const))('%s: a stranger gets what a budget that does not exist gets', async (_name, route) => {
    const s = await sharedBudget();
    const hidden = await call(people.stranger, route.request(s));
    const missing = await call(people.stranger, route.request({ ...s, budgetId: MISSING_BUDGET }));
    const strip = (r: typeof hidden) => ({ ...r.json, detail: String(r.json.detail).replaceAll(s.budgetId, 'X').replaceAll(MISSING_BUDGET, 'X') });
    expect(hidden.status).toBe(missing.status);
    expect(strip(hidden)).toEqual(strip(missing));
  });

  it.each(writes.map((r) => [r.name, r] as const))('%s: a read personal access token may not write (403 insufficient-scope)', async (_name, route) => {
    const s = await sharedBudget();
    const before = await snapshot(s);
    const res = await call(readToken, route.request(s));
    expectProblem(res, 403);
    expect(res.json.type).toBe('https://budgeting.dev/problems/insufficient-scope');
    expect(await snapshot(s)).toEqual(before);
  });

  it('a read personal access token reads every new route', async () => {
    const s = await sharedBudget();
    for (const route of reads) expect((await call(readToken, route.request(s))).status, route.name).toBe(200);
  });
});

describe('an archived budget refuses the writes with 409 budget-archived, reads still answer', { timeout: 120_000 }, () => {
  let archived: Seeded;
  beforeAll(async () => {
    archived = await seeded();
    expect((await as(t.app, people.owner)('POST', `${b(archived)}/archive`)).status).toBe(200);
  });

  it.each(writes.map((r) => [r.name, r] as const))('%s as the editor', async (_name, route) => {
    const before = await snapshot(archived);
    const res = await call(people.editor, route.request(archived));
    // The push too: its whole-batch access check refuses an archived budget before any mutation.
    expectProblem(res, 409);
    expect(res.json.type).toMatch(/budget-archived$/);
    expect(await snapshot(archived)).toEqual(before);
  });

  it.each(reads.map((r) => [r.name, r] as const))('%s as the viewer', async (_name, route) => {
    expect((await call(people.viewer, route.request(archived))).status).toBe(200);
  });
});

describe("another budget's resource under this budget's path is a 404, never the other budget's data", { timeout: 120_000 }, () => {
  let here: Seeded;
  let there: Seeded;
  beforeAll(async () => {
    [here, there] = [await seeded(), await seeded()];
  });
  /** This budget's path with the other budget's definition and entry ids (the owner is the owner of both). */
  const crossed = () => ({ ...here, definitionId: there.definitionId, entryId: there.entryId });
  const probe = { budgetId: 'B', definitionId: 'D', entryId: 'E' };
  const byId = routes.filter((r) => r.request(probe)[1].includes('/recurring-income/D'));

  it.each(byId.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    const [beforeHere, beforeThere] = [await snapshot(here), await snapshot(there)];
    expectProblem(await call(people.owner, route.request(crossed())), 404);
    expect(await snapshot(here)).toEqual(beforeHere);
    expect(await snapshot(there)).toEqual(beforeThere);
  });

  it("GET income?recurringIncomeId= of the other budget's definition lists none of its entries", async () => {
    // A filter, as the expenses' recurringExpenseId: no entry of this budget matches it (an empty
    // page, as for an id that exists nowhere); the other budget's entry is in its own partition.
    const res = await call(people.owner, ['GET', `${b(here)}/income?recurringIncomeId=${there.definitionId}`]);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toEqual([]);
    const own = await call(people.owner, ['GET', `${b(there)}/income?recurringIncomeId=${there.definitionId}`]);
    expect(own.json.items.map((i: { id: string }) => i.id)).toEqual([there.entryId]);
  });

  it("a push's income update or delete of the other budget's entry id is a conflict {deleted} and leaves that entry as it was", async () => {
    const beforeThere = await snapshot(there);
    const res = await call(people.owner, [
      'POST',
      `${b(here)}/changes`,
      {
        mutations: [
          { type: 'income', op: 'update', id: there.entryId, baseVersion: 1, patch: { amount: 1 } },
          { type: 'income', op: 'delete', id: there.entryId, baseVersion: 1 },
        ],
      },
    ]);
    expect(res.status, res.text).toBe(200);
    for (const result of res.json.results) {
      expect(result.status, res.text).toBe('conflict');
      expect(result.current).toMatchObject({ id: there.entryId, deleted: true });
    }
    expect(await snapshot(there)).toEqual(beforeThere);
  });
});
