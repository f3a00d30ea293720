import { describe, expect, it } from 'vitest';
import { CreateExpenseBody, UpdateExpenseBody } from '../schemas/expenses.schemas';
import { IMPORTED_REVIEWED, createdReviewed, markReviewedPatch, patchedReviewed } from './review';

const problemPaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('review of expenses', () => {
  it('a new expense is reviewed unless sent false; an imported row is not', () => {
    expect(createdReviewed(undefined)).toBe(true);
    expect(createdReviewed(true)).toBe(true);
    expect(createdReviewed(false)).toBe(false);
    expect(IMPORTED_REVIEWED).toBe(false);
  });

  it('a PATCH keeps the state unless it sends one', () => {
    expect(patchedReviewed({ reviewed: false }, undefined)).toBe(false);
    expect(patchedReviewed({ reviewed: true }, undefined)).toBe(true);
    expect(patchedReviewed({ reviewed: false }, true)).toBe(true);
    expect(patchedReviewed({ reviewed: true }, false)).toBe(false);
  });

  it('markReviewed writes only what needs review', () => {
    expect(markReviewedPatch({ reviewed: false })).toEqual({ reviewed: true });
    expect(markReviewedPatch({ reviewed: true })).toBeUndefined();
  });

  it('the bodies take a boolean and name the field otherwise', () => {
    expect(UpdateExpenseBody.safeParse({ reviewed: true }).success).toBe(true);
    expect(CreateExpenseBody.safeParse({ amount: 1, reviewed: false }).success).toBe(true);
    expect(problemPaths(UpdateExpenseBody.safeParse({ reviewed: 'true' }))).toEqual(['reviewed']);
    expect(problemPaths(UpdateExpenseBody.safeParse({ reviewed: null }))).toEqual(['reviewed']);
    expect(problemPaths(CreateExpenseBody.safeParse({ amount: 1, reviewed: 1 }))).toEqual(['reviewed']);
  });
});
