import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { holdingFirstWrite } from '../../support/holding-commands';
import { runRecurringJob } from '../../support/recurring-job';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Writes that read a budget's categories, then write on that basis, while a PATCH of the budget
 * removes a category (packages/budgets/docs/categories.md "Removing a category"). The invariant,
 * whatever the order: once the removal has committed, no write puts an expense in the removed
 * category (an expense already there may stay). A recurring occurrence (the job, record-next) and
 * an import's rows are recorded without it (uncategorized, exactly once); a PATCH moving an
 * expense into it and a create naming it are the 400 naming `categoryId`, nothing written; in a
 * bulk edit that expense's 409 naming `action.categoryId` (the batch answered), in a bulk undo
 * kept as `category-removed` (as had the removal come first); in an offline push's create that
 * mutation's `{status: error}` naming `categoryId` (the push's answer to an unknown category).
 *
 * Driven without sleeps: the write's transaction (the first write naming the definition, the
 * expense, the description or an import marker) is held until the PATCH has answered, as a
 * PATCH served by another Lambda can land between another request's read and its write.
 */
const clock = fixedClock('2026-12-06T12:00:00Z');
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'owner');
});
afterAll(() => t.destroy());

const api = (method: string, url: string, body?: unknown) => as(t.app, owner)(method, url, body === undefined ? {} : { body });

/** A budget with Gym and Other, and a daily definition in Gym starting today (due now). */
async function definitionInGym() {
  const budget = await createBudget(t.app, owner, { name: 'Plans', currency: 'EUR', timezone: 'UTC', categories: [{ name: 'Gym' }, { name: 'Other' }] });
  const [gym, other] = budget.categories as { id: string; name: string }[];
  const created = await api('POST', `/v1/budgets/${budget.id}/recurring-expenses`, {
    amount: 30_00,
    categoryId: gym!.id,
    schedule: { frequency: 'daily', startsOn: '2026-12-06' },
  });
  expect(created.status, created.text).toBe(201);
  return { budgetId: budget.id as string, gymId: gym!.id, other: other!, definitionId: created.json.id as string };
}

/** The PATCH that removes Gym (keeps Other only). */
const removeGym = (budgetId: string, other: { id: string; name: string }) => api('PATCH', `/v1/budgets/${budgetId}`, { categories: [{ id: other.id, name: other.name }] });

async function expensesOf(budgetId: string) {
  const res = await api('GET', `/v1/budgets/${budgetId}/expenses?limit=100`);
  expect(res.status, res.text).toBe(200);
  return res.json.items as { categoryId: string | null; occurredOn: string; recurringExpenseId?: string }[];
}

describe("a recurring occurrence recorded while its category is removed", { timeout: 120_000 }, () => {
  it("the job's recording meets the removal: recorded once, uncategorized", async () => {
    const { budgetId, gymId, other, definitionId } = await definitionInGym();
    let patched: { status: number; text: string } | undefined;
    await holdingFirstWrite(t, definitionId, async () => (patched = await removeGym(budgetId, other)), () => runRecurringJob(t));
    expect(patched?.status, patched?.text).toBe(200);
    const recorded = await expensesOf(budgetId);
    expect(recorded.map((e) => [e.occurredOn, e.categoryId])).toEqual([['2026-12-06', null]]);
    expect(recorded.some((e) => e.categoryId === gymId)).toBe(false);
    const definition = await api('GET', `/v1/budgets/${budgetId}/recurring-expenses/${definitionId}`);
    expect(definition.json.nextOccurrenceOn).toBe('2026-12-07');
  });

  it("record-next's recording meets the removal: recorded once, uncategorized", async () => {
    const { budgetId, gymId, other, definitionId } = await definitionInGym();
    let patched: { status: number; text: string } | undefined;
    const res = await holdingFirstWrite(t, definitionId, async () => (patched = await removeGym(budgetId, other)), () =>
      api('POST', `/v1/budgets/${budgetId}/recurring-expenses/${definitionId}/record-next`, {}),
    );
    expect(patched?.status, patched?.text).toBe(200);
    expect(res.status, res.text).toBe(200);
    expect(res.json.expense.categoryId).toBeNull();
    const recorded = await expensesOf(budgetId);
    expect(recorded.map((e) => [e.occurredOn, e.categoryId])).toEqual([['2026-12-06', null]]);
    expect(recorded.some((e) => e.categoryId === gymId)).toBe(false);
  });
});

describe('an expense moved into a category while it is removed', { timeout: 120_000 }, () => {
  it("a PATCH's write meets the removal: 400 naming categoryId, the expense stays where it was", async () => {
    const { budgetId, gymId, other } = await definitionInGym();
    const created = await api('POST', `/v1/budgets/${budgetId}/expenses`, { amount: 12_00, occurredOn: '2026-12-05', categoryId: other.id });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    let patched: { status: number; text: string } | undefined;
    const res = await holdingFirstWrite(t, id, async () => (patched = await removeGym(budgetId, other)), () =>
      api('PATCH', `/v1/budgets/${budgetId}/expenses/${id}`, { categoryId: gymId }),
    );
    expect(patched?.status, patched?.text).toBe(200);
    expect(res.status, res.text).toBe(400);
    // The same 400 as the same PATCH sent after the removal (the field and wording of the route's unknown category).
    const after400 = await api('PATCH', `/v1/budgets/${budgetId}/expenses/${id}`, { categoryId: gymId });
    expect([after400.status, res.json.detail, res.json.errors]).toEqual([400, after400.json.detail, [{ path: 'categoryId', message: expect.any(String) }]]);
    expect(res.json.errors).toEqual(after400.json.errors);
    const after = await api('GET', `/v1/budgets/${budgetId}/expenses/${id}`);
    expect([after.json.categoryId, after.json.version]).toEqual([other.id, 1]);
  });

  it("a bulk recategorize's write meets the removal: that expense's 409 naming action.categoryId, the batch answered", async () => {
    const { budgetId, gymId, other } = await definitionInGym();
    const created = await api('POST', `/v1/budgets/${budgetId}/expenses`, { amount: 7_00, occurredOn: '2026-12-05', categoryId: other.id });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    let patched: { status: number; text: string } | undefined;
    const res = await holdingFirstWrite(t, id, async () => (patched = await removeGym(budgetId, other)), () =>
      api('POST', `/v1/budgets/${budgetId}/expenses/bulk`, { expenseIds: [id], action: { type: 'recategorize', categoryId: gymId } }),
    );
    expect(patched?.status, patched?.text).toBe(200);
    expect(res.status, res.text).toBe(200);
    expect([res.json.succeeded, res.json.failed]).toEqual([0, 1]);
    expect(res.json.results.map((r: any) => [r.expenseId, r.status, r.problem.errors.map((e: any) => e.path)])).toEqual([[id, 409, ['action.categoryId']]]);
    const after = await api('GET', `/v1/budgets/${budgetId}/expenses/${id}`);
    expect([after.json.categoryId, after.json.version]).toEqual([other.id, 1]);
  });

  it("a bulk undo's write meets the removal of the category it puts back: kept 'category-removed', as had the removal come first", async () => {
    const { budgetId, gymId, other } = await definitionInGym();
    const created = await api('POST', `/v1/budgets/${budgetId}/expenses`, { amount: 8_00, occurredOn: '2026-12-05', categoryId: gymId });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const moved = await api('POST', `/v1/budgets/${budgetId}/expenses/bulk`, { expenseIds: [id], action: { type: 'recategorize', categoryId: other.id } });
    expect(moved.status, moved.text).toBe(200);
    let patched: { status: number; text: string } | undefined;
    const res = await holdingFirstWrite(t, id, async () => (patched = await removeGym(budgetId, other)), () =>
      api('POST', `/v1/budgets/${budgetId}/expenses/bulk/${moved.json.undo.id}/undo`, {}),
    );
    expect(patched?.status, patched?.text).toBe(200);
    expect(res.status, res.text).toBe(200);
    expect(res.json.kept).toEqual([{ expenseId: id, reason: 'category-removed' }]);
    const after = await api('GET', `/v1/budgets/${budgetId}/expenses/${id}`);
    expect([after.json.categoryId, after.json.version]).toEqual([other.id, 2]);
  });

  it("the check rides only a PATCH that moves the expense into a category, naming only the categories it is not in already", async () => {
    const { budgetId, gymId, other } = await definitionInGym();
    const created = await api('POST', `/v1/budgets/${budgetId}/expenses`, { amount: 10_00, occurredOn: '2026-12-05', splits: [{ categoryId: other.id, amount: 4_00 }, { categoryId: null, amount: 6_00 }] });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const checked = async (body: unknown) => {
      const { result, sent } = await commandsSentDuring(t.doc, () => api('PATCH', `/v1/budgets/${budgetId}/expenses/${id}`, body));
      expect(result.status, result.text).toBe(200);
      const items = sent.filter((c) => c.name === 'TransactWriteItemsCommand').flatMap((c) => c.input.TransactItems as any[]);
      return items.filter((i) => i.ConditionCheck?.ConditionExpression?.includes('categoryIds')).map((i) => Object.values(i.ConditionCheck.ExpressionAttributeValues));
    };
    // No category moved into: no check, no item more.
    expect(await checked({ description: 'Kit' })).toEqual([]);
    // A part into Gym, the other kept in Other: Gym alone.
    expect(await checked({ splits: [{ categoryId: other.id, amount: 4_00 }, { categoryId: gymId, amount: 6_00 }] })).toEqual([[gymId]]);
  });

  it("a create without occurredOn (read first, then written) meets the removal: 400 naming categoryId, nothing recorded", async () => {
    const { budgetId, gymId, other } = await definitionInGym();
    let patched: { status: number; text: string } | undefined;
    const res = await holdingFirstWrite(t, 'Treadmill', async () => (patched = await removeGym(budgetId, other)), () =>
      api('POST', `/v1/budgets/${budgetId}/expenses`, { amount: 40_00, description: 'Treadmill', categoryId: gymId }),
    );
    expect(patched?.status, patched?.text).toBe(200);
    expect(res.status, res.text).toBe(400);
    // The same 400 as the same create sent after the removal (the field and wording of the route's unknown category).
    const after400 = await api('POST', `/v1/budgets/${budgetId}/expenses`, { amount: 40_00, description: 'Treadmill', categoryId: gymId });
    expect([after400.status, res.json.detail, res.json.errors]).toEqual([400, after400.json.detail, [{ path: 'categoryId', message: expect.any(String) }]]);
    expect(res.json.errors).toEqual(after400.json.errors);
    expect((await expensesOf(budgetId)).filter((e) => e.categoryId === gymId)).toEqual([]);
  });
});

describe("an offline push's create written while its category is removed", { timeout: 120_000 }, () => {
  it("the create meets the removal: the push's refusal for an unknown category sent after it, nothing recorded", async () => {
    const { budgetId, gymId, other } = await definitionInGym();
    // Without occurredOn, as an offline client may send it; the description marks the create's write.
    const push = () => api('POST', `/v1/budgets/${budgetId}/changes`, { mutations: [{ op: 'create', expense: { amount: 55_00, description: 'Rowing machine', categoryId: gymId } }] });
    let patched: { status: number; text: string } | undefined;
    const res = await holdingFirstWrite(t, 'Rowing machine', async () => (patched = await removeGym(budgetId, other)), push);
    expect(patched?.status, patched?.text).toBe(200);
    expect(res.status, res.text).toBe(200);
    // The same answer as the same push sent after the removal: that mutation's error naming categoryId, the batch answered.
    const after = await push();
    expect(after.status, after.text).toBe(200);
    expect(after.json.results).toEqual([{ status: 'error', problem: expect.objectContaining({ status: 400, errors: [{ path: 'categoryId', message: expect.any(String) }] }) }]);
    expect(res.json.results).toEqual(after.json.results);
    expect((await expensesOf(budgetId)).filter((e) => e.categoryId === gymId)).toEqual([]);
  });
});

describe("an import's chunk written while a category its rows name is removed", { timeout: 120_000 }, () => {
  it('the rows are recorded once, without the removed category (the others keep theirs)', async () => {
    const { budgetId, gymId, other } = await definitionInGym();
    const file = 'date,amount,category,description,merchant\n2026-12-01,25.00,Gym,Climbing,\n2026-12-02,9.00,Other,Socks,\n';
    let patched: { status: number; text: string } | undefined;
    const started = await holdingFirstWrite(t, 'import-marker', async () => (patched = await removeGym(budgetId, other)), () =>
      as(t.app, owner)('POST', `/v1/budgets/${budgetId}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv' } }),
    );
    expect(patched?.status, patched?.text).toBe(200);
    expect(started.status, started.text).toBe(202);
    const recorded = (await expensesOf(budgetId)) as { categoryId: string | null; occurredOn: string; description?: string }[];
    expect(recorded.map((e) => [e.description, e.categoryId]).sort()).toEqual([
      ['Climbing', null],
      ['Socks', other.id],
    ]);
    expect(recorded.some((e) => e.categoryId === gymId)).toBe(false);
  });
});
