import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The reads of ALL of a budget's recurring expenses (the yearly costs, the bill status, the price
 * changes, the bill finder's covered merchants, an import's bill matching) against DynamoDB
 * Local, when the definitions do not fit in one Query page: a split definition with 50 parts,
 * each with a 500-character description (all within the API's bounds), is about 30 KB, so 40 of
 * them pass the 1 MB DynamoDB returns at most per Query, far below the cap of 500 a budget.
 * Every definition counts, not only those of the first page.
 */
const DEFINITIONS = 40;
let t: TestSystem;
let owner: Actor;
let budgetId: string;
const clock = fixedClock('2026-11-24T12:00:00Z');

const part = (n: number) => ({ categoryId: null, amount: 200, description: `${String(n).padStart(3, '0')} ${'p'.repeat(496)}` });

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'owner');
  budgetId = (await createBudget(t.app, owner, { currency: 'EUR', timezone: 'UTC' })).id;
  for (let n = 0; n < DEFINITIONS; n++) {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/recurring-expenses`, {
      body: {
        amount: 10_000,
        merchant: `Biller ${n}`,
        description: 'd'.repeat(500),
        splits: Array.from({ length: 50 }, (_, i) => part(i)),
        schedule: { frequency: 'monthly', startsOn: '2026-11-30' },
      },
    });
    expect(res.status, res.text).toBe(201);
  }
}, 120_000);
afterAll(() => t?.destroy());

describe('reading every recurring expense of a budget past one 1 MB page', { timeout: 60_000 }, () => {
  it('the list pages them all (the reference)', async () => {
    const first = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/recurring-expenses?limit=100`);
    expect(first.status, first.text).toBe(200);
    let count = first.json.items.length;
    let cursor = first.json.nextCursor as string | null;
    while (cursor) {
      const next = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/recurring-expenses?limit=100&cursor=${encodeURIComponent(cursor)}`);
      count += next.json.items.length;
      cursor = next.json.nextCursor;
    }
    expect(count).toBe(DEFINITIONS);
  });

  it('the yearly costs count every definition', async () => {
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/recurring-expenses/costs`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toHaveLength(DEFINITIONS);
    // 12 monthly dates (2026-11-30 .. 2027-10-30) of 10,000 each.
    expect(res.json.totals.yearly).toBe(DEFINITIONS * 12 * 10_000);
  });

  it('the bill status lists every definition with a date in the period', async () => {
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/recurring-expenses/status`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toHaveLength(DEFINITIONS);
    expect(res.json.totals.counts.due).toBe(DEFINITIONS);
  });

  it('the price changes look at every definition', async () => {
    // The next to last definition's merchant (on the last page), paid twice at a new price by hand.
    for (const occurredOn of ['2026-10-30', '2026-11-23']) {
      const paid = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/expenses`, { body: { amount: 12_000, occurredOn, merchant: `Biller ${DEFINITIONS - 2}` } });
      expect(paid.status, paid.text).toBe(201);
    }
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/recurring-expenses/price-changes`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.map((i: { merchant: string; newAmount: number }) => [i.merchant, i.newAmount])).toEqual([[`Biller ${DEFINITIONS - 2}`, 12_000]]);
  });

  it('the bill finder leaves out the merchant of every definition', async () => {
    // The last definition's merchant (on the last page) paid monthly by hand: covered, not suggested.
    for (const occurredOn of ['2026-08-30', '2026-09-30', '2026-10-30']) {
      const paid = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/expenses`, { body: { amount: 10_000, occurredOn, merchant: `Biller ${DEFINITIONS - 1}` } });
      expect(paid.status, paid.text).toBe(201);
    }
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/recurring-expenses/suggestions`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toEqual([]);
  });
});
