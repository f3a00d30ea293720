import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { runRecurringIncomeJob } from '../../support/recurring-job';
import { type Budget } from './harness';
import { recurringIncomeSuite } from './recurring-income-harness';

/**
 * The paychecks' status in a month (GET .../recurring-income/status, packages/expenses/docs/income.md "Paycheck
 * status"), on DynamoDB Local with the real recurring income job, skip, pause and resume. Every
 * figure is worked out by hand from the timeline (a budget in UTC):
 * - Oct 5: a monthly salary (5,000.00 from Oct 6), a biweekly paycheck (3,200.00 from Fri Oct 9)
 *   and a weekly gig (100.00 from Wed Oct 7) created.
 * - Oct 9 job: salary Oct 6, gig Oct 7, paycheck Oct 9 received; the Oct 9 entry is then deleted
 *   (the paycheck never came): missed.
 * - Oct 10: the gig's Oct 14 skipped. Oct 16: the gig paused; Oct 23 job: the paycheck's Oct 23;
 *   Oct 27: the gig resumed (next Oct 28): its Oct 21 fell while paused.
 */
const BASE = '2026-10-05T12:00:00Z';
const suite = recurringIncomeSuite(BASE);
const { clock, req, fresh, schedule, incomeOf } = suite;
const on = (date: string) => clock.set(`${date}T12:00:00Z`);
const status = (b: Budget, query = '', who = suite.team.viewer) => req(who, 'GET', `/v1/budgets/${b.id}/recurring-income/status${query}`);

describe('recurring income: the paychecks of a month', { timeout: 120_000 }, () => {
  it('received (entry and amount), missed, skipped, paused and due dates; totals by hand; a viewer reads', async () => {
    const b = await fresh();
    const salary = await schedule(b, { amount: 500000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-10-06' } });
    const paycheck = await schedule(b, { amount: 320000, source: 'Side job', schedule: { frequency: 'weekly', interval: 2, startsOn: '2026-10-09' } });
    const gig = await schedule(b, { amount: 10000, description: 'Tutoring', schedule: { frequency: 'weekly', startsOn: '2026-10-07' } });
    on('2026-10-09');
    expect(await runRecurringIncomeJob(suite.h.t)).toMatchObject({ failed: 0 });
    const first = await incomeOf(b);
    const missedEntry = first.find((e) => e.recurringIncomeId === paycheck.def.id)!;
    expect((await req(suite.team.owner, 'DELETE', `/v1/budgets/${b.id}/income/${missedEntry.id}`)).status).toBe(204);
    on('2026-10-10');
    expect((await req(suite.team.owner, 'POST', gig.skip)).json).toMatchObject({ nextOccurrenceOn: '2026-10-21' });
    on('2026-10-16');
    expect((await req(suite.team.owner, 'PATCH', gig.url, { body: { paused: true } })).status).toBe(200);
    on('2026-10-23');
    expect(await runRecurringIncomeJob(suite.h.t)).toMatchObject({ failed: 0 });
    on('2026-10-27');
    expect((await req(suite.team.owner, 'PATCH', gig.url, { body: { paused: false } })).json).toMatchObject({ nextOccurrenceOn: '2026-10-28' });

    const entries = await incomeOf(b);
    const idOf = (def: string, receivedOn: string) => entries.find((e) => e.recurringIncomeId === def && e.receivedOn === receivedOn)!.id;
    const res = await status(b, '?month=2026-10');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      month: '2026-10',
      from: '2026-10-01',
      to: '2026-10-31',
      today: '2026-10-27',
      currency: 'USD',
      truncated: false,
      totals: {
        expected: 500000 + 2 * 320000 + 2 * 10000,
        received: 500000 + 320000 + 10000,
        stillExpected: 10000,
        counts: { received: 3, skipped: 1, paused: 1, missed: 1, due: 1 },
      },
      items: [
        {
          recurringIncomeId: salary.def.id,
          source: 'Acme payroll',
          amount: 500000,
          paused: false,
          dates: [{ occurredOn: '2026-10-06', status: 'received', incomeId: idOf(salary.def.id, '2026-10-06'), amount: 500000 }],
        },
        {
          recurringIncomeId: paycheck.def.id,
          source: 'Side job',
          amount: 320000,
          paused: false,
          dates: [
            { occurredOn: '2026-10-09', status: 'missed' },
            { occurredOn: '2026-10-23', status: 'received', incomeId: idOf(paycheck.def.id, '2026-10-23'), amount: 320000 },
          ],
        },
        {
          recurringIncomeId: gig.def.id,
          description: 'Tutoring',
          amount: 10000,
          paused: false,
          dates: [
            { occurredOn: '2026-10-07', status: 'received', incomeId: idOf(gig.def.id, '2026-10-07'), amount: 10000 },
            { occurredOn: '2026-10-14', status: 'skipped' },
            { occurredOn: '2026-10-21', status: 'paused' },
            { occurredOn: '2026-10-28', status: 'due', amount: 10000 },
          ],
        },
      ],
    });
    // Cost: the access BatchGetItem, ONE Query of the definitions, one gsi4 Query per definition with a passed date (all three in October), nothing else.
    const { sent } = await commandsSentDuring(suite.h.t.doc, () => status(b, '?month=2026-10'));
    expect(sent.map((c) => (c.name === 'QueryCommand' ? `Query ${String(c.input.IndexName ?? 'table')}` : c.name))).toEqual(['BatchGetItemCommand', 'Query table', 'Query gsi4', 'Query gsi4', 'Query gsi4']);
    // November's dates are all ahead of the schedule: no entry is read.
    const future = await commandsSentDuring(suite.h.t.doc, () => status(b, '?month=2026-11'));
    expect(future.sent.filter((c) => c.name === 'QueryCommand').map((c) => c.input.IndexName ?? 'table')).toEqual(['table']);
    // An archived budget still answers.
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/archive`)).status).toBe(200);
    expect((await status(b, '?month=2026-10')).json.totals.received).toBe(830000);
    // November: every date still to come (the salary's Nov 6, the paycheck's Nov 6 and 20, the gig's four Wednesdays).
    const nov = await status(b, '?month=2026-11');
    expect(nov.json.totals).toEqual({ expected: 500000 + 640000 + 40000, received: 0, stillExpected: 500000 + 640000 + 40000, counts: { received: 0, skipped: 0, paused: 0, missed: 0, due: 7 } });
    // September: before any was created, none listed.
    expect((await status(b, '?month=2026-09')).json).toMatchObject({ from: '2026-09-01', to: '2026-09-30', items: [], totals: { expected: 0 } });
  });

  it("an entry record-next dated early settles its own date, not one of the month it is dated in", async () => {
    const b = await fresh();
    const pay = await schedule(b, { amount: 250000, source: 'Payroll', schedule: { frequency: 'monthly', startsOn: '2026-10-09' } });
    on('2026-10-09');
    expect(await runRecurringIncomeJob(suite.h.t)).toMatchObject({ failed: 0 });
    const [entry] = await incomeOf(b);
    expect((await req(suite.team.owner, 'DELETE', `/v1/budgets/${b.id}/income/${entry!.id}`)).status).toBe(204);
    // Oct 31: November's paycheck came early, recorded on the day it came.
    on('2026-10-31');
    const early = await req(suite.team.owner, 'POST', pay.recordNext, { body: { receivedOn: '2026-10-31' } });
    expect(early.status, early.text).toBe(200);
    const res = await status(b, '?month=2026-10');
    // Oct 9's entry was deleted: missed; the Oct 31 entry is Nov 9's, not Oct 9's.
    expect(res.json.items[0].dates).toEqual([{ occurredOn: '2026-10-09', status: 'missed' }]);
    expect(res.json.totals).toMatchObject({ expected: 250000, received: 0, counts: { received: 0, missed: 1 } });
    // November: Nov 9 was received (the entry dated Oct 31), not missed.
    const nov = await status(b, '?month=2026-11');
    expect(nov.json.items[0].dates).toEqual([{ occurredOn: '2026-11-09', status: 'received', incomeId: early.json.income.id, amount: 250000 }]);
  });

  it("defaults to the current month in the budget's time zone", async () => {
    const b = await suite.h.createBudget(suite.team.owner, { currency: 'NZD', timezone: 'Pacific/Auckland' });
    // 12:00 UTC on Oct 31 is 01:00 on Nov 1 in Auckland (UTC+13).
    clock.set('2026-10-31T12:00:00Z');
    const pay = await schedule(b, { amount: 250000, source: 'Payroll', schedule: { frequency: 'monthly', startsOn: '2026-11-01' } });
    const res = await status(b, '', suite.team.owner);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ month: '2026-11', from: '2026-11-01', to: '2026-11-30', today: '2026-11-01', currency: 'NZD' });
    expect(res.json.items).toEqual([{ recurringIncomeId: pay.def.id, source: 'Payroll', amount: 250000, paused: false, dates: [{ occurredOn: '2026-11-01', status: 'due', amount: 250000 }] }]);
    expect((await status(b, '?month=2026-10', suite.team.owner)).json.items).toEqual([]);
  });

  it('a stranger gets 404; a bad month is a 400 naming query.month', async () => {
    const b = await fresh();
    expectProblem(await status(b, '', suite.team.stranger), 404);
    for (const bad of ['2026-13', '2026-1', 'october', '2026-10-01']) expectProblem(await status(b, `?month=${bad}`), 400, ['query.month']);
  });
});
