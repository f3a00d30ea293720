import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etagFor, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../support/actors';
import { appKeys } from '../support/app-keys';
import { leaseTakenOverBeforeTransaction } from '../support/lease-taken-over';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * The keyed writes whose answer carries a secret or an upload ticket and that complete their
 * Idempotency-Key inside their own transaction (platform keyCompletion: the personal access
 * token create, the webhook secret rotation, the attachment declaration), their lease taken over
 * by their retry just before that transaction (tests/support/lease-taken-over.ts): the
 * completion's condition fails, the repository tells it from its own items' conditions by its
 * position in the transaction ('key-taken'), and the attempt answers 409 "in use by another
 * attempt" having written nothing. A position counted wrong answers a 500 or a wrong refusal.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
const dir = mkdtempSync(join(tmpdir(), 'keyed-secret-'));
let t: TestSystem;
let alice: Actor;
let takeOver: ReturnType<typeof leaseTakenOverBeforeTransaction>;

beforeAll(async () => {
  t = await createTestSystem({ clock, env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true', ATTACHMENTS_DIR: dir } });
  takeOver = leaseTakenOverBeforeTransaction(t.doc);
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
