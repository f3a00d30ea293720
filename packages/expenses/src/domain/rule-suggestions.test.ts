import { describe, expect, it } from 'vitest';
import type { MerchantUse } from './merchant-suggestions';
import { suggestRules, type SuggestionRule } from './rule-suggestions';

const use = (merchant: string | undefined, categoryId: string | null, occurredOn: string, extra: Partial<MerchantUse> = {}): MerchantUse => ({
  ...(merchant === undefined ? {} : { merchant }),
  categoryId,
  amount: 1000,
  occurredOn,
  ...extra,
});

const rule = (id: string, fields: Omit<SuggestionRule, 'id' | 'position'>): SuggestionRule => ({ id, position: 0, ...fields });

const budgetCategories = new Set(['groceries', 'fun', 'coffee', 'home']);
const suggest = (uses: MerchantUse[], rules: SuggestionRule[] = [], limit = 20) => suggestRules(uses, { rules, isCategory: (id) => budgetCategories.has(id), limit });

/** 4 Tesco -> groceries and 1 -> fun: 4 x 100 = 400 >= 5 x 80 = 400, exactly 80%. Newest first. */
const tesco = [
  use('Tesco', 'groceries', '2026-11-20'),
  use('TESCO', 'fun', '2026-11-18'),
  use('Tesco', 'groceries', '2026-11-10'),
  use('tesco', 'groceries', '2026-11-03'),
  use('Tesco', 'groceries', '2026-10-27'),
];

describe('suggestRules', () => {
  it('4 of 5 in one category (80%) qualifies: the most frequent spelling, the share rounded down, a ready rule body', () => {
    expect(suggest(tesco)).toEqual([
      { merchant: 'Tesco', categoryId: 'groceries', expenses: 5, share: 80, lastOn: '2026-11-20', rule: { merchant: { equals: 'Tesco' }, categoryId: 'groceries' } },
    ]);
  });

  it('2 expenses are too few, even both in one category', () => {
    expect(suggest([use('Aldi', 'groceries', '2026-11-20'), use('Aldi', 'groceries', '2026-11-13')])).toEqual([]);
  });

  it('3 of 5 (60%) does not qualify, nor 3 of 4 (75%); 3 of 3 does (100%)', () => {
    const five = [
      use('Lidl', 'groceries', '2026-11-20'),
      use('Lidl', 'fun', '2026-11-19'),
      use('Lidl', 'groceries', '2026-11-18'),
      use('Lidl', 'home', '2026-11-17'),
      use('Lidl', 'groceries', '2026-11-16'),
    ];
    expect(suggest(five)).toEqual([]);
    expect(suggest(five.filter((u) => u.categoryId !== 'home'))).toEqual([]);
    expect(suggest(five.filter((u) => u.categoryId === 'groceries'))).toMatchObject([{ merchant: 'Lidl', expenses: 3, share: 100 }]);
  });

  it('folds case and accents: "Café Nero" and "CAFE NERO" are one merchant, spelled as most of its expenses', () => {
    const uses = [use('CAFE NERO', 'coffee', '2026-11-20'), use('Café Nero', 'coffee', '2026-11-19'), use('café nero', 'coffee', '2026-11-18'), use('Café Nero', 'coffee', '2026-11-17')];
    expect(suggest(uses)).toEqual([
      { merchant: 'Café Nero', categoryId: 'coffee', expenses: 4, share: 100, lastOn: '2026-11-20', rule: { merchant: { equals: 'Café Nero' }, categoryId: 'coffee' } },
    ]);
    // Spellings tied 1-1-1: the newest wins.
    expect(suggest(uses.slice(0, 3))).toMatchObject([{ merchant: 'CAFE NERO', expenses: 3 }]);
  });

  it('leaves out a merchant a `contains` rule already files; one whose rule names a removed category is still suggested', () => {
    expect(suggest(tesco, [rule('r1', { merchant: { contains: 'tesc' }, categoryId: 'home' })])).toEqual([]);
    expect(suggest(tesco, [rule('r1', { merchant: { contains: 'tesc' }, categoryId: 'gone' })])).toHaveLength(1);
    // Another merchant's rule, and one with an amount condition (it files only some expenses), cover nothing.
    expect(suggest(tesco, [rule('r1', { merchant: { contains: 'aldi' }, categoryId: 'home' })])).toHaveLength(1);
    expect(suggest(tesco, [rule('r1', { merchant: { equals: 'TESCO' }, amount: { min: 5000 }, categoryId: 'home' })])).toHaveLength(1);
  });

  it('a rename to another merchant covers it (categorization would match the new name); a rename to the same merchant does not', () => {
    expect(suggest(tesco, [rule('r1', { merchant: { equals: 'tesco' }, renameTo: 'Tesco Express' })])).toEqual([]);
    expect(suggest(tesco, [rule('r1', { merchant: { equals: 'tesco' }, renameTo: 'TESCO' })])).toHaveLength(1);
  });

  it('split expenses (no categoryId), uncategorized ones, refunds and removed categories are not counted', () => {
    const uses = [
      use('Boots', 'home', '2026-11-20'),
      use('Boots', null, '2026-11-19'), // split, or uncategorized
      use('Boots', 'fun', '2026-11-18', { refund: true }),
      use('Boots', 'gone', '2026-11-17'), // a category the budget no longer has
      use('Boots', 'home', '2026-11-16'),
      use('Boots', 'fun', '2026-11-15', { refund: true }),
      use('Boots', 'home', '2026-11-14'),
    ];
    // Counted: the three in home (3 of 3); counting the others would give 3 of 7.
    expect(suggest(uses)).toEqual([
      { merchant: 'Boots', categoryId: 'home', expenses: 3, share: 100, lastOn: '2026-11-20', rule: { merchant: { equals: 'Boots' }, categoryId: 'home' } },
    ]);
    // Only refunds and the removed category: nothing to suggest.
    expect(suggest(uses.filter((u) => u.refund === true || u.categoryId === 'gone').concat(use('Boots', 'gone', '2026-11-13'), use('Boots', 'gone', '2026-11-12')))).toEqual([]);
  });

  it('lastOn is the latest date met, whatever the order; expenses without a merchant are skipped', () => {
    const uses = [use('Shell', 'fun', '2026-11-01'), use(undefined, 'fun', '2026-11-30'), use('Shell', 'fun', '2026-11-09'), use('Shell', 'fun', '2026-11-05'), use('   ', 'fun', '2026-11-30')];
    expect(suggest(uses)).toMatchObject([{ merchant: 'Shell', expenses: 3, lastOn: '2026-11-09' }]);
  });

  it('most expenses first, then by merchant; at most `limit`', () => {
    const three = (merchant: string) => [0, 1, 2].map((n) => use(merchant, 'fun', `2026-11-1${n}`));
    const uses = [...three('Zoo'), ...three('Arcade'), ...tesco];
    expect(suggest(uses).map((s) => [s.merchant, s.expenses])).toEqual([
      ['Tesco', 5],
      ['Arcade', 3],
      ['Zoo', 3],
    ]);
    expect(suggest(uses, [], 2).map((s) => s.merchant)).toEqual(['Tesco', 'Arcade']);
  });
});

describe('suggestRules and split rules', () => {
  it('a split rule files every new expense at the merchant (its parts need only the amount): covered; one naming a removed category is not', () => {
    const split = [{ categoryId: 'groceries', percent: 60 }, { categoryId: 'home', percent: 40 }];
    expect(suggest(tesco, [rule('r1', { merchant: { equals: 'tesco' }, split })])).toEqual([]);
    expect(suggest(tesco, [rule('r1', { merchant: { equals: 'tesco' }, split: [split[0]!, { categoryId: 'gone', percent: 40 }] })])).toHaveLength(1);
  });
});
