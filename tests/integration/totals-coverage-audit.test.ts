import { createLogger } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Budget, type Harness, type User } from './expenses/harness';

/**
 * Audit round 23 (packages/expenses/docs/storage-and-totals.md, "Every write that moves the
 * totals"): each kind of write that creates, deletes or changes a counted field of an expense or
 * an income entry, made through the API (and the jobs it runs inline), then two oracles that
 * never use the code under test's figures:
 * - the summary of October and November against sums THIS FILE computes from the listed
 *   expenses (signed by `refund`, split parts in their own categories, a category the budget no
 *   longer has counted as uncategorized, as the summary documents);
 * - `expenses-totals-check` without `--repair`: every month figure, day figure and income total
 *   recounted from the stored expenses and income entries, no difference.
 * One budget for the whole file; each step ends with both checks, so a drift names its write.
 */
let h: Harness;
let owner: User;
let budget: Budget;
let groceries: string;
let transport: string;
const quiet = { logger: createLogger('SILENT') };
const base = () => `/v1/budgets/${budget.id}`;

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await h.call(method, `${base()}${path}`, { token: owner.token, ...(body === undefined ? {} : { body }), headers });
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.json;
};
const post = (body: Record<string, unknown>) => call('POST', '/expenses', body);
const csv = (file: string, query: Record<string, string> = {}) =>
  h.call('POST', `${base()}/expenses/import?${new URLSearchParams(query).toString()}`, { token: owner.token, rawBody: file, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });

/** What one listed expense adds to a month's figures, by this file's own rule. */
function addTo(figures: { spent: number; byCategory: Record<string, number>; uncategorized: number }, e: any, kept: Set<string>) {
  const sign = e.refund === true ? -1 : 1;
  figures.spent += sign * e.amount;
  for (const part of e.splits ?? [e]) {
    const amount = sign * part.amount;
    if (part.categoryId && kept.has(part.categoryId)) figures.byCategory[part.categoryId] = (figures.byCategory[part.categoryId] ?? 0) + amount;
    else figures.uncategorized += amount;
  }
}

/** Both oracles: the summaries agree with the listed expenses, and the totals check finds nothing. */
async function expectExact(): Promise<void> {
  const listed = await h.listExpenses(budget, owner.token);
  for (const month of ['2026-10', '2026-11']) {
    const summary = await call('GET', `/summary?date=${month}-15`);
    const kept = new Set<string>((summary.categories as { categoryId: string }[]).map((c) => c.categoryId));
    const expected = { spent: 0, byCategory: {} as Record<string, number>, uncategorized: 0 };
    for (const e of listed.filter((x) => String(x.occurredOn).startsWith(month))) addTo(expected, e, kept);
    const byCategory = Object.fromEntries((summary.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
    expect({ month, spent: summary.spent, byCategory, uncategorized: summary.uncategorizedSpent }).toEqual({
      month,
      spent: expected.spent,
      byCategory: Object.fromEntries(Object.entries(expected.byCategory).filter(([, v]) => v !== 0)),
      uncategorized: expected.uncategorized,
    });
  }
  const checked = await h.t.system.operations.find((o) => o.name === 'expenses-totals-check')!.run({ budget: budget.id, operator: 'audit-23' }, quiet);
  expect(checked.summary.differences).toEqual([]);
  expect(checked.ok).toBe(true);
}

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('totals-audit');
  budget = await h.createBudget(owner, { categories: ['Groceries', 'Transport', 'Fun'] });
  [groceries, transport] = budget.categories.map((c) => c.id) as [string, string];
});
afterAll(() => h?.destroy());

describe('every write that moves money keeps the running totals exact', { timeout: 60_000 }, () => {
  it('create, PATCH of each counted field (amount, category, month, day, split, refund), DELETE, restore', async () => {
    const a = await post({ amount: 400, categoryId: groceries, occurredOn: '2026-10-03' });
    const split = await post({ amount: 900, occurredOn: '2026-10-07', splits: [{ categoryId: groceries, amount: 600 }, { categoryId: null, amount: 300 }] });
    const refund = await post({ amount: 150, categoryId: groceries, occurredOn: '2026-10-09', refund: true });
    // A refund split in two categories: its delete and restore move each part's figure, signed.
    const gone = await post({ amount: 70, refund: true, occurredOn: '2026-11-02', splits: [{ categoryId: transport, amount: 50 }, { categoryId: groceries, amount: 20 }] });
    await call('PATCH', `/expenses/${a.id}`, { amount: 450, categoryId: transport, occurredOn: '2026-11-04' });
    await call('PATCH', `/expenses/${split.id}`, { splits: [{ categoryId: transport, amount: 500 }, { categoryId: groceries, amount: 400 }], occurredOn: '2026-10-08' });
    await call('PATCH', `/expenses/${refund.id}`, { refund: false, categoryId: null });
    await call('DELETE', `/expenses/${gone.id}`);
    await expectExact();
    await call('POST', `/expenses/${gone.id}/restore`);
    expect(await call('GET', `/expenses/${gone.id}`)).toMatchObject({ refund: true, splits: [{ categoryId: transport, amount: 50 }, { categoryId: groceries, amount: 20 }] });
    await expectExact();
  });

  it('bulk recategorize and delete, and their undo; a category reassign; a rule applied', async () => {
    const ids = [] as string[];
    for (const [amount, day] of [[11, '05'], [22, '06'], [33, '07']] as const) ids.push((await post({ amount, categoryId: groceries, occurredOn: `2026-11-${day}`, merchant: 'Corner Shop' })).id);
    const moved = await call('POST', '/expenses/bulk', { expenseIds: ids, action: { type: 'recategorize', categoryId: transport } });
    const deleted = await call('POST', '/expenses/bulk', { expenseIds: [ids[0]], action: { type: 'delete' } });
    await expectExact();
    expect((await call('POST', `/expenses/bulk/${deleted.undo.id}/undo`)).undone).toEqual([ids[0]]);
    // The first one's delete and restore gave it a new version: the recategorize's undo keeps it (changed).
    expect((await call('POST', `/expenses/bulk/${moved.undo.id}/undo`)).undone.sort()).toEqual([ids[1], ids[2]].sort());
    await expectExact();
    await call('POST', `/categories/${groceries}/reassign`, { to: transport });
    const rule = await call('POST', '/rules', { merchant: { contains: 'corner' }, categoryId: groceries });
    await call('POST', `/rules/${rule.id}/apply`, {}, { prefer: 'wait=20' });
    // Reassigned to Transport, then the rule put the three back in Groceries.
    for (const id of ids) expect((await call('GET', `/expenses/${id}`)).categoryId).toBe(groceries);
    await expectExact();
  });

  it('offline push: expense and income create, update, delete', async () => {
    const seed = await post({ amount: 60, categoryId: groceries, occurredOn: '2026-10-20' });
    const income = await call('POST', '/income', { amount: 5_000, receivedOn: '2026-10-25' });
    const pushed = await call('POST', '/changes', {
      mutations: [
        { op: 'create', id: '01JDZZ00000000000000002301', expense: { amount: 80, categoryId: transport, occurredOn: '2026-10-21' } },
        { op: 'update', id: seed.id, baseVersion: 1, patch: { amount: 65, occurredOn: '2026-11-20', categoryId: null } },
        { type: 'income', op: 'create', id: '01JDZZ00000000000000002302', income: { amount: 900, receivedOn: '2026-11-09' } },
        { type: 'income', op: 'update', id: income.id, baseVersion: 1, patch: { amount: 5_500, receivedOn: '2026-11-01' } },
      ],
    });
    expect(pushed.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    await call('POST', '/changes', {
      mutations: [
        { op: 'delete', id: '01JDZZ00000000000000002301', baseVersion: 1 },
        { type: 'income', op: 'delete', id: '01JDZZ00000000000000002302', baseVersion: 1 },
      ],
    });
    await expectExact();
  });

  it('income by hand: create, PATCH across months, DELETE, restore', async () => {
    const entry = await call('POST', '/income', { amount: 1_200, receivedOn: '2026-10-30' });
    await call('PATCH', `/income/${entry.id}`, { amount: 1_300, receivedOn: '2026-11-02' });
    await call('DELETE', `/income/${entry.id}`);
    await expectExact();
    await call('POST', `/income/${entry.id}/restore`);
    await expectExact();
  });

  it('recurring expense and income recorded (record-next)', async () => {
    const bill = await call('POST', '/recurring-expenses', { amount: 1_549, categoryId: transport, merchant: 'Netflix', schedule: { frequency: 'monthly', startsOn: '2026-10-10' } });
    await call('POST', `/recurring-expenses/${bill.id}/record-next`, {});
    const pay = await call('POST', '/recurring-income', { amount: 3_000, source: 'Employer', schedule: { frequency: 'monthly', startsOn: '2026-10-28' } });
    await call('POST', `/recurring-income/${pay.id}/record-next`, {});
    await expectExact();
  });

  it('CSV import (expenses and credits as income), merchant and tag renames, the import undone', async () => {
    const file = ['Date,Amount,Payee,Memo', '2026-10-12,-12.00,Bakery,bread', '2026-11-03,1800.00,Employer Ltd,Salary', '2026-11-05,-30.50,Grocer,food', ''].join('\n');
    const mapping = { dateColumn: 'Date', amountColumn: 'Amount', merchantColumn: 'Payee', descriptionColumn: 'Memo', amountSign: 'negativeIsSpending', credits: 'income' };
    const imported = await csv(file, mapping);
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({ status: 'succeeded', imported: 3, incomeImported: 1 });
    await expectExact();
    const renamed = await h.call('POST', `${base()}/merchants/rename`, { token: owner.token, body: { from: ['Bakery'], to: 'Baker' }, headers: { prefer: 'wait=20' } });
    expect(renamed.status, renamed.text).toBeLessThan(300);
    await call('PATCH', `/expenses/${(await h.listExpenses(budget, owner.token)).find((e) => e.merchant === 'Baker').id}`, { tags: ['bread'] });
    const tagRenamed = await h.call('POST', `${base()}/tags/rename`, { token: owner.token, body: { from: ['bread'], to: null }, headers: { prefer: 'wait=20' } });
    expect(tagRenamed.status, tagRenamed.text).toBeLessThan(300);
    await expectExact();
    const before = { expenses: (await h.listExpenses(budget, owner.token)).length, income: (await call('GET', '/income?limit=100')).items.length };
    const undone = await h.call('POST', `${base()}/imports/${imported.json.id}/undo`, { token: owner.token, headers: { prefer: 'wait=20' } });
    expect(undone.status, undone.text).toBeLessThan(300);
    expect(undone.json.undo).toMatchObject({ status: 'succeeded', removed: 2, kept: 1 });
    // The undo deleted the Grocer expense and the income entry (their own DELETE writes); the
    // renamed and tagged Bakery expense changed since the import, so the undo kept it.
    expect({ expenses: (await h.listExpenses(budget, owner.token)).length, income: (await call('GET', '/income?limit=100')).items.length }).toEqual({ expenses: before.expenses - 1, income: before.income - 1 });
    await expectExact();
  });

  it('a category removed from the budget: its spending counts as uncategorized in the summary, as in the list', async () => {
    const summary = await call('GET', '/summary?date=2026-11-15');
    expect(summary.spent).not.toBe(0);
    const categories = (await call('GET', '')).categories as { id: string; name: string; limit?: number }[];
    await call('PATCH', '', { categories: categories.filter((c) => c.id !== transport).map(({ id, name }) => ({ id, name })) });
    await expectExact();
  });
});
