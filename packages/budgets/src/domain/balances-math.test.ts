import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, balancesOf, settle, type Participant, type SharedSet } from './balances-math';

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

/** [userId, owes, net] of each balance, in user id order. */
const figures = (people: Participant[], sets: SharedSet[]) => balancesOf(people, sets).balances.map((b) => [b.userId, b.owes, b.net]);

describe('expenses shared by only some (sharedWith sets)', () => {

  it('splits a set among its members only: A pays 90.00 shared with [A, B], C pays 30.00 personal: B owes A 45.00', () => {
    // A share 1, B share 1, C share 2. A's 9000 over A and B (1:1): 4500 each; C's 3000 is C's alone.
    const people = [
      { userId: 'A', share: 1, paid: 9000 },
      { userId: 'B', share: 1, paid: 0 },
      { userId: 'C', share: 2, paid: 3000 },
    ];
    const sets = [
      { userIds: ['A', 'B'], amount: 9000 },
      { userIds: ['C'], amount: 3000 },
    ];
    const { total, balances } = balancesOf(people, sets);
    expect(total).toBe(12_000);
    expect(balances.map((b) => [b.userId, b.owes, b.net])).toEqual([
      ['A', 4500, 4500],
      ['B', 4500, -4500],
      ['C', 3000, 0],
    ]);
    expect(settle(balances)).toEqual([{ from: 'B', to: 'A', amount: 4500 }]);
  });

  it('adds the everyone split of the rest: B also pays 40.00 for everyone (10 / 10 / 20 by shares)', () => {
    const people = [
      { userId: 'A', share: 1, paid: 9000 },
      { userId: 'B', share: 1, paid: 4000 },
      { userId: 'C', share: 2, paid: 3000 },
    ];
    // Everyone: 16000 - 12000 in sets = 4000 -> A 1000, B 1000, C 2000.
    // A owes 4500 + 1000 = 5500 (net 9000 - 5500 = 3500), B 4500 + 1000 = 5500 (net -1500), C 3000 + 2000 = 5000 (net -2000).
    const balances = balancesOf(people, [
      { userIds: ['A', 'B'], amount: 9000 },
      { userIds: ['C'], amount: 3000 },
    ]).balances;
    expect(balances.map((b) => [b.userId, b.owes, b.net])).toEqual([
      ['A', 5500, 3500],
      ['B', 5500, -1500],
      ['C', 5000, -2000],
    ]);
    expect(settle(balances)).toEqual([
      { from: 'C', to: 'A', amount: 2000 },
      { from: 'B', to: 'A', amount: 1500 },
    ]);
  });

  it('renormalizes the shares among the set, and a set without the payer is owed whole to them', () => {
    // A pays 30.00 for B (share 1) and C (share 2): B 1000, C 2000, A nothing.
    const people = [
      { userId: 'A', share: 1, paid: 3000 },
      { userId: 'B', share: 1, paid: 0 },
      { userId: 'C', share: 2, paid: 0 },
    ];
    expect(figures(people, [{ userIds: ['B', 'C'], amount: 3000 }])).toEqual([
      ['A', 0, 3000],
      ['B', 1000, -1000],
      ['C', 2000, -2000],
    ]);
  });

  it('rounds each set by the largest remainder: 10.01 over shares 1 / 1 / 2 is 2.50 / 2.50 / 5.01', () => {
    // 1001 x 1/4 = 250.25 (twice), 1001 x 2/4 = 500.5: floors 1000, the unit left to C (largest remainder).
    const people = [
      { userId: 'A', share: 1, paid: 1001 },
      { userId: 'B', share: 1, paid: 0 },
      { userId: 'C', share: 2, paid: 0 },
      { userId: 'D', share: 5, paid: 0 },
    ];
    expect(figures(people, [{ userIds: ['A', 'B', 'C'], amount: 1001 }])).toEqual([
      ['A', 250, 751],
      ['B', 250, -250],
      ['C', 501, -501],
      ['D', 0, 0],
    ]);
  });

});

describe('sharing sets listing people who are no members', () => {
  it('counts a listed id that is no member with share 0', () => {
    // X is no participant, F a former member: B alone is a member of the set, and owes it all.
    const people = [
      { userId: 'A', share: 1, paid: 1000 },
      { userId: 'B', share: 1, paid: 0 },
      { userId: 'F', share: 0, paid: 0, former: true },
    ];
    expect(figures(people, [{ userIds: ['B', 'F', 'X'], amount: 1000 }])).toEqual([
      ['A', 0, 1000],
      ['B', 1000, -1000],
      ['F', 0, 0],
    ]);
  });

  it('splits a set whose members all have share 0 equally among them (the unit left to the smaller id)', () => {
    const people = [
      { userId: 'A', share: 1, paid: 1001 },
      { userId: 'V', share: 0, paid: 0 },
      { userId: 'W', share: 0, paid: 0 },
    ];
    expect(figures(people, [{ userIds: ['V', 'W'], amount: 1001 }])).toEqual([
      ['A', 0, 1001],
      ['V', 501, -501],
      ['W', 500, -500],
    ]);
  });

  it('shares a set none of whose ids is a member among everyone, as an expense without sharedWith', () => {
    // F (former, paid 6.00 listing only themself) and X (never a member): 600 by shares 1 / 1 / 2 = 150 / 150 / 300.
    const people = [
      { userId: 'A', share: 1, paid: 0 },
      { userId: 'B', share: 1, paid: 0 },
      { userId: 'C', share: 2, paid: 0 },
      { userId: 'F', share: 0, paid: 600, former: true },
    ];
    expect(figures(people, [{ userIds: ['F', 'X'], amount: 600 }])).toEqual([
      ['A', 150, -150],
      ['B', 150, -150],
      ['C', 300, -300],
      ['F', 0, 600],
    ]);
  });

  it('closes when refunds leave a set holding more than was paid (the rest shared by everyone is negative)', () => {
    // A paid 110.00 for A alone and got 100.00 back on something everyone shared: paid 10.00 net.
    // A owes the set's 110.00 and half of -100.00 (-50.00): 60.00; B owes -50.00 (B is owed).
    const people = [
      { userId: 'A', share: 1, paid: 1000 },
      { userId: 'B', share: 1, paid: 0 },
    ];
    expect(figures(people, [{ userIds: ['A'], amount: 11000 }])).toEqual([
      ['A', 6000, -5000],
      ['B', -5000, 5000],
    ]);
  });

  it('splits a negative total (refunds) as its opposite, every part negated', () => {
    // 1.01 back split 1:1: 0.51 and 0.50 as for +1.01 (the unit to the smaller user id), negated.
    expect([...allocate(-101, [{ userId: 'B', share: 1 }, { userId: 'A', share: 1 }])].sort()).toEqual([['A', -51], ['B', -50]]);
  });

  it('A pays 100.00 shared with B 50/50 and records a 40.00 refund shared alike: B owes A 30.00', () => {
    const { balances } = balancesOf([{ userId: 'A', share: 1, paid: 10000 - 4000 }, { userId: 'B', share: 1, paid: 0 }]);
    expect(balances.map((b) => [b.userId, b.owes, b.net])).toEqual([['A', 3000, 3000], ['B', 3000, -3000]]);
  });
});

describe('sharing sets, properties', () => {
  /**
   * Members (some former), what each paid for everyone, and expenses shared by sets drawn from
   * their ids and two outsiders, each paid by one of them (added to what they paid).
   */
  const scenario = participants
    .chain((people) =>
      fc.tuple(
        fc.constant(people),
        fc.array(fc.boolean(), { minLength: people.length, maxLength: people.length }),
        fc.array(
          fc.record({
            payer: fc.integer({ min: 0, max: people.length - 1 }),
            userIds: fc.uniqueArray(fc.constantFrom(...people.map((p) => p.userId), 'zz-out-1', 'zz-out-2'), { minLength: 1, maxLength: 6 }),
            amount: fc.integer({ min: 0, max: 1_000_000_000 }),
          }),
          { maxLength: 8 },
        ),
      ),
    )
    .map(([people, former, expenses]) => {
      const paid = people.map((p, i) => ({ ...p, share: former[i] ? 0 : p.share, ...(former[i] ? { former: true } : {}) }));
      for (const e of expenses) paid[e.payer]!.paid += e.amount;
      return { people: paid as Participant[], sets: expenses.map((e) => ({ userIds: e.userIds, amount: e.amount })), expenses };
    });

  it('owes add up to the total exactly, nets to zero, and the settlements close them', () => {
    fc.assert(
      fc.property(scenario, ({ people, sets }) => {
        const { total, balances } = balancesOf(people, sets);
        expect(total).toBe(people.reduce((s, p) => s + p.paid, 0));
        expect(balances.reduce((s, b) => s + b.owes, 0)).toBe(total);
        expect(balances.reduce((s, b) => s + b.net, 0)).toBe(0);
        for (const b of balances) expect(Number.isInteger(b.owes) && b.owes >= 0).toBe(true);
        // Former members owe nothing while anyone has a share (their share is 0 everywhere).
        if (people.some((p) => p.share > 0)) {
          for (const b of balances) if (people.find((p) => p.userId === b.userId)!.former) expect(b.owes).toBe(0);
        }
        const after = balancesOf(
          people.map((p) => ({
            ...p,
            sent: settle(balances).filter((t) => t.from === p.userId).reduce((s, t) => s + t.amount, 0),
            received: settle(balances).filter((t) => t.to === p.userId).reduce((s, t) => s + t.amount, 0),
          })),
          sets,
        );
        expect(after.balances.every((b) => b.net === 0)).toBe(true);
      }),
    );
  });

  it("a personal expense ([payer] alone) changes nobody else's owes, and the payer's by exactly its amount", () => {
    const withPersonal = scenario.chain((s) =>
      fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.people.length - 1 }), fc.integer({ min: 1, max: 1_000_000_000 })),
    );
    fc.assert(
      fc.property(withPersonal, ([{ people, sets }, index, amount]) => {
        const payer = people[index]!;
        fc.pre(!payer.former);
        const before = balancesOf(people, sets).balances;
        const after = balancesOf(
          people.map((p) => (p.userId === payer.userId ? { ...p, paid: p.paid + amount } : p)),
          [...sets, { userIds: [payer.userId], amount }],
        ).balances;
        for (const [i, b] of after.entries()) {
          expect(b.owes).toBe(before[i]!.owes + (b.userId === payer.userId ? amount : 0));
          expect(b.net).toBe(before[i]!.net);
        }
      }),
    );
  });

  it('without sets, the split is the everyone split of before', () => {
    fc.assert(
      fc.property(participants, (people) => {
        expect(balancesOf(people, [])).toEqual(balancesOf(people));
      }),
    );
  });
});

describe('exact amounts (sharedAmounts)', () => {
  const people: Participant[] = [
    { userId: 'a', share: 1, paid: 10_000 },
    { userId: 'b', share: 1, paid: 4_000 },
    { userId: 'c', share: 2, paid: 0 },
  ];

  it('has each listed member owe exactly their amount, never renormalized by share: 100.00 as 33.34 / 33.33 / 33.33', () => {
    // a's 100.00 split exactly; b's 40.00 for everyone by 1 / 1 / 2: 10.00 / 10.00 / 20.00.
    const { total, balances } = balancesOf(people, [], [
      { userId: 'a', amount: 3_334 },
      { userId: 'b', amount: 3_333 },
      { userId: 'c', amount: 3_333 },
    ]);
    expect(total).toBe(14_000);
    expect(balances.map(({ userId, owes, net }) => ({ userId, owes, net }))).toEqual([
      { userId: 'a', owes: 4_334, net: 5_666 },
      { userId: 'b', owes: 4_333, net: -333 },
      { userId: 'c', owes: 5_333, net: -5_333 },
    ]);
  });

  it('splits the everyone group equally among the current members only when each is at share 0 (a former member owes nothing)', () => {
    // f paid 90.00 for everyone and left; a and b, both at share 0, owe 45.00 each (not 30.00 with f).
    const { balances } = balancesOf([
      { userId: 'a', share: 0, paid: 0 },
      { userId: 'b', share: 0, paid: 0 },
      { userId: 'f', share: 0, paid: 9_000, former: true },
    ]);
    expect(balances.map((b) => [b.userId, b.owes, b.net])).toEqual([
      ['a', 4_500, -4_500],
      ['b', 4_500, -4_500],
      ['f', 0, 9_000],
    ]);
  });

  it('counts a negative amount (a refund\'s part) as money back, and gives a former member\'s amount to everyone', () => {
    // a: 30.00 for everyone; x (no member now) was listed for 10.00 of a 40.00 a paid: x's 10.00 is everyone's.
    const { balances } = balancesOf(
      [
        { userId: 'a', share: 1, paid: 4_000 },
        { userId: 'b', share: 1, paid: -100 },
        { userId: 'x', share: 0, paid: 0, former: true },
      ],
      [],
      [
        { userId: 'a', amount: 3_000 },
        { userId: 'x', amount: 1_000 },
        { userId: 'b', amount: -100 },
      ],
    );
    // Everyone: 3,900 - (3,000 + 1,000 - 100) = 0, plus x's 1,000: 500 / 500 / 0.
    expect(balances.map(({ userId, owes, net }) => ({ userId, owes, net }))).toEqual([
      { userId: 'a', owes: 3_500, net: 500 },
      { userId: 'b', owes: 400, net: -500 },
      { userId: 'x', owes: 0, net: 0 },
    ]);
  });

  it('owes add up to the total exactly with exact amounts, sets and the everyone rest together (property)', () => {
    fc.assert(
      fc.property(participants, fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 12 }), (people, amounts) => {
        const exactly = amounts.map((amount, i) => ({ userId: people[i % people.length]!.userId, amount }));
        const { total, balances } = balancesOf(people, [], exactly);
        expect(balances.reduce((s, b) => s + b.owes, 0)).toBe(total);
        expect(balances.reduce((s, b) => s + b.net, 0)).toBe(0);
        for (const b of balances) {
          const own = exactly.filter((e) => e.userId === b.userId).reduce((s, e) => s + e.amount, 0);
          const rest = total - exactly.reduce((s, e) => s + e.amount, 0);
          // Each owes at least its exact amounts plus a part of the rest (a part between 0 and the rest).
          if (rest >= 0) expect(b.owes - own).toBeGreaterThanOrEqual(0);
          else expect(b.owes - own).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});
