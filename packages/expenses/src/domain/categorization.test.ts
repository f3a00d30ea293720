import { describe, expect, it } from 'vitest';
import { categorizedBy, firstMatchingRule, inRuleOrder, merchantMatches, mergedTags, wantsRule } from './categorization';

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
