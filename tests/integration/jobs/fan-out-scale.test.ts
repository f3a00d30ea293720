import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import { cloneBudgets, cloneDefinitions, cloneExpenses, partition, seedActivity } from './seed';
import { countBy, createFanOutSystem, itemsOfKind } from './support';

/**
 * Scheduled and bulk work at scale, through the fan-out path (planner -> local work queue ->
 * worker, the same code as SQS + Lambda) on DynamoDB Local:
 * - 1,000 budgets whose month ended (5x the old per-run cap) and 1,000 due recurring
 *   definitions: ONE tick of each job does all of them; the same tick delivered twice at once,
 *   with workers crashing right after some commits, still leaves exactly one report per
 *   budget and period and one expense per occurrence;
 * - a deleted user owning budgets with 20,000 expenses: everything goes, across several
 *   invocations, none past its time budget.
 * Heavy (vitest.config.ts HEAVY): runs alone on a fresh DynamoDB Local.
 */
const clock = fixedClock('2026-09-10T12:00:00Z');
const UNIT_BUDGET_MS = 2_000;
/** After the last step: queueing the rest of the unit (locally a file write) and metrics. */
const SEND_SLACK_MS = 250;
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;

beforeAll(async () => {
  s = await createFanOutSystem({ clock, unitBudgetMs: UNIT_BUDGET_MS, planBudgetMs: 1_000 });
  owner = await signUp(s.t.app, 'scale-owner');
});
afterAll(() => s.t.destroy());

const mark = (label: string) => process.env.DEBUG_SCALE && console.log(`${new Date().toISOString()} ${label}`);
const tick = (job: string, at: string) => s.t.system.jobs.plan(job, new Date(at), { logger: s.t.system.deps.logger });

describe('fan-out at scale', { timeout: 1_200_000 }, () => {
  it('one budget-reports tick reports 1,000 ended budgets exactly once, delivered twice and with crashing workers', async () => {
    const template = await createBudget(s.t.app, owner, { currency: 'EUR', limit: 10_000, period: 'monthly', timezone: 'UTC' });
    const ids = [template.id, ...(await cloneBudgets(s.t, template.id, 999))];

    mark('reports seeded');
    s.crash.everyNth = 7;
    const at = '2026-10-01T01:00:00Z'; // September has ended in UTC
    await Promise.all([tick('budget-reports', at), tick('budget-reports', at)]); // the same tick, twice
    await s.queue.idle();
    s.crash.everyNth = 0;

    mark('reports done');
    expect(s.crash.crashed).toBeGreaterThan(0);
    expect(s.queue.deadLettered).toBe(0);
    const reports = await itemsOfKind(s.t, 'report');
    const perBudget = countBy(reports, 'budgetId');
    expect(perBudget.size).toBe(1_000);
    expect(ids.every((id) => perBudget.get(id) === 1)).toBe(true);
    expect(new Set(reports.map((r) => r.periodStart))).toEqual(new Set(['2026-09-01']));
    // One report.generated per report, none twice.
    expect((await outboxEvents(s.t, 'report.generated')).length).toBe(1_000);
    const totals = s.t.system.jobs.metrics.totals('budget-reports');
    expect(totals.DueUnits).toBeGreaterThanOrEqual(1_000); // each planner found them all...
    expect(totals.NotDueReads).toBe(0);
    // ...and a later tick finds nothing due (the index moved on to November's end).
    const before = totals.DueUnits;
    await tick('budget-reports', '2026-10-01T02:00:00Z');
    await s.queue.idle();
    expect(s.t.system.jobs.metrics.totals('budget-reports').DueUnits).toBe(before);
  });

  it('one recurring-expenses tick records 1,000 due occurrences exactly once, delivered twice and with crashing workers', async () => {
    clock.set('2026-11-20T12:00:00Z');
    owner.token = await s.t.system.deps.tokens.sign({ userId: owner.id });
    const template = await createBudget(s.t.app, owner, { currency: 'EUR', limit: 10_000, timezone: 'UTC' });
    const res = await as(s.t.app, owner)('POST', `/v1/budgets/${template.id}/recurring-expenses`, {
      body: { amount: 990, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } },
    });
    expect(res.status, res.text).toBe(201);
    // 100 budgets with 10 definitions each (one budget's totals would make 1,000 writers collide).
    const budgets = await cloneBudgets(s.t, template.id, 100);
    expect(await cloneDefinitions(s.t, template.id, res.json.id, budgets, 10)).toBe(1_000);

    mark('defs seeded');
    s.crash.everyNth = 7;
    const at = '2026-12-01T00:30:00Z';
    await Promise.all([tick('recurring-expenses', at), tick('recurring-expenses', at)]);
    await s.queue.idle();
    s.crash.everyNth = 0;

    mark('occurrences done');
    expect(s.crash.crashed).toBeGreaterThan(0);
    expect(s.queue.deadLettered).toBe(0);
    const expenses = (await itemsOfKind(s.t, 'expense')).filter((e) => budgets.includes(e.budgetId));
    expect(expenses).toHaveLength(1_000);
    expect([...countBy(expenses, 'budgetId').values()].every((n) => n === 10)).toBe(true);
    expect(new Set(expenses.map((e) => e.occurredOn))).toEqual(new Set(['2026-12-01']));
    const markers = (await itemsOfKind(s.t, 'recurring-occurrence')).filter((m) => m.occurredOn === '2026-12-01');
    expect([...countBy(markers, 'recurringExpenseId').values()].every((n) => n === 1)).toBe(true);
    expect(markers.length).toBe(1_001); // the 1,000 copies and the template's own definition
    expect(s.t.system.jobs.metrics.totals('recurring-expenses').NotDueReads).toBe(0);
  });

  it('a deleted user with budgets holding 20,000 expenses: everything goes, no invocation past its time budget', async () => {
    clock.set('2026-12-02T12:00:00Z');
    const leaving = await signUp(s.t.app, 'leaving');
    const owned: string[] = [];
    for (let i = 0; i < 4; i++) {
      const budget = await createBudget(s.t.app, leaving, { currency: 'EUR', limit: 10_000 });
      const expense = await addExpense(s.t.app, leaving, budget.id, { amount: 100, occurredOn: '2026-12-01' });
      owned.push(budget.id);
      await cloneExpenses(s.t, budget.id, expense.id, 4_999);
    }
    // A busy budget's activity log (an entry per expense event of 90 days) goes too.
    await seedActivity(s.t, owned[0]!, 3_000);
    for (const id of owned) expect((await partition(s.t, `expenses#budget#${id}`)).filter((i) => i.kind === 'expense')).toHaveLength(5_000);

    mark('expenses seeded');
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

    mark('deleted');
    for (const id of owned) {
      expect(await partition(s.t, `budgets#budget#${id}`)).toEqual([]);
      expect(await partition(s.t, `expenses#budget#${id}`)).toEqual([]);
      expect(await partition(s.t, `expenses#totals#${id}`)).toEqual([]);
      expect(await partition(s.t, `activity#budget#${id}`)).toEqual([]);
    }
    const runs = (job: string) => s.deliveries.filter((d) => d.job === job);
    expect(runs('expenses-budget-cleanup').length).toBeGreaterThan(4); // continued across invocations
    expect(runs('activity-budget-cleanup').length).toBeGreaterThanOrEqual(4);
    // Each invocation stops starting steps once the next would not fit in its 2 s budget; what
    // it does after (queueing the rest) is one SQS send.
    const slowest = Math.max(...s.deliveries.map((d) => d.ms));
    expect(slowest, JSON.stringify(s.deliveries.filter((d) => d.ms > UNIT_BUDGET_MS))).toBeLessThanOrEqual(UNIT_BUDGET_MS + SEND_SLACK_MS);
    expect(s.queue.deadLettered).toBe(0);
  });
});
