import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Team } from './harness';

/**
 * Who may do what, for every expense route: owner and editors write, viewers read (403 on
 * writes), a stranger gets 404 everywhere (the budget's existence is not revealed), no
 * token is a 401.
 */
let h: Harness;
let team: Team;
let expenseId: string;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team();
  const created = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, {
    token: team.owner.token,
    body: { amount: 100, occurredOn: '2026-11-01' },
  });
  expenseId = created.json.id;
});
afterAll(() => h.destroy());

type Route = { name: string; write: boolean; request: () => [string, string, { body?: unknown }] };
const collection = () => `/v1/budgets/${team.budget.id}/expenses`;
const item = () => `${collection()}/${expenseId}`;
const routes: Route[] = [
  { name: 'POST expenses', write: true, request: () => ['POST', collection(), { body: { amount: 5, occurredOn: '2026-11-02' } }] },
  { name: 'GET expenses', write: false, request: () => ['GET', collection(), {}] },
  { name: 'GET expense', write: false, request: () => ['GET', item(), {}] },
  { name: 'PATCH expense', write: true, request: () => ['PATCH', item(), { body: { description: 'changed' } }] },
  { name: 'DELETE expense', write: true, request: () => ['DELETE', item(), {}] },
];

describe.each(routes)('$name', (route) => {
  it('is a 401 without a token', async () => {
    const [method, path, options] = route.request();
    expect((await h.call(method, path, options)).status).toBe(401);
  });

  it('is a 404 for a stranger, the same as for a budget that does not exist', async () => {
    const [method, path, options] = route.request();
    const res = await h.call(method, path, { ...options, token: team.stranger.token });
    expect(res.status).toBe(404);
    const missing = await h.call(method, path.replace(team.budget.id, '01JDNOSUCHBUDGET0000000000'), { ...options, token: team.owner.token });
    expect(missing.status).toBe(404);
    expect(res.json.detail).toBe(missing.json.detail);
  });

  it(route.write ? 'is a 403 for a viewer, and changes nothing' : 'is allowed to a viewer', async () => {
    const before = await h.call('GET', collection(), { token: team.owner.token });
    const [method, path, options] = route.request();
    const res = await h.call(method, path, { ...options, token: team.viewer.token });
    expect(res.status).toBe(route.write ? 403 : 200);
    const after = await h.call('GET', collection(), { token: team.owner.token });
    expect(after.json.items).toEqual(before.json.items);
  });

  // DELETE runs last for each role below, so it deletes a fresh expense each time.
  it.each(['editor', 'owner'] as const)('is allowed to the %s', async (role) => {
    const user = team[role];
    if (route.name === 'DELETE expense') {
      const fresh = await h.call('POST', collection(), { token: team.owner.token, body: { amount: 7, occurredOn: '2026-11-03' } });
      expenseId = fresh.json.id;
    }
    const [method, path, options] = route.request();
    const res = await h.call(method, path, { ...options, token: user.token });
    expect(res.status).toBe({ POST: 201, GET: 200, PATCH: 200, DELETE: 204 }[method]);
  });
});
