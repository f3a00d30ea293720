import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { call } from '../../support/http';
import { createHarness, type Harness, type Team } from './harness';
import { boundApp, inCategory, walkSearch } from './search-walk';
import { addDays, seedExpenses } from './seed';

/**
 * The list's `tag` filter is a search filter: it runs inside the bounded search walk (at most
 * the module's list.maxExamined stored expenses examined per request), alone, with the other
 * filters and with categoryId (single-category and split expenses). The app under test has a
 * small bound so that sparse matches hit it: walking the cursors must meet every match exactly
 * once, in list order. The expected matches are computed here from the data created, with
 * the tags' spellings known by construction (no call to the module's code).
 */
/**
 * 75 expenses (25 of them split): enough for 'the data covers both kinds', which this file's
 * walks need (checked below); 140 made its bound-5 walks by category take about half a minute.
 */
const COUNT = 75;
let h: Harness;
let team: Team;
let cats: string[];

/** Each tag as stored in several spellings; `plain` is what they all mean. */
const TAGS = [
  { plain: 'vacation-2026', spellings: ['vacation-2026', 'Vacation-2026', 'VACATION-2026'] },
  { plain: 'reimbursable', spellings: ['reimbursable', 'Réimbursable', 'RE\u0301IMBURSABLE'] },
  { plain: 'work', spellings: ['work', 'Work'] },
];

interface Row {
  id: string;
  occurredOn: string;
  amount: number;
  createdBy: string;
  categoryId: string | null;
  splits?: { categoryId: string | null; amount: number }[];
  plainTags: string[];
}
let rows: Row[];

const newestFirst = (a: Row, b: Row) => (a.occurredOn === b.occurredOn ? (a.id < b.id ? 1 : -1) : a.occurredOn < b.occurredOn ? 1 : -1);

/** An app examining at most `maxExamined` per searched request, and a walk on it to the last page (search-walk.ts). */
const appWithBound = (maxExamined: number) => boundApp(h, maxExamined);
const walk = (app: App, query: string, limit: number) => walkSearch(h, team, query, limit, app);

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['A', 'B', 'C'] });
  cats = team.budget.categories.map((c) => c.id);
  const [a, b, c] = cats as [string, string, string];
  const plainTagsOf: string[][] = [];
  const bodies = Array.from({ length: COUNT }, (_, i) => {
    const amount = 100 + ((i * 133) % 900);
    const occurredOn = addDays('2026-10-01', (i * 5) % 6);
    // Sparse and overlapping: vacation on every 11th, reimbursable on every 7th, work on every
    // 8th (uncategorized or split; none on 2026-10-03, so a date range's walk meets a gap
    // longer than the bound). Vacation's offset and the amounts' step of 133 (mod 900) put
    // the matches of every search on split expenses of every category within the 75.
    const chosen = TAGS.filter((_, t) => i % [11, 7, 8][t]! === [6, 3, 3][t]!);
    plainTagsOf.push(chosen.map((t) => t.plain));
    const tags = chosen.map((t) => t.spellings[i % t.spellings.length]!);
    const base = { amount, occurredOn, ...(tags.length > 0 ? { tags } : {}) };
    if (i % 3 !== 0) return { ...base, categoryId: [a, b, c, null][i % 4]! };
    const part = Math.floor(amount / 2);
    return { ...base, categoryId: null, splits: [{ categoryId: [a, b, c][(i / 3) % 3]!, amount: part }, { categoryId: null, amount: amount - part }] };
  });
  const byEditor = bodies.map((body, i) => ({ body, i })).filter((x) => x.i % 5 === 0);
  const byOwner = bodies.map((body, i) => ({ body, i })).filter((x) => x.i % 5 !== 0);
  const created = [
    ...(await seedExpenses(h, team.budget, team.editor, byEditor.map((x) => x.body))).map((e, n) => ({ e, i: byEditor[n]!.i })),
    ...(await seedExpenses(h, team.budget, team.owner, byOwner.map((x) => x.body))).map((e, n) => ({ e, i: byOwner[n]!.i })),
  ];
  rows = created.map(({ e, i }) => ({ ...e, plainTags: plainTagsOf[i]! }) as Row).sort(newestFirst);
  expect(rows).toHaveLength(COUNT);
  expect(rows.filter((r) => r.plainTags.includes('vacation-2026')).length).toBeGreaterThan(5);
}, 120_000);
afterAll(() => h.destroy());

describe('the tag filter in the bounded search walk', { timeout: 120_000 }, () => {
  const searches: { label: string; query: () => string; matches: (r: Row) => boolean }[] = [
    { label: 'tag alone (sparse)', query: () => 'tag=VACATION-2026', matches: (r) => r.plainTags.includes('vacation-2026') },
    { label: 'tag in another spelling', query: () => 'tag=reimbursable', matches: (r) => r.plainTags.includes('reimbursable') },
    {
      label: 'tag with amount and author',
      query: () => `tag=Work&minAmount=400&createdBy=${team.owner.id}`,
      matches: (r) => r.plainTags.includes('work') && r.amount >= 400 && r.createdBy === team.owner.id,
    },
    { label: 'tag with a date range', query: () => 'tag=work&from=2026-10-02&to=2026-10-04', matches: (r) => r.plainTags.includes('work') && r.occurredOn >= '2026-10-02' && r.occurredOn <= '2026-10-04' },
  ];

  for (const bound of [5, 12]) {
    for (const s of searches) {
      it(`${s.label}: every match exactly once, in order, at most ${bound} examined per request`, async () => {
        const app = appWithBound(bound);
        const want = rows.filter(s.matches).map((r) => r.id);
        expect(want.length).toBeGreaterThan(0);
        const { ids, pages } = await walk(app, s.query(), 3);
        expect(ids).toEqual(want);
        for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(bound);
        expect(pages.at(-1)!.nextCursor).toBe(false);
        expect(pages.some((p) => p.nextCursor && p.items < 3)).toBe(true);
      });

      it(`${s.label} with categoryId (single-category and split expenses): every match once, at most ${bound} examined`, async () => {
        const app = appWithBound(bound);
        for (const [n, category] of cats.entries()) {
          const want = rows.filter((r) => inCategory(r, category) && s.matches(r)).map((r) => r.id);
          const { ids, pages } = await walk(app, `categoryId=${category}&${s.query()}`, 1 + (n % 3));
          expect(ids, `category ${n}`).toEqual(want);
          for (const p of pages) expect(p.queryLimits).toBeLessThanOrEqual(bound);
          expect(pages.at(-1)!.nextCursor).toBe(false);
        }
      });
    }
  }

  it('the data covers both kinds in the matches of every category', () => {
    for (const [n, s] of searches.entries()) {
      for (const category of cats) {
        const found = rows.filter((r) => inCategory(r, category) && s.matches(r));
        expect(found.filter((r) => r.splits).length, `${s.label}, category ${category}`).toBeGreaterThan(0);
        // The tag alone, in either spelling: single-category matches too in every category.
        if (n < 2) expect(found.filter((r) => !r.splits).length, `${s.label}, category ${category}`).toBeGreaterThan(0);
      }
    }
  });

  it('without a bound hit: a tag nobody has gives an empty last page', async () => {
    const res = await call(appWithBound(1000), 'GET', `/v1/budgets/${team.budget.id}/expenses?tag=nobody`, { token: team.viewer.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ items: [], nextCursor: null });
  });

  it("a cursor is bound to the tag: another tag's cursor is refused", async () => {
    const app = appWithBound(5);
    const first = await call(app, 'GET', `/v1/budgets/${team.budget.id}/expenses?limit=1&tag=work`, { token: team.viewer.token });
    expect(first.json.nextCursor).not.toBeNull();
    const other = await call(app, 'GET', `/v1/budgets/${team.budget.id}/expenses?limit=1&tag=reimbursable&cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: team.viewer.token });
    expect(other.status, other.text).toBe(400);
    // The same tag in another spelling shares the cursor (bound to its searchKey).
    const same = await call(app, 'GET', `/v1/budgets/${team.budget.id}/expenses?limit=1&tag=WORK&cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: team.viewer.token });
    expect(same.status, same.text).toBe(200);
  });
});
