import { createLogger } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { StoredTotals, TotalsCheckRepository } from '../repository/totals-check.repository';
import type { MonthFigures } from '../repository/totals-recount';
import { TotalsCheck } from './totals-check';

const figures = (shards: Record<number, Record<string, number>>): MonthFigures =>
  new Map(Object.entries(shards).map(([shard, attrs]) => [Number(shard), new Map(Object.entries(attrs))]));

/**
 * A repository whose reads answer from a list, one entry a round (the expense E1 of 100 on
 * 2026-10-03 every time), and whose repair writes are recorded.
 */
function repositoryOf(rounds: StoredTotals[]) {
  const writes: string[] = [];
  let round = -1;
  const repository = {
    counters: async () => new Array<number>(16).fill(3),
    stored: async () => rounds[++round]!,
    eachExpense: async (_: string, visit: (id: string, c: { amount: number; categoryId: null; occurredOn: string }) => void) => visit('E1', { amount: 100, categoryId: null, occurredOn: '2026-10-03' }),
    repair: async (_: string, month: string) => {
      writes.push(month);
      return true;
    },
  } as unknown as TotalsCheckRepository;
  return { repository, writes };
}

describe('TotalsCheck', () => {
  it('a month unfolded in a round whose reads straddled the fold, folded when read again, is repaired and not reported unfolded', async () => {
    const drifted = (shard: number) => new Map([['2026-10', figures({ [shard]: { total: 90 } })]]);
    // Round 1: the fold ran between the reads (settled false) and a day item was still listed.
    // Round 2: no day item left; the month item lacks 10 of its total.
    const { repository, writes } = repositoryOf([
      { months: drifted(0), unfolded: new Set(['2026-10']), settled: false },
      { months: drifted(0), unfolded: new Set(), settled: true },
    ]);
    const check = new TotalsCheck({ repository, budgetExists: async () => true, logger: createLogger('SILENT') });
    const summary = await check.run({ budget: 'B1', repair: 'yes' });
    expect(writes).toEqual(['2026-10']);
    expect(summary).toMatchObject({ repaired: ['2026-10'], unfolded: [], busy: [], rounds: 2, ok: true });
  });
});
