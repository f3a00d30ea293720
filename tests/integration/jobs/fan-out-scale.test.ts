import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import { cloneBudgets, cloneDefinitions, cloneExpenses, partition, seedActivity } from './seed';
import { countBy, createFanOutSystem, itemsOfKind } from './support';

/**
 * Scheduled and bulk work at scale, through the fan-out path (planner -> local work queue ->
 * worker, the same code as SQS + Lambda) on DynamoDB Local:
 * - N budgets whose month ended (more than the old per-run cap of 200) and N due recurring
 *   definitions: ONE tick of each job does all of them; the same tick delivered twice at once,
 *   with workers crashing right after some commits, still leaves exactly one report per
 *   budget and period and one expense per occurrence;
 * - a deleted user owning budgets with many expenses (and a long activity log): everything
 *   goes, across several invocations, none past its time budget.
 * The sizes of issue 10 (1,000 / 1,000 / 20,000 expenses) take minutes on DynamoDB Local on a
 * 2-core machine, so they run in `npm run test:scale` (SCALE=full); `npm test` runs the same
 * code and assertions at a quarter of the budgets and definitions and 8,000 expenses with a
 * shorter time budget (so the cleanups still continue across invocations).
 * Heavy (vitest.config.ts HEAVY): runs alone on a fresh DynamoDB Local.
 */
const FULL = process.env.SCALE === 'full';
const SIZE = FULL
  ? { budgets: 1_000, definitionBudgets: 100, expensesPerBudget: 5_000, activity: 3_000, unitBudgetMs: 2_000 }
  : { budgets: 250, definitionBudgets: 25, expensesPerBudget: 2_000, activity: 1_000, unitBudgetMs: 750 };
const DEFINITIONS = SIZE.definitionBudgets * 10;
/**
 * An invocation starts no step after its unit budget (the deadline the SQS consumer sets), and
 * must end before the function's timeout: the consumer keeps 8 s of the 30 s back for that
 * (packages/app/src/jobs/sqs-consumer.ts), covering a last step slowed by a busy table and
 * queueing the rest. A delete of a budget's 5,000 expenses in one go, as before, took 9-19 s.
 */
const RESERVE_MS = 8_000;
const clock = fixedClock('2026-09-10T12:00:00Z');
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;

beforeAll(async () => {
  s = await createFanOutSystem({ clock, unitBudgetMs: SIZE.unitBudgetMs, planBudgetMs: 1_000 });
  owner = await signUp(s.t.app, 'scale-owner');
});
afterAll(() => s.t.destroy());

const tick = (job: string, at: string) => s.t.system.jobs.plan(job, new Date(at), { logger: s.t.system.deps.logger });

describe('fan-out at scale', { timeout: 1_200_000 }, () => {
  it(`one budget-reports tick reports ${SIZE.budgets} ended budgets exactly once, delivered twice and with crashing workers`, async () => {
    const template = await createBudget(s.t.app, owner, { currency: 'EUR', limit: 10_000, period: 'monthly', timezone: 'UTC' });
    const ids = [template.id, ...(await cloneBudgets(s.t, template.id, SIZE.budgets - 1))];

    s.crash.everyNth = 7;
    const at = '2026-10-01T01:00:00Z'; // September has ended in UTC
    await Promise.all([tick('budget-reports', at), tick('budget-reports', at)]); // the same tick, twice
    await s.queue.idle();
    s.crash.everyNth = 0;

    expect(s.crash.crashed).toBeGreaterThan(0);
    expect(s.queue.deadLettered).toBe(0);
    const reports = await itemsOfKind(s.t, 'report');
    const perBudget = countBy(reports, 'budgetId');
    expect(perBudget.size).toBe(SIZE.budgets);
    expect(ids.every((id) => perBudget.get(id) === 1)).toBe(true);
    expect(new Set(reports.map((r) => r.periodStart))).toEqual(new Set(['2026-09-01']));
    // One report.generated per report, none twice.
    expect((await outboxEvents(s.t, 'report.generated')).length).toBe(SIZE.budgets);
    const totals = s.t.system.jobs.metrics.totals('budget-reports');
    expect(totals.DueUnits).toBeGreaterThanOrEqual(SIZE.budgets); // each planner found them all...
    expect(totals.NotDueReads).toBe(0);
    // ...and a later tick finds nothing due (the index moved on to November's end).
    const before = totals.DueUnits;
    await tick('budget-reports', '2026-10-01T02:00:00Z');
    await s.queue.idle();
    expect(s.t.system.jobs.metrics.totals('budget-reports').DueUnits).toBe(before);
  });

  it(`one recurring-expenses tick records ${DEFINITIONS} due occurrences exactly once, delivered twice and with crashing workers`, async () => {
    clock.set('2026-11-20T12:00:00Z');
    owner.token = await s.t.system.deps.tokens.sign({ userId: owner.id });
    const template = await createBudget(s.t.app, owner, { currency: 'EUR', limit: 10_000, timezone: 'UTC' });
    const res = await as(s.t.app, owner)('POST', `/v1/budgets/${template.id}/recurring-expenses`, {
      body: { amount: 990, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } },
    });
    expect(res.status, res.text).toBe(201);
    // Budgets with 10 definitions each (one budget's totals would make 1,000 writers collide).
    const budgets = await cloneBudgets(s.t, template.id, SIZE.definitionBudgets);
    expect(await cloneDefinitions(s.t, template.id, res.json.id, budgets, 10)).toBe(DEFINITIONS);

    s.crash.everyNth = 7;
    const at = '2026-12-01T00:30:00Z';
    await Promise.all([tick('recurring-expenses', at), tick('recurring-expenses', at)]);
    await s.queue.idle();
    s.crash.everyNth = 0;

    expect(s.crash.crashed).toBeGreaterThan(0);
    expect(s.queue.deadLettered).toBe(0);
    const expenses = (await itemsOfKind(s.t, 'expense')).filter((e) => budgets.includes(e.budgetId));
    expect(expenses).toHaveLength(DEFINITIONS);
    expect([...countBy(expenses, 'budgetId').values()].every((n) => n === 10)).toBe(true);
    expect(new Set(expenses.map((e) => e.occurredOn))).toEqual(new Set(['2026-12-01']));
    const markers = (await itemsOfKind(s.t, 'recurring-occurrence')).filter((m) => m.occurredOn === '2026-12-01');
    expect([...countBy(markers, 'recurringExpenseId').values()].every((n) => n === 1)).toBe(true);
    expect(markers.length).toBe(DEFINITIONS + 1); // the copies and the template's own definition
    expect(s.t.system.jobs.metrics.totals('recurring-expenses').NotDueReads).toBe(0);
  });

  it(`a deleted user with budgets holding ${4 * SIZE.expensesPerBudget} expenses: everything goes, no invocation past its time budget`, async () => {
    clock.set('2026-12-02T12:00:00Z');
    const leaving = await signUp(s.t.app, 'leaving');
    const owned: string[] = [];
    for (let i = 0; i < 4; i++) {
      const budget = await createBudget(s.t.app, leaving, { currency: 'EUR', limit: 10_000 });
      const expense = await addExpense(s.t.app, leaving, budget.id, { amount: 100, occurredOn: '2026-12-01' });
      owned.push(budget.id);
      await cloneExpenses(s.t, budget.id, expense.id, SIZE.expensesPerBudget - 1);
    }
    // A busy budget's activity log (an entry per expense event of 90 days) goes too.
    await seedActivity(s.t, owned[0]!, SIZE.activity);
    for (const id of owned) expect((await partition(s.t, `expenses#budget#${id}`)).filter((i) => i.kind === 'expense')).toHaveLength(SIZE.expensesPerBudget);

    const deleted = await as(s.t.app, leaving)('DELETE', '/v1/me');
    expect(deleted.status, deleted.text).toBe(204);
    s.deliveries.length = 0;
    // The bus delivers user.deleted; its subscriber queues the cascade; each deleted budget's
    // budget.deleted is delivered in turn (its subscribers queue the expenses' and the
    // activity log's cleanups).
    await deliver(s.t, await theEvent(s.t, 'user.deleted', { userId: leaving.id }));
    await s.queue.idle();
    const budgetEvents = (await outboxEvents(s.t, 'budget.deleted')).filter((e) => owned.includes(e.envelope.data.budgetId));
    expect(budgetEvents).toHaveLength(4);
    await deliver(s.t, ...budgetEvents);
    await s.queue.idle();

    for (const id of owned) {
      expect(await partition(s.t, `budgets#budget#${id}`)).toEqual([]);
      expect(await partition(s.t, `expenses#budget#${id}`)).toEqual([]);
      expect(await partition(s.t, `expenses#totals#${id}`)).toEqual([]);
      expect(await partition(s.t, `activity#budget#${id}`)).toEqual([]);
    }
    const runs = (job: string) => s.deliveries.filter((d) => d.job === job);
    expect(runs('expenses-budget-cleanup').length).toBeGreaterThan(4); // continued across invocations
    expect(runs('activity-budget-cleanup').length).toBeGreaterThanOrEqual(4);
    // No cleanup invocation started a delete step after its unit budget had run out (a step's
    // four requests leave within moments of its start: 250 ms of leeway for a busy event loop)...
    const cleanupWrites = s.batchWrites.filter((w) => w.job.endsWith('-cleanup'));
    expect(cleanupWrites.length).toBeGreaterThan(0);
    const late = cleanupWrites.filter((w) => w.atMs >= SIZE.unitBudgetMs + 250);
    expect(late, 'deletes sent after the unit budget').toEqual([]);
    // ...and every invocation ended inside its budget plus the reserve (see RESERVE_MS).
    const slowest = Math.max(...s.deliveries.map((d) => d.ms));
    const over = s.deliveries.filter((d) => d.ms > SIZE.unitBudgetMs);
    expect(slowest, `invocations past the unit budget: ${JSON.stringify(over)}`).toBeLessThanOrEqual(SIZE.unitBudgetMs + RESERVE_MS);
    expect(s.queue.deadLettered).toBe(0);
  });
});
