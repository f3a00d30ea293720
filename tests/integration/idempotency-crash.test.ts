import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget, signUp } from '../support/actors';
import { call } from '../support/http';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * The process dies after a creation's transaction committed but before it answered
 * (simulated: every later write to the idempotency record fails, as if nothing ran after the
 * commit; where the record commits inside the transaction, as an item of its own or on the
 * created item, the transaction commits and then the process dies). The client's retry must get that same resource back (expense: its
 * spending counted once; budget: no second budget; a recurring expense's record-next: its
 * occurrence recorded once): an expense's and a record-next's retry at once (its key's record
 * committed with it), a budget's once the lease has run out.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let token: string;
let budgetId: string;
let crashAfterCommit = false;
/** The same request's other attempt (its retry, the lease taken over) commits the next recording of a recurring expense just before this one. */
let otherAttemptFirst = false;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: { pk?: string }; UpdateExpression?: string };
      const touchesRecordAfterCommit =
        String(input.Key?.pk ?? '').startsWith('idempotency#') &&
        (/^Delete(Item)?Command$/.test(String(context.commandName)) || /:completed|:ended/.test(String(input.UpdateExpression ?? '')));
      if (crashAfterCommit && touchesRecordAfterCommit) throw new Error('process died');
      const transaction = (args.input as { TransactItems?: { Put?: { Item?: { pk?: unknown; idempotency?: unknown; kind?: unknown; recurringExpenseId?: unknown } }; Update?: { Key?: { pk?: unknown } } }[] }).TransactItems ?? [];
      if (otherAttemptFirst && transaction.some((i) => i.Put?.Item?.kind === 'expense' && i.Put.Item.recurringExpenseId !== undefined)) {
        otherAttemptFirst = false;
        await next(args);
      }
      // The record is an item of its own, (an expense's) an attribute of the created item, or the
      // lease's completion as an item of the handler's transaction (a record-next's: idempotentCompletion).
      const commitsRecord = transaction.some(
        (i) => String(i.Put?.Item?.pk ?? i.Update?.Key?.pk ?? '').startsWith('idempotency#') || i.Put?.Item?.idempotency !== undefined,
      );
      if (crashAfterCommit && commitsRecord) {
        await next(args);
        throw new Error('process died right after the commit');
      }
      return next(args);
    },
    { step: 'initialize', name: 'crashAfterCommit' },
  );
  const owner = await signUp(t.app, 'crash');
  token = owner.token;
  budgetId = (await createBudget(t.app, owner, { name: 'Home', currency: 'USD', limit: 100_000 })).id;
});
afterAll(() => t.destroy());

const post = (key: string, body: unknown) =>
  call(t.app, 'POST', `/v1/budgets/${budgetId}/expenses`, { token, body, headers: { 'idempotency-key': key } });
const expenses = async () => (await call(t.app, 'GET', `/v1/budgets/${budgetId}/expenses`, { token })).json.items;
const spent = async () => (await call(t.app, 'GET', `/v1/budgets/${budgetId}/summary?date=2026-11-20`, { token })).json.spent;

describe('an Idempotency-Key retry after a crash between commit and answer', () => {
  it('returns the expense the first attempt committed, recorded once', async () => {
    const body = { amount: 1_234, occurredOn: '2026-11-20' };
    crashAfterCommit = true;
    const first = await post('crash-key-1', body);
    crashAfterCommit = false;
    expect(first.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const committed = await expenses();
    expect(committed).toHaveLength(1);

    // The key's record committed with the expense: the retry gets it at once, no lease to wait out.
    const early = await post('crash-key-1', body);
    expect(early.status, early.text).toBe(201);
    expect(early.json.id).toBe(committed[0].id);
    clock.advance(61_000);
    const retry = await post('crash-key-1', body);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json.id).toBe(committed[0].id);
    expect(await expenses()).toHaveLength(1);
    expect(await spent()).toBe(1_234);

    const replay = await post('crash-key-1', body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.id).toBe(committed[0].id);
  });

  it('does not let a different body take over an abandoned key', async () => {
    crashAfterCommit = true;
    await post('crash-key-2', { amount: 10, occurredOn: '2026-11-21' });
    crashAfterCommit = false;
    clock.advance(61_000);
    expect((await post('crash-key-2', { amount: 99, occurredOn: '2026-11-21' })).status).toBe(422);
    expect((await expenses()).filter((e: { amount: number }) => e.amount === 99)).toEqual([]);
  });
});

describe('a budget creation retried after a crash between commit and answer', () => {
  it('returns the budget the first attempt created, and only that one', async () => {
    const body = { name: 'Trip', currency: 'EUR', period: 'weekly', timezone: 'UTC', limit: 5_000 };
    const create = () => call(t.app, 'POST', '/v1/budgets', { token, body, headers: { 'idempotency-key': 'crash-budget' } });
    const trips = async () =>
      (await call(t.app, 'GET', '/v1/budgets?limit=100', { token })).json.items.filter((b: { name: string }) => b.name === 'Trip');
    crashAfterCommit = true;
    expect((await create()).status).toBeGreaterThanOrEqual(500);
    crashAfterCommit = false;
    const committed = await trips();
    expect(committed).toHaveLength(1);
    clock.advance(61_000);
    const retry = await create();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json.id).toBe(committed[0].id);
    expect(retry.json.role).toBe('owner');
    expect(await trips()).toHaveLength(1);
  });
});

describe("a recurring expense's record-next retried after a crash between commit and answer", () => {
  it('returns the expense the first attempt recorded; the occurrence is recorded once and the schedule moved once', async () => {
    const made = await call(t.app, 'POST', `/v1/budgets/${budgetId}/recurring-expenses`, {
      token,
      body: { amount: 4_500, merchant: 'Crash Rent', schedule: { frequency: 'monthly', startsOn: '2026-11-26' } },
    });
    expect(made.status, made.text).toBe(201);
    const url = `/v1/budgets/${budgetId}/recurring-expenses/${made.json.id}`;
    const recordNext = () => call(t.app, 'POST', `${url}/record-next`, { token, body: {}, headers: { 'idempotency-key': 'crash-record-next' } });
    const rents = async () => (await expenses()).filter((e: { merchant?: string }) => e.merchant === 'Crash Rent');

    crashAfterCommit = true;
    expect((await recordNext()).status).toBeGreaterThanOrEqual(500); // the client never got its answer
    crashAfterCommit = false;
    const committed = await rents();
    expect(committed).toHaveLength(1);
    expect(committed[0].occurredOn).toBe('2026-11-26');

    // The key's record was completed in the recording's transaction: the retry replays that answer
    // at once (no lease to wait out), and after the lease too, recording neither this occurrence
    // again nor the next one.
    const early = await recordNext();
    expect(early.status, early.text).toBe(200);
    expect(early.headers.get('idempotent-replayed')).toBe('true');
    expect(early.json.expense.id).toBe(committed[0].id);
    clock.advance(61_000);
    const retry = await recordNext();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json.expense.id).toBe(committed[0].id);
    expect(retry.json.recurringExpense.nextOccurrenceOn).toBe('2026-12-26');
    expect(await rents()).toHaveLength(1);
    expect((await call(t.app, 'GET', url, { token })).json.nextOccurrenceOn).toBe('2026-12-26');
  });
});

/**
 * An offline push (POST .../changes) whose first attempt died after its writes: the retry runs
 * again under the key's reserved id, so a create without a client id gets the same derived id
 * (push.service.ts deriveId). A definition deleted between the two attempts must stay deleted,
 * as an expense does (its resend tombstone): the retry answers `{kind: deleted}`, it does not
 * bring the bill back (packages/expenses/docs/sync.md "Offline push", "Retries").
 */
describe('an offline push retried after a crash, its created items deleted meanwhile', () => {
  it('answers the expense and the recurring definitions deleted, creating none of them again', async () => {
    const mutations = [
      { op: 'create', expense: { amount: 700, occurredOn: '2026-11-20', merchant: 'Crash kiosk' } },
      { type: 'recurringExpense', op: 'create', recurringExpense: { amount: 900, merchant: 'Crash gym', schedule: { frequency: 'monthly', startsOn: '2026-12-02' } } },
      { type: 'recurringIncome', op: 'create', recurringIncome: { amount: 5_000, source: 'Crash gig', schedule: { frequency: 'monthly', startsOn: '2026-12-03' } } },
    ];
    const push = () => call(t.app, 'POST', `/v1/budgets/${budgetId}/changes`, { token, body: { mutations }, headers: { 'idempotency-key': 'crash-push' } });
    const base = `/v1/budgets/${budgetId}`;
    const list = async (path: string) => (await call(t.app, 'GET', `${base}/${path}?limit=100`, { token })).json.items as { id: string; merchant?: string; source?: string }[];

    crashAfterCommit = true;
    expect((await push()).status).toBeGreaterThanOrEqual(500); // the client never got its answer
    crashAfterCommit = false;
    const expense = (await expenses()).find((e: { merchant?: string }) => e.merchant === 'Crash kiosk');
    const gym = (await list('recurring-expenses')).find((d) => d.merchant === 'Crash gym');
    const gig = (await list('recurring-income')).find((d) => d.source === 'Crash gig');
    expect([expense, gym, gig].every(Boolean)).toBe(true);
    // Another device deletes all three before the phone retries.
    for (const path of [`expenses/${expense.id}`, `recurring-expenses/${gym!.id}`, `recurring-income/${gig!.id}`]) {
      const deleted = await call(t.app, 'DELETE', `${base}/${path}`, { token });
      expect(deleted.status, deleted.text).toBe(204);
    }

    clock.advance(61_000);
    const retry = await push();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json.results).toEqual([
      { status: 'conflict', current: { kind: 'deleted', id: expense.id, deleted: true } },
      { status: 'conflict', current: { kind: 'deleted', id: gym!.id, deleted: true } },
      { status: 'conflict', current: { kind: 'deleted', id: gig!.id, deleted: true } },
    ]);
    expect((await expenses()).filter((e: { merchant?: string }) => e.merchant === 'Crash kiosk')).toEqual([]);
    expect((await list('recurring-expenses')).filter((d) => d.merchant === 'Crash gym')).toEqual([]);
    expect((await list('recurring-income')).filter((d) => d.source === 'Crash gig')).toEqual([]);
  });
});

/**
 * A pushed recordNext and skip (packages/expenses/docs/sync.md "Offline push", "Skip and recordNext"): in a keyed
 * batch the recordNext's expense takes the id derived from the key's, so the retry after a crash
 * finds the expense the first attempt recorded and answers it; the skip meets the version it
 * produced. No occurrence recorded or skipped twice.
 */
describe('an offline push of skip and recordNext retried after a crash', () => {
  it('answers the expense recorded the first time and the skip as a conflict showing its result; the schedules moved once', async () => {
    const base = `/v1/budgets/${budgetId}`;
    const rent = await call(t.app, 'POST', `${base}/recurring-expenses`, { token, body: { amount: 1_500, merchant: 'Crash rent', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } } });
    const pay = await call(t.app, 'POST', `${base}/recurring-income`, { token, body: { amount: 9_000, source: 'Crash pay', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } } });
    expect([rent.status, pay.status]).toEqual([201, 201]);
    const mutations = [
      { type: 'recurringExpense', op: 'recordNext', id: rent.json.id, baseVersion: 1, nextOccurrenceOn: rent.json.nextOccurrenceOn },
      { type: 'recurringIncome', op: 'skip', id: pay.json.id, baseVersion: 1, nextOccurrenceOn: pay.json.nextOccurrenceOn },
    ];
    const push = () => call(t.app, 'POST', `${base}/changes`, { token, body: { mutations }, headers: { 'idempotency-key': 'crash-push-actions' } });

    crashAfterCommit = true;
    expect((await push()).status).toBeGreaterThanOrEqual(500); // the client never got its answer
    crashAfterCommit = false;
    const recorded = (await expenses()).filter((e: { merchant?: string }) => e.merchant === 'Crash rent');
    expect(recorded).toHaveLength(1);

    clock.advance(61_000);
    const retry = await push();
    expect(retry.status, retry.text).toBe(200);
    const [rentNow, payNow] = [(await call(t.app, 'GET', `${base}/recurring-expenses/${rent.json.id}`, { token })).json, (await call(t.app, 'GET', `${base}/recurring-income/${pay.json.id}`, { token })).json];
    expect(rentNow).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });
    expect(payNow).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });
    expect(retry.json.results).toEqual([
      { status: 'applied', expense: expect.objectContaining({ id: recorded[0].id, amount: 1_500, occurredOn: '2026-11-28', recurringExpenseId: rent.json.id }), recurringExpense: rentNow, version: 2 },
      { status: 'conflict', current: { kind: 'recurringIncome', ...payNow } },
    ]);
    expect((await expenses()).filter((e: { merchant?: string }) => e.merchant === 'Crash rent')).toHaveLength(1);
  });
});

describe('a keyed push of a recordNext overtaken by its own retry', () => {
  it('the attempt whose recording the retry committed first (same derived id) answers that expense applied, not a 500 of the whole batch', async () => {
    const base = `/v1/budgets/${budgetId}`;
    const rent = await call(t.app, 'POST', `${base}/recurring-expenses`, { token, body: { amount: 1_700, merchant: 'Race rent', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } } });
    expect(rent.status, rent.text).toBe(201);
    const mutations = [{ type: 'recurringExpense', op: 'recordNext', id: rent.json.id, baseVersion: 1, nextOccurrenceOn: rent.json.nextOccurrenceOn }];
    otherAttemptFirst = true;
    const res = await call(t.app, 'POST', `${base}/changes`, { token, body: { mutations }, headers: { 'idempotency-key': 'race-push-record' } });
    expect(otherAttemptFirst).toBe(false);
    expect(res.status, res.text).toBe(200);
    const recorded = (await expenses()).filter((e: { merchant?: string }) => e.merchant === 'Race rent');
    expect(recorded).toHaveLength(1);
    const rentNow = (await call(t.app, 'GET', `${base}/recurring-expenses/${rent.json.id}`, { token })).json;
    expect(rentNow).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });
    expect(res.json.results).toEqual([{ status: 'applied', expense: expect.objectContaining({ id: recorded[0].id, recurringExpenseId: rent.json.id }), recurringExpense: rentNow, version: 2 }]);
  });
});

/**
 * A refusal (4xx) frees a key, but not one whose earlier attempt failed after its commit: that
 * attempt's writes stand under the id the key reserved, and only the same request may take them
 * over (README "HTTP conventions": a 5xx releases the key to the same request only).
 */
describe('an offline push retried after a crash, refused once (the budget archived meanwhile), then retried again', () => {
  it('records its create once: the refusal does not free the key the crashed attempt wrote under', async () => {
    const own = (await createBudget(t.app, { token }, { name: 'Archived between retries', currency: 'USD', limit: 100_000 })).id;
    const base = `/v1/budgets/${own}`;
    const mutations = [{ op: 'create', expense: { amount: 800, occurredOn: '2026-11-20', merchant: 'Refused kiosk' } }];
    const push = () => call(t.app, 'POST', `${base}/changes`, { token, body: { mutations }, headers: { 'idempotency-key': 'crash-refused-push' } });
    const kiosk = async () => ((await call(t.app, 'GET', `${base}/expenses`, { token })).json.items as { merchant?: string }[]).filter((e) => e.merchant === 'Refused kiosk');

    crashAfterCommit = true;
    expect((await push()).status).toBeGreaterThanOrEqual(500); // the client never got its answer
    crashAfterCommit = false;
    expect(await kiosk()).toHaveLength(1);

    expect((await call(t.app, 'POST', `${base}/archive`, { token })).status).toBe(200);
    clock.advance(61_000);
    expect((await push()).status).toBe(409); // budget-archived: nothing written
    expect((await call(t.app, 'POST', `${base}/unarchive`, { token })).status).toBe(200);

    const retry = await push();
    expect(retry.status, retry.text).toBe(200);
    expect(await kiosk()).toHaveLength(1);
    expect(retry.json.results).toEqual([expect.objectContaining({ status: 'applied' })]);
  });
});
