import { beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { as, clockSuite, createBudget } from './helpers';

/**
 * A keyed budget copy is several transactions (the new budget, then one per member, rule,
 * definition, profile: packages/budgets/README.md "Copying a budget"). The process dying right
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

  // The copy's key is completed by the middleware after the last step (no transaction carries
  // all of them): a crash after the last step, then the copy deleted (or changed) before the
  // retry, and the retry finds the reserved id free (or the budget at a later version) and
  // copies again under it (or answers the budget as it is now), not the first 201.
  it.todo('retried after the finished copy was deleted: the first 201, not copied again');
});
