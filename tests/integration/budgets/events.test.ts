import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  budgetCreated,
  budgetDeleted,
  budgetMemberAdded,
  budgetMemberRemoved,
  budgetUpdated,
} from '@budgeting/budgets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addMember, as, createBudget, signup, type Account } from './helpers';

/**
 * Every change writes its event to the outbox in the same transaction: the item is there
 * after the request, valid against its contract, and refused changes write none.
 */
let t: TestSystem;
let owner: Account;
let sam: Account;

beforeAll(async () => {
  t = await createTestSystem();
  owner = await signup(t.app, 'owner');
  sam = await signup(t.app, 'sam');
});
afterAll(() => t.destroy());

const contracts = [budgetCreated, budgetUpdated, budgetDeleted, budgetMemberAdded, budgetMemberRemoved];

async function outboxFor(budgetId: string) {
  const out = await t.doc.send(
    new ScanCommand({
      TableName: t.tableName,
      FilterExpression: 'begins_with(pk, :prefix)',
      ExpressionAttributeValues: { ':prefix': 'budgets#outbox#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? [])
    .map((item) => {
      const contract = contracts.find((c) => c.type === item.detailType);
      expect(contract, String(item.detailType)).toBeDefined();
      expect(item.source).toBe('budgeting.budgets');
      const parsed = contract!.envelope.safeParse(JSON.parse(item.detail as string));
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      return parsed.data as { id: string; type: string; data: Record<string, unknown> };
    })
    .filter((e) => e.data.budgetId === budgetId)
    .sort((a, b) => a.id.localeCompare(b.id));
}

describe('budget events in the outbox', () => {
  it('records each change once, in order, with its data', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Evented', limit: 5_000 });
    await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { limit: 6_000, name: 'Evented 2' } });
    await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { limit: 6_000 } }); // no change: no event
    await addMember(t.app, owner, budget.id, sam, 'viewer');
    await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { currency: 'EUR' } }); // refused: no event
    expect((await as(t.app, sam)('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`)).status).toBe(204);
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}`)).status).toBe(204);

    const events = await outboxFor(budget.id);
    expect(events.map((e) => e.type)).toEqual([
      'budget.created',
      'budget.updated',
      'budget.member_added',
      'budget.member_removed',
      'budget.deleted',
    ]);
    expect(events[0]!.data).toEqual({
      budgetId: budget.id,
      ownerId: owner.id,
      name: 'Evented',
      currency: 'USD',
      period: 'monthly',
      timezone: 'UTC',
      limit: 5_000,
    });
    expect(events[1]!.data).toEqual({
      budgetId: budget.id,
      version: 2,
      changed: ['name', 'limit'],
      updatedBy: owner.id,
      changes: { name: { before: 'Evented', after: 'Evented 2' }, limit: { before: 5_000, after: 6_000 } },
    });
    expect(events[2]!.data).toEqual({ budgetId: budget.id, userId: sam.id, role: 'viewer', addedBy: owner.id });
    expect(events[3]!.data).toEqual({ budgetId: budget.id, userId: sam.id, removedBy: sam.id });
    expect(events[4]!.data).toEqual({ budgetId: budget.id, ownerId: owner.id, memberIds: [owner.id] });
  });
});

describe('a category moved to another group', () => {
  it('is a categories change of budget.updated, the groups before and after in it', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Grouped', categories: [{ name: 'Bus', group: 'Everyday' }] });
    const bus = budget.categories[0]!.id;
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { categories: [{ id: bus, name: 'Bus', group: 'Bills' }] } });
    expect(res.status, res.text).toBe(200);
    const updated = (await outboxFor(budget.id)).filter((e) => e.type === 'budget.updated');
    expect(updated.map((e) => e.data)).toEqual([
      {
        budgetId: budget.id,
        version: 2,
        changed: ['categories'],
        updatedBy: owner.id,
        changes: { categories: { before: [{ id: bus, name: 'Bus', group: 'Everyday' }], after: [{ id: bus, name: 'Bus', group: 'Bills' }] } },
      },
    ]);
    // Sending the same group again changes nothing: no event.
    await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { categories: [{ id: bus, name: 'Bus', group: 'Bills' }] } });
    expect((await outboxFor(budget.id)).filter((e) => e.type === 'budget.updated')).toHaveLength(1);
  });
});
