import { describe, expect, it } from 'vitest';
import { UNCATEGORIZED_KEY } from '@budgeting/budgets';
import { SpendingBreakdown, shareOf, type SpendingGrouping, type SpendingRow } from './spending-breakdown';

const run = (by: SpendingGrouping, rows: SpendingRow[], limit = 20) => {
  const b = new SpendingBreakdown(by);
  for (const row of rows) b.add(row);
  return b.result(limit);
};

const row = (amount: number, extra: Partial<SpendingRow> = {}): SpendingRow => ({ amount, createdBy: 'u1', ...extra });

describe('spending breakdown by merchant', () => {
  it('folds case, accents and spacing into one group labelled by its most frequent spelling', () => {
    const result = run('merchant', [
      row(100, { merchant: 'Café Nero' }),
      row(200, { merchant: 'CAFE NERO' }),
      row(300, { merchant: 'cafe  nero' }),
      row(400, { merchant: 'Café Nero' }),
      row(50, { merchant: 'Lidl' }),
    ]);
    // 100+200+300+400 = 1000 of 1050: 0.95238... -> 0.9524; 50/1050 = 0.047619... -> 0.0476.
    expect(result).toEqual({
      total: 1050,
      count: 5,
      items: [
        { key: 'cafe nero', label: 'Café Nero', amount: 1000, count: 4, share: 0.9524 },
        { key: 'lidl', label: 'Lidl', amount: 50, count: 1, share: 0.0476 },
      ],
      other: { amount: 0, count: 0 },
    });
  });

  it('a tie of spellings takes the smallest by code units, whatever the order read', () => {
    const a = run('merchant', [row(1, { merchant: 'lidl' }), row(1, { merchant: 'LIDL' })]);
    const b = run('merchant', [row(1, { merchant: 'LIDL' }), row(1, { merchant: 'lidl' })]);
    // 'L' (0x4C) < 'l' (0x6C).
    expect(a.items[0]!.label).toBe('LIDL');
    expect(b.items[0]!.label).toBe('LIDL');
  });

  it('expenses without a merchant are one group, key "" and label null', () => {
    const result = run('merchant', [row(300), row(200), row(100, { merchant: 'Bakery' })]);
    expect(result.items).toEqual([
      { key: '', label: null, amount: 500, count: 2, share: 0.8333 },
      { key: 'bakery', label: 'Bakery', amount: 100, count: 1, share: 0.1667 },
    ]);
  });

  it('ties of amount go by label, the rest past limit summed in other', () => {
    const result = run(
      'merchant',
      [row(500, { merchant: 'Zeta' }), row(500, { merchant: 'Alpha' }), row(200, { merchant: 'Mid' }), row(150, { merchant: 'Low' }), row(150, { merchant: 'Low' })],
      2,
    );
    // total 1500; Alpha and Zeta 500 each (1/3 -> 0.3333); the rest: Low 300 (2 expenses) + Mid 200.
    expect(result).toEqual({
      total: 1500,
      count: 5,
      items: [
        { key: 'alpha', label: 'Alpha', amount: 500, count: 1, share: 0.3333 },
        { key: 'zeta', label: 'Zeta', amount: 500, count: 1, share: 0.3333 },
      ],
      other: { amount: 500, count: 3 },
    });
  });

  it('a null label sorts as "" among ties', () => {
    const result = run('merchant', [row(100, { merchant: 'Aa' }), row(100)]);
    expect(result.items.map((i) => i.key)).toEqual(['', 'aa']);
  });
});

describe('spending breakdown by tag', () => {
  it('an expense counts in each of its tags (the items sum past total), untagged ones in the "" group', () => {
    const result = run('tag', [
      row(1000, { tags: ['Vacation', 'reimbursable'] }),
      row(300, { tags: ['vacation'] }),
      row(200),
      row(100, { tags: [] }),
    ]);
    // total 1600: vacation 1300 (0.8125), reimbursable 1000 (0.625), untagged 300 (0.1875).
    expect(result).toEqual({
      total: 1600,
      count: 4,
      items: [
        { key: 'vacation', label: 'Vacation', amount: 1300, count: 2, share: 0.8125 },
        { key: 'reimbursable', label: 'reimbursable', amount: 1000, count: 1, share: 0.625 },
        { key: '', label: null, amount: 300, count: 2, share: 0.1875 },
      ],
      other: { amount: 0, count: 0 },
    });
  });

  it('counts an expense once in a tag it carries twice by folding (older items)', () => {
    const result = run('tag', [row(700, { tags: ['Trip', 'TRIP', 'trip '] })]);
    expect(result.items).toEqual([{ key: 'trip', label: 'Trip', amount: 700, count: 1, share: 1 }]);
  });

  it('other sums the groups past limit, which by tag may count an expense twice', () => {
    const result = run('tag', [row(100, { tags: ['a', 'b', 'c'] }), row(50, { tags: ['a'] })], 1);
    expect(result.items).toEqual([{ key: 'a', label: 'a', amount: 150, count: 2, share: 1 }]);
    expect(result.other).toEqual({ amount: 200, count: 2 });
  });
});

describe('spending breakdown by member', () => {
  it('groups by createdBy, labelled by the user id', () => {
    const result = run('member', [row(100, { createdBy: 'bob' }), row(250, { createdBy: 'ann' }), row(150, { createdBy: 'bob' })]);
    // A tie of 250: 'ann' before 'bob'.
    expect(result.items).toEqual([
      { key: 'ann', label: 'ann', amount: 250, count: 1, share: 0.5 },
      { key: 'bob', label: 'bob', amount: 250, count: 2, share: 0.5 },
    ]);
    expect(result.total).toBe(500);
  });

  it("labels each member by the display name given; a former member (not given) or one without a name by the user id; ties ranked by that label", () => {
    const b = new SpendingBreakdown('member');
    for (const r of [row(250, { createdBy: 'u1' }), row(250, { createdBy: 'u2' }), row(250, { createdBy: 'gone' }), row(100, { createdBy: 'u3' })]) b.add(r);
    const names = new Map<string, string | null>([
      ['u1', 'Zoe'],
      ['u2', 'Adam'],
      ['u3', null],
    ]);
    // Three ties of 250 by label: 'Adam' < 'Zoe' < 'gone' (code units: capitals first).
    expect(b.result(20, names).items).toEqual([
      { key: 'u2', label: 'Adam', amount: 250, count: 1, share: 0.2941 },
      { key: 'u1', label: 'Zoe', amount: 250, count: 1, share: 0.2941 },
      { key: 'gone', label: 'gone', amount: 250, count: 1, share: 0.2941 },
      { key: 'u3', label: 'u3', amount: 100, count: 1, share: 0.1176 },
    ]);
  });
});

describe('share', () => {
  it('rounds to 4 decimals, a half up, exactly', () => {
    expect(shareOf(1, 3)).toBe(0.3333);
    expect(shareOf(2, 3)).toBe(0.6667);
    // 1/8 = 0.125 exactly; 1/16 = 0.0625; 1/32 = 0.03125 -> half up 0.0313.
    expect(shareOf(1, 32)).toBe(0.0313);
    // 12345 / 100000000 = 0.00012345 -> 0.0001; 5 / 100000 = 0.00005 -> half up 0.0001.
    expect(shareOf(12345, 100_000_000)).toBe(0.0001);
    expect(shareOf(5, 100_000)).toBe(0.0001);
    expect(shareOf(4, 100_000)).toBe(0);
    expect(shareOf(7, 7)).toBe(1);
    // Past 2^53 / 10^4: 1e12 of 3e12 is a third.
    expect(shareOf(1_000_000_000_000, 3_000_000_000_000)).toBe(0.3333);
  });

  it('rounds a refund group (a negative amount) a half up too, not toward zero', () => {
    // -1/3 = -0.33333 -> -0.3333; -2/3 = -0.66667 -> -0.6667; -1/32 = -0.03125 -> half up -0.0312.
    expect(shareOf(-1, 3)).toBe(-0.3333);
    expect(shareOf(-2, 3)).toBe(-0.6667);
    expect(shareOf(-1, 32)).toBe(-0.0312);
    expect(shareOf(-7, 7)).toBe(-1);
  });

  it('is 0 when nothing was spent', () => {
    expect(shareOf(0, 0)).toBe(0);
    // Refunds outweigh the purchases: no share of a negative whole.
    expect(shareOf(5, -10)).toBe(0);
    expect(run('merchant', []).items).toEqual([]);
    expect(run('merchant', [])).toEqual({ total: 0, count: 0, items: [], other: { amount: 0, count: 0 } });
  });
});

describe('spending breakdown by category and by category group', () => {
  const categories = [
    { id: 'food', name: 'Food', group: 'Everyday' },
    { id: 'home', name: 'Home', group: 'Everyday' },
    { id: 'fun', name: 'Fun' },
  ];
  const runWith = (by: SpendingGrouping, rows: SpendingRow[], limit = 20) => {
    const b = new SpendingBreakdown(by, categories);
    for (const r of rows) b.add(r);
    return b.result(limit);
  };
  const rows: SpendingRow[] = [
    row(1000, { categoryId: 'food' }),
    // Split: 600 food + 300 food (one count in food) + 100 home + 50 uncategorized.
    row(1050, {
      categoryId: null,
      splits: [
        { categoryId: 'food', amount: 600 },
        { categoryId: 'home', amount: 100 },
        { categoryId: 'food', amount: 300 },
        { categoryId: null, amount: 50 },
      ],
    }),
    row(200, { categoryId: null }),
    // A category the budget no longer has: uncategorized.
    row(250, { categoryId: 'gone' }),
    row(500, { categoryId: 'fun' }),
    row(70, {}),
  ];

  it('by category: parts in their own categories, an expense once per category, none and removed under "uncategorized"', () => {
    // total 1000+1050+200+250+500+70 = 3070.
    expect(runWith('category', rows)).toEqual({
      total: 3070,
      count: 6,
      items: [
        // 1000 + 600 + 300 = 1900 / 3070 = 0.61889... -> 0.6189.
        { key: 'food', label: 'Food', amount: 1900, count: 2, share: 0.6189 },
        // 50 + 200 + 250 + 70 = 570 / 3070 = 0.18566... -> 0.1857.
        { key: UNCATEGORIZED_KEY, label: 'Uncategorized', amount: 570, count: 4, share: 0.1857 },
        // 500 / 3070 = 0.16286... -> 0.1629.
        { key: 'fun', label: 'Fun', amount: 500, count: 1, share: 0.1629 },
        // 100 / 3070 = 0.03257... -> 0.0326.
        { key: 'home', label: 'Home', amount: 100, count: 1, share: 0.0326 },
      ],
      other: { amount: 0, count: 0 },
    });
    expect(UNCATEGORIZED_KEY).toBe('uncategorized');
    const limited = runWith('category', rows, 2);
    expect(limited.other).toEqual({ amount: 600, count: 2 });
  });

  it('by group: categories in their group, the rest in key "" (label null), an expense once per group', () => {
    expect(runWith('group', rows)).toEqual({
      total: 3070,
      count: 6,
      items: [
        // food and home: 1000 + 600 + 100 + 300 = 2000, the split counted once. 2000 / 3070 = 0.65146... -> 0.6515.
        { key: 'Everyday', label: 'Everyday', amount: 2000, count: 2, share: 0.6515 },
        // fun (ungrouped) + uncategorized + removed: 500 + 50 + 200 + 250 + 70 = 1070 / 3070 = 0.34853... -> 0.3485.
        { key: '', label: null, amount: 1070, count: 5, share: 0.3485 },
      ],
      other: { amount: 0, count: 0 },
    });
  });

  it('a category renamed labels by its current name (what the constructor is given)', () => {
    const b = new SpendingBreakdown('category', [{ id: 'food', name: 'Groceries' }]);
    b.add(row(10, { categoryId: 'food' }));
    expect(b.result(20).items).toEqual([{ key: 'food', label: 'Groceries', amount: 10, count: 1, share: 1 }]);
  });
});
