import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { createHarness, type Harness, type Team } from './harness';

/**
 * A merchant or an income's source of only invisible characters (zero width space, bidi marks)
 * was stored, and listed among the merchants as a name that shows nothing: it is refused with a
 * 400 naming the field, as a tag of them is (an empty text still means "none"). A merchant that
 * differs from another only by such a character is the same merchant in the list.
 */
let h: Harness;
let team: Team;
beforeAll(async () => {
  h = await createHarness();
  team = await h.team();
});
afterAll(() => h.destroy());

const INVISIBLE = ['\u200b', '\u200e\u200f', '\u202e', '\u00ad\u3164'];
const send = (method: string, path: string, body: unknown) => h.call(method, `/v1/budgets/${team.budget.id}${path}`, { token: team.owner.token, body });

describe('text of only invisible characters', { timeout: 60_000 }, () => {
  it('is refused as a merchant (expense and recurring expense, create and PATCH) and as a source (income and recurring income)', async () => {
    const expense = await send('POST', '/expenses', { amount: 100, merchant: 'Shop' });
    expect(expense.status, expense.text).toBe(201);
    const recurring = await send('POST', '/recurring-expenses', { amount: 100, merchant: 'Landlord', schedule: { frequency: 'monthly' } });
    expect(recurring.status, recurring.text).toBe(201);
    for (const text of INVISIBLE) {
      expectProblem(await send('POST', '/expenses', { amount: 100, merchant: text }), 400, ['merchant']);
      expectProblem(await send('PATCH', `/expenses/${expense.json.id}`, { merchant: text }), 400, ['merchant']);
      expectProblem(await send('POST', '/recurring-expenses', { amount: 100, merchant: text, schedule: { frequency: 'monthly' } }), 400, ['merchant']);
      expectProblem(await send('PATCH', `/recurring-expenses/${recurring.json.id}`, { merchant: text }), 400, ['merchant']);
      expectProblem(await send('POST', '/income', { amount: 100, source: text }), 400, ['source']);
      expectProblem(await send('POST', '/recurring-income', { amount: 100, source: text, schedule: { frequency: 'monthly' } }), 400, ['source']);
    }
    // An empty text still means none.
    const none = await send('POST', '/expenses', { amount: 100, merchant: '' });
    expect(none.status, none.text).toBe(201);
    expect(none.json.merchant).toBeUndefined();
  });

  it('does not make a second merchant in the list: "Shop" and "Shop" + a right-to-left mark are one', async () => {
    for (const merchant of ['Cafe Nord', 'Cafe Nord\u200f']) expect((await send('POST', '/expenses', { amount: 100, merchant })).status).toBe(201);
    const list = await h.call('GET', `/v1/budgets/${team.budget.id}/merchants`, { token: team.owner.token });
    expect(list.status, list.text).toBe(200);
    const cafes = (list.json.items as { merchant: string; count: number }[]).filter((m) => m.merchant.startsWith('Cafe Nord'));
    expect(cafes).toHaveLength(1);
    expect(cafes[0]!.count).toBe(2);
  });
});
