import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { createHarness, type Harness, type Team } from './harness';
import { boundApp, inCategory, walkSearch } from './search-walk';
import { addDays, seedExpenses } from './seed';

/**
 * Searching the list by category in a budget with single-category AND split expenses: the
 * category's own gsi2 partition and the budget's split partition are one stream, and the
 * search's bound on stored expenses examined counts both. The app under test has a small bound
 * (the module's list.maxExamined) so that sparse matches hit it on most requests: pages come
 * back short or empty with a cursor, and walking the cursors must meet every match exactly once,
 * in list order. The expected matches are computed here from the data created (plain
 * comparisons and regular expressions, not the module's code).
 */
/**
 * 60 expenses (20 of them split) are enough for every case below, checked by 'the data covers
 * both kinds': each walk crosses both partitions over many short pages. The amounts step by
 * 173 (mod 900) rather than 37 so that a large split expense by the editor filed under C comes
 * early (i = 15); with 37 it came only at i = 120, and 150 expenses made this file's bound-4
 * walks take about a minute.
 */
const COUNT = 60;
let h: Harness;
let team: Team;
let cats: string[];

interface Part {
  categoryId: string | null;
  amount: number;
  description?: string;
}
interface Row {
  id: string;
  occurredOn: string;
  amount: number;
  createdBy: string;
  categoryId: string | null;
  merchant?: string;
  description?: string;
  splits?: Part[];
}
let rows: Row[];

const newestFirst = (a: Row, b: Row) => (a.occurredOn === b.occurredOn ? (a.id < b.id ? 1 : -1) : a.occurredOn < b.occurredOn ? 1 : -1);
const texts = (r: Row) => [r.merchant, r.description, ...(r.splits ?? []).map((p) => p.description)].filter((t): t is string => t !== undefined);

/** An app examining at most `maxExamined` per searched request, and a walk on it to the last page (search-walk.ts). */
const appWithBound = (maxExamined: number) => boundApp(h, maxExamined);
const walk = (app: App, query: string, limit: number) => walkSearch(h, team, query, limit, app);

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['A', 'B', 'C'] });
  cats = team.budget.categories.map((c) => c.id);
  const [a, b, c] = cats as [string, string, string];
  // Every third expense is split: A+B, B+C or C+uncategorized; the others are filed under A, B,
  // C or nothing. Six days, so same-day ties are the norm and both partitions interleave.
  const pairs: [string | null, string | null][] = [
    [a, b],
    [b, c],
    [c, null],
  ];
  const bodies = Array.from({ length: COUNT }, (_, i) => {
    const amount = 100 + ((i * 173) % 900);
    const occurredOn = addDays('2026-10-01', (i * 5) % 6);
    const merchant = i % 17 === 5 ? `Café Zoë ${i}` : i % 2 === 1 ? 'Corner Market' : undefined;
    const description = i % 23 === 4 ? 'cafe au lait' : undefined;
    const base = { amount, occurredOn, ...(merchant && { merchant }), ...(description && { description }) };
    if (i % 3 !== 0) return { ...base, categoryId: [a, b, c, null][i % 4]! };
    const [first, second] = pairs[(i / 3) % 3]!;
    const part = Math.floor(amount / 3);
    // A part's description only: found by q through the part, nowhere else.
    const note = i % 27 === 0 ? { description: `Batteries ${i}` } : {};
    return { ...base, categoryId: null, splits: [{ categoryId: first, amount: part, ...note }, { categoryId: second, amount: amount - part }] };
  });
  const byEditor = bodies.filter((_, i) => i % 5 === 0);
  const byOwner = bodies.filter((_, i) => i % 5 !== 0);
  const created = [...(await seedExpenses(h, team.budget, team.editor, byEditor)), ...(await seedExpenses(h, team.budget, team.owner, byOwner))];
  rows = created.map((x) => ({ ...x }) as Row).sort(newestFirst);
  expect(rows).toHaveLength(COUNT);
  expect(rows.filter((r) => r.splits).length).toBe(COUNT / 3);
}, 120_000);
afterAll(() => h.destroy());

describe('searching the list by category over single-category and split expenses', { timeout: 120_000 }, () => {
  const cafe = /caf[eé]/i;
  const searches: { query: (c: string) => string; matches: (r: Row) => boolean; label: string }[] = [
    { label: 'q (sparse text)', query: () => 'q=CAFE', matches: (r) => texts(r).some((t) => cafe.test(t)) },
    { label: 'q found in a part description only', query: () => 'q=batteries', matches: (r) => texts(r).some((t) => /batteries/i.test(t)) },
    {
      label: 'amount (whole amount) and author',
      query: () => `minAmount=800&createdBy=${team.editor.id}`,
      matches: (r) => r.amount >= 800 && r.createdBy === team.editor.id,
    },
    { label: 'maxAmount and merchant', query: () => 'maxAmount=300&merchant=corner%20market', matches: (r) => r.amount <= 300 && r.merchant === 'Corner Market' },
  ];

  for (const bound of [4, 9]) {
    for (const s of searches) {
      it(`${s.label}: every match of each category exactly once, in order, at most ${bound} examined per request`, async () => {
        const app = appWithBound(bound);
        let shortPagesWithCursor = 0;
        for (const [n, category] of cats.entries()) {
          const want = rows.filter((r) => inCategory(r, category) && s.matches(r)).map((r) => r.id);
          const { ids, pages } = await walk(app, `categoryId=${category}&${s.query(category)}`, 1 + (n % 3));
          expect(ids, `category ${n}`).toEqual(want);
          for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(bound);
          expect(pages.at(-1)!.nextCursor).toBe(false);
          shortPagesWithCursor += pages.filter((p) => p.nextCursor && p.items < 1 + (n % 3)).length;
        }
        // The bound was hit: some page stopped early and said "go on".
        expect(shortPagesWithCursor).toBeGreaterThan(0);
      });
    }
  }

  it('the data covers both kinds in the matches', () => {
    const [a, , c] = cats as [string, string, string];
    const kinds = (category: string, matches: (r: Row) => boolean) => {
      const found = rows.filter((r) => inCategory(r, category) && matches(r));
      return { split: found.filter((r) => r.splits).length, single: found.filter((r) => !r.splits).length };
    };
    const cafeIn = kinds(a, (r) => texts(r).some((t) => cafe.test(t)));
    expect(cafeIn.split).toBeGreaterThan(0);
    expect(cafeIn.single).toBeGreaterThan(0);
    const bigByEditor = kinds(c, (r) => r.amount >= 800 && r.createdBy === team.editor.id);
    expect(bigByEditor.split).toBeGreaterThan(0);
    expect(bigByEditor.single).toBeGreaterThan(0);
    // Amount bounds take the whole amount: some split expense matches minAmount=800 with no part that large.
    expect(rows.some((r) => r.splits && r.amount >= 800 && r.splits.every((p) => p.amount < 800))).toBe(true);
  });

  it('the same search without a category (one partition) pages exactly too', async () => {
    const app = appWithBound(5);
    const want = rows.filter((r) => texts(r).some((t) => cafe.test(t))).map((r) => r.id);
    const { ids, pages } = await walk(app, 'q=cafe', 2);
    expect(ids).toEqual(want);
    for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(5);
  });

  it('without a search a category list is bounded too (the split partition is filtered): every expense of the category exactly once, in order', async () => {
    // Until 2026-12-07 only a search was bounded: a category's page read the budget's split
    // expenses of other categories until it was full, all of them when the category had few.
    for (const bound of [4, 9]) {
      const app = appWithBound(bound);
      for (const [n, category] of cats.entries()) {
        const limit = 1 + (n % 3);
        const want = rows.filter((r) => inCategory(r, category)).map((r) => r.id);
        const { ids, pages } = await walk(app, `categoryId=${category}`, limit);
        expect(ids, `category ${n}, bound ${bound}`).toEqual(want);
        for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(Math.max(bound, limit + 1));
        expect(pages.at(-1)!.nextCursor).toBe(false);
      }
    }
    // With the module's own bound (1,000) the pages of this small budget are full, as before.
    for (const category of cats) {
      const { pages } = await walk(h.t.app, `categoryId=${category}`, 7);
      for (const p of pages) if (p.nextCursor) expect(p.items).toBe(7);
    }
  });

  it('a filtered CSV export writes each matching split expense as one row per part', async () => {
    const res = await h.call('GET', `/v1/budgets/${team.budget.id}/expenses/export?minAmount=900`, { token: team.viewer.token });
    expect(res.status, res.text).toBe(200);
    const names = new Map(team.budget.categories.map((c) => [c.id, c.name]));
    const money = (n: number) => (n / 100).toFixed(2);
    const want = rows
      .filter((r) => r.amount >= 900)
      .flatMap((r) =>
        r.splits
          ? r.splits.map((p) => [r.occurredOn, money(p.amount), p.categoryId === null ? '' : names.get(p.categoryId)!, p.description ?? r.description ?? '', r.merchant ?? '', '', '', '', 'true', ''])
          : [[r.occurredOn, money(r.amount), r.categoryId === null ? '' : names.get(r.categoryId)!, r.description ?? '', r.merchant ?? '', '', '', '', 'true', '']],
      );
    expect(want.length).toBeGreaterThan(rows.filter((r) => r.amount >= 900).length);
    expect(parse(res.text).slice(1)).toEqual(want);
  });
});
