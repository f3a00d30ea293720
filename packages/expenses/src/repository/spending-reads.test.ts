import type { ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { SpendingReads } from './spending-reads.repository';

/** A store whose date index holds `items` (oldest first), served 1,000 a Query page as DynamoDB would cut them. */
function storeOf(items: Record<string, unknown>[]): ModuleStore {
  return {
    key: (...parts: (string | number)[]) => `expenses#${parts.join('#')}`,
    async query(input: { Limit: number; ExclusiveStartKey?: { at: number } }) {
      const at = input.ExclusiveStartKey?.at ?? 0;
      const end = Math.min(items.length, at + Math.min(1_000, input.Limit));
      return { items: items.slice(at, end), lastKey: end < items.length ? { at: end } : undefined };
    },
  } as unknown as ModuleStore;
}

/**
 * 9,010 expenses of 9,999,999,999.99 (an odd number of minor units), then `last`, then 9,010
 * refunds of the same: the running sum passes 2^53 on the way (about 9,008 of them), where a
 * double holds only even numbers, and comes back to `last` exactly.
 */
function pastSafeAndBack(fields: Record<string, unknown>, last: Record<string, unknown>) {
  const big = 999_999_999_999;
  const n = 9_010;
  return [
    ...Array.from({ length: n }, () => ({ amount: big, createdBy: 'u1', ...fields })),
    last,
    ...Array.from({ length: n }, () => ({ amount: big, createdBy: 'u1', refund: true, ...fields })),
  ];
}

describe('SpendingReads.paidByRecorder: sums exact however the walk gets there', () => {
  it("a payer's, a sharing set's and an exact part's sums come back to the 7 left, never 8 (a double's sum past 2^53 rounds)", async () => {
    const items = [
      ...pastSafeAndBack({}, { amount: 7, createdBy: 'u1' }),
      ...pastSafeAndBack({ sharedWith: ['u1', 'u2'] }, { amount: 7, createdBy: 'u2', sharedWith: ['u1', 'u2'] }),
    ];
    const exact = pastSafeAndBack({}, { amount: 7, createdBy: 'u3', sharedAmounts: [{ userId: 'u2', amount: 7 }] }).map((item) =>
      item.createdBy === 'u1' ? { ...item, createdBy: 'u3', sharedAmounts: [{ userId: 'u2', amount: item.amount }] } : item,
    );
    const reads = new SpendingReads(storeOf([...items, ...exact]));
    const sums = await reads.paidByRecorder('b1', '2026-01-01', '2026-12-31', 100_000);
    expect(sums.tooMany).toBe(false);
    // Each paid 7 in all: u1 the 7 left of its first run (its shared run nets 0), u2 and u3 their run's last.
    expect(sums.paid).toEqual({ u1: 7, u2: 7, u3: 7 });
    expect(sums.sharedBy).toEqual([{ userIds: ['u1', 'u2'], amount: 7 }]);
    expect(sums.owedExactly).toEqual({ u2: 7 });
  });
});
