import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor, type CreatedBudget } from '../../support/actors';
import { tableItems } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The deleted-account check rides in the route's access BatchGetItem (platform
 * dynamo/request-reads.ts): one request for the account, the budget and the membership. What
 * must still hold: a deleted account's token writes nothing, even on a route whose access
 * read succeeds (its budget and membership are still there until user.deleted is handled).
 */
let t: TestSystem;
let gone: Actor;
let budget: CreatedBudget;
let expenseId: string;
/** Each command sent: its name, the partition keys a BatchGetItem reads, the ConditionChecks a transaction carries. */
const sent: { command: string; keys: string[]; checks: string[] }[] = [];

beforeAll(async () => {
  t = await createTestSystem();
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { RequestItems?: Record<string, { Keys?: { pk: string }[] }>; TransactItems?: { ConditionCheck?: { Key: { pk: string } } }[] };
      const keys = Object.values(input.RequestItems ?? {}).flatMap((r) => (r.Keys ?? []).map((k) => String(k.pk)));
      const checks = (input.TransactItems ?? []).flatMap((i) => (i.ConditionCheck ? [String(i.ConditionCheck.Key.pk)] : []));
      sent.push({ command: String(context.commandName), keys, checks });
      return next(args);
    },
    { step: 'initialize', name: 'requestLog' },
  );
  gone = await signUp(t.app, 'gone');
  budget = await createBudget(t.app, gone, { name: 'Home', limit: 10_000 });
  expenseId = (await addExpense(t.app, gone, budget.id, { amount: 500, occurredOn: '2026-11-20' })).id;
});
afterAll(() => t.destroy());

const expenseItems = async () => (await tableItems(t.doc, t.tableName)).filter((i) => String(i.pk).startsWith(`expenses#`)).map((i) => `${i.pk} ${i.sk} ${i.version ?? ''}`).sort();

describe('the account check of a request', () => {
  it('travels in the access BatchGetItem: account, budget and membership in one request', async () => {
    sent.length = 0;
    const res = await as(t.app, gone)('GET', `/v1/budgets/${budget.id}/expenses/${expenseId}`);
    expect(res.status, res.text).toBe(200);
    expect(sent.map((s) => s.command)).toEqual(['BatchGetItemCommand']);
    const prefixes = sent[0]!.keys.map((pk) => pk.split('#').slice(0, 2).join('#')).sort();
    expect(prefixes).toEqual(['budgets#budget', 'budgets#budget', 'expenses#budget', 'users#user']);
  });

  it("stops every write of a deleted account's request: 401 and nothing written, though the budget still lets it in", async () => {
    expect((await as(t.app, gone)('DELETE', '/v1/me')).status).toBe(204);
    const before = await expenseItems();
    sent.length = 0;
    const created = await as(t.app, gone)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 700, occurredOn: '2026-11-21' } });
    const patched = await as(t.app, gone)('PATCH', `/v1/budgets/${budget.id}/expenses/${expenseId}`, { body: { amount: 900 } });
    const deleted = await as(t.app, gone)('DELETE', `/v1/budgets/${budget.id}/expenses/${expenseId}`);
    expect([created.status, patched.status, deleted.status]).toEqual([401, 401, 401]);
    expect(created.json.detail).toBe('The account of this access token no longer exists, or its session was ended (signed out, or a password change or reset).');
    // No write was sent that could commit: only reads, or a create's transaction carrying the
    // account check as a ConditionCheck of the profile (a create whose change counter this
    // process knows sends no read first, and the check rides its write; it fails there).
    const writes = sent.filter((s) => !/^(BatchGetItem|GetItem|Query)Command$/.test(s.command));
    for (const w of writes) expect(w, w.command).toMatchObject({ command: 'TransactWriteItemsCommand', checks: expect.arrayContaining([`users#user#${gone.id}`]) });
    expect(await expenseItems()).toEqual(before);
  });
});
