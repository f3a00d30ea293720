import { describe, expect, it } from 'vitest';
import { fromRecentSlot, recentSlotValue, toChangeEntry } from './change-log';

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

  it("mark an income entry's change with the flag i; a slot without it (every one written before) is an expense's", () => {
    expect(recentSlotValue(8, 'I1', false, true)).toBe('8|i|I1');
    expect(recentSlotValue(9, 'I1', true, true)).toBe('9|di|I1');
    expect(fromRecentSlot(1, '8|i|I1')).toEqual({ shard: 1, seq: 8, expenseId: 'I1', deleted: false, income: true });
    expect(fromRecentSlot(1, '9|di|I1')).toEqual({ shard: 1, seq: 9, expenseId: 'I1', deleted: true, income: true });
    expect(fromRecentSlot(1, '10|d|E1')).toEqual({ shard: 1, seq: 10, expenseId: 'E1', deleted: true });
  });

  it("mark a recurring definition's change with the flag r: with i a recurring income's, without a recurring expense's", () => {
    expect(recentSlotValue(11, 'R1', false, false, true)).toBe('11|r|R1');
    expect(recentSlotValue(12, 'RI1', true, true, true)).toBe('12|dir|RI1');
    expect(fromRecentSlot(2, '11|r|R1')).toEqual({ shard: 2, seq: 11, expenseId: 'R1', deleted: false, recurring: true });
    expect(fromRecentSlot(2, '12|dir|RI1')).toEqual({ shard: 2, seq: 12, expenseId: 'RI1', deleted: true, income: true, recurring: true });
    expect(fromRecentSlot(2, '13|ir|RI1')).toEqual({ shard: 2, seq: 13, expenseId: 'RI1', deleted: false, income: true, recurring: true });
  });
});

describe('change entries', () => {
  it('read an income entry from its incomeId, a definition\'s from its recurringExpenseId or recurringIncomeId, and every other entry (old ones with shard and deleted: false too) as an expense', () => {
    expect(toChangeEntry({ pk: 'p', sk: 'expenses#change#04#000000000012', seq: 12, incomeId: 'I1', deleted: true })).toEqual({ shard: 4, seq: 12, expenseId: 'I1', deleted: true, income: true });
    expect(toChangeEntry({ pk: 'p', sk: 'expenses#change#04#000000000013', seq: 13, expenseId: 'E1' })).toEqual({ shard: 4, seq: 13, expenseId: 'E1', deleted: false });
    expect(toChangeEntry({ pk: 'p', sk: 'expenses#change#06#000000000002', seq: 2, recurringExpenseId: 'R1' })).toEqual({ shard: 6, seq: 2, expenseId: 'R1', deleted: false, recurring: true });
    expect(toChangeEntry({ pk: 'p', sk: 'expenses#change#06#000000000003', seq: 3, recurringIncomeId: 'RI1', deleted: true })).toEqual({ shard: 6, seq: 3, expenseId: 'RI1', deleted: true, income: true, recurring: true });
    expect(toChangeEntry({ pk: 'p', sk: 'expenses#change#05#000000000001', shard: 5, seq: 1, expenseId: 'E2', deleted: false })).toEqual({ shard: 5, seq: 1, expenseId: 'E2', deleted: false });
  });
});
