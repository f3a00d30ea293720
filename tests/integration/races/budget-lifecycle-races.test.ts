import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { withoutClosedMarkers } from '../../support/closed-budgets';
import { deliver, tableItems, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A budget's DELETE (and its budget.deleted cascade, delivered to every subscriber) landing while
 * a write of the budget's data is in flight (packages/budgets/docs/budget-lifecycle.md "Deleting
 * a budget", packages/expenses/docs/import-export.md). The invariant, whatever the order: once
 * the cascade has run, nothing of the budget is stored but the closed markers that keep late
 * writes out (closed-budgets.ts). Driven without sleeps: the write (the first naming a marker
 * only it carries) is held until the DELETE has answered and the cascade has run, as a DELETE
 * served by another Lambda can land between another request's access read and its write.
 */
const clock = fixedClock('2026-12-06T12:00:00Z');
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'owner');
});
afterAll(() => t.destroy());

const api = (method: string, url: string, opts: Record<string, unknown> = {}) => as(t.app, owner)(method, url, opts);

/** The DELETE and the whole cascade (every subscriber of budget.deleted, its cleanup jobs inline). */
async function deleteAndCascade(budgetId: string) {
  const res = await api('DELETE', `/v1/budgets/${budgetId}`);
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'budget.deleted', { budgetId }));
}

/** What is stored of the budget (keys naming it), closed markers aside. */
async function leftOf(budgetId: string) {
  const items = (await tableItems(t.doc, t.tableName)).filter((i) => `${i.pk} ${i.sk}`.includes(budgetId));
  return withoutClosedMarkers(items).map((i) => i.kind);
}

describe('a CSV import started while its budget is deleted', { timeout: 60_000 }, () => {
  it("the import's chunks and record, written after the cascade passed, are not left behind: 404, nothing stored", async () => {
    const budget = await createBudget(t.app, owner, { name: 'Doomed', currency: 'EUR' });
    const marker = `Bakery ${budget.id}`;
    const file = `2026-12-01,4.20,,${marker},\n2026-12-02,3.10,,${marker} 2,\n`;
    const res = await holdingFirstWrite(t, marker, () => deleteAndCascade(budget.id), () =>
      api('POST', `/v1/budgets/${budget.id}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv' } }),
    );
    expect(await leftOf(budget.id)).toEqual([]);
    expect(res.status, res.text).toBe(404);
  });

  it('(control) started on a living budget, it is stored and imports its rows', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Alive', currency: 'EUR' });
    const res = await api('POST', `/v1/budgets/${budget.id}/expenses/import`, { rawBody: '2026-12-01,4.20,,Bakery,\n', headers: { 'content-type': 'text/csv', prefer: 'wait=10' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 1 });
  });
});

describe("a bulk edit's undo record written while its budget is deleted", { timeout: 60_000 }, () => {
  it('the record of what it changed, written after the cascade passed, is not left behind: undo null, nothing stored', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Doomed bulk', currency: 'EUR' });
    const created = await api('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 9_00, occurredOn: '2026-12-05' } });
    expect(created.status, created.text).toBe(201);
    // The expense's write commits; the undo record's Put (the one write of its kind) waits for the DELETE and the cascade.
    const res = await holdingFirstWrite(t, 'bulk-undo', () => deleteAndCascade(budget.id), () =>
      api('POST', `/v1/budgets/${budget.id}/expenses/bulk`, { body: { expenseIds: [created.json.id], action: { type: 'addTags', tags: ['trip'] } } }),
    );
    expect(await leftOf(budget.id)).toEqual([]);
    expect(res.status, res.text).toBe(200);
    expect([res.json.succeeded, res.json.undo]).toEqual([1, null]);
  });
});

describe('a tag rename started while its budget is deleted', { timeout: 60_000 }, () => {
  it('its record and first unit, written after the cascade passed, are not left behind: 404, nothing stored', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Doomed rename', currency: 'EUR' });
    // The tag names only the rename's record (with its first unit, one transaction), held until the DELETE and the cascade ran.
    const tag = `trip-${budget.id.slice(-8).toLowerCase()}`;
    const res = await holdingFirstWrite(t, tag, () => deleteAndCascade(budget.id), () =>
      api('POST', `/v1/budgets/${budget.id}/tags/rename`, { body: { from: [tag], to: 'holiday' } }),
    );
    expect(await leftOf(budget.id)).toEqual([]);
    expect(res.status, res.text).toBe(404);
  });
});

describe("a tag rename's page planned while its budget is deleted", { timeout: 60_000 }, () => {
  it("the unit's planned expense ids, written after the cascade passed, are not left behind", async () => {
    const budget = await createBudget(t.app, owner, { name: 'Doomed rename page', currency: 'EUR' });
    const created = await api('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 3_00, occurredOn: '2026-12-05', tags: ['trip'] } });
    expect(created.status, created.text).toBe(201);
    // The unit's plan (ADD #planned, written before the page's expense writes) waits for the DELETE and the cascade.
    await holdingFirstWrite(t, 'ADD #planned', () => deleteAndCascade(budget.id), () =>
      api('POST', `/v1/budgets/${budget.id}/tags/rename`, { body: { from: ['trip'], to: 'holiday' }, headers: { prefer: 'wait=10' } }),
    );
    expect(await leftOf(budget.id)).toEqual([]);
  });
});

describe("an import undo's chunk planned while its budget is deleted", { timeout: 60_000 }, () => {
  it("the chunk's planned fingerprints, written after the cascade passed, are not left behind (they had no expiry)", async () => {
    const budget = await createBudget(t.app, owner, { name: 'Doomed undo', currency: 'EUR' });
    const imported = await api('POST', `/v1/budgets/${budget.id}/expenses/import`, { rawBody: '2026-12-01,4.20,,Bakery,\n', headers: { 'content-type': 'text/csv', prefer: 'wait=10' } });
    expect(imported.json, imported.text).toMatchObject({ status: 'succeeded', imported: 1 });
    // The chunk's plan (ADD undoPlanned, written before the undo's deletes) waits for the DELETE and the cascade.
    await holdingFirstWrite(t, 'undoPlanned', () => deleteAndCascade(budget.id), () =>
      api('POST', `/v1/budgets/${budget.id}/imports/${imported.json.id}/undo`, { headers: { prefer: 'wait=10' } }),
    );
    expect(await leftOf(budget.id)).toEqual([]);
  });
});

describe("an invitation's recount (the count said full) while its budget is deleted", { timeout: 60_000 }, () => {
  it('the count, written after the cascade passed, is not left behind (it had no expiry): 404, nothing stored', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Doomed invitations', currency: 'EUR' });
    const first = await api('POST', `/v1/budgets/${budget.id}/invitations`, { body: { email: 'first@example.com', role: 'editor' } });
    expect(first.status, first.text).toBe(201);
    // The count says full (20) with one invitation stored: the next invite recounts before refusing.
    const [count] = (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === 'invitation-count' && `${i.pk}`.includes(budget.id));
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: count!.pk, sk: count!.sk }, UpdateExpression: 'SET #count = :full', ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':full': 20 } }));
    // The recount's read of the count (after the create found it full) waits for the DELETE and the cascade:
    // it then reads no count, so its write's "not written yet" condition holds.
    const res = await holdingFirstWrite(t, 'invitation-count', () => deleteAndCascade(budget.id), () =>
      api('POST', `/v1/budgets/${budget.id}/invitations`, { body: { email: 'second@example.com', role: 'editor' } }),
      new Set(['GetItemCommand']),
    );
    expect(await leftOf(budget.id)).toEqual([]);
    expect(res.status, res.text).toBe(404);
  });
});
