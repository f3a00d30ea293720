import { KeyOwnershipError, ModuleStore } from '@budgeting/platform';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { materializeFixture, REPO_ROOT } from './support/fixtures';
import { findForeignKeyPrefixes } from './support/key-prefixes';

/**
 * Check 2: a module's data access uses only its own key prefixes. Statically (no module
 * names another module's prefix or takes another module's store) and at run time (the
 * ModuleStore refuses any key without the module's prefix before a request is sent). That
 * modules cannot go around the ModuleStore is checked in dependency-rules.test.ts.
 */
describe('2b. key prefixes in the source', () => {
  it('the real modules use only their own prefixes and stores', () => {
    expect(findForeignKeyPrefixes(REPO_ROOT)).toEqual([]);
  });

  it('fails on foreign prefixes, foreign stores and non-literal store names', () => {
    const fixture = materializeFixture('foreign-key-prefix');
    try {
      const found = findForeignKeyPrefixes(fixture.root).map((f) => `${f.file}:${f.line} ${f.problem}`);
      expect(found).toEqual([
        'packages/users/src/peek.ts:8 key literal with the "budgets#" prefix of module budgets',
        'packages/users/src/peek.ts:9 key literal with the "expenses#" prefix of module expenses',
        "packages/users/src/peek.ts:10 storeFor('budgets') gives users the store of another module",
        'packages/users/src/peek.ts:11 key literal with the "budgets#" prefix of module budgets',
        "packages/users/src/peek.ts:12 ModuleStore('expenses') gives users the store of another module",
        'packages/users/src/peek.ts:13 storeFor() with a module name that is not a literal',
      ]);
      // Lines 15-16 use users' own prefix and store: not reported.
    } finally {
      fixture.remove();
    }
  });
});

describe('2c. the ModuleStore at run time', () => {
  const budgetsKey = { pk: 'budgets#budget#01J', sk: 'budgets#budget#01J' };
  const usersKey = { pk: 'users#user#01J', sk: 'users#profile' };

  function usersStore() {
    const send = vi.fn(async () => ({}));
    const doc = { send } as unknown as DynamoDBDocumentClient;
    return { store: new ModuleStore('users', doc, 'table'), send };
  }

  const foreign: [string, (s: ModuleStore) => Promise<unknown>][] = [
    ['get', (s) => s.get({ Key: budgetsKey })],
    ['get with a foreign sort key', (s) => s.get({ Key: { pk: usersKey.pk, sk: 'budgets#member#u1' } })],
    ['put', (s) => s.put({ Item: { ...budgetsKey, name: 'x' } })],
    ['put with a foreign GSI key', (s) => s.put({ Item: { ...usersKey, gsi1pk: 'budgets#owner#u1', gsi1sk: 'users#x' } })],
    ['update', (s) => s.update({ Key: budgetsKey, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } })],
    ['delete', (s) => s.delete({ Key: budgetsKey })],
    [
      'query',
      (s) => s.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'budgets#budget#01J' } }),
    ],
    [
      'query on an index with a foreign sort-key condition',
      (s) =>
        s.query({
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :sk)',
          ExpressionAttributeValues: { ':pk': 'users#email#a@b.c', ':sk': 'budgets#' },
        }),
    ],
    ['transactWrite (Put)', (s) => s.transactWrite([{ Put: { Item: { ...usersKey } } }, { Put: { Item: { ...budgetsKey } } }])],
    ['transactWrite (Update)', (s) => s.transactWrite([{ Update: { Key: budgetsKey, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } } }])],
    ['transactWrite (Delete)', (s) => s.transactWrite([{ Delete: { Key: budgetsKey } }])],
    ['transactWrite (ConditionCheck)', (s) => s.transactWrite([{ ConditionCheck: { Key: budgetsKey, ConditionExpression: 'attribute_exists(pk)' } }])],
    ['batchGet', (s) => s.batchGet([usersKey, budgetsKey])],
    ['batchDelete', (s) => s.batchDelete([budgetsKey])],
  ];

  it.each(foreign)('a users store refuses budgets# keys: %s, and sends nothing', async (_name, use) => {
    const { store, send } = usersStore();
    await expect(use(store)).rejects.toBeInstanceOf(KeyOwnershipError);
    expect(send).not.toHaveBeenCalled();
  });

  it('a users store sends requests for its own keys (so the refusals above are about the prefix)', async () => {
    const { store, send } = usersStore();
    await store.get({ Key: usersKey });
    await store.put({ Item: { ...usersKey, gsi1pk: store.key('email', 'a@b.c'), gsi1sk: store.key('user') } });
    await store.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': usersKey.pk } });
    await store.transactWrite([{ Put: { Item: { ...usersKey } } }, { Delete: { Key: { pk: store.key('x'), sk: store.key('y') } } }]);
    expect(send).toHaveBeenCalledTimes(4);
    expect(store.key('user', '01J')).toBe('users#user#01J');
  });

  it("a users store's scanSegment keeps only users# items, whatever the caller filters, and refuses what slips through", async () => {
    const { store, send } = usersStore();
    await store.scanSegment({ segment: 1, totalSegments: 4, limit: 10, filter: 'kind = :k OR #n = :n', names: { '#n': 'name' }, values: { ':k': 'x', ':n': 'y' } });
    const input = (send.mock.calls[0] as unknown as [{ input: Record<string, any> }])[0].input;
    expect(input.FilterExpression).toBe('begins_with(#modulePk, :modulePrefix) AND (kind = :k OR #n = :n)');
    expect(input.ExpressionAttributeNames).toEqual({ '#n': 'name', '#modulePk': 'pk' });
    expect(input.ExpressionAttributeValues).toEqual({ ':k': 'x', ':n': 'y', ':modulePrefix': 'users#' });
    expect([input.Segment, input.TotalSegments, input.Limit]).toEqual([1, 4, 10]);
    send.mockResolvedValueOnce({ Items: [{ ...budgetsKey }] } as never);
    await expect(store.scanSegment({ segment: 0, totalSegments: 1, limit: 10 })).rejects.toBeInstanceOf(KeyOwnershipError);
  });

  it("a users store carries an Update the budgets store built on its own key (ownerUpdate), but not a copy of it, and ownerUpdate checks the owner's prefix", async () => {
    const { store, send } = usersStore();
    const budgets = new ModuleStore('budgets', { send: vi.fn() } as unknown as DynamoDBDocumentClient, 'table');
    const update = budgets.ownerUpdate({ Key: budgetsKey, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } });
    await store.transactWrite([{ Put: { Item: { ...usersKey } } }, update]);
    expect(send).toHaveBeenCalledTimes(1);
    await expect(store.transactWrite([{ Update: { ...update.Update! } }])).rejects.toBeInstanceOf(KeyOwnershipError);
    expect(() => budgets.ownerUpdate({ Key: usersKey, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } })).toThrow(KeyOwnershipError);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('a prefix is not fooled by a module whose name starts the same way', async () => {
    const { store, send } = usersStore();
    await expect(store.get({ Key: { pk: 'usersx#user#1', sk: 'usersx#user#1' } })).rejects.toBeInstanceOf(KeyOwnershipError);
    expect(send).not.toHaveBeenCalled();
  });
});
