import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_MAX_EXAMINED } from '../../../packages/expenses/src/domain/expense-search';
import { createHarness, type Harness, type Team } from './harness';
import { walkSearch } from './search-walk';
import { addDays, importExpenses, storedExpenses } from './seed';

/**
 * Searching a large budget whose matches are sparse: one request examines at most
 * LIST_MAX_EXAMINED stored expenses (the Limits of its Queries add up to no more), so a page
 * can come back with fewer items than asked, even none, and still a nextCursor; walking the
 * cursors meets every match exactly once, in list order, and ends with nextCursor null. The
 * expected matches are computed here from the data created, with regular expressions and
 * plain comparisons, not with the module's code.
 */
const COUNT = 2600;
let h: Harness;
let team: Team;
interface Row {
  id: string;
  occurredOn: string;
  amount: number;
  createdBy: string;
  categoryId: string | null;
  merchant?: string;
  description?: string;
}
let rows: Row[];

const newestFirst = (a: Row, b: Row) => (a.occurredOn === b.occurredOn ? (a.id < b.id ? 1 : -1) : a.occurredOn < b.occurredOn ? 1 : -1);

/** Follows nextCursor to the end as the viewer (search-walk.ts). */
const walk = (query: string, limit: number) => walkSearch(h, team, query, limit);

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Food', 'Home'] });
  const categories = [null, ...team.budget.categories.map((c) => c.id)];
  // 90 days for 2,600 expenses (about 29 a day): same-day ties are the norm. The "café"
  // expenses are only in the first 12 days (in the merchant) and the last 10 (in the
  // description), so newest first there is a gap of about 1,900 expenses without one.
  const bodies = Array.from({ length: COUNT }, (_, i) => {
    const day = (i * 7) % 90;
    return {
      amount: 100 + ((i * 37) % 5000),
      occurredOn: addDays('2026-01-01', day),
      categoryId: categories[i % 3]!,
      ...(i % 43 === 7 && day < 12 ? { merchant: `Café Zoë ${i}` } : i % 2 === 1 ? { merchant: 'Corner Market' } : {}),
      description: i % 41 === 3 && day >= 80 ? 'CAFE au lait' : 'groceries',
    };
  });
  // Two CSV imports (seed.ts), one per author: about 30 expenses per transaction, where one
  // create per expense took most of this file's time. The rows are what was stored.
  await importExpenses(h, team.budget, team.editor, bodies.filter((_, i) => i % 3 === 0));
  await importExpenses(h, team.budget, team.owner, bodies.filter((_, i) => i % 3 !== 0));
  rows = (await storedExpenses(h, team.budget)).map((x) => ({ ...x }) as Row).sort(newestFirst);
  expect(rows).toHaveLength(COUNT);
  expect(rows.filter((r) => r.createdBy === team.editor.id)).toHaveLength(Math.ceil(COUNT / 3));
}, 300_000);
afterAll(() => h.destroy());

describe('searching a large budget page by page', { timeout: 120_000 }, () => {
  it('finds every sparse text match exactly once, in order, though some pages are empty', async () => {
    const cafe = /caf[eé]/i;
    const want = rows.filter((r) => cafe.test(r.merchant ?? '') || cafe.test(r.description ?? '')).map((r) => r.id);
    expect(want).toHaveLength(15);
    const { ids, pages } = await walk('q=CAFE', 5);
    expect(ids).toEqual(want);
    // Some page found nothing within its bound and still said "go on".
    expect(pages.some((p) => p.items === 0 && p.nextCursor)).toBe(true);
    for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(LIST_MAX_EXAMINED);
    expect(pages.at(-1)!.nextCursor).toBe(false);
  });

  it('a search that matches nothing answers empty pages with a cursor until the range is examined, then null', async () => {
    const { ids, pages } = await walk('q=nothing-like-this', 50);
    expect(ids).toEqual([]);
    expect(pages).toHaveLength(Math.ceil(COUNT / LIST_MAX_EXAMINED));
    expect(pages.map((p) => p.nextCursor)).toEqual([...Array(pages.length - 1).fill(true), false]);
    for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(LIST_MAX_EXAMINED);
  });

  it('pages amount and author filters (a FilterExpression) exactly, combined with a category', async () => {
    const want = rows.filter((r) => r.amount >= 5040 && r.createdBy === team.editor.id).map((r) => r.id);
    expect(want.length).toBeGreaterThan(3);
    expect(want.length).toBeLessThan(30);
    const { ids, pages } = await walk(`minAmount=5040&createdBy=${team.editor.id}`, 3);
    expect(ids).toEqual(want);
    for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(LIST_MAX_EXAMINED);

    const home = team.budget.categories[1]!.id;
    const wantHome = rows.filter((r) => r.categoryId === home && r.amount <= 150 && r.merchant === 'Corner Market').map((r) => r.id);
    expect(wantHome.length).toBeGreaterThan(3);
    const byCategory = await walk(`categoryId=${home}&maxAmount=150&merchant=corner%20market`, 2);
    expect(byCategory.ids).toEqual(wantHome);
  });

  it('a dense search fills every page before its bound: nextCursor only after a full page', async () => {
    const want = rows.filter((r) => r.merchant === 'Corner Market').map((r) => r.id);
    const { ids, pages } = await walk('merchant=CORNER%20MARKET', 100);
    expect(ids).toEqual(want);
    for (const p of pages) if (p.nextCursor) expect(p.items).toBe(100);
  });
});
