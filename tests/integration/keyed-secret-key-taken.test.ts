import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { etagFor, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../support/actors';
import { appKeys } from '../support/app-keys';
import { withCommandMiddleware } from '../support/command-middleware';
import { keyedTransactionHeld, leaseTakenOverBeforeTransaction, racedByItsRetry } from '../support/lease-taken-over';
import { tableItems } from '../support/events';
import { captureLogLines } from '../support/log-lines';
import { commandsSentDuring, transactionSizesOf } from '../support/sent-commands';
import { createTestSystem, type TestSystem } from '../support/test-system';
import { withWritesThrottled } from '../support/throttled-writes';

/**
 * The keyed writes whose answer carries a secret or an upload ticket and that complete their
 * Idempotency-Key inside their own transaction (platform keyCompletion: the personal access
 * token create, the webhook create and secret rotation, the attachment declaration), their lease taken over
 * by their retry just before that transaction (tests/support/lease-taken-over.ts): the
 * completion's condition fails, the repository tells it from its own items' conditions by its
 * position in the transaction ('key-taken'), and the attempt answers 409 "in use by another
 * attempt" having written nothing. A position counted wrong answers a 500 or a wrong refusal.
 * Also: their transactions' sizes (unkeyed as before, keyed one item more), their answers sealed
 * at rest and replayed with no-store, a declaration refused at the cap leaving its ticket nowhere,
 * and each raced by its retry that committed first (the slower attempt answers the retry's).
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
const dir = mkdtempSync(join(tmpdir(), 'keyed-secret-'));
let t: TestSystem;
let alice: Actor;
let takeOver: ReturnType<typeof leaseTakenOverBeforeTransaction>;
let held: ReturnType<typeof keyedTransactionHeld>;

beforeAll(async () => {
  t = await createTestSystem({ clock, env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true', ATTACHMENTS_DIR: dir } });
  takeOver = leaseTakenOverBeforeTransaction(t.doc);
  held = keyedTransactionHeld(t.doc);
  alice = await signUp(t.app, 'alice');
});
afterAll(async () => {
  await t?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** The keyed request, its lease taken over just before its transaction: 409, nothing written. */
async function takenOver(path: string, label: string, body?: unknown) {
  takeOver.next();
  const res = await as(t.app, alice)('POST', path, { ...(body === undefined ? {} : { body }), headers: { 'idempotency-key': keyOf(label) } });
  expect(takeOver.pending()).toBe(false);
  expect(res.status, res.text).toBe(409);
  expect(res.json.detail).toMatch(/in use by another attempt/);
}

describe('a keyed write holding a secret or a ticket, its lease taken over before its transaction', () => {
  it('personal access token create: 409, no token', async () => {
    await takenOver('/v1/me/tokens', 'token', { name: 'Taken', scope: 'read' });
    expect((await as(t.app, alice)('GET', '/v1/me/tokens')).json.items).toEqual([]);
  });

  it('webhook create: 409, no webhook', async () => {
    await takenOver('/v1/webhooks', 'webhook-create', { url: 'http://127.0.0.1:9/taken', eventTypes: ['expense.recorded'] });
    const listed = (await as(t.app, alice)('GET', '/v1/webhooks')).json.items as { url: string }[];
    expect(listed.filter((w) => w.url === 'http://127.0.0.1:9/taken')).toEqual([]);
  });

  it('webhook create: its owner pinned as a watcher before the transaction is unpinned by the 409', async () => {
    // The pin (packages/budgets/docs/alerts.md "Event watchers") is ended only by the mark after the commit; a refusal
    // after the pin must end it too, or the owner stays listed on the budget with no webhook.
    const budget = await createBudget(t.app, alice);
    await takenOver('/v1/webhooks', 'webhook-create-pinned', { url: 'http://127.0.0.1:9/pinned', budgetIds: [budget.id], eventTypes: ['expense.recorded'] });
    const watch = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `budgets#watch#${budget.id}`, sk: 'budgets#watch' }, ConsistentRead: true }));
    expect(watch.Item?.pinned).toBeUndefined();
  });

  it('webhook create: a pin that failed on one budget ends those made on the others', async () => {
    const [one, two] = [await createBudget(t.app, alice), await createBudget(t.app, alice)];
    const res = await withCommandMiddleware(
      t.doc,
      'pinFailsOnTwo',
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: string }; UpdateExpression?: string };
        if (/^Update(Item)?Command$/.test(String(context.commandName)) && /ADD pinned/.test(input.UpdateExpression ?? '') && String(input.Key?.pk).endsWith(two.id)) {
          throw new Error('the pin failed');
        }
        return next(args);
      },
      () => as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/pin-failed', budgetIds: [one.id, two.id], eventTypes: ['expense.recorded'] }, headers: { 'idempotency-key': keyOf('webhook-pin-failed') } }),
    );
    expect(res.status, res.text).toBeGreaterThanOrEqual(500);
    const watch = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `budgets#watch#${one.id}`, sk: 'budgets#watch' }, ConsistentRead: true }));
    expect(watch.Item?.pinned).toBeUndefined();
  });

  it('webhook create: a transaction that failed (throttled) after the pin ends the pin too', async () => {
    const budget = await createBudget(t.app, alice);
    const url = 'http://127.0.0.1:9/pinned-throttled';
    const { result: res, attempts } = await withWritesThrottled(t.doc, url, () =>
      as(t.app, alice)('POST', '/v1/webhooks', { body: { url, budgetIds: [budget.id], eventTypes: ['expense.recorded'] }, headers: { 'idempotency-key': keyOf('webhook-create-throttled') } }),
    );
    expect(attempts).toBeGreaterThan(0);
    expect(res.status, res.text).toBeGreaterThanOrEqual(500);
    const watch = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `budgets#watch#${budget.id}`, sk: 'budgets#watch' }, ConsistentRead: true }));
    expect(watch.Item?.pinned).toBeUndefined();
  });

  it('webhook secret rotation: 409, the webhook not rotated', async () => {
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['expense.recorded'] } });
    expect(created.status, created.text).toBe(201);
    await takenOver(`/v1/webhooks/${created.json.id}/rotate-secret`, 'rotate');
    const after = await as(t.app, alice)('GET', `/v1/webhooks/${created.json.id}`);
    expect(after.headers.get('etag')).toBe(etagFor(1));
  });

  it('attachment declaration: 409, no attachment', async () => {
    const budget = await createBudget(t.app, alice);
    const expense = await as(t.app, alice)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 1_250, occurredOn: '2026-11-20', merchant: 'Corner Market' } });
    expect(expense.status, expense.text).toBe(201);
    const attachments = `/v1/budgets/${budget.id}/expenses/${expense.json.id}/attachments`;
    await takenOver(attachments, 'attachment', { contentType: 'image/png', size: 500 });
    expect((await as(t.app, alice)('GET', attachments)).json.items).toEqual([]);
  });
});

/**
 * The TransactWriteItems sizes and the other write commands `run` sent (its own async context).
 * A budget's write (`budgetWrite`) is counted without the caller's account check that may ride
 * along by timing (transactionSizesOf); the users module's own writes check the profile themselves.
 */
async function writesOf(run: () => Promise<{ status: number; text: string }>, status: number, budgetWrite = false) {
  const { result, sent } = await commandsSentDuring(t.doc, run);
  expect(result.status, result.text).toBe(status);
  const transactions = sent.filter((s) => s.name === 'TransactWriteItemsCommand');
  return {
    transactions: budgetWrite ? transactionSizesOf(transactions) : transactions.map((s) => (s.input.TransactItems as unknown[]).length),
    puts: sent.filter((s) => /^Put(Item)?Command$/.test(s.name)).length,
  };
}

/** The table's items, each as one JSON string (the secrets' clear forms are searched in them). */
const rawItems = async () => (await tableItems(t.doc, t.tableName)).map((i) => JSON.stringify(i));

describe('review: item counts, sealed answers, no ticket out of a failed declaration', () => {
  it('token create 4 / 5 items, rotation one Put / a transaction of 2, declaration 5 / 6, comment delete 4 (the writer guard)', async () => {
    const call = as(t.app, alice);
    // The token, its count, the profile's epoch and the security notice's unit (docs/security-notices.md);
    // the one Put is the inline relay's claim on that unit as it works it (test-system.ts relays units inline).
    expect(await writesOf(() => call('POST', '/v1/me/tokens', { body: { name: 'Counted', scope: 'read' } }), 201)).toMatchObject({ transactions: [4], puts: 1 });
    expect(await writesOf(() => call('POST', '/v1/me/tokens', { body: { name: 'Counted keyed', scope: 'read' }, headers: { 'idempotency-key': keyOf('count-token') } }), 201)).toMatchObject({ transactions: [5] });
    const hook = await call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/counted', eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    const rotate = `/v1/webhooks/${hook.json.id}/rotate-secret`;
    expect(await writesOf(() => call('POST', rotate), 200)).toEqual({ transactions: [], puts: 1 });
    expect(await writesOf(() => call('POST', rotate, { headers: { 'idempotency-key': keyOf('count-rotate') } }), 200)).toMatchObject({ transactions: [2], puts: 0 });
    const budget = await createBudget(t.app, alice);
    const expense = await call('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 900, occurredOn: '2026-11-20', merchant: 'Counted' } });
    expect(expense.status, expense.text).toBe(201);
    const attachments = `/v1/budgets/${budget.id}/expenses/${expense.json.id}/attachments`;
    expect(await writesOf(() => call('POST', attachments, { body: { contentType: 'image/png', size: 100 } }), 201, true)).toEqual({ transactions: [5], puts: 0 });
    expect(await writesOf(() => call('POST', attachments, { body: { contentType: 'image/png', size: 100 }, headers: { 'idempotency-key': keyOf('count-attachment') } }), 201, true)).toMatchObject({ transactions: [6] });
    const comment = await call('POST', `/v1/budgets/${budget.id}/expenses/${expense.json.id}/comments`, { body: { text: 'counted' } });
    expect(comment.status, comment.text).toBe(201);
    expect(await writesOf(() => call('DELETE', `/v1/budgets/${budget.id}/expenses/${expense.json.id}/comments/${comment.json.id}`), 204, true)).toEqual({ transactions: [4], puts: 0 });
  });

  it('a keyed token create and rotation leave no secret in clear in any item, and replay it with no-store / the same secret', async () => {
    const call = as(t.app, alice);
    const token = await call('POST', '/v1/me/tokens', { body: { name: 'Sealed', scope: 'read' }, headers: { 'idempotency-key': keyOf('sealed-token') } });
    expect(token.status, token.text).toBe(201);
    const hook = await call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/sealed', eventTypes: ['expense.recorded'] } });
    const rotated = await call('POST', `/v1/webhooks/${hook.json.id}/rotate-secret`, { headers: { 'idempotency-key': keyOf('sealed-rotate') } });
    expect(rotated.status, rotated.text).toBe(200);
    for (const raw of await rawItems()) {
      expect(raw).not.toMatch(/bgt_|whsec_/);
      expect(raw).not.toContain(String(token.json.token).slice(-20));
      expect(raw).not.toContain(String(rotated.json.secret).slice(-20));
    }
    const tokenReplay = await call('POST', '/v1/me/tokens', { body: { name: 'Sealed', scope: 'read' }, headers: { 'idempotency-key': keyOf('sealed-token') } });
    expect([tokenReplay.status, tokenReplay.json.token, tokenReplay.headers.get('cache-control')]).toEqual([201, token.json.token, 'no-store']);
    const rotateReplay = await call('POST', `/v1/webhooks/${hook.json.id}/rotate-secret`, { headers: { 'idempotency-key': keyOf('sealed-rotate') } });
    expect([rotateReplay.status, rotateReplay.json.secret, rotateReplay.headers.get('etag')]).toEqual([200, rotated.json.secret, etagFor(2)]);
    // The webhook's secret, as the token's, must not sit in any cache on the way: its creation,
    // its rotation (unkeyed, keyed) and their replays say no-store.
    expect([hook.headers.get('cache-control'), rotated.headers.get('cache-control'), rotateReplay.headers.get('cache-control')]).toEqual(['no-store', 'no-store', 'no-store']);
    const unkeyed = await call('POST', `/v1/webhooks/${hook.json.id}/rotate-secret`);
    expect([unkeyed.status, unkeyed.headers.get('cache-control')]).toEqual([200, 'no-store']);
    const createReplay = await call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/sealed-keyed', eventTypes: ['expense.recorded'] }, headers: { 'idempotency-key': keyOf('sealed-create') } });
    const createReplayed = await call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/sealed-keyed', eventTypes: ['expense.recorded'] }, headers: { 'idempotency-key': keyOf('sealed-create') } });
    expect([createReplay.headers.get('cache-control'), createReplayed.status, createReplayed.json.secret, createReplayed.headers.get('cache-control')]).toEqual(['no-store', 201, createReplay.json.secret, 'no-store']);
  });

  it('a keyed declaration refused at the cap (409) leaves its signed ticket nowhere: body, items, logs', async () => {
    const call = as(t.app, alice);
    const budget = await createBudget(t.app, alice);
    const expense = await call('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 700, occurredOn: '2026-11-20', merchant: 'Full' } });
    const attachments = `/v1/budgets/${budget.id}/expenses/${expense.json.id}/attachments`;
    for (let n = 0; n < 10; n++) expect((await call('POST', attachments, { body: { contentType: 'image/png', size: 100 } })).status).toBe(201);
    const signed = async () => (await rawItems()).filter((raw) => raw.includes('x-signature')).length;
    const before = await signed();
    const logs = captureLogLines();
    let refused;
    try {
      refused = await call('POST', attachments, { body: { contentType: 'image/png', size: 100 }, headers: { 'idempotency-key': keyOf('full-attachment') } });
    } finally {
      logs.restore();
    }
    expect(refused.status, refused.text).toBe(409);
    expect(refused.text).not.toMatch(/x-signature|upload/);
    expect(logs.lines.filter((l) => /x-signature/.test(l))).toEqual([]);
    expect(await signed()).toBe(before);
  });
});

describe('a keyed token create raced by its retry, which took the lease over and committed first', () => {
  it('the slower attempt answers the retry\'s token, and that token works (its secret not replaced)', async () => {
    const key = keyOf('token-raced');
    const send = () => as(t.app, alice)('POST', '/v1/me/tokens', { body: { name: 'Raced', scope: 'read' }, headers: { 'idempotency-key': key } });
    const { first, retry } = await racedByItsRetry(held, () => clock.advance(61_000), send);
    expect(retry.status, retry.text).toBe(201);
    expect([first.status, first.json.token]).toEqual([201, retry.json.token]);
    const used = await as(t.app, { token: retry.json.token })('GET', '/v1/budgets');
    expect(used.status, used.text).toBe(200);
  });
});

describe('a keyed rotation and declaration raced by their retry, which took the lease over and committed first', () => {
  /** The slower attempt answers exactly the retry's answer. */
  async function raced(path: string, label: string, body?: unknown) {
    const key = keyOf(label);
    const send = () => as(t.app, alice)('POST', path, { ...(body === undefined ? {} : { body }), headers: { 'idempotency-key': key } });
    const { first, retry } = await racedByItsRetry(held, () => clock.advance(61_000), send);
    expect(retry.status, retry.text).toBeLessThan(300);
    expect([first.status, first.text]).toEqual([retry.status, retry.text]);
    return retry;
  }

  it('webhook create: the retry\'s webhook and secret, created once', async () => {
    const created = await raced('/v1/webhooks', 'create-raced', { url: 'http://127.0.0.1:9/create-raced', eventTypes: ['expense.recorded'] });
    const listed = (await as(t.app, alice)('GET', '/v1/webhooks')).json.items as { id: string; url: string }[];
    expect(listed.filter((w) => w.url === 'http://127.0.0.1:9/create-raced').map((w) => w.id)).toEqual([created.json.id]);
  });

  it('rotation: the retry\'s secret, rotated once', async () => {
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/raced', eventTypes: ['expense.recorded'] } });
    const rotated = await raced(`/v1/webhooks/${created.json.id}/rotate-secret`, 'rotate-raced');
    expect(rotated.headers.get('etag')).toBe(etagFor(2));
    expect((await as(t.app, alice)('GET', `/v1/webhooks/${created.json.id}`)).headers.get('etag')).toBe(etagFor(2));
  });

  it('declaration: the retry\'s attachment and ticket, declared once', async () => {
    const budget = await createBudget(t.app, alice);
    const expense = await as(t.app, alice)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 300, occurredOn: '2026-11-20', merchant: 'Raced' } });
    const attachments = `/v1/budgets/${budget.id}/expenses/${expense.json.id}/attachments`;
    const declared = await raced(attachments, 'attachment-raced', { contentType: 'image/png', size: 100 });
    expect((await as(t.app, alice)('GET', attachments)).json.items.map((a: { id: string }) => a.id)).toEqual([declared.json.id]);
  });
});
