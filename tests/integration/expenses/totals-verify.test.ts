import { createLogger } from '@budgeting/platform';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkMessage } from '../../../packages/app/src/jobs/messages';
import { captureLogLines } from '../../support/log-lines';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * The daily `expenses-totals-verify` job (packages/expenses/src/jobs/totals-verify-job.ts): a
 * bounded number of budgets a day (TOTALS_VERIFY_BUDGETS_PER_DAY, 2 here), resuming where the
 * last run stopped and wrapping around, each checked without repair. The job's units are held
 * (the transport below keeps what the planner sends), so the test sees which budgets a run
 * planned and works them itself. Corruption is an ADD by the test's own client of a known amount.
 */
const JOB = 'expenses-totals-verify';
const PER_DAY = 2;
let h: Harness;
let owner: User;
let budgets: Budget[];
const held: WorkMessage[] = [];

/** The budget ids the planner of a run on `day` (2026-12-<day>) sent, in order. */
async function planned(day: number): Promise<string[]> {
  held.splice(0);
  await h.t.system.jobs.plan(JOB, new Date(`2026-12-${String(day).padStart(2, '0')}T03:00:00Z`), { logger: createLogger('SILENT') });
  return held.filter((m) => m.type === 'unit' && m.job === JOB).map((m) => (m as { unit: { budgetId: string } }).unit.budgetId);
}

/** Works one unit of the job (by default within a normal time budget) and gives the job's log lines it wrote and how its report changed. */
async function work(unit: Record<string, unknown>, deadline?: number) {
  const before = h.t.system.jobs.metrics.reportOf(JOB);
  const logs = captureLogLines();
  try {
    await h.t.system.jobs.deliver({ type: 'unit', job: JOB, tick: '2026-12-01T03:00:00.000Z', unit }, { logger: createLogger('INFO') }, deadline);
  } finally {
    logs.restore();
  }
  const after = h.t.system.jobs.metrics.reportOf(JOB);
  const change = Object.fromEntries(Object.entries(after).filter(([k, v]) => typeof v === 'number' && v !== before[k]).map(([k, v]) => [k, (v as number) - ((before[k] as number | undefined) ?? 0)]));
  return { lines: logs.lines.map((l) => JSON.parse(l) as Record<string, any>), change };
}

/** The October month item of `budget` that holds its spending (one totals shard), by the test's own Query. */
async function octoberItem(budget: Budget): Promise<Record<string, any>> {
  const out = await h.t.doc.send(
    new QueryCommand({
      TableName: h.t.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :month)',
      ExpressionAttributeValues: { ':pk': `expenses#totals#${budget.id}`, ':month': 'expenses#month#2026-10#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).find((i) => /#\d$/.test(String(i.sk)) && typeof i.total === 'number')!;
}

beforeAll(async () => {
  h = await createHarness({
    env: { TOTALS_VERIFY_BUDGETS_PER_DAY: String(PER_DAY) },
    jobs: { transport: () => ({ send: async (messages: WorkMessage[]) => void held.push(...messages) }) },
  });
  owner = await h.signup('owner');
  budgets = [];
  for (let i = 0; i < 5; i++) budgets.push(await h.createBudget(owner));
  // The first two budgets have spending: 400 and 250 in October.
  for (const [budget, amount] of [[budgets[0]!, 400], [budgets[1]!, 250]] as const) {
    const res = await h.call('POST', `/v1/budgets/${budget.id}/expenses`, { token: owner.token, body: { amount, occurredOn: '2026-10-03' } });
    expect(res.status, res.text).toBe(201);
  }
});
afterAll(() => h?.destroy());

describe('expenses-totals-verify', () => {
  it('checks PER_DAY budgets a run, the next run the next ones, and wraps around to the first', async () => {
    const first = await planned(1);
    const second = await planned(2);
    const third = await planned(3);
    expect(first).toHaveLength(PER_DAY);
    expect(second).toHaveLength(PER_DAY);
    expect(third).toHaveLength(PER_DAY);
    // Five budgets: the third run takes the last one, then the first again.
    expect(new Set([...first, ...second, third[0]!])).toEqual(new Set(budgets.map((b) => b.id)));
    expect(third[1]).toBe(first[0]);
    // ...and the fourth goes on after it.
    expect(await planned(4)).toEqual([first[1], second[0]]);
  });

  it('reports a budget corrupted by a known amount (metric figure, one error line naming its id, month and figure) and leaves it corrupted; a clean budget reports no drift', async () => {
    const [clean, drifted] = [budgets[0]!, budgets[1]!];
    const item = await octoberItem(drifted);
    expect(item.total).toBe(250);
    await h.t.doc.send(new UpdateCommand({ TableName: h.t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'ADD #t :seven', ExpressionAttributeNames: { '#t': 'total' }, ExpressionAttributeValues: { ':seven': 7 } }));

    const found = await work({ budgetId: drifted.id });
    expect(found.change).toEqual({ BudgetsVerified: 1, BudgetsDrifted: 1 });
    const errors = found.lines.filter((l) => l.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: 'expenses totals drift', budgetId: drifted.id, months: ['2026-10'], figures: ['total'] });
    // Names only: no amounts in the line.
    expect(JSON.stringify(errors[0])).not.toMatch(/257|250/);
    expect(h.t.system.jobs.metrics.reportOf(JOB).drifted).toContain(drifted.id);
    // Never repaired: the figure is still the corrupted one.
    expect((await octoberItem(drifted)).total).toBe(257);

    const ok = await work({ budgetId: clean.id });
    expect(ok.change).toEqual({ BudgetsVerified: 1 });
    expect(ok.lines.filter((l) => l.level === 'ERROR')).toEqual([]);
  });

  it('tries a check that runs out of time once more in a continuation unit, then skips the budget with a logged, counted reason', async () => {
    held.splice(0);
    const past = Date.now() - 1;
    const first = await work({ budgetId: budgets[1]!.id }, past);
    expect(first.change).toEqual({});
    const again = held.filter((m) => m.type === 'unit' && m.job === JOB);
    expect(again.map((m) => (m as { unit: unknown }).unit)).toEqual([{ budgetId: budgets[1]!.id, retried: true }]);
    const skipped = await work({ budgetId: budgets[1]!.id, retried: true }, past);
    expect(skipped.change).toEqual({ BudgetsSkipped: 1 });
    expect(skipped.lines.find((l) => l.level === 'WARN')).toMatchObject({ budgetId: budgets[1]!.id, reason: 'out-of-time' });
    expect(skipped.lines.filter((l) => l.level === 'ERROR')).toEqual([]);
  });

  it('finds no drift in a budget deleted between planning and work', async () => {
    const gone = budgets[1]!; // its totals still corrupted: a drift, were it not gone
    expect((await h.call('DELETE', `/v1/budgets/${gone.id}`, { token: owner.token })).status).toBe(204);
    const result = await work({ budgetId: gone.id });
    expect(result.change).toEqual({ budgetsGone: 1 });
    expect(result.lines.filter((l) => l.level === 'ERROR')).toEqual([]);
  });
});
