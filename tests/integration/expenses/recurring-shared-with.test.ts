import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import type { Budget, Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * Recurring expenses with `sharedWith` through HTTP and the real job (DynamoDB Local, fixed
 * clock): a definition takes it under the expense's rules (stored in user id order; null or
 * absent: every member; 400s naming `sharedWith` / `sharedWith.<n>`), shows it, and every
 * occurrence the job records carries it (and its expense.recorded event); a PATCH (a list
 * replaces, null clears, not sent keeps) applies to the occurrences recorded after it only.
 */
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { clock, created, req, run, collection } = suite;
let h: Harness;
let owner: User;
// Two members' user ids (a sharedWith names members only), A before B in user id order.
let members: User[];
let A: string;
let B: string;
let stranger: User;
beforeAll(async () => {
  h = suite.harness();
  owner = suite.owner();
  members = (await Promise.all([h.signup('ann'), h.signup('bob')])).sort((x, y) => (x.id < y.id ? -1 : 1));
  [A, B] = members.map((m) => m.id) as [string, string];
  stranger = await h.signup('stranger');
});

/** A budget of the owner with A and B as editors. */
async function household(categories: string[]): Promise<Budget> {
  const b = await h.createBudget(owner, { categories });
  for (const m of members) await h.addMember(b, owner, m, 'editor');
  return b;
}

const DAY = 24 * 60 * 60 * 1000;

const expensesOf = (b: Budget) => suite.expensesOf<{ id: string; occurredOn: string; sharedWith?: string[] }>(b);

describe('recurring expenses shared with some members', { timeout: 120_000 }, () => {
  it('a definition stores sharedWith sorted; every occurrence recorded carries it; PATCH null clears it from then on', async () => {
    const b = await household(['Subscriptions']);
    const res = await req('POST', collection(b), { body: { amount: 1299, merchant: 'Streamly', sharedWith: [B, A], schedule: { frequency: 'daily' } } });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    created.push(url);
    expect(res.json.sharedWith).toEqual([A, B]);
    expect((await req('GET', url)).json.sharedWith).toEqual([A, B]);
    const listed = await req('GET', collection(b));
    expect(listed.json.items.map((r: { sharedWith?: string[] }) => r.sharedWith)).toEqual([[A, B]]);

    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect((await expensesOf(b)).map((e) => [e.occurredOn, e.sharedWith])).toEqual([['2026-11-24', [A, B]]]);
    const recorded = (await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(recorded.map((e) => e.envelope.data.sharedWith)).toEqual([[A, B]]);

    // The forecast lists whom the occurrences still to record will be shared with.
    const upcomingSharedWith = async () => {
      const forecast = await req('GET', `/v1/budgets/${b.id}/forecast`);
      expect(forecast.status, forecast.text).toBe(200);
      expect(forecast.json.upcoming.length).toBeGreaterThan(0);
      return new Set((forecast.json.upcoming as { sharedWith?: string[] }[]).map((o) => JSON.stringify(o.sharedWith ?? 'every member')));
    };
    expect(await upcomingSharedWith()).toEqual(new Set([JSON.stringify([A, B])]));

    // Not sent: kept.
    const renamed = await req('PATCH', url, { body: { description: 'Streaming' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.sharedWith).toEqual([A, B]);
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });

    // A list replaces it (sorted again).
    const personal = await req('PATCH', url, { body: { sharedWith: [owner.id] } });
    expect(personal.status, personal.text).toBe(200);
    expect(personal.json.sharedWith).toEqual([owner.id]);
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });

    // null: every member again.
    const cleared = await req('PATCH', url, { body: { sharedWith: null } });
    expect(cleared.status, cleared.text).toBe(200);
    expect('sharedWith' in cleared.json).toBe(false);
    expect('sharedWith' in (await req('GET', url)).json).toBe(false);
    expect(await upcomingSharedWith()).toEqual(new Set([JSON.stringify('every member')]));
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });

    const all = await expensesOf(b);
    expect(all.map((e) => [e.occurredOn, e.sharedWith])).toEqual([
      ['2026-11-24', [A, B]],
      ['2026-11-25', [A, B]],
      ['2026-11-26', [owner.id]],
      ['2026-11-27', undefined],
    ]);
    expect('sharedWith' in all[3]!).toBe(false);
  });

  it('a definition created with sharedWith null (or without it) is shared by every member', async () => {
    const b = await h.createBudget(owner, { categories: ['Rent'] });
    const res = await req('POST', collection(b), { body: { amount: 500, sharedWith: null, schedule: { frequency: 'monthly' } } });
    expect(res.status, res.text).toBe(201);
    created.push(res.headers.get('location')!);
    expect('sharedWith' in res.json).toBe(false);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [expense] = await expensesOf(b);
    expect(expense).toBeDefined();
    expect('sharedWith' in expense!).toBe(false);
  });

  it('refuses a malformed sharedWith, or one naming someone who is no member, naming the field', async () => {
    const b = await household(['Rent']);
    const schedule = { frequency: 'monthly' };
    const post = (sharedWith: unknown) => req('POST', collection(b), { body: { amount: 1, schedule, sharedWith } });
    expectProblem(await post([]), 400, ['sharedWith']);
    expectProblem(await post([A, B, A]), 400, ['sharedWith']);
    expectProblem(await post(A), 400, ['sharedWith']);
    expectProblem(await post(Array.from({ length: 51 }, (_, i) => `01JDQ4T2W1R0P9N8M7K6J5H4${String(i).padStart(2, '0')}`)), 400, ['sharedWith']);
    expectProblem(await post([7]), 400, ['sharedWith.0']);
    expectProblem(await post([A, A.toLowerCase()]), 400, ['sharedWith.1']);
    const ok = await post([A]);
    expect(ok.status, ok.text).toBe(201);
    const url = ok.headers.get('location')!;
    created.push(url);
    expectProblem(await req('PATCH', url, { body: { sharedWith: [] } }), 400, ['sharedWith']);
    expectProblem(await req('PATCH', url, { body: { sharedWith: [B, 'sam'] } }), 400, ['sharedWith.1']);
    // No member: one error per id, by its index as sent, nothing written.
    const notMember = [{ path: 'sharedWith.1', message: 'Not a member of this budget' }];
    const refused = await post([A, stranger.id]);
    expectProblem(refused, 400);
    expect(refused.json.errors).toEqual(notMember);
    const patched = await req('PATCH', url, { body: { amount: 2, sharedWith: [B, stranger.id] } });
    expectProblem(patched, 400);
    expect(patched.json.errors).toEqual(notMember);
    expect((await req('GET', url)).json).toMatchObject({ amount: 1, version: 1 });
    expect((await req('GET', url)).json.sharedWith).toEqual([A]);
    expect((await req('GET', collection(b))).json.items).toHaveLength(1);
  });
});
