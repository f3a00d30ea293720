import { beforeAll, describe, expect, it } from 'vitest';
import { theEvent } from '../../support/events';
import type { TestSystem } from '../../support/test-system';
import { as, createBudget, expectProblem, type Account } from './helpers';
import { periodLimitsSuite } from './period-limits-harness';

/**
 * Per-period limits set and cleared through HTTP on DynamoDB Local: PUT /v1/budgets/{id}/period-limits
 * sets one category's limit for one period, DELETE clears overrides (before a date, of one category).
 * Every expected amount is worked out by hand from the limits and expenses written here.
 */
const suite = periodLimitsSuite();
const { get, line } = suite;
let t: TestSystem;
let owner: Account;
let editor: Account;
let viewer: Account;
let stranger: Account;
beforeAll(() => ({ t, owner, editor, viewer, stranger } = suite.accounts));
const put = (who: Account, body: Record<string, unknown>, headers: Record<string, string> = {}, id = budgetId) =>
  as(t.app, who)('PUT', `/v1/budgets/${id}/period-limits`, { body, headers });
const clear = (who: Account, query = '', headers: Record<string, string> = {}, id = budgetId) =>
  as(t.app, who)('DELETE', `/v1/budgets/${id}/period-limits${query}`, { headers });
const limitsOf = (json: { periodLimits: { periodStart: string; categoryId: string; limit: number }[] }) =>
  json.periodLimits.map((p) => `${p.periodStart} ${p.categoryId === food ? 'food' : p.categoryId === fun ? 'fun' : p.categoryId} ${p.limit}`);

let budgetId: string;
let food: string;
let fun: string;
let misc: string;

describe('set and clear per-period limits', { timeout: 180_000 }, () => {
  it('setup: a budget created in September; Food (10,000) rolls over; Food spends 8,000 in September, 12,000 in October', async () => {
    ({ budgetId, food, fun, misc } = await suite.foodBudget());
  });

  it("sets Food's October limit to 15,000: the budget with its new ETag, budget.updated with the limit before and after", async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    const res = await put(owner, { categoryId: food, limit: 15_000, date: '2026-10-15' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${before.version + 1}"`);
    expect(res.json.version).toBe(before.version + 1);
    expect(res.json.periodLimits).toEqual([{ periodStart: '2026-10-01', categoryId: food, limit: 15_000 }]);
    // The budget's own limit and the categories' limits do not change.
    expect(res.json.limit).toBe(100_000);
    expect(res.json.categories.map((c: { limit?: number }) => c.limit)).toEqual([10_000, 5_000, undefined]);
    expect(await get(`/v1/budgets/${budgetId}`)).toEqual(res.json);
    const event = await theEvent(t, 'budget.updated', { budgetId, version: before.version + 1 });
    expect(event.envelope.data).toEqual({
      budgetId,
      version: before.version + 1,
      changed: ['periodLimits'],
      updatedBy: owner.id,
      changes: {
        periodLimits: {
          before: [{ periodStart: '2026-10-01', categoryId: food, limit: 10_000 }],
          after: [{ periodStart: '2026-10-01', categoryId: food, limit: 15_000 }],
        },
      },
    });
  });

  it("shows in October's summary only; November carries October at 15,000", async () => {
    const sep = await get(`/v1/budgets/${budgetId}/summary?date=2026-09-15`);
    expect(line(sep.categories, food)).toMatchObject({ limit: 10_000, carriedOver: 0, available: 10_000, remaining: 2_000 });
    // October: 15,000 + September's 10,000 - 8,000 = 2,000 carried: 17,000 available, 12,000 spent.
    const oct = await get(`/v1/budgets/${budgetId}/summary?date=2026-10-15`);
    expect(line(oct.categories, food)).toMatchObject({ limit: 15_000, carriedOver: 2_000, available: 17_000, spent: 12_000, remaining: 5_000 });
    expect(line(oct.categories, fun)).toMatchObject({ limit: 5_000 });
    expect(oct.limit).toBe(100_000);
    // November: its own 10,000, carrying 2,000 + (15,000 - 12,000) = 5,000.
    const nov = await get(`/v1/budgets/${budgetId}/summary?date=2026-11-15`);
    expect(line(nov.categories, food)).toMatchObject({ limit: 10_000, carriedOver: 5_000, available: 15_000 });
  });

  it("defaults to today's period; setting the category's own limit removes the override; the same limit again writes nothing", async () => {
    const set = await put(editor, { categoryId: fun, limit: 4_000 });
    expect(set.status, set.text).toBe(200);
    expect(limitsOf(set.json)).toEqual(['2026-10-01 food 15000', '2026-11-01 fun 4000']);
    const nov = await get(`/v1/budgets/${budgetId}/summary?date=2026-11-15`);
    expect(line(nov.categories, fun)).toMatchObject({ limit: 4_000 });

    const back = await put(owner, { categoryId: fun, limit: 5_000, date: '2026-11-30' });
    expect(back.status, back.text).toBe(200);
    expect(back.json.version).toBe(set.json.version + 1);
    expect(limitsOf(back.json)).toEqual(['2026-10-01 food 15000']);

    const same = await put(owner, { categoryId: food, limit: 15_000, date: '2026-10-01' });
    expect(same.status, same.text).toBe(200);
    expect(same.json).toEqual(back.json);
    expect(same.headers.get('etag')).toBe(`"${back.json.version}"`);
  });

  it('replays a retry with the same Idempotency-Key instead of writing again', async () => {
    const key = `set-${Date.now()}`;
    const first = await put(owner, { categoryId: food, limit: 11_000, date: '2026-12-05' }, { 'Idempotency-Key': key });
    expect(first.status, first.text).toBe(200);
    const again = await put(owner, { categoryId: food, limit: 11_000, date: '2026-12-05' }, { 'Idempotency-Key': key });
    expect(again.status, again.text).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect((await get(`/v1/budgets/${budgetId}`)).version).toBe(first.json.version);
  });

  it('refuses bad requests naming the field, and changes nothing', async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    expectProblem(await put(owner, { limit: 1 }), 400, ['categoryId']);
    expectProblem(await put(owner, { categoryId: food }), 400, ['limit']);
    expectProblem(await put(owner, { categoryId: food, limit: -1 }), 400, ['limit']);
    expectProblem(await put(owner, { categoryId: food, limit: 1.5 }), 400, ['limit']);
    expectProblem(await put(owner, { categoryId: food, limit: 10 ** 12 + 1 }), 400, ['limit']);
    expectProblem(await put(owner, { categoryId: food, limit: 1, date: '2026-02-30' }), 400, ['date']);
    expectProblem(await put(owner, { categoryId: food, limit: 1, amount: 1 }), 400, ['amount']);
    expectProblem(await put(owner, { categoryId: 'nope', limit: 1 }), 422, ['categoryId']);
    // Misc has no limit: nothing for a period to override.
    expectProblem(await put(owner, { categoryId: misc, limit: 1 }), 422, ['categoryId']);
    expectProblem(await clear(owner, '?before=2026-13-01'), 400, ['query.before']);
    expectProblem(await clear(owner, '?after=2026-01-01'), 400, ['query.after']);
    expect(await get(`/v1/budgets/${budgetId}`)).toEqual(before);
  });

  it('owner and editor only: a viewer gets 403, a stranger 404', async () => {
    expectProblem(await put(viewer, { categoryId: food, limit: 1 }), 403);
    expectProblem(await clear(viewer), 403);
    expectProblem(await put(stranger, { categoryId: food, limit: 1 }), 404);
    expectProblem(await clear(stranger), 404);
  });

  it('honours If-Match: a stale ETag is a 412 for PUT and DELETE', async () => {
    const current = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    const stale = `"${current.json.version - 1}"`;
    expectProblem(await put(owner, { categoryId: fun, limit: 1, date: '2027-01-05' }, { 'If-Match': stale }), 412);
    expectProblem(await clear(owner, '', { 'If-Match': stale }), 412);
    const ok = await put(owner, { categoryId: fun, limit: 1, date: '2027-01-05' }, { 'If-Match': current.headers.get('etag')! });
    expect(ok.status, ok.text).toBe(200);
    expect(limitsOf(ok.json)).toEqual(['2026-10-01 food 15000', '2026-12-01 food 11000', '2027-01-01 fun 1']);
  });

  it('clears before a date (keeping later ones), which changes what Food carried; then of one category; then all', async () => {
    // September's Fun too, so that "before November" removes two.
    expect((await put(owner, { categoryId: fun, limit: 2_000, date: '2026-09-01' })).status).toBe(200);
    const current = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    const res = await clear(editor, '?before=2026-11-01', { 'If-Match': current.headers.get('etag')! });
    expect(res.status, res.text).toBe(200);
    // The editor's answer names the editor's role, so its ETag does too (the owner's If-Match took the version).
    expect(res.headers.get('etag')).toBe(`"${current.json.version + 1}-editor"`);
    expect(limitsOf(res.json)).toEqual(['2026-12-01 food 11000', '2027-01-01 fun 1']);
    const event = await theEvent(t, 'budget.updated', { budgetId, version: current.json.version + 1 });
    expect(event.envelope.data.changes).toEqual({
      periodLimits: {
        before: [
          { periodStart: '2026-09-01', categoryId: fun, limit: 2_000 },
          { periodStart: '2026-10-01', categoryId: food, limit: 15_000 },
        ],
        after: [
          { periodStart: '2026-09-01', categoryId: fun, limit: 5_000 },
          { periodStart: '2026-10-01', categoryId: food, limit: 10_000 },
        ],
      },
    });
    // October at Food's own 10,000 again: November carries 2,000 + (10,000 - 12,000) = 0 instead of 5,000.
    const nov = await get(`/v1/budgets/${budgetId}/summary?date=2026-11-15`);
    expect(line(nov.categories, food)).toMatchObject({ limit: 10_000, carriedOver: 0, available: 10_000 });

    // Nothing left before November: no write, the same version.
    const none = await clear(owner, '?before=2026-11-01');
    expect(none.status, none.text).toBe(200);
    expect(none.json.version).toBe(res.json.version);

    const funOnly = await clear(owner, `?categoryId=${fun}`);
    expect(funOnly.status, funOnly.text).toBe(200);
    expect(limitsOf(funOnly.json)).toEqual(['2026-12-01 food 11000']);
    const all = await clear(owner);
    expect(all.status, all.text).toBe(200);
    expect(all.json.periodLimits).toEqual([]);
    expect(all.json.version).toBe(funOnly.json.version + 1);
  });

  it('at the cap of 240, adding one is a 422 naming periodLimits that points at DELETE; clearing old ones lets a move through', async () => {
    const full = await createBudget(t.app, owner, { timezone: 'UTC', categories: [{ name: 'A', limit: 1_000 }, { name: 'B', limit: 1_000 }] });
    const [a, b] = full.categories.map((c) => c.id) as [string, string];
    // 120 monthly moves from January 2000, each adding two overrides: 240.
    const month = (i: number) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
    for (let i = 0; i < 120; i++) {
      const res = await as(t.app, owner)('POST', `/v1/budgets/${full.id}/move-money`, { body: { from: a, to: b, amount: 1, date: month(i) } });
      expect(res.status, res.text).toBe(200);
    }
    expect((await get(`/v1/budgets/${full.id}`)).periodLimits).toHaveLength(240);
    const refused = await put(owner, { categoryId: a, limit: 5, date: '2026-11-01' }, {}, full.id);
    expectProblem(refused, 422, ['periodLimits']);
    expect(refused.json.errors[0].message).toContain('DELETE /v1/budgets/{budgetId}/period-limits');
    const move = () => as(t.app, owner)('POST', `/v1/budgets/${full.id}/move-money`, { body: { from: a, to: b, amount: 1, date: '2026-11-01' } });
    expectProblem(await move(), 422, ['periodLimits']);
    // Changing a period already overridden adds nothing: allowed at the cap.
    expect((await put(owner, { categoryId: a, limit: 5, date: '2000-01-01' }, {}, full.id)).status).toBe(200);

    // 2000's twelve months x 2 categories go.
    const cleared = await clear(owner, '?before=2001-01-01', {}, full.id);
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.periodLimits).toHaveLength(216);
    expect(cleared.json.periodLimits[0].periodStart).toBe('2001-01-01');
    const moved = await move();
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json.periodLimits).toHaveLength(218);
  });
});
