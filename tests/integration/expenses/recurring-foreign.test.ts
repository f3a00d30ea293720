import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import type { Budget, Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * Recurring expenses with a foreign amount through HTTP and the real job (DynamoDB Local, fixed
 * clock): a definition takes `foreign` under the expense's rules (400s naming the field, not
 * the budget's currency), shows it, and every occurrence the job records carries it (and its
 * expense.recorded event); the forecast lists it and counts `amount` only; a PATCH changes the
 * occurrences recorded after it only.
 */
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { clock, created, req, run, collection } = suite;
let h: Harness;
let owner: User;
beforeAll(() => {
  h = suite.harness();
  owner = suite.owner();
});

const DAY = 24 * 60 * 60 * 1000;
const GBP_4500 = { amount: 4500, currency: 'GBP' };

const expensesOf = (b: Budget) => suite.expensesOf<{ id: string; occurredOn: string; amount: number; foreign?: unknown }>(b);

describe('recurring expenses with a foreign amount', { timeout: 120_000 }, () => {
  it('a definition keeps its foreign amount; every occurrence recorded carries it; the forecast lists it; a PATCH applies from then on', async () => {
    // A London flat paid in GBP from a EUR household budget.
    const b = await h.createBudget(owner, { currency: 'EUR', categories: ['Rent'] });
    const res = await req('POST', collection(b), { body: { amount: 5200, foreign: GBP_4500, schedule: { frequency: 'daily' } } });
    expect(res.status, res.text).toBe(201);
    const location = res.headers.get('location')!;
    created.push(location);
    expect(res.json.foreign).toEqual({ amount: 4500, currency: 'GBP' });
    expect((await req('GET', location)).json.foreign).toEqual({ amount: 4500, currency: 'GBP' });
    expect((await req('GET', collection(b))).json.items.map((r: { foreign?: unknown }) => r.foreign)).toEqual([{ amount: 4500, currency: 'GBP' }]);

    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect((await expensesOf(b)).map((e) => [e.occurredOn, e.amount, e.foreign])).toEqual([
      ['2026-11-24', 5200, { amount: 4500, currency: 'GBP' }],
      ['2026-11-25', 5200, { amount: 4500, currency: 'GBP' }],
    ]);
    const recorded = (await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(recorded.map((e) => [e.envelope.data.via, e.envelope.data.foreign])).toEqual([
      ['recurring', { amount: 4500, currency: 'GBP' }],
      ['recurring', { amount: 4500, currency: 'GBP' }],
    ]);

    const changed = await req('PATCH', location, { body: { foreign: { amount: 4600, currency: 'GBP' } } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.foreign).toEqual({ amount: 4600, currency: 'GBP' });
    // The forecast: the occurrences still to record carry the new figure; only `amount` is summed.
    const forecast = await req('GET', `/v1/budgets/${b.id}/forecast`);
    expect(forecast.status, forecast.text).toBe(200);
    const upcoming = forecast.json.upcoming as { occurredOn: string; amount: number; foreign?: unknown }[];
    // 2026-11-26..30: five daily occurrences of 52.00 EUR.
    expect(upcoming.map((o) => [o.occurredOn, o.amount, o.foreign])).toEqual(
      ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'].map((d) => [d, 5200, { amount: 4600, currency: 'GBP' }]),
    );
    expect(forecast.json.scheduled).toBe(5 * 5200);

    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    const removed = await req('PATCH', location, { body: { foreign: null } });
    expect(removed.status, removed.text).toBe(200);
    expect('foreign' in removed.json).toBe(false);
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    expect((await expensesOf(b)).map((e) => e.foreign)).toEqual([
      { amount: 4500, currency: 'GBP' },
      { amount: 4500, currency: 'GBP' },
      { amount: 4600, currency: 'GBP' },
      undefined,
    ]);
  });

  it('refuses a malformed foreign amount naming the field', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: ['Rent'] });
    const schedule = { frequency: 'monthly' };
    expectProblem(await req('POST', collection(b), { body: { amount: 1, schedule, foreign: { amount: 1, currency: 'EUR' } } }), 400, ['foreign.currency']);
    expectProblem(await req('POST', collection(b), { body: { amount: 1, schedule, foreign: { amount: 1, currency: 'gbp' } } }), 400, ['foreign.currency']);
    expectProblem(await req('POST', collection(b), { body: { amount: 1, schedule, foreign: { amount: 0, currency: 'GBP' } } }), 400, ['foreign.amount']);
    expectProblem(await req('POST', collection(b), { body: { amount: 1, schedule, foreign: 4500 } }), 400, ['foreign']);
    const ok = await req('POST', collection(b), { body: { amount: 1, schedule } });
    expect(ok.status, ok.text).toBe(201);
    created.push(ok.headers.get('location')!);
    expectProblem(await req('PATCH', ok.headers.get('location')!, { body: { foreign: { amount: 1, currency: 'EUR' } } }), 400, ['foreign.currency']);
    expect((await req('GET', collection(b))).json.items).toHaveLength(1);
    expect((await req('GET', ok.headers.get('location')!)).json.version).toBe(1);
  });
});
