import { type ModuleStore } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { describe, expect, it } from 'vitest';
import { ChangeLog } from '../../../packages/expenses/src/repository/change-log';
import { ExpensesRepository } from '../../../packages/expenses/src/repository/expenses.repository';
import { ExpenseQueries } from '../../../packages/expenses/src/repository/expense-queries.repository';
import { IncomeRepository } from '../../../packages/expenses/src/repository/income.repository';
import { recurringIncomeKeys, recurringKeys } from '../../../packages/expenses/src/repository/keys';
import { RecurringIncomeRepository } from '../../../packages/expenses/src/repository/recurring-income.repository';
import { RecurringRepository } from '../../../packages/expenses/src/repository/recurring.repository';
import { TotalsRepository } from '../../../packages/expenses/src/repository/totals.repository';
import { RecurringIncomeService } from '../../../packages/expenses/src/service/recurring-income.service';
import { RecurringService } from '../../../packages/expenses/src/service/recurring.service';
import { recurringIncomeSuite } from './recurring-income-harness';

/**
 * The jobs number a definition's moved date even in an archived budget (StampOptions.evenArchived:
 * their bookkeeping, packages/expenses/docs/sync.md "Delta sync", "Recurring definitions"). A MEMBER's write must not go
 * through that path: record-next that meets a date already recorded moves the definition past it
 * (RecurringService.recordNext), and when the budget was archived after its access check that
 * move must be refused as every member write is (409 budget-archived), not land in the archived
 * budget with a change number.
 */
const BASE = '2026-11-24T12:00:00Z';
const suite = recurringIncomeSuite(BASE, { deleteCreated: 'after-all' });
const { clock, created, req, fresh } = suite;

/** The budgets facade, the budget archived right after the first access read it answers (the race). */
function archivingAfterAccess(budgetId: string) {
  const real: BudgetsFacade = suite.h.t.system.facades.budgets;
  const state = { archived: false };
  const budgets: BudgetsFacade = Object.create(real);
  budgets.getAccess = async (...args: Parameters<BudgetsFacade['getAccess']>) => {
    const access = await real.getAccess(...args);
    if (!state.archived) {
      state.archived = true;
      const a = await req(suite.team.owner, 'POST', `/v1/budgets/${budgetId}/archive`);
      expect(a.status, a.text).toBeLessThan(300);
    }
    return access;
  };
  return { budgets, state };
}

/** The recurring definitions' repository on the expenses' writes and reads, as the module wires it. */
function recurringRepositoryOn(store: ModuleStore) {
  const expenses = new ExpensesRepository(store, new TotalsRepository(store));
  return new RecurringRepository(store, expenses, new ExpenseQueries(store, expenses.changes));
}

describe('record-next in a budget archived after its access check', { timeout: 60_000 }, () => {
  it('a date already recorded: the member write is refused (budget-archived), the definition not moved nor numbered', async () => {
    const b = await fresh();
    const res = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/recurring-expenses`, {
      body: { amount: 5000, description: 'Gym', schedule: { frequency: 'daily', startsOn: '2026-11-24' } },
    });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    const def = res.json;
    expect(def.nextOccurrenceOn).toBe('2026-11-24');
    const store: ModuleStore = suite.h.t.system.deps.storeFor('expenses');
    // The date's occurrence marker exists (a schedule changed onto a date recorded before).
    await store.put({ Item: { ...recurringKeys(store).occurrence(b.id, def.id, '2026-11-24'), kind: 'recurring-occurrence', recurringExpenseId: def.id, expenseId: '01JDXXXXXXXXXXXXXXXXXXXXXX', occurredOn: '2026-11-24' } });

    // The archive commits right after record-next's access read (the race).
    const { budgets, state } = archivingAfterAccess(b.id);
    const log = new ChangeLog(store);
    const before = await log.counters(b.id);
    const service = new RecurringService({
      repository: recurringRepositoryOn(store),
      budgets,
      clock,
      cursors: suite.h.t.system.deps.cursors,
    });
    const answer = await service.recordNext(b.id, suite.team.owner.id, def.id, {}, undefined).then(
      () => undefined,
      (err: unknown) => err as { status?: number; slug?: string; detail?: string },
    );
    expect(state.archived).toBe(true);
    expect(answer?.status).toBe(409);
    expect(answer?.slug, answer?.detail).toBe('budget-archived');
    // Nothing of the member's write landed in the archived budget.
    const stored = await store.get({ Key: { pk: recurringKeys(store).budgetPk(b.id), sk: recurringKeys(store).recurringSk(def.id) }, ConsistentRead: true });
    expect(stored?.nextOccurrenceOn).toBe('2026-11-24');
    expect(await log.counters(b.id)).toEqual(before);

    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/unarchive`)).status).toBeLessThan(300);
    created.push(url);
  });
  it('a recurring income: refused the same (its transaction carries the creator\'s guard, which the archive fails first)', async () => {
    const b = await fresh();
    const res = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/recurring-income`, {
      body: { amount: 5000, source: 'Tips', schedule: { frequency: 'daily', startsOn: '2026-11-24' } },
    });
    expect(res.status, res.text).toBe(201);
    const def = res.json;
    const store: ModuleStore = suite.h.t.system.deps.storeFor('expenses');
    const keys = recurringIncomeKeys(store);
    await store.put({ Item: { ...keys.occurrence(b.id, def.id, '2026-11-24'), kind: 'recurring-income-occurrence', recurringIncomeId: def.id, incomeId: '01JDXXXXXXXXXXXXXXXXXXXXXX', occurredOn: '2026-11-24' } });
    const { budgets, state } = archivingAfterAccess(b.id);
    const log = new ChangeLog(store);
    const before = await log.counters(b.id);
    const income = new IncomeRepository(store, log);
    const service = new RecurringIncomeService({ repository: new RecurringIncomeRepository(store, income), income, store, budgets, clock, cursors: suite.h.t.system.deps.cursors });
    const answer = await service.recordNext(b.id, suite.team.owner.id, def.id, {}, undefined).then(
      () => undefined,
      (err: unknown) => err as { status?: number; slug?: string; detail?: string },
    );
    expect(state.archived).toBe(true);
    expect(answer?.status).toBe(409);
    expect(answer?.slug, answer?.detail).toBe('budget-archived');
    const stored = await store.get({ Key: keys.definition(b.id, def.id), ConsistentRead: true });
    expect(stored?.nextOccurrenceOn).toBe('2026-11-24');
    expect(await log.counters(b.id)).toEqual(before);
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/unarchive`)).status).toBeLessThan(300);
    created.push(res.headers.get('location')!);
  });
});
