import { describe, expect, it } from 'vitest';
import { ruleEffect } from './rule-apply';

const plain = { amount: 999, categoryId: null, split: false, merchant: 'Shell 042' };

describe('ruleEffect', () => {
  it('moves an expense of another category, and leaves one already in it', () => {
    expect(ruleEffect({ categoryId: 'fuel' }, { ...plain, categoryId: 'snacks' })).toEqual({ kind: 'change', patch: { categoryId: 'fuel' } });
    expect(ruleEffect({ categoryId: 'fuel' }, plain)).toEqual({ kind: 'change', patch: { categoryId: 'fuel' } });
    expect(ruleEffect({ categoryId: 'fuel' }, { ...plain, categoryId: 'fuel' })).toEqual({ kind: 'unchanged' });
  });

  it("adds the rule's tags after the expense's own, deduplicated ignoring case, at most 10", () => {
    expect(ruleEffect({ categoryId: 'fuel', tags: ['car', 'Trip'] }, { ...plain, categoryId: 'fuel', tags: ['trip'] })).toEqual({
      kind: 'change',
      patch: { tags: ['trip', 'car'] },
    });
    expect(ruleEffect({ categoryId: 'fuel', tags: ['CAR'] }, { ...plain, categoryId: 'fuel', tags: ['car'] })).toEqual({ kind: 'unchanged' });
    const ten = Array.from({ length: 10 }, (_, n) => `t${n}`);
    expect(ruleEffect({ categoryId: 'fuel', tags: ['car'] }, { ...plain, categoryId: 'fuel', tags: ten })).toEqual({ kind: 'unchanged' });
    const nine = ten.slice(0, 9);
    expect(ruleEffect({ categoryId: 'fuel', tags: ['a', 'b'] }, { ...plain, categoryId: 'fuel', tags: nine })).toEqual({ kind: 'change', patch: { tags: [...nine, 'a'] } });
  });

  it('skips a split expense when the rule categorizes (nothing of it applied), renames it when the rule only renames', () => {
    const split = { ...plain, split: true };
    expect(ruleEffect({ categoryId: 'fuel', renameTo: 'Shell', tags: ['car'] }, split)).toEqual({ kind: 'skipped' });
    expect(ruleEffect({ renameTo: 'Shell' }, split)).toEqual({ kind: 'change', patch: { merchant: 'Shell' } });
  });

  it('renames when the merchant is not exactly renameTo; a rename-only rule brings no tags and no category', () => {
    expect(ruleEffect({ renameTo: 'Shell', tags: ['car'] }, plain)).toEqual({ kind: 'change', patch: { merchant: 'Shell' } });
    expect(ruleEffect({ renameTo: 'Shell' }, { ...plain, merchant: 'SHELL' })).toEqual({ kind: 'change', patch: { merchant: 'Shell' } });
    expect(ruleEffect({ renameTo: 'Shell' }, { ...plain, merchant: 'Shell' })).toEqual({ kind: 'unchanged' });
    expect(ruleEffect({ categoryId: 'fuel', renameTo: 'Shell' }, plain)).toEqual({ kind: 'change', patch: { categoryId: 'fuel', merchant: 'Shell' } });
  });

  describe('a split rule', () => {
    const split = [
      { categoryId: 'food', percent: 70 },
      { categoryId: 'home', percent: 30 },
    ];

    it('splits a plain expense of any category or none: 999 at 70/30 -> 699 + 300 (699.3 and 299.7, the unit to the .7)', () => {
      const parts = [
        { categoryId: 'food', amount: 699 },
        { categoryId: 'home', amount: 300 },
      ];
      expect(ruleEffect({ split }, plain)).toEqual({ kind: 'change', patch: { splits: parts } });
      expect(ruleEffect({ split, tags: ['shop'] }, { ...plain, categoryId: 'food' })).toEqual({ kind: 'change', patch: { splits: parts, tags: ['shop'] } });
    });

    it('skips a split expense whose parts differ (nothing of the rule applied)', () => {
      expect(ruleEffect({ split, renameTo: 'Shell', tags: ['x'] }, { ...plain, split: true })).toEqual({ kind: 'skipped' });
      // 999 at 70/30 is 699 + 300: 700 + 299, the parts swapped, or a part with a description differ.
      const other = (splits: { categoryId: string; amount: number; description?: string }[]) => ruleEffect({ split }, { ...plain, split: true, splits });
      expect(other([{ categoryId: 'food', amount: 700 }, { categoryId: 'home', amount: 299 }])).toEqual({ kind: 'skipped' });
      expect(other([{ categoryId: 'home', amount: 300 }, { categoryId: 'food', amount: 699 }])).toEqual({ kind: 'skipped' });
      expect(other([{ categoryId: 'food', amount: 699, description: 'Bread' }, { categoryId: 'home', amount: 300 }])).toEqual({ kind: 'skipped' });
      expect(ruleEffect({ categoryId: 'food' }, { ...plain, split: true, splits: [{ categoryId: 'food', amount: 699 }, { categoryId: 'home', amount: 300 }] })).toEqual({ kind: 'skipped' });
    });

    it('leaves a split expense with exactly its parts unchanged; its tags and rename still apply', () => {
      const asSplit = { ...plain, split: true, splits: [{ categoryId: 'food', amount: 699 }, { categoryId: 'home', amount: 300 }] };
      expect(ruleEffect({ split }, asSplit)).toEqual({ kind: 'unchanged' });
      expect(ruleEffect({ split, tags: ['shop'], renameTo: 'Shell 042' }, { ...asSplit, tags: ['shop'] })).toEqual({ kind: 'unchanged' });
      expect(ruleEffect({ split, tags: ['shop'], renameTo: 'Shell' }, asSplit)).toEqual({ kind: 'change', patch: { tags: ['shop'], merchant: 'Shell' } });
    });

    it('files an expense of 1 (50/50: one part left) under the first category, unchanged when it already is there', () => {
      const halves = [
        { categoryId: 'food', percent: 50 },
        { categoryId: 'home', percent: 50 },
      ];
      expect(ruleEffect({ split: halves }, { ...plain, amount: 1 })).toEqual({ kind: 'change', patch: { categoryId: 'food' } });
      expect(ruleEffect({ split: halves }, { ...plain, amount: 1, categoryId: 'food' })).toEqual({ kind: 'unchanged' });
    });
  });
});
