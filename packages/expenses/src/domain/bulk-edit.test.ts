import { ProblemError } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { Expense } from '../model';
import { bulkPatch } from './bulk-edit';

/** What a bulk edit's action asks of one expense: the PATCH, nothing (already as asked), or a 409 naming the field. */
const expense = (over: Partial<Expense> = {}): Expense => ({
  id: 'e1', budgetId: 'b1', amount: 900, categoryId: 'groceries', occurredOn: '2026-11-05', reviewed: true, createdBy: 'u1', version: 1,
  createdAt: '2026-11-05T00:00:00.000Z', updatedAt: '2026-11-05T00:00:00.000Z', ...over,
});
const conflictPaths = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).status).toBe(409);
    return ((err as ProblemError).extras.errors ?? []).map((e) => e.path);
  }
  throw new Error('no problem thrown');
};

describe('bulkPatch', () => {
  it('recategorize: the PATCH of categoryId, nothing when already there, a 409 on a split expense', () => {
    expect(bulkPatch({ type: 'recategorize', categoryId: 'transport' }, expense())).toEqual({ categoryId: 'transport' });
    expect(bulkPatch({ type: 'recategorize', categoryId: null }, expense())).toEqual({ categoryId: null });
    expect(bulkPatch({ type: 'recategorize', categoryId: 'groceries' }, expense())).toBeUndefined();
    expect(bulkPatch({ type: 'recategorize', categoryId: null }, expense({ categoryId: null }))).toBeUndefined();
    const split = expense({ categoryId: null, splits: [{ categoryId: 'groceries', amount: 600 }, { categoryId: null, amount: 300 }] });
    expect(conflictPaths(() => bulkPatch({ type: 'recategorize', categoryId: 'transport' }, split))).toEqual(['action.categoryId']);
    // Even to null (what it has as a whole): its parts keep their categories, so it is not "already there".
    expect(conflictPaths(() => bulkPatch({ type: 'recategorize', categoryId: null }, split))).toEqual(['action.categoryId']);
  });

  it('addTags: appended after its own (its spelling kept), nothing when it has them all, a 409 past 10', () => {
    expect(bulkPatch({ type: 'addTags', tags: ['Trip'] }, expense())).toEqual({ tags: ['Trip'] });
    expect(bulkPatch({ type: 'addTags', tags: ['TRIP', 'Café', 'cafe'] }, expense({ tags: ['trip'] }))).toEqual({ tags: ['trip', 'Café'] });
    expect(bulkPatch({ type: 'addTags', tags: ['TRIP', 'tríp'] }, expense({ tags: ['trip', 'work'] }))).toBeUndefined();
    const nine = Array.from({ length: 9 }, (_, i) => `t${i}`);
    expect(bulkPatch({ type: 'addTags', tags: ['x'] }, expense({ tags: nine }))).toEqual({ tags: [...nine, 'x'] });
    expect(conflictPaths(() => bulkPatch({ type: 'addTags', tags: ['x', 'y'] }, expense({ tags: nine })))).toEqual(['action.tags']);
  });

  it('removeTags: ignoring case and accents, [] when none is left, nothing when it has none of them', () => {
    expect(bulkPatch({ type: 'removeTags', tags: ['TRIP'] }, expense({ tags: ['trip', 'Work'] }))).toEqual({ tags: ['Work'] });
    expect(bulkPatch({ type: 'removeTags', tags: ['work', 'CAFE'] }, expense({ tags: ['Work', 'café'] }))).toEqual({ tags: [] });
    expect(bulkPatch({ type: 'removeTags', tags: ['other'] }, expense({ tags: ['trip'] }))).toBeUndefined();
    expect(bulkPatch({ type: 'removeTags', tags: ['trip'] }, expense())).toBeUndefined();
  });

  it('markReviewed: the PATCH of reviewed: true, nothing when it is reviewed already', () => {
    expect(bulkPatch({ type: 'markReviewed' }, expense({ reviewed: false }))).toEqual({ reviewed: true });
    expect(bulkPatch({ type: 'markReviewed' }, expense({ reviewed: true }))).toBeUndefined();
    // A split expense is reviewed as a whole (no 409, unlike recategorize).
    const split = expense({ reviewed: false, categoryId: null, splits: [{ categoryId: 'groceries', amount: 600 }, { categoryId: null, amount: 300 }] });
    expect(bulkPatch({ type: 'markReviewed' }, split)).toEqual({ reviewed: true });
  });
});
