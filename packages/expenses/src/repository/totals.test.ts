import { describe, expect, it } from 'vitest';
import { bucketDeltas, shardOf, TOTALS_SHARDS } from './totals-deltas';
import { planTotals } from './totals-plan';
import { sumBuckets } from './totals.repository';

describe('planTotals: which buckets answer a date range', () => {
  it('reads one day range when no whole month is inside', () => {
    expect(planTotals('2026-11-03', '2026-11-20')).toEqual({ months: null, days: [{ from: '2026-11-03', to: '2026-11-20' }] });
    // A week across a month boundary.
    expect(planTotals('2026-11-28', '2026-12-04')).toEqual({ months: null, days: [{ from: '2026-11-28', to: '2026-12-04' }] });
  });

  it('reads a whole month from its month bucket', () => {
    expect(planTotals('2026-11-01', '2026-11-30')).toEqual({ months: { from: '2026-11', to: '2026-11' }, days: [] });
    expect(planTotals('2028-02-01', '2028-02-29')).toEqual({ months: { from: '2028-02', to: '2028-02' }, days: [] });
  });

  it('reads whole months plus partial months at each end', () => {
    expect(planTotals('2026-01-15', '2026-12-10')).toEqual({
      months: { from: '2026-02', to: '2026-11' },
      days: [
        { from: '2026-01-15', to: '2026-01-31' },
        { from: '2026-12-01', to: '2026-12-10' },
      ],
    });
    expect(planTotals('2026-01-01', '2026-12-31')).toEqual({ months: { from: '2026-01', to: '2026-12' }, days: [] });
    expect(planTotals('2025-12-31', '2027-01-01')).toEqual({
      months: { from: '2026-01', to: '2026-12' },
      days: [
        { from: '2025-12-31', to: '2025-12-31' },
        { from: '2027-01-01', to: '2027-01-01' },
      ],
    });
  });

  it('plans nothing for an empty range', () => {
    expect(planTotals('2026-11-02', '2026-11-01')).toEqual({ months: null, days: [] });
  });
});

describe('bucketDeltas: how a write moves the running totals', () => {
  const id = '01JDEXPENSE0000000000000001';
  const shard = shardOf(id);

  it('adds a new expense to its day and month buckets', () => {
    expect(bucketDeltas(id, null, { amount: 500, categoryId: 'cat', occurredOn: '2026-11-24' })).toEqual([
      { bucket: { kind: 'day', period: '2026-11-24', shard }, deltas: { total: 500, c_cat: 500 } },
      { bucket: { kind: 'month', period: '2026-11', shard }, deltas: { total: 500, c_cat: 500 } },
    ]);
  });

  it('subtracts a deleted expense', () => {
    expect(bucketDeltas(id, { amount: 500, categoryId: null, occurredOn: '2026-11-24' }, null)).toEqual([
      { bucket: { kind: 'day', period: '2026-11-24', shard }, deltas: { total: -500, uncategorized: -500 } },
      { bucket: { kind: 'month', period: '2026-11', shard }, deltas: { total: -500, uncategorized: -500 } },
    ]);
  });

  it('merges old and new deltas on a shared bucket, dropping what nets to zero', () => {
    // Same month, other day, other category, other amount.
    expect(
      bucketDeltas(id, { amount: 500, categoryId: 'a', occurredOn: '2026-11-02' }, { amount: 700, categoryId: 'b', occurredOn: '2026-11-20' }),
    ).toEqual([
      { bucket: { kind: 'day', period: '2026-11-02', shard }, deltas: { total: -500, c_a: -500 } },
      { bucket: { kind: 'month', period: '2026-11', shard }, deltas: { total: 200, c_a: -500, c_b: 700 } },
      { bucket: { kind: 'day', period: '2026-11-20', shard }, deltas: { total: 700, c_b: 700 } },
    ]);
    // Only the category changes: totals stay, categories move.
    expect(
      bucketDeltas(id, { amount: 500, categoryId: 'a', occurredOn: '2026-11-02' }, { amount: 500, categoryId: null, occurredOn: '2026-11-02' }),
    ).toEqual([
      { bucket: { kind: 'day', period: '2026-11-02', shard }, deltas: { c_a: -500, uncategorized: 500 } },
      { bucket: { kind: 'month', period: '2026-11', shard }, deltas: { c_a: -500, uncategorized: 500 } },
    ]);
    // Nothing that counts changed: no bucket is touched at all.
    const same = { amount: 500, categoryId: 'a', occurredOn: '2026-11-02' };
    expect(bucketDeltas(id, same, { ...same })).toEqual([]);
  });

  it('moves across months into four distinct buckets', () => {
    const out = bucketDeltas(id, { amount: 5, categoryId: null, occurredOn: '2026-10-31' }, { amount: 5, categoryId: null, occurredOn: '2026-11-01' });
    expect(out.map((d) => `${d.bucket.kind}:${d.bucket.period}`)).toEqual(['day:2026-10-31', 'month:2026-10', 'day:2026-11-01', 'month:2026-11']);
  });

  it('spreads expenses over every shard, each expense always on the same one', () => {
    const shards = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`01JDEXPENSE${String(i).padStart(15, '0')}`)));
    expect(shards.size).toBe(TOTALS_SHARDS);
    expect(shardOf(id)).toBe(shard);
  });
});

describe('sumBuckets', () => {
  it('sums every shard and bucket, by category, ignoring keys and zero categories', () => {
    expect(
      sumBuckets([
        { pk: 'expenses#totals#b', sk: 'expenses#day#2026-11-01#0', total: 300, c_a: 100, uncategorized: 200 },
        { pk: 'expenses#totals#b', sk: 'expenses#day#2026-11-01#3', total: 50, c_a: 50, c_gone: 0 },
        { pk: 'expenses#totals#b', sk: 'expenses#month#2026-10#1', total: 7, c_b: 7 },
      ]),
    ).toEqual({ total: 357, byCategory: { a: 150, b: 7 }, uncategorized: 200 });
  });
});
