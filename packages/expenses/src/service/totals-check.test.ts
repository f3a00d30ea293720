import { createLogger, OperatorInputError } from '@budgeting/platform';
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
  const reads: string[] = [];
  let round = -1;
  const repository = {
    counters: async () => {
      reads.push('counters');
      return new Array<number>(16).fill(3);
    },
    stored: async () => {
      reads.push('stored');
      return rounds[++round]!;
    },
    recentRepairs: async () => {
      reads.push('recentRepairs');
      return { repairs: [], more: false };
    },
    eachExpense: async (_: string, visit: (id: string, c: { amount: number; categoryId: null; occurredOn: string }) => void) => visit('E1', { amount: 100, categoryId: null, occurredOn: '2026-10-03' }),
    eachIncome: async () => {},
    repair: async (_: string, month: string) => {
      writes.push(month);
      return true;
    },
  } as unknown as TotalsCheckRepository;
  return { repository, writes, reads };
}

describe('TotalsCheck', () => {
  it('a month unfolded in a round whose reads straddled the fold, folded when read again, is repaired and not reported unfolded', async () => {
    const drifted = (shard: number) => new Map([['2026-10', figures({ [shard]: { total: 90 } })]]);
    // Round 1: the fold ran between the reads (settled false) and a day item was still listed.
    // Round 2: no day item left; the month item lacks 10 of its total.
    const { repository, writes } = repositoryOf([
      { months: drifted(0), income: new Map(), unfolded: new Set(['2026-10']), settled: false },
      { months: drifted(0), income: new Map(), unfolded: new Set(), settled: true },
    ]);
    const check = new TotalsCheck({ repository, budgetExists: async () => true, logger: createLogger('SILENT') });
    const summary = await check.run({ budget: 'B1', repair: 'yes', reason: 'T-1', operator: 'support' });
    expect(writes).toEqual(['2026-10']);
    expect(summary).toMatchObject({ repaired: ['2026-10'], unfolded: [], busy: [], rounds: 2, ok: true });
  });

  it('a repair without a reason, or with no operator, is refused before anything is read', async () => {
    const { repository, writes, reads } = repositoryOf([{ months: new Map(), income: new Map(), unfolded: new Set(), settled: true }]);
    let asked = 0;
    const check = new TotalsCheck({ repository, budgetExists: async () => (asked++, true), logger: createLogger('SILENT') });
    await expect(check.run({ budget: 'B1', repair: 'yes', operator: 'support' })).rejects.toThrow(new OperatorInputError('--reason is required: the support ticket (or a short note) this repair answers'));
    await expect(check.run({ budget: 'B1', repair: 'yes', reason: ' \t ', operator: 'support' })).rejects.toThrow(/--reason is required/);
    await expect(check.run({ budget: 'B1', repair: 'yes', reason: 'r'.repeat(501), operator: 'support' })).rejects.toThrow('--reason is at most 500 characters');
    await expect(check.run({ budget: 'B1', repair: 'yes', reason: 'T-1' })).rejects.toThrow(/operator's name is required/);
    expect({ asked, reads, writes }).toEqual({ asked: 0, reads: [], writes: [] });
    // A check takes no reason.
    await expect(check.run({ budget: 'B1' })).resolves.toMatchObject({ repair: false, repairs: [], moreRepairs: false });
  });

  it("verify (the daily job's check) reads the counters, totals and expenses but not the last repairs, and writes nothing", async () => {
    const { repository, writes, reads } = repositoryOf([{ months: new Map([['2026-10', figures({ 0: { total: 90 } })]]), income: new Map(), unfolded: new Set(), settled: true }]);
    const check = new TotalsCheck({ repository, budgetExists: async () => true, logger: createLogger('SILENT') });
    const summary = await check.verify('B1', Date.now() + 60_000);
    expect(summary).toMatchObject({ differences: expect.arrayContaining([expect.objectContaining({ month: '2026-10', figure: 'total' })]) });
    expect(reads).toEqual(['counters', 'stored', 'counters']);
    expect(writes).toEqual([]);
  });
});
