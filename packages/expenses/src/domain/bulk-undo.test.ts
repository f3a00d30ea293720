import { describe, expect, it } from 'vitest';
import type { Expense } from '../model';
import { beforeImage, undoEntry, undoPatch } from './bulk-undo';

/** What a bulk edit records of one written expense (only the fields its action changed), and the PATCH that puts them back. */
const expense = (over: Partial<Expense> = {}): Expense => ({
  id: 'e1', budgetId: 'b1', amount: 900, categoryId: 'groceries', occurredOn: '2026-11-05', reviewed: true, createdBy: 'u1', version: 4,
  createdAt: '2026-11-05T00:00:00.000Z', updatedAt: '2026-11-05T00:00:00.000Z', merchant: 'Corner Market', tags: ['home'], ...over,
});

describe('beforeImage', () => {
  it('recategorize: the category only (null when uncategorized); the parts of a split expense with it', () => {
    expect(beforeImage({ type: 'recategorize', categoryId: 'transport' }, expense())).toEqual({ categoryId: 'groceries' });
    expect(beforeImage({ type: 'recategorize', categoryId: 'transport' }, expense({ categoryId: null }))).toEqual({ categoryId: null });
    const splits = [{ categoryId: 'groceries', amount: 600 }, { categoryId: null, amount: 300 }];
    expect(beforeImage({ type: 'recategorize', categoryId: 'transport' }, expense({ categoryId: null, splits }))).toEqual({ categoryId: null, splits });
  });

  it('addTags and removeTags: the tags as they were, [] when it had none', () => {
    expect(beforeImage({ type: 'addTags', tags: ['trip'] }, expense({ tags: ['home', 'Café'] }))).toEqual({ tags: ['home', 'Café'] });
    expect(beforeImage({ type: 'removeTags', tags: ['home'] }, expense({ tags: undefined }))).toEqual({ tags: [] });
  });

  it('markReviewed: reviewed as it was; delete: "deleted" (its restorable copy holds the rest)', () => {
    expect(beforeImage({ type: 'markReviewed' }, expense({ reviewed: false }))).toEqual({ reviewed: false });
    expect(beforeImage({ type: 'delete' }, expense())).toBe('deleted');
  });

  it('an entry: the id, the version the write left, the before-image (nothing else of the expense)', () => {
    expect(undoEntry({ type: 'addTags', tags: ['trip'] }, expense(), 5)).toEqual({ expenseId: 'e1', version: 5, before: { tags: ['home'] } });
    expect(undoEntry({ type: 'delete' }, expense(), 4)).toEqual({ expenseId: 'e1', version: 4, before: 'deleted' });
  });
});

describe('undoPatch', () => {
  it('the PATCH a member would send to put the fields back', () => {
    expect(undoPatch({ categoryId: 'groceries' })).toEqual({ categoryId: 'groceries' });
    expect(undoPatch({ categoryId: null })).toEqual({ categoryId: null });
    const splits = [{ categoryId: 'groceries', amount: 600 }, { categoryId: null, amount: 300 }];
    // PATCH refuses a categoryId with splits: the parts carry the categories.
    expect(undoPatch({ categoryId: null, splits })).toEqual({ splits });
    expect(undoPatch({ tags: [] })).toEqual({ tags: [] });
    expect(undoPatch({ tags: ['home', 'Café'] })).toEqual({ tags: ['home', 'Café'] });
    expect(undoPatch({ reviewed: false })).toEqual({ reviewed: false });
  });
});
