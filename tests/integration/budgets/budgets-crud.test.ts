import { MAX_AMOUNT_MINOR, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, theEvent } from '../../support/events';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, expectProblem, signup, validBudget, type Account } from './helpers';

let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
let alice: Account;
let bob: Account;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  alice = await signup(t.app, 'alice');
  bob = await signup(t.app, 'bob');
});
afterAll(() => t.destroy());

describe('POST /v1/budgets', () => {
  it('creates a budget owned by the caller, with server category ids, Location and ETag', async () => {
    const res = await as(t.app, alice)('POST', '/v1/budgets', {
      body: validBudget({ timezone: 'europe/paris', limit: MAX_AMOUNT_MINOR, rollover: true, alertThresholds: [50, 90] }),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      name: 'Household',
      currency: 'USD',
      period: 'monthly',
      timezone: 'Europe/Paris', // canonical spelling
      limit: MAX_AMOUNT_MINOR,
      rollover: true,
      alertThresholds: [50, 90],
      role: 'owner',
      version: 1,
      createdAt: '2026-11-24T12:00:00.000Z',
      updatedAt: '2026-11-24T12:00:00.000Z',
    });
    const [groceries, transport] = res.json.categories;
    expect(groceries).toEqual({ id: expect.any(String), name: 'Groceries', limit: 40_000 });
    expect(transport).toEqual({ id: expect.any(String), name: 'Transport' });
    expect(groceries.id).not.toBe(transport.id);
    expect(res.headers.get('location')).toBe(`/v1/budgets/${res.json.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.json.ownerId).toBeUndefined();
  });

  it('fills defaults: monthly, UTC, no categories, no rollover, thresholds 80 and 100', async () => {
    const res = await as(t.app, alice)('POST', '/v1/budgets', { body: { name: '  Trip  ', currency: 'JPY', limit: 50_000 } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      name: 'Trip',
      period: 'monthly',
      timezone: 'UTC',
      categories: [],
      rollover: false,
      alertThresholds: [80, 100],
    });
  });

  it.each(['XCG', 'VED'])('takes %s, an active ISO 4217 currency (amendments 176 and 170), as a profile and a budget currency', async (currency) => {
    const dana = await signup(t.app, 'dana');
    const profile = await call(t.app, 'PATCH', '/v1/me', { token: dana.token, body: { currency } });
    expect(profile.status, profile.text).toBe(200);
    const res = await as(t.app, dana)('POST', '/v1/budgets', { body: { name: 'Home', currency, limit: 150_000 } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.currency).toBe(currency);
  });

  it("takes the currency and time zone of the caller's profile when they are not sent", async () => {
    const carol = await signup(t.app, 'carol');
    const profile = await call(t.app, 'PATCH', '/v1/me', { token: carol.token, body: { timezone: 'America/New_York', currency: 'EUR' } });
    expect(profile.status, profile.text).toBe(200);
    const res = await as(t.app, carol)('POST', '/v1/budgets', { body: { name: 'Home', limit: 100_000 } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ currency: 'EUR', timezone: 'America/New_York' });
    // What is sent wins over the profile.
    const sent = await as(t.app, carol)('POST', '/v1/budgets', { body: { name: 'Trip', limit: 100, currency: 'JPY', timezone: 'Asia/Tokyo' } });
    expect(sent.json).toMatchObject({ currency: 'JPY', timezone: 'Asia/Tokyo' });
  });

  it.each(['Asia/Kolkata', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'GMT', 'EST5EDT'])(
    'keeps the time zone %s as sent (not the runtime\'s legacy alias), and computes periods in it',
    async (timezone) => {
      const res = await as(t.app, alice)('POST', '/v1/budgets', { body: validBudget({ timezone }) });
      expect(res.status, res.text).toBe(201);
      expect(res.json.timezone).toBe(timezone);
      expect((await as(t.app, alice)('GET', `/v1/budgets/${res.json.id}/summary?date=2026-11-24`)).status).toBe(200);
    },
  );

  it('needs a token', async () => {
    expectProblem(await call(t.app, 'POST', '/v1/budgets', { body: validBudget() }), 401);
  });

  it("refuses a deleted account's still-valid access token (401), so no budget outlives the account", async () => {
    const gone = await signup(t.app, 'gone');
    expect((await call(t.app, 'DELETE', '/v1/me', { token: gone.token })).status).toBe(204);
    const res = await call(t.app, 'POST', '/v1/budgets', { token: gone.token, body: validBudget() });
    expectProblem(res, 401);
    expect(res.json.detail).toMatch(/no longer exists/);
  });

  it('replays a retried POST with the same Idempotency-Key, and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'create-household-1' };
    const first = await as(t.app, alice)('POST', '/v1/budgets', { body: validBudget({ name: 'Once' }), headers });
    const again = await as(t.app, alice)('POST', '/v1/budgets', { body: validBudget({ name: 'Once' }), headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('etag')).toBe('"1"');

    const list = await as(t.app, alice)('GET', '/v1/budgets?limit=100');
    expect(list.json.items.filter((b: { name: string }) => b.name === 'Once')).toHaveLength(1);

    const other = await as(t.app, alice)('POST', '/v1/budgets', { body: validBudget({ name: 'Twice' }), headers });
    expectProblem(other, 422);
  });

  it('runs concurrent retries of one creation exactly once', async () => {
    const headers = { 'idempotency-key': 'create-race' };
    const body = validBudget({ name: 'Race' });
    const results = await Promise.all(Array.from({ length: 8 }, () => as(t.app, bob)('POST', '/v1/budgets', { body, headers })));
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const list = await as(t.app, bob)('GET', '/v1/budgets?limit=100');
    expect(list.json.items.filter((b: { name: string }) => b.name === 'Race')).toHaveLength(1);
  });
});

describe('GET /v1/budgets/{id}', () => {
  it('returns the budget with its ETag', async () => {
    const budget = await createBudget(t.app, alice, { name: 'Readable' });
    const res = await as(t.app, alice)('GET', `/v1/budgets/${budget.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(budget);
    expect(res.headers.get('etag')).toBe('"1"');
  });

  it('is a 404 for an unknown or malformed id', async () => {
    expectProblem(await as(t.app, alice)('GET', '/v1/budgets/01JDQ4V8M7ZK3X9A2B5C6D7E8F'), 404);
    expectProblem(await as(t.app, alice)('GET', '/v1/budgets/not%23an%23id'), 404);
  });
});

describe('GET /v1/budgets', () => {
  it('lists the budgets the caller owns or belongs to, page by page, each exactly once', async () => {
    const carol = await signup(t.app, 'carol');
    const dave = await signup(t.app, 'dave');
    const own = [];
    for (let i = 0; i < 5; i++) own.push(await createBudget(t.app, carol, { name: `Carol ${i}` }));
    const shared = await createBudget(t.app, dave, { name: 'Dave shares' });
    await addMember(t.app, dave, shared.id, carol, 'viewer');
    await createBudget(t.app, dave, { name: 'Dave alone' });

    const seen: { id: string; name: string; role: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const res = await as(t.app, carol)('GET', `/v1/budgets${query}`);
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.items);
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3); // 2 + 2 + 2, and the last page says so (no empty extra page)
    expect(seen.map((b) => b.id)).toEqual([...own.map((b) => b.id), shared.id]); // oldest first
    expect(seen.find((b) => b.id === shared.id)?.role).toBe('viewer');
    expect(seen.filter((b) => b.role === 'owner')).toHaveLength(5);
  });

  it('refuses a cursor from another user, or tampered with (400 naming it)', async () => {
    await createBudget(t.app, bob, { name: 'Bob 2' });
    const page = await as(t.app, bob)('GET', '/v1/budgets?limit=1');
    expect(page.json.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(page.json.nextCursor);
    expectProblem(await as(t.app, alice)('GET', `/v1/budgets?cursor=${cursor}`), 400, ['query.cursor']);
    expectProblem(await as(t.app, bob)('GET', `/v1/budgets?cursor=${cursor}x`), 400, ['query.cursor']);
  });

  it('validates limit', async () => {
    expectProblem(await as(t.app, alice)('GET', '/v1/budgets?limit=0'), 400, ['query.limit']);
    expectProblem(await as(t.app, alice)('GET', '/v1/budgets?limit=101'), 400, ['query.limit']);
  });

  it('is empty for a user without budgets', async () => {
    const erin = await signup(t.app, 'erin');
    const res = await as(t.app, erin)('GET', '/v1/budgets');
    expect(res.json).toEqual({ items: [], nextCursor: null });
  });
});

describe('PATCH /v1/budgets/{id}', () => {
  it('changes only the fields sent, bumps version and ETag', async () => {
    const budget = await createBudget(t.app, alice);
    clock.advance(60_000);
    const res = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, {
      body: { name: 'Renamed', limit: 120_000, period: 'weekly', timezone: 'Asia/Tokyo', rollover: true, alertThresholds: [75] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      name: 'Renamed',
      limit: 120_000,
      period: 'weekly',
      timezone: 'Asia/Tokyo',
      rollover: true,
      alertThresholds: [75],
      categories: budget.categories,
      version: 2,
      createdAt: budget.createdAt,
    });
    expect(res.json.updatedAt).not.toBe(budget.updatedAt);
    expect(res.headers.get('etag')).toBe('"2"');
    const read = await as(t.app, alice)('GET', `/v1/budgets/${budget.id}`);
    expect(read.json).toEqual(res.json);
    expect(read.headers.get('etag')).toBe('"2"');
  });

  it('keeps categories sent with their id, adds those without, removes the others', async () => {
    const budget = await createBudget(t.app, alice);
    const [groceries] = budget.categories;
    const res = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, {
      body: { categories: [{ id: groceries!.id, name: 'Food', limit: null }, { name: 'Rent', limit: 70_000 }] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.categories).toEqual([
      { id: groceries!.id, name: 'Food' },
      { id: expect.any(String), name: 'Rent', limit: 70_000 },
    ]);
    expect(budget.categories.map((c) => c.id)).not.toContain(res.json.categories[1].id);
  });

  it('refuses an unknown category id, naming it', async () => {
    const budget = await createBudget(t.app, alice);
    const res = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, {
      body: { categories: [{ id: 'made-up', name: 'X' }] },
    });
    expectProblem(res, 400, ['categories.0.id']);
  });

  it('keeps the currency: the same value is fine, another one is refused', async () => {
    const budget = await createBudget(t.app, alice);
    const same = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { currency: 'USD' } });
    expect(same.status).toBe(200);
    expect(same.json.version).toBe(1); // nothing changed, no new version
    expectProblem(await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { currency: 'EUR' } }), 400, ['currency']);
  });

  it('honours If-Match: the current ETag writes, a stale one is a 412, a malformed one a 400', async () => {
    const budget = await createBudget(t.app, alice);
    const ok = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { limit: 1 }, headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { limit: 2 }, headers: { 'if-match': '"1"' } });
    expectProblem(stale, 412);
    expect((await as(t.app, alice)('GET', `/v1/budgets/${budget.id}`)).json.limit).toBe(1);
    expectProblem(
      await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { limit: 2 }, headers: { 'if-match': 'yesterday' } }),
      400,
      ['header.If-Match'],
    );
  });

  it('loses no update when owners write concurrently without If-Match', async () => {
    const budget = await createBudget(t.app, alice, { categories: [] });
    const names = Array.from({ length: 6 }, (_, i) => `Renamed ${i}`);
    const results = await Promise.all(
      names.map((name) => as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { name } })),
    );
    for (const r of results) expect([200, 409]).toContain(r.status);
    const succeeded = results.filter((r) => r.status === 200).length;
    const read = await as(t.app, alice)('GET', `/v1/budgets/${budget.id}`);
    expect(read.json.version).toBe(1 + succeeded); // every successful write got its own version
    expect(new Set(results.filter((r) => r.status === 200).map((r) => r.json.version)).size).toBe(succeeded);
  });
});

describe('DELETE /v1/budgets/{id}', () => {
  it('deletes the budget and its memberships at once, and its expenses once budget.deleted is delivered', async () => {
    const budget = await createBudget(t.app, alice);
    await addMember(t.app, alice, budget.id, bob, 'editor');
    await addExpense(t.app, bob, budget.id, { amount: 1_500, occurredOn: '2026-11-20' });
    expect((await t.system.facades.spending.totalsBetween(budget.id, '2026-11-01', '2026-11-30')).total).toBe(1_500);

    const res = await as(t.app, alice)('DELETE', `/v1/budgets/${budget.id}`);
    expect(res.status).toBe(204);
    expectProblem(await as(t.app, alice)('GET', `/v1/budgets/${budget.id}`), 404);
    expectProblem(await as(t.app, bob)('GET', `/v1/budgets/${budget.id}`), 404);
    const bobs = await as(t.app, bob)('GET', '/v1/budgets?limit=100');
    expect(bobs.json.items.map((b: { id: string }) => b.id)).not.toContain(budget.id);
    expect(await t.system.facades.budgets.getAccess(budget.id, bob.id)).toBeNull();
    // The expenses module reacts to budget.deleted (as EventBridge delivers it in AWS).
    await deliver(t, await theEvent(t, 'budget.deleted', { budgetId: budget.id }));
    expect((await t.system.facades.spending.totalsBetween(budget.id, '2026-11-01', '2026-11-30')).total).toBe(0);
    expectProblem(await as(t.app, alice)('DELETE', `/v1/budgets/${budget.id}`), 404);
  });

  it('honours If-Match', async () => {
    const budget = await createBudget(t.app, alice);
    await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { limit: 5 } });
    expectProblem(await as(t.app, alice)('DELETE', `/v1/budgets/${budget.id}`, { headers: { 'if-match': '"1"' } }), 412);
    expect((await as(t.app, alice)('GET', `/v1/budgets/${budget.id}`)).status).toBe(200);
    expect((await as(t.app, alice)('DELETE', `/v1/budgets/${budget.id}`, { headers: { 'if-match': '"2"' } })).status).toBe(204);
  });
});
