import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WEBHOOKS_PER_USER } from '../../../packages/webhooks/src/service/webhooks.service';
import { as, signUp, type Actor } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The cap on webhooks per account (MAX_WEBHOOKS_PER_USER) holds under concurrency: a count item
 * moves in each create's and delete's transaction, so creates racing at the cap cannot all pass
 * (a count of the list before the write let every racer through).
 */
let t: TestSystem;
let alice: Actor;
let bob: Actor;
let carol: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  [alice, bob, carol] = [await signUp(t.app, 'alice'), await signUp(t.app, 'bob'), await signUp(t.app, 'carol')];
});
afterAll(async () => {
  await t?.destroy();
});

const url = (n: number) => `https://93.184.215.14/hooks/${n}`;
const create = (actor: Actor, n: number) => as(t.app, actor)('POST', '/v1/webhooks', { body: { url: url(n) } });
const listed = async (actor: Actor) => ((await as(t.app, actor)('GET', '/v1/webhooks')).json.items as unknown[]).length;

async function fill(actor: Actor, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const res = await create(actor, n);
    expect(res.status, res.text).toBe(201);
    ids.push(res.json.id as string);
  }
  return ids;
}

describe('webhooks per account', () => {
  it(`refuses webhook number ${MAX_WEBHOOKS_PER_USER + 1} with a 409 naming the limit, and takes one again after a delete`, async () => {
    const ids = await fill(alice, MAX_WEBHOOKS_PER_USER);
    const refused = await create(alice, 99);
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain(`at most ${MAX_WEBHOOKS_PER_USER} webhooks`);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: MAX_WEBHOOKS_PER_USER, collection: 'webhooks' });
    expect(await listed(alice)).toBe(MAX_WEBHOOKS_PER_USER);

    expect((await as(t.app, alice)('DELETE', `/v1/webhooks/${ids[0]}`)).status).toBe(204);
    expect((await create(alice, 100)).status).toBe(201);
    expectProblem(await create(alice, 101), 409);
  });

  it('creates racing at the cap leave exactly the cap', async () => {
    await fill(bob, MAX_WEBHOOKS_PER_USER - 2);
    const racers = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => create(bob, 200 + n)));
    const statuses = racers.map((r) => r.status).sort();
    expect(statuses, racers.map((r) => r.text).join('\n')).toEqual([201, 201, 409, 409, 409, 409]);
    expect(await listed(bob)).toBe(MAX_WEBHOOKS_PER_USER);
  });

  it('an account whose webhooks predate the count is counted from its list, on create and on delete', async () => {
    const ids = await fill(carol, MAX_WEBHOOKS_PER_USER - 1);
    // As before the count item existed: the webhooks alone.
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: `webhooks#owner#${carol.id}`, sk: 'webhooks#count' } }));
    expect((await create(carol, 50)).status).toBe(201);
    expectProblem(await create(carol, 51), 409);

    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: `webhooks#owner#${carol.id}`, sk: 'webhooks#count' } }));
    expect((await as(t.app, carol)('DELETE', `/v1/webhooks/${ids[0]}`)).status).toBe(204);
    expect((await create(carol, 52)).status).toBe(201);
    expectProblem(await create(carol, 53), 409);
    expect(await listed(carol)).toBe(MAX_WEBHOOKS_PER_USER);
  });
});
