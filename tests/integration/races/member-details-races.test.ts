import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localJobQueue } from '../../../packages/app/src/local/jobs-runtime';
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
const sent: EmailMessage[] = [];

beforeAll(async () => {
  t = await createTestSystem({ mail: { send: async (m) => void sent.push(m) } });
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

/**
 * A membership's creation reads the member's details (name A, profile version n), the member
 * renames to B and that rename's refresh runs (the new membership does not exist yet: nothing to
 * write), then the creation commits. It must not commit A: the creation's transaction checks the
 * profile is still at version n, and on a change reads the details again.
 */
describe('a membership created with details read just before a rename whose refresh ran first', { timeout: 120_000 }, () => {
  const INVITATION_CODE = /[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}/;

  /** Holds the first write naming `who`'s membership until `who` was renamed to `name` and the rename's refresh ran. */
  const renamedMeanwhile = <T>(who: Actor, name: string, work: () => Promise<T>) =>
    holdingFirstWrite(t, `member#${who.id}`, async () => deliver(t, await rename(who, name)), work);

  it('POST members shows the name the member has now', async () => {
    const member = await signUp(t.app, 'added');
    const budget = await createBudget(t.app, owner, { name: 'Added during a rename' });
    await rename(member, 'Read Name');
    await renamedMeanwhile(member, 'Renamed Meanwhile', () => addMember(t.app, owner, budget.id, member, 'editor'));
    expect(await nameShown(budget.id, member)).toBe('Renamed Meanwhile');
  });

  it('POST members gives up with a 503 (Retry-After) when the account changes before each of its three attempts, adding no member', async () => {
    const member = await signUp(t.app, 'restless');
    const budget = await createBudget(t.app, owner, { name: 'Never still' });
    let attempts = 0;
    const res = await withCommandMiddleware(
      t.doc,
      'renameBeforeEveryAdd',
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes(`member#${member.id}`)) {
          attempts++;
          await rename(member, `Name ${attempts}`);
        }
        return next(args);
      },
      () => as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: member.email, role: 'editor' } }),
    );
    expect(res.status, res.text).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(attempts).toBe(3);
    expect(await nameShown(budget.id, member)).toBeUndefined();
  });

  it('POST members still answers 404 naming email when the account, changed before two attempts, is deleted before the last one', async () => {
    const member = await signUp(t.app, 'leaving');
    const budget = await createBudget(t.app, owner, { name: 'Left while being added' });
    let attempts = 0;
    const res = await withCommandMiddleware(
      t.doc,
      'renameThenDeleteBeforeAdds',
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes(`member#${member.id}`)) {
          attempts++;
          if (attempts < 3) await rename(member, `Name ${attempts}`);
          else {
            const deleted = await as(t.app, member)('DELETE', '/v1/me');
            expect(deleted.status, deleted.text).toBe(204);
          }
        }
        return next(args);
      },
      () => as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: member.email, role: 'editor' } }),
    );
    expect(attempts).toBe(3);
    // The last attempt's failure is the deletion, not a third change: the answer a deleted account always had.
    expect(res.status, res.text).toBe(404);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: 'email' })]);
    expect(await nameShown(budget.id, member)).toBeUndefined();
  });

  it('an accepted invitation shows the name the member has now', async () => {
    const member = await signUp(t.app, 'invitee');
    const budget = await createBudget(t.app, owner, { name: 'Joined during a rename' });
    const invited = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/invitations`, { body: { email: member.email, role: 'viewer' } });
    expect(invited.status, invited.text).toBe(201);
    const code = sent.filter((m) => m.to === member.email).at(-1)!.text.match(INVITATION_CODE)![0];
    await rename(member, 'Read Name');
    const accepted = await renamedMeanwhile(member, 'Renamed Meanwhile', () => as(t.app, member)('POST', '/v1/invitations/accept', { body: { token: code } }));
    expect(accepted.status, accepted.text).toBe(201);
    expect(await nameShown(budget.id, member)).toBe('Renamed Meanwhile');
  });

  it("a budget's creation shows the owner's name as it is now on the owner's membership", async () => {
    const creator = await signUp(t.app, 'creator');
    await rename(creator, 'Read Name');
    const budget = await renamedMeanwhile(creator, 'Renamed Meanwhile', () => createBudget(t.app, creator, { name: 'Created during a rename' }));
    const res = await as(t.app, creator)('GET', `/v1/budgets/${budget.id}/members`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toEqual([expect.objectContaining({ userId: creator.id, name: 'Renamed Meanwhile' })]);
  });

  it("a copy's member shows the name the member has now, not the source's snapshot", async () => {
    const member = await signUp(t.app, 'copied');
    const source = await createBudget(t.app, owner, { name: 'Copied during a rename' });
    await addMember(t.app, owner, source.id, member, 'editor');
    await deliver(t, await rename(member, 'Read Name'));
    // The copy reads the source's members (the snapshot 'Read Name'); the member's membership in
    // the copy is its first write naming them (the source's refresh writes after the hold began).
    const copied = await renamedMeanwhile(member, 'Renamed Meanwhile', async () => {
      const res = await as(t.app, owner)('POST', `/v1/budgets/${source.id}/copy`, { body: { name: 'The copy', include: { members: true } } });
      expect(res.status, res.text).toBe(201);
      return res.json as { id: string };
    });
    expect(await nameShown(source.id, member)).toBe('Renamed Meanwhile');
    expect(await nameShown(copied.id, member)).toBe('Renamed Meanwhile');
  });
});

/**
 * The 503 after three changes in a row is a failed attempt like any 5xx: an Idempotency-Key keeps
 * it open (its lease ended, nothing stored), so the client's retry with the same key runs again
 * and adds the member with the name they have by then; a copy's retry finishes the same copy.
 */
describe('a keyed membership creation retried after its 503', { timeout: 120_000 }, () => {
  /** Runs `work` with the account renamed before every transaction naming `who`'s membership. */
  const renamedBeforeEachAttempt = <T>(who: Actor, work: () => Promise<T>) => {
    let attempts = 0;
    return withCommandMiddleware(
      t.doc,
      'renameBeforeEveryAttempt',
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes(`member#${who.id}`)) {
          attempts++;
          await rename(who, `Name ${attempts}`);
        }
        return next(args);
      },
      work,
    );
  };

  it('POST members: the retry with the same key adds the member once, with their current name', async () => {
    const member = await signUp(t.app, 'keyedAdd');
    const budget = await createBudget(t.app, owner, { name: 'Keyed add' });
    const add = () =>
      as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: member.email, role: 'editor' }, headers: { 'idempotency-key': `add-${member.id}` } });
    const first = await renamedBeforeEachAttempt(member, add);
    expect(first.status, first.text).toBe(503);
    const retry = await add();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toMatchObject({ userId: member.id, name: 'Name 3' });
    expect(await nameShown(budget.id, member)).toBe('Name 3');
    // And replayed from then on.
    const replay = await add();
    expect(replay.status, replay.text).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a copy with members: the retry with the same key finishes the same copy, the member with their current name', async () => {
    const member = await signUp(t.app, 'keyedCopy');
    const source = await createBudget(t.app, owner, { name: `Keyed copy source ${member.id}` });
    await addMember(t.app, owner, source.id, member, 'editor');
    const name = `Keyed copy ${member.id}`;
    const copy = () => as(t.app, owner)('POST', `/v1/budgets/${source.id}/copy`, { body: { name, include: { members: true } }, headers: { 'idempotency-key': `copy-${member.id}` } });
    const first = await renamedBeforeEachAttempt(member, copy);
    expect(first.status, first.text).toBe(503);
    const retry = await copy();
    expect(retry.status, retry.text).toBe(201);
    const copies = await as(t.app, owner)('GET', '/v1/budgets?limit=100');
    expect((copies.json.items as { id: string; name: string }[]).filter((b) => b.name === name).map((b) => b.id)).toEqual([retry.json.id]);
    expect(await nameShown(retry.json.id, member)).toBe('Name 3');
  });
});

/**
 * A change committed just AFTER a membership's creation: its refresh lists the account's
 * memberships through gsi1, eventually consistent, so the index may not show the new membership
 * yet (DynamoDB Local's index has no lag: here the first such Query answers empty, as a lagging
 * index would). The refresh queues a delayed second pass of itself that lists them again. Run on
 * the local work queue (the stand-in of SQS), whose delayed messages the test hands over with
 * releaseDelayed() after moving the system's clock.
 */
describe('a refresh whose listing of the memberships missed a new one (index lag)', { timeout: 120_000 }, () => {
  const clock = fixedClock('2026-11-24T12:00:00Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'member-details-lag-'));
  const jobs = localJobQueue({ dataDir, logger: createLogger('SILENT'), retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
  let s: TestSystem;
  let boss: Actor;

  beforeAll(async () => {
    s = await createTestSystem({ clock, jobs: { transport: jobs.transport } });
    boss = await signUp(s.app, 'lagOwner');
  });
  afterAll(async () => {
    await jobs.queue.stop();
    await s?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const shownIn = async (budgetId: string, member: Actor) =>
    ((await as(s.app, boss)('GET', `/v1/budgets/${budgetId}/members`)).json.items as { userId: string; name: string | null }[]).find((m) => m.userId === member.id)?.name;

  /** Delivers `who`'s last user.name_changed with the first gsi1 Query of their memberships answering no items. */
  async function deliverMissingTheMembership(who: Actor): Promise<number> {
    const event = (await outboxEvents(s, 'user.name_changed')).filter((e) => e.envelope.data.userId === who.id).at(-1)!;
    let missed = 0;
    await withCommandMiddleware(
      s.doc,
      'laggingMembershipIndex',
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string };
        if (missed === 0 && context.commandName === 'QueryCommand' && input.IndexName === 'gsi1' && JSON.stringify(input).includes(who.id)) {
          missed++;
          return { output: { Items: [], Count: 0, ScannedCount: 0, $metadata: {} }, response: {} } as never;
        }
        return next(args);
      },
      async () => {
        await deliver(s, event);
        await jobs.queue.idle();
      },
    );
    return missed;
  }

  it('the delayed second pass gives the membership the new name; it queues no third', async () => {
    const start = clock.now().getTime();
    try {
      const member = await signUp(s.app, 'lagged');
      const budget = await createBudget(s.app, boss, { name: 'Joined just before a rename' });
      await addMember(s.app, boss, budget.id, member, 'editor');
      const renamed = await as(s.app, member)('PATCH', '/v1/me', { body: { name: 'After The Join' } });
      expect(renamed.status, renamed.text).toBe(200);

      expect(await deliverMissingTheMembership(member)).toBe(1);
      // The first pass saw no membership: the snapshot is still the old name; the second pass is held.
      expect(await shownIn(budget.id, member)).not.toBe('After The Join');
      expect(jobs.queue.delayed).toBe(1);

      // Not due before its delay: handed over early, it is sent back unworked.
      clock.advance(30_000);
      jobs.queue.releaseDelayed();
      await jobs.queue.idle();
      expect(jobs.queue.delayed).toBe(1);
      expect(await shownIn(budget.id, member)).not.toBe('After The Join');

      clock.advance(31_000);
      expect(jobs.queue.releaseDelayed()).toBe(1);
      await jobs.queue.idle();
      expect(await shownIn(budget.id, member)).toBe('After The Join');
      expect(jobs.queue.delayed).toBe(0);
      expect(jobs.queue.deadLettered).toBe(0);
    } finally {
      clock.set(new Date(start));
    }
  });
});
