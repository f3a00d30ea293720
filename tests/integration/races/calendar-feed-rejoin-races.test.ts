import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { withCommandMiddleware } from '../../support/command-middleware';
import { ANY_WRITE, holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A member's calendar feeds (each member's capped by a count item: packages/expenses/docs/recurring.md
 * "Calendar feed") while the cascade of their removal (budget.member_removed, which a retry may
 * deliver minutes late) runs. The member was removed and added back at once, so the cascade meets
 * a member again who makes new feeds. The invariant, whatever the order: the feeds made before the
 * removal go, a feed made after it (by the member added back) stays, and the count item equals the
 * feeds left (else the cap is off: a missing count lets the member past it).
 *
 * Driven without sleeps: the cascade's first write naming the member's feeds is held until the new
 * feed has been written (a write that lands between the cascade's read and its write, as one from
 * another Lambda can).
 */
const clock = fixedClock('2026-12-06T12:00:00Z');
let t: TestSystem;
let owner: Actor;
let budgetId: string;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'owner');
  budgetId = (await createBudget(t.app, owner, { name: 'Rejoined', currency: 'EUR', limit: 100_000, categories: [{ name: 'Bills' }] })).id;
});
afterAll(() => t.destroy());

const feeds = '/calendar-feeds';

async function createFeed(who: Actor): Promise<string> {
  const res = await as(t.app, who)('POST', `/v1/budgets/${budgetId}${feeds}`);
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

/** A member with one feed, removed and added back a second later (the removal's cascade not delivered yet). */
async function removedAndBack() {
  const member = await signUp(t.app, 'rejoiner');
  await addMember(t.app, owner, budgetId, member, 'viewer');
  const old = await createFeed(member);
  expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budgetId}/members/${member.id}`)).status).toBe(204);
  const removed = await theEvent(t, 'budget.member_removed', { budgetId, userId: member.id });
  clock.advance(1_000);
  await addMember(t.app, owner, budgetId, member, 'viewer');
  return { member, old, removed };
}

/** The member's feeds of the budget as stored (ids) and their count item's count (undefined: none). */
async function stored(member: Actor) {
  const items = (await tableItems(t.doc, t.tableName)).filter((i) => String(i.sk).includes(member.id) && String(i.kind).startsWith('calendar-feed'));
  const count = items.find((i) => i.kind === 'calendar-feed-count');
  return { ids: items.filter((i) => i.kind === 'calendar-feed').map((i) => i.id as string), count: count === undefined ? undefined : Number(count.count) };
}

async function listed(member: Actor) {
  const res = await as(t.app, member)('GET', `/v1/budgets/${budgetId}${feeds}`);
  expect(res.status, res.text).toBe(200);
  const items = (Array.isArray(res.json) ? res.json : res.json.items) as { id: string }[];
  return items.map((f) => f.id);
}

describe("a member's calendar feeds while the cascade of their removal runs", { timeout: 120_000 }, () => {
  it('delivered late, after the member came back and made a feed: the old feed goes, the new one stays, and the count says so', async () => {
    const { member, old, removed } = await removedAndBack();
    const made = await createFeed(member);
    await deliver(t, removed);
    const after = await stored(member);
    expect(after).toEqual({ ids: [made], count: 1 });
    expect(await listed(member)).toEqual([made]);
    expect(after.ids).not.toContain(old);
    // Delivered again (a retry): nothing more goes.
    await deliver(t, removed);
    expect(await stored(member)).toEqual(after);
  });

  it("a feed made by the member back between the cascade's read and its write stays, and the count says so", async () => {
    const { member, removed } = await removedAndBack();
    let made: string | undefined;
    await holdingFirstWrite(t, `calfeed#${member.id}#`, async () => (made = await createFeed(member)), () => deliver(t, removed), ANY_WRITE);
    expect(await stored(member)).toEqual({ ids: [made], count: 1 });
    expect(await listed(member)).toEqual([made]);
  });

  // The cascade read the feeds and their count side by side: a feed made after the feeds' Query
  // and before the count's read was counted in the count read but not among the feeds, so the
  // count item was deleted (or set) as if it were not there, and the member could pass the cap.
  it("a feed made by the member back between the cascade's read of the feeds and of their count stays counted", async () => {
    const { member, removed } = await removedAndBack();
    let made: string | undefined;
    const countKey = `calfeed-count#${member.id}`;
    let held = false;
    await withCommandMiddleware(
      t.doc,
      'countReadAfterFeed',
      (next, context) => async (args) => {
        if (!held && ['GetItemCommand', 'BatchGetItemCommand'].includes(context.commandName ?? '') && JSON.stringify(args.input).includes(countKey)) {
          held = true;
          made = await createFeed(member);
        }
        return next(args);
      },
      () => deliver(t, removed),
    );
    expect(held).toBe(true);
    expect(await stored(member)).toEqual({ ids: [made], count: 1 });
    expect(await listed(member)).toEqual([made]);
  });

  // The count read first, then the feeds: a feed the member deleted before the feeds' Query and
  // another made after it leave the count's value as read, so only its `moves` tell the write.
  it("a feed deleted before the cascade's read of the feeds and another made after it: the count still says the one left", async () => {
    const { member, removed } = await removedAndBack();
    const kept = await createFeed(member);
    let made: string | undefined;
    let held = false;
    await withCommandMiddleware(
      t.doc,
      'feedsReadBetween',
      (next, context) => async (args) => {
        if (held || context.commandName !== 'QueryCommand' || !JSON.stringify(args.input).includes(`calfeed#${member.id}#`)) return next(args);
        held = true;
        expect((await as(t.app, member)('DELETE', `/v1/budgets/${budgetId}${feeds}/${kept}`)).status).toBe(204);
        const out = await next(args);
        made = await createFeed(member);
        return out;
      },
      () => deliver(t, removed),
    );
    expect(held).toBe(true);
    expect(await stored(member)).toEqual({ ids: [made], count: 1 });
  });

  // A feed's createdAt is read before its transaction, the removal's instant before the removal's:
  // a feed committed just before the removal can be stamped after it, and was kept (counted, and
  // working again once the member was added back). Held here: the removal's transaction waits
  // while a second passes and the member's feed commits.
  it('a feed committed before the removal but stamped after its instant goes with the others, and does not come back with the member', async () => {
    const member = await signUp(t.app, 'last-moment');
    await addMember(t.app, owner, budgetId, member, 'viewer');
    const old = await createFeed(member);
    let late: string | undefined;
    const res = await holdingFirstWrite(
      t,
      member.id,
      async () => {
        clock.advance(1_000);
        late = await createFeed(member);
      },
      () => as(t.app, owner)('DELETE', `/v1/budgets/${budgetId}/members/${member.id}`),
    );
    expect(res.status, res.text).toBe(204);
    const removed = await theEvent(t, 'budget.member_removed', { budgetId, userId: member.id });
    expect(Date.parse(removed.envelope.occurredAt)).toBeLessThan(clock.now().getTime()); // the window reproduced
    expect((await stored(member)).ids.sort()).toEqual([old, late].sort());
    await deliver(t, removed);
    expect(await stored(member)).toEqual({ ids: [], count: undefined });
    await addMember(t.app, owner, budgetId, member, 'viewer');
    expect(await listed(member)).toEqual([]);
  });

  it('a member removed for good: every feed and the count item go (once, and a retry finds nothing)', async () => {
    const member = await signUp(t.app, 'leaver');
    await addMember(t.app, owner, budgetId, member, 'viewer');
    await createFeed(member);
    await createFeed(member);
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budgetId}/members/${member.id}`)).status).toBe(204);
    const removed = await theEvent(t, 'budget.member_removed', { budgetId, userId: member.id });
    await deliver(t, removed);
    expect(await stored(member)).toEqual({ ids: [], count: undefined });
    await deliver(t, removed);
    expect(await stored(member)).toEqual({ ids: [], count: undefined });
  });
});
