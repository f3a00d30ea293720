import { fixedClock } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { SpendingRow } from '../domain/spending-breakdown';
import type { SpendingReads } from '../repository/spending-reads.repository';
import { createSpending } from './spending.service';

/** The year in review's merchants (SpendingPort.merchantsRanked) over a walk that yields `rows`; nothing else is read. */
function rankedOver(rows: SpendingRow[]) {
  const reads = {
    async spendingRows(_budgetId: string, _from: string, _to: string, _max: number, visit: (rows: SpendingRow[]) => void) {
      visit(rows);
      return { examined: rows.length, tooMany: false };
    },
  } as unknown as SpendingReads;
  const unused = () => Promise.reject(new Error('not read'));
  const spending = createSpending({} as never, unused, async () => reads, {} as never, fixedClock('2026-12-07T12:00:00Z'), unused);
  return spending.merchantsRanked('b1', '2026-01-01', '2026-12-31', 5, 20_000);
}

const MAX = Number.MAX_SAFE_INTEGER;

describe('merchantsRanked', () => {
  it('ranks by spending, refunds lowering their merchant, those at or below 0 and the unnamed left out', async () => {
    const ranked = await rankedOver([
      { amount: 5_000, merchant: 'Lidl', createdBy: 'u1' },
      { amount: 3_000, merchant: 'LIDL', createdBy: 'u1' },
      { amount: 4_000, merchant: 'Aldi', createdBy: 'u1' },
      { amount: -4_000, merchant: 'Aldi', createdBy: 'u1' },
      { amount: 9_000, createdBy: 'u1' },
    ]);
    expect(ranked).toEqual({ merchants: [{ merchant: 'LIDL', spent: 8_000, count: 2 }], expenses: 5, tooMany: false });
  });

  it("says a merchant's spending past 2^53 - 1 cannot be given exactly (another's refunds keeping the year's total small), never a rounded figure", async () => {
    // Lidl MAX + 2 (rounded as a double: MAX + 1), Aldi -MAX: the year 2 in all.
    const ranked = await rankedOver([
      { amount: MAX, merchant: 'Lidl', createdBy: 'u1' },
      { amount: 2, merchant: 'Lidl', createdBy: 'u1' },
      { amount: -MAX, merchant: 'Aldi', createdBy: 'u1' },
    ]);
    expect(ranked).toEqual({ merchants: [], expenses: 3, tooMany: false, inexact: true });
  });
});
