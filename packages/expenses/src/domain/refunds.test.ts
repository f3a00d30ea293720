import { describe, expect, it } from 'vitest';
import { contributionOf, type Expense } from '../model';
import { bucketDeltas, shardOf } from '../repository/totals-deltas';
import { DuplicateFinder } from './duplicates';
import { findBills } from './bill-detection';
import { findPriceChanges } from './price-changes';
import { fingerprintRows } from './csv/fingerprint';
import { withRefunds } from './csv/refund-rows';
import { isRefund, partSpendingOf, patchRefund, refundField, spendingOf } from './refunds';
import type { RecurringExpense } from '../model';

const expense = (amount: number, extra: Partial<Expense> = {}): Expense => ({
  id: '01JDEXPENSE0000000000000001',
  budgetId: 'b',
  amount,
  categoryId: 'clothes',
  occurredOn: '2026-11-24',
  merchant: 'Shoe Shop',
  reviewed: true,
  createdBy: 'u',
  version: 1,
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
  ...extra,
});

describe('spendingOf', () => {
  it('is the amount for a purchase and minus the amount for a refund', () => {
    expect(spendingOf({ amount: 5999 })).toBe(5999);
    expect(spendingOf({ amount: 5999, refund: true })).toBe(-5999);
    expect(spendingOf({ amount: 5999, refund: false })).toBe(5999);
    expect(partSpendingOf({ refund: true }, { amount: 2000 })).toBe(-2000);
    expect(partSpendingOf({}, { amount: 2000 })).toBe(2000);
    expect(isRefund({})).toBe(false);
  });

  it('stores the flag only when true; a PATCH sets, clears or keeps it', () => {
    expect(refundField(true)).toEqual({ refund: true });
    expect(refundField(false)).toEqual({});
    expect(refundField(undefined)).toEqual({});
    const e: { refund?: true } = {};
    patchRefund(e, true);
    expect(e).toEqual({ refund: true });
    patchRefund(e, undefined);
    expect(e).toEqual({ refund: true });
    patchRefund(e, false);
    expect(e).toEqual({});
  });
});

describe('running totals of a refund (contributionOf + bucketDeltas)', () => {
  const id = '01JDEXPENSE0000000000000001';
  const bucket = { month: '2026-11', shard: shardOf(id) };

  it('a new refund of 59.99 takes 59.99 off the total and its category, day and month', () => {
    expect(bucketDeltas(id, null, contributionOf(expense(5999, { refund: true })))).toEqual([
      { bucket, deltas: { total: -5999, d24_total: -5999, c_clothes: -5999, d24_c_clothes: -5999 } },
    ]);
  });

  it('flipping refund off a 20.00 expense moves the totals by +40.00 (from -20.00 to +20.00)', () => {
    const before = contributionOf(expense(2000, { refund: true }));
    const after = contributionOf(expense(2000));
    expect(bucketDeltas(id, before, after)).toEqual([{ bucket, deltas: { total: 4000, d24_total: 4000, c_clothes: 4000, d24_c_clothes: 4000 } }]);
  });

  it('a split refund counts each positive part negative in its category', () => {
    const split = expense(5000, { refund: true, categoryId: null, splits: [{ categoryId: 'a', amount: 3000 }, { categoryId: null, amount: 2000 }] });
    expect(bucketDeltas(id, null, contributionOf(split))).toEqual([
      { bucket, deltas: { total: -5000, d24_total: -5000, c_a: -3000, d24_c_a: -3000, uncategorized: -2000, d24_uncategorized: -2000 } },
    ]);
  });

  it('deleting a refund gives its amount back to the totals', () => {
    expect(bucketDeltas(id, contributionOf(expense(5999, { refund: true })), null)).toEqual([
      { bucket, deltas: { total: 5999, d24_total: 5999, c_clothes: 5999, d24_c_clothes: 5999 } },
    ]);
  });
});

describe('detectors that look for purchases', () => {
  it('possible duplicates: a refund pairs only with a refund, never with the purchase of the same amount', () => {
    const finder = new DuplicateFinder();
    finder.add({ id: 'A', amount: 5999, occurredOn: '2026-11-10', merchant: 'Shoe Shop' });
    finder.add({ id: 'B', amount: 5999, occurredOn: '2026-11-11', merchant: 'Shoe Shop', refund: true });
    expect(finder.groups(new Set())).toEqual([]);
    finder.add({ id: 'C', amount: 5999, occurredOn: '2026-11-12', merchant: 'shoe shop', refund: true });
    expect(finder.groups(new Set()).map((g) => g.map((e) => e.id))).toEqual([['B', 'C']]);
  });

  it('the bill finder leaves refunds out (four monthly refunds are no bill; the purchases still are)', () => {
    const context = { today: '2026-11-24', currency: 'EUR', isCategory: () => true, isCovered: () => false };
    const dates = ['2026-08-03', '2026-09-03', '2026-10-03', '2026-11-03'];
    const refunds = dates.map((d) => ({ merchant: 'Netflix', categoryId: 'bills', amount: 1299, occurredOn: d, refund: true as const }));
    expect(findBills(refunds, context)).toEqual([]);
    const purchases = refunds.map(({ refund: _refund, ...u }) => u);
    expect(findBills([...purchases, ...refunds], context).map((b) => [b.merchant, b.amount, b.occurrences])).toEqual([['Netflix', 1299, 4]]);
  });

  it('price changes ignore refunds: two refunds of 17.99 after a 15.49 definition flag nothing', () => {
    const d: RecurringExpense = {
      id: 'r1', budgetId: 'b', amount: 1549, categoryId: null, merchant: 'Netflix',
      schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-01-01' }, nextOccurrenceOn: '2027-01-01', paused: false,
      createdBy: 'owner', version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const e1 = expense(1799, { id: 'e1', merchant: 'NETFLIX', occurredOn: '2026-11-03', createdBy: 'bank', refund: true });
    const e2 = expense(1799, { id: 'e2', merchant: 'NETFLIX', occurredOn: '2026-12-03', createdBy: 'bank', refund: true });
    expect(findPriceChanges([d], [e1, e2], '2026-12-20')).toEqual([]);
    // The same two as purchases are a price change (the detector itself still works).
    const { refund: _a, ...p1 } = e1;
    const { refund: _b, ...p2 } = e2;
    expect(findPriceChanges([d], [p1, p2], '2026-12-20').map((c) => c.newAmount)).toEqual([1799]);
  });
});

describe('CSV import of refunds (our own format)', () => {
  it('reads a negative amount as a refund, the sign taken off; a row of another length is left alone', () => {
    const rows = withRefunds([
      { line: 2, fields: ['2026-11-24', '-59.99', 'Clothes', '', 'Shoe Shop'] },
      { line: 3, fields: ['2026-11-24', '59.99', 'Clothes', '', 'Shoe Shop'] },
      { line: 4, fields: ['2026-11-24', '-1.00'] },
    ]);
    expect(rows).toEqual([
      { line: 2, fields: ['2026-11-24', '59.99', 'Clothes', '', 'Shoe Shop'], refund: true },
      { line: 3, fields: ['2026-11-24', '59.99', 'Clothes', '', 'Shoe Shop'] },
      { line: 4, fields: ['2026-11-24', '-1.00'] },
    ]);
  });

  it('fingerprints a refund apart from the purchase of the same values; a purchase as before', () => {
    const row = { occurredOn: '2026-11-24', amount: 5999, categoryId: 'c', merchant: 'Shoe Shop' };
    const [purchase, refund] = fingerprintRows('b', [row, { ...row, refund: true }]);
    expect(purchase).not.toBe(refund);
    // The purchase's fingerprint is the one it had before refunds existed (occurrence 0, no marker).
    expect(fingerprintRows('b', [row])).toEqual([purchase]);
  });
});
