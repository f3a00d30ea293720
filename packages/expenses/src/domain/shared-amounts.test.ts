import { describe, expect, it } from 'vitest';
import { createdSharedAmounts, patchSharedAmounts, type SharedAmount } from './shared-amounts';

const A = '01JDQ4T2W1R0P9N8M7K6J5H4G3';
const B = '01JDQ4W3E1B2C3D4E5F6G7H8J9';
const pathsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    return ((err as { extras?: { errors?: { path: string }[] } }).extras?.errors ?? []).map((e) => e.path);
  }
  throw new Error('expected a 400');
};

describe('createdSharedAmounts', () => {
  it('stores the entries in user id order when they add up to the amount', () => {
    expect(createdSharedAmounts({ amount: 9000, sharedAmounts: [{ userId: B, amount: 6000 }, { userId: A, amount: 3000 }] })).toEqual({
      sharedAmounts: [{ userId: A, amount: 3000 }, { userId: B, amount: 6000 }],
    });
    expect(createdSharedAmounts({ amount: 9000, sharedAmounts: null })).toEqual({});
  });

  it('refuses a sum that is not the amount, and sharedWith with it, naming sharedAmounts', () => {
    expect(pathsOf(() => createdSharedAmounts({ amount: 9000, sharedAmounts: [{ userId: A, amount: 8999 }] }))).toEqual(['sharedAmounts']);
    expect(pathsOf(() => createdSharedAmounts({ amount: 9000, sharedWith: [A], sharedAmounts: [{ userId: A, amount: 9000 }] }))).toEqual(['sharedAmounts']);
  });
});

describe('patchSharedAmounts', () => {
  const stored: SharedAmount[] = [{ userId: A, amount: 100 }];

  it('refuses a new amount without new entries (never rescaled), keeps them when the amount is as before', () => {
    expect(pathsOf(() => patchSharedAmounts({ amount: 101, sharedAmounts: [...stored] }, {}))).toEqual(['sharedAmounts']);
    const same = { amount: 100, sharedAmounts: [...stored] };
    patchSharedAmounts(same, {});
    expect(same.sharedAmounts).toEqual(stored);
  });

  it('replaces sharedWith with a list, is removed by null or by a sharedWith list', () => {
    const next: { amount: number; sharedAmounts?: SharedAmount[]; sharedWith?: string[] } = { amount: 100, sharedWith: [A] };
    patchSharedAmounts(next, { sharedAmounts: [{ userId: B, amount: 100 }] });
    expect(next).toEqual({ amount: 100, sharedAmounts: [{ userId: B, amount: 100 }] });
    const withList = { amount: 100, sharedAmounts: [...stored], sharedWith: [B] };
    patchSharedAmounts(withList, { sharedWith: [B] });
    expect(withList).toEqual({ amount: 100, sharedWith: [B] });
    const cleared = { amount: 5, sharedAmounts: [...stored] };
    patchSharedAmounts(cleared, { sharedAmounts: null });
    expect(cleared).toEqual({ amount: 5 });
    // Either null is every member again: both lists go (patchSharedWith has removed sharedWith itself).
    const reset = { amount: 100, sharedAmounts: [...stored] };
    patchSharedAmounts(reset, { sharedWith: null });
    expect(reset).toEqual({ amount: 100 });
    const unshared = { amount: 100, sharedWith: [B] };
    patchSharedAmounts(unshared, { sharedAmounts: null });
    expect(unshared).toEqual({ amount: 100 });
  });
});
