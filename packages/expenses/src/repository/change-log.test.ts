import type { ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { ChangeLog, fromRecentSlot, recentSlotValue, toChangeEntry } from './change-log';

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

describe('the counter value a process remembers (ChangeLog.prime, committed)', () => {
  /** A store that answers a counter read with `seq` and counts the reads (a stamp reads the counter only when it remembers none). */
  const storeReading = (seq: number) => {
    const reads: unknown[] = [];
    const store = {
      key: (...parts: (string | number)[]) => `expenses#${parts.join('#')}`,
      get: async (input: unknown) => {
        reads.push(input);
        return { seq };
      },
    } as unknown as ModuleStore;
    return { store, reads };
  };
  const change = { budgetId: 'B1', expenseId: 'R1', deleted: false, recurring: true as const };
  /** The number the stamp's increment is conditioned on (`seq = :current`). */
  const conditionedOn = (stamp: Awaited<ReturnType<ChangeLog['stampMany']>>) => stamp[0]!.Update!.ExpressionAttributeValues![':current'];

  it('a counter read before a write of this process committed, primed after it, does not replace the newer value', async () => {
    const { store, reads } = storeReading(99);
    const log = new ChangeLog(store);
    // The job read the definition with its counter at 4 (definitionPrimed); meanwhile a write of
    // this process on that counter committed 5; then the older read is primed.
    const written = await log.stampMany([{ change }], new Date('2026-12-05T00:00:00Z'));
    log.prime('B1', 'R1', { pk: 'p', sk: 's', seq: 3 });
    log.committed(change, [written[0]!, { Put: { Item: { pk: 'p', sk: 's', seq: 5 } } }]);
    log.prime('B1', 'R1', { pk: 'p', sk: 's', seq: 4 });
    const readsBefore = reads.length;
    const stamp = await log.stampMany([{ change }], new Date('2026-12-05T00:00:00Z'));
    expect(reads.length).toBe(readsBefore);
    expect(conditionedOn(stamp)).toBe(5);
    expect(stamp[1]!.Put!.Item!.seq).toBe(6);
  });

  it('of two writes committed out of order (unqueued), the later value is kept', async () => {
    const { store } = storeReading(99);
    const log = new ChangeLog(store);
    const entry = (seq: number) => [{ Update: {} }, { Put: { Item: { pk: 'p', sk: 's', seq } } }] as Parameters<ChangeLog['committed']>[1];
    log.committed(change, entry(8));
    log.committed(change, entry(7));
    expect(conditionedOn(await log.stampMany([{ change }], new Date('2026-12-05T00:00:00Z')))).toBe(8);
  });

  it('a newer value read replaces an older one remembered (another process wrote meanwhile)', async () => {
    const { store } = storeReading(99);
    const log = new ChangeLog(store);
    log.prime('B1', 'R1', { pk: 'p', sk: 's', seq: 2 });
    log.prime('B1', 'R1', { pk: 'p', sk: 's', seq: 9 });
    expect(conditionedOn(await log.stampMany([{ change }], new Date('2026-12-05T00:00:00Z')))).toBe(9);
  });
});
