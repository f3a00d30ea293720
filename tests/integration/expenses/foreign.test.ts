import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, inOneCounterState, readsChangeCounter, writeItemsOf } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Foreign amounts through HTTP (DynamoDB Local): `foreign: {amount, currency}` keeps what was
 * paid in another currency next to `amount` (what the budget was charged, in its currency).
 * Accepted on create (both create paths), PATCH (null removes) and offline push, shown in every
 * representation (GET, list, delta sync, push results, events, the activity log, the CSV
 * export, whose file imports back with it), allowed on a split expense, never counted (the
 * summary sums `amount` only), refused with a 400 naming the field when malformed. The budgets
 * here are in EUR: a trip to Japan, paid in JPY, charged in EUR.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ currency: 'EUR', categories: ['Food', 'Travel'] });
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const post = (b: Budget, body: Record<string, unknown>) => h.call('POST', path(b), { token: team.owner.token, body });
const patch = (b: Budget, id: string, body: Record<string, unknown>) => h.call('PATCH', `${path(b)}/${id}`, { token: team.owner.token, body });
const get = (b: Budget, id: string) => h.call('GET', `${path(b)}/${id}`, { token: team.owner.token });
const fresh = (currency = 'EUR') => h.createBudget(team.owner, { currency, categories: ['Food', 'Travel'] });

const JPY_8000 = { amount: 8000, currency: 'JPY' };

describe('foreign amounts on expenses', { timeout: 120_000 }, () => {
  it('creates with a foreign amount on both create paths; GET and the list show it; absent when not sent; the summary counts amount only', async () => {
    const b = await fresh();
    // With occurredOn: the one-transaction create; without: the read-first create.
    const fast = await post(b, { amount: 5240, occurredOn: '2026-11-20', foreign: JPY_8000, merchant: 'Ichiran' });
    expect(fast.status, fast.text).toBe(201);
    expect(fast.json).toMatchObject({ amount: 5240, foreign: { amount: 8000, currency: 'JPY' } });
    await h.expectCreated(fast, path(b), team.owner);
    const today = await post(b, { amount: 1999, foreign: { amount: 1250, currency: 'BHD' } });
    expect(today.status, today.text).toBe(201);
    expect(today.json.foreign).toEqual({ amount: 1250, currency: 'BHD' });
    expect((await get(b, today.json.id)).json.foreign).toEqual({ amount: 1250, currency: 'BHD' });
    const plain = await post(b, { amount: 300, occurredOn: '2026-11-19' });
    expect(plain.status, plain.text).toBe(201);
    expect('foreign' in plain.json).toBe(false);

    const listed = await h.listExpenses(b, team.owner.token);
    expect(listed.map((e) => [e.amount, e.foreign])).toEqual([
      [1999, { amount: 1250, currency: 'BHD' }],
      [5240, { amount: 8000, currency: 'JPY' }],
      [300, undefined],
    ]);
    // Only `amount` counts: 52.40 + 19.99 (today, the harness clock's 2026-11-24) + 3.00 EUR, never 8000 (yen) or 1250 (fils).
    expect(today.json.occurredOn).toBe('2026-11-24');
    expect(await h.spent(b, team.owner.token, '2026-11-20')).toBe(5240 + 1999 + 300);
  });

  it('PATCH replaces it, keeps it when not sent, null removes it; events and the activity log carry it', async () => {
    const b = await fresh();
    const created = await post(b, { amount: 5240, occurredOn: '2026-11-20', foreign: JPY_8000 });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const recorded = await theEvent(h.t, 'expense.recorded', { expenseId: id });
    expect(recorded.envelope.data.foreign).toEqual({ amount: 8000, currency: 'JPY' });
    expect(recorded.envelope.data.amount).toBe(5240);

    const replaced = await patch(b, id, { foreign: { amount: 8500, currency: 'JPY' } });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json.foreign).toEqual({ amount: 8500, currency: 'JPY' });
    const updated = await theEvent(h.t, 'expense.updated', { expenseId: id, version: 2 });
    expect(updated.envelope.data.foreign).toEqual({ amount: 8500, currency: 'JPY' });
    expect(updated.envelope.data.changes).toEqual({ foreign: { before: { amount: 8000, currency: 'JPY' }, after: { amount: 8500, currency: 'JPY' } } });

    const kept = await patch(b, id, { amount: 5300 });
    expect(kept.json.foreign).toEqual({ amount: 8500, currency: 'JPY' });
    const keptEvent = (await theEvent(h.t, 'expense.updated', { expenseId: id, version: 3 })).envelope.data;
    expect(keptEvent.changes).toEqual({ amount: { before: 5240, after: 5300 } });
    expect(keptEvent.foreign).toEqual({ amount: 8500, currency: 'JPY' });

    const removed = await patch(b, id, { foreign: null });
    expect(removed.status, removed.text).toBe(200);
    expect('foreign' in removed.json).toBe(false);
    expect('foreign' in (await get(b, id)).json).toBe(false);
    const removedEvent = (await theEvent(h.t, 'expense.updated', { expenseId: id, version: 4 })).envelope.data;
    expect('foreign' in removedEvent).toBe(false);
    expect(removedEvent.changes).toEqual({ foreign: { before: { amount: 8500, currency: 'JPY' }, after: null } });

    // Removing what is not there changes nothing: no new version, no event.
    const again = await patch(b, id, { foreign: null });
    expect(again.status, again.text).toBe(200);
    expect(again.json.version).toBe(4);
    expect((await get(b, id)).json.version).toBe(4);

    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.owner.token });
    expect(activity.status, activity.text).toBe(200);
    const entries = activity.json.items as { action: string; changes?: Record<string, { before: unknown; after: unknown }> }[];
    expect(entries.find((e) => e.action === 'expense.created')!.changes!.foreign).toEqual({ before: null, after: { amount: 8000, currency: 'JPY' } });
    expect(entries.filter((e) => e.action === 'expense.updated').map((e) => e.changes?.foreign ?? 'unchanged')).toEqual(
      expect.arrayContaining([
        { before: { amount: 8000, currency: 'JPY' }, after: { amount: 8500, currency: 'JPY' } },
        { before: { amount: 8500, currency: 'JPY' }, after: null },
        'unchanged',
      ]),
    );
    // A deleted expense's entry shows what it had.
    const other = await post(b, { amount: 100, occurredOn: '2026-11-21', foreign: { amount: 99, currency: 'USD' } });
    expect((await h.call('DELETE', `${path(b)}/${other.json.id}`, { token: team.owner.token })).status).toBe(204);
    const afterDelete = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.owner.token });
    const deleted = (afterDelete.json.items as { action: string; changes?: Record<string, unknown> }[]).find((e) => e.action === 'expense.deleted')!;
    expect(deleted.changes!.foreign).toEqual({ before: { amount: 99, currency: 'USD' }, after: null });
  });

  it('refuses a malformed foreign amount with a 400 naming the field, and writes nothing', async () => {
    const b = await fresh();
    for (const occurredOn of [{ occurredOn: '2026-11-20' }, {}]) {
      expectProblem(await post(b, { amount: 1, foreign: '8000 JPY', ...occurredOn }), 400, ['foreign']);
      // No rate (or anything else) in it: an unknown field, named.
      expectProblem(await post(b, { amount: 1, foreign: { ...JPY_8000, rate: 0.0065 }, ...occurredOn }), 400, ['foreign.rate']);
      expectProblem(await post(b, { amount: 1, foreign: null, ...occurredOn }), 400, ['foreign']);
      expectProblem(await post(b, { amount: 1, foreign: { currency: 'JPY' }, ...occurredOn }), 400, ['foreign.amount']);
      expectProblem(await post(b, { amount: 1, foreign: { amount: 0, currency: 'JPY' }, ...occurredOn }), 400, ['foreign.amount']);
      expectProblem(await post(b, { amount: 1, foreign: { amount: 80.5, currency: 'JPY' }, ...occurredOn }), 400, ['foreign.amount']);
      expectProblem(await post(b, { amount: 1, foreign: { amount: 1_000_000_000_001, currency: 'JPY' }, ...occurredOn }), 400, ['foreign.amount']);
      // Unknown, lowercase (refused as a budget's currency is, not normalized), the budget's own.
      expectProblem(await post(b, { amount: 1, foreign: { amount: 8000, currency: 'XYZ' }, ...occurredOn }), 400, ['foreign.currency']);
      expectProblem(await post(b, { amount: 1, foreign: { amount: 8000, currency: 'jpy' }, ...occurredOn }), 400, ['foreign.currency']);
      expectProblem(await post(b, { amount: 1, foreign: { amount: 8000, currency: 'EUR' }, ...occurredOn }), 400, ['foreign.currency']);
      // With another problem that needs the budget: both are named.
      expectProblem(await post(b, { amount: 1, categoryId: 'nope', foreign: { amount: 8000, currency: 'EUR' }, ...occurredOn }), 400, ['categoryId', 'foreign.currency']);
    }
    const ok = await post(b, { amount: 1, occurredOn: '2026-11-20' });
    expect(ok.status, ok.text).toBe(201);
    expectProblem(await patch(b, ok.json.id, { foreign: { amount: 8000, currency: 'EUR' } }), 400, ['foreign.currency']);
    expectProblem(await patch(b, ok.json.id, { foreign: { amount: 8000 } }), 400, ['foreign.currency']);
    expectProblem(await patch(b, ok.json.id, { foreign: { amount: -1, currency: 'JPY' } }), 400, ['foreign.amount']);
    expect(await h.listExpenses(b, team.owner.token)).toHaveLength(1);
    expect((await get(b, ok.json.id)).json.version).toBe(1);
    // The same foreign currency is fine in a budget of another currency.
    const usd = await fresh('USD');
    expect((await post(usd, { amount: 1, occurredOn: '2026-11-20', foreign: { amount: 1, currency: 'EUR' } })).status).toBe(201);
  });

  it('costs the same write: one transaction, the same requests; its items the same beside a category (an uncategorized one adds a ConditionCheck, no write)', async () => {
    const b = await fresh();
    const [food] = b.categories.map((c) => c.id);
    const items = async (body: Record<string, unknown>) => {
      const { result, sent } = await commandsSentDuring(h.t.doc, () => post(b, body));
      expect(result.status, result.text).toBe(201);
            return { requests: sent.length, items: (writeItemsOf(sent) as Record<string, any>[]).map((i) => Object.keys(i)[0]), counterRead: readsChangeCounter(sent) };
    };
    const [plain, foreign] = await inOneCounterState(
      () => items({ amount: 500, occurredOn: '2026-11-03', categoryId: food }),
      () => items({ amount: 500, occurredOn: '2026-11-03', categoryId: food, foreign: JPY_8000 }),
    );
    expect(foreign).toEqual(plain);
    const [uncategorized, uncategorizedForeign] = await inOneCounterState(
      () => items({ amount: 500, occurredOn: '2026-11-03' }),
      () => items({ amount: 500, occurredOn: '2026-11-03', foreign: JPY_8000 }),
    );
    expect(uncategorizedForeign.requests).toBe(uncategorized.requests);
    // The writes are the same; the budget item's ConditionCheck (currency <> JPY) joins the membership's.
    const checks = (items: (string | undefined)[]) => items.filter((i) => i === 'ConditionCheck').length;
    expect(uncategorizedForeign.items.filter((i) => i !== 'ConditionCheck')).toEqual(uncategorized.items.filter((i) => i !== 'ConditionCheck'));
    expect([checks(uncategorized.items), checks(uncategorizedForeign.items)]).toEqual([1, 2]);
  });

  it('is allowed on a split expense (it describes the whole); each category counts its part of amount only', async () => {
    const b = await fresh();
    const [food, travel] = b.categories.map((c) => c.id);
    const res = await post(b, {
      amount: 10000,
      occurredOn: '2026-11-20',
      splits: [
        { categoryId: food, amount: 4000 },
        { categoryId: travel, amount: 6000 },
      ],
      foreign: { amount: 15300, currency: 'JPY' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ amount: 10000, categoryId: null, foreign: { amount: 15300, currency: 'JPY' } });
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: res.json.id })).envelope.data).toMatchObject({
      splits: [
        { categoryId: food, amount: 4000 },
        { categoryId: travel, amount: 6000 },
      ],
      foreign: { amount: 15300, currency: 'JPY' },
    });
    const summary = await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-11-20`, { token: team.owner.token });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.spent).toBe(10000);
    const spentOf = (id: string) => (summary.json.categories as { categoryId: string; spent: number }[]).find((c) => c.categoryId === id)!.spent;
    expect([spentOf(food!), spentOf(travel!)]).toEqual([4000, 6000]);
  });

  it('offline push creates and updates with it; push results and delta sync show it; problems are named per mutation', async () => {
    const b = await fresh();
    const id = '01JDX3Q7K9M2N4P6R8S0T1V3W7';
    const second = '01JDX3Q7K9M2N4P6R8S0T1V3W8';
    const push = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: {
        mutations: [
          { op: 'create', id, expense: { amount: 300, occurredOn: '2026-11-10', foreign: { amount: 500, currency: 'THB' } } },
          { op: 'update', id, baseVersion: 1, patch: { foreign: { amount: 520, currency: 'THB' } } },
          { op: 'create', id: second, expense: { amount: 700, occurredOn: '2026-11-11', foreign: JPY_8000 } },
          { op: 'update', id: second, baseVersion: 1, patch: { foreign: null } },
          // The budget's own currency: this mutation fails, the batch goes on.
          { op: 'create', expense: { amount: 1, occurredOn: '2026-11-11', foreign: { amount: 1, currency: 'EUR' } } },
        ],
      },
    });
    expect(push.status, push.text).toBe(200);
    const [created, updated, other, cleared, refused] = push.json.results;
    expect(created).toMatchObject({ status: 'applied', expense: { foreign: { amount: 500, currency: 'THB' } } });
    expect(updated).toMatchObject({ status: 'applied', version: 2, expense: { foreign: { amount: 520, currency: 'THB' } } });
    expect(other).toMatchObject({ status: 'applied', expense: { foreign: JPY_8000 } });
    expect(cleared.status).toBe('applied');
    expect('foreign' in cleared.expense).toBe(false);
    expect(refused).toMatchObject({ status: 'error', problem: { status: 400, errors: [{ path: 'foreign.currency' }] } });

    const sync = await h.call('GET', `/v1/budgets/${b.id}/changes`, { token: team.owner.token });
    expect(sync.status, sync.text).toBe(200);
    const synced = new Map((sync.json.expenses as { id: string; foreign?: unknown }[]).map((e) => [e.id, e]));
    expect(synced.size).toBe(2);
    expect(synced.get(id)).toMatchObject({ kind: 'expense', foreign: { amount: 520, currency: 'THB' } });
    expect('foreign' in synced.get(second)!).toBe(false);

    const bad = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: { mutations: [{ op: 'create', expense: { amount: 1, foreign: { amount: 1, currency: 'thb' } } }] },
    });
    expectProblem(bad, 400, ['mutations.0.expense.foreign.currency']);
  });

  it('exports foreignAmount (as the amount column is written, in its own decimals) and foreignCurrency, and the file imports back with them', async () => {
    const b = await fresh();
    const [food, travel] = b.categories.map((c) => c.id);
    const made = await Promise.all([
      post(b, { amount: 5240, occurredOn: '2026-11-20', categoryId: food, merchant: 'Ichiran', tags: ['japan'], foreign: JPY_8000 }),
      post(b, { amount: 2999, occurredOn: '2026-11-19', foreign: { amount: 12345, currency: 'BHD' } }),
      post(b, { amount: 1250, occurredOn: '2026-11-18', foreign: { amount: 1399, currency: 'USD' } }),
      post(b, {
        amount: 10000,
        occurredOn: '2026-11-17',
        splits: [
          { categoryId: food, amount: 4000, description: 'dinner' },
          { categoryId: travel, amount: 6000, description: 'train' },
        ],
        foreign: { amount: 15300, currency: 'JPY' },
      }),
      post(b, { amount: 100, occurredOn: '2026-11-16' }),
    ]);
    for (const res of made) expect(res.status, res.text).toBe(201);
    const res = await h.call('GET', `${path(b)}/export`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(parse(res.text) as string[][]).toEqual([
      ['date', 'amount', 'category', 'description', 'merchant', 'tags', 'foreignAmount', 'foreignCurrency', 'reviewed', 'recurringExpenseId'],
      ['2026-11-20', '52.40', 'Food', '', 'Ichiran', 'japan', '8000', 'JPY', 'true', ''],
      ['2026-11-19', '29.99', '', '', '', '', '12.345', 'BHD', 'true', ''],
      ['2026-11-18', '12.50', '', '', '', '', '13.99', 'USD', 'true', ''],
      // A split expense's foreign amount is the whole expense's: on its first part's row only.
      ['2026-11-17', '40.00', 'Food', 'dinner', '', '', '15300', 'JPY', 'true', ''],
      ['2026-11-17', '60.00', 'Travel', 'train', '', '', '', '', 'true', ''],
      ['2026-11-16', '1.00', '', '', '', '', '', '', 'true', ''],
    ]);

    // Into another EUR budget: every row back, the foreign amounts with them (tags are not imported).
    const other = await fresh();
    const imported = await h.call('POST', `${path(other)}/import`, {
      token: team.owner.token,
      rawBody: res.text,
      headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
    });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({ status: 'succeeded', imported: 6, errorCount: 0 });
    const back = await h.listExpenses(other, team.owner.token);
    expect(back.map((e) => [e.occurredOn, e.amount, e.foreign ?? null, e.tags ?? null])).toEqual(
      expect.arrayContaining([
        ['2026-11-20', 5240, { amount: 8000, currency: 'JPY' }, null],
        ['2026-11-19', 2999, { amount: 12345, currency: 'BHD' }, null],
        ['2026-11-18', 1250, { amount: 1399, currency: 'USD' }, null],
        ['2026-11-17', 4000, { amount: 15300, currency: 'JPY' }, null],
        ['2026-11-17', 6000, null, null],
        ['2026-11-16', 100, null, null],
      ]),
    );
    expect(back).toHaveLength(6);
    const importedEvent = await theEvent(h.t, 'expense.recorded', { expenseId: back.find((e) => e.amount === 2999)!.id });
    expect(importedEvent.envelope.data).toMatchObject({ via: 'import', foreign: { amount: 12345, currency: 'BHD' } });

    // Into a USD budget, the row paid in USD is refused by its line (its currency is the budget's).
    const usd = await fresh('USD');
    const dry = await h.call('POST', `${path(usd)}/import?dryRun=true`, { token: team.owner.token, rawBody: res.text, headers: { 'content-type': 'text/csv' } });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({
      dryRun: true,
      total: 6,
      imported: 5,
      errorCount: 1,
      errors: [{ line: 4, message: "foreignCurrency must be another currency than the budget's (USD)" }],
    });
  });
});
