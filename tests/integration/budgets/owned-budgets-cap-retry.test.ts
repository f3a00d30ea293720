import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_OWNED_BUDGETS } from '../../../packages/budgets/src/model';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { as, clockSuite, createBudget } from './helpers';

/**
 * A keyed create (here a copy, whose create is its first of several transactions) is not refused
 * before its transaction: its retry must find the budget its first attempt committed and finish
 * it, also when that budget is the one that filled the owner's count (MAX_OWNED_BUDGETS). A 409
 * there would leave a half-made copy the client was told does not exist.
 */
const suite = clockSuite('2026-12-06T12:00:00Z', ['sam']);
let crash: ReturnType<typeof crashAfterCommit>;
beforeAll(() => {
  crash = crashAfterCommit(suite.accounts.t.doc);
});

const countKey = (userId: string) => ({ pk: `budgets#owner#${userId}`, sk: 'budgets#owned-count' });

describe('a keyed copy retried after its create filled the owner\'s count', () => {
  it('the retry finishes the same copy (201), not a 409 at the cap', async () => {
    const { t, owner, sam } = suite.accounts;
    const call = as(t.app, owner);
    const source = await createBudget(t.app, owner, { name: 'Cap source' });
    const added = await call('POST', `/v1/budgets/${source.id}/members`, { body: { email: sam.email, role: 'editor' } });
    expect(added.status, added.text).toBe(201);
    // As if the owner had MAX_OWNED_BUDGETS - 1 budgets: the copy takes the last place.
    await t.doc.send(new UpdateCommand({
      TableName: t.tableName,
      Key: countKey(owner.id),
      UpdateExpression: 'SET #count = :n',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':n': MAX_OWNED_BUDGETS - 1 },
    }));
    const key = appKeys(suite.clock)('copy');
    const copy = () => call('POST', `/v1/budgets/${source.id}/copy`, { body: { name: 'Cap copy', include: { members: true } }, headers: { 'idempotency-key': key } });

    const lost = await crash.during(copy);
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const count = async () => (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: countKey(owner.id), ConsistentRead: true }))).Item?.count;
    expect(await count()).toBe(MAX_OWNED_BUDGETS);

    suite.clock.advance(61_000);
    const retry = await copy();
    expect(retry.status, retry.text).toBe(201);
    const copies = (await call('GET', '/v1/budgets?limit=100')).json.items as { id: string; name: string }[];
    expect(copies.filter((b) => b.name === 'Cap copy').map((b) => b.id)).toEqual([retry.json.id]);
    expect(((await call('GET', `/v1/budgets/${retry.json.id as string}/members`)).json.items as unknown[])).toHaveLength(2);
    // Counted once.
    expect(await count()).toBe(MAX_OWNED_BUDGETS);
  });
});
