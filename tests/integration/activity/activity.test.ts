import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBSCRIPTIONS } from '../../../packages/app/src/wiring/manifest';
import { deliver, outboxEvents, tableItems } from '../../support/events';
import { asAtClock, tokenAtClock } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { createHarness, type Harness, type User } from '../expenses/harness';

/**
 * GET /v1/budgets/{budgetId}/activity: built by the activity module's subscribers from the
 * real outbox events, delivered through the Lambda's bus-delivery code (as EventBridge does).
 */
const clock = fixedClock('2026-11-24T08:00:00Z');
let h: Harness;
let owner: User;
let editor: User;
let stranger: User;

beforeAll(async () => {
  // Every call moves the clock a minute (tick): the sign-up tokens that create budgets and add
  // members must outlive all the file's calls (the default 15 minutes no longer do).
  h = await createHarness({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '3600' } });
  [owner, editor, stranger] = await Promise.all([h.signup('owner'), h.signup('editor'), h.signup('stranger')]);
});
afterAll(() => h.destroy());

/** Each step a minute later, so "newest first" is visible in the timestamps too. */
const tick = () => clock.set(new Date(clock.now().getTime() + 60_000).toISOString());
const tokenOf = (who: User) => tokenAtClock(h.t, who);
async function as(who: User, method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
  tick();
  return asAtClock(h.t, who)(method, path, options);
}

/** The ids of the events deliverAll has delivered (earlier tests' events are not delivered again). */
const delivered = new Set<string>();
/**
 * Every outbox event someone subscribes to that was not delivered yet, through bus-delivery (in
 * id order, as relayed); returns them (for a test to deliver again). Delivering every earlier
 * test's events again each time made the file's deliveries grow with its tests.
 */
async function deliverAll() {
  const routed = (await outboxEvents(h.t)).filter(
    (e) => !delivered.has(e.envelope.id) && SUBSCRIPTIONS.some((r) => r.source === e.source && r.detailTypes.includes(e.detailType)),
  );
  await deliver(h.t, ...routed);
  for (const e of routed) delivered.add(e.envelope.id);
  return routed;
}

async function activity(budgetId: string, who: User, query = '') {
  const res = await h.call('GET', `/v1/budgets/${budgetId}/activity${query}`, { token: await tokenOf(who) });
  return res;
}

describe('the activity log', { timeout: 60_000 }, () => {
  it("shows an editor's create, an owner's patch with before/after, an import and a recurring occurrence with the right actors, newest first", async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const groceries = b.categories[0]!;

    const created = await as(editor, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 1250, occurredOn: '2026-11-20', categoryId: groceries.id } });
    expect(created.status).toBe(201);
    const patched = await as(owner, 'PATCH', `/v1/budgets/${b.id}/expenses/${created.json.id}`, { body: { amount: 1400, merchant: 'Corner Market' } });
    expect(patched.status).toBe(200);
    const imported = await as(owner, 'POST', `/v1/budgets/${b.id}/expenses/import`, {
      rawBody: '2026-11-21,9.99,Groceries,Milk,Dairy Co\n',
      headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
    });
    expect(imported.json).toMatchObject({ imported: 1 });
    const recurring = await as(editor, 'POST', `/v1/budgets/${b.id}/recurring-expenses`, { body: { amount: 120_000, merchant: 'Landlord', schedule: { frequency: 'monthly' } } });
    expect(recurring.status, recurring.text).toBe(201);
    tick();
    const job = h.t.system.schedules.find((s) => s.name === 'recurring-expenses')!;
    await job.run(clock.now(), { logger: h.t.system.deps.logger });
    const settings = await as(owner, 'PATCH', `/v1/budgets/${b.id}`, { body: { limit: 2_000_000_000 } });
    expect(settings.status, settings.text).toBe(200);
    const deleted = await as(editor, 'DELETE', `/v1/budgets/${b.id}/expenses/${created.json.id}`);
    expect(deleted.status).toBe(204);

    const events = await deliverAll();
    // Delivered twice (EventBridge retries, a relay replay): nothing is added.
    await deliver(h.t, ...events);

    const res = await activity(b.id, editor);
    expect(res.status, res.text).toBe(200);
    const items = res.json.items as any[];
    const summary = items.map((e) => [e.action, e.actor.type === 'user' ? e.actor.id : `${e.actor.name} for ${e.actor.onBehalfOf.id}`]);
    expect(summary).toEqual([
      ['expense.deleted', editor.id],
      ['budget.settings_changed', owner.id],
      ['expense.recorded_by_schedule', `recurring-expenses for ${editor.id}`],
      ['expense.imported', owner.id],
      ['expense.updated', owner.id],
      ['expense.created', editor.id],
      ['member.added', owner.id],
      ['budget.created', owner.id],
    ]);
    const [del, limit, occurrence, imp, update, create] = items;
    expect(create).toMatchObject({
      actor: { type: 'user', id: editor.id, name: expect.any(String) },
      subject: { type: 'expense', id: created.json.id },
      changes: { amount: { before: null, after: 1250 }, categoryId: { before: null, after: groceries.id } },
    });
    expect(update.changes).toEqual({ amount: { before: 1250, after: 1400 }, merchant: { before: null, after: 'Corner Market' } });
    expect(update.at > create.at).toBe(true);
    expect(imp.changes).toMatchObject({ amount: { before: null, after: 999 }, merchant: { before: null, after: 'Dairy Co' } });
    expect(occurrence).toMatchObject({
      actor: { type: 'schedule', name: 'recurring-expenses', onBehalfOf: { id: editor.id, name: expect.any(String) } },
      recurringExpenseId: recurring.json.id,
      changes: { amount: { before: null, after: 120_000 } },
    });
    expect(limit.changes).toEqual({ limit: { before: 1_000_000_000, after: 2_000_000_000 } });
    expect(del.changes).toMatchObject({ amount: { before: 1400, after: null } });

    // Paging: a cursor walks the same list.
    const first = await activity(b.id, owner, '?limit=3');
    expect(first.json.items.map((e: any) => e.id)).toEqual(items.slice(0, 3).map((e) => e.id));
    const second = await activity(b.id, owner, `?limit=3&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.items.map((e: any) => e.id)).toEqual(items.slice(3, 6).map((e) => e.id));
  });

  it('walked a page at a time, shows each entry once and its last page has no cursor (no page of nothing after it)', async () => {
    const b = await h.createBudget(owner);
    for (const limit of [2_000_000, 3_000_000]) expect((await as(owner, 'PATCH', `/v1/budgets/${b.id}`, { body: { limit } })).status).toBe(200);
    const created = await as(owner, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 1250, occurredOn: '2026-11-20' } });
    expect(created.status).toBe(201);
    await deliverAll();
    const all = (await activity(b.id, owner)).json;
    expect(all.items.map((e: any) => e.action)).toEqual(['expense.created', 'budget.settings_changed', 'budget.settings_changed', 'budget.created']);
    expect(all.nextCursor).toBeNull();
    for (const limit of [1, 2, 4]) {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const res = await activity(b.id, owner, `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status, res.text).toBe(200);
        pages.push(res.json.items.map((e: any) => e.id));
        cursor = res.json.nextCursor;
      } while (cursor !== null && pages.length < 10);
      expect(pages.flat(), `limit ${limit}`).toEqual(all.items.map((e: any) => e.id));
      expect(pages.map((p) => p.length), `limit ${limit}`).toEqual(Array.from({ length: Math.ceil(all.items.length / limit) }, (_, i) => Math.min(limit, all.items.length - i * limit)));
    }
  });

  it("an expense's description is in its creation's afters and its deletion's befores, as its other fields (and an income entry's)", async () => {
    const b = await h.createBudget(owner);
    const created = await as(owner, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 4_200, merchant: 'Luigi', description: 'Dinner with Sam ✨' } });
    expect(created.status, created.text).toBe(201);
    expect((await as(owner, 'DELETE', `/v1/budgets/${b.id}/expenses/${created.json.id}`)).status).toBe(204);
    await deliverAll();

    const items = (await activity(b.id, owner)).json.items as any[];
    const [deleted, recorded] = items.filter((e) => e.subject.id === created.json.id);
    expect(recorded).toMatchObject({ action: 'expense.created', changes: { description: { before: null, after: 'Dinner with Sam ✨' } } });
    expect(deleted).toMatchObject({ action: 'expense.deleted', changes: { description: { before: 'Dinner with Sam ✨', after: null } } });
  });

  it("shows a member's role change (budget.member_role_changed) with the role before and after, by the owner", async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const changed = await as(owner, 'PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { body: { role: 'viewer' } });
    expect(changed.status, changed.text).toBe(200);
    // The same role again is no change: no event, no entry.
    expect((await as(owner, 'PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { body: { role: 'viewer' } })).status).toBe(200);
    await deliverAll();

    const items = (await activity(b.id, editor)).json.items as any[];
    expect(items.map((e) => e.action)).toEqual(['member.role_changed', 'member.added', 'budget.created']);
    expect(items[0]).toMatchObject({
      actor: { type: 'user', id: owner.id },
      subject: { type: 'member', id: editor.id },
      changes: { role: { before: 'editor', after: 'viewer' } },
    });
  });

  it("shows a member's share change (budget.member_share_changed) with before/after; a PATCH of role and share is two entries", async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    expect((await as(owner, 'PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { body: { share: 3 } })).status).toBe(200);
    // The same share again is no change: no event, no entry.
    expect((await as(owner, 'PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { body: { share: 3 } })).status).toBe(200);
    expect((await as(owner, 'PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { body: { role: 'viewer', share: 0 } })).status).toBe(200);
    await deliverAll();

    const items = (await activity(b.id, editor)).json.items as any[];
    expect(items.map((e) => [e.action, e.changes])).toEqual(
      expect.arrayContaining([
        ['member.share_changed', { share: { before: 1, after: 3 } }],
        ['member.share_changed', { share: { before: 3, after: 0 } }],
        ['member.role_changed', { role: { before: 'editor', after: 'viewer' } }],
      ]),
    );
    expect(items.filter((e) => e.action === 'member.share_changed')).toHaveLength(2);
    expect(items.find((e) => e.action === 'member.share_changed')).toMatchObject({ actor: { type: 'user', id: owner.id }, subject: { type: 'member', id: editor.id } });
  });

  it('shows a recorded settle-up payment (who paid whom, how much) and its deletion, each by its actor', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR' });
    await h.addMember(b, owner, editor, 'editor');
    const paid = await as(editor, 'POST', `/v1/budgets/${b.id}/settlements`, { body: { fromUserId: editor.id, toUserId: owner.id, amount: 3_000 } });
    expect(paid.status, paid.text).toBe(201);
    const wrong = await as(editor, 'POST', `/v1/budgets/${b.id}/settlements`, { body: { fromUserId: owner.id, toUserId: editor.id, amount: 450, paidOn: '2026-11-20' } });
    expect(wrong.status, wrong.text).toBe(201);
    expect((await as(owner, 'DELETE', `/v1/budgets/${b.id}/settlements/${wrong.json.id}`)).status).toBe(204);
    await deliverAll();

    const items = (await activity(b.id, editor)).json.items as any[];
    expect(items.map((e) => e.action)).toEqual(['settlement.deleted', 'settlement.recorded', 'settlement.recorded', 'member.added', 'budget.created']);
    expect(items[2]).toMatchObject({
      actor: { type: 'user', id: editor.id, name: expect.any(String) },
      subject: { type: 'settlement', id: paid.json.id },
    });
    expect(items[2].changes).toEqual({
      fromUserId: { before: null, after: editor.id },
      toUserId: { before: null, after: owner.id },
      amount: { before: null, after: 3_000 },
      currency: { before: null, after: 'EUR' },
      paidOn: { before: null, after: '2026-11-24' },
    });
    expect(items[0]).toMatchObject({ actor: { type: 'user', id: owner.id }, subject: { type: 'settlement', id: wrong.json.id } });
    expect(items[0].changes).toEqual({
      fromUserId: { before: owner.id, after: null },
      toUserId: { before: editor.id, after: null },
      amount: { before: 450, after: null },
      currency: { before: 'EUR', after: null },
      paidOn: { before: '2026-11-20', after: null },
    });
  });

  it("a settle-up payment's note is in its recording's afters and its deletion's befores, as its update's before/after", async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const paid = await as(editor, 'POST', `/v1/budgets/${b.id}/settlements`, { body: { fromUserId: editor.id, toUserId: owner.id, amount: 1_500, note: 'Half of the Ikea run' } });
    expect(paid.status, paid.text).toBe(201);
    expect((await as(owner, 'DELETE', `/v1/budgets/${b.id}/settlements/${paid.json.id}`)).status).toBe(204);
    await deliverAll();

    const items = ((await activity(b.id, editor)).json.items as any[]).filter((e) => e.subject.type === 'settlement');
    expect(items.map((e) => [e.action, e.changes.note])).toEqual([
      ['settlement.deleted', { before: 'Half of the Ikea run', after: null }],
      ['settlement.recorded', { before: null, after: 'Half of the Ikea run' }],
    ]);
  });

  it('concurrent share changes each name the share they replaced (the before/afters form one chain)', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const token = await tokenOf(owner);
    const shares = [2, 3, 4, 5, 6];
    const answers = await Promise.all(shares.map((share) => h.call('PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { token, body: { share } })));
    const changed = answers.filter((r) => r.status === 200);
    expect(changed.length).toBeGreaterThan(0);
    for (const r of answers) expect([200, 409], r.text).toContain(r.status);
    await deliverAll();

    const entries = ((await activity(b.id, owner)).json.items as any[]).filter((e) => e.action === 'member.share_changed');
    // Follow the chain from the default share 1: every step starts where the last one ended.
    const byBefore = new Map(entries.map((e) => [e.changes.share.before, e.changes.share.after]));
    expect(byBefore.size).toBe(entries.length);
    let at = 1;
    for (let i = 0; i < entries.length; i++) {
      expect(byBefore.has(at), `no change starts at share ${at}: ${JSON.stringify(entries.map((e) => e.changes))}`).toBe(true);
      at = byBefore.get(at);
    }
    const members = await h.call('GET', `/v1/budgets/${b.id}/members`, { token });
    expect(members.json.items.find((m: any) => m.userId === editor.id).share).toBe(at);
  });

  it("names a member as the members list does; once they left, their entries keep their id but no name or email (as the balances' former members)", async () => {
    const b = await h.createBudget(owner);
    const leaver = await h.signup('leaver');
    await h.addMember(b, owner, leaver, 'editor');
    await as(leaver, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 700 } });
    await deliverAll();
    const theirs = (items: { actor: { type: string; id?: string; name: string | null } }[]) => items.filter((e) => e.actor.type === 'user' && e.actor.id === leaver.id);
    const before = (await activity(b.id, owner)).json.items;
    // No name set: the members list shows the email, and so does the log while they are a member.
    expect(theirs(before).map((e) => e.actor.name)).toContain(leaver.email);

    expect((await as(leaver, 'DELETE', `/v1/budgets/${b.id}/members/${leaver.id}`)).status).toBe(204);
    await deliverAll();
    const after = await activity(b.id, owner);
    expect(after.status, after.text).toBe(200);
    expect(theirs(after.json.items).length).toBeGreaterThan(0);
    expect(theirs(after.json.items).map((e) => e.actor.name)).toEqual(theirs(after.json.items).map(() => null));
    // Whatever address they have now (they may change it after leaving), the household they left does not see it.
    expect(after.text).not.toContain(leaver.email);
  });

  it('a stranger gets 404; a deleted budget takes its log with it', async () => {
    const b = await h.createBudget(owner);
    expectProblem(await activity(b.id, stranger), 404);
    expectProblem(await activity('no-such-budget', owner), 404);
    expectProblem(await activity(b.id, owner, '?limit=0'), 400, ['query.limit']);

    await as(owner, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 5 } });
    await deliverAll();
    expect((await activity(b.id, owner)).json.items.length).toBeGreaterThan(0);
    expect((await as(owner, 'DELETE', `/v1/budgets/${b.id}`)).status).toBe(204);
    await deliverAll();
    const left = (await tableItems(h.t.doc, h.t.tableName)).filter((i) => String(i.pk) === `activity#budget#${b.id}`);
    expect(left).toEqual([]);
  });

  // Last in the file: it moves the shared clock on by 91 days.
  it('entries past their 90 days (not yet removed by the TTL) are no page of their own: the page of the last kept entry has no cursor', async () => {
    const b = await h.createBudget(owner);
    const old = await as(owner, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 500 } });
    expect(old.status).toBe(201);
    await deliverAll();
    const oldCursor = (await activity(b.id, owner, '?limit=1')).json.nextCursor;
    expect(oldCursor).toEqual(expect.any(String));
    clock.set(new Date(clock.now().getTime() + 89 * 86_400_000).toISOString());
    for (const limit of [2_000_000, 3_000_000]) expect((await as(owner, 'PATCH', `/v1/budgets/${b.id}`, { body: { limit } })).status).toBe(200);
    await deliverAll();
    clock.set(new Date(clock.now().getTime() + 2 * 86_400_000).toISOString());
    // budget.created and expense.created are 91 days old now: not shown.
    const all = await activity(b.id, owner);
    expect(all.json.items.map((e: any) => e.action)).toEqual(['budget.settings_changed', 'budget.settings_changed']);
    expect(all.json.nextCursor).toBeNull();
    const exact = await activity(b.id, owner, '?limit=2');
    expect(exact.json.items.map((e: any) => e.id)).toEqual(all.json.items.map((e: any) => e.id));
    expect(exact.json.nextCursor).toBeNull();
    const first = await activity(b.id, owner, '?limit=1');
    const second = await activity(b.id, owner, `?limit=1&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.items.map((e: any) => e.id)).toEqual([all.json.items[1].id]);
    expect(second.json.nextCursor).toBeNull();
    // A cursor of a page read 91 days ago points past the window now: the end, not a failed read.
    const stale = await activity(b.id, owner, `?limit=1&cursor=${encodeURIComponent(oldCursor)}`);
    expect(stale.status, stale.text).toBe(200);
    expect(stale.json).toEqual({ items: [], nextCursor: null });
  });
});
