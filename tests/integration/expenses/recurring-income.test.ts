import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents, tableItems, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { runRecurringIncomeJob } from '../../support/recurring-job';
import { changeShardOf } from '../../../packages/expenses/src/repository/change-log';
import { type Budget, type User } from './harness';
import { recurringIncomeSuite } from './recurring-income-harness';

/**
 * Recurring income (packages/expenses/docs/income.md "Recurring income") on DynamoDB Local through the whole
 * system, with a fixed clock the tests move by days: CRUD with the budget-resource conventions
 * and their 4xx; the hourly recurring-income job recording each due occurrence as an income
 * entry exactly once (run twice, a crash right after a commit), catching up missed dates, its
 * month totals exact in the cash flow (figures worked by hand), its income.recorded event with
 * `via: "recurring"`; paused, ended, archived and a demoted creator's definitions not recorded;
 * upcoming; the budget's deletion removing the definitions.
 */
const BASE = '2026-11-24T12:00:00Z';
const suite = recurringIncomeSuite(BASE);
const { clock, created, req, fresh, schedule: scheduled, incomeOf, monthsIncome } = suite;
/** The process dies right after a recurring income occurrence's transaction committed (its marker is among the items). */
let crashAfterOccurrence = 0;
beforeAll(() => {
  suite.h.t.doc.middlewareStack.add(
    (next) => async (args) => {
      const items = (args.input as { TransactItems?: { Put?: { Item?: Record<string, unknown> } }[] }).TransactItems ?? [];
      const occurrence = items.some((i) => i.Put?.Item?.kind === 'recurring-income-occurrence');
      if (crashAfterOccurrence === 0 || !occurrence) return next(args);
      crashAfterOccurrence--;
      await next(args);
      throw new Error('process died right after the commit');
    },
    { step: 'initialize', name: 'crashAfterRecurringIncome' },
  );
});
afterEach(() => {
  crashAfterOccurrence = 0;
});
const at = (iso: string) => clock.set(iso);
const path = (b: Budget) => `/v1/budgets/${b.id}/recurring-income`;
const run = () => runRecurringIncomeJob(suite.h.t);

/** Creates a recurring income (201 expected): the definition. */
const schedule = async (b: Budget, body: Record<string, unknown>, who: User = suite.team.owner) => (await scheduled(b, body, who)).def;

const definition = async (b: Budget, id: string) => (await req(suite.team.owner, 'GET', `${path(b)}/${id}`)).json;

describe('recurring income: the resource', { timeout: 120_000 }, () => {
  it('POST answers 201 with ETag and Location, its first occurrence the first on or after today; GET, list, PATCH with If-Match, DELETE', async () => {
    const b = await fresh();
    const res = await req(suite.team.editor, 'POST', path(b), {
      body: { amount: 320000, source: ' Acme payroll ', description: 'Salary', schedule: { frequency: 'monthly', startsOn: '2026-10-28' } },
    });
    expect(res.status, res.text).toBe(201);
    created.push(res.headers.get('location')!);
    expect(res.json).toMatchObject({
      amount: 320000,
      source: 'Acme payroll',
      description: 'Salary',
      schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-10-28' },
      // Not back-filled: Oct 28 is before today (Nov 24) and only anchors the schedule.
      nextOccurrenceOn: '2026-11-28',
      paused: false,
      createdBy: suite.team.editor.id,
      version: 1,
    });
    // The ETag names the next occurrence too (the job moves it without a new version).
    await suite.h.expectCreated(res, path(b), suite.team.viewer, '"1-n20261128"');

    const listed = await req(suite.team.viewer, 'GET', path(b));
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((i: { id: string }) => i.id)).toEqual([res.json.id]);

    const item = `${path(b)}/${res.json.id}`;
    expectProblem(await req(suite.team.owner, 'PATCH', item, { body: { amount: 1 }, headers: { 'if-match': '"7"' } }), 412);
    const changed = await req(suite.team.owner, 'PATCH', item, { body: { amount: 335000, source: null, schedule: { startsOn: '2026-11-25' } }, headers: { 'if-match': '"1"' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2-n20261125"');
    expect(changed.json).toMatchObject({ amount: 335000, nextOccurrenceOn: '2026-11-25', version: 2 });
    expect(changed.json.source).toBeUndefined();

    expect((await req(suite.team.owner, 'DELETE', item, { headers: { 'if-match': '"2"' } })).status).toBe(204);
    expectProblem(await req(suite.team.owner, 'GET', item), 404);
  });

  it('a PATCH that changes nothing writes nothing: 200 with the stored definition and its ETag; If-Match still checked, a viewer still 403', async () => {
    const b = await fresh();
    const made = await req(suite.team.owner, 'POST', path(b), { body: { amount: 320000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-10-28', count: 12 } } });
    expect(made.status, made.text).toBe(201);
    const url = made.headers.get('location')!;
    created.push(url);
    // The values it has: text as sent before trimming, a removal of a description it has not, the
    // budget's currency, paused: false on a running one, schedule fields it has (its count too).
    const same = [
      { amount: 320000 },
      { source: '  Acme payroll ' },
      { description: null },
      { description: '' },
      { currency: 'USD', paused: false },
      { schedule: { frequency: 'monthly', startsOn: '2026-10-28' } },
      { schedule: { interval: 1, count: 12 } },
    ];
    for (const body of same) {
      for (const headers of [{}, { 'if-match': '"1"' }] as Record<string, string>[]) {
        const patch = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.editor, 'PATCH', url, { body, headers }));
        expect(patch.result.status, `${JSON.stringify(body)} ${patch.result.text}`).toBe(200);
        expect(patch.result.headers.get('etag')).toBe(`"1-n${made.json.nextOccurrenceOn.replaceAll('-', '')}"`);
        expect(patch.result.json).toEqual(made.json);
        // Read only: the access BatchGetItem carrying the definition's read, no write.
        expect(patch.commands).toEqual(['BatchGetItemCommand']);
      }
    }
    expectProblem(await req(suite.team.owner, 'PATCH', url, { body: { amount: 320000 }, headers: { 'if-match': '"2"' } }), 412);
    expectProblem(await req(suite.team.viewer, 'PATCH', url, { body: { amount: 320000 } }), 403);
    expect((await req(suite.team.owner, 'GET', url)).json).toEqual(made.json);
    // A real change after them is version 2.
    const changed = await req(suite.team.owner, 'PATCH', url, { body: { amount: 320000, description: 'Salary' }, headers: { 'if-match': '"1"' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2-n20261128"');
    expect(changed.json).toMatchObject({ description: 'Salary', version: 2 });
  });

  it('an Idempotency-Key replays the first answer; a second body with it is a 422', async () => {
    const b = await fresh();
    const body = { amount: 1000, schedule: { frequency: 'weekly', interval: 2 } };
    const first = await req(suite.team.owner, 'POST', path(b), { body, headers: { 'idempotency-key': 'paycheck-1' } });
    expect(first.status, first.text).toBe(201);
    created.push(first.headers.get('location')!);
    const again = await req(suite.team.owner, 'POST', path(b), { body, headers: { 'idempotency-key': 'paycheck-1' } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.id).toBe(first.json.id);
    expectProblem(await req(suite.team.owner, 'POST', path(b), { body: { ...body, amount: 2000 }, headers: { 'idempotency-key': 'paycheck-1' } }), 422);
    expect((await req(suite.team.owner, 'GET', path(b))).json.items).toHaveLength(1);
  });

  it('4xx: bad fields named (inside schedule too), a viewer may not write, a stranger sees nothing, an archived budget refuses writes', async () => {
    const b = await fresh();
    const ok = { amount: 1000, schedule: { frequency: 'monthly' } };
    expectProblem(await req(suite.team.owner, 'POST', path(b), { body: { ...ok, category: 'x' } }), 400, ['category']);
    expectProblem(await req(suite.team.owner, 'POST', path(b), { body: { ...ok, schedule: { frequency: 'monthly', every: 2 } } }), 400, ['schedule.every']);
    expectProblem(await req(suite.team.owner, 'POST', path(b), { body: { ...ok, amount: 0 } }), 400, ['amount']);
    expectProblem(await req(suite.team.owner, 'POST', path(b), { body: { ...ok, schedule: { frequency: 'fortnightly' } } }), 400, ['schedule.frequency']);
    expectProblem(await req(suite.team.owner, 'POST', path(b), { body: { ...ok, currency: 'EUR' } }), 400, ['currency']);
    expectProblem(await req(suite.team.owner, 'POST', path(b), { body: { ...ok, schedule: { frequency: 'monthly', count: 3, endsOn: '2027-01-01' } } }), 400, ['schedule.count']);
    expectProblem(await req(suite.team.owner, 'POST', path(b), { body: { ...ok, schedule: { frequency: 'monthly', startsOn: '2026-12-01', endsOn: '2026-11-30' } } }), 400, ['schedule.endsOn']);
    expectProblem(await req(suite.team.viewer, 'POST', path(b), { body: ok }), 403);
    expectProblem(await req(suite.team.stranger, 'GET', path(b)), 404);
    expectProblem(await req(suite.team.stranger, 'POST', path(b), { body: ok }), 404);

    const r = await schedule(b, ok);
    expectProblem(await req(suite.team.owner, 'PATCH', `${path(b)}/${r.id}`, { body: {} }), 400, ['body']);
    expectProblem(await req(suite.team.owner, 'PATCH', `${path(b)}/${r.id}`, { body: { createdBy: suite.team.viewer.id } }), 400, ['createdBy']);
    expectProblem(await req(suite.team.viewer, 'PATCH', `${path(b)}/${r.id}`, { body: { amount: 5 } }), 403);
    expectProblem(await req(suite.team.viewer, 'DELETE', `${path(b)}/${r.id}`), 403);
    expectProblem(await req(suite.team.stranger, 'GET', `${path(b)}/${r.id}`), 404);
    expectProblem(await req(suite.team.owner, 'GET', `${path(b)}/01JDNOSUCHDEFINITION000000`), 404);

    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/archive`)).status).toBe(200);
    const refused = await req(suite.team.owner, 'POST', path(b), { body: ok });
    expectProblem(refused, 409);
    expect(refused.json.type).toMatch(/budget-archived$/);
    expectProblem(await req(suite.team.owner, 'PATCH', `${path(b)}/${r.id}`, { body: { amount: 5 } }), 409);
    expect((await req(suite.team.viewer, 'GET', `${path(b)}/${r.id}`)).status).toBe(200);
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/unarchive`)).status).toBe(200);
  });
});

describe('the cap on recurring income per budget', { timeout: 120_000 }, () => {
  it('past 100 a create is a 409 limit-reached (limit, collection recurringIncome), nothing written', async () => {
    const b = await fresh();
    const one = await schedule(b, { amount: 1000, schedule: { frequency: 'monthly' } });
    // As if 99 more were set up: the count item the create's transaction conditions on.
    await suite.h.t.doc.send(new PutCommand({ TableName: suite.h.t.tableName, Item: { pk: `expenses#budget#${b.id}`, sk: 'expenses#recurincome-count', kind: 'recurring-income-count', count: 100 } }));
    const refused = await req(suite.team.owner, 'POST', path(b), { body: { amount: 2000, schedule: { frequency: 'monthly' } } });
    expectProblem(refused, 409);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: 100, collection: 'recurringIncome' });
    expect(refused.json.detail).toContain('at most 100 recurring incomes');
    expect((await req(suite.team.owner, 'GET', path(b))).json.items.map((d: { id: string }) => d.id)).toEqual([one.id]);
  });
});

describe('the recurring-income job', { timeout: 120_000 }, () => {
  it('records a due occurrence as an income entry with its month total and income.recorded (via recurring) once; a second run records nothing', async () => {
    const b = await fresh();
    const r = await schedule(b, { amount: 320000, source: 'Acme payroll', description: 'Salary', schedule: { frequency: 'monthly', startsOn: '2026-11-24' } }, suite.team.editor);
    expect(r.nextOccurrenceOn).toBe('2026-11-24');

    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [entry, ...others] = await incomeOf(b);
    expect(others).toEqual([]);
    // Linked to its definition (GET and the list show it), as a recurring expense's occurrence is.
    expect(entry).toMatchObject({ amount: 320000, receivedOn: '2026-11-24', source: 'Acme payroll', description: 'Salary', recurringIncomeId: r.id, createdBy: suite.team.editor.id });
    expect((await req(suite.team.viewer, 'GET', `/v1/budgets/${b.id}/income/${entry!.id}`)).json.recurringIncomeId).toBe(r.id);
    expect(await monthsIncome(b, '2026-11', '2026-12')).toEqual({ '2026-11': 320000, '2026-12': 0 });
    const recorded = await theEvent(suite.h.t, 'income.recorded', { budgetId: b.id });
    expect(recorded.envelope.data).toEqual({
      budgetId: b.id,
      incomeId: entry!.id,
      amount: 320000,
      receivedOn: '2026-11-24',
      source: 'Acme payroll',
      description: 'Salary',
      createdBy: suite.team.editor.id,
      version: 1,
      via: 'recurring',
      recurringIncomeId: r.id,
    });
    const after = await definition(b, r.id);
    expect(after).toMatchObject({ nextOccurrenceOn: '2026-12-24', version: 1 }); // the job does not change the ETag

    expect(await run()).toMatchObject({ recorded: 0, failed: 0 });
    at('2026-11-25T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0 });
    expect(await incomeOf(b)).toHaveLength(1);
    expect((await outboxEvents(suite.h.t, 'income.recorded')).filter((e) => e.envelope.data.budgetId === b.id)).toHaveLength(1);
  });

  it('catches up every missed date of a biweekly paycheck, oldest first; the months hold exactly their entries', async () => {
    const b = await fresh();
    // Every 2 weeks from Tue Nov 24: Nov 24, Dec 8, Dec 22, Jan 5.
    const r = await schedule(b, { amount: 150050, source: 'Paycheck', schedule: { frequency: 'weekly', interval: 2 } });
    at('2026-12-23T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 3, failed: 0 });
    expect((await incomeOf(b)).map((i) => [i.receivedOn, i.amount])).toEqual([
      ['2026-11-24', 150050],
      ['2026-12-08', 150050],
      ['2026-12-22', 150050],
    ]);
    // Recorded oldest first: their ids ascend with the dates (nothing relies on it: README "Limits and known gaps").
    const ids = (await incomeOf(b)).map((i) => i.id);
    expect(ids).toEqual([...ids].sort());
    // November: one paycheck; December: two, 2 x 150050 = 300100.
    expect(await monthsIncome(b, '2026-11', '2027-01')).toEqual({ '2026-11': 150050, '2026-12': 300100, '2027-01': 0 });
    expect((await definition(b, r.id)).nextOccurrenceOn).toBe('2027-01-05');
  });

  it('a crash right after an occurrence committed: the run again records the rest, none twice', async () => {
    const b = await fresh();
    // Daily from Nov 24; on Nov 28: Nov 24..28, 5 dates of 1000.
    await schedule(b, { amount: 1000, schedule: { frequency: 'daily' } });
    at('2026-11-28T12:00:00Z');
    crashAfterOccurrence = 1;
    expect(await run()).toMatchObject({ recorded: 0, failed: 1 });
    expect(crashAfterOccurrence).toBe(0);
    expect((await incomeOf(b)).map((i) => i.receivedOn)).toEqual(['2026-11-24']); // committed before the crash
    expect(await run()).toMatchObject({ recorded: 4, failed: 0 });
    expect(await run()).toMatchObject({ recorded: 0 });
    expect((await incomeOf(b)).map((i) => i.receivedOn)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
    expect(await monthsIncome(b, '2026-11', '2026-11')).toEqual({ '2026-11': 5000 });
    expect((await outboxEvents(suite.h.t, 'income.recorded')).filter((e) => e.envelope.data.budgetId === b.id)).toHaveLength(5);
  });

  it('two runs at once record each date once', async () => {
    const b = await fresh();
    await schedule(b, { amount: 700, schedule: { frequency: 'daily' } });
    at('2026-11-27T12:00:00Z');
    const [first, second] = await Promise.all([run(), run()]);
    expect(first!.recorded + second!.recorded).toBe(4);
    expect((await incomeOf(b)).map((i) => i.receivedOn)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(await monthsIncome(b, '2026-11', '2026-11')).toEqual({ '2026-11': 2800 });
  });

  it('paused and ended schedules record nothing; a resume starts from today', async () => {
    const b = await fresh();
    const paused = await schedule(b, { amount: 100, source: 'paused', schedule: { frequency: 'daily' }, paused: true });
    expect(paused.nextOccurrenceOn).toBeNull();
    const ended = await schedule(b, { amount: 200, source: 'ended', schedule: { frequency: 'monthly', startsOn: '2026-09-24', endsOn: '2026-11-23' } });
    expect(ended.nextOccurrenceOn).toBeNull();
    const once = await schedule(b, { amount: 300, source: 'once', schedule: { frequency: 'monthly', count: 1 } });
    expect(once.nextOccurrenceOn).toBe('2026-11-24');
    const later = await schedule(b, { amount: 400, source: 'paused later', schedule: { frequency: 'daily', startsOn: '2026-11-26' } });

    expect(await run()).toMatchObject({ recorded: 1 }); // `once`, its only date
    expect((await definition(b, once.id)).nextOccurrenceOn).toBeNull();
    const paused2 = await req(suite.team.owner, 'PATCH', `${path(b)}/${later.id}`, { body: { paused: true } });
    expect(paused2.json).toMatchObject({ paused: true, nextOccurrenceOn: null });

    at('2026-12-10T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0 });
    const resumed = await req(suite.team.owner, 'PATCH', `${path(b)}/${paused.id}`, { body: { paused: false } });
    expect(resumed.json).toMatchObject({ paused: false, nextOccurrenceOn: '2026-12-10' });
    expect(await run()).toMatchObject({ recorded: 1 });
    expect((await incomeOf(b)).map((i) => [i.source, i.receivedOn])).toEqual([
      ['once', '2026-11-24'],
      ['paused', '2026-12-10'],
    ]);
    expect(await monthsIncome(b, '2026-11', '2026-12')).toEqual({ '2026-11': 300, '2026-12': 100 });
  });

  it("an archived budget's and a demoted creator's due dates are skipped, not caught up later", async () => {
    const archived = await fresh();
    const a = await schedule(archived, { amount: 500, schedule: { frequency: 'daily' } });
    const demoted = await fresh();
    const d = await schedule(demoted, { amount: 600, schedule: { frequency: 'daily' } }, suite.team.editor);
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${archived.id}/archive`)).status).toBe(200);
    expect((await req(suite.team.owner, 'PATCH', `/v1/budgets/${demoted.id}/members/${suite.team.editor.id}`, { body: { role: 'viewer' } })).status).toBe(200);

    at('2026-11-26T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0, skipped: 2, failed: 0 });
    expect((await definition(archived, a.id)).nextOccurrenceOn).toBe('2026-11-27');
    expect((await definition(demoted, d.id)).nextOccurrenceOn).toBe('2026-11-27');

    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${archived.id}/unarchive`)).status).toBe(200);
    expect((await req(suite.team.owner, 'PATCH', `/v1/budgets/${demoted.id}/members/${suite.team.editor.id}`, { body: { role: 'editor' } })).status).toBe(200);
    at('2026-11-27T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 2 });
    expect((await incomeOf(archived)).map((i) => i.receivedOn)).toEqual(['2026-11-27']);
    expect((await incomeOf(demoted)).map((i) => i.receivedOn)).toEqual(['2026-11-27']);
  });

  // Unlike a recurring expense's, whose job settles an archived budget's dates up to the archive's
  // day with the bills an import recorded before it (packages/expenses/docs/import-export.md "Bill matching"), a paycheck is never
  // matched with an imported or typed entry: nothing in the archived budget could settle a date,
  // so the job skips them all, those up to the archive's day included (packages/expenses/docs/income.md "Recurring income").
  it("an archived budget's paycheck dates up to the archive's day (the job behind) are skipped too: not recorded, not caught up after unarchiving", async () => {
    const b = await fresh();
    const salary = await schedule(b, { amount: 320000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-11-25' } });
    const gig = await schedule(b, { amount: 700, schedule: { frequency: 'daily' } });
    // Nov 25: the salary came and a member typed it in; the job did not run on the 24th or the 25th.
    at('2026-11-25T18:00:00Z');
    const typed = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/income`, { body: { amount: 320000, source: 'Acme payroll', receivedOn: '2026-11-25' } });
    expect(typed.status, typed.text).toBe(201);
    at('2026-11-26T09:00:00Z');
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/archive`)).status).toBe(200);

    // Nov 27: due are the salary's Nov 25 and the gig's Nov 24 to 27; all but the gig's Nov 27 on or before the archive's day (Nov 26).
    at('2026-11-27T12:00:00Z');
    const before = await commandsSentDuring(suite.h.t.doc, () => run());
    expect(before.result).toMatchObject({ recorded: 0, skipped: 2, failed: 0 });
    // No entry, total or event: the transactions are the two advances (with their change numbers), nothing else.
    expect(before.sent.filter((c) => c.name === 'TransactWriteItemsCommand').map((c) => (c.input.TransactItems as unknown[]).length)).toEqual([3, 3]);
    expect((await definition(b, salary.id)).nextOccurrenceOn).toBe('2026-12-25');
    expect((await definition(b, gig.id)).nextOccurrenceOn).toBe('2026-11-28');

    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/unarchive`)).status).toBe(200);
    expect(await run()).toMatchObject({ recorded: 0, skipped: 0 });
    at('2026-11-28T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, skipped: 0, failed: 0 });
    // The typed salary and the gig's Nov 28 alone: no Nov 25 salary recorded beside the typed one, no Nov 24..27 gig.
    expect((await incomeOf(b)).map((i) => [i.source ?? null, i.receivedOn, i.recurringIncomeId ?? null])).toEqual([
      ['Acme payroll', '2026-11-25', null],
      [null, '2026-11-28', gig.id],
    ]);
    expect(await monthsIncome(b, '2026-11', '2026-11')).toEqual({ '2026-11': 320000 + 700 });
    // The paycheck status: the typed entry is not the definition's, so its date reads missed.
    const status = await req(suite.team.owner, 'GET', `/v1/budgets/${b.id}/recurring-income/status?month=2026-11`);
    expect(status.status, status.text).toBe(200);
    const salaryDates = status.json.items.find((i: { recurringIncomeId: string }) => i.recurringIncomeId === salary.id).dates;
    expect(salaryDates).toEqual([{ occurredOn: '2026-11-25', status: 'missed' }]);
  });

  it("a budget archived right after the job's access read: the date (the archive's day) is skipped by the guard failing, not recorded nor caught up", async () => {
    const b = await fresh();
    const gig = await schedule(b, { amount: 900, schedule: { frequency: 'daily' } });
    const real = suite.h.t.system.facades.budgets;
    let archived = false;
    const budgets = Object.create(real) as typeof real;
    budgets.getAccess = async (...args: Parameters<typeof real.getAccess>) => {
      const access = await real.getAccess(...args);
      if (!archived) {
        archived = true;
        expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/archive`)).status).toBe(200);
      }
      return access;
    };
    expect(await runRecurringIncomeJob(suite.h.t, budgets)).toMatchObject({ recorded: 0, skipped: 1, failed: 0 });
    expect(archived).toBe(true);
    expect((await definition(b, gig.id)).nextOccurrenceOn).toBe('2026-11-25');
    expect(await incomeOf(b)).toEqual([]);

    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/unarchive`)).status).toBe(200);
    at('2026-11-25T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, skipped: 0 });
    expect((await incomeOf(b)).map((i) => i.receivedOn)).toEqual(['2026-11-25']);
  });
});

describe('upcoming recurring income', { timeout: 120_000 }, () => {
  it('lists the next occurrences through `to`, nearest first, with their total; 400 naming query.to out of range', async () => {
    const b = await fresh();
    const salary = await schedule(b, { amount: 320000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-10-30' } });
    const side = await schedule(b, { amount: 5000, description: 'Tutoring', schedule: { frequency: 'weekly', startsOn: '2026-11-26' } });
    await schedule(b, { amount: 9, schedule: { frequency: 'daily' }, paused: true });
    const res = await req(suite.team.viewer, 'GET', `${path(b)}/upcoming?to=2026-12-10`);
    expect(res.status, res.text).toBe(200);
    // Tutoring Nov 26, Dec 3, Dec 10; salary Nov 30: 3 x 5000 + 320000 = 335000.
    expect(res.json).toEqual({
      from: '2026-11-24',
      to: '2026-12-10',
      currency: 'USD',
      total: 335000,
      count: 4,
      truncated: false,
      items: [
        { recurringIncomeId: side.id, receivedOn: '2026-11-26', amount: 5000, description: 'Tutoring' },
        { recurringIncomeId: salary.id, receivedOn: '2026-11-30', amount: 320000, source: 'Acme payroll' },
        { recurringIncomeId: side.id, receivedOn: '2026-12-03', amount: 5000, description: 'Tutoring' },
        { recurringIncomeId: side.id, receivedOn: '2026-12-10', amount: 5000, description: 'Tutoring' },
      ],
    });
    // Default: 30 days including today, Nov 24..Dec 23: tutoring Nov 26, Dec 3, 10, 17 (Dec 24 is past it), salary Nov 30.
    const byDefault = (await req(suite.team.owner, 'GET', `${path(b)}/upcoming`)).json;
    expect(byDefault).toMatchObject({ to: '2026-12-23', count: 5, total: 4 * 5000 + 320000 });
    expectProblem(await req(suite.team.owner, 'GET', `${path(b)}/upcoming?to=2026-11-23`), 400, ['query.to']);
    expectProblem(await req(suite.team.owner, 'GET', `${path(b)}/upcoming?to=2027-02-22`), 400, ['query.to']);
    expectProblem(await req(suite.team.owner, 'GET', `${path(b)}/upcoming?days=3`), 400, ['query.days']);
    expectProblem(await req(suite.team.stranger, 'GET', `${path(b)}/upcoming`), 404);
  });
});

describe("the budget's deletion", { timeout: 120_000 }, () => {
  it('removes its recurring income definitions, their count and markers with the rest of its expense data', async () => {
    const doomed = await fresh();
    await schedule(doomed, { amount: 100, schedule: { frequency: 'daily' } });
    await run(); // a marker too
    created.splice(0); // deleted with the budget
    const kept = await fresh();
    await schedule(kept, { amount: 100, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
    const ours = async (budgetId: string) =>
      (await tableItems(suite.h.t.doc, suite.h.t.tableName)).filter((i) => i.pk === `expenses#budget#${budgetId}` && String(i.sk).startsWith('expenses#recurincome'));
    // The definition, the count and the occurrence marker.
    expect((await ours(doomed.id)).map((i) => i.kind).sort()).toEqual(['recurring-income', 'recurring-income-count', 'recurring-income-occurrence']);
    expect((await req(suite.team.owner, 'DELETE', `/v1/budgets/${doomed.id}`)).status).toBe(204);
    await deliver(suite.h.t, await theEvent(suite.h.t, 'budget.deleted', { budgetId: doomed.id }));
    expect(await ours(doomed.id)).toEqual([]);
    expect((await ours(kept.id)).length).toBe(2);
  });
});

/** What a definition's write and one recorded occurrence cost (packages/expenses/docs/income.md "Recurring income", Cost): requests and transaction items. */
describe('recurring income: what it costs', { timeout: 120_000 }, () => {
  it("a create: the access read, its change counter and ONE transaction (definition, closed check, count, change stamp, guard); an occurrence: the job's reads and ONE transaction (the income create's items, the advance, the marker, the definition's change entry, the guard)", async () => {
    const b = await fresh();
    const create = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.owner, 'POST', path(b), { body: { amount: 1000, schedule: { frequency: 'monthly' } } }));
    expect(create.result.status, create.result.text).toBe(201);
    created.push(create.result.headers.get('location')!);
    // The definition's change counter (delta sync; a new budget's: never written by this process), then the transaction.
    expect(create.commands).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    expect((writeItemsOf(create.sent) as Record<string, any>[]).map((i) => Object.keys(i)[0])).toEqual(['Put', 'ConditionCheck', 'Update', 'Update', 'Put', 'ConditionCheck']);
    const job = await commandsSentDuring(suite.h.t.doc, () => run());
    expect(job.result).toMatchObject({ recorded: 1 });
    // The planner's Query of each of the 4 due shards, the creator's access, the definition with its
    // change counter (one BatchGetItem, where a GetItem of the definition was), the entry's change
    // counter (delta sync: read unless known: the same counter when both ids fall in one shard), the transaction.
    const items = writeItemsOf(job.sent) as Record<string, any>[];
    const sameCounter = changeShardOf(items[0]!.Put.Item.id) === changeShardOf(create.result.json.id);
    expect(job.commands).toEqual([...Array(4).fill('QueryCommand'), 'BatchGetItemCommand', 'BatchGetItemCommand', ...(sameCounter ? [] : ['GetItemCommand']), 'TransactWriteItemsCommand']);
    // The income create's (entry, month total, event), the advance and the marker, the change
    // counter and its entry (the income create's stamp), the definition's change entry on the same counter, the guard.
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Put', 'Update', 'Put', 'Update', 'Put', 'Put', 'ConditionCheck']);
    expect(items[7]!.Put.Item).toMatchObject({ recurringIncomeId: create.result.json.id, seq: items[6]!.Put.Item.seq + 1 });
    expect(items[5]!.Update.Key).toMatchObject({ pk: expect.stringMatching(/^expenses#changes#/), sk: expect.stringMatching(/^expenses#seq#/) });
    expect(items[6]!.Put.Item).toMatchObject({ incomeId: items[0]!.Put.Item.id });
    expect(items[0]!.Put.Item).toMatchObject({ kind: 'income', amount: 1000, receivedOn: '2026-11-24' });
    expect(items[2]!.Put.Item).toMatchObject({ kind: 'outbox', detailType: 'income.recorded' });
    expect(items[4]!.Put.Item).toMatchObject({ kind: 'recurring-income-occurrence', occurredOn: '2026-11-24' });

    // Keyed: the lease's UpdateItem, its completion one item more of the transaction (after the capped create's three), no write after it.
    // (A fresh budget: its change counter unknown to the process, as above. The caller's account
    // is read in a BatchGetItem of its own: the lease's write comes between it and the access read.)
    const keyedIn = await fresh();
    const keyed = await commandsSentDuring(suite.h.t.doc, () =>
      req(suite.team.owner, 'POST', path(keyedIn), { body: { amount: 1001, schedule: { frequency: 'monthly' } }, headers: { 'idempotency-key': `cost-create-${keyedIn.id}` } }),
    );
    expect(keyed.result.status, keyed.result.text).toBe(201);
    created.push(keyed.result.headers.get('location')!);
    const keyedItems = writeItemsOf(keyed.sent) as Record<string, any>[];
    expect(keyed.commands).toEqual(['BatchGetItemCommand', 'UpdateItemCommand', 'BatchGetItemCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    expect(keyedItems.map((i) => Object.keys(i)[0])).toEqual(['Put', 'ConditionCheck', 'Update', 'Update', 'Update', 'Put', 'ConditionCheck']);
    expect(String(keyedItems[3]!.Update.Key.pk)).toMatch(/^idempotency#/);
    expect(keyedItems[3]!.Update.ExpressionAttributeValues[':completed']).toBe('completed');
  });
});
