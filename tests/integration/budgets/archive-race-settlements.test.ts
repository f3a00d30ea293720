import { describe, expect, it } from 'vitest';
import { archiveRaceSuite } from '../../support/archive-race';

/**
 * The archive race, closed for the budgets module's own writes that take no change number
 * (packages/budgets/docs/budget-lifecycle.md "Archiving a budget"): settlements (record, change, delete) and a member's
 * role and share. Each is held between its access check and its transaction while the budget
 * is archived: 409 `budget-archived`, nothing written (before, each landed). Unarchived, the
 * same write works.
 */
const race = archiveRaceSuite();
const { ok } = race;
const budgetUrl = () => `/v1/budgets/${race.team.budget.id}`;

/** `method url` held past its access check (its transaction names `marker`) while the budget is archived: the 409; then unarchived. */
const refusedWhileArchiving = (marker: string, method: string, url: string, body?: unknown) => race.refusedWhileArchiving(race.team.budget.id, marker, method, url, body);

describe('archive vs the budgets module writes that take no change number, each held past its access check', { timeout: 180_000 }, () => {
  it('settlements: record, change and delete answer 409 and write nothing; a change works after unarchive', async () => {
    const list = `${budgetUrl()}/settlements`;
    const marker = `budgets#settlements#${race.team.budget.id}`;
    const paid = await ok('POST', list, 201, { fromUserId: race.team.editor.id, toUserId: race.team.owner.id, amount: 4_200, paidOn: '2026-11-20' });
    const url = `${list}/${paid.id}`;
    await refusedWhileArchiving(marker, 'POST', list, { fromUserId: race.team.editor.id, toUserId: race.team.owner.id, amount: 1_000, paidOn: '2026-11-21' });
    await refusedWhileArchiving(marker, 'PATCH', url, { amount: 4_300 });
    await refusedWhileArchiving(marker, 'DELETE', url);
    // Nothing written: the one payment, as recorded.
    expect((await ok('GET', list, 200)).items).toEqual([paid]);
    expect(await ok('PATCH', url, 200, { amount: 4_300 })).toMatchObject({ amount: 4_300, version: paid.version + 1 });
  });

  it("a member's role and share: 409, the membership as it was; works after unarchive", async () => {
    const members = `${budgetUrl()}/members`;
    const before = (await ok('GET', members, 200)).items;
    const editor = before.find((m: { userId: string }) => m.userId === race.team.editor.id);
    expect(editor).toMatchObject({ role: 'editor', share: 1, version: 1 });
    const url = `${members}/${race.team.editor.id}`;
    // Its transaction is the only one naming the share's attribute (the archive's names every membership).
    await refusedWhileArchiving('#share', 'PATCH', url, { share: 3 });
    await refusedWhileArchiving('#role', 'PATCH', url, { role: 'viewer' });
    expect((await ok('GET', members, 200)).items).toEqual(before);
    expect(await ok('PATCH', url, 200, { share: 3 })).toMatchObject({ role: 'editor', share: 3, version: 2 });
  });

  it('an invitation, new or a re-invite: 409, the invitations as they were (each checks the budget not archived); works after unarchive', async () => {
    const invitations = `${budgetUrl()}/invitations`;
    // Its transaction is the only one naming the budget's invitations partition.
    const marker = `budgets#invitations#${race.team.budget.id}`;
    const before = (await ok('GET', invitations, 200)).items;
    await refusedWhileArchiving(marker, 'POST', invitations, { email: 'late@example.com', role: 'viewer' });
    expect((await ok('GET', invitations, 200)).items).toEqual(before);
    const invited = await ok('POST', invitations, 201, { email: 'late@example.com', role: 'viewer' });
    expect(invited).toMatchObject({ email: 'late@example.com', role: 'viewer', status: 'pending' });
    // Re-inviting the same email replaces the pending invitation: held the same way, it does not.
    const pending = (await ok('GET', invitations, 200)).items;
    await refusedWhileArchiving(marker, 'POST', invitations, { email: 'late@example.com', role: 'editor' });
    expect((await ok('GET', invitations, 200)).items).toEqual(pending);
    expect(await ok('POST', invitations, 201, { email: 'late@example.com', role: 'editor' })).toMatchObject({ id: invited.id, role: 'editor' });
  });
});
