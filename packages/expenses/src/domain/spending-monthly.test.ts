import { describe, expect, it } from 'vitest';
import { SpendingMonthly, floorDivide } from './spending-monthly';

describe('SpendingMonthly', () => {
  it('a tag carried twice by folding counts the expense once; other tags and merchants do not match', () => {
    const m = new SpendingMonthly('tag', 'Trip', '2026-01', '2026-02');
    m.add({ occurredOn: '2026-01-05', amount: 1000, tags: ['trip', 'TRIP', 'food'] });
    m.add({ occurredOn: '2026-02-05', amount: 300, merchant: 'Trip', tags: ['trips'] });
    expect(m.result()).toEqual({
      label: 'trip',
      months: [
        { month: '2026-01', spent: 1000, count: 1 },
        { month: '2026-02', spent: 0, count: 0 },
      ],
      total: 1000,
      count: 1,
      // 1000 / 2.
      averagePerMonth: 500,
      firstOn: '2026-01-05',
      lastOn: '2026-01-05',
    });
  });

  it('a merchant folded for accents, spacing and ß; a row outside the months not counted; the label a tie by code units', () => {
    const m = new SpendingMonthly('merchant', 'strasse cafe', '2026-03', '2026-03');
    m.add({ occurredOn: '2026-03-02', amount: 200, merchant: 'Straße Café' });
    m.add({ occurredOn: '2026-03-09', amount: 100, merchant: '  STRASSE   CAFE ' });
    m.add({ occurredOn: '2026-04-01', amount: 999, merchant: 'Straße Café' });
    m.add({ occurredOn: '2026-03-10', amount: 50 });
    // One spelling each: the smaller by code units ("  STRASSE..." starts with a space).
    expect(m.result()).toMatchObject({ label: '  STRASSE   CAFE ', total: 300, count: 2, firstOn: '2026-03-02', lastOn: '2026-03-09' });
  });

  it('refunds only: a negative month and an average rounded down', () => {
    const m = new SpendingMonthly('merchant', 'Shop', '2026-01', '2026-02');
    m.add({ occurredOn: '2026-01-05', amount: -7, merchant: 'Shop' });
    // -7 / 2 = -3.5 -> -4.
    expect(m.result()).toMatchObject({ total: -7, count: 1, averagePerMonth: -4 });
  });
});

describe('floorDivide', () => {
  it('is exact up to 2^53 - 1, negatives rounded down', () => {
    // 2^53 - 1 = 9007199254740991 = 3 x 3002399751580330 + 1.
    expect(floorDivide(Number.MAX_SAFE_INTEGER, 3)).toBe(3002399751580330);
    // 9007199254740991 / 24 = 375299968947541.29...
    expect(floorDivide(Number.MAX_SAFE_INTEGER, 24)).toBe(375299968947541);
    expect(floorDivide(-1, 24)).toBe(-1);
    expect(floorDivide(48, 24)).toBe(2);
    expect(floorDivide(-48, 24)).toBe(-2);
  });
});
