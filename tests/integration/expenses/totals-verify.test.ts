import { createLogger, shardOf } from '@budgeting/platform';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkMessage } from '../../../packages/app/src/jobs/messages';
import { totalsVerifyJob } from '../../../packages/expenses/src/jobs/totals-verify-job';
import type { TotalsCheck } from '../../../packages/expenses/src/service/totals-check';
import { captureLogLines } from '../../support/log-lines';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * The daily `expenses-totals-verify` job (packages/expenses/src/jobs/totals-verify-job.ts): a
 * bounded random sample of budgets a day (TOTALS_VERIFY_BUDGETS_PER_DAY), each checked without
 * repair. The planner is built here with a scripted random source (the wiring's is Math.random);
 * the job's units are held (the transport below keeps what is sent), so the test works them itself. Corruption is an ADD by the test's own client of a known amount.
 */
const JOB = 'expenses-totals-verify';
let h: Harness;
let owner: User;
let budgets: Budget[];
const held: WorkMessage[] = [];

/** The budget ids a run's planner (every page) takes with `budgetsPerDay` and the random source `random` (the job built here: its check is not used). */
async function plannedBy(budgetsPerDay: number, random: () => number): Promise<string[]> {
  const job = totalsVerifyJob({ budgets: h.t.system.facades.budgets, check: undefined as unknown as TotalsCheck, budgetsPerDay, random });
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await job.plan!(new Date('2026-12-01T03:00:00Z'), cursor, { logger: createLogger('SILENT') } as Parameters<NonNullable<typeof job.plan>>[2]);
    ids.push(...page.units.map((u) => u.budgetId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
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
  it('plans every budget exactly once when they are fewer than the bound (no shard read twice), and at most the bound when more (each shard its share of it)', async () => {
    const all = await plannedBy(100, () => 0.5);
    expect(all.length).toBe(new Set(all).size);
    expect([...all].sort()).toEqual(budgets.map((b) => b.id).sort());
    for (const bound of [0, 1, 3]) expect((await plannedBy(bound, () => 0.5)).length).toBeLessThanOrEqual(bound);
  });

  it('reaches a budget inside a cluster of equal due instants beyond its first page (a random entry point, not its lowest ids)', async () => {
    // 40 budgets of one shard due at one instant (monthly budgets of one time zone), written to
    // the due index by the test itself; the shard's share of 16 a day is 1 id.
    const shard = 5;
    const cluster: string[] = [];
    for (let i = 0; cluster.length < 40; i++) {
      const id = `cluster-${String(i).padStart(4, '0')}`;
      if (shardOf(id, 16) === shard) cluster.push(id);
    }
    for (const id of cluster) {
      await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { pk: `budgets#budget#${id}`, sk: 'budgets#budget', id, gsi2pk: `budgets#reports-due#${shard}`, gsi2sk: `budgets#due#2031-01-01T05:00:00Z#${id}` } }));
    }
    cluster.sort();
    // The random source near its top: the shard's latest instant (the cluster's), near its highest id.
    const high = await plannedBy(16, () => 0.999);
    expect(high.length).toBeLessThanOrEqual(16);
    expect(high).toContain(cluster.at(-1));
    // Half way: an id from the middle of the cluster, not one of its first (what a sweep from the start takes).
    const middle = (await plannedBy(16, () => 0.5)).filter((id) => id.startsWith('cluster-'));
    expect(middle).toHaveLength(1);
    expect(cluster.indexOf(middle[0]!)).toBeGreaterThan(5);
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
