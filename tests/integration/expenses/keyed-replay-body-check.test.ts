import { newId } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * A keyed create's replay answers the stored answer, not a new check of the body against the
 * budget as it is now: the category the first request named was removed since, and the retry
 * of that committed create (a lost answer) answered 400 "no such category" although the expense
 * exists. Access is still checked again (a removed member 404, a viewer 403), and another body
 * under the same key is still the 422 of the key conventions. The recurring create completes
 * its key inside its write (the lease middleware replays before the handler runs): the same
 * retry replays too (an income entry names no category: nothing of its body is the budget's).
 */
let h: Harness;
let owner: User;
let sam: User;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  sam = await h.signup('sam');
});
afterAll(() => h.destroy());

/** Removes `categoryId` from the budget (PATCH of its category list, If-Match on its version). */
async function removeCategory(b: Budget, categoryId: string) {
  const budget = (await h.call('GET', `/v1/budgets/${b.id}`, { token: owner.token })).json;
  const res = await h.call('PATCH', `/v1/budgets/${b.id}`, {
    token: owner.token,
    headers: { 'if-match': `"${budget.version}"` },
    body: { categories: budget.categories.filter((c: { id: string }) => c.id !== categoryId) },
  });
  expect(res.status, res.text).toBe(200);
}

/** A budget of the owner with sam as an editor, and the id of its first category. */
async function budgetWithSam() {
  const budget = await h.createBudget(owner);
  await h.addMember(budget, owner, sam, 'editor');
  return { budget, category: budget.categories[0]!.id };
}

const keyed = (who: User, path: string, key: string, body: unknown) => h.call('POST', path, { token: who.token, body, headers: { 'idempotency-key': key } });

// Both ways an expense create runs: the day named (one checked transaction) and not (read first).
describe.each([
  ['the day named', { occurredOn: '2026-11-20' }],
  ['no day (read first)', {}],
])('a keyed expense create replayed after its category was removed (%s)', (_label, day) => {
  it('answers the stored 201; a removed member 404, a viewer 403, another body 422', async () => {
    const { budget, category } = await budgetWithSam();
    const path = `/v1/budgets/${budget.id}/expenses`;
    const body = { amount: 1_250, merchant: 'Market', categoryId: category, ...day };
    const key = newId(Date.now());
    const first = await keyed(sam, path, key, body);
    expect(first.status, first.text).toBe(201);
    // A key that names no time: its record is an item of its own (platform idFromKey).
    const other = 'a-key-that-names-no-time-' + newId(Date.now());
    const firstOther = await keyed(sam, path, other, body);
    expect(firstOther.status, firstOther.text).toBe(201);
    await removeCategory(budget, category);

    for (const [k, answer] of [[key, first], [other, firstOther]] as const) {
      const retry = await keyed(sam, path, k, body);
      expect(retry.status, retry.text).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.json).toEqual(answer.json);
      expect(retry.headers.get('location')).toBe(answer.headers.get('location'));
      expectProblem(await keyed(sam, path, k, { ...body, amount: 1_251 }), 422);
    }
    const expenses = (await h.listExpenses(budget, owner.token)).filter((e) => e.merchant === 'Market');
    expect(expenses).toHaveLength(2);
    // The same key and body by another user, or on another budget, is another request: the
    // refusal's lookup finds no record of its own, so the body's 400 stands (never sam's answer).
    const elsewhere = await h.createBudget(sam);
    for (const [who, at] of [[owner, path], [sam, `/v1/budgets/${elsewhere.id}/expenses`]] as const) {
      for (const k of [key, other]) expectProblem(await keyed(who, at, k, body), 400, ['categoryId']);
    }
    expect((await h.listExpenses(elsewhere, sam.token)).filter((e) => e.merchant === 'Market')).toEqual([]);

    const demoted = await h.call('PATCH', `/v1/budgets/${budget.id}/members/${sam.id}`, { token: owner.token, body: { role: 'viewer' } });
    expect(demoted.status, demoted.text).toBe(200);
    expectProblem(await keyed(sam, path, key, body), 403);
    expectProblem(await keyed(sam, path, other, body), 403);
    expect((await h.call('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`, { token: owner.token })).status).toBe(204);
    expectProblem(await keyed(sam, path, key, body), 404);
    expectProblem(await keyed(sam, path, other, body), 404);
  });
});

describe('a keyed recurring create replayed after its category was removed', () => {
  it('recurring: the stored 201', async () => {
    const { budget, category } = await budgetWithSam();
    const path = `/v1/budgets/${budget.id}/recurring-expenses`;
    const key = newId(Date.now());
    const body = { amount: 4_500, merchant: 'Gym', categoryId: category, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } };
    const first = await keyed(sam, path, key, body);
    expect(first.status, first.text).toBe(201);
    await removeCategory(budget, category);
    const retry = await keyed(sam, path, key, body);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
  });
});
