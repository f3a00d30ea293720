import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Tags on expenses through HTTP (DynamoDB Local): accepted on create, PATCH and offline push,
 * stored name-normalized and deduplicated ignoring case and accents (the first spelling kept,
 * order kept), shown in every representation (GET, list, delta sync, push results, events,
 * the activity log, the CSV export), and refused with a 400 naming the field when malformed.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries', 'Travel'] });
});
afterAll(() => h.destroy());

const path = (b: Budget = team.budget) => `/v1/budgets/${b.id}/expenses`;
const post = (body: Record<string, unknown>, b: Budget = team.budget) => h.call('POST', path(b), { token: team.owner.token, body });
const patch = (id: string, body: Record<string, unknown>, b: Budget = team.budget) => h.call('PATCH', `${path(b)}/${id}`, { token: team.owner.token, body });
const get = (id: string, b: Budget = team.budget) => h.call('GET', `${path(b)}/${id}`, { token: team.owner.token });
const fresh = () => h.createBudget(team.owner, { categories: ['Groceries', 'Travel'] });

describe('tags on expenses', { timeout: 120_000 }, () => {
  it('creates with tags normalized and deduplicated (first spelling, order kept); GET and the list show them', async () => {
    const b = await fresh();
    const res = await post({ amount: 500, occurredOn: '2026-11-20', tags: ['  Vacation   2026 ', 'reimbursable', 'VACATION 2026', 'Réimbursable', 'cafe\u0301'] }, b);
    expect(res.status, res.text).toBe(201);
    const want = ['Vacation 2026', 'reimbursable', 'café'];
    expect(res.json.tags).toEqual(want);
    await h.expectCreated(res, path(b), team.owner);
    expect((await get(res.json.id, b)).json.tags).toEqual(want);
    // Without tags (or with []) the field is absent, as the other optional fields are.
    const none = await post({ amount: 100, occurredOn: '2026-11-19', tags: [] }, b);
    expect(none.status, none.text).toBe(201);
    expect('tags' in none.json).toBe(false);
    const listed = await h.listExpenses(b, team.owner.token);
    expect(listed.map((e) => e.tags)).toEqual([want, undefined]);
  });

  it('PATCH replaces the tags; [] and null clear them; a PATCH without tags keeps them; events and activity carry them', async () => {
    const b = await fresh();
    const created = await post({ amount: 500, occurredOn: '2026-11-20', tags: ['work'] }, b);
    const recorded = await theEvent(h.t, 'expense.recorded', { expenseId: created.json.id });
    expect(recorded.envelope.data.tags).toEqual(['work']);

    const replaced = await patch(created.json.id, { tags: ['Trip', 'work', 'trip'] }, b);
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json.tags).toEqual(['Trip', 'work']);
    const updated = await theEvent(h.t, 'expense.updated', { expenseId: created.json.id, version: 2 });
    expect(updated.envelope.data).toMatchObject({ tags: ['Trip', 'work'], changes: { tags: { before: ['work'], after: ['Trip', 'work'] } } });

    const kept = await patch(created.json.id, { amount: 600 }, b);
    expect(kept.json.tags).toEqual(['Trip', 'work']);
    expect((await theEvent(h.t, 'expense.updated', { expenseId: created.json.id, version: 3 })).envelope.data.changes.tags).toBeUndefined();

    const cleared = await patch(created.json.id, { tags: [] }, b);
    expect(cleared.status, cleared.text).toBe(200);
    expect('tags' in cleared.json).toBe(false);
    expect('tags' in (await get(created.json.id, b)).json).toBe(false);
    const clearedEvent = (await theEvent(h.t, 'expense.updated', { expenseId: created.json.id, version: 4 })).envelope.data;
    expect('tags' in clearedEvent).toBe(false);
    expect(clearedEvent.changes.tags).toEqual({ before: ['Trip', 'work'], after: null });

    expect((await patch(created.json.id, { tags: ['again'] }, b)).json.tags).toEqual(['again']);
    const nulled = await patch(created.json.id, { tags: null }, b);
    expect(nulled.status, nulled.text).toBe(200);
    expect('tags' in nulled.json).toBe(false);

    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.owner.token });
    expect(activity.status, activity.text).toBe(200);
    const entries = activity.json.items as { action: string; changes?: Record<string, { before: unknown; after: unknown }> }[];
    expect(entries.find((e) => e.action === 'expense.created')!.changes!.tags).toEqual({ before: null, after: ['work'] });
    expect(entries.filter((e) => e.action === 'expense.updated').map((e) => e.changes?.tags ?? 'unchanged')).toEqual(
      expect.arrayContaining([{ before: ['work'], after: ['Trip', 'work'] }, { before: ['Trip', 'work'], after: null }, 'unchanged']),
    );
  });

  it('refuses malformed tags with a 400 naming the field, and writes nothing', async () => {
    const b = await fresh();
    const eleven = Array.from({ length: 11 }, (_, i) => `t${i}`);
    for (const occurredOn of [{ occurredOn: '2026-11-20' }, {}]) {
      expectProblem(await post({ amount: 1, tags: eleven, ...occurredOn }, b), 400, ['tags']);
      expectProblem(await post({ amount: 1, tags: ['a', 'b', 'c', '  '], ...occurredOn }, b), 400, ['tags.3']);
      expectProblem(await post({ amount: 1, tags: ['a', 'x'.repeat(33)], ...occurredOn }, b), 400, ['tags.1']);
      expectProblem(await post({ amount: 1, tags: [12], ...occurredOn }, b), 400, ['tags.0']);
      expectProblem(await post({ amount: 1, tags: 'vacation', ...occurredOn }, b), 400, ['tags']);
    }
    // Ten tags of 32 characters after trimming are fine.
    const ok = await post({ amount: 1, occurredOn: '2026-11-20', tags: Array.from({ length: 10 }, (_, i) => ` ${'y'.repeat(31)}${i} `) }, b);
    expect(ok.status, ok.text).toBe(201);
    expectProblem(await patch(ok.json.id, { tags: ['fine', '\u200b'] }, b), 400, ['tags.1']);
    expectProblem(await patch(ok.json.id, { tags: eleven }, b), 400, ['tags']);
    expect(await h.listExpenses(b, team.owner.token)).toHaveLength(1);
    expect((await get(ok.json.id, b)).json.version).toBe(1);
  });

  it('costs the same write as an expense without tags: one transaction, the same items', async () => {
    const b = await fresh();
    const items = async (body: Record<string, unknown>) => {
      const { result, sent } = await commandsSentDuring(h.t.doc, () => post(body, b));
      expect(result.status, result.text).toBe(201);
            return { requests: sent.length, items: (writeItemsOf(sent) as Record<string, any>[]).map((i) => Object.keys(i)[0]) };
    };
    const plain = await items({ amount: 500, occurredOn: '2026-11-03' });
    const tagged = await items({ amount: 500, occurredOn: '2026-11-03', tags: ['a', 'b', 'c'] });
    expect(tagged).toEqual(plain);
  });

  it('offline push creates and updates with tags; push results and delta sync show them; a bad tag names mutations.N', async () => {
    const b = await fresh();
    const id = '01JDX3Q7K9M2N4P6R8S0T1V3W6';
    const push = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: {
        mutations: [
          { op: 'create', id, expense: { amount: 300, occurredOn: '2026-11-10', tags: ['Offline', 'offline', 'Trip'] } },
          { op: 'update', id, baseVersion: 1, patch: { tags: ['Trip', 'Ünïcode'] } },
        ],
      },
    });
    expect(push.status, push.text).toBe(200);
    const [created, updated] = push.json.results;
    expect(created).toMatchObject({ status: 'applied', expense: { tags: ['Offline', 'Trip'] } });
    expect(updated).toMatchObject({ status: 'applied', version: 2, expense: { tags: ['Trip', 'Ünïcode'] } });
    const sync = await h.call('GET', `/v1/budgets/${b.id}/changes`, { token: team.owner.token });
    expect(sync.status, sync.text).toBe(200);
    expect(sync.json.expenses).toEqual([expect.objectContaining({ kind: 'expense', id, tags: ['Trip', 'Ünïcode'] })]);

    const bad = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: { mutations: [{ op: 'update', id, baseVersion: 2, patch: { tags: ['ok', ''] } }] },
    });
    expectProblem(bad, 400, ['mutations.0.patch.tags.1']);
  });

  it('exports a tags column (joined with ;, guarded against formulas) and filters the export by tag', async () => {
    const b = await fresh();
    const [groceries] = b.categories.map((c) => c.id);
    expect((await post({ amount: 1250, occurredOn: '2026-11-20', categoryId: groceries, merchant: 'Shop', tags: ['Trip', 'reimbursable'] }, b)).status).toBe(201);
    expect((await post({ amount: 250, occurredOn: '2026-11-19', tags: ['=cmd', 'trip'] }, b)).status).toBe(201);
    expect((await post({ amount: 100, occurredOn: '2026-11-18' }, b)).status).toBe(201);
    const res = await h.call('GET', `${path(b)}/export`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    const rows = parse(res.text) as string[][];
    expect(rows).toEqual([
      ['date', 'amount', 'category', 'description', 'merchant', 'tags', 'foreignAmount', 'foreignCurrency', 'reviewed', 'recurringExpenseId'],
      ['2026-11-20', '12.50', 'Groceries', '', 'Shop', 'Trip;reimbursable', '', '', 'true', ''],
      ['2026-11-19', '2.50', '', '', '', "'=cmd;trip", '', '', 'true', ''],
      ['2026-11-18', '1.00', '', '', '', '', '', '', 'true', ''],
    ]);
    const filtered = await h.call('GET', `${path(b)}/export?tag=TRIP`, { token: team.owner.token });
    expect(filtered.status, filtered.text).toBe(200);
    expect((parse(filtered.text) as string[][]).slice(1).map((r) => r[0])).toEqual(['2026-11-20', '2026-11-19']);
    expectProblem(await h.call('GET', `${path(b)}/export?tag=${'z'.repeat(33)}`, { token: team.owner.token }), 400, ['query.tag']);

    // The exported file imports back (the import reads past the tags column, recording no tags).
    const other = await fresh();
    const imported = await h.call('POST', `/v1/budgets/${other.id}/expenses/import?dryRun=true`, {
      token: team.owner.token,
      rawBody: res.text,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({ dryRun: true, total: 3, imported: 3, errorCount: 0 });
  });

  it('a repeated tag query is refused naming query.tag (one tag per request)', async () => {
    const res = await h.call('GET', `${path()}?tag=a&tag=b`, { token: team.viewer.token });
    expectProblem(res, 400, ['query.tag']);
  });
});
