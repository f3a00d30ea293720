import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { expenseMerchantRenameFinished } from '@budgeting/expenses';
import { createEvent, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import { deliver, outboxEvents } from '../../support/events';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { readCostDuring } from '../../support/sent-commands';
import { systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, signup, type Account } from './helpers';

/**
 * GET /v1/me/overview: the home screen in one request. Two budgets of different periods and
 * currencies, expenses in and out of their current periods (a split one among them), a category
 * over its limit, alert levels, the unread count before and after notifications, paging, a
 * budget left, and every figure checked against GET .../summary (and by hand for one budget).
 * Then the DynamoDB requests and read units of a call for 1, 10 and 25 budgets.
 */
const clock = fixedClock('2026-11-24T12:00:00.000Z');
let t: TestSystem;
let owner: Account;
let other: Account;
let household: { id: string; categories: { id: string; name: string }[] };
let trip: { id: string };
let left: { id: string };

const overview = (who: Account, query = '', headers: Record<string, string> = {}) => as(t.app, who)('GET', `/v1/me/overview${query}`, { headers });

beforeAll(async () => {
  ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock }));
  other = await signup(t.app, 'other');
  // Household: EUR, monthly (November in UTC). Groceries limit 200.00, Fun 50.00, Transport none.
  household = await createBudget(t.app, owner, {
    name: 'Household',
    currency: 'EUR',
    limit: 100_000,
    alertThresholds: [50, 80],
    categories: [{ name: 'Groceries', limit: 20_000 }, { name: 'Transport' }, { name: 'Fun', limit: 5_000 }],
  });
  // Trip: USD, weekly in Tokyo (Monday 23 .. Sunday 29 November there), with rollover.
  trip = await createBudget(t.app, owner, { name: 'Trip', currency: 'USD', period: 'weekly', timezone: 'Asia/Tokyo', limit: 50_000, rollover: true, alertThresholds: [80, 100], categories: [] });
  // Another user's budget the owner joined and then left.
  left = await createBudget(t.app, other, { name: 'Left', categories: [] });
  await addMember(t.app, other, left.id, owner, 'viewer');
  expect((await as(t.app, owner)('DELETE', `/v1/budgets/${left.id}/members/${owner.id}`)).status).toBe(204);

  const [groceries, transport, fun] = household.categories.map((c) => c.id) as [string, string, string];
  const post = (budgetId: string, body: Record<string, unknown>) => as(t.app, owner)('POST', `/v1/budgets/${budgetId}/expenses`, { body });
  for (const body of [
    { amount: 15_000, occurredOn: '2026-11-03', categoryId: groceries },
    // Split: 80.00 groceries + 40.00 transport.
    { amount: 12_000, occurredOn: '2026-11-10', splits: [{ categoryId: groceries, amount: 8_000 }, { categoryId: transport, amount: 4_000 }] },
    { amount: 6_000, occurredOn: '2026-11-20', categoryId: fun },
    { amount: 20_000, occurredOn: '2026-11-24' },
    { amount: 40_000, occurredOn: '2026-10-31', categoryId: groceries }, // October: another period
    { amount: 9_000, occurredOn: '2026-12-01' }, // December: another period
  ]) {
    const res = await post(household.id, body);
    expect(res.status, res.text).toBe(201);
  }
  await addExpense(t.app, owner, trip.id, { amount: 45_000, occurredOn: '2026-11-23' });
  await addExpense(t.app, owner, trip.id, { amount: 7_000, occurredOn: '2026-11-22' }); // the week before: before the budget, never carried
});
afterAll(() => t.destroy());

describe('GET /v1/me/overview', () => {
  it("each budget's current period, by hand for the household and equal to its summary for both; the budget left is absent", async () => {
    const res = await overview(owner);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, max-age=15');
    expect(res.json.generatedAt).toBe('2026-11-24T12:00:00.000Z');
    expect(res.json.nextCursor).toBeNull();
    expect(res.json.items.map((i: { budgetId: string }) => i.budgetId)).toEqual([household.id, trip.id]);
    // 150.00 + 120.00 (split) + 60.00 + 200.00 in November; October and December left out.
    // Groceries 150.00 + 80.00 = 230.00 > 200.00 and Fun 60.00 > 50.00: two over; 53% reaches 50.
    expect(res.json.items[0]).toEqual({
      budgetId: household.id,
      name: 'Household',
      currency: 'EUR',
      role: 'owner',
      // Every expense recorded by hand: none to review (the review inbox's own tests: tests/integration/expenses/review-inbox.test.ts).
      toReview: 0,
      toReviewMore: false,
      period: { start: '2026-11-01', end: '2026-11-30' },
      limit: 100_000,
      carriedOver: 0,
      spent: 53_000,
      remaining: 47_000,
      percentUsed: 53,
      alertLevel: 50,
      categoriesOver: 2,
      targetsBehind: 0,
      // Day 24 of 30: 80,000 expected, 53,000 is 27,000 behind (> 5,000): under; 47,000 / 7 days left = 6,714.29 -> 6,714.
      pace: { daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 80_000, status: 'under', dailyAllowance: 6_714 },
    });
    // Trip: the Tokyo week of 23..29 November; 450.00 of 500.00 is 90%: level 80.
    // 21:00 on Tuesday 24th in Tokyo: 2 days elapsed, 6 left; 50,000 x 2 / 7 = 14,285.71 -> 14,285, 45,000 far ahead: over; 5,000 / 6 = 833.
    expect(res.json.items[1]).toMatchObject({
      currency: 'USD',
      period: { start: '2026-11-23', end: '2026-11-29' },
      spent: 45_000,
      carriedOver: 0,
      percentUsed: 90,
      alertLevel: 80,
      categoriesOver: 0,
      pace: { daysInPeriod: 7, daysElapsed: 2, daysLeft: 6, expectedSpent: 14_285, status: 'over', dailyAllowance: 833 },
    });

    for (const item of res.json.items) {
      const summary = await as(t.app, owner)('GET', `/v1/budgets/${item.budgetId}/summary`);
      expect(summary.status, summary.text).toBe(200);
      const s = summary.json;
      const budgetLevels = s.thresholdsCrossed.filter((c: { scope: string }) => c.scope === 'budget').map((c: { threshold: number }) => c.threshold);
      expect(item).toMatchObject({
        period: { start: s.periodStart, end: s.periodEnd },
        limit: s.limit,
        carriedOver: s.carriedOver,
        spent: s.spent,
        remaining: s.remaining,
        percentUsed: Math.floor((s.spent * 100) / s.limit),
        alertLevel: budgetLevels.length ? Math.max(...budgetLevels) : null,
        categoriesOver: s.categories.filter((c: { remaining: number | null }) => c.remaining !== null && c.remaining < 0).length,
        targetsBehind: s.categories.filter((c: { target?: { status: string } }) => c.target?.status === 'behind').length,
        pace: s.pace,
      });
    }
    // The other user still sees the budget the owner left.
    expect((await overview(other)).json.items.map((i: { budgetId: string; role: string }) => [i.budgetId, i.role])).toEqual([[left.id, 'owner']]);
  });

  it('pages in the order of GET /v1/budgets: limit=1 across two pages', async () => {
    const first = await overview(owner, '?limit=1');
    expect(first.status, first.text).toBe(200);
    expect(first.json.items.map((i: { name: string }) => i.name)).toEqual(['Household']);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await overview(owner, `?limit=1&cursor=${first.json.nextCursor}`);
    expect(second.json.items.map((i: { name: string }) => i.name)).toEqual(['Trip']);
    expect(second.json.nextCursor).toBeNull();
    const list = await as(t.app, owner)('GET', '/v1/budgets');
    expect(list.json.items.map((b: { id: string }) => b.id)).toEqual([household.id, trip.id]);
    // Someone else's cursor, and a limit past 25, are 400s naming the field.
    expectProblem(await overview(other, `?limit=1&cursor=${first.json.nextCursor}`), 400, ['query.cursor']);
    expectProblem(await overview(owner, '?limit=26'), 400, ['query.limit']);
  });

  it('counts unread notifications: 0, then the alerts delivered, one fewer after one is read; a weak ETag answers 304 until then', async () => {
    const before = await overview(owner);
    expect(before.json.unreadNotifications).toEqual({ count: 0, more: false });
    const etag = before.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await overview(owner, '', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('private, max-age=15');

    // The trip's expense crosses 80 (the budgets subscriber announces it); the notification follows.
    const recorded = (await outboxEvents(t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === trip.id && e.envelope.data.occurredOn === '2026-11-23');
    await deliver(t, ...recorded);
    const crossings = (await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === trip.id);
    expect(crossings).toHaveLength(1);
    await deliver(t, ...crossings);
    const after = await overview(owner, '', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.json.unreadNotifications).toEqual({ count: 1, more: false });
    expect(after.headers.get('etag')).not.toBe(etag);

    const [notification] = (await as(t.app, owner)('GET', '/v1/notifications')).json.items;
    expect((await as(t.app, owner)('POST', `/v1/notifications/${notification.id}/read`)).status).toBe(200);
    expect((await overview(owner)).json.unreadNotifications).toEqual({ count: 0, more: false });

    // The household's alerts (the budget's 50, its categories' own): several unread, then "read all".
    await deliver(t, ...(await outboxEvents(t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === household.id));
    await deliver(t, ...(await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === household.id));
    const listed = (await as(t.app, owner)('GET', '/v1/notifications?limit=100')).json.items as { readAt: string | null }[];
    const unread = listed.filter((n) => n.readAt === null).length;
    expect(unread).toBeGreaterThan(1);
    expect((await overview(owner)).json.unreadNotifications).toEqual({ count: unread, more: false });
    expect((await as(t.app, owner)('POST', '/v1/notifications/read-all')).status).toBe(200);
    expect((await overview(owner)).json.unreadNotifications).toEqual({ count: 0, more: false });
  });

  it('counts the newest 100 notifications even when they are as large as their inputs allow (DynamoDB cuts a Query page at 1 MB)', async () => {
    const reader = await signup(t.app, 'large-notifications');
    const budget = await createBudget(t.app, reader, { name: '語'.repeat(100), categories: [] });
    // A merchant rename's notification keeps its 20 names of 200 characters (3 bytes each in UTF-8): ~14 KB, ~73 a page.
    const name = (seed: number) => `${seed}`.padEnd(200, '語');
    const finished = await Promise.all(
      Array.from({ length: 100 }, async (_, n) => {
        const data = { budgetId: budget.id, renameId: `rename-${n}`, startedBy: reader.id, from: Array.from({ length: 20 }, (_, i) => name(n * 20 + i)), to: name(n), status: 'succeeded' as const, examined: 1, renamed: 1 };
        const envelope = await createEvent(expenseMerchantRenameFinished, data, clock);
        return { pk: `expenses#outbox#${envelope.id}`, source: expenseMerchantRenameFinished.source, detailType: expenseMerchantRenameFinished.type, envelope };
      }),
    );
    await deliver(t, ...finished);
    // The list pages them (a page cut at 1 MB is shorter, with a cursor): 100 unread in all.
    const listed: { readAt: string | null }[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = await as(t.app, reader)('GET', `/v1/notifications?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      listed.push(...page.json.items);
      cursor = page.json.nextCursor;
    }
    expect(listed.filter((n) => n.readAt === null)).toHaveLength(100);
    expect((await overview(reader)).json.unreadNotifications).toEqual({ count: 99, more: true });
  });

  it('skips a budget gone between the member index and the budget read (the race with a deletion), without an error', async () => {
    const vanishing = await createBudget(t.app, other, { name: 'Vanishing', categories: [] });
    // Its budget item removed behind the module's back, the membership (and so the index entry)
    // left: what the overview sees when the deletion commits between its two reads.
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: `budgets#budget#${vanishing.id}`, sk: 'budgets#budget' } }));
    const res = await overview(other);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.map((i: { name: string }) => i.name)).toEqual(['Left']);
    expectProblem(await as(t.app, other)('GET', `/v1/budgets/${vanishing.id}/summary`), 404);
  });

  it("leaves out a budget whose figures cannot be given exactly (the summary's 400), never failing the whole home screen", async () => {
    const member = await signup(t.app, 'member');
    const fine = await createBudget(t.app, member, { name: 'Fine', categories: [] });
    const huge = await createBudget(t.app, member, { name: 'Huge', categories: [] });
    // November's 4 totals shards of Huge hold about 2^51 each, as if about 2,250 expenses of 10^12
    // had been recorded into each by some member (written directly, in the real key shape): each
    // within the running totals' limit, 2^53 + 1 together, which GET .../summary refuses.
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      const amount = 2 ** 51 + (shard === 0 ? 1 : 0);
      const Item = { pk: keys.totalsPk(huge.id), sk: keys.monthSk('2026-11', shard), total: amount, uncategorized: amount, d05_total: amount, d05_uncategorized: amount };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    expectProblem(await as(t.app, member)('GET', `/v1/budgets/${huge.id}/summary`), 400, ['query.date']);
    const res = await overview(member);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.map((i: { budgetId: string }) => i.budgetId)).toEqual([fine.id]);
  });

  it('takes a read personal access token; needs a token at all', async () => {
    const made = await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: 'Widget', scope: 'read' } });
    expect(made.status, made.text).toBe(201);
    const res = await call(t.app, 'GET', '/v1/me/overview', { token: made.json.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toHaveLength(2);
    expectProblem(await call(t.app, 'GET', '/v1/me/overview'), 401);
  });
});

describe('what a call costs', () => {
  it('4 + 3 x budgets requests and about 3 read units a budget: 1, 10 and 25 budgets', async () => {
    const many = await signup(t.app, 'many');
    let made = 0;
    for (const n of [1, 10, 25]) {
      // Budgets with an expense each, made in parallel (their order does not matter here).
      await Promise.all(
        Array.from({ length: n - made }, async (_, k) => {
          const budget = await createBudget(t.app, many, { name: `B${made + k}`, categories: [{ name: 'Groceries', limit: 10_000 }, { name: 'Transport' }] });
          await addExpense(t.app, many, budget.id, { amount: 1_000 + k, occurredOn: '2026-11-02', categoryId: budget.categories[0]!.id });
        }),
      );
      made = n;
      const { result, commands, readUnits, maxReadsInFlight } = await readCostDuring(t.doc, () => overview(many, `?limit=${n}`));
      expect(result.status, result.text).toBe(200);
      expect(result.json.items).toHaveLength(n);
      // The member index, the budgets with the memberships (and the account check), the unread
      // count (its Query and the read-all mark's read); then the summary's two Queries per budget
      // and its review count's one.
      expect(commands.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(2);
      expect(commands.filter((c) => c === 'QueryCommand')).toHaveLength(2 + 3 * n);
      expect(commands).toHaveLength(4 + 3 * n);
      // docs/capacity.md "Home overview": about 3 RCU a budget (its budget and membership items,
      // its month's totals) and 1.5 to 2.5 a call. Measured 2026-12-02: 4.5, 31.5 and 77.5 (the same
      // with the review counts: their partitions are empty here, and DynamoDB Local bills an
      // empty Query 0; AWS bills it 0.5, see capacity.md).
      expect(readUnits).toBeGreaterThanOrEqual(3 * n);
      expect(readUnits).toBeLessThanOrEqual(3 * n + 3);
      // 8 budgets at a time, three Queries each: 24 in flight at most (26 while the unread count's two reads are still out).
      expect(maxReadsInFlight).toBeLessThanOrEqual(26);
      if (n === 25) expect(maxReadsInFlight).toBeGreaterThan(2);
    }
  });
});
