import { beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { withCommandMiddleware } from '../../support/command-middleware';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { deliver, theEvent } from '../../support/events';
import { as, clockSuite, createBudget, expectProblem } from './helpers';

/**
 * A keyed budget copy is several transactions (the new budget, then one per member, rule,
 * definition, profile: packages/budgets/docs/budget-lifecycle.md "Copying a budget"). The process dying right
 * after the first committed (tests/support/crash-after-commit.ts) leaves a valid budget without
 * its extras; the retry once the lease ran out takes over the key's reserved id, finds that
 * budget and writes only what is missing: one copy, complete. What is left open is the todo
 * below (README, same paragraph).
 */
const suite = clockSuite('2026-11-10T12:00:00Z', ['sam']);
let crash: ReturnType<typeof crashAfterCommit>;
beforeAll(() => {
  crash = crashAfterCommit(suite.accounts.t.doc);
});

describe('a keyed budget copy whose process died after its first transaction', () => {
  it('retried: the same copy finished (members added), not a second budget', async () => {
    const { t, owner, sam } = suite.accounts;
    const call = as(t.app, owner);
    const source = await createBudget(t.app, owner, { name: 'Crash source' });
    const added = await call('POST', `/v1/budgets/${source.id}/members`, { body: { email: sam.email, role: 'editor' } });
    expect(added.status, added.text).toBe(201);
    const key = appKeys(suite.clock)('copy');
    const copy = () => call('POST', `/v1/budgets/${source.id}/copy`, { body: { name: 'Crash copy', include: { members: true } }, headers: { 'idempotency-key': key } });

    const lost = await crash.during(copy);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const copies = () => call('GET', '/v1/budgets?limit=100').then((r) => (r.json.items as { id: string; name: string }[]).filter((b) => b.name === 'Crash copy'));
    const half = await copies();
    expect(half).toHaveLength(1);
    // Half a copy: the budget and its owner, not yet the member.
    expect((await call('GET', `/v1/budgets/${half[0]!.id}/members`)).json.items).toHaveLength(1);

    suite.clock.advance(61_000);
    const retry = await copy();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json.id).toBe(half[0]!.id);
    expect(await copies()).toHaveLength(1);
    expect(((await call('GET', `/v1/budgets/${half[0]!.id}/members`)).json.items as { userId: string }[]).map((m) => m.userId).sort()).toEqual([owner.id, sam.id].sort());
  });

  it('its half deleted before the retry: the retry answers 409 and does not make the deleted budget again under its id', async () => {
    const { t, owner, sam } = suite.accounts;
    const call = as(t.app, owner);
    const source = await createBudget(t.app, owner, { name: 'Deleted half source' });
    const added = await call('POST', `/v1/budgets/${source.id}/members`, { body: { email: sam.email, role: 'editor' } });
    expect(added.status, added.text).toBe(201);
    const rule = await call('POST', `/v1/budgets/${source.id}/rules`, { body: { merchant: { contains: 'bakery' }, categoryId: source.categories[0]!.id } });
    expect(rule.status, rule.text).toBe(201);
    const key = appKeys(suite.clock)('copy');
    const copy = () => call('POST', `/v1/budgets/${source.id}/copy`, { body: { name: 'Deleted half copy', include: { members: true } }, headers: { 'idempotency-key': key } });
    const copies = () => call('GET', '/v1/budgets?limit=100').then((r) => (r.json.items as { id: string; name: string }[]).filter((b) => b.name === 'Deleted half copy'));
    expect((await crash.during(copy)).status).toBeGreaterThanOrEqual(500);
    const [half] = await copies();
    // The owner deletes the half-made copy (its whole cascade runs), then the client retries its request.
    expect((await call('DELETE', `/v1/budgets/${half!.id}`)).status).toBe(204);
    await deliver(t, await theEvent(t, 'budget.deleted', { budgetId: half!.id }));

    suite.clock.advance(61_000);
    // Before: the budget was created again under the deleted one's id (back in the owner's list,
    // among the deleted one's closed markers: its rules, recurring expenses and profiles refused,
    // its activity not logged), and the answer was the 409 of a copy deleted while it was made.
    const retry = await copy();
    expectProblem(retry, 409);
    expect(retry.json.detail).toMatch(/deleted before it was finished/);
    expect((await call('GET', `/v1/budgets/${half!.id}`)).status).toBe(404);
    expect(await copies()).toEqual([]);
    // The key stays with the request whose first attempt failed after a commit (a refusal of a
    // lease taken over from a failure keeps it, as the failure did): sent again, the same 409, as
    // its detail says; a new key makes a new copy, whole.
    expectProblem(await copy(), 409);
    const again = await call('POST', `/v1/budgets/${source.id}/copy`, { body: { name: 'Deleted half copy', include: { members: true } }, headers: { 'idempotency-key': appKeys(suite.clock)('copy again') } });
    expect(again.status, again.text).toBe(201);
    expect(again.json.id).not.toBe(half!.id);
    expect((await call('GET', `/v1/budgets/${again.json.id}/members`)).json.items).toHaveLength(2);
  });
});

/**
 * The process dying right after the LAST step's commit (the copy complete, before the key's
 * completion written after it), then the copy deleted or changed before the retry: the retry
 * replays the first 201, it neither copies again under the reserved id nor answers the copy as
 * it is now. The last step is a member's addition, a copied rule (the expenses module's write)
 * or, with nothing to add, the budget's creation.
 */
describe('a keyed budget copy whose process died after its last transaction', () => {
  const copies = (name: string) =>
    as(suite.accounts.t.app, suite.accounts.owner)('GET', '/v1/budgets?limit=100').then((r) => (r.json.items as { id: string; name: string }[]).filter((b) => b.name === name));

  /** The copy made under a key, dying after its last of `transactions`; its id, and the retry. */
  async function crashedCopy(name: string, include: Record<string, boolean>, transactions: number, prepare?: (sourceId: string) => Promise<void>) {
    const { t, owner } = suite.accounts;
    const call = as(t.app, owner);
    const source = await createBudget(t.app, owner, { name: `${name} source` });
    await prepare?.(source.id);
    const key = appKeys(suite.clock)('copy');
    const copy = () => call('POST', `/v1/budgets/${source.id}/copy`, { body: { name, include }, headers: { 'idempotency-key': key } });
    const lost = await crash.during(copy, transactions - 1);
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const made = await copies(name);
    expect(made).toHaveLength(1);
    return { call, copyId: made[0]!.id, retry: copy };
  }

  const cases: [string, Record<string, boolean>, number, ((sourceId: string) => Promise<void>) | undefined][] = [
    ['a member added last', { members: true, rules: false, importProfiles: false }, 2, async (sourceId) => {
      const added = await as(suite.accounts.t.app, suite.accounts.owner)('POST', `/v1/budgets/${sourceId}/members`, { body: { email: suite.accounts.sam.email, role: 'viewer' } });
      expect(added.status, added.text).toBe(201);
    }],
    ['a rule copied last', { rules: true, importProfiles: false }, 2, async (sourceId) => {
      const call = as(suite.accounts.t.app, suite.accounts.owner);
      const budget = (await call('GET', `/v1/budgets/${sourceId}`)).json as { categories: { id: string }[] };
      const rule = await call('POST', `/v1/budgets/${sourceId}/rules`, { body: { merchant: { contains: 'bakery' }, categoryId: budget.categories[0]!.id } });
      expect(rule.status, rule.text).toBe(201);
    }],
    ['nothing but the budget', { rules: false, importProfiles: false }, 1, undefined],
  ];

  /** The retry once the crashed attempt's lease ran out: the first 201 replayed (version 1), not a copy made again. */
  async function retriedAfterLease<R extends { status: number; text: string; headers: Headers; json: unknown }>(retry: () => Promise<R>, copyId: string, name: string): Promise<R> {
    suite.clock.advance(61_000);
    const again = await retry();
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toMatchObject({ id: copyId, name, version: 1 });
    return again;
  }

  it.each(cases)('%s, then deleted: the retry replays the first 201, no second copy', async (label, include, transactions, prepare) => {
    const name = `Deleted copy ${label}`;
    const { call, copyId, retry } = await crashedCopy(name, include, transactions, prepare);
    const deleted = await call('DELETE', `/v1/budgets/${copyId}`);
    expect(deleted.status, deleted.text).toBe(204);

    const again = await retriedAfterLease(retry, copyId, name);
    expect(again.headers.get('location')).toBe(`/v1/budgets/${copyId}`);
    expect(await copies(name)).toEqual([]);
  });

  it.each(cases)('%s, then renamed: the retry replays the first 201 (version 1), not the copy as it is now', async (label, include, transactions, prepare) => {
    const name = `Changed copy ${label}`;
    const { call, copyId, retry } = await crashedCopy(name, include, transactions, prepare);
    const renamed = await call('PATCH', `/v1/budgets/${copyId}`, { body: { name: `${name} renamed` } });
    expect(renamed.status, renamed.text).toBe(200);

    const again = await retriedAfterLease(retry, copyId, name);
    expect(again.headers.get('etag')).toBe('"1"');
  });
});

/**
 * The key's completion must be the copy's LAST write (packages/budgets/docs/budget-lifecycle.md "Copying a budget": no write after
 * it). Which step is last is decided from the first read of the source's contents; a rule added
 * to the source after that read (here: right after the copy's create committed) must not make
 * the copy write after its completion: a crash among those later writes would leave a retry
 * replaying the 201 of a copy still being written.
 */
describe('a keyed budget copy whose source gains a rule while it is made', () => {
  it('writes nothing after the transaction carrying the key\'s completion', async () => {
    const { t, owner } = suite.accounts;
    const call = as(t.app, owner);
    const source = await createBudget(t.app, owner, { name: 'Growing source' });
    const categoryId = ((await call('GET', `/v1/budgets/${source.id}`)).json as { categories: { id: string }[] }).categories[0]!.id;
    const key = appKeys(suite.clock)('copy');
    // Each transaction of the copy request: does it carry the key's completion?
    const transactions: boolean[] = [];
    let copying = false;
    await withCommandMiddleware(
      t.doc,
      'copyWatchingTransactions',
      (next, context) => async (args) => {
        if (!copying || context.commandName !== 'TransactWriteItemsCommand') return next(args);
        const out = await next(args);
        const items = (args.input as { TransactItems: Record<string, { Key?: { pk?: string } }>[] }).TransactItems;
        transactions.push(items.some((item) => Object.values(item).some((op) => String(op.Key?.pk ?? '').startsWith('idempotency#'))));
        if (transactions.length === 1) {
          // The copy's budget is created: a member of the source adds a rule to it now.
          copying = false;
          const rule = await call('POST', `/v1/budgets/${source.id}/rules`, { body: { merchant: { contains: 'late' }, categoryId } });
          expect(rule.status, rule.text).toBe(201);
          copying = true;
        }
        return out;
      },
      async () => {
        try {
          copying = true;
          const copied = await call('POST', `/v1/budgets/${source.id}/copy`, { body: { name: 'Growing copy', include: { rules: true, importProfiles: false } }, headers: { 'idempotency-key': key } });
          copying = false;
          expect(copied.status, copied.text).toBe(201);
        } finally {
          copying = false;
        }
      },
    );
    expect(transactions).toContain(true);
    // Nothing after the completion's transaction.
    expect(transactions.lastIndexOf(true)).toBe(transactions.length - 1);
  });
});
