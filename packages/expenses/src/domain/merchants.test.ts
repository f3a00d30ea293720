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
      { merchant: 'Lidl', spent: 1000, count: 2 },
      { merchant: 'Aldi', spent: 1000, count: 1 },
      { merchant: 'Bakery', spent: 1000, count: 1 },
    ]);
  });
});
