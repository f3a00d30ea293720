import { ProblemError } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { createdCategories, partCategories, patchedCategories } from './splits';

/** The field paths of the validation problem `run` throws (fails the test if it throws none). */
function refusedFields(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ProblemError);
    const body = (err as ProblemError).toBody() as { status: number; errors: { path: string }[] };
    expect(body.status).toBe(400);
    return body.errors.map((e) => e.path);
  }
  throw new Error('expected a validation problem');
}

const parts = (...amounts: number[]) => amounts.map((amount, i) => ({ categoryId: i === 0 ? null : `c${i}`, amount }));

describe('split expenses: what a create stores', () => {
  it('keeps categoryId null and the parts, descriptions only when given', () => {
    expect(createdCategories({ amount: 12000, splits: [{ categoryId: 'g', amount: 8000, description: 'food' }, { categoryId: 'h', amount: 4000, description: '' }] })).toEqual({
      categoryId: null,
      splits: [{ categoryId: 'g', amount: 8000, description: 'food' }, { categoryId: 'h', amount: 4000 }],
    });
    expect(createdCategories({ amount: 500, categoryId: 'g' })).toEqual({ categoryId: 'g' });
    expect(createdCategories({ amount: 500 })).toEqual({ categoryId: null });
  });

  it('refuses parts that do not add up to amount, naming splits', () => {
    expect(refusedFields(() => createdCategories({ amount: 12000, splits: parts(8000, 3999) }))).toEqual(['splits']);
    expect(refusedFields(() => createdCategories({ amount: 12000, splits: parts(8000, 4001) }))).toEqual(['splits']);
  });

  it('refuses a categoryId next to splits, naming categoryId (both problems at once)', () => {
    expect(refusedFields(() => createdCategories({ amount: 100, categoryId: 'g', splits: parts(50, 50) }))).toEqual(['categoryId']);
    expect(refusedFields(() => createdCategories({ amount: 100, categoryId: 'g', splits: parts(50, 49) }))).toEqual(['categoryId', 'splits']);
    expect(createdCategories({ amount: 100, categoryId: null, splits: parts(50, 50) }).categoryId).toBeNull();
  });
});

describe('split expenses: a PATCH', () => {
  const split = { amount: 12000, categoryId: null, splits: parts(8000, 4000) };
  const single = { amount: 500, categoryId: 'g' };

  it('replaces the parts, with or without a new amount', () => {
    expect(patchedCategories(split, { splits: parts(6000, 6000) })).toEqual({ amount: 12000, categoryId: null, splits: parts(6000, 6000) });
    expect(patchedCategories(split, { amount: 100, splits: parts(1, 99) })).toEqual({ amount: 100, categoryId: null, splits: parts(1, 99) });
  });

  it('refuses amount alone on a split expense, naming splits', () => {
    expect(refusedFields(() => patchedCategories(split, { amount: 13000 }))).toEqual(['splits']);
    // The same amount again changes nothing the parts depend on.
    expect(patchedCategories(split, { amount: 12000 }).splits).toEqual(split.splits);
  });

  it('refuses new parts that do not add up to the stored amount', () => {
    expect(refusedFields(() => patchedCategories(split, { splits: parts(1, 2) }))).toEqual(['splits']);
  });

  it('removes the parts with splits: null, taking categoryId if sent', () => {
    expect(patchedCategories(split, { splits: null })).toEqual({ amount: 12000, categoryId: null });
    expect(patchedCategories(split, { splits: null, categoryId: 'g', amount: 7 })).toEqual({ amount: 7, categoryId: 'g' });
  });

  it('refuses a category for a split expense without splits: null, naming categoryId', () => {
    expect(refusedFields(() => patchedCategories(split, { categoryId: 'g' }))).toEqual(['categoryId']);
    expect(refusedFields(() => patchedCategories(split, { categoryId: 'g', splits: parts(6000, 6000) }))).toEqual(['categoryId']);
  });

  it('splits a single-category expense, which then has categoryId null', () => {
    expect(patchedCategories(single, { splits: parts(200, 300) })).toEqual({ amount: 500, categoryId: null, splits: parts(200, 300) });
    expect(patchedCategories(single, { amount: 900 })).toEqual({ amount: 900, categoryId: 'g' });
    expect(patchedCategories(single, { splits: null })).toEqual({ amount: 500, categoryId: 'g' });
  });
});

describe('partCategories', () => {
  it('lists each named category once, uncategorized parts left out', () => {
    expect(partCategories([{ categoryId: 'a' }, { categoryId: null }, { categoryId: 'b' }, { categoryId: 'a' }])).toEqual(['a', 'b']);
  });
});
