import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { holdingWrites } from '../../support/holding-writes';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Account deletion (DELETE /v1/me) racing a write of the same account that creates something
 * the account's user.deleted cleanup must later find (packages/users/docs/account-deletion.md:
 * "Memberships and budgets follow through user.deleted"). The invariant, whatever the order:
 * once user.deleted is handled, no budget of the deleted account and no membership of it is left.
 * A write that read the account before the deletion and commits after the cleanup would
 * leave one nobody ever removes.
 */
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem({ env: { LOG_LEVEL: process.env.DEBUG_LOG ?? 'SILENT' } });
});
afterAll(() => t.destroy());

/** What is left of `user` in the budgets module: budgets they own, and their memberships. */
async function leftOf(user: Actor) {
  const items = await tableItems(t.doc, t.tableName);
  return items.filter((i) => (i.kind === 'budget' && i.ownerId === user.id) || (i.kind === 'member' && i.userId === user.id)).map((i) => `${i.kind} ${i.pk}`);
}

/** DELETE /v1/me as `user`, then user.deleted delivered (its budgets cleanup). */
async function deleteAccount(user: Actor) {
  const res = await as(t.app, user)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));
}

describe('account deletion against the account creating a budget', { timeout: 120_000 }, () => {
  it('a create that read the account before the deletion, written after its cleanup, writes no budget', async () => {
    const alice = await signUp(t.app, 'alice');
    const name = `race-${alice.id}`;
    // The create's transaction (it names the budget's name) is held until the account is
    // deleted and user.deleted handled: the order in which nothing else would remove it.
    const { result: created } = await holdingWrites(t, name, () => deleteAccount(alice), () =>
      as(t.app, alice)('POST', '/v1/budgets', { body: { name, currency: 'USD', period: 'monthly', limit: 1000, categories: [] } }),
    );
    expect(created.status, created.text).toBe(401);
    expect(await leftOf(alice)).toEqual([]);
  });

  it('many rounds sent together leave nothing of the deleted account', async () => {
    for (let round = 0; round < 8; round++) {
      const user = await signUp(t.app, `round${round}`);
      await createBudget(t.app, user, { name: `first ${round}` });
      const [created] = await Promise.all([
        as(t.app, user)('POST', '/v1/budgets', { body: { name: `second ${round}`, currency: 'USD', period: 'monthly', limit: 1000, categories: [] } }),
        deleteAccount(user),
      ]);
      expect([201, 401], created.text).toContain(created.status);
      expect(await leftOf(user), `round ${round}: create answered ${created.status}`).toEqual([]);
    }
  });
});
