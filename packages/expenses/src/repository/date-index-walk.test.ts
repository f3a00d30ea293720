import type { ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { walkDateIndex } from './date-index-walk';

/** A store whose date index holds `count` items, served at most `pageSize` a Query (and never more than its Limit). */
function pagedStore(count: number, pageSize: number) {
  const limits: number[] = [];
  const store = {
    key: (...parts: (string | number)[]) => `expenses#${parts.join('#')}`,
    async query(input: { Limit: number; ExclusiveStartKey?: { at: number }; ProjectionExpression: string }) {
      limits.push(input.Limit);
      const at = input.ExclusiveStartKey?.at ?? 0;
      const end = Math.min(count, at + Math.min(pageSize, input.Limit));
      const items = Array.from({ length: end - at }, (_, i) => ({ n: at + i }));
      return { items, lastKey: end < count ? { at: end } : undefined };
    },
  };
  return { store: store as unknown as ModuleStore, limits };
}

const walk = { budgetId: 'b1', from: '2026-01-01', to: '2026-12-31', attributes: ['amount'], maxExpenses: 5 };

describe('walkDateIndex', () => {
  it('reads at most maxExpenses + 1 items, visits only maxExpenses of them and says tooMany', async () => {
    const { store, limits } = pagedStore(10, 3);
    const seen: unknown[] = [];
    const result = await walkDateIndex(store, walk, (items) => seen.push(...items.map((i) => i.n)));
    expect(result).toEqual({ examined: 6, tooMany: true });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(limits).toEqual([6, 3]);
  });

  it('visits every item of a range that ends within the bound', async () => {
    const { store, limits } = pagedStore(5, 2);
    const seen: unknown[] = [];
    const result = await walkDateIndex(store, walk, (items) => seen.push(...items.map((i) => i.n)));
    expect(result).toEqual({ examined: 5, tooMany: false });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(limits).toEqual([6, 4, 2]);
  });
});
