import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetCleanupJob } from '../../../packages/budgets/src/jobs/budget-cleanup-job';
import { BudgetLeftovers } from '../../../packages/budgets/src/repository/budget-leftovers.repository';
import { as, createBudget, signUp } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { heldJobs } from '../../support/held-jobs';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * budget.deleted empties the budgets module's own partitions of the budget (threshold and pace
 * markers, reports, invitations, settle-up payments) in bounded steps, on DynamoDB Local:
 * `budgets-on-budgets` queues one `budgets-budget-cleanup` unit, and each invocation of it
 * deletes what fits its time (platform deleteInSteps) and queues the rest, as the expenses
 * module's and the activity log's cascades do (packages/budgets/docs/budget-lifecycle.md
 * "Deleting a budget"). Markers are never taken back and reports are kept: a weekly budget of
 * 50 categories gathers tens of thousands over the years, more than one 30 s invocation deletes
 * from one partition. The job is worked here on a clock that moves 10 ms each time it is read,
 * with a deadline 55 ms ahead: each invocation makes its first step (100 keys) and no second.
 */
const jobs = heldJobs('budget-cleanup');
const JOB = 'budgets-budget-cleanup';
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem({ jobs: { transport: jobs.transport } });
});
afterAll(async () => {
  await t?.destroy();
  await jobs.stop();
});

/** What is left in the budgets module's partitions of the budget (the budget's own, its markers, reports, invitations, settlements). */
async function leftOf(budgetId: string) {
  return (await tableItems(t.doc, t.tableName)).filter((i) => String(i.pk).startsWith('budgets#') && String(i.pk).endsWith(`#${budgetId}`) && !String(i.pk).startsWith('budgets#watch#'));
}

describe("a deleted budget's threshold markers and reports", { timeout: 30_000 }, () => {
  it('are deleted by a job over several invocations, not in the subscriber', async () => {
    const owner = await signUp(t.app, 'owner');
    const budget = await createBudget(t.app, owner, { name: 'Years of alerts' });
    // 200 threshold markers and 50 reports, as the subscribers and the report job leave them (only their keys matter to the cleanup).
    const markers = Array.from({ length: 200 }, (_, i) => ({
      pk: `budgets#thresholds#${budget.id}`,
      sk: `budgets#threshold#2020-01-${String(i).padStart(4, '0')}#2020-01-07#budget#80`,
      kind: 'threshold',
    }));
    const reports = Array.from({ length: 50 }, (_, i) => ({
      pk: `budgets#reports#${budget.id}`,
      sk: `budgets#report#2020-${String(i).padStart(4, '0')}#2020-12-31`,
      kind: 'report',
    }));
    const items = [...markers, ...reports];
    for (let i = 0; i < items.length; i += 25) {
      await t.doc.send(new BatchWriteCommand({ RequestItems: { [t.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const res = await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}`);
    expect(res.status, res.text).toBe(204);
    await deliver(t, await theEvent(t, 'budget.deleted', { budgetId: budget.id }));

    // The subscriber only queued the unit: everything is still there.
    const queued = jobs.held.splice(0).filter((m) => m.job === JOB);
    expect(queued).toHaveLength(1);
    expect(await leftOf(budget.id)).toHaveLength(250);

    let clock = 0;
    const now = () => (clock += 10);
    const store = t.system.deps.storeFor('budgets');
    const job = budgetCleanupJob({ store, leftovers: new BudgetLeftovers(store), now });
    const ctx = () => ({ logger: t.system.deps.logger, deadline: clock + 55 });
    const left: number[] = [];
    let next = queued[0]?.type === 'unit' ? await job.parseUnit(queued[0].unit) : undefined;
    while (next) {
      next = (await job.work(next, new Date(), ctx()))?.again;
      left.push((await leftOf(budget.id)).length);
    }
    // One step of 100 keys per invocation (the third's 50 are all there was; it cannot know
    // before reading again), then one that finds nothing left and ends the unit.
    expect(left).toEqual([150, 50, 0, 0]);
  });

  it("takes the former members' records (a removal's last membership version) with the rest", async () => {
    const owner = await signUp(t.app, 'owner');
    const sam = await signUp(t.app, 'sam');
    const budget = await createBudget(t.app, owner, { name: 'Shared once' });
    const members = `/v1/budgets/${budget.id}/members`;
    expect((await as(t.app, owner)('POST', members, { body: { email: sam.email, role: 'viewer' } })).status).toBe(201);
    expect((await as(t.app, owner)('DELETE', `${members}/${sam.id}`)).status).toBe(204);
    expect((await leftOf(budget.id)).map((i) => i.pk)).toContain(`budgets#former-members#${budget.id}`);
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}`)).status).toBe(204);
    await deliver(t, await theEvent(t, 'budget.deleted', { budgetId: budget.id }));
    const store = t.system.deps.storeFor('budgets');
    const job = budgetCleanupJob({ store, leftovers: new BudgetLeftovers(store) });
    const queued = jobs.held.splice(0).filter((m) => m.job === JOB);
    let next = queued[0]?.type === 'unit' ? await job.parseUnit(queued[0].unit) : undefined;
    expect(next).toBeDefined();
    while (next) next = (await job.work(next, new Date(), { logger: t.system.deps.logger, deadline: Date.now() + 10_000 }))?.again;
    expect(await leftOf(budget.id)).toEqual([]);
  });
});
