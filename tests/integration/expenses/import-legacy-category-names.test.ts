import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type User } from './harness';

/**
 * Categories named before nameKey folded compatibility forms (d6a881bc): a budget stored then
 * may hold "Food" and fullwidth "Ｆｏｏｄ", two names then, one key now. A CSV row names one of
 * them exactly (as the export wrote it): it is filed there, not in whichever of the two the
 * folded key met last.
 */
let h: Harness;
let owner: User;

beforeAll(async () => {
  h = await createHarness();
  ({ owner } = await h.team({ categories: ['Groceries'] }));
});
afterAll(() => h.destroy());

describe('CSV import into a budget with two categories under one nameKey', { timeout: 120_000 }, () => {
  it('files each row under the category it names exactly', async () => {
    const b = await h.createBudget(owner, { categories: ['Food', 'Fud'] });
    const [food, wide] = b.categories;
    // As the code before stored it: the second category named fullwidth "Ｆｏｏｄ".
    const key = { pk: `budgets#budget#${b.id}`, sk: 'budgets#budget' };
    const item = (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: key, ConsistentRead: true }))).Item!;
    item.categories[1].name = 'Ｆｏｏｄ';
    await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: item }));

    const csv = 'date,amount,category,description,merchant\n2026-11-01,1.00,Food,,\n2026-11-02,2.00,Ｆｏｏｄ,,\n';
    const res = await h.call('POST', `/v1/budgets/${b.id}/expenses/import`, { token: owner.token, rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.imported).toBe(2);
    const byAmount = Object.fromEntries((await h.listExpenses(b, owner.token)).map((e) => [e.amount, e.categoryId]));
    expect(byAmount).toEqual({ 100: food!.id, 200: wide!.id });
  });
});
