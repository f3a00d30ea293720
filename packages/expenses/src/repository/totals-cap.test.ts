import type { ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { Contribution } from '../model';
import { MAX_EXACT_TOTAL, TotalsLimitError, totalsCapCondition, totalsLimitOf } from './totals-cap';
import { bucketDeltas, mergeBucketDeltas } from './totals-deltas';
import { TotalsRepository } from './totals.repository';

// Building the items reads nothing: a store that only names keys is enough.
const store = { key: (...parts: (string | number)[]) => `expenses#${parts.join('#')}` } as unknown as ModuleStore;
const totals = new TotalsRepository(store);
const c = (amount: number, occurredOn = '2026-11-20', categoryId: string | null = null): Contribution => ({ amount, occurredOn, categoryId });
type Update = { Key: Record<string, string>; UpdateExpression: string; ConditionExpression?: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, number> };
const updates = (before: Contribution | null, after: Contribution | null): Update[] =>
  totals.updateItems('b1', bucketDeltas('01JEXPENSE0000000000000000', before, after)).map((i) => i.Update as Update);
/** The attribute the condition compares, by name. */
const compared = (u: Update) => u.ExpressionAttributeNames[/^attribute_not_exists\((#a\d+)\)/.exec(u.ConditionExpression!)![1]!];

describe('totalsCapCondition', () => {
  it('keeps the total at most 2^53 - 1 after a positive ADD, with one comparison and no parentheses beyond the function', () => {
    expect(MAX_EXACT_TOTAL).toBe(2 ** 53 - 1);
    expect(totalsCapCondition('#a0', 1_000)).toEqual({ ConditionExpression: 'attribute_not_exists(#a0) OR #a0 <= :cap', cap: 2 ** 53 - 1 - 1_000 });
    // The largest amount: the cap still far from 0; the whole room in one write: 0.
    expect(totalsCapCondition('#a3', 1e12)!.cap).toBe(Number.MAX_SAFE_INTEGER - 1e12);
    expect(totalsCapCondition('#a3', MAX_EXACT_TOTAL)!.cap).toBe(0);
  });

  it('adds nothing for a total that falls or stays', () => {
    expect(totalsCapCondition('#a0', -5)).toBeUndefined();
    expect(totalsCapCondition('#a0', 0)).toBeUndefined();
    expect(totalsCapCondition('#a0', undefined)).toBeUndefined();
  });
});

describe('TotalsRepository.updateItems: the cap rides on the totals update', () => {
  it('a create: one update, conditioned on its month total', () => {
    const [u, ...rest] = updates(null, c(1_234));
    expect(rest).toEqual([]);
    expect(compared(u!)).toBe('total');
    expect(u!.ConditionExpression).toMatch(/^attribute_not_exists\((#a\d)\) OR \1 <= :cap$/);
    expect(u!.ExpressionAttributeValues[':cap']).toBe(MAX_EXACT_TOTAL - 1_234);
  });

  it('a delete, a smaller amount, a new category or day in the month: no condition, no :cap', () => {
    for (const u of [...updates(c(500), null), ...updates(c(500), c(400)), ...updates(c(500), c(500, '2026-11-20', 'cat')), ...updates(c(500), c(500, '2026-11-03'))]) {
      expect(u.ConditionExpression).toBeUndefined();
      expect(u.ExpressionAttributeValues).not.toHaveProperty(':cap');
    }
  });

  it('a larger amount: conditioned on the difference', () => {
    const [u] = updates(c(500), c(800));
    expect(u!.ExpressionAttributeValues[':cap']).toBe(MAX_EXACT_TOTAL - 300);
  });

  it('a move to another month: only the month it moves into is conditioned', () => {
    const [from, into] = updates(c(500, '2026-11-20'), c(500, '2026-12-01'));
    expect(from!.Key.sk).toContain('2026-11');
    expect(from!.ConditionExpression).toBeUndefined();
    expect(into!.Key.sk).toContain('2026-12');
    expect(into!.ExpressionAttributeValues[':cap']).toBe(MAX_EXACT_TOTAL - 500);
  });

  it('an import batch: conditioned on the batch sum of its month', () => {
    const merged = mergeBucketDeltas([1, 2, 3].flatMap((n) => bucketDeltas('01JEXPENSE0000000000000000', null, c(n * 100, `2026-11-0${n}`))));
    const [u] = totals.updateItems('b1', merged).map((i) => i.Update as Update);
    expect(u!.ExpressionAttributeValues[':cap']).toBe(MAX_EXACT_TOTAL - 600);
  });
});

describe('totalsLimitOf', () => {
  const cancelled = (codes: string[]) => Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });

  it('names the month of the totals update whose condition failed', () => {
    const err = totalsLimitOf(cancelled(['None', 'None', 'ConditionalCheckFailed', 'None']), 1, ['2026-11', '2026-12']);
    expect(err).toBeInstanceOf(TotalsLimitError);
    expect(err!.month).toBe('2026-12');
    expect(err!.toBody()).toMatchObject({ status: 409, errors: [{ path: 'amount' }] });
  });

  it('is undefined when another item failed', () => {
    expect(totalsLimitOf(cancelled(['ConditionalCheckFailed', 'None', 'None']), 1, ['2026-11'])).toBeUndefined();
    expect(totalsLimitOf(new Error('boom'), 1, ['2026-11'])).toBeUndefined();
  });
});
