import type { BudgetsFacade } from '@budgeting/budgets';
import { createExpensesModule } from '@budgeting/expenses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../packages/app/src/http/create-app';
import { withoutClosedMarkers } from '../../support/closed-budgets';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, asUser, createBudget, deliver, signup, tableItems, theEvent, type User } from './support';

/**
 * budget.deleted: DELETE /v1/budgets/{id} removes the budget at once; its expenses, running
 * totals (expenses-on-budgets) and threshold markers (budgets-on-budgets) go when the event is
 * delivered. Redelivering it changes nothing.
 */
let t: TestSystem;
let alice: User;

beforeAll(async () => ({ t, account: alice } = await systemWithAccount(signup, 'alice')));
afterAll(() => t.destroy());

/** Items whose keys name the budget (expenses, totals, markers, budget, memberships). */
async function itemsOf(budgetId: string) {
  return (await tableItems(t.doc, t.tableName)).filter((i) => `${i.pk} ${i.sk}`.includes(budgetId));
}

async function budgetWithHistory() {
  const budget = await createBudget(t.app, alice, { limit: 1_000, categories: [{ name: 'Food' }] });
  // Its activity log: expense activity is read from the change log (issue 11), so the
  // activity partition holds the budget's own entries, here its creation.
  await deliver(t, await theEvent(t, 'budget.created', { budgetId: budget.id }));
  for (const [amount, occurredOn] of [[300, '2026-10-05'], [600, '2026-11-02'], [200, '2026-11-03']] as const) {
    const expense = await addExpense(t.app, alice, budget.id, { amount, occurredOn });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
  }
  // A recurring expense, recorded once by the job: its definition (with its due entry) and
  // its occurrence marker are the budget's data too.
  const recurring = await asUser(t.app, alice)('POST', `/v1/budgets/${budget.id}/recurring-expenses`, {
    body: { amount: 50, schedule: { frequency: 'daily' } },
  });
  expect(recurring.status, recurring.text).toBe(201);
  await runRecurringJob();
  // A CSV import: its expense and the row's import marker are the budget's data too.
  const imported = await asUser(t.app, alice)('POST', `/v1/budgets/${budget.id}/expenses/import`, {
    rawBody: '2026-11-04,1.00,,Imported,\n',
    headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
  });
  expect(imported.json, imported.text).toMatchObject({ imported: 1 });
  // A categorization rule (and the budget's rule count) are the budget's data too.
  const rule = await asUser(t.app, alice)('POST', `/v1/budgets/${budget.id}/rules`, {
    body: { merchant: { equals: 'Bakery' }, categoryId: budget.categories[0]!.id },
  });
  expect(rule.status, rule.text).toBe(201);
  return budget;
}

const runRecurringJob = () =>
  t.system.schedules.find((j) => j.name === 'recurring-expenses')!.run(t.clock.now(), { logger: t.system.deps.logger });

describe('budget.deleted', { timeout: 120_000 }, () => {
  it('deletes the budget at once, then its expenses, totals, recurring and import markers when the event is delivered', async () => {
    const doomed = await budgetWithHistory();
    const kept = await budgetWithHistory();
    const keptBefore = await itemsOf(kept.id);
    const kinds = (items: Record<string, any>[]) => [...new Set(items.map((i) => String(i.pk).split('#').slice(0, 2).join('#')))].sort();
    // budgets#watch: the webhooks fan-out's watchers hint (packages/budgets/README.md).
    expect(kinds(await itemsOf(doomed.id))).toEqual(['activity#budget', 'budgets#budget', 'budgets#thresholds', 'budgets#watch', 'expenses#budget', 'expenses#changes', 'expenses#totals']);
    // The delta-sync change log: one counter per change shard written, one entry per write.
    const changeKinds = new Set((await itemsOf(doomed.id)).filter((i) => String(i.pk).startsWith('expenses#changes#')).map((i) => i.kind));
    expect(changeKinds).toEqual(new Set(['change-counter', 'expense-change']));
    const recurringKinds = (items: Record<string, any>[]) => items.map((i) => i.kind).filter((k) => String(k).startsWith('recurring-')).sort();
    expect(recurringKinds(await itemsOf(doomed.id))).toEqual(['recurring-count', 'recurring-expense', 'recurring-occurrence']);
    expect((await itemsOf(doomed.id)).filter((i) => i.kind === 'import-marker')).toHaveLength(1);
    expect((await itemsOf(doomed.id)).filter((i) => i.kind === 'categorization-rule' || i.kind === 'rule-count')).toHaveLength(2);

    const res = await asUser(t.app, alice)('DELETE', `/v1/budgets/${doomed.id}`);
    expect(res.status, res.text).toBe(204);
    expect((await asUser(t.app, alice)('GET', `/v1/budgets/${doomed.id}`)).status).toBe(404);
    expect((await asUser(t.app, alice)('GET', `/v1/budgets/${doomed.id}/expenses`)).status).toBe(404);
    // Until the event is delivered, only the budget and its memberships are gone.
    expect(kinds(await itemsOf(doomed.id))).toEqual(['activity#budget', 'budgets#thresholds', 'budgets#watch', 'expenses#budget', 'expenses#changes', 'expenses#totals']);

    const deleted = await theEvent(t, 'budget.deleted', { budgetId: doomed.id });
    expect(deleted.envelope.data).toEqual({ budgetId: doomed.id, ownerId: alice.id, memberIds: [alice.id] });
    await deliver(t, deleted);

    // Only the closed markers that keep late expense creations and activity entries out (see closed-budgets.ts).
    expect(new Set((await itemsOf(doomed.id)).map((i) => i.kind))).toEqual(new Set(['closed-budget', 'activity-closed']));
    expect(withoutClosedMarkers(await itemsOf(doomed.id))).toEqual([]);
    expect(await itemsOf(kept.id)).toEqual(keptBefore);
    expect((await t.system.facades.spending.totalsBetween(kept.id, '2026-11-01', '2026-11-30')).total).toBe(800 + 50 + 100);
    // The due index holds nothing of the doomed budget any more: the job records nothing for it.
    const dueEntries = (await tableItems(t.doc, t.tableName)).filter((i) => String(i.gsi1pk).startsWith('expenses#due#'));
    expect(dueEntries.some((i) => i.budgetId === doomed.id)).toBe(false);
    expect(dueEntries.some((i) => i.budgetId === kept.id)).toBe(true);
  });

  it('changes nothing when delivered again (both subscribers)', async () => {
    const budget = await budgetWithHistory();
    expect((await asUser(t.app, alice)('DELETE', `/v1/budgets/${budget.id}`)).status).toBe(204);
    const deleted = await theEvent(t, 'budget.deleted', { budgetId: budget.id });
    await deliver(t, deleted);
    const once = await tableItems(t.doc, t.tableName);
    const inboxes = once.filter((i) => i.kind === 'inbox' && i.eventId === deleted.envelope.id).map((i) => i.subscription);
    expect(inboxes.sort()).toEqual(['activity-on-budgets-cleanup', 'budgets-on-budgets', 'expenses-on-budgets']);

    await deliver(t, deleted);
    expect(await tableItems(t.doc, t.tableName)).toEqual(once);
  });
});

/**
 * An expense whose creation was authorized just before its budget was deleted must not
 * outlive the budget.deleted cleanup. The interleaving is forced: the expenses module gets a
 * budgets facade that, after answering "alice may write", deletes the budget over HTTP and
 * delivers budget.deleted (the whole cleanup runs) before the create's transaction is sent.
 */
/** The system's expenses module again, on the same table, asking `budgets` for access. */
function expensesAppWith(budgets: BudgetsFacade) {
  const { runtime } = createExpensesModule(t.system.deps, { budgets, storage: t.system.storage });
  return createApp({ logger: t.system.deps.logger, modules: [runtime], corsOrigins: [] });
}

async function deleteBudgetAndDeliver(budgetId: string) {
  expect((await asUser(t.app, alice)('DELETE', `/v1/budgets/${budgetId}`)).status).toBe(204);
  await deliver(t, await theEvent(t, 'budget.deleted', { budgetId }));
}

/**
 * The budgets facade, except that the budget is deleted (and the cleanup delivered) right after
 * the first access check (a write whose guard then fails reads access again: budget gone).
 */
function deletingAfterAccessCheck(): BudgetsFacade {
  const real = t.system.facades.budgets;
  let deleted = false;
  return {
    async getAccess(budgetId, userId) {
      const access = await real.getAccess(budgetId, userId);
      if (!deleted) await deleteBudgetAndDeliver(budgetId);
      deleted = true;
      return access;
    },
    memberIds: (budgetId) => real.memberIds(budgetId),
    memberNames: (budgetId) => real.memberNames(budgetId),
    writeChecks: (budgetId, userId, value) => real.writeChecks(budgetId, userId, value),
    categoriesCheck: (budgetId, categoryIds) => real.categoriesCheck(budgetId, categoryIds),
    categoryIdsOf: (budgetId) => real.categoryIdsOf(budgetId),
    membersCheck: (budgetId, userIds) => real.membersCheck(budgetId, userIds),
    activeMemberCheck: (budgetId, userId) => real.activeMemberCheck(budgetId, userId),
    notArchivedCheck: (budgetId) => real.notArchivedCheck(budgetId),
    allBudgetIds: (cursor) => real.allBudgetIds(cursor),
    budgetIdsSample: (count, random, cursor) => real.budgetIdsSample(count, random, cursor),
  };
}

describe('an expense racing its budget deletion', { timeout: 60_000 }, () => {
  it('is refused with 404 and leaves nothing behind when the cleanup ran between authorization and write', async () => {
    const budget = await createBudget(t.app, alice);
    await addExpense(t.app, alice, budget.id, { amount: 500, occurredOn: '2026-11-20' });
    const racing = deletingAfterAccessCheck();

    // No day: the read-first path, where authorization and write are two steps. (A request that
    // names the day checks access inside its write's transaction: no window; next test.)
    const res = await call(expensesAppWith(racing), 'POST', `/v1/budgets/${budget.id}/expenses`, {
      token: alice.token,
      body: { amount: 700 },
    });

    expectProblem(res, 404);
    // Of the budget, only the closed markers are left: the expenses module's (one per totals
    // shard: keys, kind and expiry) and the activity log's (closed-budgets.ts).
    expect(withoutClosedMarkers(await itemsOf(budget.id))).toEqual([]);
    const left = (await itemsOf(budget.id)).filter((i) => i.kind === 'closed-budget');
    expect(left.map(({ pk, sk, kind }) => ({ pk, sk, kind }))).toEqual(
      [0, 1, 2, 3].map((shard) => ({ pk: `expenses#closed#${budget.id}`, sk: `expenses#closed#${shard}`, kind: 'closed-budget' })),
    );
    for (const marker of left) {
      expect(Object.keys(marker).sort()).toEqual(['expiresAt', 'kind', 'pk', 'sk']);
      expect(marker.expiresAt).toBe(Math.floor(t.clock.now().getTime() / 1000) + 24 * 60 * 60);
    }
    expect((await t.system.facades.spending.totalsBetween(budget.id, '2026-11-01', '2026-11-30')).total).toBe(0);
  });

  it('naming the day (access checked inside the write): refused with 404 once the budget is gone, nothing left but the markers', async () => {
    const budget = await createBudget(t.app, alice);
    await deleteBudgetAndDeliver(budget.id);
    const res = await call(t.app, 'POST', `/v1/budgets/${budget.id}/expenses`, { token: alice.token, body: { amount: 700, occurredOn: '2026-11-21' } });
    expectProblem(res, 404);
    expect(withoutClosedMarkers(await itemsOf(budget.id))).toEqual([]);
  });

  it('a recurring expense set up in the same race is refused with 404 too and leaves nothing behind', async () => {
    const budget = await createBudget(t.app, alice);
    const racing = deletingAfterAccessCheck();
    const res = await call(expensesAppWith(racing), 'POST', `/v1/budgets/${budget.id}/recurring-expenses`, {
      token: alice.token,
      body: { amount: 700, schedule: { frequency: 'monthly' } },
    });
    expectProblem(res, 404);
    expect(withoutClosedMarkers(await itemsOf(budget.id))).toEqual([]);
  });

  it('commits when it wins the race, and the cleanup then finds and removes it', async () => {
    const budget = await createBudget(t.app, alice);
    const created = await call(t.app, 'POST', `/v1/budgets/${budget.id}/expenses`, {
      token: alice.token,
      body: { amount: 700, occurredOn: '2026-11-21' },
    });
    expect(created.status, created.text).toBe(201);

    await deleteBudgetAndDeliver(budget.id);

    expect(withoutClosedMarkers(await itemsOf(budget.id))).toEqual([]);
  });
});
