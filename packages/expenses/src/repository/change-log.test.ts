import { describe, expect, it } from 'vitest';
import { fromRecentSlot, recentSlotValue } from './change-log';

describe('recent slots of a change counter', () => {
  it('read back what was written: number, expense id (whatever it holds) and deleted', () => {
    expect(fromRecentSlot(3, recentSlotValue(41, '01JDEXPENSE0000000000000001', false))).toEqual({ shard: 3, seq: 41, expenseId: '01JDEXPENSE0000000000000001', deleted: false });
    expect(fromRecentSlot(0, recentSlotValue(1, 'a|b#c d', true))).toEqual({ shard: 0, seq: 1, expenseId: 'a|b#c d', deleted: true });
    expect(recentSlotValue(7, 'X', true)).toBe('7|d|X');
  });

  it('read the maps that counters written before the string slots still hold', () => {
    expect(fromRecentSlot(2, { seq: 9, expenseId: 'E1' })).toEqual({ shard: 2, seq: 9, expenseId: 'E1', deleted: false });
    expect(fromRecentSlot(2, { seq: 10, expenseId: 'E2', deleted: true })).toEqual({ shard: 2, seq: 10, expenseId: 'E2', deleted: true });
  });

  it('ignore a slot they cannot read (the change is then read from its entry)', () => {
    for (const bad of [undefined, null, 5, '', 'x|d|E', '7', '7|', '7||', '|d|E', { seq: 1 }]) expect(fromRecentSlot(0, bad)).toBeUndefined();
  });
});
