import { describe, expect, it } from 'vitest';
import { createBudget } from '../../support/actors';
import { archiveRaceSuite, expectArchived } from '../../support/archive-race';

/**
 * The archive and the budget item's own writes (packages/budgets/docs/budget-lifecycle.md "Archiving a budget"): PATCH of
 * the budget's fields and of its categories, move money, PUT and DELETE of the per-period
 * limits. Each answers 409 `budget-archived` on an archived budget, and also when held between
 * its access check and its transaction while the archive commits (each is written only if the
 * budget's version is the one it read, and the archive bumps it: the retry re-reads and meets
 * the archive). The budget is as it was; unarchived, the same write works.
 */
const race = archiveRaceSuite();
const { req, ok } = race;

/** A budget whose two categories have limits (move money and period limits need them). */
async function budgetWithLimits() {
  const b = await createBudget(race.h.app, race.team.owner, {
    name: 'Household',
    currency: 'EUR',
    timezone: 'UTC',
    limit: 100_000,
    categories: [
      { name: 'Food', limit: 50_000 },
      { name: 'Fun', limit: 20_000 },
    ],
  });
  const [food, fun] = b.categories.map((c: { id: string }) => c.id) as [string, string];
  return { id: b.id, url: `/v1/budgets/${b.id}`, food, fun };
}

/** The budget as GET shows it, less what the archive and unarchive themselves change. */
async function contents(url: string) {
  const { version: _version, updatedAt: _updatedAt, archivedAt: _archivedAt, ...rest } = await ok('GET', url, 200);
  return rest;
}

/**
 * `method url` refused on the archived budget, then held past its access check (its transaction
 * names `marker`) while the archive commits: 409 both times, the budget as it was.
 */
async function refusedBothWays(b: { id: string; url: string }, marker: string, method: string, url: string, body?: unknown) {
  const before = await contents(b.url);
  await race.archive(b.id);
  expectArchived(await req(method, url, body));
  await race.unarchive(b.id);
  await race.refusedWhileArchiving(b.id, marker, method, url, body);
  expect(await contents(b.url)).toEqual(before);
}

describe('archive vs the budget item writes, refused when archived and when held past their access check', { timeout: 180_000 }, () => {
  it("PATCH of the budget's fields: 409 both ways, also with If-Match (the archive's 409, not a 412); works after unarchive", async () => {
    const b = await budgetWithLimits();
    await refusedBothWays(b, 'Renamed while archiving', 'PATCH', b.url, { name: 'Renamed while archiving', limit: 90_000 });
    const { version } = await ok('GET', b.url, 200);
    const held = await race.heldOn(b.id, 'Renamed with If-Match', () => race.call('PATCH', b.url, { body: { name: 'Renamed with If-Match' }, headers: { 'if-match': `"${version}"` } }));
    expectArchived(held);
    await race.unarchive(b.id);
    expect(await ok('PATCH', b.url, 200, { name: 'Renamed while archiving', limit: 90_000 })).toMatchObject({ name: 'Renamed while archiving', limit: 90_000 });
  });

  it('PATCH of its categories (a rename, a limit): 409 both ways; works after unarchive', async () => {
    const b = await budgetWithLimits();
    const categories = [
      { id: b.food, name: 'Groceries renamed', limit: 45_000 },
      { id: b.fun, name: 'Fun', limit: 20_000 },
    ];
    await refusedBothWays(b, 'Groceries renamed', 'PATCH', b.url, { categories });
    const patched = await ok('PATCH', b.url, 200, { categories });
    expect(patched.categories.map((c: { name: string; limit: number }) => [c.name, c.limit])).toEqual([
      ['Groceries renamed', 45_000],
      ['Fun', 20_000],
    ]);
  });

  it('move money: 409 both ways; works after unarchive', async () => {
    const b = await budgetWithLimits();
    const move = { from: b.food, to: b.fun, amount: 5_000, date: '2026-11-20' };
    await refusedBothWays(b, 'periodLimits', 'POST', `${b.url}/move-money`, move);
    const moved = await ok('POST', `${b.url}/move-money`, 200, move);
    expect(moved.periodLimits).toEqual([
      { periodStart: '2026-11-01', categoryId: b.food, limit: 45_000 },
      { periodStart: '2026-11-01', categoryId: b.fun, limit: 25_000 },
    ]);
  });

  it('PUT and DELETE of the per-period limits: 409 both ways, the override kept; each works after unarchive', async () => {
    const b = await budgetWithLimits();
    await ok('PUT', `${b.url}/period-limits`, 200, { categoryId: b.food, limit: 60_000, date: '2026-11-20' });
    await refusedBothWays(b, 'periodLimits', 'PUT', `${b.url}/period-limits`, { categoryId: b.food, limit: 65_000, date: '2026-11-20' });
    await refusedBothWays(b, 'periodLimits', 'DELETE', `${b.url}/period-limits`);
    expect((await ok('GET', b.url, 200)).periodLimits).toEqual([{ periodStart: '2026-11-01', categoryId: b.food, limit: 60_000 }]);
    expect((await ok('PUT', `${b.url}/period-limits`, 200, { categoryId: b.food, limit: 65_000, date: '2026-11-20' })).periodLimits).toEqual([
      { periodStart: '2026-11-01', categoryId: b.food, limit: 65_000 },
    ]);
    expect((await ok('DELETE', `${b.url}/period-limits`, 200)).periodLimits).toEqual([]);
  });
});
