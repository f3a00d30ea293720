import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../support/actors';
import { deliver, theEvent } from '../support/events';
import { expectProblem } from '../support/problem';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * Round 20's audit of the capped collections' REMOVALS (docs/capacity.md "What one account can
 * grow", "How an item leaves, and its place"): for the ways an item leaves by a cascade (an
 * expense deleted and restored, a member removed and added back, a member's account deleted),
 * the places come back: the collection fills up to its cap again, and no further. The API
 * deletes, the abandoned upload, the moved payment and the expired invitation have their tests
 * next to their modules' (the table names them). Caps lowered through the modules' options;
 * one system, one budget and its members, set up once.
 */
const CAP = 2;
let t: TestSystem;
let dir: string;
let owner: Actor;
let editor: Actor;
let budgetId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cap-places-'));
  t = await createTestSystem({
    env: { ATTACHMENTS_DIR: dir },
    expenses: { comments: { maxPerExpense: CAP }, attachments: { maxPerExpense: CAP }, calendarFeeds: { maxPerMember: CAP } },
  });
  [owner, editor] = (await Promise.all(['owner', 'editor'].map((label) => signUp(t.app, label)))) as [Actor, Actor];
  budgetId = (await createBudget(t.app, owner)).id;
  await addMember(t.app, owner, budgetId, editor, 'editor');
});
afterAll(async () => {
  await t.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** `make` CAP times (each a 201), then once more: the limit-reached 409 naming `collection`. */
async function fillsToTheCap(collection: string, make: () => Promise<Parameters<typeof expectProblem>[0]>): Promise<void> {
  for (let i = 0; i < CAP; i++) {
    const res = await make();
    expect(res.status, `${collection} #${i + 1}: ${res.text}`).toBe(201);
  }
  const over = await make();
  expectProblem(over, 409);
  expect(over.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', limit: CAP, collection });
}

describe('places given back by a cascade', () => {
  it("an expense deleted (expense.deleted delivered) and restored: its comments' and receipts' places are free again", async () => {
    const expenseId = (await addExpense(t.app, editor, budgetId, { amount: 1_250, occurredOn: '2026-11-20' })).id;
    const base = `/v1/budgets/${budgetId}/expenses/${expenseId}`;
    const comment = () => as(t.app, editor)('POST', `${base}/comments`, { body: { text: 'receipt in the glovebox' } });
    const receipt = () => as(t.app, editor)('POST', `${base}/attachments`, { body: { contentType: 'image/webp', size: 100 } });
    await fillsToTheCap('comments', comment);
    await fillsToTheCap('attachments', receipt);

    expect((await as(t.app, editor)('DELETE', base)).status).toBe(204);
    await deliver(t, await theEvent(t, 'expense.deleted', { expenseId }));
    const restored = await as(t.app, editor)('POST', `${base}/restore`);
    expect(restored.status, restored.text).toBe(200);

    await fillsToTheCap('comments', comment);
    await fillsToTheCap('attachments', receipt);
  });

  it('a member removed (budget.member_removed delivered) and added back: their calendar feeds\' places are free again', async () => {
    const leaver = await signUp(t.app, 'leaver');
    await addMember(t.app, owner, budgetId, leaver, 'viewer');
    const feed = () => as(t.app, leaver)('POST', `/v1/budgets/${budgetId}/calendar-feeds`);
    await fillsToTheCap('calendarFeeds', feed);

    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budgetId}/members/${leaver.id}`)).status).toBe(204);
    await deliver(t, await theEvent(t, 'budget.member_removed', { budgetId, userId: leaver.id }));
    await addMember(t.app, owner, budgetId, leaver, 'viewer');

    await fillsToTheCap('calendarFeeds', feed);
  });

  it("a member's account deleted (user.deleted delivered): their place in the budget's member count is free again", async () => {
    const [leaving, next, onePast] = await Promise.all(['leaving', 'next', 'one-past'].map((label) => signUp(t.app, label)));
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, leaving!, 'editor');
    // The owner and `leaving` are stored; the count says the budget is one short of full (50 members).
    await t.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { pk: `budgets#budget#${budget.id}`, sk: 'budgets#budget' }, UpdateExpression: 'SET memberCount = :n', ExpressionAttributeValues: { ':n': 50 } }),
    );
    expect((await as(t.app, leaving!)('DELETE', '/v1/me')).status).toBe(204);
    await deliver(t, await theEvent(t, 'user.deleted', { userId: leaving!.id }));

    const add = (who: Actor) => as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: who.email, role: 'viewer' } });
    const added = await add(next!);
    expect(added.status, added.text).toBe(201);
    const over = await add(onePast!);
    expectProblem(over, 409);
    expect(over.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', limit: 50, collection: 'members' });
  });
});
