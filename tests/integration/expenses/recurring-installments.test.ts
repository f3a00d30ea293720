import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import type { Budget, Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * Installment plans (`schedule.count`) through HTTP and the real job (DynamoDB Local, fixed
 * clock, UTC budgets): the plan's endsOn is derived from the count (month-end rule), the job
 * records exactly `count` expenses and no more, upcoming and costs count only the payments
 * left, `paymentsLeft` follows, and the PATCH rules (count kept and endsOn derived again, count
 * null, endsOn replacing count) and the 400s naming `schedule.count`.
 */
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { clock, created, req, run, collection } = suite;
let h: Harness;
let owner: User;
beforeAll(() => {
  h = suite.harness();
  owner = suite.owner();
});

async function createPlan(b: Budget, schedule: Record<string, unknown>, amount = 2500) {
  const res = await req('POST', collection(b), { body: { amount, merchant: 'Phone Co', schedule } });
  expect(res.status, res.text).toBe(201);
  const url = res.headers.get('location')!;
  created.push(url);
  return { url, json: res.json };
}

const datesOf = async (b: Budget) => (await suite.expensesOf<{ occurredOn: string }>(b)).map((e) => e.occurredOn);

describe('installment plans', { timeout: 180_000 }, () => {
  it('monthly from Dec 31, count 3: endsOn Feb 28; the job records exactly 3; upcoming and costs count only what is left', async () => {
    const b = await h.createBudget(owner);
    const { url, json } = await createPlan(b, { frequency: 'monthly', startsOn: '2026-12-31', count: 3 });
    // Dec 31, Jan 31, Feb 28 (the month's last day).
    expect(json.schedule).toEqual({ frequency: 'monthly', interval: 1, startsOn: '2026-12-31', endsOn: '2027-02-28', count: 3 });
    expect(json).toMatchObject({ nextOccurrenceOn: '2026-12-31', paymentsLeft: 3 });
    expect((await req('GET', url)).json).toMatchObject({ schedule: { count: 3, endsOn: '2027-02-28' }, paymentsLeft: 3 });
    expect((await req('GET', collection(b))).json.items[0]).toMatchObject({ schedule: { count: 3 }, paymentsLeft: 3 });

    // Costs over 2026-11-24..2027-11-23: the 3 payments, not 11 months of them.
    const costs = async () => {
      const res = await req('GET', `${collection(b)}/costs`);
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    expect((await costs()).items).toEqual([expect.objectContaining({ occurrences: 3, yearly: 7500 })]);

    clock.set('2026-12-31T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect((await req('GET', url)).json).toMatchObject({ nextOccurrenceOn: '2027-01-31', paymentsLeft: 2 });
    expect((await costs()).items).toEqual([expect.objectContaining({ occurrences: 2, yearly: 5000 })]);

    clock.set('2027-01-31T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect((await req('GET', url)).json).toMatchObject({ nextOccurrenceOn: '2027-02-28', paymentsLeft: 1 });
    // 2027-01-31..2027-04-30 holds Feb 28, Mar 31 and Apr 30 of the schedule: only Feb 28 is the plan's.
    const upcoming = await req('GET', `${collection(b)}/upcoming?days=90`);
    expect(upcoming.status, upcoming.text).toBe(200);
    expect(upcoming.json).toMatchObject({ total: 2500, count: 1, truncated: false });
    expect(upcoming.json.items.map((i: { occurredOn: string }) => i.occurredOn)).toEqual(['2027-02-28']);
    expect((await costs()).items).toEqual([expect.objectContaining({ occurrences: 1, yearly: 2500 })]);

    clock.set('2027-02-28T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect((await req('GET', url)).json).toMatchObject({ nextOccurrenceOn: null, paymentsLeft: 0, schedule: { count: 3 } });

    // Months later: no 4th payment, nothing upcoming, no cost.
    clock.set('2027-06-15T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0, failed: 0 });
    expect(await datesOf(b)).toEqual(['2026-12-31', '2027-01-31', '2027-02-28']);
    expect((await req('GET', `${collection(b)}/upcoming?days=90`)).json).toMatchObject({ total: 0, count: 0 });
    expect((await costs()).items).toEqual([]);
  });

  it('upcoming and costs carry count and paymentsLeft (null without a count); upcoming gives each date its paymentNumber', async () => {
    clock.set('2026-11-24T12:00:00Z');
    const b = await h.createBudget(owner);
    // Weekly from today (Tue 2026-11-24), 4 payments: 11-24, 12-01, 12-08, 12-15.
    const { url } = await createPlan(b, { frequency: 'weekly', count: 4 });
    // Not a plan: monthly from 11-30, no count.
    const gym = await req('POST', collection(b), { body: { amount: 1000, merchant: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-11-30' } } });
    expect(gym.status, gym.text).toBe(201);
    created.push(gym.headers.get('location')!);
    // The job records payment 1 (today); 3 are left.
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect((await req('GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-12-01', paymentsLeft: 3 });

    // 2026-11-24..2026-12-23: the gym's 11-30 (12-30 is past the days), then payments 2, 3 and 4 of 4.
    const upcoming = await req('GET', `${collection(b)}/upcoming?days=30`);
    expect(upcoming.status, upcoming.text).toBe(200);
    expect(upcoming.json).toMatchObject({ total: 1000 + 3 * 2500, count: 4, truncated: false });
    const plan = (i: { occurredOn: string; daysUntil: number; count: number | null; paymentsLeft: number | null; paymentNumber: number | null }) => [i.occurredOn, i.daysUntil, i.count, i.paymentsLeft, i.paymentNumber];
    expect(upcoming.json.items.map(plan)).toEqual([
      ['2026-11-30', 6, null, null, null],
      ['2026-12-01', 7, 4, 3, 2],
      ['2026-12-08', 14, 4, 3, 3],
      ['2026-12-15', 21, 4, 3, 4],
    ]);

    // Costs over 2026-11-24..2027-11-23: the gym 12 x 10.00 (11-30 through 10-30), the plan's 3 payments left.
    const costs = await req('GET', `${collection(b)}/costs`);
    expect(costs.status, costs.text).toBe(200);
    expect(costs.json.items).toEqual([
      expect.objectContaining({ merchant: 'Gym', occurrences: 12, yearly: 12000, count: null, paymentsLeft: null }),
      expect.objectContaining({ merchant: 'Phone Co', occurrences: 3, yearly: 7500, count: 4, paymentsLeft: 3 }),
    ]);

    // A week later payment 2 is recorded (and the gym's 11-30): upcoming starts at payment 3, paymentsLeft 2.
    clock.set('2026-12-01T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 2, failed: 0 });
    const later = await req('GET', `${collection(b)}/upcoming?days=30`);
    expect(later.json.items.filter((i: { merchant: string }) => i.merchant === 'Phone Co').map(plan)).toEqual([
      ['2026-12-08', 7, 4, 2, 3],
      ['2026-12-15', 14, 4, 2, 4],
    ]);
    // The forecast of December lists them too, with the same fields (null on the gym's 12-30).
    const forecast = await req('GET', `/v1/budgets/${b.id}/forecast`);
    expect(forecast.status, forecast.text).toBe(200);
    const entry = (o: { occurredOn: string; count: number | null; paymentsLeft: number | null; paymentNumber: number | null }) => [o.occurredOn, o.count, o.paymentsLeft, o.paymentNumber];
    expect(forecast.json.upcoming.map(entry)).toEqual([
      ['2026-12-08', 4, 2, 3],
      ['2026-12-15', 4, 2, 4],
      ['2026-12-30', null, null, null],
    ]);
    expect(forecast.json.upcoming[0]).not.toHaveProperty('installment');
  });

  it('the calendar feed lists the plan\'s dates only (single events from the forecast, no RRULE)', async () => {
    const b = await h.createBudget(owner);
    // Weekly from today (Tue 2026-11-24), 3 payments: 11-24, 12-01, 12-08; the feed spans 90 days.
    await createPlan(b, { frequency: 'weekly', count: 3 });
    const feed = await req('POST', `/v1/budgets/${b.id}/calendar-feeds`);
    expect(feed.status, feed.text).toBe(201);
    const ics = await h.call('GET', new URL(feed.json.url).pathname);
    expect(ics.status, ics.text).toBe(200);
    expect(ics.text.match(/^DTSTART;VALUE=DATE:\d+/gm)).toEqual(['DTSTART;VALUE=DATE:20261124', 'DTSTART;VALUE=DATE:20261201', 'DTSTART;VALUE=DATE:20261208']);
    expect(ics.text).not.toMatch(/RRULE/);
  });

  it("the calendar feed's events of a 4-payment plan say which payment each is: (1/4)..(4/4); a definition without a count none", async () => {
    const b = await h.createBudget(owner);
    // Weekly from today (Tue 2026-11-24), 4 payments of 250.00: 11-24, 12-01, 12-08, 12-15, all within the feed's 90 days.
    await createPlan(b, { frequency: 'weekly', count: 4 }, 25_000);
    const gym = await req('POST', collection(b), { body: { amount: 1000, merchant: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-11-30' } } });
    expect(gym.status, gym.text).toBe(201);
    created.push(gym.headers.get('location')!);
    const feed = await req('POST', `/v1/budgets/${b.id}/calendar-feeds`);
    expect(feed.status, feed.text).toBe(201);
    const ics = await h.call('GET', new URL(feed.json.url).pathname);
    expect(ics.status, ics.text).toBe(200);
    const summaries = ics.text.replace(/\r\n[ \t]/g, '').match(/^SUMMARY:.*$/gm)!.map((l) => l.trimEnd());
    expect(summaries.filter((l) => l.startsWith('SUMMARY:Phone Co'))).toEqual([
      'SUMMARY:Phone Co (1/4): 250.00 USD',
      'SUMMARY:Phone Co (2/4): 250.00 USD',
      'SUMMARY:Phone Co (3/4): 250.00 USD',
      'SUMMARY:Phone Co (4/4): 250.00 USD',
    ]);
    // The gym (monthly, no count) on 11-30, 12-30 and 01-30 (the 90 days end 2027-02-21): no number.
    expect(summaries.filter((l) => l.startsWith('SUMMARY:Gym'))).toEqual(['SUMMARY:Gym: 10.00 USD', 'SUMMARY:Gym: 10.00 USD', 'SUMMARY:Gym: 10.00 USD']);
  });

  it('a skipped date is one of the plan\'s dates; paymentsLeft is null while paused', async () => {
    const b = await h.createBudget(owner);
    // Weekly from today (Tue 2026-11-24): 11-24, 12-01, 12-08.
    const { url, json } = await createPlan(b, { frequency: 'weekly', count: 3 });
    expect(json.schedule).toMatchObject({ startsOn: '2026-11-24', endsOn: '2026-12-08', count: 3 });
    const skipped = await req('POST', `${url}/skip`);
    expect(skipped.status, skipped.text).toBe(200);
    expect(skipped.json).toMatchObject({ nextOccurrenceOn: '2026-12-01', paymentsLeft: 2 });
    const paused = await req('PATCH', url, { body: { paused: true } });
    expect(paused.json).toMatchObject({ nextOccurrenceOn: null, paymentsLeft: null });
    const resumed = await req('PATCH', url, { body: { paused: false } });
    expect(resumed.json).toMatchObject({ nextOccurrenceOn: '2026-12-01', paymentsLeft: 2 });
    clock.set('2026-12-20T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 2, failed: 0 });
    expect(await datesOf(b)).toEqual(['2026-12-01', '2026-12-08']);
  });

  it('PATCH of the end only (a new count, endsOn): the dates are the same, so a skipped one stays skipped and the next one stays next', async () => {
    const b = await h.createBudget(owner);
    // Dec 1, Jan 1, Feb 1, Mar 1; Dec 1 skipped (paid another way).
    const { url } = await createPlan(b, { frequency: 'monthly', startsOn: '2026-12-01', count: 4 });
    expect((await req('POST', `${url}/skip`)).json).toMatchObject({ nextOccurrenceOn: '2027-01-01', paymentsLeft: 3 });
    // Two more payments: Apr 1 and May 1. Dec 1 is still skipped.
    const longer = await req('PATCH', url, { body: { schedule: { count: 6 } } });
    expect(longer.status, longer.text).toBe(200);
    expect(longer.json).toMatchObject({ schedule: { count: 6, endsOn: '2027-05-01' }, nextOccurrenceOn: '2027-01-01', paymentsLeft: 5 });
    // An end by hand instead of the count: the same.
    const byHand = await req('PATCH', url, { body: { schedule: { endsOn: '2027-12-01' } } });
    expect(byHand.json).toMatchObject({ schedule: { endsOn: '2027-12-01' }, nextOccurrenceOn: '2027-01-01' });
    // An end before the next date ends it; moved later again, it continues from that date (not Dec 1).
    expect((await req('PATCH', url, { body: { schedule: { endsOn: '2026-12-15' } } })).json.nextOccurrenceOn).toBeNull();
    expect((await req('PATCH', url, { body: { schedule: { endsOn: null } } })).json.nextOccurrenceOn).toBe('2027-01-01');
    clock.set('2027-01-02T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect(await datesOf(b)).toEqual(['2027-01-01']);
  });

  it('PATCH: a schedule change keeps the count and derives endsOn again; count null removes both; endsOn replaces the count', async () => {
    const b = await h.createBudget(owner);
    const { url } = await createPlan(b, { frequency: 'monthly', startsOn: '2026-12-31', count: 3 });

    // Weekly from Dec 31: Dec 31, Jan 7, Jan 14.
    const weekly = await req('PATCH', url, { body: { schedule: { frequency: 'weekly' } } });
    expect(weekly.status, weekly.text).toBe(200);
    expect(weekly.json.schedule).toEqual({ frequency: 'weekly', interval: 1, startsOn: '2026-12-31', endsOn: '2027-01-14', count: 3 });
    expect(weekly.json.paymentsLeft).toBe(3);

    // Every 2 weeks, 4 payments: Dec 31, Jan 14, Jan 28, Feb 11.
    const counted = await req('PATCH', url, { body: { schedule: { interval: 2, count: 4 } } });
    expect(counted.json.schedule).toEqual({ frequency: 'weekly', interval: 2, startsOn: '2026-12-31', endsOn: '2027-02-11', count: 4 });

    const uncounted = await req('PATCH', url, { body: { schedule: { count: null } } });
    expect(uncounted.status, uncounted.text).toBe(200);
    expect(uncounted.json.schedule).toEqual({ frequency: 'weekly', interval: 2, startsOn: '2026-12-31' });
    expect(uncounted.json).not.toHaveProperty('paymentsLeft');
    expect((await req('GET', url)).json.schedule).toEqual({ frequency: 'weekly', interval: 2, startsOn: '2026-12-31' });

    // An endsOn set by hand is not a count's: count null leaves it.
    await req('PATCH', url, { body: { schedule: { endsOn: '2027-03-01' } } });
    const kept = await req('PATCH', url, { body: { schedule: { count: null } } });
    expect(kept.json.schedule).toEqual({ frequency: 'weekly', interval: 2, startsOn: '2026-12-31', endsOn: '2027-03-01' });

    await req('PATCH', url, { body: { schedule: { count: 2 } } });
    const ended = await req('PATCH', url, { body: { schedule: { endsOn: '2027-05-01' } } });
    expect(ended.json.schedule).toEqual({ frequency: 'weekly', interval: 2, startsOn: '2026-12-31', endsOn: '2027-05-01' });
    expect(ended.json).not.toHaveProperty('paymentsLeft');
  });

  it('400 naming schedule.count: with endsOn, out of range, past the last date; nothing written', async () => {
    const b = await h.createBudget(owner);
    const post = (schedule: Record<string, unknown>) => req('POST', collection(b), { body: { amount: 100, schedule } });
    expectProblem(await post({ frequency: 'monthly', count: 3, endsOn: '2027-12-31' }), 400, ['schedule.count']);
    for (const count of [0, 1001, 1.5, '3', null]) expectProblem(await post({ frequency: 'monthly', count }), 400, ['schedule.count']);
    // Every 365 years, 1,000 times: far past 9998-12-31.
    expectProblem(await post({ frequency: 'yearly', interval: 365, count: 1000 }), 400, ['schedule.count']);
    expect((await req('GET', collection(b))).json.items).toEqual([]);

    // 30 months from Dec 2026: the 30th is May 31, 2029.
    const { url } = await createPlan(b, { frequency: 'monthly', startsOn: '2026-12-31', count: 30 });
    expectProblem(await req('PATCH', url, { body: { schedule: { count: 2, endsOn: '2027-01-31' } } }), 400, ['schedule.count']);
    expectProblem(await req('PATCH', url, { body: { schedule: { count: 0 } } }), 400, ['schedule.count']);
    // The count kept on a changed schedule: the 30th occurrence every 365 years is past 9998.
    expectProblem(await req('PATCH', url, { body: { schedule: { frequency: 'yearly', interval: 365 } } }), 400, ['schedule.count']);
    expect((await req('GET', url)).json).toMatchObject({ version: 1, schedule: { frequency: 'monthly', endsOn: '2029-05-31', count: 30 } });
  });
});
