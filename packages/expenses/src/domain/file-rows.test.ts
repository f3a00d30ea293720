import { describe, expect, it } from 'vitest';
import { fingerprintRows } from './csv/fingerprint';
import { validateRow } from './csv/rows';
import { validateFileRow } from './file-rows';
import type { FileRow } from './import-file';

const context = { currency: 'USD', categoryIds: new Map([['groceries', 'cat-g'], ['household', 'cat-h']]) };
const fields = (category: string) => ['2026-11-21', '30', category, 'Weekly', 'Shop'];
const part = (line: number, amount: string, category: string, description = '', tag?: string) => ({ line, amount, category, description, ...(tag ? { tag } : {}) });

describe('validateFileRow: QIF split lines', () => {
  it('makes a split expense of parts adding up to the amount, each category by name; its identity is the row read without splits', () => {
    const record: FileRow = { line: 2, fields: fields('Groceries'), splits: [part(6, '20', 'groceries', 'Food'), part(8, '10', '')] };
    const result = validateFileRow(record, context);
    expect(result).toEqual({
      ok: true,
      value: {
        row: { occurredOn: '2026-11-21', amount: 3000, categoryId: null, splits: [{ categoryId: 'cat-g', amount: 2000, description: 'Food' }, { categoryId: null, amount: 1000 }], description: 'Weekly', merchant: 'Shop' },
        identity: { occurredOn: '2026-11-21', amount: 3000, categoryId: 'cat-g', description: 'Weekly', merchant: 'Shop' },
      },
    });
    // The same record read before split lines were (validateRow of its cells): the same fingerprint.
    const before = validateRow(record.fields, context);
    expect(before.ok && fingerprintRows('b1', [before.value])).toEqual(result.ok && fingerprintRows('b1', [result.value.identity!]));
  });

  it('makes a split refund of a refund row with parts: the parts positive, the identity a refund (never the purchase of the same values)', () => {
    const record: FileRow = { line: 2, fields: fields(''), splits: [part(6, '20', 'groceries'), part(8, '10', '')], refund: true };
    const result = validateFileRow(record, context);
    expect(result).toEqual({
      ok: true,
      value: {
        row: { occurredOn: '2026-11-21', amount: 3000, categoryId: null, splits: [{ categoryId: 'cat-g', amount: 2000 }, { categoryId: null, amount: 1000 }], description: 'Weekly', merchant: 'Shop', refund: true },
        identity: { occurredOn: '2026-11-21', amount: 3000, categoryId: null, description: 'Weekly', merchant: 'Shop', refund: true },
      },
    });
    // Its fingerprint is the one-amount refund's it was read as before (split lines ignored), not the purchase's.
    const before = validateFileRow({ line: 2, fields: fields(''), refund: true }, context);
    const purchase = validateFileRow({ line: 2, fields: fields('') }, context);
    const fp = (r: typeof result) => r.ok && fingerprintRows('b1', [r.value.identity ?? r.value.row]);
    expect(fp(result)).toEqual(fp(before));
    expect(fp(result)).not.toEqual(fp(purchase));
  });

  it("does not need the row's own category: L may name none the budget has (its identity then has none)", () => {
    const result = validateFileRow({ line: 2, fields: fields('--Split--'), splits: [part(6, '20', 'Groceries'), part(8, '10', 'Household')] }, context);
    expect(result.ok && result.value.row.splits).toEqual([{ categoryId: 'cat-g', amount: 2000 }, { categoryId: 'cat-h', amount: 1000 }]);
    expect(result.ok && result.value.identity!.categoryId).toBeNull();
  });

  it('falls back to one expense of the total when the parts do not add up or a part has too many decimals', () => {
    // 20 + 9.99 = 29.99, not 30; 20.001 has three decimals in USD. Each says why (splitFallback).
    for (const [splits, why] of [
      [[part(6, '20', 'Groceries'), part(8, '9.99', 'Household')], 'the split parts add up to 29.99, not the total 30.00'],
      [[part(6, '20.001', 'Groceries'), part(8, '9.999', 'Household')], 'split part 1 (line 6): amount has at most 2 decimals in USD'],
    ] as const) {
      const result = validateFileRow({ line: 2, fields: fields('Groceries'), splits: [...splits] }, context);
      expect(result).toEqual({ ok: true, value: { row: { occurredOn: '2026-11-21', amount: 3000, categoryId: 'cat-g', description: 'Weekly', merchant: 'Shop' }, splitFallback: why } });
    }
    // The reader's reason (split lines it did not hand on) is passed on as is.
    expect(validateFileRow({ line: 2, fields: fields('Groceries'), splitFallback: '1 split part: a split expense has 2 to 50' }, context)).toEqual({
      ok: true,
      value: { row: expect.objectContaining({ categoryId: 'cat-g' }), splitFallback: '1 split part: a split expense has 2 to 50' },
    });
    // A split used says nothing.
    const used = validateFileRow({ line: 2, fields: fields('Groceries'), splits: [part(6, '20', 'Groceries'), part(8, '10', 'Household')] }, context);
    expect(used.ok && 'splitFallback' in used.value).toBe(false);
    // Falling back keeps the row's own errors.
    expect(validateFileRow({ line: 2, fields: fields('Electronics'), splits: [part(6, '20', 'Groceries'), part(8, '1', 'Household')] }, context)).toEqual({
      ok: false,
      message: 'category "Electronics" is not a category of this budget',
    });
  });

  it("refuses a part's unknown category or too long memo as the row's error", () => {
    expect(validateFileRow({ line: 2, fields: fields('Groceries'), splits: [part(6, '20', 'Groceries'), part(8, '10', 'Toys')] }, context)).toEqual({
      ok: false,
      message: 'split part 2 (line 8): category "Toys" is not a category of this budget',
    });
    expect(validateFileRow({ line: 2, fields: fields(''), splits: [part(6, '20', '', 'x'.repeat(501)), part(8, '10', '')] }, context)).toEqual({
      ok: false,
      message: 'split part 1 (line 6): the memo must be at most 500 characters',
    });
  });
});

describe('validateFileRow: classes as tags', () => {
  it("gives the row the class of L, and a used split's part classes after it, deduplicated; not part of the identity", () => {
    const plain = validateFileRow({ line: 2, fields: fields('Groceries'), tags: ['Vacation'] }, context);
    expect(plain).toEqual({ ok: true, value: { row: expect.objectContaining({ categoryId: 'cat-g', tags: ['Vacation'] }) } });
    const split = validateFileRow({ line: 2, fields: fields(''), tags: ['Vacation'], splits: [part(6, '20', '', '', 'vacation'), part(8, '10', '', '', 'Work')] }, context);
    expect(split.ok && split.value.row.tags).toEqual(['Vacation', 'Work']);
    expect(split.ok && 'tags' in split.value.identity!).toBe(false);
    // A split that falls back takes only L's class.
    const fallback = validateFileRow({ line: 2, fields: fields(''), tags: ['Vacation'], splits: [part(6, '20', '', '', 'Work'), part(8, '1', '')] }, context);
    expect(fallback.ok && fallback.value.row.tags).toEqual(['Vacation']);
  });

  it('refuses more than 10 distinct tags', () => {
    const splits = Array.from({ length: 11 }, (_, i) => part(6 + i, '1', '', '', `Class ${i}`));
    expect(validateFileRow({ line: 2, fields: ['2026-11-21', '11', '', '', ''], splits }, context)).toEqual({ ok: false, message: 'the row has 11 classes (tags); at most 10' });
  });
});
