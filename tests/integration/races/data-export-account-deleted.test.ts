import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A data export started (POST /v1/me/export) while its account is deleted (DELETE /v1/me, then
 * user.deleted's cleanups). The start read the export gate (which carried the request's account
 * check) before the deletion; its transaction (the export, the gate, the job's units) is held
 * until the deletion and its cleanups ran. The invariant: nothing of the export outlives the
 * account: no export item, no gate (it has no TTL: it would be kept for ever), no unit that would
 * assemble a document of a deleted account after the exports cleanup ran.
 */
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem();
});
afterAll(() => t?.destroy());

async function deleteAccount(user: Actor) {
  const res = await as(t.app, user)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));
}

/** The export items, the gate and the export job's queued units naming the user. */
async function exportsOf(user: Actor) {
  const items = await tableItems(t.doc, t.tableName);
  return items.filter((i) => JSON.stringify(i).includes(user.id) && /export/.test(`${i.kind} ${i.sk}`) && !/cleanup/.test(JSON.stringify(i))).map((i) => `${i.kind} ${i.sk}`);
}

describe('a data export against its account being deleted', { timeout: 120_000 }, () => {
  it('the start written after the deletion and its cleanups writes nothing (401)', async () => {
    const ada = await signUp(t.app, 'ada');
    // The start's transaction is the only write naming the gate's kind; the deletion's does not.
    const started = await holdingFirstWrite(t, 'data-export-gate', () => deleteAccount(ada), () => as(t.app, ada)('POST', '/v1/me/export'));
    // A problem+json 401, as the auth middleware answers a deleted account's token.
    expectProblem(started, 401);
    expect(await exportsOf(ada)).toEqual([]);
  });

  it('(control) a living account starts its export: the export, its gate and its units', async () => {
    const bea = await signUp(t.app, 'bea');
    const started = await as(t.app, bea)('POST', '/v1/me/export');
    expect(started.status, started.text).toBe(202);
    expect((await exportsOf(bea)).length).toBeGreaterThanOrEqual(2);
  });
});
