import { describe, expect, it } from 'vitest';
import type { Expense } from '../model';
import { beforeImage, putBackByDeadCall, undoEntry, undoPatch } from './bulk-undo';

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

describe('undoPatch', () => {
  it('the PATCH a member would send to put the fields back', () => {
    expect(undoPatch({ categoryId: 'groceries' })).toEqual({ categoryId: 'groceries' });
    expect(undoPatch({ categoryId: null })).toEqual({ categoryId: null });
    expect(undoPatch({ tags: [] })).toEqual({ tags: [] });
    expect(undoPatch({ tags: ['home', 'Café'] })).toEqual({ tags: ['home', 'Café'] });
    expect(undoPatch({ reviewed: false })).toEqual({ reviewed: false });
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
  });
});
