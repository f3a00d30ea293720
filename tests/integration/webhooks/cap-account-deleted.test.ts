import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A deleted account's webhooks go (webhooks-on-users), and with them the count item that holds
 * the cap of MAX_WEBHOOKS_PER_USER (`webhooks#owner#<userId>` / `webhooks#count`): nothing of the
 * account is left in its partition, redelivered or not.
 */
let t: TestSystem;
beforeAll(async () => {
  t = await createTestSystem();
});
afterAll(() => t?.destroy());

describe('webhooks per account: the account deleted', () => {
  it('removes its webhooks and their count', async () => {
    const alice = await signUp(t.app, 'alice');
    const call = as(t.app, alice);
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const res = await call('POST', '/v1/webhooks', { body: { url: `https://93.184.215.14/hooks/${n}` } });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id as string);
    }
    expect((await call('DELETE', `/v1/webhooks/${ids[0]}`)).status).toBe(204);
    const partition = async () => (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `webhooks#owner#${alice.id}`).map((i) => i.sk).sort();
    expect(await partition()).toEqual(['webhooks#count', `webhooks#webhook#${ids[1]}`].sort());

    expect((await call('DELETE', '/v1/me')).status).toBe(204);
    const userDeleted = await theEvent(t, 'user.deleted', { userId: alice.id });
    await deliver(t, userDeleted);
    expect(await partition()).toEqual([]);
    await deliver(t, userDeleted);
    expect(await partition()).toEqual([]);
  });
});
