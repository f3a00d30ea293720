import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, balancesOf, settle } from './balances-math';

/** Up to 12 people with distinct ids, any share, any amount paid. */
const participants = fc.uniqueArray(
  fc.record({
    userId: fc.stringMatching(/^[a-z]{1,4}$/),
    share: fc.integer({ min: 0, max: 100 }),
    paid: fc.integer({ min: 0, max: 1_000_000_000 }),
  }),
  { minLength: 1, maxLength: 12, selector: (p) => p.userId },
);

describe('allocate (largest remainder)', () => {
  it('splits 100 over three equal shares as 34/33/33, the extra unit to the smallest user id', () => {
    const owes = allocate(100, [
      { userId: 'c', share: 1 },
      { userId: 'a', share: 1 },
      { userId: 'b', share: 1 },
    ]);
    expect(Object.fromEntries(owes)).toEqual({ a: 34, b: 33, c: 33 });
  });

  it('gives the units left over to the largest remainders first', () => {
    // 10 x 1/6 = 1.67, 10 x 2/6 = 3.33, 10 x 3/6 = 5: floors 1+3+5 = 9, the one unit left to `a` (0.67).
    expect(Object.fromEntries(allocate(10, [{ userId: 'a', share: 1 }, { userId: 'b', share: 2 }, { userId: 'c', share: 3 }]))).toEqual({ a: 2, b: 3, c: 5 });
  });

  it('leaves share 0 owing nothing', () => {
    expect(Object.fromEntries(allocate(99, [{ userId: 'a', share: 0 }, { userId: 'b', share: 1 }, { userId: 'c', share: 2 }]))).toEqual({ a: 0, b: 33, c: 66 });
  });

  it('splits equally when every share is 0', () => {
    expect(Object.fromEntries(allocate(5, [{ userId: 'b', share: 0 }, { userId: 'a', share: 0 }]))).toEqual({ a: 3, b: 2 });
  });

  it('is exact past 2^53 in the products', () => {
    const total = Number.MAX_SAFE_INTEGER;
    const owes = allocate(total, [{ userId: 'a', share: 100 }, { userId: 'b', share: 99 }, { userId: 'c', share: 1 }]);
    expect([...owes.values()].reduce((s, n) => s + n, 0)).toBe(total);
    expect(owes.get('c')).toBe(Math.round(total / 200));
  });
});

describe('settle (greedy)', () => {
  it('has the largest debtor pay the largest creditor, repeatedly', () => {
    expect(settle([{ userId: 'a', net: 70 }, { userId: 'b', net: -50 }, { userId: 'c', net: -30 }, { userId: 'd', net: 10 }])).toEqual([
      { from: 'b', to: 'a', amount: 50 },
      { from: 'c', to: 'a', amount: 20 },
      { from: 'c', to: 'd', amount: 10 },
    ]);
  });

  it('has nothing to settle when every net is zero', () => {
    expect(settle([{ userId: 'a', net: 0 }])).toEqual([]);
  });

  it('refuses nets that do not add up to zero', () => {
    expect(() => settle([{ userId: 'a', net: 1 }])).toThrow(RangeError);
  });
});

describe('balances, properties', () => {
  it('owes add up to the total, nets to zero, and the settlements zero every net with positive transfers', () => {
    fc.assert(
      fc.property(participants, (people) => {
        const { total, balances } = balancesOf(people);
        expect(total).toBe(people.reduce((s, p) => s + p.paid, 0));
        expect(balances.reduce((s, b) => s + b.owes, 0)).toBe(total);
        expect(balances.reduce((s, b) => s + b.net, 0)).toBe(0);
        for (const b of balances) {
          expect(Number.isInteger(b.owes)).toBe(true);
          if (people.some((p) => p.share > 0) && b.share === 0) expect(b.owes).toBe(0);
        }

        const transfers = settle(balances);
        const left = new Map(balances.map((b) => [b.userId, b.net]));
        for (const t of transfers) {
          expect(Number.isInteger(t.amount) && t.amount > 0).toBe(true);
          left.set(t.from, left.get(t.from)! + t.amount);
          left.set(t.to, left.get(t.to)! - t.amount);
        }
        expect([...left.values()].every((n) => n === 0)).toBe(true);
        const owedToCreditors = balances.reduce((s, b) => s + Math.max(b.net, 0), 0);
        expect(transfers.reduce((s, t) => s + t.amount, 0)).toBe(owedToCreditors);
        expect(transfers.length).toBeLessThan(Math.max(balances.filter((b) => b.net !== 0).length, 1));
      }),
    );
  });

  it('gives each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(participants, (people) => {
        const { total, balances } = balancesOf(people);
        const weights = people.some((p) => p.share > 0) ? people.map((p) => p.share) : people.map(() => 1);
        const sum = weights.reduce((s, w) => s + w, 0);
        for (const b of balances) {
          const w = people.some((p) => p.share > 0) ? b.share : 1;
          expect(Math.abs(b.owes - (total * w) / sum)).toBeLessThan(1);
        }
      }),
    );
  });
});

describe('recorded settle-up payments, properties', () => {
  /** The participants with `transfers` recorded as settle-up payments (sent by `from`, received by `to`). */
  const withPayments = <P extends { userId: string; sent?: number; received?: number }>(people: P[], transfers: { from: string; to: string; amount: number }[]) =>
    people.map((p) => ({
      ...p,
      sent: (p.sent ?? 0) + transfers.filter((t) => t.from === p.userId).reduce((s, t) => s + t.amount, 0),
      received: (p.received ?? 0) + transfers.filter((t) => t.to === p.userId).reduce((s, t) => s + t.amount, 0),
    }));

  it('recording the suggested transfers zeroes every net and leaves nothing to settle, total and owes unchanged', () => {
    fc.assert(
      fc.property(participants, (people) => {
        const before = balancesOf(people);
        const after = balancesOf(withPayments(people, settle(before.balances)));
        expect(after.total).toBe(before.total);
        expect(after.balances.map((b) => b.owes)).toEqual(before.balances.map((b) => b.owes));
        expect(after.balances.every((b) => b.net === 0)).toBe(true);
        expect(settle(after.balances)).toEqual([]);
      }),
    );
  });

  it('after any earlier payments, the suggestions still close the balances exactly', () => {
    // Earlier payments between the participants, of any size (over-paying one included).
    const scenario = participants.chain((people) =>
      fc.tuple(
        fc.constant(people),
        fc.array(
          fc.record({
            from: fc.constantFrom(...people.map((p) => p.userId)),
            to: fc.constantFrom(...people.map((p) => p.userId)),
            amount: fc.integer({ min: 1, max: 1_000_000_000 }),
          }),
          { maxLength: 8 },
        ),
      ),
    );
    fc.assert(
      fc.property(scenario, ([people, earlier]) => {
        const paidBack = withPayments(people, earlier.filter((t) => t.from !== t.to));
        const before = balancesOf(paidBack);
        expect(before.balances.reduce((s, b) => s + b.net, 0)).toBe(0);
        for (const b of before.balances) expect(b.net).toBe(b.paid - b.owes + b.sent - b.received);
        const after = balancesOf(withPayments(paidBack, settle(before.balances)));
        expect(after.balances.every((b) => b.net === 0)).toBe(true);
        expect(settle(after.balances)).toEqual([]);
      }),
    );
  });
});
