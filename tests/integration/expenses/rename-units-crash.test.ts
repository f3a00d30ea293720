import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp } from '../../support/actors';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { relayStreamOnce } from '../../support/stream-relay-once';
import { createFanOutSystem } from '../jobs/support';

/**
 * A merchant rename whose process dies right after its record's transaction committed
 * (tests/support/crash-after-commit.ts). Its unit 0 is an item of that transaction (platform
 * queuedUnitPut, packages/expenses/docs/merchants-and-tags.md "Renaming a merchant"), so the table stream's relay that runs after the
 * crash (the local stream poller, the same relay code as the Lambda's stream trigger) still
 * queues it and the rename runs. Before (stop 54) unit 0 was queued after the commit: the crash
 * left the rename queued until its stall window failed it.
 */
describe('a merchant rename after a crash right after its commit', { timeout: 180_000 }, () => {
  let s: Awaited<ReturnType<typeof createFanOutSystem>>;
  beforeAll(async () => {
    s = await createFanOutSystem({ concurrency: 1, stream: true });
  });
  afterAll(() => s?.t.destroy());

  it('no retry: the relay queues its unit 0 and the expense is renamed', async () => {
    const owner = await signUp(s.t.app, 'rename-crash-owner');
    const api = as(s.t.app, owner);
    const b = await createBudget(s.t.app, owner);
    const expense = await api('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 900, occurredOn: '2026-11-10', merchant: 'AMZN MKTP' } });
    expect(expense.status, expense.text).toBe(201);

    const crash = crashAfterCommit(s.t.doc, 'crashAfterRenameCommit');
    const lost = await crash.during(() => api('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['AMZN MKTP'], to: 'Amazon' } }));
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    await s.queue.idle();
    expect((await api('GET', `/v1/budgets/${b.id}/expenses/${expense.json.id}`)).json.merchant).toBe('AMZN MKTP');

    await relayStreamOnce(s.t);
    await s.queue.idle();
    expect((await api('GET', `/v1/budgets/${b.id}/expenses/${expense.json.id}`)).json.merchant).toBe('Amazon');
  });
});
