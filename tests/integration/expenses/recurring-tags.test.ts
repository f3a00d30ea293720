import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import type { Budget, Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * Recurring expenses with tags through HTTP and the real job (DynamoDB Local, fixed clock):
 * a definition takes `tags` under the expense's rules (normalized, deduplicated, 400s naming
 * the field), shows them, and every occurrence the job records carries them (and its
 * expense.recorded event); a PATCH changes the tags of the occurrences recorded after it only.
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

const expensesOf = (b: Budget) => suite.expensesOf<{ id: string; occurredOn: string; tags?: string[] }>(b);

describe('recurring expenses with tags', { timeout: 120_000 }, () => {
  it('a definition stores its tags normalized; every occurrence recorded carries them; a PATCH applies from then on', async () => {
    const b = await h.createBudget(owner, { categories: ['Rent'] });
    const res = await req('POST', collection(b), { body: { amount: 1000, tags: [' Housing ', 'fixed', 'HOUSING', 'Fixéd'], schedule: { frequency: 'daily' } } });
    expect(res.status, res.text).toBe(201);
    created.push(res.headers.get('location')!);
    expect(res.json.tags).toEqual(['Housing', 'fixed']);
    expect((await req('GET', res.headers.get('location')!)).json.tags).toEqual(['Housing', 'fixed']);
    const listed = await req('GET', collection(b));
    expect(listed.json.items.map((r: { tags?: string[] }) => r.tags)).toEqual([['Housing', 'fixed']]);

    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect((await expensesOf(b)).map((e) => [e.occurredOn, e.tags])).toEqual([
      ['2026-11-24', ['Housing', 'fixed']],
      ['2026-11-25', ['Housing', 'fixed']],
    ]);
    const recorded = (await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(recorded.map((e) => e.envelope.data.tags)).toEqual([['Housing', 'fixed'], ['Housing', 'fixed']]);
    expect(recorded.every((e) => e.envelope.data.via === 'recurring')).toBe(true);

    const changed = await req('PATCH', res.headers.get('location')!, { body: { tags: ['rent'] } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.tags).toEqual(['rent']);
    // The forecast lists what the occurrences still to record will carry.
    const upcoming = async () => {
      const forecast = await req('GET', `/v1/budgets/${b.id}/forecast`);
      expect(forecast.status, forecast.text).toBe(200);
      expect(forecast.json.upcoming.length).toBeGreaterThan(0);
      return (forecast.json.upcoming as { tags?: string[] }[]).map((o) => o.tags);
    };
    expect(new Set((await upcoming()).map((t) => JSON.stringify(t)))).toEqual(new Set([JSON.stringify(['rent'])]));
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    const cleared = await req('PATCH', res.headers.get('location')!, { body: { tags: null } });
    expect(cleared.status, cleared.text).toBe(200);
    expect('tags' in cleared.json).toBe(false);
    expect((await upcoming()).every((t) => t === undefined)).toBe(true);
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    expect((await expensesOf(b)).map((e) => e.tags)).toEqual([['Housing', 'fixed'], ['Housing', 'fixed'], ['rent'], undefined]);
  });

  it('refuses malformed tags naming the field', async () => {
    const b = await h.createBudget(owner, { categories: ['Rent'] });
    const schedule = { frequency: 'monthly' };
    expectProblem(await req('POST', collection(b), { body: { amount: 1, schedule, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) } }), 400, ['tags']);
    expectProblem(await req('POST', collection(b), { body: { amount: 1, schedule, tags: ['ok', 'ok', 'ok', ''] } }), 400, ['tags.3']);
    const ok = await req('POST', collection(b), { body: { amount: 1, schedule } });
    expect(ok.status, ok.text).toBe(201);
    created.push(ok.headers.get('location')!);
    expectProblem(await req('PATCH', ok.headers.get('location')!, { body: { tags: ['x'.repeat(33)] } }), 400, ['tags.0']);
    expect((await req('GET', collection(b))).json.items).toHaveLength(1);
  });
});
