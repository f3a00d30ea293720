import { dueInstant, shardOf, startOfDayIn } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';

describe('startOfDayIn: where due indexes are keyed', () => {
  it('is local midnight in UTC for zones on both sides of Greenwich', () => {
    expect(dueInstant(startOfDayIn('2026-10-01', 'UTC'))).toBe('2026-10-01T00:00:00Z');
    expect(dueInstant(startOfDayIn('2026-10-01', 'Asia/Tokyo'))).toBe('2026-09-30T15:00:00Z');
    expect(dueInstant(startOfDayIn('2026-10-01', 'America/Los_Angeles'))).toBe('2026-10-01T07:00:00Z');
    expect(dueInstant(startOfDayIn('2026-12-01', 'America/Los_Angeles'))).toBe('2026-12-01T08:00:00Z'); // PST
    expect(dueInstant(startOfDayIn('2026-10-01', 'Pacific/Kiritimati'))).toBe('2026-09-30T10:00:00Z'); // UTC+14
    expect(dueInstant(startOfDayIn('2026-10-01', 'Asia/Kolkata'))).toBe('2026-09-30T18:30:00Z');
  });

  it('finds the first instant of a day that starts at 01:00 (daylight saving begins at midnight)', () => {
    // Santiago: 2026-09-06 00:00 does not exist; the clock jumps from 23:59:59 to 01:00 (UTC-3).
    expect(dueInstant(startOfDayIn('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00Z');
  });

  it('spreads ids over shards, the same id always in the same shard', () => {
    const ids = Array.from({ length: 1_600 }, (_, i) => `01J${String(i).padStart(23, '0')}`);
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(shardOf(id, 16), (counts.get(shardOf(id, 16)) ?? 0) + 1);
    expect(counts.size).toBe(16);
    expect(Math.min(...counts.values())).toBeGreaterThan(50);
    expect(shardOf(ids[7]!, 16)).toBe(shardOf(ids[7]!, 16));
  });
});
