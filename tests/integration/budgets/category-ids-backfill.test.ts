import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { holdingFirstWrite } from '../../support/holding-commands';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The operator job `budgets-category-ids-backfill`: a budget item written before `categoryIds`
 * (2026-11-30) and not PATCHed since has none, and the categories check of the writes that
 * name a category (BudgetsFacade.categoriesCheck) lets such an item pass whatever it names. The
 * job gives it the ids of its own categories, only when it has none and only at the version it
 * read, so a PATCH in between wins.
 *
 * A legacy item is faked as checked-create.test.ts does: the item as written now, its
 * `categoryIds` removed.
 *
 * No case here for the removal race of settings-plans-races.test.ts on a legacy item: it is held
 * without the job (tried: the create in flight is the 400 all the same), because the PATCH that
 * removes the category writes `categoryIds` itself. What the job changes is tested instead: the
 * ids themselves, and the one-request create's check passing again.
 */
const JOB = 'budgets-category-ids-backfill';
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock: fixedClock('2026-12-06T12:00:00Z') });
  owner = await signUp(t.app, 'backfill-owner');
});
afterAll(() => t.destroy());

const api = (method: string, url: string, body?: unknown) => as(t.app, owner)(method, url, body === undefined ? {} : { body });
const key = (budgetId: string) => ({ pk: `budgets#budget#${budgetId}`, sk: 'budgets#budget' });
const rawBudget = async (budgetId: string) => (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key(budgetId), ConsistentRead: true }))).Item!;
const runJob = () => t.system.jobs.plan(JOB, new Date('2026-12-06T12:00:00Z'), { logger: t.system.deps.logger });

/** A budget with Gym and Other, stored as before 2026-11-30: no `categoryIds`. */
async function legacyBudget(name: string) {
  const budget = await createBudget(t.app, owner, { name, currency: 'EUR', timezone: 'UTC', categories: [{ name: 'Gym' }, { name: 'Other' }] });
  const [gym, other] = budget.categories as { id: string; name: string }[];
  await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: key(budget.id), UpdateExpression: 'REMOVE categoryIds' }));
  expect((await rawBudget(budget.id)).categoryIds).toBeUndefined();
  return { budgetId: budget.id as string, gym: gym!, other: other! };
}

describe('budgets-category-ids-backfill', { timeout: 120_000 }, () => {
  it("gives a legacy budget item its categories' ids, nothing else of it changed", async () => {
    const { budgetId, gym, other } = await legacyBudget('Legacy');
    const before = await rawBudget(budgetId);
    await runJob();
    expect(await rawBudget(budgetId)).toEqual({ ...before, categoryIds: [gym.id, other.id] });
  });

  it('writes nothing to a budget that has its ids (a second run, or one written since): same item, same version', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Current', categories: [{ name: 'Food' }] });
    const before = await rawBudget(budget.id);
    expect(before.categoryIds).toEqual([budget.categories[0]!.id]);
    await runJob();
    const { sent } = await commandsSentDuring(t.doc, runJob);
    expect(await rawBudget(budget.id)).toEqual(before);
    // Not even a write of the same ids: no write names the budget item.
    const writes = sent.filter((c) => /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(c.name));
    expect(writes.filter((c) => JSON.stringify(c.input).includes(key(budget.id).pk))).toEqual([]);
  });

  it('a PATCH between the read and the write wins: the ids are those of the PATCHed categories', async () => {
    const { budgetId, other } = await legacyBudget('Raced');
    const version = (await rawBudget(budgetId)).version as number;
    let patched: { status: number; text: string; json: any } | undefined;
    // Only the back-fill's write names `categoryIds` (every other budget of this table has its ids already).
    await holdingFirstWrite(t, 'categoryIds', async () => (patched = await api('PATCH', `/v1/budgets/${budgetId}`, { categories: [{ id: other.id, name: other.name }, { name: 'Pets' }] })), runJob);
    expect(patched?.status, patched?.text).toBe(200);
    const pets = (patched!.json.categories as { id: string; name: string }[]).find((c) => c.name === 'Pets')!;
    const after = await rawBudget(budgetId);
    expect([after.categoryIds, after.version]).toEqual([[other.id, pets.id], version + 1]);
  });

  it("after it, a legacy budget's create naming a category takes the one-transaction path again (its writeChecks pass)", async () => {
    const { budgetId, gym } = await legacyBudget('One trip');
    await runJob();
    const { result, commands } = await commandsSentDuring(t.doc, () => api('POST', `/v1/budgets/${budgetId}/expenses`, { amount: 40_00, occurredOn: '2026-12-05', categoryId: gym.id }));
    expect(result.status, result.text).toBe(201);
    // One checked transaction, the last command. Without the ids it is refused, and the access
    // read and a second transaction follow (checked-create.test.ts).
    expect(commands.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(1);
    expect(commands.at(-1)).toBe('TransactWriteItemsCommand');
  });
});
