import { describe, expect, it } from 'vitest';
import { deliver, outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { raceRecordNextWithJob } from '../../support/record-next-race';
import { runRecurringIncomeJob } from '../../support/recurring-job';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { changeShardOf } from '../../../packages/expenses/src/repository/change-log';
import { type Budget } from './harness';
import { recurringIncomeSuite, type IncomeDefinition } from './recurring-income-harness';

/**
 * Skipping the next paycheck and recording it now (POST .../recurring-income/{id}/skip and
 * .../record-next, the recurring expenses' actions, same semantics) on DynamoDB Local with a
 * fixed clock and the real recurring-income job: a skipped date is never recorded, and a
 * resume does not land on it; record-next writes the entry the job would (its month's income,
 * income.recorded with `recordedBy`, `recurringIncomeId`), through the job's own transaction,
 * so each date is recorded exactly once: the job never records it again, an Idempotency-Key
 * retry replays, and a call racing the job never records a date twice nor another one instead.
 * Every expected figure is worked by hand from the amounts set up.
 */
const BASE = '2026-11-24T12:00:00Z';
const suite = recurringIncomeSuite(BASE);
const { clock, created, req, fresh, schedule, incomeOf, monthsIncome } = suite;
const at = (iso: string) => clock.set(iso);
const run = () => runRecurringIncomeJob(suite.h.t);

type Definition = IncomeDefinition;

const datesOf = async (b: Budget) => (await incomeOf(b)).map((i) => i.receivedOn);

const get = async (url: string) => (await req(suite.team.owner, 'GET', url)).json as Definition;

describe('skipping the next paycheck', { timeout: 120_000 }, () => {
  it('moves nextOccurrenceOn to the following date (200, ETag, version + 1); the job never records the skipped date, records the next', async () => {
    const b = await fresh();
    const { url, skip } = await schedule(b, { amount: 320000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } });
    const skipped = await req(suite.team.editor, 'POST', skip, { headers: { 'if-match': '"1"' } });
    expect(skipped.status, skipped.text).toBe(200);
    // The ETag names the next occurrence too (the job moves it without a new version).
    expect(skipped.headers.get('etag')).toBe('"2-n20261228"');
    expect(skipped.json).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });
    expect(skipped.json.skippedThrough).toBeUndefined(); // internal
    expect(await get(url)).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });

    at('2026-11-29T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0, failed: 0 });
    at('2026-12-28T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect(await datesOf(b)).toEqual(['2026-12-28']);
    expect(await monthsIncome(b, '2026-11', '2026-12')).toEqual({ '2026-11': 0, '2026-12': 320000 });
  });

  it('a skip is remembered across a pause: the resume starts after the skipped date; a changed schedule forgets it', async () => {
    const b = await fresh();
    const { url, skip } = await schedule(b, { amount: 1000, schedule: { frequency: 'monthly', startsOn: '2026-11-28' } });
    expect((await req(suite.team.owner, 'POST', skip)).json.nextOccurrenceOn).toBe('2026-12-28');
    expect((await req(suite.team.owner, 'PATCH', url, { body: { paused: true } })).json).toMatchObject({ paused: true, nextOccurrenceOn: null });
    // Resumed on Nov 25: the first date on or after today is Nov 28, the skipped one: December's instead.
    at('2026-11-25T12:00:00Z');
    expect((await req(suite.team.owner, 'PATCH', url, { body: { paused: false } })).json).toMatchObject({ paused: false, nextOccurrenceOn: '2026-12-28' });
    // A changed schedule restarts from today, the skip of the old one forgotten: Nov 28 again.
    expect((await req(suite.team.owner, 'PATCH', url, { body: { schedule: { startsOn: '2026-10-28' } } })).json.nextOccurrenceOn).toBe('2026-11-28');
  });

  it('the last occurrence skipped ends the schedule; ended or paused: 409; viewer 403, stale If-Match 412; a keyed retry skips once', async () => {
    const b = await fresh();
    const once = await schedule(b, { amount: 500, schedule: { frequency: 'weekly', startsOn: '2026-11-26', count: 1 } });
    const ended = await req(suite.team.owner, 'POST', once.skip);
    expect(ended.json).toMatchObject({ nextOccurrenceOn: null, version: 2 });
    expectProblem(await req(suite.team.owner, 'POST', once.skip), 409);
    const paused = await schedule(b, { amount: 600, schedule: { frequency: 'weekly' }, paused: true });
    expectProblem(await req(suite.team.owner, 'POST', paused.skip), 409);

    const weekly = await schedule(b, { amount: 700, schedule: { frequency: 'weekly', startsOn: '2026-11-26' } });
    expectProblem(await req(suite.team.viewer, 'POST', weekly.skip), 403);
    expectProblem(await req(suite.team.owner, 'POST', weekly.skip, { headers: { 'if-match': '"5"' } }), 412);
    const headers = { 'idempotency-key': `skip-${weekly.url}` };
    const first = await req(suite.team.owner, 'POST', weekly.skip, { headers });
    const again = await req(suite.team.owner, 'POST', weekly.skip, { headers });
    expect(first.status, first.text).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(await get(weekly.url)).toMatchObject({ nextOccurrenceOn: '2026-12-03', version: 2 });
  });
});

describe('recording the next paycheck now', { timeout: 120_000 }, () => {
  it("records the job's entry on the scheduled date (200, ETag, version + 1): month income, event with recordedBy, recurringIncomeId; the job never records that date again", async () => {
    const b = await fresh();
    const { url, recordNext, def } = await schedule(b, { amount: 320000, source: 'Acme payroll', description: 'Salary', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } });
    // The editor asks; the owner set it up: the entry is the owner's, as the job's would be.
    const res = await req(suite.team.editor, 'POST', recordNext, { headers: { 'if-match': '"1"' } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe('"2-n20261228"');
    expect(res.json.recurringIncome).toMatchObject({ id: def.id, nextOccurrenceOn: '2026-12-28', version: 2 });
    expect(res.json.income).toMatchObject({ amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll', description: 'Salary', recurringIncomeId: def.id, createdBy: suite.team.owner.id, version: 1 });
    const entry = (await req(suite.team.viewer, 'GET', `/v1/budgets/${b.id}/income/${res.json.income.id}`)).json;
    expect(entry).toEqual(res.json.income);
    expect(await monthsIncome(b, '2026-11', '2026-12')).toEqual({ '2026-11': 320000, '2026-12': 0 });
    const events = (await outboxEvents(suite.h.t, 'income.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      {
        budgetId: b.id,
        incomeId: res.json.income.id,
        amount: 320000,
        receivedOn: '2026-11-28',
        source: 'Acme payroll',
        description: 'Salary',
        createdBy: suite.team.owner.id,
        version: 1,
        via: 'recurring',
        recurringIncomeId: def.id,
        recordedBy: suite.team.editor.id,
      },
    ]);
    // The activity log names who asked (the activity module's subscription, delivered by hand).
    await deliver(suite.h.t, ...events);
    const activity = await req(suite.team.viewer, 'GET', `/v1/budgets/${b.id}/activity?limit=100`);
    expect(activity.status, activity.text).toBe(200);
    const logged = (activity.json.items as { action: string; actor: { id: string }; subject: { id: string } }[]).filter((i) => i.subject.id === res.json.income.id);
    expect(logged).toEqual([expect.objectContaining({ action: 'income.recorded', actor: expect.objectContaining({ type: 'user', id: suite.team.editor.id }) })]);

    // The day comes: the job records nothing (the marker and the definition moved on).
    at('2026-11-28T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0, failed: 0 });
    expect(await datesOf(b)).toEqual(['2026-11-28']);
    expect(await get(url)).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });
  });

  it("receivedOn dates it the day the money came (up to today in the budget's time zone); a later one is a 400 naming receivedOn", async () => {
    const b = await fresh();
    const { recordNext } = await schedule(b, { amount: 1500, schedule: { frequency: 'monthly', startsOn: '2026-12-03' } });
    const late = await req(suite.team.owner, 'POST', recordNext, { body: { receivedOn: '2026-11-25' } });
    expectProblem(late, 400);
    expect(late.json.errors.map((e: { path: string }) => e.path)).toContain('receivedOn');
    expectProblem(await req(suite.team.owner, 'POST', recordNext, { body: { occurredOn: '2026-11-20' } }), 400); // unknown field
    const early = await req(suite.team.owner, 'POST', recordNext, { body: { receivedOn: '2026-11-20' } });
    expect(early.status, early.text).toBe(200);
    expect(early.json.income.receivedOn).toBe('2026-11-20');
    expect(early.json.recurringIncome.nextOccurrenceOn).toBe('2027-01-03'); // December's was the one recorded
    expect(await monthsIncome(b, '2026-11', '2026-12')).toEqual({ '2026-11': 1500, '2026-12': 0 });
  });

  it('the last occurrence ends the schedule; ended, paused, or a creator who may no longer write: 409, nothing recorded; viewer 403', async () => {
    const b = await fresh();
    const once = await schedule(b, { amount: 100, schedule: { frequency: 'weekly', startsOn: '2026-11-26', count: 1 } });
    expect((await req(suite.team.owner, 'POST', once.recordNext)).json.recurringIncome.nextOccurrenceOn).toBeNull();
    expectProblem(await req(suite.team.owner, 'POST', once.recordNext), 409);
    const paused = await schedule(b, { amount: 200, schedule: { frequency: 'weekly' }, paused: true });
    expectProblem(await req(suite.team.owner, 'POST', paused.recordNext), 409);
    const editors = await schedule(b, { amount: 300, schedule: { frequency: 'weekly' } }, suite.team.editor);
    expectProblem(await req(suite.team.viewer, 'POST', editors.recordNext), 403);
    expect((await req(suite.team.owner, 'PATCH', `/v1/budgets/${b.id}/members/${suite.team.editor.id}`, { body: { role: 'viewer' } })).status).toBe(200);
    try {
      expectProblem(await req(suite.team.owner, 'POST', editors.recordNext), 409);
      // Pushed offline (packages/expenses/docs/sync.md "Offline push"): that mutation's error, not a conflict
      // showing the definition the client has (nothing in it changed).
      const seen = await get(editors.url);
      const pushed = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/changes`, {
        body: { mutations: [{ type: 'recurringIncome', op: 'recordNext', id: seen.id, baseVersion: seen.version, nextOccurrenceOn: seen.nextOccurrenceOn }] },
      });
      expect(pushed.status, pushed.text).toBe(200);
      expect(pushed.json.results).toEqual([{ status: 'error', problem: expect.objectContaining({ status: 409, detail: expect.stringContaining('creator can no longer record income') }) }]);
    } finally {
      expect((await req(suite.team.owner, 'PATCH', `/v1/budgets/${b.id}/members/${suite.team.editor.id}`, { body: { role: 'editor' } })).status).toBe(200);
    }
    expect((await incomeOf(b)).map((i) => i.amount)).toEqual([100]);
    expect(await get(editors.url)).toMatchObject({ version: 1 });
  });

  it('a tap arriving after the job recorded the paycheck its If-Match names: 412, nothing recorded or skipped (not the one after)', async () => {
    const b = await fresh();
    const { url, skip, recordNext } = await schedule(b, { amount: 1000, schedule: { frequency: 'weekly', startsOn: '2026-11-26' } });
    const shown = (await req(suite.team.owner, 'GET', url)).headers.get('etag')!;
    expect(shown).toBe('"1-n20261126"');
    at('2026-11-26T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expectProblem(await req(suite.team.owner, 'POST', recordNext, { headers: { 'if-match': shown } }), 412);
    expectProblem(await req(suite.team.owner, 'POST', skip, { headers: { 'if-match': shown } }), 412);
    expect(await datesOf(b)).toEqual(['2026-11-26']);
    expect(await get(url)).toMatchObject({ nextOccurrenceOn: '2026-12-03', version: 1 });
    // The ETag naming the date now next: the tap records it.
    const now = await req(suite.team.owner, 'POST', recordNext, { headers: { 'if-match': '"1-n20261203"' } });
    expect(now.status, now.text).toBe(200);
    expect(await datesOf(b)).toEqual(['2026-11-26', '2026-12-03']);
  });

  it('Idempotency-Key: a retry replays the first answer, one entry; two taps with one If-Match record one', async () => {
    const b = await fresh();
    const { url, recordNext } = await schedule(b, { amount: 300, schedule: { frequency: 'weekly', startsOn: '2026-11-26' } });
    const headers = { 'idempotency-key': `record-next-${url}` };
    const first = await req(suite.team.owner, 'POST', recordNext, { headers });
    const again = await req(suite.team.owner, 'POST', recordNext, { headers });
    expect(first.status, first.text).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(await datesOf(b)).toEqual(['2026-11-26']);

    const taps = await Promise.all([1, 2].map(() => req(suite.team.owner, 'POST', recordNext, { headers: { 'if-match': '"2"' } })));
    expect(taps.filter((t) => t.status === 200), taps.map((t) => t.text).join('\n')).toHaveLength(1);
    for (const t of taps.filter((t) => t.status !== 200)) expect([409, 412, 503]).toContain(t.status);
    expect(await datesOf(b)).toEqual(['2026-11-26', '2026-12-03']);
    expect(await monthsIncome(b, '2026-11', '2026-12')).toEqual({ '2026-11': 300, '2026-12': 300 });
    expect(await get(url)).toMatchObject({ nextOccurrenceOn: '2026-12-10', version: 3 });
  });

  it('racing the job for a due paycheck, many times: each date recorded once, and a call that loses records nothing else', async () => {
    const b = await fresh();
    const ROUNDS = 24;
    // The recurring expenses' race (tests/support/record-next-race.ts), on paychecks.
    const outcomes = await raceRecordNextWithJob({
      rounds: ROUNDS,
      dates: ['2026-11-24', '2026-11-25', '2026-11-26'],
      setUp: (amount) => schedule(b, { amount, schedule: { frequency: 'daily', startsOn: '2026-11-24' } }),
      run,
      call: (recordNext) => req(suite.team.owner, 'POST', recordNext),
      calledDate: (called) => called.json.income.receivedOn,
      recordedDates: async (amount) => (await incomeOf(b)).filter((i) => i.amount === amount).map((i) => i.receivedOn),
      definition: get,
      remove: async (url) => {
        await req(suite.team.owner, 'DELETE', url);
        created.splice(created.indexOf(url), 1);
      },
    });
    console.info('recurring income record-next vs job race outcomes', outcomes);
    expect(outcomes.callRecordedIt + outcomes.jobRecordedIt + outcomes.callCameAfter + outcomes.neither).toBe(ROUNDS);
    expect(outcomes.callRecordedIt).toBeGreaterThan(0);
    expect(outcomes.jobRecordedIt + outcomes.callCameAfter).toBeGreaterThan(0);
    // The month's income is exactly the entries recorded.
    const entries = await incomeOf(b);
    expect((await monthsIncome(b, '2026-11', '2026-11'))['2026-11']).toBe(entries.reduce((sum, i) => sum + i.amount, 0));
  });
});

/** What skip and record-next cost (packages/expenses/docs/income.md "Recurring income", Skip and record now): requests and transaction items. */
describe('skip and record-next: what they cost', { timeout: 120_000 }, () => {
  it("skip: a PATCH's (the access read with the definition's, one Put with its change stamp and the guard); record-next: the access read, the definition, the entry's change counter, the job's ONE transaction of 9 items", async () => {
    const b = await fresh();
    const { skip, recordNext, def } = await schedule(b, { amount: 900, schedule: { frequency: 'monthly', startsOn: '2026-11-28' } });
    const skipped = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.owner, 'POST', skip));
    expect(skipped.result.status, skipped.result.text).toBe(200);
    // No read of the definition's change counter (delta sync): this process numbered the create on
    // it and remembers its value. Then the Put, the counter and its entry, the guard.
    expect(skipped.commands).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect((writeItemsOf(skipped.sent) as Record<string, any>[]).map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Put', 'ConditionCheck']);
    expect((writeItemsOf(skipped.sent) as Record<string, any>[])[2]!.Put.Item).toMatchObject({ recurringIncomeId: def.id });

    const recorded = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.owner, 'POST', recordNext));
    expect(recorded.result.status, recorded.result.text).toBe(200);
    // The definition's read, then the change counter of the entry's shard (delta sync; unless this
    // process wrote that counter last: the skip wrote the definition's, the same one when both ids
    // fall in one change shard), then the transaction: the job's items plus the change stamp, whose
    // counter also numbers the definition's change (its new next date) with an entry of its own.
    const items = writeItemsOf(recorded.sent) as Record<string, any>[];
    const counterKnown = changeShardOf(items[0]!.Put.Item.id) === changeShardOf(def.id);
    expect(recorded.commands).toEqual(['BatchGetItemCommand', 'GetItemCommand', ...(counterKnown ? [] : ['GetItemCommand']), 'TransactWriteItemsCommand']);
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Put', 'Update', 'Put', 'Update', 'Put', 'Put', 'ConditionCheck']);
    expect(items[7]!.Put.Item).toMatchObject({ recurringIncomeId: def.id });
    expect(items[0]!.Put.Item).toMatchObject({ kind: 'income', amount: 900, receivedOn: '2026-12-28', recurringIncomeId: def.id });
    // The advance carries the API change: version 3 (the skip made 2).
    expect(items[3]!.Update.ExpressionAttributeValues).toMatchObject({ ':newVersion': 3 });
    expect(items[4]!.Put.Item).toMatchObject({ kind: 'recurring-income-occurrence', occurredOn: '2026-12-28' });
  });

  it("keyed: the lease's UpdateItem, and its completion one item more of the same transaction (after the write's own items), no write after it", async () => {
    const b = await fresh();
    const { skip, recordNext, def } = await schedule(b, { amount: 900, schedule: { frequency: 'monthly', startsOn: '2026-11-28' } });
    const key = (label: string) => ({ headers: { 'idempotency-key': `cost-${label}-${def.id}` } });
    const completion = (item: Record<string, any>) => {
      expect(String(item.Update.Key.pk)).toMatch(/^idempotency#/);
      expect(item.Update.ExpressionAttributeValues[':completed']).toBe('completed');
    };
    const skipped = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.owner, 'POST', skip, key('skip')));
    expect(skipped.result.status, skipped.result.text).toBe(200);
    // The caller's account is read in a BatchGetItem of its own: the lease's write comes between it and the access read.
    expect(skipped.commands).toEqual(['BatchGetItemCommand', 'UpdateItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
    const skipItems = writeItemsOf(skipped.sent) as Record<string, any>[];
    expect(skipItems.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Update', 'Put', 'ConditionCheck']);
    completion(skipItems[1]!);

    const recorded = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.owner, 'POST', recordNext, key('record-next')));
    expect(recorded.result.status, recorded.result.text).toBe(200);
    const items = writeItemsOf(recorded.sent) as Record<string, any>[];
    const counterKnown = changeShardOf(items[0]!.Put.Item.id) === changeShardOf(def.id);
    // The reserved entry's read (a retry of an attempt still running finds it), then as without a key.
    expect(recorded.commands).toEqual(['BatchGetItemCommand', 'UpdateItemCommand', 'BatchGetItemCommand', 'GetItemCommand', 'GetItemCommand', ...(counterKnown ? [] : ['GetItemCommand']), 'TransactWriteItemsCommand']);
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Put', 'Update', 'Put', 'Update', 'Update', 'Put', 'Put', 'ConditionCheck']);
    completion(items[5]!);
  });
});
