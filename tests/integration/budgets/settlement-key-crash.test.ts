import { beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { addMember, as, clockSuite, createBudget } from './helpers';

/**
 * A keyed settle-up payment whose answer was lost: the process died right after its transaction
 * committed (tests/support/crash-after-commit.ts). The payment takes a fresh id on every attempt
 * (no id reserved by the key), so a retry that ran again once the lease was over recorded the
 * payment a second time; its key is completed with the 201 INSIDE the payment's transaction
 * (platform keyCompletion), so the retry replays the first answer and records nothing.
 */
const suite = clockSuite('2026-11-10T12:00:00Z', ['sam']);
let crash: ReturnType<typeof crashAfterCommit>;
beforeAll(() => {
  crash = crashAfterCommit(suite.accounts.t.doc);
});

describe('a keyed settlement whose answer was lost (crash after the commit)', () => {
  it('retried once the lease ran out: the first 201 (body, Location, ETag), recorded once', async () => {
    const { t, owner, sam } = suite.accounts;
    const budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    const path = `/v1/budgets/${budgetId}/settlements`;
    const key = appKeys(suite.clock)('settlement');
    const body = { fromUserId: sam.id, toUserId: owner.id, amount: 12_500, paidOn: '2026-11-09' };
    const record = () => as(t.app, owner)('POST', path, { body, headers: { 'idempotency-key': key } });

    const lost = await crash.during(record);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const listed = await as(t.app, owner)('GET', path);
    expect(listed.json.items).toHaveLength(1);
    const url = `${path}/${listed.json.items[0].id}`;
    const original = await as(t.app, owner)('GET', url);

    suite.clock.advance(61_000);
    const retry = await record();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(original.json);
    expect(retry.headers.get('location')).toBe(url);
    expect(retry.headers.get('etag')).toBe(original.headers.get('etag'));
    expect((await as(t.app, owner)('GET', path)).json.items).toHaveLength(1);
  });
});
