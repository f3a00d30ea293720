import { searchKey } from '@budgeting/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupMerchants, matchesPrefix, suggestMerchants, type MerchantUse } from './merchant-suggestions';

const use = (merchant: string | undefined, categoryId: string | null, amount: number, occurredOn: string): MerchantUse => ({
  ...(merchant === undefined ? {} : { merchant }),
  categoryId,
  amount,
  occurredOn,
});

describe('groupMerchants', () => {
  it('groups by searchKey: case, accents and spacing ignored; the newest use gives spelling, date and amount', () => {
    // Newest first, as the date index returns them.
    const groups = groupMerchants([
      use('CAFE  NERO', 'food', 300, '2026-11-20'),
      use('Café Nero', 'food', 450, '2026-11-10'),
      use(' café nero ', null, 500, '2026-11-01'),
      use('Bakery', 'food', 120, '2026-11-15'),
    ]);
    expect(groups).toEqual([
      { merchant: 'CAFE  NERO', count: 3, lastUsedOn: '2026-11-20', lastAmount: 300, categoryId: 'food' },
      { merchant: 'Bakery', count: 1, lastUsedOn: '2026-11-15', lastAmount: 120, categoryId: 'food' },
    ]);
  });

  it('takes the latest date even when the uses come out of order; on equal dates the first met', () => {
    const [group] = groupMerchants([
      use('lidl', 'a', 1, '2026-11-01'),
      use('Lidl', 'a', 2, '2026-11-05'),
      use('LIDL', 'a', 3, '2026-11-05'),
    ]);
    expect(group).toEqual({ merchant: 'Lidl', count: 3, lastUsedOn: '2026-11-05', lastAmount: 2, categoryId: 'a' });
  });

  it('lastAmount: the newest use that is not a refund, whatever the order met; only refunds: the newest refund', () => {
    const refund = (merchant: string, amount: number, occurredOn: string): MerchantUse => ({ ...use(merchant, 'shoes', amount, occurredOn), refund: true });
    const groups = groupMerchants([
      refund('Shoe Shop', 3000, '2026-11-20'), // the newest use: date and count, not the amount
      use('Shoe Shop', 'shoes', 8000, '2026-11-10'),
      use('Shoe Shop', 'shoes', 5000, '2026-11-01'),
      use('Bakery', 'food', 250, '2026-11-03'), // met before its newer purchase and refund
      refund('Bakery', 999, '2026-11-09'),
      use('Bakery', 'food', 300, '2026-11-08'),
      refund('Returns Desk', 1500, '2026-11-02'),
      refund('Returns Desk', 1200, '2026-11-04'),
      refund('Returns Desk', 1100, '2026-11-04'), // equal date: the first met keeps it
    ]);
    expect(groups.map(({ merchant, count, lastUsedOn, lastAmount }) => ({ merchant, count, lastUsedOn, lastAmount }))).toEqual([
      { merchant: 'Shoe Shop', count: 3, lastUsedOn: '2026-11-20', lastAmount: 8000 },
      { merchant: 'Bakery', count: 3, lastUsedOn: '2026-11-09', lastAmount: 300 },
      { merchant: 'Returns Desk', count: 3, lastUsedOn: '2026-11-04', lastAmount: 1200 },
    ]);
  });

  it('categoryId: most votes; a tie goes to the most recent; split and uncategorized cast none; only accepted categories vote', () => {
    const uses = [
      use('Shop', 'home', 1, '2026-11-09'),
      use('Shop', null, 1, '2026-11-08'), // a split or uncategorized expense: counted, no vote
      use('Shop', null, 1, '2026-11-07'),
      use('Shop', 'food', 1, '2026-11-06'),
      use('Shop', 'food', 1, '2026-11-05'),
      use('Shop', 'gone', 1, '2026-11-04'),
      use('Shop', 'gone', 1, '2026-11-03'),
      use('Shop', 'gone', 1, '2026-11-02'),
      use('Tie', 'a', 1, '2026-11-02'),
      use('Tie', 'b', 1, '2026-11-03'),
      use('Never', null, 1, '2026-11-01'),
    ];
    const budgetHas = (id: string) => id !== 'gone';
    expect(groupMerchants(uses, budgetHas).map((g) => [g.merchant, g.count, g.categoryId])).toEqual([
      ['Shop', 8, 'food'],
      ['Tie', 2, 'b'],
      ['Never', 1, null],
    ]);
    // Without the removed category's exclusion it would have won.
    expect(groupMerchants(uses)[0]!.categoryId).toBe('gone');
  });

  it('skips expenses without a merchant, or whose merchant has no visible character', () => {
    expect(groupMerchants([use(undefined, 'a', 1, '2026-11-01'), use('\u200b', 'a', 1, '2026-11-01')])).toEqual([]);
  });
});

describe('groupMerchants, property', () => {
  it('property: the counts add up to the expenses with a merchant, one group per searchKey, each vote a category of its group', () => {
    const merchant = fc.option(fc.constantFrom('Café Nero', 'CAFE NERO', 'cafe  nero', 'Lidl', 'LIDL', 'Straße', 'strasse', 'Bakery', 'A'), { nil: undefined });
    const arbitraryUse = fc.record({
      merchant,
      categoryId: fc.option(fc.constantFrom('c1', 'c2', 'c3'), { nil: null }),
      amount: fc.integer({ min: 1, max: 1_000_000 }),
      occurredOn: fc.constantFrom('2026-11-01', '2026-11-02', '2026-11-03'),
    });
    fc.assert(
      fc.property(fc.array(arbitraryUse, { maxLength: 60 }), (raw) => {
        const uses = raw.map((u) => use(u.merchant, u.categoryId, u.amount, u.occurredOn));
        const groups = groupMerchants(uses);
        const withMerchant = uses.filter((u) => u.merchant !== undefined);
        expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(withMerchant.length);
        expect(new Set(groups.map((g) => searchKey(g.merchant))).size).toBe(groups.length);
        for (const g of groups) {
          const mine = withMerchant.filter((u) => searchKey(u.merchant!) === searchKey(g.merchant));
          expect(g.count).toBe(mine.length);
          expect(g.lastUsedOn).toBe(mine.map((u) => u.occurredOn).sort().at(-1));
          const categories = mine.map((u) => u.categoryId).filter((c) => c !== null);
          if (categories.length === 0) expect(g.categoryId).toBeNull();
          else {
            const votes = (id: string | null) => categories.filter((c) => c === id).length;
            expect(Math.max(...categories.map(votes))).toBe(votes(g.categoryId));
          }
        }
      }),
    );
  });
});

describe('matchesPrefix', () => {
  it('the start of the merchant or of any of its words, ignoring case and accents', () => {
    const key = (q: string) => searchKey(q);
    expect(matchesPrefix('Café Nero', key('cafe'))).toBe(true);
    expect(matchesPrefix('Café Nero', key('NERO'))).toBe(true);
    expect(matchesPrefix('Café Nero', key('Café N'))).toBe(true);
    expect(matchesPrefix('CAFE NERO', key('café'))).toBe(true);
    expect(matchesPrefix('Café Nero', key('afe'))).toBe(false);
    expect(matchesPrefix('Café Nero', key('ero'))).toBe(false);
    expect(matchesPrefix('Café Nero', key('nero x'))).toBe(false);
    expect(matchesPrefix('7-Eleven', key('eleven'))).toBe(true);
    expect(matchesPrefix('Marks & Spencer', key('spen'))).toBe(true);
    expect(matchesPrefix("McDonald's", key('s'))).toBe(false);
    expect(matchesPrefix('Hauptstraße Kiosk', key('hauptstrasse'))).toBe(true);
    // A later occurrence at a word start counts even when an earlier one is inside a word.
    expect(matchesPrefix('Banana Ana', key('ana'))).toBe(true);
    expect(matchesPrefix('Banana', key('ana'))).toBe(false);
  });
});

describe('suggestMerchants', () => {
  const uses = [
    use('Bakery', 'food', 100, '2026-11-20'),
    use('Café Nero', 'food', 450, '2026-11-19'),
    use('Corner Market', 'home', 3000, '2026-11-18'),
    use('café nero', 'food', 400, '2026-11-10'),
    use('Corner market', 'home', 2000, '2026-11-09'),
    use('Nerolac Paints', 'home', 9000, '2026-11-01'),
  ];

  it('orders by count, then last use (newest first), and cuts at limit', () => {
    expect(suggestMerchants(uses, { limit: 10 }).map((s) => s.merchant)).toEqual(['Café Nero', 'Corner Market', 'Bakery', 'Nerolac Paints']);
    expect(suggestMerchants(uses, { limit: 2 }).map((s) => s.merchant)).toEqual(['Café Nero', 'Corner Market']);
  });

  it('q keeps the merchants starting with it, or with a word starting with it', () => {
    expect(suggestMerchants(uses, { q: 'nero', limit: 10 }).map((s) => s.merchant)).toEqual(['Café Nero', 'Nerolac Paints']);
    expect(suggestMerchants(uses, { q: 'MARK', limit: 10 }).map((s) => s.merchant)).toEqual(['Corner Market']);
    expect(suggestMerchants(uses, { q: 'ket', limit: 10 })).toEqual([]);
  });
});
