import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../support/actors';
import { expectProblem } from '../support/problem';
import { systemWithAccount } from '../support/system-with-account';
import type { TestSystem } from '../support/test-system';

/**
 * An Idempotency-Key replay is served only to a caller who may still make the original
 * request: a member removed from the budget (or demoted to viewer) who replays an old key gets
 * the normal 404/403, not the stored 201. Both mechanisms: the lease middleware (recurring
 * expenses, members) and the in-transaction record (expenses).
 */
let t: TestSystem;
let owner: Actor;
beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signUp, 'owner')));
afterAll(() => t.destroy());

const withKey = (key: string) => ({ 'idempotency-key': key });

async function teamWithEditor() {
  const budget = await createBudget(t.app, owner);
  const editor = await signUp(t.app, 'editor');
  const membership = await addMember(t.app, owner, budget.id, editor, 'editor');
  return { budget, editor, memberPath: `/v1/budgets/${budget.id}/members/${membership.userId ?? editor.id}` };
}

const requests = {
  expense: (budgetId: string) => ({ path: `/v1/budgets/${budgetId}/expenses`, body: { amount: 1250, occurredOn: '2026-11-20', merchant: 'Bakery' } }),
  recurring: (budgetId: string) => ({
    path: `/v1/budgets/${budgetId}/recurring-expenses`,
    body: { amount: 120_000, merchant: 'Landlord Ltd', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } },
  }),
};

describe.each(Object.entries(requests))('replaying a %s create', (_name, request) => {
  it('answers a removed member 404, not the stored 201', async () => {
    const { budget, editor, memberPath } = await teamWithEditor();
    const { path, body } = request(budget.id);
    const first = await as(t.app, editor)('POST', path, { body, headers: withKey('replay-after-removal') });
    expect(first.status, first.text).toBe(201);
    const replay = await as(t.app, editor)('POST', path, { body, headers: withKey('replay-after-removal') });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    expect((await as(t.app, owner)('DELETE', memberPath)).status).toBe(204);
    const afterRemoval = await as(t.app, editor)('POST', path, { body, headers: withKey('replay-after-removal') });
    expectProblem(afterRemoval, 404);
    expect(afterRemoval.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers a member demoted to viewer 403', async () => {
    const { budget, editor, memberPath } = await teamWithEditor();
    const { path, body } = request(budget.id);
    expect((await as(t.app, editor)('POST', path, { body, headers: withKey('replay-after-demotion') })).status).toBe(201);
    expect((await as(t.app, owner)('PATCH', memberPath, { body: { role: 'viewer' } })).status).toBe(200);
    expectProblem(await as(t.app, editor)('POST', path, { body, headers: withKey('replay-after-demotion') }), 403);
  });
});

describe('replaying a member addition (budgets module, lease middleware)', () => {
  it('answers 404 once the budget is deleted', async () => {
    const budget = await createBudget(t.app, owner);
    const friend = await signUp(t.app, 'friend');
    const path = `/v1/budgets/${budget.id}/members`;
    const body = { email: friend.email, role: 'viewer' };
    expect((await as(t.app, owner)('POST', path, { body, headers: withKey('add-friend') })).status).toBe(201);
    expect((await as(t.app, owner)('POST', path, { body, headers: withKey('add-friend') })).status).toBe(201);
    const removed = await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}`, { headers: { 'if-match': `"${budget.version}"` } });
    expect(removed.status, removed.text).toBe(204);
    expectProblem(await as(t.app, owner)('POST', path, { body, headers: withKey('add-friend') }), 404);
  });
});
