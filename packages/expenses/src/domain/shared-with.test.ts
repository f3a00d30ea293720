import { describe, expect, it } from 'vitest';
import { CreateExpenseBody, UpdateExpenseBody } from '../schemas/expenses.schemas';
import { SHARED_WITH_MAX, patchSharedWith, sameSharedWith, sharedWithField } from './shared-with';

const A = '01JDQ4T2W1R0P9N8M7K6J5H4G3';
const B = '01JDQ4W3E1B2C3D4E5F6G7H8J9';
const problemPaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

/** The sharedWith rules (domain/shared-with.ts) and the schema's checks, each problem naming its field. */
describe('sharedWith', () => {
  it('is stored in user id order; absent or null stores nothing', () => {
    expect(sharedWithField([B, A])).toEqual({ sharedWith: [A, B] });
    expect(sharedWithField(null)).toEqual({});
    expect(sharedWithField(undefined)).toEqual({});
  });

  it('a PATCH replaces it, null removes it, absent keeps it', () => {
    const next: { sharedWith?: string[] } = { sharedWith: [A] };
    patchSharedWith(next, undefined);
    expect(next).toEqual({ sharedWith: [A] });
    patchSharedWith(next, [B, A]);
    expect(next).toEqual({ sharedWith: [A, B] });
    patchSharedWith(next, null);
    expect(next).toEqual({});
  });

  it('compares by value', () => {
    expect(sameSharedWith([A, B], [A, B])).toBe(true);
    expect(sameSharedWith(undefined, undefined)).toBe(true);
    expect(sameSharedWith([A], undefined)).toBe(false);
    expect(sameSharedWith([A], [B])).toBe(false);
  });

  it('accepts 1..50 distinct user ids, and null', () => {
    expect(CreateExpenseBody.safeParse({ amount: 1, sharedWith: [A] }).success).toBe(true);
    expect(CreateExpenseBody.safeParse({ amount: 1, sharedWith: null }).success).toBe(true);
    expect(UpdateExpenseBody.safeParse({ sharedWith: null }).success).toBe(true);
    const fifty = Array.from({ length: SHARED_WITH_MAX }, (_, i) => `01JDQ4T2W1R0P9N8M7K6J5H4${String(i).padStart(2, '0')}`);
    expect(CreateExpenseBody.safeParse({ amount: 1, sharedWith: fifty }).success).toBe(true);
  });

  it('refuses an empty list, a duplicate, more than 50, a non-list (naming sharedWith) and a bad id (naming sharedWith.<n>)', () => {
    const paths = (sharedWith: unknown) => problemPaths(CreateExpenseBody.safeParse({ amount: 1, sharedWith }));
    expect(paths([])).toEqual(['sharedWith']);
    expect(paths([A, B, A])).toEqual(['sharedWith']);
    expect(paths(Array.from({ length: SHARED_WITH_MAX + 1 }, (_, i) => `01JDQ4T2W1R0P9N8M7K6J5H4${String(i).padStart(2, '0')}`))).toEqual(['sharedWith']);
    expect(paths(A)).toEqual(['sharedWith']);
    expect(paths([7])).toEqual(['sharedWith.0']);
    expect(paths([A, A.toLowerCase()])).toEqual(['sharedWith.1']);
    expect(paths([A, 'sam'])).toEqual(['sharedWith.1']);
    expect(problemPaths(UpdateExpenseBody.safeParse({ sharedWith: [] }))).toEqual(['sharedWith']);
  });
});
