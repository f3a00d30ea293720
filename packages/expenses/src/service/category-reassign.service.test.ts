import { ProblemError, createCursorCodec, problems, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { describe, expect, it } from 'vitest';
import type { Expense } from '../model';
import type { BulkUndoRepository } from '../repository/bulk-undo.repository';
import { CategoryReassignService, type CategoryReassignServiceDeps } from './category-reassign.service';

/**
 * The reassign's failures with stubbed ports: the category's page (expenses e1..e4, newest
 * first, each with its index key) and a writer that refuses some of them. A failure that
 * clears by itself (409 lost races, 503) holds the cursor right before it and `more`; one the
 * PATCH would refuse every time (400/422 about the expense as stored) is listed with
 * `retryable: false` and a `reason`, and the cursor goes on past it.
 */
const FROM = 'cat-from';
const TO = 'cat-to';
const cursors = createCursorCodec('unit-test-secret');
const binding = JSON.stringify(['category-reassign', 'b', FROM]);
const keyOf = (id: string) => ({ pk: 'p', sk: id });
const expenseOf = (id: string) => ({ id, budgetId: 'b', amount: 100, categoryId: FROM, occurredOn: '2026-11-20', version: 1 }) as unknown as Expense;

/** The service over a page of `ids` (`lastKey` when the category holds more), `refusal(id)` thrown by the write of that expense. */
function serviceOf(ids: string[], refusal: (id: string) => unknown, lastKey?: Record<string, unknown>) {
  const startKeys: (Record<string, unknown> | undefined)[] = [];
  const access = { budgetId: 'b', role: 'owner', categories: [{ id: TO, name: 'To' }], budget: {} } as unknown as BudgetAccess;
  const deps: CategoryReassignServiceDeps = {
    repository: {
      page: async (req) => {
        startKeys.push(req.startKey);
        return { items: ids.map(expenseOf), keys: ids.map(keyOf), ...(lastKey && { lastKey }), examined: ids.length };
      },
      getMany: async (_b, wanted) => new Map(wanted.map((id) => [id, expenseOf(id)])),
    },
    writer: {
      updateAuthorized: async (_b, _u, id, current, patchOf) => {
        const err = refusal(id);
        if (err) throw err;
        const expense = (await current)!;
        expect(patchOf(expense)).toEqual({ categoryId: TO });
        return { ...expense, categoryId: TO, version: 2 };
      },
    },
    budgets: { getAccess: async () => access } as unknown as BudgetsFacade,
    // The undo record's PutItem, kept in memory (the integration tests read it back through the undo).
    undo: { undos: { put: async () => undefined } as unknown as BulkUndoRepository, clock: { now: () => new Date('2026-11-30T12:00:00Z') } },
    cursors,
  };
  return { service: new CategoryReassignService(deps), startKeys };
}

const invalidSplits = () => problems.validation([{ path: 'splits', message: 'The expense is split into parts adding up to 90' }]);
const lostRaces = () => new ProblemError(PLATFORM_PROBLEMS['conflict'], 'The expense is being changed by others right now; retry.');
const unprocessable = () => new ProblemError(PLATFORM_PROBLEMS['unprocessable'], 'Cannot take this change.');

describe('CategoryReassignService: failures', () => {
  it('a permanent failure (400) is listed not retryable with a reason; the cursor resumes before the retryable one (409) after it', async () => {
    const { service } = serviceOf(['e1', 'e2', 'e3', 'e4'], (id) => (id === 'e2' ? invalidSplits() : id === 'e3' ? lostRaces() : undefined));
    const answer = await service.reassign('b', 'u', FROM, { to: TO });
    expect(answer.moved).toEqual([
      { id: 'e1', version: 2 },
      { id: 'e4', version: 2 },
    ]);
    expect(answer.failed).toEqual([
      { id: 'e2', problem: expect.objectContaining({ status: 400 }), retryable: false, reason: expect.stringContaining('400') },
      { id: 'e3', problem: expect.objectContaining({ status: 409 }), retryable: true },
    ]);
    expect(answer.more).toBe(true);
    // Right before e3: after e2, which the next call does not read again.
    expect(cursors.decode(answer.cursor!, binding)).toEqual(keyOf('e2'));
  });

  it('only permanent failures (422, 400) and nothing past the page: `more` false, no cursor', async () => {
    const { service } = serviceOf(['e1', 'e2', 'e3'], (id) => (id === 'e1' ? unprocessable() : id === 'e3' ? invalidSplits() : undefined));
    const answer = await service.reassign('b', 'u', FROM, { to: TO });
    expect(answer.moved).toEqual([{ id: 'e2', version: 2 }]);
    expect(answer.failed.map((f) => [f.id, f.problem.status, f.retryable])).toEqual([
      ['e1', 422, false],
      ['e3', 400, false],
    ]);
    expect([answer.more, answer.cursor]).toEqual([false, null]);
  });

  it('a permanent failure on a bounded page: the cursor is the page\'s end (past it), `more` from the bound alone', async () => {
    const { service, startKeys } = serviceOf(['e1', 'e2'], (id) => (id === 'e1' ? invalidSplits() : undefined), keyOf('e2'));
    const answer = await service.reassign('b', 'u', FROM, { to: TO });
    expect(answer.more).toBe(true);
    expect(cursors.decode(answer.cursor!, binding)).toEqual(keyOf('e2'));
    // Following it: the next page starts after e2, never at e1 again.
    await service.reassign('b', 'u', FROM, { to: TO, cursor: answer.cursor! });
    expect(startKeys).toEqual([undefined, keyOf('e2')]);
  });

  it('a transient failure keeps today\'s behaviour: the newest expense of a call from the newest fails, `more` with no cursor', async () => {
    const { service } = serviceOf(['e1', 'e2'], (id) => (id === 'e1' ? problems.serviceUnavailable(1) : undefined));
    const answer = await service.reassign('b', 'u', FROM, { to: TO });
    expect(answer.failed).toEqual([{ id: 'e1', problem: expect.objectContaining({ status: 503 }), retryable: true }]);
    expect([answer.more, answer.cursor]).toEqual([true, null]);
  });

  it('a 404 (deleted meanwhile) is no failure; anything not a problem (a bug) fails the request', async () => {
    const gone = serviceOf(['e1'], () => problems.notFound('Expense not found.')).service;
    expect(await gone.reassign('b', 'u', FROM, { to: TO })).toMatchObject({ moved: [], failed: [], more: false, cursor: null });
    const bug = serviceOf(['e1'], () => new TypeError('undefined is not a function')).service;
    await expect(bug.reassign('b', 'u', FROM, { to: TO })).rejects.toThrow(TypeError);
  });
});
