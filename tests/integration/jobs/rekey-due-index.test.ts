import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, tokenAtClock, type Actor } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { partition } from './seed';

/**
 * Due-index entries written before issue 10, on DynamoDB Local:
 * - a budget in the old unsharded, date-keyed report index is never read by the sharded
 *   planner, until the operator job `budgets-rekey-due-index` moves it (then the next report
 *   tick writes the report it missed); running the job twice changes nothing more;
 * - a recurring definition in an old 4-shard, date-keyed entry needs no job: the sharded
 *   planner reads it on its day, records it once and writes the new key.
 */
const clock = fixedClock('2026-09-10T12:00:00Z');
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'rekey-owner');
});
afterAll(() => t.destroy());

const setIndex = (key: { pk: string; sk: string }, attributes: Record<string, string>) =>
  t.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key,
      UpdateExpression: `SET ${Object.keys(attributes).map((a) => `${a} = :${a}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: Object.fromEntries(Object.entries(attributes).map(([a, v]) => [`:${a}`, v])),
    }),
  );
const ctx = () => ({ logger: t.system.deps.logger });
const reportsOf = async (budgetId: string) => (await partition(t, `budgets#reports#${budgetId}`)).map((r) => r.periodStart);

describe('due-index entries from before the sharded index', () => {
  it('a budget in the old report index is reported after the re-key job, exactly once', async () => {
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000, period: 'monthly', timezone: 'UTC' });
    const key = { pk: `budgets#budget#${budget.id}`, sk: 'budgets#budget' };
    // As the pre-issue-10 code wrote it: one partition, the local date the report falls due.
    await setIndex(key, { gsi2pk: 'budgets#reports-due', gsi2sk: `budgets#due#2026-10-01#${budget.id}` });

    await t.system.jobs.plan('budget-reports', new Date('2026-10-01T01:00:00Z'), ctx());
    expect(await reportsOf(budget.id)).toEqual([]); // invisible to the sharded planner

    await t.system.jobs.plan('budgets-rekey-due-index', new Date('2026-10-01T01:10:00Z'), ctx());
    const item = (await partition(t, key.pk)).find((i) => i.sk === key.sk);
    expect(item!.gsi2pk).toMatch(/^budgets#reports-due#\d+$/);
    expect(item!.gsi2sk).toBe(`budgets#due#0000-00-00T00:00:00Z#${budget.id}`);
    const rekeyed = t.system.jobs.metrics.totals('budgets-rekey-due-index');
    expect(rekeyed.DueUnits).toBe(1);

    await t.system.jobs.plan('budgets-rekey-due-index', new Date('2026-10-01T01:20:00Z'), ctx()); // again: nothing left
    expect(t.system.jobs.metrics.totals('budgets-rekey-due-index').DueUnits).toBe(1);

    await t.system.jobs.plan('budget-reports', new Date('2026-10-01T02:00:00Z'), ctx());
    await t.system.jobs.plan('budget-reports', new Date('2026-10-01T03:00:00Z'), ctx());
    expect(await reportsOf(budget.id)).toEqual(['2026-09-01']);
  });

  it('a recurring definition with an old date-keyed entry is recorded on its day, once, and gets the new key', async () => {
    clock.set('2026-11-20T12:00:00Z');
    owner.token = await tokenAtClock(t, owner);
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000, timezone: 'UTC' });
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/recurring-expenses`, {
      body: { amount: 990, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } },
    });
    expect(res.status, res.text).toBe(201);
    const key = { pk: `expenses#budget#${budget.id}`, sk: `expenses#recurring#${res.json.id}` };
    // As the pre-issue-10 code wrote it: 4 shards, the local date it falls due.
    await setIndex(key, { gsi1pk: 'expenses#due#3', gsi1sk: `expenses#due#2026-12-01#${budget.id}#${res.json.id}` });

    await t.system.jobs.plan('recurring-expenses', new Date('2026-11-30T23:30:00Z'), ctx());
    await t.system.jobs.plan('recurring-expenses', new Date('2026-12-01T00:30:00Z'), ctx());
    await t.system.jobs.plan('recurring-expenses', new Date('2026-12-01T01:30:00Z'), ctx());
    const items = await partition(t, key.pk);
    expect(items.filter((i) => i.kind === 'expense').map((e) => e.occurredOn)).toEqual(['2026-12-01']);
    const definition = items.find((i) => i.sk === key.sk)!;
    expect(definition.gsi1sk).toBe(`expenses#due#2027-01-01T00:00:00Z#${budget.id}#${res.json.id}`);
  });
});
