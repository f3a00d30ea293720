import { fixedClock } from '@budgeting/platform';
import { describe, expect, it, vi } from 'vitest';
import type { RecurringExpense } from '../model';
import type { ImportedExpenseFacts } from '../repository/expense-queries.repository';
import type { SettleOutcome } from '../repository/recurring.repository';
import { recurringJob } from './recurring-job';

/**
 * The job's half of bill matching with fakes (recurringJob.work): which occurrences read the
 * window, in which order candidates are tried, and what each losing settle leads to. The
 * DynamoDB side is tests/integration/expenses/bill-matching-job.test.ts.
 */
const rent: RecurringExpense = {
  id: 'r1',
  budgetId: 'b1',
  amount: 120000,
  categoryId: null,
  merchant: 'Acme Rentals',
  schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-01' },
  nextOccurrenceOn: '2026-11-01',
  paused: false,
  createdBy: 'u1',
  version: 1,
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
};
const imported = (id: string, occurredOn: string, amount = 120000, merchant = 'ACME RENTALS LTD'): ImportedExpenseFacts => ({ id, occurredOn, amount, merchant, importId: 'i1' });

function setUp(definition: RecurringExpense, found: ImportedExpenseFacts[], settles: SettleOutcome[] = []) {
  let current = definition;
  const repository = {
    get: vi.fn(async () => current),
    getPrimed: vi.fn(async () => current),
    importedBills: vi.fn(async () => found),
    settleWithImported: vi.fn(async (_d: RecurringExpense, _e: ImportedExpenseFacts, next: string | null) => {
      const outcome = settles.shift() ?? 'matched';
      if (outcome === 'matched') current = { ...current, nextOccurrenceOn: next };
      return outcome;
    }),
    recordOccurrence: vi.fn(async (_d: RecurringExpense, _e: unknown, _p: unknown, next: string | null) => {
      current = { ...current, nextOccurrenceOn: next };
      return 'recorded' as const;
    }),
    advance: vi.fn(async () => 'advanced' as const),
  };
  const access = { budgetId: 'b1', role: 'owner', currency: 'EUR', timezone: 'UTC', categories: [], budget: {} };
  const job = recurringJob({
    repository: repository as never,
    budgets: { getAccess: async () => access, categoriesCheck: () => [], writeChecks: () => [{ ConditionCheck: { Key: { pk: 'writer' } } }] } as never,
    clock: fixedClock('2026-11-01T12:00:00Z'),
  });
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() };
  const work = () =>
    job.work({ budgetId: 'b1', id: definition.id, createdBy: 'u1', nextOccurrenceOn: definition.nextOccurrenceOn! }, new Date('2026-11-01T12:00:00Z'), {
      logger: logger as never,
      deadline: Number.POSITIVE_INFINITY,
    });
  return { repository, work };
}

const tried = (repository: ReturnType<typeof setUp>['repository']) => repository.settleWithImported.mock.calls.map((c) => c[1].id);

describe('recurring job: bill matching, its half', () => {
  it('a definition without a merchant reads nothing more and records', async () => {
    const { merchant: _, ...noMerchant } = rent;
    const { repository, work } = setUp(noMerchant, [imported('e1', '2026-11-01')]);
    expect(await work()).toMatchObject({ done: 1 });
    expect(repository.importedBills).not.toHaveBeenCalled();
    expect(repository.recordOccurrence).toHaveBeenCalledTimes(1);
  });

  it("reads the occurrence's window for its amount once, and settles with the closest fitting expense (no recording)", async () => {
    const { repository, work } = setUp(rent, [imported('far', '2026-11-05'), imported('other', '2026-11-01', 120000, 'Acme Storage'), imported('near', '2026-10-31')]);
    expect(await work()).toMatchObject({ done: 1 });
    expect(repository.importedBills).toHaveBeenCalledTimes(1);
    expect(repository.importedBills).toHaveBeenCalledWith('b1', 120000, '2026-10-30', '2026-11-06', 300);
    expect(tried(repository)).toEqual(['near']);
    expect(repository.settleWithImported.mock.calls[0]![2]).toBe('2026-12-01');
    expect(repository.recordOccurrence).not.toHaveBeenCalled();
  });

  it('an expense held by another occurrence, or changed, passes to the next; none left: records', async () => {
    const found = [imported('a', '2026-11-01'), imported('b', '2026-11-02'), imported('c', '2026-11-03')];
    const held = setUp(rent, found, ['expense-taken', 'expense-changed']);
    await held.work();
    expect(tried(held.repository)).toEqual(['a', 'b', 'c']);
    expect(held.repository.recordOccurrence).not.toHaveBeenCalled();

    const allHeld = setUp(rent, found, ['expense-taken', 'expense-taken', 'expense-taken']);
    expect(await allHeld.work()).toMatchObject({ done: 1 });
    expect(allHeld.repository.recordOccurrence).toHaveBeenCalledTimes(1);
  });

  it('tries at most 3 expenses, then records', async () => {
    const found = ['a', 'b', 'c', 'd'].map((id) => imported(id, '2026-11-01'));
    const { repository, work } = setUp(rent, found, ['expense-taken', 'expense-taken', 'expense-taken']);
    await work();
    expect(tried(repository)).toEqual(['a', 'b', 'c']);
    expect(repository.recordOccurrence).toHaveBeenCalledTimes(1);
  });

  it('an occurrence an import matched already is recorded, no other expense tried', async () => {
    const { repository, work } = setUp(rent, [imported('a', '2026-11-01'), imported('b', '2026-11-02')], ['occurrence-taken']);
    await work();
    expect(tried(repository)).toEqual(['a']);
    expect(repository.recordOccurrence).toHaveBeenCalledTimes(1);
  });

  it('a lost advance (another delivery, a PATCH) re-reads the definition and neither records nor tries more', async () => {
    const { repository, work } = setUp(rent, [imported('a', '2026-11-01'), imported('b', '2026-11-02')], ['changed']);
    // The first read (with its change counter), then the re-read finds the date done (the other delivery settled it).
    repository.getPrimed.mockResolvedValueOnce(rent);
    repository.get.mockResolvedValueOnce({ ...rent, nextOccurrenceOn: '2026-12-01' });
    expect(await work()).toMatchObject({ done: 0 });
    expect(tried(repository)).toEqual(['a']);
    expect(repository.recordOccurrence).not.toHaveBeenCalled();
  });

  it('an occurrence marker already there advances past the date without recording; a closed budget stops', async () => {
    const recorded = setUp(rent, [imported('a', '2026-11-01')], ['already-recorded']);
    expect(await recorded.work()).toMatchObject({ done: 0 });
    expect(recorded.repository.advance).toHaveBeenCalledWith(expect.objectContaining({ id: 'r1' }), '2026-12-01', 'UTC', { evenArchived: true });
    expect(recorded.repository.recordOccurrence).not.toHaveBeenCalled();

    const closed = setUp(rent, [imported('a', '2026-11-01')], ['budget-closed']);
    expect(await closed.work()).toMatchObject({ done: 0 });
    expect(closed.repository.recordOccurrence).not.toHaveBeenCalled();
    expect(closed.repository.advance).not.toHaveBeenCalled();
  });
});
