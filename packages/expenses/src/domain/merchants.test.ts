import { describe, expect, it } from 'vitest';
import { rankMerchants } from './merchants';

describe('rankMerchants', () => {
  it('merges names ignoring case and spaces, ranks by spent, count, name, and skips expenses without a merchant', () => {
    const ranked = rankMerchants(
      [
        { amount: 500, merchant: 'Lidl' },
        { amount: 500, merchant: ' LIDL ' },
        { amount: 1000, merchant: 'Bakery' },
        { amount: 1000, merchant: 'Aldi' },
        { amount: 9999 },
        { amount: 9999, merchant: '   ' },
        { amount: 1, merchant: 'Kiosk' },
      ],
      3,
    );
    expect(ranked).toEqual([
      // 'Lidl' and ' LIDL ' once each: the tie goes to the smallest spelling by code units.
      { merchant: 'LIDL', spent: 1000, count: 2 },
      { merchant: 'Aldi', spent: 1000, count: 1 },
      { merchant: 'Bakery', spent: 1000, count: 1 },
    ]);
  });

  it('groups spellings by searchKey (accents, case, spacing), as the spending breakdown, shown as the most frequent spelling', () => {
    const ranked = rankMerchants(
      [
        { amount: 3000, merchant: 'Café Rio' },
        { amount: 2000, merchant: 'cafe rio' },
        { amount: 1000, merchant: 'Café Rio' },
        { amount: -500, merchant: 'CAFÉ  RIO' },
        { amount: 100, merchant: 'Straße' },
        { amount: 100, merchant: 'STRASSE' },
      ],
      5,
    );
    expect(ranked).toEqual([
      { merchant: 'Café Rio', spent: 5500, count: 4 },
      // A tie of spellings: the smallest by code units.
      { merchant: 'STRASSE', spent: 200, count: 2 },
    ]);
  });

  it("sums exactly on the way (refunds take a sum back under 2^53 - 1), and ranks nothing once a merchant's sum passes it", () => {
    const big = 999_999_999_999;
    const n = 9_010; // n x big passes 2^53 - 1
    const purchases = Array.from({ length: n }, () => ({ amount: big, merchant: 'Acme' }));
    // Each refund odd, after the sum passed 2^53 (where a double holds only even numbers): back within it, exact.
    const back = [...purchases, ...Array.from({ length: 10 }, () => ({ amount: -big, merchant: 'Acme' }))];
    expect(rankMerchants(back, 5)).toEqual([{ merchant: 'Acme', spent: (n - 10) * big, count: n + 10 }]);
    expect(rankMerchants([...purchases, { amount: 100, merchant: 'Kiosk' }], 5)).toEqual([]);
  });
});
