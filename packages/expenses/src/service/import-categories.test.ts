import { fixedClock } from '@budgeting/platform';
import { describe, expect, it, vi } from 'vitest';
import { recordBatch, type ImportedRow } from './import-categories';

/** A row in category `gym` (only what recordBatch reads of it). */
const row = { fingerprint: 'f1', expense: { id: 'e1', budgetId: 'b1', categoryId: 'gym' }, origin: {} } as unknown as ImportedRow;

describe('recordBatch', () => {
  it('a category removed on every try: fails after its last try without reading the categories for a try it will not make', async () => {
    const recordMany = vi.fn(async () => 'category-removed' as const);
    // Each read says `gym` is still there (another category removed each time): every try fails the check again.
    const categoryIdsOf = vi.fn(async () => ['gym']);
    const deps = { imports: { recordMany }, budgets: { categoriesCheck: () => [], categoryIdsOf }, clock: fixedClock('2026-12-06T12:00:00Z') };
    await expect(recordBatch(deps, 'b1', 'i1', [row])).rejects.toThrow('on every one of 3 tries');
    expect(recordMany).toHaveBeenCalledTimes(3);
    // A read between tries only: 2, not 3.
    expect(categoryIdsOf).toHaveBeenCalledTimes(2);
  });
});
