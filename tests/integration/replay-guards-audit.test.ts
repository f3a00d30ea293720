import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../support/actors';
import { expectProblem } from '../support/problem';
import { systemWithAccount } from '../support/system-with-account';
import type { TestSystem } from '../support/test-system';

/**
 * Round 19's audit of the Idempotency-Key replays (docs/architecture.md "Replays against a fresh
 * request"): a keyed PATCH's stored answer is the resource as changed. Once the resource is gone
 * (the member left or was removed, the settle-up payment deleted), a fresh PATCH is a 404, and
 * so is its replay: the stored answer would otherwise hand back what nobody can read any more
 * (a departed member's email and name, a deleted payment), as a webhook's rotation replay
 * already refuses once the webhook is deleted. One budget, one editor, set up once.
 */
let t: TestSystem;
let owner: Actor;
let editor: Actor;
let budgetId: string;
beforeAll(async () => {
  ({ t, account: owner } = await systemWithAccount(signUp, 'owner'));
  budgetId = (await createBudget(t.app, owner)).id;
  editor = await signUp(t.app, 'editor');
  await addMember(t.app, owner, budgetId, editor, 'editor');
});
afterAll(() => t.destroy());

const withKey = (key: string) => ({ 'idempotency-key': key });

describe('a keyed PATCH replayed after its resource is gone', () => {
  it('a settle-up payment changed, then deleted: the replay is the 404 a fresh change gets', async () => {
    const recorded = await as(t.app, editor)('POST', `/v1/budgets/${budgetId}/settlements`, {
      body: { fromUserId: editor.id, toUserId: owner.id, amount: 4_200, paidOn: '2026-11-24', note: 'Bank transfer' },
    });
    expect(recorded.status, recorded.text).toBe(201);
    const path = `/v1/budgets/${budgetId}/settlements/${recorded.json.id}`;
    const body = { amount: 4_500 };
    const changed = await as(t.app, editor)('PATCH', path, { body, headers: withKey('settlement-change') });
    expect(changed.status, changed.text).toBe(200);
    expect((await as(t.app, editor)('PATCH', path, { body, headers: withKey('settlement-change') })).headers.get('idempotent-replayed')).toBe('true');

    expect((await as(t.app, owner)('DELETE', path)).status).toBe(204);
    expectProblem(await as(t.app, editor)('PATCH', path, { body, headers: withKey('settlement-change-fresh') }), 404);
    const replay = await as(t.app, editor)('PATCH', path, { body, headers: withKey('settlement-change') });
    expectProblem(replay, 404);
    expect(replay.headers.get('idempotent-replayed')).toBeNull();
  });

  it("a member's share changed, then the member left: the owner's replay is the 404, not their email and name", async () => {
    const leaver = await signUp(t.app, 'leaver');
    await addMember(t.app, owner, budgetId, leaver, 'viewer');
    const path = `/v1/budgets/${budgetId}/members/${leaver.id}`;
    const body = { share: 30 };
    const changed = await as(t.app, owner)('PATCH', path, { body, headers: withKey('share-change') });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.email).toBe(leaver.email);

    expect((await as(t.app, leaver)('DELETE', path)).status).toBe(204);
    expectProblem(await as(t.app, owner)('PATCH', path, { body, headers: withKey('share-change-fresh') }), 404);
    const replay = await as(t.app, owner)('PATCH', path, { body, headers: withKey('share-change') });
    expectProblem(replay, 404);
    expect(replay.text).not.toContain(leaver.email);
  });
});
