import { beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { as, clockSuite, createBudget, expectProblem, validBudget } from './helpers';

/**
 * The keyed writes of the budgets module whose answer was lost: the process died right after
 * their transaction committed (tests/support/crash-after-commit.ts), the client never got the
 * answer. Each completes its Idempotency-Key INSIDE its own transaction (platform keyCompletion,
 * as the settlement record, settlement-key-crash.test.ts), so its retry once the lease ran out
 * replays the first answer whatever happened since, and writes nothing. Before, a budget create
 * retried after the budget's deletion created it again, a move-money moved the money twice, a
 * period limit PUT set its limit again over a later change, a member add answered 409 "already a
 * member", a member's share change set its share again over a later change.
 */
const suite = clockSuite('2026-11-10T12:00:00Z', ['sam']);
let crash: ReturnType<typeof crashAfterCommit>;
beforeAll(() => {
  crash = crashAfterCommit(suite.accounts.t.doc);
});

const keyOf = (label: string) => appKeys(suite.clock)(label);
/** Past the lease of a key whose record the middleware never completed (platform idempotency.ts): a retry would run again. */
const pastTheLease = () => suite.clock.advance(61_000);

/**
 * The keyed request `send`, its process dying right after its commit: the client never gets the
 * answer. `commitsFirst`: transactions of the request that commit before the one it dies after.
 */
async function lost(send: () => Promise<{ status: number }>, commitsFirst = 0) {
  const res = await crash.during(send, commitsFirst);
  expect(res.status).toBeGreaterThanOrEqual(500);
}

describe('a keyed budgets write whose answer was lost (crash after the commit)', () => {
  it('budget create, retried after the budget was deleted: the first 201 (body, Location, ETag), not created again', async () => {
    const { t, owner } = suite.accounts;
    const call = as(t.app, owner);
    const body = validBudget({ name: 'Crashed create' });
    const key = keyOf('budget-create');
    const create = () => call('POST', '/v1/budgets', { body, headers: { 'idempotency-key': key } });
    // The owner's first budget: its create first starts the owned-budget count, in a transaction
    // of its own (with the account's check, since feat/races7); the process dies after the budget's.
    expect((await call('GET', '/v1/budgets?limit=100')).json.items).toHaveLength(0);
    await lost(create, 1);
    const listed = (await call('GET', '/v1/budgets?limit=100')).json.items.filter((b: { name: string }) => b.name === body.name);
    expect(listed).toHaveLength(1);
    const url = `/v1/budgets/${listed[0].id}`;
    const original = await call('GET', url);
    expect(original.status, original.text).toBe(200);
    const removed = await call('DELETE', url, { headers: { 'if-match': original.headers.get('etag')! } });
    expect(removed.status, removed.text).toBe(204);

    pastTheLease();
    const retry = await create();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(original.json);
    expect(retry.headers.get('location')).toBe(url);
    expect(retry.headers.get('etag')).toBe(original.headers.get('etag'));
    expectProblem(await call('GET', url), 404);
  });

  /** A budget whose two categories both have a limit (money moves between them). */
  async function twoLimits() {
    const { t, owner } = suite.accounts;
    const budget = await createBudget(t.app, owner, { categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Fun', limit: 20_000 }] });
    const [groceries, fun] = budget.categories as { id: string }[];
    return { url: `/v1/budgets/${budget.id}`, groceries: groceries!.id, fun: fun!.id };
  }

  it('move-money, retried: the first 200 (budget, ETag), the money moved once', async () => {
    const call = as(suite.accounts.t.app, suite.accounts.owner);
    const { url, groceries, fun } = await twoLimits();
    const key = keyOf('move-money');
    const move = () => call('POST', `${url}/move-money`, { body: { from: groceries, to: fun, amount: 5_000, date: '2026-11-10' }, headers: { 'idempotency-key': key } });
    await lost(move);
    const moved = await call('GET', url);
    expect(moved.json.periodLimits).toEqual([
      { periodStart: '2026-11-01', categoryId: groceries, limit: 35_000 },
      { periodStart: '2026-11-01', categoryId: fun, limit: 25_000 },
    ].sort((a, b) => a.categoryId.localeCompare(b.categoryId)));

    pastTheLease();
    const retry = await move();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toEqual(moved.json);
    expect(retry.headers.get('etag')).toBe(moved.headers.get('etag'));
    expect((await call('GET', url)).json).toEqual(moved.json);
  });

  it('period limit PUT, retried after another change of that limit: the first 200, the later limit kept', async () => {
    const call = as(suite.accounts.t.app, suite.accounts.owner);
    const { url, fun } = await twoLimits();
    const key = keyOf('period-limit');
    const set = () => call('PUT', `${url}/period-limits`, { body: { categoryId: fun, limit: 30_000, date: '2026-11-10' }, headers: { 'idempotency-key': key } });
    await lost(set);
    const first = await call('GET', url);
    expect(first.json.periodLimits).toEqual([{ periodStart: '2026-11-01', categoryId: fun, limit: 30_000 }]);
    const later = await call('PUT', `${url}/period-limits`, { body: { categoryId: fun, limit: 10_000, date: '2026-11-10' } });
    expect(later.status, later.text).toBe(200);

    pastTheLease();
    const retry = await set();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await call('GET', url)).json).toEqual(later.json);
  });

  it('member add, retried: the first 201 (member, Location, ETag), not a 409', async () => {
    const { t, owner, sam } = suite.accounts;
    const call = as(t.app, owner);
    const budgetId = (await createBudget(t.app, owner)).id;
    const members = `/v1/budgets/${budgetId}/members`;
    const key = keyOf('member-add');
    const add = () => call('POST', members, { body: { email: sam.email, role: 'editor' }, headers: { 'idempotency-key': key } });
    await lost(add);
    const added = ((await call('GET', members)).json.items as { userId: string }[]).find((m) => m.userId === sam.id);
    expect(added).toBeDefined();

    pastTheLease();
    const retry = await add();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(added);
    expect(retry.headers.get('location')).toBe(`${members}/${sam.id}`);
    expect(retry.headers.get('etag')).toBe('"1"');
    expect((await call('GET', members)).json.items).toHaveLength(2);
  });

  it("member share change, retried after a later change of that share: the first 200, the later share kept", async () => {
    const { t, owner, sam } = suite.accounts;
    const call = as(t.app, owner);
    const budgetId = (await createBudget(t.app, owner)).id;
    const added = await call('POST', `/v1/budgets/${budgetId}/members`, { body: { email: sam.email, role: 'editor' } });
    expect(added.status, added.text).toBe(201);
    const url = `/v1/budgets/${budgetId}/members/${sam.id}`;
    const shareOf = async () => ((await call('GET', `/v1/budgets/${budgetId}/members`)).json.items as { userId: string; share: number; version: number }[]).find((m) => m.userId === sam.id)!;
    const key = keyOf('member-share');
    const change = () => call('PATCH', url, { body: { share: 2 }, headers: { 'idempotency-key': key } });
    await lost(change);
    const first = await shareOf();
    expect(first).toMatchObject({ share: 2, version: 2 });
    // The owner's other device sets 3 meanwhile.
    const later = await call('PATCH', url, { body: { share: 3 } });
    expect(later.status, later.text).toBe(200);

    pastTheLease();
    const retry = await change();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toEqual(first);
    expect(retry.headers.get('etag')).toBe('"2"');
    // The later share stands: the retry wrote nothing.
    expect(await shareOf()).toEqual(later.json);
  });
});
