import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { expectPatchesChangeNothing } from '../../support/no-change-patch';
import { createHarness, type Harness, type Team } from './harness';

/**
 * Recurring expense definitions through HTTP: create (defaults, first occurrence, Location,
 * ETag, Idempotency-Key), read, list with cursors, change (If-Match, schedule changes restart
 * from today), delete; and who may do what. The job that records them: recurring-job.test.ts.
 * The clock is 2026-11-24T12:00Z: 2026-11-25 in Auckland.
 */
let h: Harness;
let team: Team;
const path = () => `/v1/budgets/${team.budget.id}/recurring-expenses`;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Housing', 'Transport'], timezone: 'Pacific/Auckland' });
});
afterAll(() => h.destroy());

const rent = { amount: 120_000, description: ' Rent ', merchant: 'Landlord Ltd', schedule: { frequency: 'monthly', startsOn: '2026-01-31' } };

describe('recurring expenses CRUD', () => {
  it('creates one: 201, Location, ETag, defaults, and the first occurrence on or after today (no back-fill)', async () => {
    const housing = team.budget.categories[0]!.id;
    const res = await h.call('POST', path(), { token: team.owner.token, body: { ...rent, categoryId: housing, currency: 'USD' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      budgetId: team.budget.id,
      amount: 120_000,
      categoryId: housing,
      description: 'Rent',
      merchant: 'Landlord Ltd',
      schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-01-31' },
      // Anchored on the 31st; today (Auckland) is 2026-11-25: November's is its 30th.
      nextOccurrenceOn: '2026-11-30',
      paused: false,
      pauses: [],
      createdBy: team.owner.id,
      version: 1,
      createdAt: '2026-11-24T12:00:00.000Z',
      updatedAt: '2026-11-24T12:00:00.000Z',
    });
    // The ETag names the next occurrence too (the job moves it without a new version).
    await h.expectCreated(res, path(), team.viewer, '"1-n20261130"');
  });

  it("defaults startsOn to today in the budget's time zone, interval to 1, categoryId to null", async () => {
    const res = await h.call('POST', path(), { token: team.editor.token, body: { amount: 500, schedule: { frequency: 'daily' } } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      categoryId: null,
      schedule: { frequency: 'daily', interval: 1, startsOn: '2026-11-25' },
      nextOccurrenceOn: '2026-11-25',
      createdBy: team.editor.id,
    });
    expect(res.json).not.toHaveProperty('description');
    expect(res.json.schedule).not.toHaveProperty('endsOn');
  });

  it('a schedule starting in the future starts then; one that ended already has no next occurrence', async () => {
    const future = await h.call('POST', path(), { token: team.owner.token, body: { amount: 1, schedule: { frequency: 'yearly', startsOn: '2028-02-29', interval: 2 } } });
    expect(future.json.nextOccurrenceOn).toBe('2028-02-29');
    const ended = await h.call('POST', path(), {
      token: team.owner.token,
      body: { amount: 1, schedule: { frequency: 'weekly', startsOn: '2026-01-01', endsOn: '2026-06-30' } },
    });
    expect(ended.status).toBe(201);
    expect(ended.json.nextOccurrenceOn).toBeNull();
  });

  it('replays a POST with the same Idempotency-Key and body instead of setting it up twice', async () => {
    const other = await h.createBudget(team.owner);
    const url = `/v1/budgets/${other.id}/recurring-expenses`;
    const headers = { 'idempotency-key': 'recurring-key-1' };
    const first = await h.call('POST', url, { token: team.owner.token, body: rent, headers });
    const again = await h.call('POST', url, { token: team.owner.token, body: rent, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    const different = await h.call('POST', url, { token: team.owner.token, body: { ...rent, amount: 1 }, headers });
    expect(different.status).toBe(422);
    const list = await h.call('GET', url, { token: team.owner.token });
    expect(list.json.items).toHaveLength(1);
  });

  it('a PATCH that changes nothing writes nothing: 200 with the stored definition and its ETag; If-Match and unknown fields still checked', async () => {
    const housing = team.budget.categories[0]!.id;
    const made = await h.call('POST', path(), { token: team.owner.token, body: { ...rent, categoryId: housing, tags: ['Home'] } });
    expect(made.status, made.text).toBe(201);
    const url = `${path()}/${made.json.id}`;
    // The values it has: text as sent before trimming, a removal of a text it has not, paused: false
    // on a running one, schedule fields it has, the same tag in the same spelling.
    const same = [
      { amount: 120_000 },
      { description: '  Rent' },
      { merchant: 'Landlord Ltd  ' },
      { splits: null, sharedWith: null },
      { categoryId: housing, paused: false },
      { tags: ['Home'] },
      { schedule: { frequency: 'monthly', startsOn: '2026-01-31', interval: 1 } },
    ];
    await expectPatchesChangeNothing(h.t.doc, same, { json: made.json, etag: '"1-n20261130"' }, (body, headers) => h.call('PATCH', url, { token: team.editor.token, body, headers }));
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { amount: 120_000 }, headers: { 'if-match': '"2"' } }), 412);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { amount: 120_000, colour: 'red' } }), 400, ['colour']);
    expectProblem(await h.call('PATCH', url, { token: team.viewer.token, body: { amount: 120_000 } }), 403);
    expect((await h.call('GET', url, { token: team.owner.token })).json).toEqual(made.json);
    // The same tag in another case is stored in that case: a change, version 2.
    const retagged = await h.call('PATCH', url, { token: team.owner.token, body: { tags: ['home'] }, headers: { 'if-match': '"1"' } });
    expect(retagged.status, retagged.text).toBe(200);
    expect(retagged.headers.get('etag')).toBe('"2-n20261130"');
    expect(retagged.json).toMatchObject({ tags: ['home'], version: 2 });
  });

  it('changes fields with If-Match and bumps the version; a stale ETag is a 412', async () => {
    const created = await h.call('POST', path(), { token: team.owner.token, body: rent });
    const url = `${path()}/${created.json.id}`;
    const transport = team.budget.categories[1]!.id;
    const changed = await h.call('PATCH', url, {
      token: team.editor.token,
      headers: { 'if-match': '"1"' },
      body: { amount: 125_000, categoryId: transport, description: null },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toMatchObject({ amount: 125_000, categoryId: transport, version: 2, nextOccurrenceOn: '2026-11-30', createdBy: team.owner.id });
    expect(changed.json).not.toHaveProperty('description');
    expect(changed.headers.get('etag')).toBe('"2-n20261130"');

    expect((await h.call('PATCH', url, { token: team.owner.token, headers: { 'if-match': '"1"' }, body: { amount: 1 } })).status).toBe(412);
    expect((await h.call('DELETE', url, { token: team.owner.token, headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await h.call('GET', url, { token: team.owner.token })).json.amount).toBe(125_000);
  });

  it('an edit sending back the category the definition keeps, removed since on another device, applies (PATCH and offline push); moving one into it is still the 400', async () => {
    const other = await h.team({ categories: ['Housing', 'Transport'], timezone: 'Pacific/Auckland' });
    const [housing, transport] = [other.budget.categories[0]!.id, other.budget.categories[1]!.id];
    const at = `/v1/budgets/${other.budget.id}/recurring-expenses`;
    const create = (body: object) => h.call('POST', at, { token: other.editor.token, body });
    const bill = (await create({ ...rent, categoryId: housing })).json;
    const split = (await create({ ...rent, splits: [{ amount: 100_000, categoryId: housing }, { amount: 20_000, categoryId: transport }] })).json;
    const plain = (await create(rent)).json;

    // The owner removes Housing; the editor's phone edited the bills offline, sending its form (and the splits) whole.
    const budget = (await h.call('GET', `/v1/budgets/${other.budget.id}`, { token: other.owner.token })).json;
    const removed = await h.call('PATCH', `/v1/budgets/${other.budget.id}`, {
      token: other.owner.token,
      headers: { 'if-match': `"${budget.version}"` },
      body: { categories: budget.categories.filter((c: { id: string }) => c.id !== housing) },
    });
    expect(removed.status, removed.text).toBe(200);
    const changed = await h.call('PATCH', `${at}/${bill.id}`, { token: other.editor.token, headers: { 'if-match': '"1"' }, body: { amount: 125_000, categoryId: housing } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toMatchObject({ amount: 125_000, categoryId: housing, version: 2 });
    const pushed = await h.call('POST', `/v1/budgets/${other.budget.id}/changes`, {
      token: other.editor.token,
      body: {
        mutations: [
          { type: 'recurringExpense', op: 'update', id: split.id, baseVersion: 1, patch: { amount: 125_000, splits: [{ amount: 105_000, categoryId: housing }, { amount: 20_000, categoryId: transport }] } },
          { type: 'recurringExpense', op: 'update', id: plain.id, baseVersion: 1, patch: { categoryId: housing } },
        ],
      },
    });
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.json.results).toEqual([
      { status: 'applied', version: 2, recurringExpense: expect.objectContaining({ amount: 125_000, splits: [{ amount: 105_000, categoryId: housing }, { amount: 20_000, categoryId: transport }] }) },
      { status: 'error', problem: expect.objectContaining({ status: 400, errors: [{ path: 'categoryId', message: 'Not a category of this budget' }] }) },
    ]);
    expectProblem(await h.call('PATCH', `${at}/${plain.id}`, { token: other.editor.token, body: { categoryId: housing } }), 400, ['categoryId']);
  });

  it('a changed schedule continues from today; endsOn can be set and cleared (null)', async () => {
    const created = await h.call('POST', path(), { token: team.owner.token, body: rent });
    const url = `${path()}/${created.json.id}`;
    const weekly = await h.call('PATCH', url, { token: team.owner.token, body: { schedule: { frequency: 'weekly', startsOn: '2026-11-02' } } });
    expect(weekly.status, weekly.text).toBe(200);
    // Mondays from 2026-11-02; today is Wednesday 2026-11-25 in Auckland.
    expect(weekly.json.schedule).toEqual({ frequency: 'weekly', interval: 1, startsOn: '2026-11-02' });
    expect(weekly.json.nextOccurrenceOn).toBe('2026-11-30');

    const ending = await h.call('PATCH', url, { token: team.owner.token, body: { schedule: { endsOn: '2026-11-29' } } });
    expect(ending.json.schedule.endsOn).toBe('2026-11-29');
    expect(ending.json.nextOccurrenceOn).toBeNull();

    const reopened = await h.call('PATCH', url, { token: team.owner.token, body: { schedule: { endsOn: null } } });
    expect(reopened.json.schedule).not.toHaveProperty('endsOn');
    expect(reopened.json.nextOccurrenceOn).toBe('2026-11-30');
    expect(reopened.json.version).toBe(4);

    // Not touching the schedule keeps nextOccurrenceOn as it is.
    const renamed = await h.call('PATCH', url, { token: team.owner.token, body: { merchant: 'New landlord' } });
    expect(renamed.json.nextOccurrenceOn).toBe('2026-11-30');
  });

  it('deletes with the current ETag (204); then it is a 404', async () => {
    const created = await h.call('POST', path(), { token: team.owner.token, body: rent });
    const url = `${path()}/${created.json.id}`;
    const res = await h.call('DELETE', url, { token: team.editor.token, headers: { 'if-match': created.headers.get('etag')! } });
    expect(res.status).toBe(204);
    expect((await h.call('GET', url, { token: team.owner.token })).status).toBe(404);
    expect((await h.call('DELETE', url, { token: team.owner.token })).status).toBe(404);
    expect((await h.call('PATCH', url, { token: team.owner.token, body: { amount: 1 } })).status).toBe(404);
  });

  it('lists oldest first in pages; the cursor works only for the same budget', async () => {
    const other = await h.createBudget(team.owner);
    const url = `/v1/budgets/${other.id}/recurring-expenses`;
    for (let amount = 1; amount <= 5; amount++) {
      expect((await h.call('POST', url, { token: team.owner.token, body: { amount, schedule: { frequency: 'daily' } } })).status).toBe(201);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await h.call('GET', `${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: team.owner.token });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.items.map((r: { amount: number }) => r.amount));
      cursor = res.json.nextCursor;
      if (cursor) {
        const elsewhere = await h.call('GET', `${path()}?cursor=${cursor}`, { token: team.owner.token });
        expect(elsewhere.status).toBe(400);
        expect(elsewhere.json.errors[0].path).toBe('query.cursor');
      }
    } while (cursor);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    // Expenses lists do not show definitions (they share the budget's partition, not its index).
    expect((await h.call('GET', `/v1/budgets/${other.id}/expenses`, { token: team.owner.token })).json.items).toEqual([]);
  });
});

describe('who may do what', () => {
  let id: string;
  beforeAll(async () => {
    id = (await h.call('POST', path(), { token: team.owner.token, body: rent })).json.id;
  });
  const routes = () =>
    [
      ['POST', path(), { amount: 5, schedule: { frequency: 'daily' } }, true],
      ['GET', path(), undefined, false],
      ['GET', `${path()}/${id}`, undefined, false],
      ['PATCH', `${path()}/${id}`, { amount: 7 }, true],
      ['DELETE', `${path()}/${id}`, undefined, true],
    ] as const;

  it('no token: 401; a stranger: 404 like a budget that does not exist; a viewer: reads, 403 on writes', async () => {
    for (const [method, url, body, write] of routes()) {
      expect((await h.call(method, url, { body })).status, `${method} ${url}`).toBe(401);
      const strangers = await h.call(method, url, { token: team.stranger.token, body });
      const missing = await h.call(method, url.replace(team.budget.id, '01JDNOSUCHBUDGET0000000000'), { token: team.owner.token, body });
      expect(strangers.status, `${method} ${url}`).toBe(404);
      expect(missing.status).toBe(404);
      expect(strangers.json.detail).toBe(missing.json.detail);
      const viewers = await h.call(method, url, { token: team.viewer.token, body });
      expect(viewers.status, `${method} ${url}`).toBe(write ? 403 : 200);
    }
    const still = await h.call('GET', `${path()}/${id}`, { token: team.owner.token });
    expect(still.json).toMatchObject({ amount: 120_000, version: 1 });
  });

  it('an unknown id in a visible budget is a 404', async () => {
    expect((await h.call('GET', `${path()}/01JDNOSUCHRECURRING0000000`, { token: team.owner.token })).status).toBe(404);
  });
});
