import { fixedClock, type CursorCodec } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { describe, expect, it } from 'vitest';
import type { Expense, RecurringExpense } from '../model';
import type { RecurringRepository } from '../repository/recurring.repository';
import { RecurringService } from './recurring.service';

/**
 * recordNext losing its race, made deterministic with a fake repository: the write finds the
 * definition changed (the job recorded its occurrence, or a PATCH) and the service re-reads.
 * The integration test races the real job; these pin down what each re-read leads to.
 */
const definition = (over: Partial<RecurringExpense> = {}): RecurringExpense => ({
  id: 'r',
  budgetId: 'b',
  amount: 900,
  categoryId: null,
  schedule: { frequency: 'daily', interval: 1, startsOn: '2026-11-01' },
  nextOccurrenceOn: '2026-11-24',
  paused: false,
  createdBy: 'u',
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...over,
});

// `budget` (a view without archivedAt): authorize refuses writes to an archived budget.
const access = { budgetId: 'b', role: 'owner', timezone: 'UTC', categories: [], budget: {} } as unknown as BudgetAccess;

/** A repository whose first recordOccurrence loses to `meanwhile` (the state the re-read finds). */
function losingOnce(meanwhile: RecurringExpense) {
  let stored = definition();
  const recorded: { date: string | null; occurredOn: string; version?: number }[] = [];
  let lost = false;
  const repository = {
    get: async () => stored,
    expense: async () => undefined,
    advance: async () => 'advanced',
    recordOccurrence: async (previous: RecurringExpense, expense: Expense, _publish: unknown, _next: string | null, _tz: string, _categories: unknown, change?: { version: number }) => {
      if (!lost) {
        lost = true;
        stored = meanwhile;
        return 'changed';
      }
      recorded.push({ date: previous.nextOccurrenceOn, occurredOn: expense.occurredOn, version: change?.version });
      return 'recorded';
    },
  } as unknown as RecurringRepository;
  const service = new RecurringService({
    repository,
    budgets: { getAccess: async () => access, categoriesCheck: () => [], writeChecks: () => [{ ConditionCheck: {} }] } as unknown as BudgetsFacade,
    clock: fixedClock('2026-11-24T12:00:00Z'),
    cursors: {} as CursorCodec,
  });
  return { service, recorded };
}

describe('RecurringService.recordNext after a lost race', () => {
  it('the job recorded the occurrence meanwhile: 409, and the occurrence after it is NOT recorded instead', async () => {
    const { service, recorded } = losingOnce(definition({ nextOccurrenceOn: '2026-11-25' }));
    await expect(service.recordNext('b', 'u', 'r', {}, undefined)).rejects.toMatchObject({ status: 409 });
    expect(recorded).toEqual([]);
  });

  it('a PATCH that left the date alone: retried, the same occurrence recorded at the version after it', async () => {
    const { service, recorded } = losingOnce(definition({ description: 'Milk', version: 2 }));
    const got = await service.recordNext('b', 'u', 'r', { occurredOn: '2026-11-20' }, undefined);
    expect(recorded).toEqual([{ date: '2026-11-24', occurredOn: '2026-11-20', version: 3 }]);
    expect(got.recurringExpense).toMatchObject({ nextOccurrenceOn: '2026-11-25', version: 3, description: 'Milk' });
    expect(got.expense).toMatchObject({ amount: 900, occurredOn: '2026-11-20', createdBy: 'u' });
  });

  it('with If-Match: a PATCH meanwhile is a 412, the job recording the date a 409; nothing recorded either way', async () => {
    for (const meanwhile of [definition({ nextOccurrenceOn: '2026-11-25', version: 1 }), definition({ version: 2 })]) {
      const { service, recorded } = losingOnce(meanwhile);
      const attempt = service.recordNext('b', 'u', 'r', {}, new Set([1]));
      // The job's advance keeps the version: the re-read still matches If-Match, so the date decides (409).
      await expect(attempt).rejects.toMatchObject({ status: meanwhile.version === 1 ? 409 : 412 });
      expect(recorded).toEqual([]);
    }
  });
});
