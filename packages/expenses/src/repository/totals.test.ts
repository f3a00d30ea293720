import { describe, expect, it } from 'vitest';
import { bucketDeltas, mergeBucketDeltas, shardOf, TOTALS_SHARDS } from './totals-deltas';
import { parseTotalsAttribute } from './totals-attributes';
import { INCOME_ATTRIBUTE } from './income-attribute';
import { planTotals } from './totals-plan';
import { sumBuckets } from './totals.repository';

describe('planTotals: which figures of the month items answer a date range', () => {
  const parts = (from: string, to: string) => {
    const plan = planTotals(from, to)!;
    const months: string[] = [];
    for (let m = plan.months.from; m <= plan.months.to; m = next(m)) months.push(m);
    return { months: plan.months, parts: Object.fromEntries(months.map((m) => [m, plan.partOf(m)])) };
  };
  const next = (m: string) => (m.endsWith('-12') ? `${Number(m.slice(0, 4)) + 1}-01` : `${m.slice(0, 5)}${String(Number(m.slice(5)) + 1).padStart(2, '0')}`);

  it('reads the days inside a month cut at both ends', () => {
    expect(parts('2026-11-03', '2026-11-20')).toEqual({
      months: { from: '2026-11', to: '2026-11' },
      parts: { '2026-11': { whole: false, fromDay: 3, toDay: 20 } },
    });
  });

  it('reads a whole month from its month-level figures (February of a leap year too)', () => {
    expect(parts('2026-11-01', '2026-11-30').parts).toEqual({ '2026-11': { whole: true } });
    expect(parts('2028-02-01', '2028-02-29').parts).toEqual({ '2028-02': { whole: true } });
    expect(parts('2028-02-01', '2028-02-28').parts).toEqual({ '2028-02': { whole: false, fromDay: 1, toDay: 28 } });
  });

  it('reads whole months plus the days of the partial months at each end', () => {
    expect(parts('2026-01-15', '2026-04-10')).toEqual({
      months: { from: '2026-01', to: '2026-04' },
      parts: {
        '2026-01': { whole: false, fromDay: 15, toDay: 31 },
        '2026-02': { whole: true },
        '2026-03': { whole: true },
        '2026-04': { whole: false, fromDay: 1, toDay: 10 },
      },
    });
    expect(parts('2025-12-31', '2026-01-01').parts).toEqual({
      '2025-12': { whole: false, fromDay: 31, toDay: 31 },
      '2026-01': { whole: false, fromDay: 1, toDay: 1 },
    });
  });

  it('plans nothing for an empty range', () => {
    expect(planTotals('2026-11-02', '2026-11-01')).toBeNull();
  });
});

describe('bucketDeltas: how a write moves the running totals', () => {
  const id = '01JDEXPENSE0000000000000001';
  const shard = shardOf(id);

  it('adds a new expense to its month item, at month and at day level', () => {
    expect(bucketDeltas(id, null, { amount: 500, categoryId: 'cat', occurredOn: '2026-11-24' })).toEqual([
      { bucket: { month: '2026-11', shard }, deltas: { total: 500, d24_total: 500, c_cat: 500, d24_c_cat: 500 } },
    ]);
  });

  it('subtracts a deleted expense', () => {
    expect(bucketDeltas(id, { amount: 500, categoryId: null, occurredOn: '2026-11-04' }, null)).toEqual([
      { bucket: { month: '2026-11', shard }, deltas: { total: -500, d04_total: -500, uncategorized: -500, d04_uncategorized: -500 } },
    ]);
  });

  it('merges old and new deltas on a shared month item, dropping what nets to zero', () => {
    // Same month, other day, other category, other amount.
    expect(
      bucketDeltas(id, { amount: 500, categoryId: 'a', occurredOn: '2026-11-02' }, { amount: 700, categoryId: 'b', occurredOn: '2026-11-20' }),
    ).toEqual([
      {
        bucket: { month: '2026-11', shard },
        deltas: { total: 200, d02_total: -500, c_a: -500, d02_c_a: -500, d20_total: 700, c_b: 700, d20_c_b: 700 },
      },
    ]);
    // Only the category changes: totals stay, categories move.
    expect(
      bucketDeltas(id, { amount: 500, categoryId: 'a', occurredOn: '2026-11-02' }, { amount: 500, categoryId: null, occurredOn: '2026-11-02' }),
    ).toEqual([{ bucket: { month: '2026-11', shard }, deltas: { c_a: -500, d02_c_a: -500, uncategorized: 500, d02_uncategorized: 500 } }]);
    // Nothing that counts changed: no item is touched at all.
    const same = { amount: 500, categoryId: 'a', occurredOn: '2026-11-02' };
    expect(bucketDeltas(id, same, { ...same })).toEqual([]);
  });

  it('moves across months: two month items', () => {
    const out = bucketDeltas(id, { amount: 5, categoryId: null, occurredOn: '2026-10-31' }, { amount: 5, categoryId: null, occurredOn: '2026-11-01' });
    expect(out).toEqual([
      { bucket: { month: '2026-10', shard }, deltas: { total: -5, d31_total: -5, uncategorized: -5, d31_uncategorized: -5 } },
      { bucket: { month: '2026-11', shard }, deltas: { total: 5, d01_total: 5, uncategorized: 5, d01_uncategorized: 5 } },
    ]);
  });

  it('merges a batch of expenses of one shard into one update per month item', () => {
    const rows = [
      { amount: 100, categoryId: 'a', occurredOn: '2026-11-29' },
      { amount: 20, categoryId: 'a', occurredOn: '2026-11-30' },
      { amount: 3, categoryId: null, occurredOn: '2026-11-30' },
      { amount: 4000, categoryId: 'b', occurredOn: '2026-12-01' },
    ];
    const merged = mergeBucketDeltas(rows.flatMap((r) => bucketDeltas(id, null, r)));
    expect(merged).toEqual([
      {
        bucket: { month: '2026-11', shard },
        deltas: { total: 123, d29_total: 100, c_a: 120, d29_c_a: 100, d30_total: 23, d30_c_a: 20, uncategorized: 3, d30_uncategorized: 3 },
      },
      { bucket: { month: '2026-12', shard }, deltas: { total: 4000, d01_total: 4000, c_b: 4000, d01_c_b: 4000 } },
    ]);
  });

  it('spreads expenses over every shard, each expense always on the same one', () => {
    const shards = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`01JDEXPENSE${String(i).padStart(15, '0')}`)));
    expect(shards.size).toBe(TOTALS_SHARDS);
    expect(shardOf(id)).toBe(shard);
  });
});

describe('parseTotalsAttribute: the one parser of the totals item names', () => {
  it('tells month-level from day-level figures', () => {
    expect(parseTotalsAttribute('total')).toEqual({ day: null, figure: { kind: 'total' } });
    expect(parseTotalsAttribute('uncategorized')).toEqual({ day: null, figure: { kind: 'uncategorized' } });
    expect(parseTotalsAttribute('c_01JD')).toEqual({ day: null, figure: { kind: 'category', categoryId: '01JD' } });
    expect(parseTotalsAttribute('d05_total')).toEqual({ day: 5, figure: { kind: 'total' } });
    expect(parseTotalsAttribute('d31_uncategorized')).toEqual({ day: 31, figure: { kind: 'uncategorized' } });
    expect(parseTotalsAttribute('d09_c_01JD')).toEqual({ day: 9, figure: { kind: 'category', categoryId: '01JD' } });
  });

  it('ignores what is not a figure', () => {
    for (const name of ['pk', 'sk', 'c_', 'd00_total', 'd32_total', 'd5_total', 'd05_', 'd05_pk']) expect(parseTotalsAttribute(name)).toBeUndefined();
  });

  it("ignores a month's income total, which the month Query reads next to the spending shards", () => {
    // Literal, not the constant: a rename of the attribute to a parsed name must fail here.
    expect(INCOME_ATTRIBUTE).toBe('income');
    expect(parseTotalsAttribute('income')).toBeUndefined();
    expect(sumBuckets([{ pk: 'expenses#totals#b', sk: 'expenses#month#2026-11#income', income: 320000 }])).toEqual({ total: 0, byCategory: {}, uncategorized: 0 });
  });
});

describe('sumBuckets (month-level figures only)', () => {
  it('sums every shard, by category, ignoring keys, zero categories and day figures', () => {
    expect(
      sumBuckets([
        { pk: 'expenses#totals#b', sk: 'expenses#month#2026-11#0', total: 300, c_a: 100, uncategorized: 200, d01_total: 300, d01_c_a: 100, d01_uncategorized: 200 },
        { pk: 'expenses#totals#b', sk: 'expenses#month#2026-11#3', total: 50, c_a: 50, c_gone: 0, d02_total: 50, d02_c_a: 50 },
        { pk: 'expenses#totals#b', sk: 'expenses#month#2026-10#1', total: 7, c_b: 7, d31_total: 7, d31_c_b: 7 },
      ]),
    ).toEqual({ total: 357, byCategory: { a: 150, b: 7 }, uncategorized: 200 });
  });
});

describe('bucketDeltas of a split expense', () => {
  const shard = shardOf('e1');
  const split = (amount: number, parts: [string | null, number][], occurredOn = '2026-11-04') => ({
    amount,
    categoryId: null,
    occurredOn,
    splits: parts.map(([categoryId, a]) => ({ categoryId, amount: a })),
  });

  it('adds the whole amount to the total once and each part to its category (null: uncategorized)', () => {
    expect(bucketDeltas('e1', null, split(12000, [['g', 8000], ['h', 3000], [null, 1000]]))).toEqual([
      {
        bucket: { month: '2026-11', shard },
        deltas: { total: 12000, d04_total: 12000, c_g: 8000, d04_c_g: 8000, c_h: 3000, d04_c_h: 3000, uncategorized: 1000, d04_uncategorized: 1000 },
      },
    ]);
  });

  it('adds two parts of one category together', () => {
    expect(bucketDeltas('e1', null, split(10, [['g', 4], ['g', 6]]))[0]!.deltas).toEqual({ total: 10, d04_total: 10, c_g: 10, d04_c_g: 10 });
  });

  it('moves only what changed between the old and the new parts', () => {
    expect(bucketDeltas('e1', split(100, [['g', 60], ['h', 40]]), split(100, [['g', 30], ['h', 70]]))).toEqual([
      { bucket: { month: '2026-11', shard }, deltas: { c_g: -30, d04_c_g: -30, c_h: 30, d04_c_h: 30 } },
    ]);
    // From split to one category and back.
    const single = { amount: 100, categoryId: 'g', occurredOn: '2026-11-04' };
    expect(bucketDeltas('e1', split(100, [['g', 60], ['h', 40]]), single)[0]!.deltas).toEqual({ c_g: 40, d04_c_g: 40, c_h: -40, d04_c_h: -40 });
    expect(bucketDeltas('e1', single, split(100, [['g', 60], ['h', 40]]))[0]!.deltas).toEqual({ c_g: -40, d04_c_g: -40, c_h: 40, d04_c_h: 40 });
  });

  it('removes everything on delete, across months too', () => {
    expect(bucketDeltas('e1', split(100, [['g', 60], [null, 40]], '2026-10-31'), null)).toEqual([
      { bucket: { month: '2026-10', shard }, deltas: { total: -100, d31_total: -100, c_g: -60, d31_c_g: -60, uncategorized: -40, d31_uncategorized: -40 } },
    ]);
  });
});
