import { describe, expect, it } from 'vitest';
import { appliedRules, categorizedBy, firstMatchingRule, firstRenamingRule, inRuleOrder, merchantMatches, mergedTags, wantsRule } from './categorization';

const rule = (id: string, merchant: { equals: string } | { contains: string }, categoryId: string, position = 0, tags?: string[]) => ({
  id,
  merchant,
  categoryId,
  position,
  ...(tags ? { tags } : {}),
});

describe('categorization rules', () => {
  it('asks a rule only when categoryId and splits are absent and a merchant is there', () => {
    expect(wantsRule({ merchant: 'Corner Market' })).toBe(true);
    expect(wantsRule({ merchant: 'Corner Market', categoryId: null })).toBe(false);
    expect(wantsRule({ merchant: 'Corner Market', categoryId: 'c1' })).toBe(false);
    expect(wantsRule({ merchant: 'Corner Market', splits: [] })).toBe(false);
    expect(wantsRule({})).toBe(false);
    expect(wantsRule({ merchant: '\u200b' })).toBe(false);
  });

  it('matches equals on the whole merchant and contains anywhere, ignoring case, accents and spacing', () => {
    expect(merchantMatches({ equals: 'cafe' }, 'CAFÉ')).toBe(true);
    expect(merchantMatches({ equals: 'Corner market' }, '  CORNER   Market ')).toBe(true);
    expect(merchantMatches({ equals: 'cafe' }, 'Café Zoë')).toBe(false);
    expect(merchantMatches({ contains: 'cafe' }, 'Le CAFÉ Zoë')).toBe(true);
    expect(merchantMatches({ contains: 'strasse' }, 'Bäckerei Hauptstraße')).toBe(true);
    expect(merchantMatches({ contains: 'tea' }, 'Coffee')).toBe(false);
  });

  it('orders by position, then id; the first match whose category is accepted wins', () => {
    const rules = [rule('02', { contains: 'cafe' }, 'eating'), rule('01', { contains: 'caf' }, 'coffee'), rule('03', { equals: 'cafe' }, 'first', -1)];
    expect(inRuleOrder(rules).map((r) => r.id)).toEqual(['03', '01', '02']);
    expect(firstMatchingRule(rules, 'CAFÉ', () => true)?.id).toBe('03');
    expect(firstMatchingRule(rules, 'Café Zoë', () => true)?.id).toBe('01');
    // A rule whose category the budget no longer has is passed over.
    expect(firstMatchingRule(rules, 'Café Zoë', (c) => c !== 'coffee')?.id).toBe('02');
    expect(firstMatchingRule(rules, 'Bakery', () => true)).toBeUndefined();
  });

  it('fills in category and tags: the request first, then the rule, deduplicated, at most 10', () => {
    const r = rule('01', { equals: 'x' }, 'eating', 0, ['coffee', 'Work']);
    const input = { amount: 1, merchant: 'x', tags: ['work', 'trip'] };
    expect(categorizedBy(input, r)).toEqual({
      input: { amount: 1, merchant: 'x', categoryId: 'eating', tags: ['work', 'trip', 'coffee'] },
      ruleId: '01',
    });
    const plain: { amount: number; merchant: string; tags?: string[] } = { amount: 1, merchant: 'x' };
    expect(categorizedBy(plain, undefined)).toEqual({ input: { amount: 1, merchant: 'x' } });
    const ten = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    expect(mergedTags(ten, ['k'])).toEqual(ten);
    expect(mergedTags(undefined, undefined)).toBeUndefined();
  });
});

type TestRule = { id: string; merchant: { equals: string } | { contains: string }; position: number; categoryId?: string; renameTo?: string; tags?: string[] };
const renaming = (id: string, merchant: TestRule['merchant'], renameTo: string, position = 0, categoryId?: string): TestRule => ({
  id,
  merchant,
  renameTo,
  position,
  ...(categoryId ? { categoryId } : {}),
});

describe('payee renaming rules', () => {
  const any = () => true;

  it('renames first, then categorizes by the RENAMED merchant', () => {
    const rules: TestRule[] = [renaming('01', { contains: 'amzn mktp' }, 'Amazon'), rule('02', { equals: 'Amazon' }, 'shopping', 0, ['online'])];
    expect(appliedRules({ amount: 1, merchant: 'AMZN MKTP US*2K4' }, rules, any)).toEqual({
      input: { amount: 1, merchant: 'Amazon', categoryId: 'shopping', tags: ['online'] },
      categorizedBy: '02',
      renamedBy: '01',
    });
    // The category rule for the original spelling no longer matches once renamed.
    const old: TestRule[] = [renaming('01', { contains: 'amzn' }, 'Amazon'), rule('02', { contains: 'amzn' }, 'misc')];
    expect(appliedRules({ merchant: 'AMZN Mktp' }, old, any)).toEqual({ input: { merchant: 'Amazon' }, renamedBy: '01' });
  });

  it('renames whether or not a category (or null, or splits) was sent; does not categorize then', () => {
    const rules: TestRule[] = [renaming('01', { equals: 'AMZN' }, 'Amazon'), rule('02', { equals: 'Amazon' }, 'shopping')];
    expect(appliedRules({ merchant: 'amzn', categoryId: 'groceries' }, rules, any)).toEqual({ input: { merchant: 'Amazon', categoryId: 'groceries' }, renamedBy: '01' });
    expect(appliedRules({ merchant: 'amzn', categoryId: null }, rules, any)).toEqual({ input: { merchant: 'Amazon', categoryId: null }, renamedBy: '01' });
    expect(appliedRules({ merchant: 'amzn', splits: [] }, rules, any)).toEqual({ input: { merchant: 'Amazon', splits: [] }, renamedBy: '01' });
    // No merchant: nothing applies.
    expect(appliedRules({ amount: 3, merchant: ' ' }, rules, any)).toEqual({ input: { amount: 3, merchant: ' ' } });
  });

  it('equals renames the whole merchant only; contains anywhere; case and accents ignored', () => {
    const rules: TestRule[] = [renaming('01', { equals: 'café zoe' }, 'Café Zoë'), renaming('02', { contains: 'paypal *' }, 'PayPal')];
    expect(firstRenamingRule(rules, 'CAFE ZOË')?.id).toBe('01');
    expect(firstRenamingRule(rules, 'Café Zoë Paris')).toBeUndefined();
    expect(firstRenamingRule(rules, 'PAYPAL *SPOTIFY')?.id).toBe('02');
    // A rule without renameTo never renames, even when it matches first.
    expect(firstRenamingRule([rule('00', { contains: 'paypal' }, 'x', -5), ...rules], 'paypal *x')?.id).toBe('02');
  });

  it('the first renaming rule by position, then id, wins; one rename only (no chain)', () => {
    const rules: TestRule[] = [renaming('02', { contains: 'amzn' }, 'Amazon'), renaming('01', { contains: 'amzn' }, 'AMZN Marketplace'), renaming('03', { contains: 'amzn' }, 'First', -1)];
    expect(appliedRules({ merchant: 'AMZN x' }, rules, any).input.merchant).toBe('First');
    expect(appliedRules({ merchant: 'AMZN x' }, rules.slice(0, 2), any)).toMatchObject({ input: { merchant: 'AMZN Marketplace' }, renamedBy: '01' });
    // "AMZN Marketplace" would match the rules again: it is not renamed a second time.
    expect(appliedRules({ merchant: 'Amazon' }, [renaming('01', { equals: 'amazon' }, 'AMZN'), renaming('02', { equals: 'amzn' }, 'Amazon')], any)).toMatchObject({
      input: { merchant: 'AMZN' },
      renamedBy: '01',
    });
  });

  it('a rename-only rule brings no tags; a rule with both renames and categorizes (the category matched on the renamed merchant)', () => {
    const renameOnly: TestRule = { ...renaming('01', { equals: 'amzn' }, 'Amazon'), tags: ['online'] };
    expect(appliedRules({ merchant: 'AMZN' }, [renameOnly], any)).toEqual({ input: { merchant: 'Amazon' }, renamedBy: '01' });
    const both = renaming('01', { contains: 'amazon' }, 'Amazon', 0, 'shopping');
    expect(appliedRules({ merchant: 'amazon.com' }, [both], any)).toEqual({ input: { merchant: 'Amazon', categoryId: 'shopping' }, renamedBy: '01', categorizedBy: '01' });
    // Its category removed from the budget: the rename still applies.
    expect(appliedRules({ merchant: 'amazon.com' }, [both], () => false)).toEqual({ input: { merchant: 'Amazon' }, renamedBy: '01' });
  });
});

describe('split rules on a create', () => {
  const split = { id: 'r-split', merchant: { equals: 'Costco' }, position: 0, split: [{ categoryId: 'food', percent: 70 }, { categoryId: 'home', percent: 30 }], tags: ['bulk'] };
  const single = { id: 'r-one', merchant: { equals: 'Costco' }, position: 1, categoryId: 'misc' };

  it('fills in the parts (999 at 70/30: 699 + 300), no category, the merged tags and the rule', () => {
    const out = appliedRules({ amount: 999, merchant: 'COSTCO', tags: ['x'] }, [split, single], () => true);
    expect(out).toEqual({
      input: { amount: 999, merchant: 'COSTCO', splits: [{ categoryId: 'food', amount: 699 }, { categoryId: 'home', amount: 300 }], tags: ['x', 'bulk'] },
      categorizedBy: 'r-split',
    });
  });

  it('files an amount leaving one part (1 at 70/30: 1 + 0) under that category', () => {
    expect(appliedRules({ amount: 1, merchant: 'Costco' }, [split], () => true).input).toEqual({ amount: 1, merchant: 'Costco', categoryId: 'food', tags: ['bulk'] });
  });

  it('passes over a split rule one of whose categories is not accepted: the next rule applies', () => {
    expect(firstMatchingRule([split, single], 'Costco', (id) => id !== 'home')?.id).toBe('r-one');
    expect(categorizedBy({ amount: 10 }, single).input).toEqual({ amount: 10, categoryId: 'misc' });
  });
});
