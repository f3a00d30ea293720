import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, outboxEvents } from '../../support/events';
import { withCommandMiddleware } from '../../support/command-middleware';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The members list's name and email snapshots (packages/budgets/docs/members.md) while two
 * changes of the account are refreshed at once: user.name_changed (or email_changed) queues a
 * refresh that reads the account's CURRENT details and writes them on each membership. A refresh
 * that read the account before the second change and writes after the second change's refresh
 * must not put the older details back. The invariant, whatever the order: once every refresh has
 * run, each membership shows what the account has now.
 *
 * Driven without sleeps: the first refresh's write of the membership is held until the account
 * was renamed again and that rename's refresh has run.
 */
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  owner = await signUp(t.app, 'owner');
});
afterAll(() => t.destroy());

async function rename(who: Actor, name: string) {
  const res = await as(t.app, who)('PATCH', '/v1/me', { body: { name } });
  expect(res.status, res.text).toBe(200);
  const events = (await outboxEvents(t, 'user.name_changed')).filter((e) => e.envelope.data.userId === who.id);
  return events[events.length - 1]!;
}

async function nameShown(budgetId: string, member: Actor) {
  const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/members`);
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { userId: string; name: string | null }[]).find((m) => m.userId === member.id)?.name;
}

describe("a member's name snapshot while two renames are refreshed at once", { timeout: 120_000 }, () => {
  it('a refresh that read the account before the second rename does not put the first name back', async () => {
    const member = await signUp(t.app, 'renamer');
    const budget = await createBudget(t.app, owner, { name: 'Shared' });
    await addMember(t.app, owner, budget.id, member, 'editor');
    const first = await rename(member, 'First Name');
    await holdingFirstWrite(t, `member#${member.id}`, async () => deliver(t, await rename(member, 'Second Name')), () => deliver(t, first));
    expect(await nameShown(budget.id, member)).toBe('Second Name');
    // Delivered again (a retry of the first): still the name the account has.
    await deliver(t, first);
    expect(await nameShown(budget.id, member)).toBe('Second Name');
  });

  it('a refresh that read the account before the second rename does not write the first name over a membership added since with the second', async () => {
    const member = await signUp(t.app, 'joiner');
    const budget = await createBudget(t.app, owner, { name: 'Joined later' });
    const first = await rename(member, 'Early Name');
    // The first rename's refresh has read the account; its query of the memberships is held
    // while the account is renamed again, that refresh runs (no membership yet: nothing to
    // write), and the owner adds the member (their snapshot: the second name).
    let held = false;
    await withCommandMiddleware(
      t.doc,
      'holdMembershipQuery',
      (next, context) => async (args) => {
        if (!held && context.commandName === 'QueryCommand' && JSON.stringify(args.input).includes(member.id)) {
          held = true;
          await deliver(t, await rename(member, 'Later Name'));
          await addMember(t.app, owner, budget.id, member, 'editor');
        }
        return next(args);
      },
      () => deliver(t, first),
    );
    expect(held).toBe(true);
    expect(await nameShown(budget.id, member)).toBe('Later Name');
  });
});
