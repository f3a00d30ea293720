import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, tableItems, theEvent } from '../../support/events';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { holdingWrites } from '../../support/archive-race';
import { createHarness, type Budget, type Harness, type Team } from './harness';
import { importExpenses } from './seed';

/**
 * GET /v1/budgets/{budgetId}/expenses/duplicates and POST .../duplicates/dismiss through HTTP
 * (DynamoDB Local). The test clock is 2026-11-24 (UTC budget), so the default range is the 90
 * days 2026-08-27..2026-11-24. The budget's expenses, and the groups worked out by hand:
 *
 *   A  4599 2026-11-20 "Corner Market"  owner, by hand
 *   I  4599 2026-11-22 "CORNER MARKET"  editor, imported (needs review)   A-I: 2 days
 *   B1  700 2026-11-01 "Bakery", B2 700 2026-11-05 "Bakery"              4 days: no pair
 *   C1  350 2026-11-10 "Café Nero" owner, C2 350 2026-11-11 "CAFE  NERO" editor   a pair
 *   D1  200 2026-11-12 "Kiosk", D2 201 2026-11-12 "Kiosk"                different amounts
 *   E1  900 2026-11-14 (none), E2 900 2026-11-14 (none)                  no merchant
 *   F1 5000 2026-11-02, F2 11-05, F3 11-08 "Fuel Stop"                   a chain: one group
 *   T1 1500 2026-11-15, T2 11-16, T3 11-17 "Deli"                        three alike
 *   G1  100 2026-08-20, G2 08-21 "Old"                                   before the default range
 *
 * In the default range: 16 expenses (all but G1, G2). Groups, newest first by their newest date:
 * A-I (11-22), T1-T2-T3 (11-17), C1-C2 (11-11), F1-F2-F3 (11-08).
 */
let h: Harness;
let team: Team;
const ids: Record<string, string> = {};
const path = (b: { id: string }, query = '') => `/v1/budgets/${b.id}/expenses/duplicates${query}`;

async function list(query = '', token = team.owner.token, budget: { id: string } = team.budget): Promise<string[][]> {
  const res = await h.call('GET', path(budget, query), { token });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { expenses: { id: string }[] }[]).map((g) => g.expenses.map((e) => nameOf(e.id)));
}
const nameOf = (id: string) => Object.keys(ids).find((k) => ids[k] === id) ?? id;
const dismiss = (names: string[], token = team.owner.token, budget: { id: string } = team.budget) =>
  h.call('POST', path(budget, '/dismiss'), { token, body: { expenseIds: names.map((n) => ids[n] ?? n) } });

beforeAll(async () => {
  h = await createHarness();
  team = await h.team();
  const post = async (name: string, who: { token: string }, body: Record<string, unknown>) => {
    const res = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token: who.token, body });
    expect(res.status, res.text).toBe(201);
    ids[name] = res.json.id;
  };
  const spend = (name: string, amount: number, occurredOn: string, merchant?: string, who = team.owner) =>
    post(name, who, { amount, occurredOn, ...(merchant === undefined ? {} : { merchant }) });
  await spend('A', 4599, '2026-11-20', 'Corner Market');
  await spend('B1', 700, '2026-11-01', 'Bakery');
  await spend('B2', 700, '2026-11-05', 'Bakery');
  await spend('C1', 350, '2026-11-10', 'Café Nero');
  await spend('C2', 350, '2026-11-11', 'CAFE  NERO', team.editor);
  await spend('D1', 200, '2026-11-12', 'Kiosk');
  await spend('D2', 201, '2026-11-12', 'Kiosk');
  await spend('E1', 900, '2026-11-14');
  await spend('E2', 900, '2026-11-14');
  await spend('F1', 5000, '2026-11-02', 'Fuel Stop');
  await spend('F2', 5000, '2026-11-05', 'Fuel Stop');
  await spend('F3', 5000, '2026-11-08', 'Fuel Stop');
  await spend('T1', 1500, '2026-11-15', 'Deli');
  await spend('T2', 1500, '2026-11-16', 'Deli');
  await spend('T3', 1500, '2026-11-17', 'Deli');
  await spend('G1', 100, '2026-08-20', 'Old');
  await spend('G2', 100, '2026-08-21', 'Old');
  await importExpenses(h, team.budget, team.editor, [{ amount: 4599, occurredOn: '2026-11-22', categoryId: null, merchant: 'CORNER MARKET' }]);
  const imported = await h.call('GET', `/v1/budgets/${team.budget.id}/expenses?reviewed=false`, { token: team.owner.token });
  expect(imported.json.items).toHaveLength(1);
  ids.I = imported.json.items[0].id;
});
afterAll(() => h.destroy());

describe('possible duplicates', () => {
  it('the last 90 days by default: hand-entered and imported twins, folded merchants, a chain as one group; newest group first, each oldest first', async () => {
    const res = await h.call('GET', path(team.budget), { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ from: '2026-08-27', to: '2026-11-24', scanned: 16 });
    expect(res.json.items.map((g: { expenses: { id: string }[] }) => g.expenses.map((e) => nameOf(e.id)))).toEqual([
      ['A', 'I'],
      ['T1', 'T2', 'T3'],
      ['C1', 'C2'],
      ['F1', 'F2', 'F3'],
    ]);
    // Each expense as the list shows it: the imported twin needs review.
    const [a, i] = res.json.items[0].expenses;
    expect(a).toEqual((await h.call('GET', `/v1/budgets/${team.budget.id}/expenses/${ids.A}`, { token: team.owner.token })).json);
    expect(i).toMatchObject({ amount: 4599, occurredOn: '2026-11-22', merchant: 'CORNER MARKET', reviewed: false, createdBy: team.editor.id });
    expect(Object.keys(i).sort()).toEqual(Object.keys(a).sort());
  });

  it('any range: the August pair only when asked for; a range without pairs is empty', async () => {
    expect(await list('?from=2026-08-01&to=2026-08-31')).toEqual([['G1', 'G2']]);
    // 11-01..11-09: the chain and B1 (B2 too: 4 days after it, no pair).
    expect(await list('?from=2026-11-01&to=2026-11-09')).toEqual([['F1', 'F2', 'F3']]);
    // A range cuts a chain: only F2 and F3 are read.
    expect(await list('?from=2026-11-04&to=2026-11-09')).toEqual([['F2', 'F3']]);
    expect(await list('?from=2026-12-01&to=2026-12-31')).toEqual([]);
  });

  it('one list: the access BatchGetItem, the date index walk (one page) and ONE Query of the dismissed pairs', async () => {
    const { result, sent } = await commandsSentDuring(h.t.doc, () => h.call('GET', path(team.budget), { token: team.viewer.token }));
    expect(result.status, result.text).toBe(200);
    expect(sent.map((c) => c.name).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    expect(sent.filter((c) => c.name === 'QueryCommand').map((q) => q.input.IndexName ?? 'table').sort()).toEqual(['gsi1', 'table']);
  });

  it('a stranger and an unknown budget get 404, no token 401; a viewer lists but may not dismiss (403)', async () => {
    expect(await list('', team.viewer.token)).toHaveLength(4);
    expectProblem(await h.call('GET', path(team.budget), { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', path({ id: '01JDNOSUCHBUDGET0000000000' }), { token: team.owner.token }), 404);
    expectProblem(await h.call('GET', path(team.budget)), 401);
    expectProblem(await dismiss(['C1', 'C2'], team.viewer.token), 403);
    expectProblem(await dismiss(['C1', 'C2'], team.stranger.token), 404);
    expect(await list()).toHaveLength(4);
  });

  it('400s naming the field: a reversed or too long range, one end alone, an unknown parameter', async () => {
    const bad = async (query: string, field: string) => expectProblem(await h.call('GET', path(team.budget, query), { token: team.owner.token }), 400, [field]);
    await bad('?from=2026-11-02&to=2026-11-01', 'query.from');
    // 2025-11-01..2026-11-02: 367 days.
    await bad('?from=2025-11-01&to=2026-11-02', 'query.from');
    await bad('?from=2025-11-01&to=2026-11-02', 'query.to');
    await bad('?from=2026-11-01', 'query.to');
    await bad('?to=2026-11-01', 'query.from');
    await bad('?from=2026-02-30&to=2026-03-01', 'query.from');
    // 2025-11-24..2026-11-24: 366 days, the longest; the four groups and August's pair.
    expect(await list('?from=2025-11-24&to=2026-11-24')).toHaveLength(5);
  });

  it('past the bound on expenses examined: the breakdown\'s 422 naming from; at the bound the answer', async () => {
    const over = await call(h.expensesAppWith({ spending: { maxExpenses: 15 } }), 'GET', path(team.budget), { token: team.owner.token });
    expectProblem(over, 422, ['query.from']);
    const at = await call(h.expensesAppWith({ spending: { maxExpenses: 16 } }), 'GET', path(team.budget), { token: team.owner.token });
    expect(at.status, at.text).toBe(200);
    expect(at.json.scanned).toBe(16);
  });

  it('past the bound on expenses listed: 422 naming from; at it the answer (2 + 3 + 2 + 3 = 10 listed)', async () => {
    const over = await call(h.expensesAppWith({ duplicates: { maxListed: 9 } }), 'GET', path(team.budget), { token: team.owner.token });
    expectProblem(over, 422, ['query.from']);
    const at = await call(h.expensesAppWith({ duplicates: { maxListed: 10 } }), 'GET', path(team.budget), { token: team.owner.token });
    expect(at.status, at.text).toBe(200);
    expect(at.json.items).toHaveLength(4);
  });
});

describe('dismissing', () => {
  let budget: Budget;
  const spendIn = async (b: Budget, name: string, amount: number, occurredOn: string, merchant: string) => {
    const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: team.owner.token, body: { amount, occurredOn, merchant } });
    expect(res.status, res.text).toBe(201);
    ids[name] = res.json.id;
  };
  const dismissedItems = async (budgetId: string) =>
    (await tableItems(h.t.doc, h.t.tableName)).filter((i) => i.pk === `expenses#budget#${budgetId}` && String(i.sk).startsWith('expenses#dupdismissed#'));

  beforeAll(async () => {
    // A budget of its own, so the first describe's groups stay as they are.
    budget = await h.createBudget(team.owner);
    await h.addMember(budget, team.owner, team.editor, 'editor');
    await spendIn(budget, 'P1', 1200, '2026-11-10', 'Pharmacy');
    await spendIn(budget, 'P2', 1200, '2026-11-12', 'pharmacy');
    await spendIn(budget, 'Q1', 800, '2026-11-01', 'Deli');
    await spendIn(budget, 'Q2', 800, '2026-11-02', 'Deli');
    await spendIn(budget, 'Q3', 800, '2026-11-03', 'Deli');
    await spendIn(budget, 'R1', 300, '2026-11-05', 'Bar');
    await spendIn(budget, 'R2', 300, '2026-11-08', 'Bar');
    await spendIn(budget, 'R3', 300, '2026-11-11', 'Bar');
  });

  it('a dismissed pair is gone from the next list; again is 204 and writes nothing (idempotent)', async () => {
    expect(await list('', team.owner.token, budget)).toEqual([
      ['P1', 'P2'],
      ['R1', 'R2', 'R3'],
      ['Q1', 'Q2', 'Q3'],
    ]);
    const res = await dismiss(['P2', 'P1'], team.editor.token, budget);
    expect(res.status, res.text).toBe(204);
    expect(await list('', team.owner.token, budget)).toEqual([
      ['R1', 'R2', 'R3'],
      ['Q1', 'Q2', 'Q3'],
    ]);
    // One item, the smaller id first, who and when.
    const items = await dismissedItems(budget.id);
    const [lo, hi] = [ids.P1!, ids.P2!].sort();
    expect(items).toEqual([expect.objectContaining({ sk: `expenses#dupdismissed#${lo}#${hi}`, kind: 'duplicate-dismissed', dismissedBy: team.editor.id })]);
    const again = await commandsSentDuring(h.t.doc, () => dismiss(['P1', 'P2'], team.owner.token, budget));
    expect(again.result.status, again.result.text).toBe(204);
    expect(again.commands.filter((c) => c.startsWith('TransactWrite'))).toEqual([]);
    expect(await dismissedItems(budget.id)).toHaveLength(1);
  });

  it('20 ids (190 pairs) take two transactions: the second refused (archived meanwhile) keeps the first 98 pairs; the retry writes the other 92 in one, then nothing', async () => {
    // A budget of its own: 20 alike expenses, one group of 20 (190 pairs).
    const many = await h.createBudget(team.owner);
    const twenty: string[] = [];
    for (let i = 0; i < 20; i++) {
      await spendIn(many, `V${i}`, 250, '2026-11-20', 'Vending');
      twenty.push(ids[`V${i}`]!);
    }
    const pair = (a: number, b: number) => `expenses#dupdismissed#${[twenty[a]!, twenty[b]!].sort().join('#')}`;
    const send = () => h.call('POST', path(many, '/dismiss'), { token: team.owner.token, body: { expenseIds: twenty } });
    const groupSizes = async () => (await h.call('GET', path(many), { token: team.owner.token })).json.items.map((g: { expenses: unknown[] }) => g.expenses.length);
    expect(await groupSizes()).toEqual([20]);

    // Pairs go in the order of the ids sent (each with every later one), 98 a transaction: the
    // first holds V0's 19, V1's 18, V2's 17, V3's 16, V4's 15 (85) and V5 with V6..V18 (13); the
    // second starts at V5-V19 and ends at V18-V19. Only the second names V18-V19: held there
    // while the budget is archived, it fails on the writer's guard.
    const archive = async () => expect((await h.call('POST', `/v1/budgets/${many.id}/archive`, { token: team.owner.token })).status).toBe(200);
    const { result } = await holdingWrites(h.t, pair(18, 19), archive, send);
    expectProblem(result, 409);
    expect(result.json.type).toMatch(/budget-archived$/);
    const partial = (await dismissedItems(many.id)).map((i) => i.sk as string);
    expect(partial).toHaveLength(98);
    expect(partial).toEqual(expect.arrayContaining([pair(0, 1), pair(0, 19), pair(4, 19), pair(5, 6), pair(5, 18)]));
    expect(partial).not.toContain(pair(5, 19));
    expect(partial).not.toContain(pair(18, 19));

    // Unarchived, the same request completes it: the 92 pairs left, one transaction.
    expect((await h.call('POST', `/v1/budgets/${many.id}/unarchive`, { token: team.owner.token })).status).toBe(200);
    const retry = await commandsSentDuring(h.t.doc, send);
    expect(retry.result.status, retry.result.text).toBe(204);
    expect(retry.commands.filter((c) => c.startsWith('TransactWrite'))).toHaveLength(1);
    const all = (await dismissedItems(many.id)).map((i) => i.sk as string);
    expect(all).toHaveLength(190);
    expect(all).toEqual(expect.arrayContaining([pair(5, 19), pair(18, 19), ...partial]));
    expect(await groupSizes()).toEqual([]);
    // And again: nothing left to write.
    const again = await commandsSentDuring(h.t.doc, send);
    expect(again.result.status, again.result.text).toBe(204);
    expect(again.commands.filter((c) => c.startsWith('TransactWrite'))).toEqual([]);
  });

  it('three alike with one pair dismissed keep the others; a chain loses the dismissed link; every pair dismissed: gone', async () => {
    // Q1-Q2 dismissed: Q1-Q3 and Q2-Q3 still join all three.
    expect((await dismiss(['Q1', 'Q2'], team.owner.token, budget)).status).toBe(204);
    expect(await list('', team.owner.token, budget)).toEqual([
      ['R1', 'R2', 'R3'],
      ['Q1', 'Q2', 'Q3'],
    ]);
    // R2-R3 dismissed: R1-R2 left (R1-R3 are 6 days apart, never a pair).
    expect((await dismiss(['R2', 'R3'], team.owner.token, budget)).status).toBe(204);
    expect(await list('', team.owner.token, budget)).toEqual([['R1', 'R2'], ['Q1', 'Q2', 'Q3']]);
    // All three Delis at once (Q1-Q2 again, Q1-Q3, Q2-Q3): the group is gone.
    expect((await dismiss(['Q3', 'Q1', 'Q2'], team.owner.token, budget)).status).toBe(204);
    expect(await list('', team.owner.token, budget)).toEqual([['R1', 'R2']]);
    // 1 (P) + 1 (Q1-Q2) + 1 (R2-R3) + 2 new of the three Delis.
    expect(await dismissedItems(budget.id)).toHaveLength(5);
  });

  it('400 naming expenseIds: fewer than 2, one sent twice, an unknown id or another budget\'s expense (nothing stored)', async () => {
    const before = (await dismissedItems(budget.id)).length;
    expectProblem(await dismiss(['P1'], team.owner.token, budget), 400, ['expenseIds']);
    expectProblem(await dismiss(['R1', 'R1'], team.owner.token, budget), 400, ['expenseIds.1']);
    expectProblem(await dismiss(['R1', '01JDNOSUCHEXPENSE000000000'], team.owner.token, budget), 400, ['expenseIds']);
    // A of the first budget is no expense of this one.
    expectProblem(await dismiss(['R1', 'A'], team.owner.token, budget), 400, ['expenseIds']);
    expectProblem(await h.call('POST', path(budget, '/dismiss'), { token: team.owner.token, body: {} }), 400, ['expenseIds']);
    expect(await dismissedItems(budget.id)).toHaveLength(before);
  });

  it('past the cap on dismissed pairs: 422 naming expenseIds, nothing stored', async () => {
    // 5 pairs stored; a cap of 6 takes R1-R3 (one new) but not then R1 with P1 and P2 (two new: P1-P2 is stored).
    const app = h.expensesAppWith({ duplicates: { maxDismissedPairs: 6 } });
    const post = (names: string[]) => call(app, 'POST', path(budget, '/dismiss'), { token: team.owner.token, body: { expenseIds: names.map((n) => ids[n]) } });
    expect((await post(['R1', 'R3'])).status).toBe(204);
    expectProblem(await post(['R1', 'P1', 'P2']), 422, ['expenseIds']);
    expect(await dismissedItems(budget.id)).toHaveLength(6);
  });

  it('at the cap, the pairs of deleted expenses are forgotten first: Q3 deleted frees Q1-Q3 and Q2-Q3', async () => {
    // Stored (6): P1-P2, Q1-Q2, Q1-Q3, Q2-Q3, R2-R3, R1-R3. R1 with P1 and P2 adds R1-P1 and R1-P2.
    const app = h.expensesAppWith({ duplicates: { maxDismissedPairs: 6 } });
    const post = (names: string[]) => call(app, 'POST', path(budget, '/dismiss'), { token: team.owner.token, body: { expenseIds: names.map((n) => ids[n]) } });
    expect((await h.call('DELETE', `/v1/budgets/${budget.id}/expenses/${ids.Q3}`, { token: team.owner.token })).status).toBe(204);
    expect((await post(['R1', 'P1', 'P2'])).status).toBe(204);
    const pair = (a: string, b: string) => `expenses#dupdismissed#${[ids[a]!, ids[b]!].sort().join('#')}`;
    const stored = (await dismissedItems(budget.id)).map((i) => i.sk).sort();
    expect(stored).toEqual(
      [pair('P1', 'P2'), pair('Q1', 'Q2'), pair('R2', 'R3'), pair('R1', 'R3'), pair('R1', 'P1'), pair('R1', 'P2')].sort(),
    );
    // Full again with nothing deleted: still the 422.
    expectProblem(await post(['Q1', 'P1']), 422, ['expenseIds']);
  });

  it("budget.deleted's cleanup removes the dismissed pairs with the expenses", async () => {
    const doomed = await h.createBudget(team.owner);
    await spendIn(doomed, 'X1', 100, '2026-11-01', 'Shop');
    await spendIn(doomed, 'X2', 100, '2026-11-02', 'Shop');
    expect((await dismiss(['X1', 'X2'], team.owner.token, doomed)).status).toBe(204);
    expect(await dismissedItems(doomed.id)).toHaveLength(1);
    expect((await h.call('DELETE', `/v1/budgets/${doomed.id}`, { token: team.owner.token })).status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: doomed.id }));
    expect(await dismissedItems(doomed.id)).toEqual([]);
    expect(await dismissedItems(budget.id)).toHaveLength(6);
  });
});
