import { createCursorCodec, problems } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { describe, expect, it } from 'vitest';
import type { CategorizationRule, Expense } from '../model';
import type { RuleCandidate } from '../repository/expense-queries.repository';
import type { RulesRepository } from '../repository/rules.repository';
import type { BulkUndoRepository } from '../repository/bulk-undo.repository';
import { RulesService, type RulesServiceDeps } from './rules.service';

/**
 * The apply's cursor with stubbed ports and a bound of 2 writes per call: the range's
 * expenses (newest first, as the date index walks them), a writer that refuses some of them
 * for good (422, as a PATCH refusing the expense as stored) or once (503). Expected answers
 * are worked by hand from the expenses below.
 */
const CAT = 'cat-streaming';
const RANGE = { from: '2026-11-01', to: '2026-11-30' };
const cursors = createCursorCodec('unit-test-secret');
const rule = { id: 'r1', budgetId: 'b', merchant: { equals: 'NETFLIX' }, categoryId: CAT, position: 0, version: 1 } as unknown as CategorizationRule;
const other = { ...rule, id: 'r2' } as CategorizationRule;

const refusedForGood = () => problems.unprocessable('The expense cannot take this change.');

/** `days`: expense id -> its day; `refuse(id, attempt)`: what its write throws (nothing: written). */
function serviceOf(days: Record<string, string>, refuse: (id: string, attempt: number) => unknown) {
  const stored = new Map<string, Expense>(
    Object.entries(days).map(([id, occurredOn]) => [id, { id, budgetId: 'b', occurredOn, amount: 1599, merchant: 'NETFLIX', version: 1 } as unknown as Expense]),
  );
  const attempts = new Map<string, number>();
  const reads: { from: string; to: string }[] = [];
  const access = { budgetId: 'b', role: 'owner', timezone: 'UTC', categories: [{ id: CAT, name: 'Streaming' }], budget: {} } as unknown as BudgetAccess;
  const deps: RulesServiceDeps = {
    repository: { get: async (_b: string, id: string) => [rule, other].find((r) => r.id === id) } as unknown as RulesRepository,
    expenses: {
      ruleCandidates: async (_b, from, to, _max, visit) => {
        reads.push({ from, to });
        const rows: RuleCandidate[] = [...stored.values()]
          .filter((e) => e.occurredOn >= from && e.occurredOn <= to)
          .sort((a, b) => (a.occurredOn === b.occurredOn ? b.id.localeCompare(a.id) : b.occurredOn.localeCompare(a.occurredOn)))
          .map((e) => ({ id: e.id, occurredOn: e.occurredOn, amount: e.amount, merchant: e.merchant!, categoryId: e.categoryId ?? null, split: false }));
        visit(rows);
        return { examined: rows.length, tooMany: false };
      },
      getMany: async (_b, ids) => new Map(ids.map((id) => [id, stored.get(id)!])),
    },
    writer: {
      updateAuthorized: async (_b, _u, id, current, patchOf) => {
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        const err = refuse(id, attempt);
        if (err) throw err;
        const expense = (await current)!;
        const after = { ...expense, ...patchOf(expense), version: expense.version + 1 } as Expense;
        stored.set(id, after);
        return after;
      },
    },
    budgets: { getAccess: async () => access } as unknown as BudgetsFacade,
    // The undo record's PutItem, kept in memory (the integration tests read it back through the undo).
    undo: { undos: { put: async () => undefined } as unknown as BulkUndoRepository, clock: { now: () => new Date('2026-11-30T12:00:00Z') } },
    clock: { now: () => new Date('2026-11-30T12:00:00Z') },
    cursors,
  };
  return { service: new RulesService(deps, undefined, 2), reads, stored };
}

const summary = (a: Awaited<ReturnType<RulesService['apply']>>) => ({
  applied: a.applied.map((c) => c.id),
  failed: a.failed.map((f) => [f.id, f.retryable]),
  unchanged: a.unchanged,
  more: a.more,
  cursor: a.cursor !== null,
});

describe('RulesService.apply: cursor', () => {
  // e5, e4, e3 (newest) are refused on every write; e2 and e1 (older) take the change.
  const days = { e5: '2026-11-05', e4: '2026-11-04', e3: '2026-11-03', e2: '2026-11-02', e1: '2026-11-01' };
  const permanent = (id: string) => (['e5', 'e4', 'e3'].includes(id) ? refusedForGood() : undefined);

  it('following the cursor passes over the permanent failures and reaches the older expenses', async () => {
    const { service, reads, stored } = serviceOf(days, permanent);
    // 1: the 2 newest fail for good; e3 still needs the change past the bound.
    const first = await service.apply('b', 'u', 'r1', RANGE);
    expect(summary(first)).toEqual({ applied: [], failed: [['e5', false], ['e4', false]], unchanged: 0, more: true, cursor: true });
    // 2: past e4: e3 fails, e2 written; e1 past the bound.
    const second = await service.apply('b', 'u', 'r1', { ...RANGE, cursor: first.cursor! });
    expect(summary(second)).toEqual({ applied: ['e2'], failed: [['e3', false]], unchanged: 0, more: true, cursor: true });
    // 3: past e2 (already changed, and not read again): e1 written, nothing left.
    const third = await service.apply('b', 'u', 'r1', { ...RANGE, cursor: second.cursor! });
    expect(summary(third)).toEqual({ applied: ['e1'], failed: [], unchanged: 0, more: false, cursor: false });
    expect([stored.get('e2')!.categoryId, stored.get('e1')!.categoryId, stored.get('e3')!.categoryId]).toEqual([CAT, CAT, undefined]);
    // Each call following the cursor reads only from the cursor's day down.
    expect(reads.map((r) => r.to)).toEqual(['2026-11-30', '2026-11-04', '2026-11-02']);
  });

  it('without a cursor a call behaves as before: the 2 newest fail again, e3 still past the bound', async () => {
    const { service } = serviceOf(days, permanent);
    const first = await service.apply('b', 'u', 'r1', RANGE);
    const again = await service.apply('b', 'u', 'r1', RANGE);
    expect(summary(again)).toEqual(summary(first));
  });

  it('a retryable failure (503) holds the cursor right before it: the next call retries it', async () => {
    // e3 written, e2 refused once (503), e1 past the bound.
    const { service } = serviceOf({ e3: '2026-11-03', e2: '2026-11-02', e1: '2026-11-01' }, (id, attempt) => (id === 'e2' && attempt === 1 ? problems.serviceUnavailable(1) : undefined));
    const first = await service.apply('b', 'u', 'r1', RANGE);
    expect(summary(first)).toEqual({ applied: ['e3'], failed: [['e2', true]], unchanged: 0, more: true, cursor: true });
    const second = await service.apply('b', 'u', 'r1', { ...RANGE, cursor: first.cursor! });
    expect(summary(second)).toEqual({ applied: ['e2', 'e1'], failed: [], unchanged: 0, more: false, cursor: false });
  });

  it('a cursor of another rule or another range is a 400 naming `cursor`', async () => {
    const { service } = serviceOf(days, permanent);
    const { cursor } = await service.apply('b', 'u', 'r1', RANGE);
    const refused = { status: 400, extras: { errors: [expect.objectContaining({ path: 'cursor' })] } };
    await expect(service.apply('b', 'u', 'r2', { ...RANGE, cursor: cursor! })).rejects.toMatchObject(refused);
    await expect(service.apply('b', 'u', 'r1', { from: '2026-11-02', to: '2026-11-30', cursor: cursor! })).rejects.toMatchObject(refused);
    await expect(service.apply('b', 'u', 'r1', { cursor: cursor! })).rejects.toMatchObject(refused);
  });

  it('a cursor given before the rule was edited is a 400 naming `cursor` (the rule may match other expenses now)', async () => {
    const { service } = serviceOf(days, permanent);
    const { cursor } = await service.apply('b', 'u', 'r1', RANGE);
    const edited = rule as { version: number };
    edited.version = 2;
    try {
      await expect(service.apply('b', 'u', 'r1', { ...RANGE, cursor: cursor! })).rejects.toMatchObject({ status: 400, extras: { errors: [expect.objectContaining({ path: 'cursor' })] } });
    } finally {
      edited.version = 1;
    }
  });
});
