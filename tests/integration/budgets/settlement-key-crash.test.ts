import { beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { keyedTransactionHeld, leaseTakenOverBeforeTransaction } from '../../support/lease-taken-over';
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
let takeOver: ReturnType<typeof leaseTakenOverBeforeTransaction>;
let held: ReturnType<typeof keyedTransactionHeld>;
beforeAll(() => {
  crash = crashAfterCommit(suite.accounts.t.doc);
  takeOver = leaseTakenOverBeforeTransaction(suite.accounts.t.doc);
  held = keyedTransactionHeld(suite.accounts.t.doc);
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

describe('a keyed settlement completing its key inside its transaction', () => {
  it('replayed: exactly the first answer (status, body, Content-Type, Location, ETag), recorded once', async () => {
    const { t, owner, sam } = suite.accounts;
    const budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    const path = `/v1/budgets/${budgetId}/settlements`;
    const headers = { 'idempotency-key': appKeys(suite.clock)('settlement-replayed') };
    const body = { fromUserId: sam.id, toUserId: owner.id, amount: 4_200, note: 'replayed' };
    const first = await as(t.app, owner)('POST', path, { body, headers });
    expect(first.status, first.text).toBe(201);
    const replay = await as(t.app, owner)('POST', path, { body, headers });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    for (const name of ['content-type', 'location', 'etag']) expect(replay.headers.get(name), name).toBe(first.headers.get(name));
    expect((await as(t.app, owner)('GET', path)).json.items).toHaveLength(1);
  });

  it('its lease taken over by its retry before the transaction: 409 "in use", nothing recorded (the completion told from the payment\'s own items)', async () => {
    const { t, owner, sam } = suite.accounts;
    const budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    const path = `/v1/budgets/${budgetId}/settlements`;
    takeOver.next();
    const res = await as(t.app, owner)('POST', path, { body: { fromUserId: sam.id, toUserId: owner.id, amount: 4_300 }, headers: { 'idempotency-key': appKeys(suite.clock)('settlement-taken') } });
    expect(takeOver.pending()).toBe(false);
    expect(res.status, res.text).toBe(409);
    expect(res.json.detail).toMatch(/in use by another attempt/);
    expect((await as(t.app, owner)('GET', path)).json.items).toHaveLength(0);
  });

  it("taken over by its retry, which recorded first: the slower attempt answers the key's answer, one payment", async () => {
    const { t, owner, sam } = suite.accounts;
    const budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    const path = `/v1/budgets/${budgetId}/settlements`;
    const options = { body: { fromUserId: sam.id, toUserId: owner.id, amount: 4_400 }, headers: { 'idempotency-key': appKeys(suite.clock)('settlement-raced') } };
    const atTransaction = held.hold();
    const slow = as(t.app, owner)('POST', path, options);
    await atTransaction;
    suite.clock.advance(61_000);
    const retry = await as(t.app, owner)('POST', path, options);
    expect(retry.status, retry.text).toBe(201);
    held.release();
    const first = await slow;
    expect(first.status, first.text).toBe(201);
    expect(first.text).toBe(retry.text);
    expect(first.headers.get('location')).toBe(retry.headers.get('location'));
    expect((await as(t.app, owner)('GET', path)).json.items).toHaveLength(1);
  });
});

describe('a keyed correction (PATCH) of a payment whose answer was lost (crash after the commit)', () => {
  it('retried once the lease ran out, after a later correction: the first 200 replayed, the later amount kept', async () => {
    const { t, owner, sam } = suite.accounts;
    const budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    const recorded = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/settlements`, { body: { fromUserId: sam.id, toUserId: owner.id, amount: 4_000, paidOn: '2026-11-09' } });
    expect(recorded.status, recorded.text).toBe(201);
    const url = `/v1/budgets/${budgetId}/settlements/${recorded.json.id}`;
    const key = appKeys(suite.clock)('settlement-change');
    const correct = () => as(t.app, owner)('PATCH', url, { body: { amount: 4_500 }, headers: { 'idempotency-key': key } });

    const lost = await crash.during(correct);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const first = await as(t.app, owner)('GET', url);
    expect(first.json).toMatchObject({ amount: 4_500, version: 2 });
    // Corrected again meanwhile (another device): 5,000.
    const later = await as(t.app, owner)('PATCH', url, { body: { amount: 5_000 } });
    expect(later.status, later.text).toBe(200);

    suite.clock.advance(61_000);
    const retry = await correct();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(retry.headers.get('location')).toBe(url);
    // The later correction stands: the retry wrote nothing.
    expect((await as(t.app, owner)('GET', url)).json).toEqual(later.json);
  });
});
