import { describe, expect, it } from 'vitest';
import { mapBounded } from './bounded';

describe('mapBounded', () => {
  it('keeps the order, runs every item once and never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const out = await mapBounded(Array.from({ length: 30 }, (_, i) => i), 4, async (n) => {
      running++;
      most = Math.max(most, running);
      // Later items finish first: the answers must still come in the items' order.
      await new Promise((resolve) => setTimeout(resolve, (30 - n) % 7));
      seen.push(n);
      running--;
      return n * 2;
    });
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(most).toBe(4);
  });

  it('handles fewer items than the limit, and none', async () => {
    expect(await mapBounded([1, 2], 8, async (n) => n + 1)).toEqual([2, 3]);
    expect(await mapBounded([], 8, async (n: number) => n)).toEqual([]);
  });
});
