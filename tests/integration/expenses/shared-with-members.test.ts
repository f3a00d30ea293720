import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, inOneCounterState, readsChangeCounter, writeItemsOf } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * An expense's `sharedWith` checked against the budget's members (DynamoDB Local, through
 * HTTP): a user who is no member (a stranger, a typo, someone who left) is a 400 naming
 * `sharedWith.<n>` (n its index as sent, one error each), nothing written; the check rides the
 * write's own transaction (one ConditionCheck per named user other than the writer), so a
 * create without `sharedWith` sends exactly what it sent before.
 */
let h: Harness;
let team: Team;
let former: Awaited<ReturnType<Harness['signup']>>;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries'] });
  former = await h.signup('former');
});
afterAll(() => h.destroy());

const NOT_A_MEMBER = 'Not a member of this budget';
const path = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const post = (b: Budget, body: Record<string, unknown>) => h.call('POST', path(b), { token: team.owner.token, body });
const patch = (b: Budget, id: string, body: Record<string, unknown>) => h.call('PATCH', `${path(b)}/${id}`, { token: team.owner.token, body });
const spent = async (b: Budget) => (await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-11-15`, { token: team.owner.token })).json.spent as number;
const changes = async (b: Budget) => (await h.call('GET', `/v1/budgets/${b.id}/changes`, { token: team.owner.token })).json;

/** A budget of the owner with the editor, and `former`, who was an editor and left. */
async function household(): Promise<Budget> {
  const b = await h.createBudget(team.owner, { categories: ['Groceries'] });
  await h.addMember(b, team.owner, team.editor, 'editor');
  await h.addMember(b, team.owner, former, 'editor');
  return b;
}
async function leave(b: Budget) {
  const res = await h.call('DELETE', `/v1/budgets/${b.id}/members/${former.id}`, { token: former.token });
  expect(res.status, res.text).toBe(204);
}

/** What the budget shows: its expenses, its spending, its change feed. */
const state = async (b: Budget) => ({ list: await h.listExpenses(b, team.owner.token), spent: await spent(b), changes: await changes(b) });

describe('sharedWith names members only', { timeout: 120_000 }, () => {
  it('POST: members (and the writer) 201; a stranger 400 naming sharedWith.1, one error per bad id, nothing written', async () => {
    const b = await household();
    const ok = await post(b, { amount: 1_000, occurredOn: '2026-11-10', sharedWith: [team.owner.id, team.editor.id] });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.sharedWith).toEqual([team.owner.id, team.editor.id].sort());
    const before = await state(b);
    expect(before.spent).toBe(1_000);

    // The checked create (a day named) and the read-first one (no day) alike.
    for (const day of [{ occurredOn: '2026-11-11' }, {}]) {
      const res = await post(b, { amount: 500, ...day, sharedWith: [team.editor.id, team.stranger.id] });
      expectProblem(res, 400);
      expect(res.json.errors).toEqual([{ path: 'sharedWith.1', message: NOT_A_MEMBER }]);
    }
    // Someone who left is no member either; two bad ids: two errors, by their index as sent.
    await leave(b);
    const two = await post(b, { amount: 500, occurredOn: '2026-11-11', sharedWith: [team.stranger.id, team.owner.id, former.id] });
    expectProblem(two, 400);
    expect(two.json.errors).toEqual([
      { path: 'sharedWith.0', message: NOT_A_MEMBER },
      { path: 'sharedWith.2', message: NOT_A_MEMBER },
    ]);
    // With an Idempotency-Key too (the key's id path), and the key stays unused.
    const keyed = await h.call('POST', path(b), {
      token: team.owner.token,
      headers: { 'Idempotency-Key': 'shared-with-stranger-1' },
      body: { amount: 500, occurredOn: '2026-11-11', sharedWith: [team.stranger.id] },
    });
    expectProblem(keyed, 400);
    expect(keyed.json.errors).toEqual([{ path: 'sharedWith.0', message: NOT_A_MEMBER }]);
    // The caller's own access answers first: a viewer 403, someone no member 404.
    const as = (who: Team['owner']) => h.call('POST', path(b), { token: who.token, body: { amount: 500, occurredOn: '2026-11-11', sharedWith: [team.stranger.id] } });
    await h.addMember(b, team.owner, team.viewer, 'viewer');
    expectProblem(await as(team.viewer), 403);
    expectProblem(await as(team.stranger), 404);
    expect(await state(b)).toEqual(before);
  });

  it('PATCH: a member 200; a stranger 400 naming sharedWith.<n>, the expense as it was; a former member already on it may stay', async () => {
    const b = await household();
    const created = await post(b, { amount: 2_000, occurredOn: '2026-11-12', sharedWith: [former.id, team.editor.id] });
    expect(created.status, created.text).toBe(201);
    await leave(b);
    // History: the id of someone who left stays on the expense, and a PATCH sending the list back keeps it.
    const resent = await patch(b, created.json.id, { amount: 2_100, sharedWith: [team.editor.id, former.id] });
    expect(resent.status, resent.text).toBe(200);
    expect(resent.json.sharedWith).toEqual([former.id, team.editor.id].sort());
    const before = await state(b);
    expect(before.spent).toBe(2_100);

    const bad = await patch(b, created.json.id, { amount: 9_999, sharedWith: [team.owner.id, team.editor.id, team.stranger.id] });
    expectProblem(bad, 400);
    expect(bad.json.errors).toEqual([{ path: 'sharedWith.2', message: NOT_A_MEMBER }]);
    expect(await state(b)).toEqual(before);
    expect((await h.call('GET', `${path(b)}/${created.json.id}`, { token: team.owner.token })).json.version).toBe(2);

    const good = await patch(b, created.json.id, { sharedWith: [team.editor.id] });
    expect(good.status, good.text).toBe(200);
    expect(good.json).toMatchObject({ sharedWith: [team.editor.id], version: 3 });
  });

  it('offline push: the mutation naming a stranger is answered as other invalid ones, the others apply', async () => {
    const b = await household();
    const ok = '01JDX3Q7K9M2N4P6R8S0T1V3W7';
    const res = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: {
        mutations: [
          { op: 'create', expense: { amount: 300, occurredOn: '2026-11-10', sharedWith: [team.stranger.id] } },
          { op: 'create', id: ok, expense: { amount: 400, occurredOn: '2026-11-10', sharedWith: [team.editor.id] } },
          { op: 'update', id: ok, baseVersion: 1, patch: { sharedWith: [team.editor.id, team.stranger.id] } },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    const [first, second, third] = res.json.results;
    expect(first).toMatchObject({ status: 'error', problem: { status: 400, errors: [{ path: 'sharedWith.0', message: NOT_A_MEMBER }] } });
    expect(second).toMatchObject({ status: 'applied', version: 1, expense: { id: ok, sharedWith: [team.editor.id] } });
    expect(third).toMatchObject({ status: 'error', problem: { status: 400, errors: [{ path: 'sharedWith.1', message: NOT_A_MEMBER }] } });
    const listed = await h.listExpenses(b, team.owner.token);
    expect(listed.map((e) => [e.id, e.amount, e.version, e.sharedWith])).toEqual([[ok, 400, 1, [team.editor.id]]]);
    expect(await spent(b)).toBe(400);
  });

  it('costs no request: without sharedWith the create sends its one transaction as before; each named user but the writer adds one ConditionCheck', async () => {
    const b = await household();
    const sentBy = async (body: Record<string, unknown>) => {
      const { result, sent } = await commandsSentDuring(h.t.doc, () => post(b, body));
      expect(result.status, result.text).toBe(201);
            return { requests: sent.map((c) => c.name), items: (writeItemsOf(sent) as Record<string, unknown>[]).map((i) => Object.keys(i)[0]), counterRead: readsChangeCounter(sent) };
    };
    const [plain, shared] = await inOneCounterState(
      () => sentBy({ amount: 10, occurredOn: '2026-11-02' }),
      () => sentBy({ amount: 10, occurredOn: '2026-11-02', sharedWith: [team.editor.id, team.owner.id, former.id] }),
    );
    // Hand-worked, as before this check existed: the expense's Put, its month's totals Update,
    // the change stamp (counter Update, entry Put), the writer's membership ConditionCheck (the
    // account check that may ride along is left out: writeItemsOf).
    expect(plain.items).toEqual(['Put', 'Update', 'Update', 'Put', 'ConditionCheck']);
    expect(shared.requests).toEqual(plain.requests);
    // The editor's and former's memberships (the owner writes: already checked).
    expect(shared.items).toEqual([...plain.items.slice(0, 5), 'ConditionCheck', 'ConditionCheck']);
    const [withOwnId] = await inOneCounterState(
      () => sentBy({ amount: 10, occurredOn: '2026-11-02', sharedWith: [team.owner.id] }),
      () => sentBy({ amount: 10, occurredOn: '2026-11-02' }),
    );
    expect(withOwnId.items).toHaveLength(plain.items.length);
  });
});
