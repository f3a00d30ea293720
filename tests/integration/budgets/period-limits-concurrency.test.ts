import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from '../../support/test-system';
import { addMember, as, createBudget, type Account } from './helpers';
import { periodLimitsSuite } from './period-limits-harness';

/**
 * PUT and DELETE /v1/budgets/{id}/period-limits run concurrently, through HTTP on DynamoDB Local
 * (as move-money's concurrency test): both go through `changePeriodLimits` (version-conditioned,
 * re-read and recomputed on a concurrent write), so no change is lost, a PUT racing a DELETE ends
 * in the state of one of the two orders, and an If-Match held by two requests lets one through.
 */
const suite = periodLimitsSuite();
const { setClock, get } = suite;
let t: TestSystem;
let owner: Account;
let editor: Account;
beforeAll(() => ({ t, owner, editor } = suite.accounts));
const put = (who: Account, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  as(t.app, who)('PUT', `/v1/budgets/${budgetId}/period-limits`, { body, headers });
const clear = (who: Account, query = '', headers: Record<string, string> = {}) =>
  as(t.app, who)('DELETE', `/v1/budgets/${budgetId}/period-limits${query}`, { headers });
type Limits = { periodStart: string; categoryId: string; limit: number }[];
/** The budget as anyone sees it: the answer's `role` is the caller's (owner GETs, the editor may have written). */
const shared = ({ role: _role, ...budget }: Record<string, unknown>) => budget;
const named = (limits: Limits) => limits.map((p) => `${p.periodStart} ${p.categoryId === food ? 'food' : p.categoryId === fun ? 'fun' : p.categoryId} ${p.limit}`);

let budgetId: string;
let food: string;
let fun: string;

describe('per-period limits written concurrently', { timeout: 180_000 }, () => {
  it('setup: a budget with Food (10,000) and Fun (5,000); an editor', async () => {
    const budget = await createBudget(t.app, owner, { limit: 100_000, categories: [{ name: 'Food', limit: 10_000 }, { name: 'Fun', limit: 5_000 }] });
    budgetId = budget.id;
    [food, fun] = budget.categories.map((c) => c.id) as [string, string];
    await addMember(t.app, owner, budgetId, editor, 'editor');
    await setClock('2026-11-20T09:00:00Z');
  });

  it('two concurrent PUTs of different categories: both applied, one version each', async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    const both = await Promise.all([
      put(owner, { categoryId: food, limit: 12_000, date: '2027-01-10' }),
      put(editor, { categoryId: fun, limit: 3_000, date: '2027-01-20' }),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.json.version).sort()).toEqual([before.version + 1, before.version + 2]);
    const after = await get(`/v1/budgets/${budgetId}`);
    expect(after.version).toBe(before.version + 2);
    expect(named(after.periodLimits).sort()).toEqual(['2027-01-01 food 12000', '2027-01-01 fun 3000']);
    // The later answer is the stored budget.
    const later = both.find((r) => r.json.version === after.version)!;
    expect(shared(later.json)).toEqual(shared(after));
  });

  it('a PUT racing a DELETE of the same category ends in one of the two orders, never a mix', async () => {
    for (const round of [1, 2, 3]) {
      // Food's February limit set first (a write whatever the last round left), so the DELETE has something to clear.
      const set = await put(owner, { categoryId: food, limit: 11_000 + round, date: '2027-02-05' });
      expect(set.status, set.text).toBe(200);
      const before = await get(`/v1/budgets/${budgetId}`);
      const [putRes, delRes] = await Promise.all([
        put(owner, { categoryId: food, limit: 8_000, date: '2027-02-05' }),
        clear(editor, `?categoryId=${food}`),
      ]);
      expect([putRes.status, delRes.status], `${putRes.text} ${delRes.text}`).toEqual([200, 200]);
      const after = await get(`/v1/budgets/${budgetId}`);
      // Either order writes twice: PUT then DELETE (8,000 set, then every Food override cleared),
      // or DELETE then PUT (cleared, then February's 8,000 set again).
      expect(after.version).toBe(before.version + 2);
      const putFirst = putRes.json.version < delRes.json.version;
      const foodLimits = named(after.periodLimits.filter((p: { categoryId: string }) => p.categoryId === food));
      expect(foodLimits).toEqual(putFirst ? [] : ['2027-02-01 food 8000']);
      // Fun's override is nobody's business here: kept in both orders.
      expect(named(after.periodLimits.filter((p: { categoryId: string }) => p.categoryId === fun))).toEqual(['2027-01-01 fun 3000']);
      expect(shared((putFirst ? delRes : putRes).json)).toEqual(shared(after));
    }
  });

  it('the same If-Match held by two requests: one applies, the other is a 412 (PUT and PUT, PUT and DELETE)', async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    const etag = `"${before.version}"`;
    const pinned = await Promise.all([
      put(owner, { categoryId: food, limit: 9_000, date: '2027-03-01' }, { 'If-Match': etag }),
      put(editor, { categoryId: fun, limit: 4_000, date: '2027-03-01' }, { 'If-Match': etag }),
    ]);
    expect(pinned.map((r) => r.status).sort()).toEqual([200, 412]);
    const lost = pinned.find((r) => r.status === 412)!;
    expect(lost.headers.get('content-type')).toContain('application/problem+json');
    const won = pinned.find((r) => r.status === 200)!;
    const after = await get(`/v1/budgets/${budgetId}`);
    expect(after.version).toBe(before.version + 1);
    expect(after.periodLimits).toEqual(won.json.periodLimits);

    // A PUT and a DELETE (which has overrides to clear) on the same ETag.
    const etag2 = `"${after.version}"`;
    const mixed = await Promise.all([
      put(owner, { categoryId: food, limit: 7_000, date: '2027-04-01' }, { 'If-Match': etag2 }),
      clear(editor, '', { 'If-Match': etag2 }),
    ]);
    expect(mixed.map((r) => r.status).sort()).toEqual([200, 412]);
    const last = await get(`/v1/budgets/${budgetId}`);
    expect(last.version).toBe(after.version + 1);
    const winner = mixed.find((r) => r.status === 200)!;
    expect(shared(last)).toEqual(shared(winner.json));
    // The PUT won: April's 7,000 added to what was there; the DELETE won: nothing left.
    if (winner === mixed[0]) expect(named(last.periodLimits)).toContain('2027-04-01 food 7000');
    else expect(last.periodLimits).toEqual([]);
  });
});
