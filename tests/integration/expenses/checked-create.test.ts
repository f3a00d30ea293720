import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Harness, type Team } from './harness';

/**
 * POST expense with the day named takes the one-round-trip path: no read before the write, the
 * transaction itself checks the caller's role, the budget's existence, the category and the
 * currency (BudgetsFacade.writeChecks) and the bearer's account (platform deferGuard). Each
 * refusal must still be the precise one the read-first path gives, with nothing written, and
 * the checks must follow the budget's settings as they change.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team();
});
afterAll(() => h.destroy());

const path = () => `/v1/budgets/${team.budget.id}/expenses`;
const post = (token: string, body: Record<string, unknown>) => h.call('POST', path(), { token, body: { occurredOn: '2026-11-20', ...body } });
const amounts = async () => (await h.listExpenses(team.budget, team.owner.token)).map((e) => e.amount as number).sort((a, b) => a - b);

describe('POST expense checked inside its transaction', { timeout: 120_000 }, () => {
  it('refuses a viewer (403), a stranger (404), a foreign category and currency (400 naming the field), writing nothing', async () => {
    expectProblem(await post(team.viewer.token, { amount: 101 }), 403);
    expectProblem(await post(team.stranger.token, { amount: 102 }), 404);
    expectProblem(await post(team.editor.token, { amount: 103, categoryId: 'no-such-category' }), 400, ['categoryId']);
    expectProblem(await post(team.editor.token, { amount: 104, currency: 'EUR' }), 400, ['currency']);
    expect(await amounts()).toEqual([]);
  });

  it('records an editor expense in a category of the budget in one transaction', async () => {
    const { result: res, commands } = await commandsSentDuring(h.t.doc, () =>
      post(team.editor.token, { amount: 105, categoryId: team.budget.categories[0]!.id, currency: 'USD' }),
    );
    expect(res.status, res.text).toBe(201);
    // One transaction, or the change number read first when this process has not written the
    // expense's change shard yet (see idempotent-create.test.ts); never the access read.
    expect(commands.at(-1)).toBe('TransactWriteItemsCommand');
    expect(commands.length).toBeLessThanOrEqual(2);
    expect(await amounts()).toEqual([105]);
  });

  it('follows the budget: a category added by PATCH is accepted at once, a removed one refused', async () => {
    const budget = (await h.call('GET', `/v1/budgets/${team.budget.id}`, { token: team.owner.token })).json;
    const [kept] = budget.categories as { id: string; name: string }[];
    const patched = await h.call('PATCH', `/v1/budgets/${team.budget.id}`, {
      token: team.owner.token,
      headers: { 'if-match': `"${budget.version}"` },
      body: { categories: [kept, { name: 'Pets' }] },
    });
    expect(patched.status, patched.text).toBe(200);
    const pets = (patched.json.categories as { id: string; name: string }[]).find((c) => c.name === 'Pets')!;
    const removed = team.budget.categories[1]!.id;

    expect((await post(team.editor.token, { amount: 106, categoryId: pets.id })).status).toBe(201);
    expectProblem(await post(team.editor.token, { amount: 107, categoryId: removed }), 400, ['categoryId']);
    expect(await amounts()).toEqual([105, 106]);
  });

  it('a budget stored before the checks existed (no categoryIds) still takes categorized expenses, through the read-first path', async () => {
    const key = { pk: `budgets#budget#${team.budget.id}`, sk: 'budgets#budget' };
    await h.t.doc.send(new UpdateCommand({ TableName: h.t.tableName, Key: key, UpdateExpression: 'REMOVE categoryIds' }));
    const { result: res, commands } = await commandsSentDuring(h.t.doc, () => post(team.editor.token, { amount: 108, categoryId: team.budget.categories[0]!.id }));
    expect(res.status, res.text).toBe(201);
    // The checked transaction was refused (nothing written), then the access read and the write.
    expect(commands.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(2);
    expect(commands).toContain('BatchGetItemCommand');
    expect(await amounts()).toEqual([105, 106, 108]);
  });
});
