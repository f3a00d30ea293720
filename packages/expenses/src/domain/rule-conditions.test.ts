import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AmountRange, CategorizationRule, DescriptionMatch, MerchantMatch } from '../model';
import { amountMatches, appliedRules, descriptionMatches, firstMatchingRule, firstRenamingRule, ruleMatches } from './categorization';

/**
 * A rule's amount and description conditions (domain/categorization.ts): each holds alone as
 * documented, all of a rule's hold together (AND), in the rename as in the categorization; and
 * a rule with a merchant condition only behaves exactly as before they existed (property).
 */
type TestRule = Pick<CategorizationRule, 'id' | 'position' | 'merchant' | 'categoryId' | 'renameTo' | 'tags' | 'amount' | 'description'>;

const rule = (id: string, merchant: MerchantMatch, more: Partial<TestRule> = {}): TestRule => ({ id, position: 0, merchant, ...more });

describe('rule conditions: amount and description', () => {
  it('amount: both bounds inclusive, an absent bound is no bound, no amount never matches', () => {
    expect([999, 1000, 3000, 5000, 5001].map((a) => amountMatches({ min: 1000, max: 5000 }, a))).toEqual([false, true, true, true, false]);
    expect([1, 999, 1000].map((a) => amountMatches({ min: 1000 }, a))).toEqual([false, false, true]);
    expect([1, 1000, 1001].map((a) => amountMatches({ max: 1000 }, a))).toEqual([true, true, false]);
    expect(amountMatches({ min: 7, max: 7 }, 7)).toBe(true);
    expect(amountMatches({ max: 1000 }, undefined)).toBe(false);
  });

  it('description: contains anywhere, case, accents and spacing ignored; none (or null) never matches', () => {
    expect(descriptionMatches({ contains: 'abonnement' }, 'Mon ABONNÉMENT  mensuel')).toBe(true);
    expect(descriptionMatches({ contains: 'strasse' }, 'Parken Hauptstraße')).toBe(true);
    expect(descriptionMatches({ contains: 'rent' }, 'Groceries')).toBe(false);
    expect(descriptionMatches({ contains: 'rent' }, undefined)).toBe(false);
    expect(descriptionMatches({ contains: 'rent' }, null)).toBe(false);
  });

  it('every condition a rule has must hold (AND)', () => {
    const r = rule('01', { contains: 'shell' }, { categoryId: 'fuel', amount: { min: 2000 }, description: { contains: 'diesel' } });
    expect(ruleMatches(r, { merchant: 'SHELL 123', amount: 4500, description: 'Diesel 30 l' })).toBe(true);
    expect(ruleMatches(r, { merchant: 'SHELL 123', amount: 1999, description: 'Diesel 30 l' })).toBe(false);
    expect(ruleMatches(r, { merchant: 'SHELL 123', amount: 4500, description: 'Snacks' })).toBe(false);
    expect(ruleMatches(r, { merchant: 'SHELL 123', amount: 4500 })).toBe(false);
    expect(ruleMatches(r, { merchant: 'BP', amount: 4500, description: 'Diesel' })).toBe(false);
    // A merchant alone (the old callers' form) cannot satisfy an amount condition.
    expect(ruleMatches(r, 'SHELL 123')).toBe(false);
    expect(ruleMatches(rule('02', { contains: 'shell' }, { categoryId: 'fuel' }), 'SHELL 123')).toBe(true);
  });

  it('categorization: the first rule in order whose conditions all hold, a failed condition passes to the next', () => {
    const rules = [
      rule('01', { contains: 'amazon' }, { categoryId: 'big', amount: { min: 10_000 } }),
      rule('02', { contains: 'amazon' }, { categoryId: 'books', description: { contains: 'book' } }),
      rule('03', { contains: 'amazon' }, { categoryId: 'shopping' }),
    ];
    expect(firstMatchingRule(rules, { merchant: 'AMAZON.DE', amount: 25_000, description: 'a book' }, () => true)?.id).toBe('01');
    expect(firstMatchingRule(rules, { merchant: 'AMAZON.DE', amount: 2_500, description: 'A Book' }, () => true)?.id).toBe('02');
    expect(firstMatchingRule(rules, { merchant: 'AMAZON.DE', amount: 2_500 }, () => true)?.id).toBe('03');
    // A removed category is still passed over.
    expect(firstMatchingRule(rules, { merchant: 'AMAZON.DE', amount: 25_000 }, (c) => c !== 'big')?.id).toBe('03');
  });

  it('rename: the amount and description choose the renaming rule too; the categorization then matches the renamed merchant with the same amount', () => {
    const rules = [
      rule('01', { equals: 'PAYPAL' }, { renameTo: 'Spotify', amount: { max: 1099 } }),
      rule('02', { equals: 'PAYPAL' }, { renameTo: 'eBay' }),
      rule('03', { equals: 'Spotify' }, { categoryId: 'music', amount: { min: 999, max: 999 }, tags: ['sub'] }),
      rule('04', { equals: 'eBay' }, { categoryId: 'shopping', description: { contains: 'auction' } }),
    ];
    const small = appliedRules({ merchant: 'paypal', amount: 999 }, rules, () => true);
    expect(small).toEqual({ input: { merchant: 'Spotify', amount: 999, categoryId: 'music', tags: ['sub'] }, renamedBy: '01', categorizedBy: '03' });
    const other = appliedRules({ merchant: 'paypal', amount: 1050 }, rules, () => true);
    // Renamed by 01 (1050 <= 1099), but 03 wants exactly 999: uncategorized.
    expect(other).toEqual({ input: { merchant: 'Spotify', amount: 1050 }, renamedBy: '01' });
    const big = appliedRules({ merchant: 'PayPal', amount: 5000, description: 'Auction win' }, rules, () => true);
    expect(big).toEqual({ input: { merchant: 'eBay', amount: 5000, description: 'Auction win', categoryId: 'shopping' }, renamedBy: '02', categorizedBy: '04' });
    // A create naming its category is renamed only.
    const named = appliedRules({ merchant: 'PAYPAL', amount: 500, categoryId: null }, rules, () => true);
    expect(named).toEqual({ input: { merchant: 'Spotify', amount: 500, categoryId: null }, renamedBy: '01' });
    expect(firstRenamingRule(rules, { merchant: 'PAYPAL', amount: 2000 })?.id).toBe('02');
  });
});

/** The rule application as it was before conditions (the merchant only): rename, then categorize the renamed merchant. */
function before(input: { merchant: string; amount: number; description?: string; tags?: string[] }, rules: readonly TestRule[], isCategory: (c: string) => boolean) {
  const ordered = [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  const matches = (m: MerchantMatch, merchant: string) => ('equals' in m ? fold(merchant) === fold(m.equals) : fold(merchant).includes(fold(m.contains)));
  const rename = ordered.find((r) => r.renameTo !== undefined && matches(r.merchant, input.merchant));
  const merchant = rename ? rename.renameTo! : input.merchant;
  const category = ordered.find((r) => r.categoryId !== undefined && isCategory(r.categoryId) && matches(r.merchant, merchant));
  return { merchant, categorizedBy: category?.id, renamedBy: rename?.id, categoryId: category?.categoryId };
}

// Plain lowercase words: the test's own folding agrees with searchKey on them.
const word = fc.constantFrom('cafe', 'shell', 'amazon', 'paypal', 'market', 'spotify');
const merchantText = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
const merchantMatch: fc.Arbitrary<MerchantMatch> = fc.oneof(
  merchantText.map((equals) => ({ equals })),
  word.map((contains) => ({ contains })),
);
const ruleArb = (conditions: boolean): fc.Arbitrary<TestRule> =>
  fc
    .record({
      position: fc.integer({ min: -2, max: 2 }),
      merchant: merchantMatch,
      categoryId: fc.option(fc.constantFrom('c1', 'c2', 'gone'), { nil: undefined }),
      renameTo: fc.option(merchantText, { nil: undefined }),
      amount: conditions ? fc.option(fc.record({ min: fc.integer({ min: 1, max: 100 }), max: fc.integer({ min: 100, max: 200 }) }, { requiredKeys: [] }), { nil: undefined }) : fc.constant(undefined),
      description: conditions ? fc.option(word.map((contains) => ({ contains })), { nil: undefined }) : fc.constant(undefined),
    })
    .map((r) => {
      const out: TestRule = { id: '', position: r.position, merchant: r.merchant };
      if (r.categoryId !== undefined) out.categoryId = r.categoryId;
      if (r.renameTo !== undefined || r.categoryId === undefined) out.renameTo = r.renameTo ?? 'renamed';
      if (r.amount !== undefined && (r.amount.min !== undefined || r.amount.max !== undefined)) out.amount = r.amount as AmountRange;
      if (r.description !== undefined) out.description = r.description as DescriptionMatch;
      return out;
    });
const rulesArb = (conditions: boolean) =>
  fc.array(ruleArb(conditions), { maxLength: 8 }).map((rs) => rs.map((r, i) => ({ ...r, id: String(i).padStart(2, '0') })));
const createArb = fc.record({ merchant: merchantText, amount: fc.integer({ min: 1, max: 300 }), description: fc.option(merchantText, { nil: undefined }) });
const isCategory = (c: string) => c !== 'gone';

describe('rule conditions: properties', () => {
  it('rules with only a merchant condition apply exactly as before, whatever the amount and description', () => {
    fc.assert(
      fc.property(rulesArb(false), createArb, (rules, create) => {
        const input: { merchant: string; amount: number; description?: string; categoryId?: string | null } = {
          merchant: create.merchant,
          amount: create.amount,
          ...(create.description !== undefined ? { description: create.description } : {}),
        };
        const got = appliedRules(input, rules, isCategory);
        const want = before(input, rules, isCategory);
        expect([got.input.merchant, got.renamedBy, got.categorizedBy, got.input.categoryId]).toEqual([want.merchant, want.renamedBy, want.categorizedBy, want.categoryId]);
      }),
      { numRuns: 300 },
    );
  });

  it('a rule whose conditions fail for the create acts as if it were not there; one whose conditions all hold, as if it had only its merchant', () => {
    fc.assert(
      fc.property(rulesArb(true), createArb, (rules, create) => {
        const subject = { amount: create.amount, description: create.description };
        const holds = (r: TestRule) => (r.amount === undefined || amountMatches(r.amount, subject.amount)) && (r.description === undefined || descriptionMatches(r.description, subject.description));
        const plain = rules.filter(holds).map(({ amount: _a, description: _d, ...r }) => r);
        const input: { merchant: string; amount: number; description?: string; categoryId?: string | null } = {
          merchant: create.merchant,
          amount: create.amount,
          ...(create.description !== undefined ? { description: create.description } : {}),
        };
        const got = appliedRules(input, rules, isCategory);
        const want = before(input, plain, isCategory);
        expect([got.input.merchant, got.renamedBy, got.categorizedBy, got.input.categoryId]).toEqual([want.merchant, want.renamedBy, want.categorizedBy, want.categoryId]);
      }),
      { numRuns: 300 },
    );
  });
});
