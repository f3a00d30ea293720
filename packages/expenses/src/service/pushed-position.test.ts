import { describe, expect, it } from 'vitest';
import { advancedOver } from './changes.service';

describe('advancedOver (an offline push answer for an in-sync token)', () => {
  it("moves each shard past the push's own numbers right after the token's, and stops at the first that is another writer's", () => {
    const seqs = [5, 0, 3, 9];
    const own = [
      { shard: 0, seq: 6 },
      { shard: 0, seq: 7 },
      { shard: 0, seq: 9 }, // 8 is someone else's: 9 is fetched again by the next sync
      { shard: 1, seq: 1 },
      { shard: 2, seq: 5 }, // 4 is someone else's: nothing advances
    ];
    expect(advancedOver(seqs, own)).toEqual([7, 1, 3, 9]);
  });

  it('without own writes (all refused, resends, PATCHes that change nothing) answers the token as it is', () => {
    expect(advancedOver([2, 4], [])).toEqual([2, 4]);
  });
});
