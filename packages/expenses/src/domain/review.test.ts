import { describe, expect, it } from 'vitest';
import { CreateExpenseBody, UpdateExpenseBody } from '../schemas/expenses.schemas';
import { IMPORTED_REVIEWED, TO_REVIEW_WINDOW, createdReviewed, markReviewedPatch, patchedReviewed, toReviewOf } from './review';

const problemPaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('review of expenses', () => {
  it('a new expense is reviewed unless sent false; an imported row is not', () => {
    expect(createdReviewed(undefined)).toBe(true);
    expect(createdReviewed(true)).toBe(true);
    expect(createdReviewed(false)).toBe(false);
    expect(IMPORTED_REVIEWED).toBe(false);
  });

  it("the overview's badge: up to 99 as counted, past it 99 and more (\"99+\"); the count reads one more than it shows", () => {
    expect(toReviewOf(0)).toEqual({ count: 0, more: false });
    expect(toReviewOf(42)).toEqual({ count: 42, more: false });
    expect(toReviewOf(99)).toEqual({ count: 99, more: false });
    expect(toReviewOf(100)).toEqual({ count: 99, more: true });
    expect(TO_REVIEW_WINDOW).toBe(100);
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
