import { fixedClock } from '@budgeting/platform';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, theEvent } from '../../support/events';
import { createFanOutSystem } from '../jobs/support';
import { startReceiver, type Receiver, type Received } from './receiver';

/**
 * budget.overspend_projected (a pace alert), expense.import_undo_finished (a run of an
 * import's undo ended) and income.recorded / income.deleted reach a registered webhook as signed deliveries, with the payload the
 * webhooks README documents (`data.event` the domain event as docs/events.md has it), through
 * the real path: the webhooks fan-out, the in-process delivery queue (the stand-in of SQS, same
 * worker), the real HTTP poster and a receiver on loopback. The system's clock is fixed (a pace
 * needs a day past a quarter of the period), so the signature is checked with the
 * `standardwebhooks` package's own `sign` at the header's timestamp: its `verify` refuses a
 * timestamp five minutes away from the machine's clock.
 */
const clock = fixedClock('2026-11-15T12:00:00Z');
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let alice: Actor;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  s = await createFanOutSystem({ clock, env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' }, expenses: { csv: { chunkRows: 2 } } });
  alice = await signUp(s.t.app, 'hook-alice');
});
afterAll(async () => {
  await s?.t.destroy();
  await receiver?.close();
});

async function register(path: string, body: Record<string, unknown>) {
  const res = await as(s.t.app, alice)('POST', '/v1/webhooks', { body: { url: receiver.url(path), ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; secret: string };
}

/** The payload, after checking each signature the header carries against the secret (Standard Webhooks: `v1,<base64 HMAC>`). */
function verified(secret: string, r: Received): any {
  const id = String(r.headers['webhook-id']);
  const timestamp = Number(r.headers['webhook-timestamp']);
  expect(timestamp).toBe(Math.floor(clock.now().getTime() / 1000));
  const expected = new Webhook(secret).sign(id, new Date(timestamp * 1000), r.body);
  expect(String(r.headers['webhook-signature']).split(' ')).toContain(expected);
  // A different secret does not sign it the same way (the check can fail).
  expect(new Webhook('whsec_' + Buffer.from('another secret!!').toString('base64')).sign(id, new Date(timestamp * 1000), r.body)).not.toBe(expected);
  return JSON.parse(r.body);
}

describe('webhook deliveries of the pace alert, the import undo finish and income', { timeout: 120_000 }, () => {
  it('delivers budget.overspend_projected signed, its event data as documented', async () => {
    const budget = await createBudget(s.t.app, alice, { currency: 'EUR', limit: 200_000, categories: [{ name: 'Dining', limit: 50_000 }], paceAlerts: true });
    const dining = budget.categories[0]!.id;
    const hook = await register('/pace', { budgetIds: [budget.id], eventTypes: ['budget.overspend_projected'] });

    const expense = await addExpense(s.t.app, alice, budget.id, { amount: 31_000, occurredOn: '2026-11-10', categoryId: dining });
    await deliver(s.t, await theEvent(s.t, 'expense.recorded', { expenseId: expense.id }));
    // 310.00 by day 15 of 30: 620.00 by the 30th, of Dining's 500.00 (the budget's 2000.00 is not passed).
    const projected = await theEvent(s.t, 'budget.overspend_projected', { budgetId: budget.id });
    await deliver(s.t, projected);
    await s.t.system.webhooks.localQueue!.idle();

    const got = receiver.on('/pace');
    expect(got).toHaveLength(1);
    expect(got[0]!.headers['content-type']).toMatch(/^application\/json/);
    const payload = verified(hook.secret, got[0]!);
    expect(payload).toEqual({
      type: 'budget.overspend_projected',
      timestamp: expect.any(String),
      data: {
        budgetId: budget.id,
        sequence: 1,
        serverKnowledge: expect.any(String),
        event: {
          id: projected.envelope.id,
          type: 'budget.overspend_projected',
          version: 1,
          occurredAt: expect.any(String),
          data: {
            budgetId: budget.id,
            periodStart: '2026-11-01',
            periodEnd: '2026-11-30',
            categoryId: dining,
            limit: 50_000,
            spent: 31_000,
            projected: 62_000,
            daysElapsed: 15,
            daysInPeriod: 30,
            currency: 'EUR',
          },
        },
      },
    });
    const listed = await as(s.t.app, alice)('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(listed.json.items.map((d: any) => [d.eventType, d.status])).toEqual([['budget.overspend_projected', 'delivered']]);
  });

  it('delivers expense.import_undo_finished signed, with who asked, the run and its counts', async () => {
    const budget = await createBudget(s.t.app, alice);
    const hook = await register('/undo', { budgetIds: [budget.id], eventTypes: ['expense.import_undo_finished'] });
    const file = 'date,amount,category,description,merchant\n2026-11-01,1.25,,row 0,Shop\n2026-11-02,2.25,,row 1,Shop\n2026-11-03,3.25,,row 2,Shop\n';
    const imported = await as(s.t.app, alice)('POST', `/v1/budgets/${budget.id}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv', prefer: 'wait=10' } });
    expect(imported.json, imported.text).toMatchObject({ status: 'succeeded', imported: 3 });
    const undone = await as(s.t.app, alice)('POST', `/v1/budgets/${budget.id}/imports/${imported.json.id}/undo`, { headers: { prefer: 'wait=10' } });
    expect(undone.status, undone.text).toBe(200);

    const finished = await theEvent(s.t, 'expense.import_undo_finished', { importId: imported.json.id });
    await deliver(s.t, finished);
    await s.t.system.webhooks.localQueue!.idle();

    const got = receiver.on('/undo');
    expect(got).toHaveLength(1);
    const payload = verified(hook.secret, got[0]!);
    expect(payload).toEqual({
      type: 'expense.import_undo_finished',
      timestamp: expect.any(String),
      data: {
        budgetId: budget.id,
        sequence: 1,
        serverKnowledge: expect.any(String),
        event: {
          id: finished.envelope.id,
          type: 'expense.import_undo_finished',
          version: 1,
          occurredAt: expect.any(String),
          // The 3 rows, none changed since: all removed, in the first run.
          data: { budgetId: budget.id, importId: imported.json.id, startedBy: alice.id, attempt: 1, status: 'succeeded', removed: 3, kept: 0, gone: 0, total: 3 },
        },
      },
    });
  });

  it('delivers income.recorded and income.deleted signed, to the webhook whose filters pick them only, with the serverKnowledge of the budget', async () => {
    const budget = await createBudget(s.t.app, alice);
    const other = await createBudget(s.t.app, alice);
    const hook = await register('/income', { budgetIds: [budget.id], eventTypes: ['income.recorded', 'income.deleted'] });
    // Filters that leave income out: another budget's webhook, and one of expense events only.
    await register('/income-other-budget', { budgetIds: [other.id], eventTypes: ['income.recorded', 'income.updated', 'income.deleted'] });
    await register('/income-other-type', { budgetIds: [budget.id], eventTypes: ['expense.recorded'] });
    const api = as(s.t.app, alice);
    const before = await addExpense(s.t.app, alice, budget.id, { amount: 1_000, occurredOn: '2026-11-10' });

    const made = await api('POST', `/v1/budgets/${budget.id}/income`, { body: { amount: 320_000, receivedOn: '2026-11-14', source: 'Acme payroll' } });
    expect(made.status, made.text).toBe(201);
    const url = `/v1/budgets/${budget.id}/income/${made.json.id}`;
    expect((await api('PATCH', url, { body: { description: 'November salary' } })).status).toBe(200);
    expect((await api('DELETE', url)).status).toBe(204);
    const recorded = await theEvent(s.t, 'income.recorded', { incomeId: made.json.id });
    const updated = await theEvent(s.t, 'income.updated', { incomeId: made.json.id });
    const deleted = await theEvent(s.t, 'income.deleted', { incomeId: made.json.id });
    await deliver(s.t, recorded, updated, deleted);
    // Delivered again (a bus retry): the fan-out's guard keeps one delivery per event.
    await deliver(s.t, recorded);
    await s.t.system.webhooks.localQueue!.idle();
    const after = await addExpense(s.t.app, alice, budget.id, { amount: 2_000, occurredOn: '2026-11-14' });

    expect(receiver.on('/income-other-budget')).toEqual([]);
    expect(receiver.on('/income-other-type')).toEqual([]);
    const got = receiver.on('/income');
    expect(got).toHaveLength(2);
    const [first, second] = got.map((r) => verified(hook.secret, r));
    expect(first).toEqual({
      type: 'income.recorded',
      timestamp: expect.any(String),
      data: {
        budgetId: budget.id,
        sequence: 1,
        serverKnowledge: expect.any(String),
        event: {
          id: recorded.envelope.id,
          type: 'income.recorded',
          version: 1,
          occurredAt: clock.now().toISOString(),
          data: { budgetId: budget.id, incomeId: made.json.id, amount: 320_000, receivedOn: '2026-11-14', source: 'Acme payroll', createdBy: alice.id, version: 1 },
        },
      },
    });
    expect(second).toEqual({
      type: 'income.deleted',
      timestamp: expect.any(String),
      data: {
        budgetId: budget.id,
        sequence: 2,
        serverKnowledge: expect.any(String),
        event: {
          id: deleted.envelope.id,
          type: 'income.deleted',
          version: 1,
          occurredAt: clock.now().toISOString(),
          data: { budgetId: budget.id, incomeId: made.json.id, amount: 320_000, receivedOn: '2026-11-14', source: 'Acme payroll', description: 'November salary', deletedBy: alice.id },
        },
      },
    });
    // The knowledge is the budget's delta-sync position when it was sent: syncing from it
    // sends the expense recorded after, not the one before (income itself is not in sync).
    for (const payload of [first, second]) {
      const since = await api('GET', `/v1/budgets/${budget.id}/changes?since=${encodeURIComponent(payload.data.serverKnowledge)}`);
      expect(since.status, since.text).toBe(200);
      expect(since.json.expenses.map((e: any) => e.id)).toEqual([after.id]);
      expect(since.json.expenses.map((e: any) => e.id)).not.toContain(before.id);
    }
    const listed = await api('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(listed.json.items.map((d: any) => [d.eventType, d.status]).sort()).toEqual([
      ['income.deleted', 'delivered'],
      ['income.recorded', 'delivered'],
    ]);
  });
});
