import type { EmailMessage } from '@budgeting/platform';
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
const sent: EmailMessage[] = [];

beforeAll(async () => {
  t = await createTestSystem({ mail: { send: async (m) => void sent.push(m) } });
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

describe('account deletion against the account becoming a member', { timeout: 120_000 }, () => {
  it('an owner adding the account by email, written after its deletion and cleanup, adds no member (404)', async () => {
    const [owner, alice] = [await signUp(t.app, 'owner'), await signUp(t.app, 'alice')];
    const budget = await createBudget(t.app, owner);
    // The add's transaction names the budget (its member count); the deletion's does not.
    const { result: added } = await holdingWrites(t, budget.id, () => deleteAccount(alice), () =>
      as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: alice.email, role: 'editor' } }),
    );
    expect(added.status, added.text).toBe(404);
    expect(await leftOf(alice)).toEqual([]);
    const members = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/members`);
    expect(members.json.items.map((m: { userId: string }) => m.userId)).toEqual([owner.id]);
  });

  it('the account accepting an invitation, written after its deletion and cleanup, becomes no member (401), the invitation stays pending', async () => {
    const [owner, alice] = [await signUp(t.app, 'owner'), await signUp(t.app, 'alice')];
    const budget = await createBudget(t.app, owner);
    const invited = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/invitations`, { body: { email: alice.email, role: 'editor' } });
    expect(invited.status, invited.text).toBe(201);
    const mail = sent.filter((m) => m.to === alice.email).at(-1)!;
    const token = mail.text.match(/[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}/)![0];
    const { result: accepted } = await holdingWrites(t, budget.id, () => deleteAccount(alice), () =>
      as(t.app, alice)('POST', '/v1/invitations/accept', { body: { token } }),
    );
    expect(accepted.status, accepted.text).toBe(401);
    expect(await leftOf(alice)).toEqual([]);
    const pending = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/invitations`);
    expect(pending.json.items.map((i: { email: string }) => i.email)).toEqual([alice.email]);
  });
});
