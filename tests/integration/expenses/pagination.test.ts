import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { addDays, importExpenses, seedExpenses, storedExpenses } from './seed';

/**
 * Walking every page of 1,000 expenses returns each exactly once, newest occurredOn first
 * (same day: newest id first); a cursor only works for the list and filters it came from.
 */
let h: Harness;
let owner: User;
let budget: Budget;
let other: Budget;
let expected: { id: string; occurredOn: string; categoryId: string | null }[];
const path = (b: Budget) => `/v1/budgets/${b.id}/expenses`;

const newestFirst = (a: { occurredOn: string; id: string }, b: { occurredOn: string; id: string }) =>
  a.occurredOn === b.occurredOn ? (a.id < b.id ? 1 : -1) : a.occurredOn < b.occurredOn ? 1 : -1;

async function walk(b: Budget, query: string, limit: number) {
  const seen: { id: string; occurredOn: string; categoryId: string | null }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await h.call('GET', `${path(b)}?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      token: owner.token,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.length).toBeLessThanOrEqual(limit);
    if (res.json.nextCursor) expect(res.json.items).toHaveLength(limit);
    seen.push(...res.json.items);
    cursor = res.json.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { seen, pages };
}

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { categories: ['Food', 'Home', 'Fun'] });
  other = await h.createBudget(owner);
  const categories = [null, ...budget.categories.map((c) => c.id)];
  // 1,000 expenses over 60 days: ~17 per day, so same-day ties are the norm.
  const bodies = Array.from({ length: 1000 }, (_, i) => ({
    amount: 100 + i,
    occurredOn: addDays('2026-09-15', (i * 7) % 60),
    categoryId: categories[i % categories.length] ?? null,
  }));
  // One CSV import (seed.ts): about 30 expenses per transaction, not one each. The expected
  // order is computed from what was stored.
  await importExpenses(h, budget, owner, bodies);
  expected = (await storedExpenses(h, budget)).sort(newestFirst);
  expect(expected).toHaveLength(1000);
  await seedExpenses(h, other, owner, [{ amount: 1, occurredOn: '2026-10-01' }, { amount: 2, occurredOn: '2026-10-02' }]);
}, 300_000);
afterAll(() => h.destroy());

describe('cursor pagination', { timeout: 120_000 }, () => {
  it('walks 1,000 expenses page by page: each exactly once, in order', async () => {
    const { seen, pages } = await walk(budget, '', 37);
    expect(pages).toBe(Math.ceil(1000 / 37));
    expect(new Set(seen.map((e) => e.id)).size).toBe(1000);
    expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id));
  });

  it('walks a filtered list (category and dates) exactly and in order', async () => {
    const category = budget.categories[1]!.id;
    const { seen } = await walk(budget, `&categoryId=${category}&from=2026-10-01&to=2026-10-31`, 10);
    const want = expected.filter((e) => e.categoryId === category && e.occurredOn >= '2026-10-01' && e.occurredOn <= '2026-10-31');
    expect(want.length).toBeGreaterThan(30);
    expect(seen.map((e) => e.id)).toEqual(want.map((e) => e.id));

    const dates = await walk(budget, '&from=2026-09-20&to=2026-09-29', 100);
    expect(dates.seen.map((e) => e.id)).toEqual(expected.filter((e) => e.occurredOn >= '2026-09-20' && e.occurredOn <= '2026-09-29').map((e) => e.id));
  });

  it('ends with nextCursor null and no empty trailing page when the total is a multiple of the page size', async () => {
    const { seen, pages } = await walk(budget, '', 100);
    expect(pages).toBe(10);
    expect(seen).toHaveLength(1000);
  });

  it('accepts the same cursor with another page size', async () => {
    const first = await h.call('GET', `${path(budget)}?limit=5`, { token: owner.token });
    const next = await h.call('GET', `${path(budget)}?limit=7&cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: owner.token });
    expect(next.status).toBe(200);
    expect(next.json.items.map((e: { id: string }) => e.id)).toEqual(expected.slice(5, 12).map((e) => e.id));
  });

  it('refuses a cursor from another budget, another filter, or edited by hand (400 naming query.cursor)', async () => {
    const page = await h.call('GET', `${path(budget)}?limit=5`, { token: owner.token });
    const cursor: string = page.json.nextCursor;
    const filtered = await h.call('GET', `${path(budget)}?limit=5&from=2026-10-01`, { token: owner.token });
    const filteredCursor: string = filtered.json.nextCursor;
    // Cursors are opaque (encrypted and authenticated): editing one by hand means changing its
    // characters, which the authentication tag refuses.
    const middle = Math.floor(cursor.length / 2);
    const flipped = `${cursor.slice(0, middle)}${cursor[middle] === 'A' ? 'B' : 'A'}${cursor.slice(middle + 1)}`;

    const attempts = [
      `${path(other)}?limit=5&cursor=${encodeURIComponent(cursor)}`,
      `${path(budget)}?limit=5&from=2026-10-01&cursor=${encodeURIComponent(cursor)}`,
      `${path(budget)}?limit=5&categoryId=${budget.categories[0]!.id}&cursor=${encodeURIComponent(cursor)}`,
      `${path(budget)}?limit=5&cursor=${encodeURIComponent(filteredCursor)}`,
      `${path(budget)}?limit=5&from=2026-10-02&cursor=${encodeURIComponent(filteredCursor)}`,
      `${path(budget)}?limit=5&cursor=${encodeURIComponent(flipped)}`,
      `${path(budget)}?limit=5&cursor=${encodeURIComponent(cursor.slice(0, -4))}`,
    ];
    for (const url of attempts) {
      const res = await h.call('GET', url, { token: owner.token });
      expect(res.status, url).toBe(400);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['query.cursor']);
    }
  });
});
