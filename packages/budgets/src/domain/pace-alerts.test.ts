import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overspendProjections, paceAlertsDue, projectedOver } from './pace-alerts';

/** Every expectation is worked out by hand in the comment next to it, never by the code under test. */
const days = (daysElapsed: number, daysInPeriod = 30) => ({ daysElapsed, daysInPeriod });
const dining = (spent: number, limit = 50_000) => ({ categoryId: 'dining', limit, spent });

describe('projectedOver', () => {
  it('projects spent x daysInPeriod / daysElapsed: 310.00 after 15 of 30 days is 620.00 of 500.00', () => {
    expect(projectedOver(days(15), dining(31_000))).toEqual({ categoryId: 'dining', limit: 50_000, spent: 31_000, projected: 62_000 });
  });

  it('rounds the projection up, so it is always above the limit when it alerts', () => {
    // 100.01 after 10 of 30 days: 300.03 > 300.00; 10001 x 3 = 30003 exactly.
    expect(projectedOver(days(10), dining(10_001, 30_000))?.projected).toBe(30_003);
    // 10 of 31 days: 10001 x 31 / 10 = 31003.1 -> 31004 (limit 31000).
    expect(projectedOver(days(10, 31), dining(10_001, 31_000))?.projected).toBe(31_004);
  });

  it('a projection of exactly the limit is no alert; one minor unit more is', () => {
    // 100.00 after 10 of 30 days: 300.00 of 300.00.
    expect(projectedOver(days(10), dining(10_000, 30_000))).toBeNull();
    expect(projectedOver(days(10), dining(10_001, 30_000))).not.toBeNull();
  });

  it('waits for a quarter of the period: day 7 of 28 is one, day 7 of 30 is not, day 8 of 30 is', () => {
    // 7 x 4 = 28 >= 28; 7 x 4 = 28 < 30; 8 x 4 = 32 >= 30.
    expect(projectedOver(days(7, 28), dining(20_000))?.projected).toBe(80_000);
    expect(projectedOver(days(7, 30), dining(20_000))).toBeNull();
    expect(projectedOver(days(8, 30), dining(20_000))?.projected).toBe(75_000);
    // A week: 2 of 7 days (8 >= 7), not 1 (4 < 7).
    expect(projectedOver(days(1, 7), dining(20_000))).toBeNull();
    expect(projectedOver(days(2, 7), dining(20_000))?.projected).toBe(70_000);
  });

  it('needs 10% of the limit spent, which a quarter elapsed already implies (projected <= 4 x spent)', () => {
    // Day 8 of 30 (the earliest): 130.00 x 30 / 8 = 487.50, under 500.00; 140.00 -> 525.00, over. Both far above 10% (50.00).
    expect(projectedOver(days(8), dining(13_000))).toBeNull();
    expect(projectedOver(days(8), dining(14_000))?.projected).toBe(52_500);
    // A quarter exactly (7 of 28) multiplies by 4: 125.00 is 500.00, not over; 125.01 is 500.04. 10% (50.00) can never alert.
    expect(projectedOver(days(7, 28), dining(12_500))).toBeNull();
    expect(projectedOver(days(7, 28), dining(12_501))?.projected).toBe(50_004);
    expect(projectedOver(days(7, 28), dining(5_000))).toBeNull();
  });

  it('is quiet once spent reaches the limit (the 100% threshold says so)', () => {
    expect(projectedOver(days(10), dining(50_000))).toBeNull();
    expect(projectedOver(days(10), dining(60_000))).toBeNull();
    expect(projectedOver(days(10), dining(49_999))?.projected).toBe(149_997);
  });

  it('no limit to pass: a limit (or available) of 0 or less, nothing spent or refunds only', () => {
    expect(projectedOver(days(10), dining(100, 0))).toBeNull();
    expect(projectedOver(days(10), dining(100, -5_000))).toBeNull();
    expect(projectedOver(days(10), dining(0))).toBeNull();
    expect(projectedOver(days(10), dining(-100))).toBeNull();
  });

  it('the last day projects what was spent: never over when spent is under the limit', () => {
    expect(projectedOver(days(30), dining(49_999))).toBeNull();
  });

  it('exact at the largest amounts (no float): 2^53 - 1 limits', () => {
    const max = Number.MAX_SAFE_INTEGER; // 9007199254740991
    // Spent max - 1 after 364 of 365 days: (max - 1) x 365 > max x 364 since max > 365; ceil((max-1) x 365 / 364) > 2^53: not sayable.
    expect(projectedOver(days(364, 365), { categoryId: null, limit: max, spent: max - 1 })).toBeNull();
    // 2^49 = 562949953421312 spent after 92 of 365 days: x 365 = 205476732998778880; / 92 = 2233442749986726.96 -> 2233442749986727 rounded up.
    const spent = 2 ** 49;
    // Limit 2233442749986727: x 92 = 205476732998778884 >= 205476732998778880, so the projection is not over it.
    expect(projectedOver(days(92, 365), { categoryId: null, limit: 2_233_442_749_986_727, spent })).toBeNull();
    // One unit less: x 92 = 205476732998778792 < 205476732998778880: over, projected 2233442749986727.
    expect(projectedOver(days(92, 365), { categoryId: null, limit: 2_233_442_749_986_726, spent })?.projected).toBe(2_233_442_749_986_727);
  });

});

describe('projectedOver, properties', () => {
  it('property: an alert always has projected > limit > spent >= limit / 10 and a quarter elapsed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 366 }).chain((d) => fc.record({ daysInPeriod: fc.constant(d), daysElapsed: fc.integer({ min: 1, max: d }) })),
        fc.integer({ min: -1_000, max: 10 ** 12 }),
        fc.integer({ min: -1_000, max: 10 ** 12 }),
        (ds, limit, spent) => {
          const out = projectedOver(ds, { categoryId: null, limit, spent });
          if (out === null) return;
          expect(out.projected).toBeGreaterThan(limit);
          expect(spent).toBeLessThan(limit);
          expect(spent * 10).toBeGreaterThanOrEqual(limit);
          expect(ds.daysElapsed * 4).toBeGreaterThanOrEqual(ds.daysInPeriod);
          // The projection, rounded up, is the least integer p with p x daysElapsed >= spent x daysInPeriod.
          expect(BigInt(out.projected) * BigInt(ds.daysElapsed)).toBeGreaterThanOrEqual(BigInt(spent) * BigInt(ds.daysInPeriod));
          expect(BigInt(out.projected - 1) * BigInt(ds.daysElapsed)).toBeLessThan(BigInt(spent) * BigInt(ds.daysInPeriod));
        },
      ),
    );
  });

  it('property: more days elapsed at the same spending never makes an alert appear', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 29 }), fc.integer({ min: 0, max: 100_000 }), (e, spent) => {
        const now = projectedOver(days(e), dining(spent));
        const later = projectedOver(days(e + 1), dining(spent));
        if (now === null) expect(later).toBeNull();
      }),
    );
  });
});

describe('paceAlertsDue', () => {
  it('from a quarter of the period: 8 of 31, 7 of 28, 92 of 366, 2 of 7', () => {
    expect([paceAlertsDue(days(7, 31)), paceAlertsDue(days(8, 31))]).toEqual([false, true]);
    expect([paceAlertsDue(days(6, 28)), paceAlertsDue(days(7, 28))]).toEqual([false, true]);
    expect([paceAlertsDue(days(91, 366)), paceAlertsDue(days(92, 366))]).toEqual([false, true]);
    expect([paceAlertsDue(days(1, 7)), paceAlertsDue(days(2, 7))]).toEqual([false, true]);
  });
});

describe('overspendProjections', () => {
  it('the budget against its available, each limited category against its available (rollover) or limit; none without a limit', () => {
    const summary = {
      available: 100_000,
      spent: 40_000, // 15 of 30 days: 800.00 of 1000.00, no alert
      categories: [
        { categoryId: 'dining', limit: 20_000, spent: 12_000 }, // 240.00 of 200.00
        { categoryId: 'free', limit: null, spent: 30_000 },
        { categoryId: 'fuel', limit: 10_000, available: 30_000, spent: 12_000 }, // 240.00 of 300.00 available: no alert (its limit alone would)
        { categoryId: 'gifts', limit: 30_000, available: 10_000, spent: 6_000 }, // 120.00 of 100.00 available (its limit alone would not)
      ],
    };
    expect(overspendProjections(summary as never, days(15))).toEqual([
      { categoryId: 'dining', limit: 20_000, spent: 12_000, projected: 24_000 },
      { categoryId: 'gifts', limit: 10_000, spent: 6_000, projected: 12_000 },
    ]);
    expect(overspendProjections({ ...summary, spent: 60_000 } as never, days(15))[0]).toEqual({ categoryId: null, limit: 100_000, spent: 60_000, projected: 120_000 });
  });
});
