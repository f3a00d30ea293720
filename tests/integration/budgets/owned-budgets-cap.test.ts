import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OWNED_BUDGETS } from '../../../packages/budgets/src/model';
import { as, signUp, type Actor } from '../../support/actors';
import { withCommandMiddleware } from '../../support/command-middleware';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The cap on budgets one account owns (MAX_OWNED_BUDGETS, archived ones included): before it, one
 * account could create budgets without bound (each a budget item, a membership, report and
 * due-index entries). A count item moves in each create's and delete's transaction, so creates
 * racing at the cap cannot all pass.
 */
let t: TestSystem;
let alice: Actor;
let bob: Actor;
let carol: Actor;

beforeAll(async () => {
  t = await createTestSystem({ modules: ['users', 'budgets'] });
  [alice, bob, carol] = [await signUp(t.app, 'alice'), await signUp(t.app, 'bob'), await signUp(t.app, 'carol')];
});
afterAll(async () => {
  await t?.destroy();
});

const BUDGET = { name: 'Household', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000 };
const create = (actor: Actor) => as(t.app, actor)('POST', '/v1/budgets', { body: BUDGET });
const countKey = (actor: Actor) => ({ pk: `budgets#owner#${actor.id}`, sk: 'budgets#owned-count' });

async function fill(actor: Actor, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const res = await create(actor);
    expect(res.status, res.text).toBe(201);
    ids.push(res.json.id as string);
  }
  return ids;
}

describe('budgets per account', () => {
  it('refuses one past the cap with a 409 naming the limit, and takes one again after a delete', async () => {
    const ids = await fill(alice, MAX_OWNED_BUDGETS);
    const refused = await create(alice);
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain(`at most ${MAX_OWNED_BUDGETS} budgets`);
    // The typed refusal of a full collection, not the generic conflict: a client tells it by its type.
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: MAX_OWNED_BUDGETS, collection: 'budgets' });

    expect((await as(t.app, alice)('DELETE', `/v1/budgets/${ids[0]}`)).status).toBe(204);
    expect((await create(alice)).status).toBe(201);
    expectProblem(await create(alice), 409);
  }, 120_000);

  it('creates racing at the cap leave exactly the cap', async () => {
    await fill(bob, MAX_OWNED_BUDGETS - 2);
    const racers = await Promise.all([0, 1, 2, 3, 4, 5].map(() => create(bob)));
    const statuses = racers.map((r) => r.status).sort();
    expect(statuses, racers.map((r) => r.text).join('\n')).toEqual([201, 201, 409, 409, 409, 409]);
    expect((await t.doc.send(new GetCommand({ TableName: t.tableName, Key: countKey(bob), ConsistentRead: true }))).Item?.count).toBe(MAX_OWNED_BUDGETS);
  }, 120_000);

  it('an account whose budgets predate the count is counted from its memberships', async () => {
    const ids = await fill(carol, MAX_OWNED_BUDGETS - 1);
    // As before the count item existed: the budgets alone.
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: countKey(carol) }));
    expect((await create(carol)).status).toBe(201);
    expectProblem(await create(carol), 409);

    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: countKey(carol) }));
    expect((await as(t.app, carol)('DELETE', `/v1/budgets/${ids[0]}`)).status).toBe(204);
    expect((await create(carol)).status).toBe(201);
    expectProblem(await create(carol), 409);
  }, 120_000);
});

describe('budgets per account: the count started for an account older than it', () => {
  const countOf = async (actor: Actor) => (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: countKey(actor), ConsistentRead: true }))).Item?.count;

  it('counts only the budgets the account owns, not those of others it joined', async () => {
    const [dave, erin] = [await signUp(t.app, 'dave'), await signUp(t.app, 'erin')];
    await fill(dave, 2);
    for (const budgetId of await fill(erin, 3)) {
      const added = await as(t.app, erin)('POST', `/v1/budgets/${budgetId}/members`, { body: { email: dave.email, role: 'editor' } });
      expect(added.status, added.text).toBe(201);
    }
    // As before the count item existed: dave owns 2 and is a member of 3 more.
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: countKey(dave) }));
    expect((await create(dave)).status).toBe(201);
    expect(await countOf(dave)).toBe(3);
  });

  it('two first creates of an old account start the count once: the second start, landing after the first create, changes nothing', async () => {
    const frank = await signUp(t.app, 'frank');
    await fill(frank, MAX_OWNED_BUDGETS - 2);
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: countKey(frank) }));
    // The first create's start is held until a second create ran whole (started the count
    // from the same memberships, created its budget): the held start must then not overwrite.
    let second: Promise<{ status: number }> | undefined;
    await withCommandMiddleware(
      t.doc,
      'holdFirstStart',
      (next, context) => async (args) => {
        // The start: a Put of the count (in a transaction with the account's check since feat/races7).
        type Put = { Item?: { sk?: string; pk?: string } };
        const input = args.input as Put & { TransactItems?: { Put?: Put }[] };
        const puts = /^TransactWriteItems(Command)?$/.test(String(context.commandName)) ? (input.TransactItems ?? []).map((i) => i.Put ?? {}) : /^Put(Item)?Command$/.test(String(context.commandName)) ? [input] : [];
        const startsCount = puts.some(({ Item: item }) => item?.pk === countKey(frank).pk && item.sk === countKey(frank).sk);
        if (second === undefined && startsCount) {
          second = create(frank);
          expect((await second).status).toBe(201);
        }
        return next(args);
      },
      async () => {
        expect((await create(frank)).status).toBe(201);
      },
    );
    expect(second).toBeDefined();
    expect(await countOf(frank)).toBe(MAX_OWNED_BUDGETS);
    expectProblem(await create(frank), 409);
  }, 120_000);
});
