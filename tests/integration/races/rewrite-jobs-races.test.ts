import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { holdingFirstWrite } from '../../support/holding-commands';
import { runRecurringIncomeJob } from '../../support/recurring-job';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Writes that rewrite a member's data from what they read (a merchant rename job, the recurring
 * income job, a restore) while the member changes that data. The invariant, whatever the order:
 * the member's change stays, and what the rewrite stores is what it would store had the change
 * come first (nothing written over a newer version, nothing resurrected, no occurrence recorded
 * from a definition as it was before its PATCH, pause or DELETE answered).
 *
 * Driven without sleeps: the rewrite's first write naming the expense or definition is held until
 * the member's request has answered. That request is served by a second system on the same table,
 * as another Lambda would serve it (one process orders its own writes of a budget's change shard).
 */
const clock = fixedClock('2026-12-06T12:00:00Z');
let t: TestSystem;
let other: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  other = await createTestSystem({ clock, tableName: t.tableName });
  owner = await signUp(t.app, 'owner');
});
afterAll(async () => {
  await other?.destroy();
  await t?.destroy();
});

type Answer = { status: number; text: string; json: any };
const api = (method: string, url: string, body?: unknown): Promise<Answer> => as(t.app, owner)(method, url, body === undefined ? {} : { body });
/** The member's request, served by the other system. */
const meanwhile = (method: string, url: string, body?: unknown): Promise<Answer> => as(other.app, owner)(method, url, body === undefined ? {} : { body });

async function budgetWith(categories: { name: string }[] = []) {
  const budget = await createBudget(t.app, owner, { name: 'Rewrites', currency: 'EUR', timezone: 'UTC', categories });
  return { budgetId: budget.id as string, categories: budget.categories as { id: string; name: string }[] };
}

async function expense(budgetId: string, body: Record<string, unknown>) {
  const res = await api('POST', `/v1/budgets/${budgetId}/expenses`, { occurredOn: '2026-12-05', amount: 7_00, ...body });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

/** The month's spent figure of the summary (running totals). */
async function spent(budgetId: string) {
  const res = await api('GET', `/v1/budgets/${budgetId}/summary`);
  expect(res.status, res.text).toBe(200);
  return res.json.spent as number;
}

describe("a merchant rename's write meets a member's DELETE or amount change of the expense", { timeout: 120_000 }, () => {
  it('deleted meanwhile: stays deleted, not renamed, the totals without it', async () => {
    const { budgetId } = await budgetWith();
    const id = await expense(budgetId, { merchant: 'Cafe Nero', amount: 4_50 });
    let deleted: Answer | undefined;
    const res = await holdingFirstWrite(t, id, async () => (deleted = await meanwhile('DELETE', `/v1/budgets/${budgetId}/expenses/${id}`)), () =>
      api('POST', `/v1/budgets/${budgetId}/merchants/rename`, { from: ['Cafe Nero'], to: 'Nero Coffee' }),
    );
    expect(deleted?.status, deleted?.text).toBe(204);
    expect(res.status, res.text).toBe(202);
    expect((await api('GET', `/v1/budgets/${budgetId}/expenses/${id}`)).status).toBe(404);
    expect(await spent(budgetId)).toBe(0);
  });

  it('amount changed meanwhile: renamed on top of the new amount, the totals by the new amount', async () => {
    const { budgetId } = await budgetWith();
    const id = await expense(budgetId, { merchant: 'Cafe Nero', amount: 4_50 });
    let patched: Answer | undefined;
    const res = await holdingFirstWrite(t, id, async () => (patched = await meanwhile('PATCH', `/v1/budgets/${budgetId}/expenses/${id}`, { amount: 9_00 })), () =>
      api('POST', `/v1/budgets/${budgetId}/merchants/rename`, { from: ['Cafe Nero'], to: 'Nero Coffee' }),
    );
    expect(patched?.status, patched?.text).toBe(200);
    expect(res.status, res.text).toBe(202);
    const after = await api('GET', `/v1/budgets/${budgetId}/expenses/${id}`);
    expect([after.json.merchant, after.json.amount, after.json.version]).toEqual(['Nero Coffee', 9_00, 3]);
    expect(await spent(budgetId)).toBe(9_00);
  });
});

describe("the recurring income job's recording meets a member's change of the definition", { timeout: 120_000 }, () => {
  /** A daily paycheck starting today (due now). */
  async function paycheck() {
    const { budgetId } = await budgetWith();
    const created = await api('POST', `/v1/budgets/${budgetId}/recurring-income`, { amount: 100_00, source: 'Acme', schedule: { frequency: 'daily', startsOn: '2026-12-06' } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    return { budgetId, id, url: `/v1/budgets/${budgetId}/recurring-income/${id}` };
  }
  const entries = async (budgetId: string) => {
    const res = await api('GET', `/v1/budgets/${budgetId}/income?limit=100`);
    expect(res.status, res.text).toBe(200);
    return (res.json.items as { receivedOn: string; amount: number }[]).map((i) => `${i.receivedOn} ${i.amount}`);
  };

  it('PATCHed amount: today recorded once, at the new amount', async () => {
    const { budgetId, id, url } = await paycheck();
    let patched: Answer | undefined;
    await holdingFirstWrite(t, id, async () => (patched = await meanwhile('PATCH', url, { amount: 120_00 })), () => runRecurringIncomeJob(t));
    expect(patched?.status, patched?.text).toBe(200);
    expect(await entries(budgetId)).toEqual(['2026-12-06 12000']);
    expect((await api('GET', url)).json.nextOccurrenceOn).toBe('2026-12-07');
  });

  it('paused: nothing recorded', async () => {
    const { budgetId, id, url } = await paycheck();
    let patched: Answer | undefined;
    await holdingFirstWrite(t, id, async () => (patched = await meanwhile('PATCH', url, { paused: true })), () => runRecurringIncomeJob(t));
    expect(patched?.status, patched?.text).toBe(200);
    expect(await entries(budgetId)).toEqual([]);
  });

  it('DELETEd: nothing recorded', async () => {
    const { budgetId, id, url } = await paycheck();
    let deleted: Answer | undefined;
    await holdingFirstWrite(t, id, async () => (deleted = await meanwhile('DELETE', url)), () => runRecurringIncomeJob(t));
    expect(deleted?.status, deleted?.text).toBe(204);
    expect(await entries(budgetId)).toEqual([]);
  });
});

describe("a restore's write meets the removal of the expense's category", { timeout: 120_000 }, () => {
  it('restored as deleted, keeping the removed category (counted uncategorized), as had the removal come first', async () => {
    const { budgetId, categories } = await budgetWith([{ name: 'Gym' }, { name: 'Other' }]);
    const [gym, keep] = categories;
    const id = await expense(budgetId, { categoryId: gym!.id, amount: 30_00 });
    expect((await api('DELETE', `/v1/budgets/${budgetId}/expenses/${id}`)).status).toBe(204);
    let removed: Answer | undefined;
    const res = await holdingFirstWrite(t, id, async () => (removed = await meanwhile('PATCH', `/v1/budgets/${budgetId}`, { categories: [{ id: keep!.id, name: keep!.name }] })), () =>
      api('POST', `/v1/budgets/${budgetId}/expenses/${id}/restore`, {}),
    );
    expect(removed?.status, removed?.text).toBe(200);
    expect(res.status, res.text).toBe(200);
    expect([res.json.categoryId, res.json.version]).toEqual([gym!.id, 2]);
    const summary = await api('GET', `/v1/budgets/${budgetId}/summary`);
    expect([summary.json.spent, summary.json.uncategorizedSpent]).toEqual([30_00, 30_00]);
    expect(summary.json.categories.map((c: { categoryId: string }) => c.categoryId)).toEqual([keep!.id]);
  });
});
