import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { addMember } from '../../support/actors';
import { archiveRaceSuite, type RaceBudget as Budget } from '../../support/archive-race';
import { expectProblem } from '../../support/problem';

/**
 * An Idempotency-Key whose request was refused because of ANOTHER resource's state (409
 * `budget-archived`: the budget, which may change) is not the key's final answer (root README
 * "HTTP conventions"): once the budget is unarchived, the SAME request with the SAME key runs and
 * creates (201, not replayed), and only then does the key replay that 201. Checked on the
 * expense create (the key's record in the create's own transaction: on the expense with a
 * ULID key, an item of its own with any other key) and on two creates under the lease
 * middleware (a categorization rule, a settlement). A 400 of the request itself frees the key
 * too: the corrected body with the same key runs.
 */
// A system and a team with a Groceries budget (made before the tests, destroyed after); `h` and `team` are read inside them.
const suite = archiveRaceSuite();

const send = (b: Budget, path: string, key: string, body: unknown) =>
  suite.h.call('POST', `/v1/budgets/${b.id}${path}`, { token: suite.team.owner.token, body, headers: { 'idempotency-key': key } });
const setArchived = async (b: Budget, archived: boolean) => {
  const res = await suite.h.call('POST', `/v1/budgets/${b.id}/${archived ? 'archive' : 'unarchive'}`, { token: suite.team.owner.token });
  expect(res.status, res.text).toBe(200);
};

/** Refused while archived; after unarchiving, the same request and key create; then the key replays that answer. */
async function refusedThenCreated(b: Budget, path: string, key: string, body: unknown) {
  await setArchived(b, true);
  const refused = await send(b, path, key, body);
  expectProblem(refused, 409);
  expect(refused.json.type).toMatch(/budget-archived$/);
  expect(refused.headers.get('idempotent-replayed')).toBeNull();
  await setArchived(b, false);

  const created = await send(b, path, key, body);
  expect(created.status, created.text).toBe(201);
  expect(created.headers.get('idempotent-replayed')).toBeNull();
  const again = await send(b, path, key, body);
  expect(again.status, again.text).toBe(201);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.json.id).toBe(created.json.id);
  return created.json as { id: string };
}

const ids = async (b: Budget, path: string) => ((await suite.h.call('GET', `/v1/budgets/${b.id}${path}`, { token: suite.team.owner.token })).json.items as { id: string }[]).map((i) => i.id);

describe('Idempotency-Key after a 409 budget-archived', { timeout: 120_000 }, () => {
  it('expense create, a ULID key (the record on the expense): the retry after unarchiving creates the expense once', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Groceries'] });
    const key = ulid(Date.parse('2026-11-24T11:59:00Z'));
    const expense = await refusedThenCreated(b, '/expenses', key, { amount: 1_250, merchant: 'Corner Market', occurredOn: '2026-11-20' });
    expect(await ids(b, '/expenses')).toEqual([expense.id]);
  });

  it('expense create, a key that names no time (the record an item of its own): the same', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Groceries'] });
    const expense = await refusedThenCreated(b, '/expenses', 'retry-after-archive-1', { amount: 990, merchant: 'Bakery', occurredOn: '2026-11-21' });
    expect(await ids(b, '/expenses')).toEqual([expense.id]);
  });

  it('categorization rule create (the lease middleware): the retry after unarchiving creates the rule once', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Groceries'] });
    const rule = await refusedThenCreated(b, '/rules', 'rule-after-archive', { merchant: { equals: 'Corner Market' }, categoryId: b.categories[0]!.id });
    expect(await ids(b, '/rules')).toEqual([rule.id]);
  });

  it('settlement record (the lease middleware, budgets module): the retry after unarchiving records it once', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Groceries'] });
    await addMember(suite.h.app, suite.team.owner, b.id, suite.team.editor, 'editor');
    const body = { fromUserId: suite.team.editor.id, toUserId: suite.team.owner.id, amount: 4_200, paidOn: '2026-11-24' };
    const settlement = await refusedThenCreated(b, '/settlements', 'settle-after-archive', body);
    expect(await ids(b, '/settlements')).toEqual([settlement.id]);
  });

  it('a 400 of the request itself frees the key: the corrected body with the same key creates', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Groceries'] });
    const bad = await send(b, '/rules', 'corrected-rule', { merchant: { equals: 'Corner Market' }, categoryId: 'no-such-category' });
    expectProblem(bad, 400);
    const good = await send(b, '/rules', 'corrected-rule', { merchant: { equals: 'Corner Market' }, categoryId: b.categories[0]!.id });
    expect(good.status, good.text).toBe(201);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });
});
