import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents, tableItems } from '../../support/events';
import { expectProblem } from '../../support/problem';
import type { Budget, Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * Recurring expenses with `sharedAmounts` (the rent split 60/40) through HTTP and the real job
 * (DynamoDB Local, fixed clock): a definition takes it under the expense's rules (stored in user
 * id order; adding up exactly to `amount`; not with `sharedWith`; members only; a PATCH of
 * `amount` alone refused; null removes it), shows it, every occurrence the job and record-next
 * record carries it, the balances owe each listed amount exactly, and a budget copy keeps it.
 * Every expected figure is worked out here by hand.
 */
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { created, req, run, collection } = suite;
let h: Harness;
let owner: User;
let mate: User;
let stranger: User;
beforeAll(async () => {
  h = suite.harness();
  owner = suite.owner();
  [mate, stranger] = await Promise.all([h.signup('mate'), h.signup('stranger')]);
});

/** A budget of the owner with the flatmate as editor (shares 1 / 1: an equal split would be 50/50). */
async function flat(): Promise<Budget> {
  const b = await h.createBudget(owner, { categories: ['Rent'] });
  await h.addMember(b, owner, mate, 'editor');
  return b;
}

const part = (who: User, amount: number) => ({ userId: who.id, amount });
/** As stored and returned: in user id order. */
const inIdOrder = (parts: { userId: string; amount: number }[]) => [...parts].sort((a, b) => (a.userId < b.userId ? -1 : 1));
type Parts = { userId: string; amount: number }[];
const expensesOf = (b: Budget) => suite.expensesOf<{ id: string; occurredOn: string; sharedAmounts?: Parts; sharedWith?: string[] }>(b);

describe('recurring expenses shared by exact amounts', { timeout: 120_000 }, () => {
  it('rent 60/40: the definition stores it, the job and record-next record it, the balances owe exactly', async () => {
    const b = await flat();
    // 1,500.00 a month: the owner's part 900.00, the flatmate's 600.00 (sent out of order).
    const rent = [part(mate, 60_000), part(owner, 90_000)];
    const res = await req('POST', collection(b), { body: { amount: 150_000, description: 'Rent', sharedAmounts: rent, schedule: { frequency: 'monthly' } } });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    created.push(url);
    expect(res.json.sharedAmounts).toEqual(inIdOrder(rent));
    expect(res.json).not.toHaveProperty('sharedWith');
    expect((await req('GET', url)).json.sharedAmounts).toEqual(inIdOrder(rent));
    expect((await req('GET', collection(b))).json.items.map((r: { sharedAmounts?: Parts }) => r.sharedAmounts)).toEqual([inIdOrder(rent)]);

    // The forecast shows what the occurrences still to record will carry (as it shows sharedWith).
    const forecast = await req('GET', `/v1/budgets/${b.id}/forecast`);
    expect(forecast.status, forecast.text).toBe(200);
    expect(forecast.json.upcoming.length).toBeGreaterThan(0);
    for (const o of forecast.json.upcoming as { sharedAmounts?: Parts }[]) expect(o.sharedAmounts).toEqual(inIdOrder(rent));

    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [recorded] = await expensesOf(b);
    expect(recorded).toMatchObject({ occurredOn: '2026-11-24', sharedAmounts: inIdOrder(rent) });
    expect(recorded).not.toHaveProperty('sharedWith');
    const events = (await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(events.map((e) => e.envelope.data.sharedAmounts)).toEqual([inIdOrder(rent)]);

    // The balances: the owner paid 1,500.00 and owes 900.00 of it; the flatmate owes 600.00
    // (by shares 1 / 1 it would be 750.00 each).
    const balances = await req('GET', `/v1/budgets/${b.id}/balances`);
    expect(balances.status, balances.text).toBe(200);
    expect(balances.json.total).toBe(150_000);
    const rows = (balances.json.members as { userId: string; paid: number; owes: number; net: number }[]).map(({ userId, paid, owes, net }) => ({ userId, paid, owes, net }));
    expect(rows).toEqual(
      [
        { userId: owner.id, paid: 150_000, owes: 90_000, net: 60_000 },
        { userId: mate.id, paid: 0, owes: 60_000, net: -60_000 },
      ].sort((x, y) => (x.userId < y.userId ? -1 : 1)),
    );
    expect(balances.json.settlements).toEqual([{ from: mate.id, to: owner.id, amount: 60_000 }]);

    // record-next (December's rent paid early) records the same expense, sharedAmounts included.
    const early = await req('POST', `${url}/record-next`, { body: { occurredOn: '2026-11-24' } });
    expect(early.status, early.text).toBe(200);
    expect(early.json.expense).toMatchObject({ amount: 150_000, sharedAmounts: inIdOrder(rent) });
    const stored = await req('GET', `/v1/budgets/${b.id}/expenses/${early.json.expense.id}`);
    expect(stored.json.sharedAmounts).toEqual(inIdOrder(rent));
  });

  it('refuses a bad sharedAmounts naming the field, writing nothing', async () => {
    const b = await flat();
    const schedule = { frequency: 'monthly' };
    const post = (body: Record<string, unknown>) => req('POST', collection(b), { body: { amount: 1_000, schedule, ...body } });
    expectProblem(await post({ sharedAmounts: [] }), 400, ['sharedAmounts']);
    expectProblem(await post({ sharedAmounts: [part(mate, 500), part(mate, 500)] }), 400, ['sharedAmounts']);
    expectProblem(await post({ sharedAmounts: [part(mate, -1), part(owner, 1_001)] }), 400, ['sharedAmounts.0.amount']);
    expectProblem(await post({ sharedAmounts: [part(mate, 1_000), { userId: 'not-a-user', amount: 0 }] }), 400, ['sharedAmounts.1.userId']);
    // Not adding up to amount: the message gives both.
    const short = await post({ sharedAmounts: [part(mate, 600), part(owner, 300)] });
    expectProblem(short, 400, ['sharedAmounts']);
    expect(short.json.errors.find((e: { path: string }) => e.path === 'sharedAmounts').message).toMatch(/900.*1000/);
    // One or the other.
    expectProblem(await post({ sharedWith: [mate.id], sharedAmounts: [part(mate, 1_000)] }), 400, ['sharedAmounts']);
    // Members only: the stranger's entry named.
    const strange = await post({ sharedAmounts: [part(mate, 400), part(stranger, 600)] });
    expectProblem(strange, 400);
    expect(strange.json.errors).toEqual([{ path: 'sharedAmounts.1.userId', message: 'Not a member of this budget' }]);
    expect((await req('GET', collection(b))).json.items).toEqual([]);
  });

  it('PATCH: amount alone is a 400; with new amounts it applies; sharedWith replaces it; null removes it', async () => {
    const b = await flat();
    const res = await req('POST', collection(b), { body: { amount: 1_000, sharedAmounts: [part(owner, 600), part(mate, 400)], schedule: { frequency: 'monthly' } } });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    created.push(url);

    expectProblem(await req('PATCH', url, { body: { amount: 1_100 } }), 400, ['sharedAmounts']);
    expectProblem(await req('PATCH', url, { body: { sharedAmounts: [part(mate, 1)] } }), 400, ['sharedAmounts']);
    expectProblem(await req('PATCH', url, { body: { sharedAmounts: [part(mate, 1_000)], sharedWith: [mate.id] } }), 400, ['sharedAmounts']);
    const strange = await req('PATCH', url, { body: { sharedAmounts: [part(stranger, 1_000)] } });
    expectProblem(strange, 400);
    expect(strange.json.errors).toEqual([{ path: 'sharedAmounts.0.userId', message: 'Not a member of this budget' }]);
    expect((await req('GET', url)).json).toMatchObject({ amount: 1_000, version: 1, sharedAmounts: inIdOrder([part(owner, 600), part(mate, 400)]) });

    const both = await req('PATCH', url, { body: { amount: 1_100, sharedAmounts: [part(owner, 550), part(mate, 550)] } });
    expect(both.status, both.text).toBe(200);
    expect(both.json).toMatchObject({ amount: 1_100, version: 2, sharedAmounts: inIdOrder([part(owner, 550), part(mate, 550)]) });
    // Another field keeps it.
    const renamed = await req('PATCH', url, { body: { description: 'Rent' } });
    expect(renamed.json.sharedAmounts).toEqual(inIdOrder([part(owner, 550), part(mate, 550)]));

    // sharedWith replaces it, and sharedAmounts replaces sharedWith.
    const toWith = await req('PATCH', url, { body: { sharedWith: [mate.id] } });
    expect(toWith.status, toWith.text).toBe(200);
    expect(toWith.json.sharedWith).toEqual([mate.id]);
    expect(toWith.json).not.toHaveProperty('sharedAmounts');
    const back = await req('PATCH', url, { body: { sharedAmounts: [part(mate, 1_100)] } });
    expect(back.status, back.text).toBe(200);
    expect(back.json.sharedAmounts).toEqual([part(mate, 1_100)]);
    expect(back.json).not.toHaveProperty('sharedWith');

    // null removes it; then the amount may change alone, and the job records none.
    const cleared = await req('PATCH', url, { body: { sharedAmounts: null } });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json).not.toHaveProperty('sharedAmounts');
    expect((await req('PATCH', url, { body: { amount: 1_200 } })).status).toBe(200);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [recorded] = await expensesOf(b);
    expect(recorded).toBeDefined();
    expect(recorded).not.toHaveProperty('sharedAmounts');
  });

  it('a budget copy with its recurring expenses keeps sharedAmounts as is (as sharedWith: the ids are users)', async () => {
    const b = await flat();
    const rent = [part(owner, 90_000), part(mate, 60_000)];
    const res = await req('POST', collection(b), { body: { amount: 150_000, sharedAmounts: rent, schedule: { frequency: 'monthly' } } });
    expect(res.status, res.text).toBe(201);
    created.push(res.headers.get('location')!);
    const copied = await req('POST', `/v1/budgets/${b.id}/copy`, { body: { name: 'Next flat', include: { recurringExpenses: true } } });
    expect(copied.status, copied.text).toBe(201);
    const list = await req('GET', `/v1/budgets/${copied.json.id}/recurring-expenses`);
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0].sharedAmounts).toEqual(inIdOrder(rent));
    created.push(`/v1/budgets/${copied.json.id}/recurring-expenses/${list.json.items[0].id}`);
  });

  it('PATCH sharedWith: null on a definition with sharedAmounts removes both lists (every member again)', async () => {
    const b = await flat();
    const res = await req('POST', collection(b), { body: { amount: 1_000, sharedAmounts: [part(owner, 600), part(mate, 400)], schedule: { frequency: 'monthly' } } });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    created.push(url);
    const cleared = await req('PATCH', url, { body: { sharedWith: null } });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.version).toBe(2);
    expect(cleared.json).not.toHaveProperty('sharedAmounts');
    expect(cleared.json).not.toHaveProperty('sharedWith');
    expect((await req('GET', url)).json).not.toHaveProperty('sharedAmounts');
  });

  it('a listed member who left since: the job still records the amounts; the balances leave the former member owing nothing', async () => {
    const b = await flat();
    const res = await req('POST', collection(b), { body: { amount: 1_000, sharedAmounts: [part(owner, 600), part(mate, 400)], schedule: { frequency: 'monthly' } } });
    expect(res.status, res.text).toBe(201);
    created.push(res.headers.get('location')!);
    expect((await h.call('DELETE', `/v1/budgets/${b.id}/members/${mate.id}`, { token: mate.token })).status).toBe(204);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [recorded] = await expensesOf(b);
    expect(recorded).toMatchObject({ sharedAmounts: inIdOrder([part(owner, 600), part(mate, 400)]) });
    // The owner paid 10.00; the former member's 4.00 falls back to every current member: the owner owes all of it.
    const balances = await req('GET', `/v1/budgets/${b.id}/balances`);
    expect(balances.status, balances.text).toBe(200);
    const me = (balances.json.members as { userId: string; paid: number; owes: number }[]).find((m) => m.userId === owner.id);
    expect(me).toMatchObject({ paid: 1_000, owes: 1_000 });
    expect(balances.json.settlements).toEqual([]);
  });

  it('the job never records amounts that no longer add up (a definition written before the PATCH check): recorded shared by every member', async () => {
    const b = await flat();
    const res = await req('POST', collection(b), { body: { amount: 1_000, sharedAmounts: [part(owner, 600), part(mate, 400)], schedule: { frequency: 'monthly' } } });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    created.push(url);
    // Its amount changed alone, as nothing refuses any more: written to the item directly.
    const item = (await tableItems(h.t.doc, h.t.tableName)).find((i) => i.kind === 'recurring-expense' && i.id === res.json.id)!;
    await h.t.doc.send(
      new UpdateCommand({ TableName: h.t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET amount = :a', ExpressionAttributeValues: { ':a': 1_100 } }),
    );
    // The forecast does not show amounts that cannot be recorded either.
    const forecast = await req('GET', `/v1/budgets/${b.id}/forecast`);
    expect(forecast.status, forecast.text).toBe(200);
    for (const o of forecast.json.upcoming as { sharedAmounts?: Parts }[]) expect(o).not.toHaveProperty('sharedAmounts');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [recorded] = await expensesOf(b);
    expect(recorded).toMatchObject({ amount: 1_100 });
    expect(recorded).not.toHaveProperty('sharedAmounts');
    // record-next records the same.
    const early = await req('POST', `${url}/record-next`, { body: { occurredOn: '2026-11-24' } });
    expect(early.status, early.text).toBe(200);
    expect(early.json.expense).not.toHaveProperty('sharedAmounts');
    // By shares 1 / 1: 22.00 paid by the owner, 11.00 owed each.
    const balances = await req('GET', `/v1/budgets/${b.id}/balances`);
    expect(balances.json.settlements).toEqual([{ from: mate.id, to: owner.id, amount: 1_100 }]);
  });
});
