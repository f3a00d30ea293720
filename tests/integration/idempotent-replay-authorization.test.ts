import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../support/actors';
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

/**
 * A replay writes nothing, so an archived budget does not refuse it (README "HTTP
 * conventions"): a keyed write that committed just before the owner archived the budget, its
 * answer lost, gets that answer on its retry, as the budgets module's own routes do. Access is
 * still checked (a removed member gets 404), and a new key is a new write: 409 budget-archived.
 */
describe('replaying an expense-side write after the budget was archived', () => {
  const archivedRequests = {
    'expense create (ULID key: the record on the expense)': (b: { id: string }) => ({
      path: `/v1/budgets/${b.id}/expenses`, list: `/v1/budgets/${b.id}/expenses`, key: ulid(Date.parse('2026-11-24T11:59:00Z')),
      body: { amount: 1250, occurredOn: '2026-11-20', merchant: 'Bakery' },
    }),
    'expense create (a key that names no time: the record an item of its own)': (b: { id: string }) => ({
      path: `/v1/budgets/${b.id}/expenses`, list: `/v1/budgets/${b.id}/expenses`, key: 'expense-before-archive',
      body: { amount: 990, occurredOn: '2026-11-21', merchant: 'Corner Market' },
    }),
    'expense create without a day (the read-first path)': (b: { id: string }) => ({
      path: `/v1/budgets/${b.id}/expenses`, list: `/v1/budgets/${b.id}/expenses`, key: ulid(Date.parse('2026-11-24T11:59:30Z')),
      body: { amount: 500, merchant: 'Kiosk' },
    }),
    'expense create without a day, a key that names no time': (b: { id: string }) => ({
      path: `/v1/budgets/${b.id}/expenses`, list: `/v1/budgets/${b.id}/expenses`, key: 'undated-expense-before-archive',
      body: { amount: 700, merchant: 'Newsstand' },
    }),
    'recurring expense create (lease)': (b: { id: string }) => ({
      path: `/v1/budgets/${b.id}/recurring-expenses`, list: `/v1/budgets/${b.id}/recurring-expenses`, key: 'recurring-before-archive',
      body: { amount: 120_000, merchant: 'Landlord Ltd', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } },
    }),
    'income create (lease completed in its transaction)': (b: { id: string }) => ({
      path: `/v1/budgets/${b.id}/income`, list: `/v1/budgets/${b.id}/income`, key: 'income-before-archive',
      body: { amount: 320_000, receivedOn: '2026-11-28', source: 'Acme payroll' },
    }),
    'comment on an expense (lease, below the budget)': (b: { id: string }, expenseId: string) => ({
      path: `/v1/budgets/${b.id}/expenses/${expenseId}/comments`, list: `/v1/budgets/${b.id}/expenses/${expenseId}/comments`, key: 'comment-before-archive',
      body: { text: 'Split with Alex.' },
    }),
    'categorization rule create (the rules guard)': (b: { id: string; categories: { id: string }[] }, _expenseId: string) => ({
      path: `/v1/budgets/${b.id}/rules`, list: `/v1/budgets/${b.id}/rules`, key: 'rule-before-archive',
      body: { merchant: { equals: 'Corner Market' }, categoryId: b.categories[0]!.id },
    }),
  };
  const itemIds = async (who: Actor, path: string) => ((await as(t.app, who)('GET', path)).json.items as { id: string }[]).map((i) => i.id).sort();

  it.each(Object.entries(archivedRequests))('%s: the stored answer, nothing written; a new key 409; a removed member 404', async (name, request) => {
    const budget = await createBudget(t.app, owner, { categories: [{ name: 'Groceries', limit: 50_000 }] });
    const editor = await signUp(t.app, 'editor');
    const membership = await addMember(t.app, owner, budget.id, editor, 'editor');
    // Rules are the owner's to manage; every other write here is an editor's.
    const writer = name.startsWith('categorization') ? owner : editor;
    // An expense made before (without a key) for the routes below one.
    const expense = await addExpense(t.app, owner, budget.id, { amount: 4_000, occurredOn: '2026-11-19', merchant: 'Hardware' });
    const { path, list, key, body } = request(budget, expense.id);
    const first = await as(t.app, writer)('POST', path, { body, headers: withKey(key) });
    expect(first.status, first.text).toBe(201);
    const before = await itemIds(owner, list);

    const archived = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/archive`);
    expect(archived.status, archived.text).toBe(200);
    const replay = await as(t.app, writer)('POST', path, { body, headers: withKey(key) });
    expect(replay.status, replay.text).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.id).toBe(first.json.id);
    expect(await itemIds(owner, list)).toEqual(before);

    const fresh = await as(t.app, writer)('POST', path, { body, headers: withKey(`${key}-new`) });
    expectProblem(fresh, 409);
    expect(fresh.json.type).toMatch(/budget-archived$/);
    expect(await itemIds(owner, list)).toEqual(before);

    if (writer === editor) {
      expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${membership.userId ?? editor.id}`)).status).toBe(204);
      const removed = await as(t.app, editor)('POST', path, { body, headers: withKey(key) });
      expectProblem(removed, 404);
      expect(removed.headers.get('idempotent-replayed')).toBeNull();
    }
  });
});
