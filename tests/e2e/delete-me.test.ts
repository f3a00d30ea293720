import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budgetDeleted, budgetMemberRemoved } from '@budgeting/budgets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, asUser, createBudget, signup, tableItems } from '../integration/subscribers/support';
import { startE2eSystem, type E2eSystem } from './support';
import { withoutClosedMarkers } from '../support/closed-budgets';

/**
 * End to end over HTTP, locally as `npm start` runs: DELETE /v1/me of a user who owns two
 * budgets alone (with expenses, one past its thresholds) and is a member of a third budget
 * owned by someone else. After the events ran through stream -> relay -> bus -> subscribers,
 * the table holds zero items of the two budgets, the membership in the third is gone, and the
 * third budget with its expenses is intact.
 */
let e2e: E2eSystem;

beforeAll(async () => {
  // Pushes are written to a folder (as npm start does), so alice can register a device.
  e2e = await startE2eSystem([budgetDeleted, budgetMemberRemoved], { env: { PUSH_DIR: mkdtempSync(join(tmpdir(), 'delete-me-push-')) } });
});
afterAll(() => e2e?.stop());

describe('DELETE /v1/me, end to end', { timeout: 180_000 }, () => {
  it("leaves nothing of the user's own budgets and keeps the budget they were a member of", async () => {
    const { t } = e2e;
    const [alice, carol] = [await signup(t.app, 'alice'), await signup(t.app, 'carol')];
    const home = await createBudget(t.app, alice, { name: 'Home', limit: 1_000, categories: [{ name: 'Food', limit: 300 }] });
    const trip = await createBudget(t.app, alice, { name: 'Trip', period: 'weekly' });
    const shared = await createBudget(t.app, carol, { name: "Carol's" });
    await addMember(t.app, carol, shared.id, alice, 'editor');
    for (const [budgetId, amount, day] of [
      [home.id, 900, '2026-11-02'],
      [home.id, 400, '2026-10-30'],
      [trip.id, 250, '2026-11-21'],
      [shared.id, 600, '2026-11-05'],
    ] as const) {
      await addExpense(t.app, alice, budgetId, { amount, occurredOn: day, ...(budgetId === home.id ? { categoryId: home.categories[0]!.id } : {}) });
    }
    await addExpense(t.app, carol, shared.id, { amount: 700, occurredOn: '2026-11-06' });
    const phone = await asUser(t.app, alice)('POST', '/v1/me/devices', { body: { platform: 'fcm', token: 'alices-phone-token' } });
    expect(phone.status, phone.text).toBe(201);
    await e2e.settled();
    // Before: alice has alerts (with their guards) and a device in her notifications partition.
    const alicesKinds = new Set((await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `notifications#user#${alice.id}`).map((i) => i.kind));
    expect([...alicesKinds].sort()).toEqual(['alert-guard', 'device', 'notification']);

    const keysOf = async (id: string) => (await tableItems(t.doc, t.tableName)).filter((i) => `${i.pk} ${i.sk}`.includes(id));
    // Before: the owned budgets have items in both modules, thresholds included.
    const prefixes = async (id: string) => [...new Set((await keysOf(id)).map((i) => String(i.pk).split('#').slice(0, 2).join('#')))].sort();
    // (activity: the budget's log; notifications: alice's alert for crossing 80% of Home;
    // budgets#watch: the webhooks fan-out's watchers hint, recorded by the first expense event.)
    expect(await prefixes(home.id)).toEqual(['activity#budget', 'budgets#budget', 'budgets#thresholds', 'budgets#watch', 'expenses#budget', 'expenses#changes', 'expenses#totals', 'notifications#user']);
    expect(await prefixes(trip.id)).toEqual(['activity#budget', 'budgets#budget', 'budgets#watch', 'expenses#budget', 'expenses#changes', 'expenses#totals']);
    const sharedBefore = await keysOf(shared.id);

    const res = await asUser(t.app, alice)('DELETE', '/v1/me');
    expect(res.status, res.text).toBe(204);
    await e2e.settled();

    // Zero items of the solely owned budgets and of their expenses, totals and markers.
    // (alice's own notifications and devices too: notifications-on-users.)
    expect(withoutClosedMarkers(await keysOf(home.id))).toEqual([]);
    expect(withoutClosedMarkers(await keysOf(trip.id))).toEqual([]);
    expect((await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `notifications#user#${alice.id}`)).toEqual([]);
    expect(e2e.published.get('budget.deleted')?.map((e) => e.data.budgetId).sort()).toEqual([home.id, trip.id].sort());

    // The third budget: alice's membership gone, everything else as before.
    const sharedAfter = await keysOf(shared.id);
    const aliceMembership = (i: Record<string, unknown>) => i.kind === 'member' && i.userId === alice.id;
    expect(sharedBefore.filter(aliceMembership)).toHaveLength(1);
    expect(sharedAfter.filter(aliceMembership)).toEqual([]);
    const withoutCount = (items: Record<string, unknown>[]) => items.filter((i) => !aliceMembership(i)).map(({ memberCount: _, membershipVersion: __, ...rest }) => rest);
    // The shared budget's activity log gains one entry: alice's membership removed.
    const removal = (i: Record<string, unknown>) => i.kind === 'activity' && i.action === 'member.removed';
    expect(sharedAfter.filter(removal)).toHaveLength(1);
    expect(withoutCount(sharedAfter.filter((i) => !removal(i)))).toEqual(withoutCount(sharedBefore));
    expect(e2e.published.get('budget.member_removed')?.map((e) => e.data)).toEqual([
      { budgetId: shared.id, userId: alice.id, removedBy: alice.id },
    ]);

    const carolsView = await asUser(t.app, carol)('GET', `/v1/budgets/${shared.id}/expenses`);
    expect(carolsView.json.items.map((e: { amount: number }) => e.amount).sort()).toEqual([600, 700]);
    const members = await asUser(t.app, carol)('GET', `/v1/budgets/${shared.id}/members`);
    expect(members.json.items.map((m: { userId: string }) => m.userId)).toEqual([carol.id]);
    expect((await asUser(t.app, carol)('GET', `/v1/budgets/${shared.id}`)).json.version).toBe(shared.version);
  });
});
