import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { createHarness, type Harness, type Team } from './harness';
import { boundApp, walkSearch } from './search-walk';

/**
 * GET /v1/budgets/{budgetId}/expenses?categoryId=uncategorized: the expenses behind the summary's
 * `uncategorizedSpent` (and the "Uncategorized" line of GET .../spending?by=category). The test
 * clock is 2026-11-24, the budget monthly in UTC: November is the summary's period. Categories
 * Food, Home and Gone (Gone removed from the budget after the expenses are recorded):
 *
 *   n  amount  date        what                                   merchant  listed?
 *   1  1000    2026-11-02  Food (reviewed: false)                 Shop      no
 *   2  2000    2026-11-03  split Food 1200, none 800              Shop      yes (800 uncategorized)
 *   3   400    2026-11-04  none (reviewed: false)                 Kiosk     yes
 *   4   600    2026-11-05  Gone                                   Kiosk     yes (removed category)
 *   5   700    2026-11-06  split Food 300, Home 400               -         no
 *   6   900    2026-11-07  split Home 500, Gone 400               -         yes (400 in removed Gone)
 *   7   250    2026-10-30  none                                   Kiosk     yes (before November)
 *   8   150    2026-11-08  none                                   -         yes
 *
 * Newest first the list is 8, 6, 4, 3, 2, 7. November's listed amounts add up to
 * 150 + 900 + 600 + 400 + 2000 = 4050; uncategorizedSpent is only the parts outside the kept
 * categories: 150 + 400 + 600 + 400 + 800 = 2350 = 4050 - 500 (6's Home part) - 1200 (2's Food part).
 */
let h: Harness;
let team: Team;
let ids: string[];
let food: string;
let gone: string;

const list = async (query: string) => {
  const res = await h.call('GET', `/v1/budgets/${team.budget.id}/expenses?${query}`, { token: team.viewer.token });
  expect(res.status, res.text).toBe(200);
  return res.json as { items: { id: string; amount: number; splits?: { categoryId: string | null; amount: number }[] }[]; nextCursor: string | null };
};
/** The numbers (1..8 of the table) of the listed expenses, in list order. */
const numbers = (items: { id: string }[]) => items.map((x) => ids.indexOf(x.id) + 1);

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Food', 'Home', 'Gone'] });
  const [f, home, g] = team.budget.categories.map((c) => c.id) as [string, string, string];
  food = f;
  gone = g;
  const bodies: Record<string, unknown>[] = [
    { amount: 1000, occurredOn: '2026-11-02', categoryId: food, merchant: 'Shop', reviewed: false },
    { amount: 2000, occurredOn: '2026-11-03', merchant: 'Shop', splits: [{ categoryId: food, amount: 1200 }, { categoryId: null, amount: 800 }] },
    { amount: 400, occurredOn: '2026-11-04', categoryId: null, merchant: 'Kiosk', reviewed: false },
    { amount: 600, occurredOn: '2026-11-05', categoryId: gone, merchant: 'Kiosk' },
    { amount: 700, occurredOn: '2026-11-06', splits: [{ categoryId: food, amount: 300 }, { categoryId: home, amount: 400 }] },
    { amount: 900, occurredOn: '2026-11-07', splits: [{ categoryId: home, amount: 500 }, { categoryId: gone, amount: 400 }] },
    { amount: 250, occurredOn: '2026-10-30', categoryId: null, merchant: 'Kiosk' },
    { amount: 150, occurredOn: '2026-11-08', categoryId: null },
  ];
  ids = [];
  for (const body of bodies) {
    const res = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token: team.owner.token, body });
    expect(res.status, res.text).toBe(201);
    ids.push(res.json.id);
  }
  const kept = team.budget.categories.filter((c) => c.id !== gone).map((c) => ({ id: c.id, name: c.name }));
  const patched = await h.call('PATCH', `/v1/budgets/${team.budget.id}`, { token: team.owner.token, body: { categories: kept } });
  expect(patched.status, patched.text).toBe(200);
}, 60_000);
afterAll(() => h.destroy());

describe('listing the uncategorized expenses', { timeout: 60_000 }, () => {
  it('lists uncategorized, removed-category and split-with-such-a-part expenses, newest first; not categorized ones', async () => {
    const page = await list('categoryId=uncategorized');
    expect(numbers(page.items)).toEqual([8, 6, 4, 3, 2, 7]);
    expect(page.nextCursor).toBeNull();
  });

  it('with from/to: November only; the amounts add up to uncategorizedSpent once the split parts in kept categories are taken off', async () => {
    const page = await list('categoryId=uncategorized&from=2026-11-01&to=2026-11-30');
    expect(numbers(page.items)).toEqual([8, 6, 4, 3, 2]);
    const listed = page.items.reduce((sum, x) => sum + x.amount, 0);
    expect(listed).toBe(4050);
    const keptParts = page.items.flatMap((x) => x.splits ?? []).filter((p) => p.categoryId !== null && p.categoryId !== gone);
    expect(keptParts.reduce((sum, p) => sum + p.amount, 0)).toBe(1700);
    const summary = await h.call('GET', `/v1/budgets/${team.budget.id}/summary?date=2026-11-24`, { token: team.viewer.token });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.uncategorizedSpent).toBe(2350);
    expect(listed - 1700).toBe(summary.json.uncategorizedSpent);
  });

  it('combines with the search filters (AND) and with from', async () => {
    expect(numbers((await list('categoryId=uncategorized&q=kiosk')).items)).toEqual([4, 3, 7]);
    expect(numbers((await list('categoryId=uncategorized&q=kiosk&from=2026-11-01')).items)).toEqual([4, 3]);
    expect(numbers((await list('categoryId=uncategorized&merchant=shop')).items)).toEqual([2]);
    expect(numbers((await list('categoryId=uncategorized&minAmount=600')).items)).toEqual([6, 4, 2]);
    // The review inbox's own index, filtered the same way: 1 needs review too but is Food.
    expect(numbers((await list('categoryId=uncategorized&reviewed=false')).items)).toEqual([3]);
  });

  it('a real category keeps its listing (its expenses and its split parts); a removed one is still a 400', async () => {
    expect(numbers((await list(`categoryId=${food}`)).items)).toEqual([5, 2, 1]);
    const removed = await h.call('GET', `/v1/budgets/${team.budget.id}/expenses?categoryId=${gone}`, { token: team.viewer.token });
    expectProblem(removed, 400, ['query.categoryId']);
  });

  it('pages under a small bound on expenses examined: short pages with a cursor, every match once, in order', async () => {
    const app = boundApp(h, 2);
    const { ids: walked, pages } = await walkSearch(h, team, 'categoryId=uncategorized', 1, app);
    expect(numbers(walked.map((id) => ({ id })))).toEqual([8, 6, 4, 3, 2, 7]);
    // At most the bound read per request (it is at least limit + 1 = 2).
    for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(2);
    expect(pages.at(-1)!.nextCursor).toBe(false);
    // With q=kiosk, 8 and 6 (the first two examined) do not match: the first page is empty and says "go on".
    const kiosk = await walkSearch(h, team, 'categoryId=uncategorized&q=kiosk', 1, app);
    expect(numbers(kiosk.ids.map((id) => ({ id })))).toEqual([4, 3, 7]);
    expect(kiosk.pages[0]).toEqual({ items: 0, nextCursor: true, queryLimits: 2 });
    for (const p of kiosk.pages) expect(p.queryLimits).toBeLessThanOrEqual(2);
    expect(kiosk.pages.at(-1)!.nextCursor).toBe(false);
  });

  it('the cursor is bound to the filter: refused by the list without it or by a real category', async () => {
    const first = await list('categoryId=uncategorized&limit=2');
    expect(first.nextCursor).not.toBeNull();
    const cursor = encodeURIComponent(first.nextCursor!);
    for (const query of [`limit=2&cursor=${cursor}`, `limit=2&categoryId=${food}&cursor=${cursor}`]) {
      const res = await h.call('GET', `/v1/budgets/${team.budget.id}/expenses?${query}`, { token: team.viewer.token });
      expectProblem(res, 400, ['query.cursor']);
    }
    const next = await list(`categoryId=uncategorized&limit=2&cursor=${cursor}`);
    expect(numbers(next.items)).toEqual([4, 3]);
  });
});
