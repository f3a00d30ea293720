import { describe, expect, it } from 'vitest';
import type { Expense } from '../model';
import { UNDO_ENTRIES_MAX_BYTES, beforeImage, boundedEntries, patchBeforeImage, patchUndoEntry, putBackByDeadCall, removedCategoryIn, undoEntry, undoPatch } from './bulk-undo';

/** What a bulk edit records of one written expense (only the fields its action changed), and the PATCH that puts them back. */
const expense = (over: Partial<Expense> = {}): Expense => ({
  id: 'e1', budgetId: 'b1', amount: 900, categoryId: 'groceries', occurredOn: '2026-11-05', reviewed: true, createdBy: 'u1', version: 4,
  createdAt: '2026-11-05T00:00:00.000Z', updatedAt: '2026-11-05T00:00:00.000Z', merchant: 'Corner Market', tags: ['home'], ...over,
});

describe('beforeImage', () => {
  it('recategorize: the category only (null when uncategorized), none of the other fields', () => {
    expect(beforeImage({ type: 'recategorize', categoryId: 'transport' }, expense())).toEqual({ categoryId: 'groceries' });
    expect(beforeImage({ type: 'recategorize', categoryId: 'transport' }, expense({ categoryId: null }))).toEqual({ categoryId: null });
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

describe('patchBeforeImage (a category reassign, a rule apply)', () => {
  const parts = [
    { categoryId: 'fuel', amount: 300, description: 'petrol' },
    { categoryId: 'snacks', amount: 600 },
  ];

  it('a category moved on a plain expense: the category only', () => {
    expect(patchBeforeImage({ categoryId: 'fuel' }, expense())).toEqual({ categoryId: 'groceries' });
  });

  it('parts replaced, or merged into one category: the parts, the null category, and the description it had (null: none)', () => {
    const split = expense({ categoryId: null, splits: parts });
    expect(patchBeforeImage({ splits: [{ categoryId: 'fuel', amount: 900 }] }, split)).toEqual({ splits: parts, categoryId: null });
    expect(patchBeforeImage({ splits: null, categoryId: 'fuel', description: 'petrol' }, split)).toEqual({ splits: parts, categoryId: null, description: null });
    expect(patchBeforeImage({ splits: null, categoryId: 'fuel', description: 'petrol' }, expense({ categoryId: null, splits: parts, description: 'mine' }))).toEqual({ splits: parts, categoryId: null, description: 'mine' });
  });

  it('a rule splitting a plain expense, renaming and tagging it: no parts (null), its category, merchant and tags', () => {
    expect(patchBeforeImage({ splits: parts, merchant: 'Shell', tags: ['home', 'car'] }, expense())).toEqual({ splits: null, categoryId: 'groceries', merchant: 'Corner Market', tags: ['home'] });
    expect(patchBeforeImage({ merchant: 'Shell' }, expense({ merchant: undefined }))).toEqual({ merchant: null });
    expect(patchUndoEntry({ tags: ['car'] }, expense({ tags: undefined }), 5)).toEqual({ expenseId: 'e1', version: 5, before: { tags: [] } });
  });

  it('the PATCH putting each back: parts with a null category, or no parts with the category', () => {
    expect(undoPatch({ splits: parts, categoryId: null, description: null })).toEqual({ splits: parts, categoryId: null, description: null });
    expect(undoPatch({ splits: null, categoryId: 'groceries', merchant: 'Corner Market', tags: ['home'] })).toEqual({ splits: null, categoryId: 'groceries', merchant: 'Corner Market', tags: ['home'] });
    expect(undoPatch({ merchant: null })).toEqual({ merchant: null });
  });
});

describe('undoPatch', () => {
  it('the PATCH a member would send to put the fields back', () => {
    expect(undoPatch({ categoryId: 'groceries' })).toEqual({ categoryId: 'groceries' });
    expect(undoPatch({ categoryId: null })).toEqual({ categoryId: null });
    expect(undoPatch({ tags: [] })).toEqual({ tags: [] });
    expect(undoPatch({ tags: ['home', 'Café'] })).toEqual({ tags: ['home', 'Café'] });
    expect(undoPatch({ reviewed: false })).toEqual({ reviewed: false });
  });
});

describe('removedCategoryIn (an undo that would write back a category the budget no longer has)', () => {
  const budget = new Set(['fuel', 'home']);
  it('the expense\'s own category, or any part\'s, not among the budget\'s: removed', () => {
    expect(removedCategoryIn({ categoryId: 'snacks' }, budget)).toBe(true);
    expect(removedCategoryIn({ splits: [{ categoryId: 'home', amount: 1_200 }, { categoryId: 'snacks', amount: 800 }], categoryId: null }, budget)).toBe(true);
  });
  it('categories the budget has, uncategorized (null), parts without a category, or no category in the patch: not removed', () => {
    expect(removedCategoryIn({ categoryId: 'fuel' }, budget)).toBe(false);
    expect(removedCategoryIn({ categoryId: null }, budget)).toBe(false);
    expect(removedCategoryIn({ splits: [{ categoryId: 'home', amount: 1_200 }, { categoryId: null, amount: 800 }], categoryId: null }, budget)).toBe(false);
    expect(removedCategoryIn({ splits: null, categoryId: 'home' }, budget)).toBe(false);
    expect(removedCategoryIn({}, budget)).toBe(false);
  });
});

describe('the undo record\'s size (DynamoDB items hold at most 400 KB)', () => {
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
  const ulid = '01JDEXPENSE0000000000000001';
  const ids = (length: number) => Array.from({ length: 100 }, (_, i) => `${String(i).padStart(3, '0')}${'X'.repeat(length - 3)}`);
  // What a failed write-back stores: a problem of a few hundred bytes, with a field error.
  const problem = { type: 'https://budgeting.dev/problems/validation-failed', title: 'Validation failed', status: 400, detail: 'x'.repeat(200), errors: [{ path: 'categoryId', message: 'y'.repeat(80) }] };
  const outcome = (expenseIds: string[]) => ({ undone: [], kept: [], failed: expenseIds.map((expenseId) => ({ expenseId, problem })) });

  it('100 entries with the most tags an expense may have (10 of 32 three-byte characters), 128-character ids, every write-back failed: about 175 KB', () => {
    const tags = Array.from({ length: 10 }, (_, i) => `${i}${'€'.repeat(31)}`);
    const entries = ids(128).map((id) => undoEntry({ type: 'addTags', tags: ['x'] }, expense({ id, tags }), 99));
    const size = bytes(entries) + bytes(outcome(ids(128)));
    expect(size).toBeGreaterThan(150_000);
    expect(size).toBeLessThan(200_000);
  });

  it('100 recategorized expenses (ULID ids): about 11 KB; a split expense\'s parts are never recorded (recategorize refuses it)', () => {
    const entries = ids(26).map((id) => undoEntry({ type: 'recategorize', categoryId: null }, expense({ id, categoryId: ulid }), 2));
    expect(bytes(entries)).toBeLessThan(12_000);
    const splits = Array.from({ length: 50 }, () => ({ categoryId: ulid, amount: 600 }));
    expect(beforeImage({ type: 'recategorize', categoryId: null }, expense({ categoryId: null, splits }))).toEqual({ categoryId: null });
  });
});

describe('boundedEntries: split parts in the before-image', () => {
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
  const ulid = '01JDEXPENSE0000000000000001';
  // The worst a split expense holds: 50 parts, each a ULID category and 500 three-byte characters of description.
  const worstParts = Array.from({ length: 50 }, (_, i) => ({ categoryId: ulid, amount: 999_999_999, description: `${i}${'€'.repeat(499)}` }));
  const entries = (n: number) =>
    Array.from({ length: n }, (_, i) => patchUndoEntry({ splits: null, categoryId: 'x', description: 'y' }, expense({ id: `${String(i).padStart(26, '0')}`, categoryId: null, splits: worstParts, description: '€'.repeat(500) }), 3));

  it('100 of the worst split expenses would take about 7.7 MB: past the 400 KB item, so bounded', () => {
    expect(bytes(entries(100))).toBeGreaterThan(7_000_000);
    const stored = boundedEntries(entries(100));
    expect(bytes(stored)).toBeLessThanOrEqual(UNDO_ENTRIES_MAX_BYTES);
    expect(UNDO_ENTRIES_MAX_BYTES).toBeLessThanOrEqual(300_000);
    // Each about 77 KB: 3 fit; the others are recorded as written but not undoable, in the order written.
    expect(stored.filter((e) => e.before !== 'not-recorded')).toHaveLength(3);
    expect(stored.map((e) => e.expenseId)).toEqual(entries(100).map((e) => e.expenseId));
    const dropped = stored.filter((e) => e.before === 'not-recorded');
    expect(dropped).toHaveLength(97);
    expect(dropped.every((e) => e.version === 3)).toBe(true);
  });

  it('entries that fit are stored as they are; the largest dropped first', () => {
    const small = entries(1).concat(patchUndoEntry({ categoryId: 'fuel' }, expense({ id: 'plain' }), 2));
    expect(boundedEntries(small)).toBe(small);
    expect(boundedEntries(small, bytes(small) - 1).map((e) => e.before)).toEqual(['not-recorded', { categoryId: 'groceries' }]);
  });
});

describe('putBackByDeadCall', () => {
  // A call claimed the undo at 12:00:00 and died; its claim went stale at 12:01:00.
  const window = { from: Date.parse('2026-11-24T12:00:00.000Z'), to: Date.parse('2026-11-24T12:01:00.000Z') };
  const entry = { expenseId: 'e1', version: 4, before: { categoryId: 'groceries' } };
  const putBack = (over: Partial<Expense> = {}) => expense({ version: 5, updatedAt: '2026-11-24T12:00:20.000Z', ...over });

  it('one version on, written within the dead call\'s claim, the fields as before the bulk: put back', () => {
    expect(putBackByDeadCall(window, entry, putBack())).toBe(true);
    expect(putBackByDeadCall(window, entry, putBack({ updatedAt: '2026-11-24T12:00:00.000Z' }))).toBe(true);
    expect(putBackByDeadCall(window, { ...entry, before: { tags: [] } }, putBack({ tags: undefined }))).toBe(true);
    expect(putBackByDeadCall(window, { ...entry, before: { tags: ['home'] } }, putBack())).toBe(true);
    expect(putBackByDeadCall(window, { ...entry, before: { reviewed: true } }, putBack())).toBe(true);
  });

  it('no dead call, another version, a write outside the claim, other field values, or a delete: not put back by it', () => {
    expect(putBackByDeadCall(undefined, entry, putBack())).toBe(false);
    expect(putBackByDeadCall(window, entry, putBack({ version: 6 }))).toBe(false);
    expect(putBackByDeadCall(window, entry, putBack({ updatedAt: '2026-11-24T11:59:59.999Z' }))).toBe(false);
    expect(putBackByDeadCall(window, entry, putBack({ updatedAt: '2026-11-24T12:01:00.001Z' }))).toBe(false);
    expect(putBackByDeadCall(window, entry, putBack({ categoryId: 'transport' }))).toBe(false);
    expect(putBackByDeadCall(window, { ...entry, before: { tags: ['home', 'trip'] } }, putBack())).toBe(false);
    expect(putBackByDeadCall(window, { ...entry, before: { reviewed: false } }, putBack())).toBe(false);
    expect(putBackByDeadCall(window, { ...entry, before: 'deleted' }, putBack())).toBe(false);
    expect(putBackByDeadCall(window, { ...entry, before: 'not-recorded' }, putBack())).toBe(false);
  });

  it('a reassign\'s or a rule\'s before-image: every recorded field must be as before (parts, merchant, description)', () => {
    const parts = [
      { categoryId: 'fuel', amount: 300 },
      { categoryId: 'snacks', amount: 600 },
    ];
    const before = { splits: parts, categoryId: null, description: null };
    expect(putBackByDeadCall(window, { ...entry, before }, putBack({ categoryId: null, splits: parts }))).toBe(true);
    expect(putBackByDeadCall(window, { ...entry, before }, putBack({ categoryId: null, splits: parts, description: 'merged' }))).toBe(false);
    expect(putBackByDeadCall(window, { ...entry, before }, putBack({ categoryId: null, splits: [...parts].reverse() }))).toBe(false);
    expect(putBackByDeadCall(window, { ...entry, before: { splits: null, categoryId: 'groceries', merchant: 'Corner Market' } }, putBack())).toBe(true);
    expect(putBackByDeadCall(window, { ...entry, before: { splits: null, categoryId: 'groceries', merchant: 'SHELL' } }, putBack())).toBe(false);
  });
});
