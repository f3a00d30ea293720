import { fixedClock } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { describe, expect, it } from 'vitest';
import { occurrenceKey } from '../domain/bill-matching';
import type { RecurringExpense } from '../model';
import type { BillPayment, OccurrenceMark } from '../repository/bill-status.repository';
import { BillStatusService } from './bill-status.service';

/**
 * BillStatusService's settlement order with fakes of its reads (the markers answered only for the
 * occurrences asked, as the BatchGetItem does). A weekly bill from Monday 2 November 2026 in a
 * monthly budget, today Friday 20 November: the job recorded 2, 9 and 16 November (as e0, e1 and
 * e2: one occurrence marker each) and is at the 23rd. The member then moved e0 to 30 October
 * (paid early: out of the period's payments) and e1 to 2 November.
 */
const bill: RecurringExpense = {
  id: 'r1',
  budgetId: 'b',
  amount: 5_000,
  categoryId: null,
  schedule: { frequency: 'weekly', interval: 1, startsOn: '2026-11-02' },
  nextOccurrenceOn: '2026-11-23',
  paused: false,
  createdBy: 'u',
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

function serviceOf(payments: BillPayment[], markers: Record<string, OccurrenceMark>, amounts: Record<string, number>) {
  const access = { budgetId: 'b', role: 'owner', currency: 'EUR', timezone: 'UTC', period: 'monthly', categories: [] } as unknown as BudgetAccess;
  const budgets = { getAccess: async () => access } as unknown as BudgetsFacade;
  const asked: string[][] = [];
  const reads = {
    payments: async () => payments,
    marks: async (_budgetId: string, occurrences: readonly { recurringExpenseId: string; occurredOn: string }[]) => {
      const keys = occurrences.map(occurrenceKey);
      asked.push(keys);
      return new Map(keys.flatMap((k) => (markers[k] ? [[k, markers[k]] as const] : [])));
    },
  };
  const expenses = { getMany: async (_budgetId: string, ids: readonly string[]) => new Map(ids.filter((id) => amounts[id] !== undefined).map((id) => [id, { amount: amounts[id]! }])) };
  const recurring = { all: async () => [bill] };
  const service = new BillStatusService({ budgets, recurring, reads, expenses, clock: fixedClock('2026-11-20T12:00:00Z') } as unknown as ConstructorParameters<typeof BillStatusService>[0]);
  return { service, asked };
}

describe('BillStatusService settlements', () => {
  it('a date reopened by a moved payment is settled by its own marker (read then), not read as missed', async () => {
    const { service, asked } = serviceOf(
      [
        { expenseId: 'e1', amount: 5_000, occurredOn: '2026-11-02' },
        { expenseId: 'e2', amount: 5_000, occurredOn: '2026-11-16' },
      ],
      {
        'r1#2026-11-02': { expenseId: 'e0', matched: false },
        'r1#2026-11-09': { expenseId: 'e1', matched: false },
        'r1#2026-11-16': { expenseId: 'e2', matched: false },
      },
      { e0: 4_900 },
    );
    const view = await service.status('b', 'u', undefined);
    expect(view.items[0]!.dates.map((d) => [d.occurredOn, d.status, 'expenseId' in d ? d.expenseId : undefined])).toEqual([
      ['2026-11-02', 'paid', 'e0'],
      ['2026-11-09', 'paid', 'e1'],
      ['2026-11-16', 'paid', 'e2'],
      ['2026-11-23', 'due', undefined],
      ['2026-11-30', 'due', undefined],
    ]);
    expect(view.items[0]!.dates[0]).toMatchObject({ amount: 4_900 });
    // The markers of 9 November first (no payment dated on it), then those of the date it reopened.
    expect(asked).toEqual([['r1#2026-11-09'], ['r1#2026-11-02']]);
  });

  it('reads no marker more when no marker moves a payment off its date', async () => {
    const { service, asked } = serviceOf(
      [
        { expenseId: 'e0', amount: 5_000, occurredOn: '2026-11-02' },
        { expenseId: 'e2', amount: 5_000, occurredOn: '2026-11-16' },
      ],
      { 'r1#2026-11-09': { expenseId: 'e1', matched: false } },
      { e1: 5_100 },
    );
    const view = await service.status('b', 'u', undefined);
    expect(view.items[0]!.dates.slice(0, 3).map((d) => [d.status, 'expenseId' in d ? d.expenseId : undefined])).toEqual([
      ['paid', 'e0'],
      ['paid', 'e1'],
      ['paid', 'e2'],
    ]);
    expect(asked).toEqual([['r1#2026-11-09']]);
  });
});
