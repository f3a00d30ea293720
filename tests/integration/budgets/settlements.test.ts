import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliver, itemsUnder, outboxEvents, theEvent } from '../../support/events';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, clockSuite, createBudget, expectProblem, type Account } from './helpers';

/**
 * Recorded settle-up payments (POST|GET /v1/budgets/{id}/settlements, GET|PATCH|DELETE .../{settlementId})
 * and what they do to GET .../balances, on DynamoDB Local with a fixed clock (today is
 * 2026-11-10 in the budgets' UTC, the current period November 2026).
 */
const suite = clockSuite('2026-11-10T12:00:00Z', ['sam', 'kim', 'vic', 'stranger']);
let t: TestSystem;
let owner: Account;
let sam: Account;
let kim: Account;
let vic: Account;
let stranger: Account;
beforeAll(() => ({ t, owner, sam, kim, vic, stranger } = suite.accounts));

const path = (budgetId: string) => `/v1/budgets/${budgetId}/settlements`;
const record = (budgetId: string, body: unknown, who: Account = owner, headers: Record<string, string> = {}) =>
  as(t.app, who)('POST', path(budgetId), { body, headers });

async function recorded(budgetId: string, body: Record<string, unknown>, who: Account = owner) {
  const res = await record(budgetId, body, who);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function balances(budgetId: string, query = '') {
  const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/balances${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

/** The budget's settlements partition, read with one Query (pointers, payments and count). */
async function partition(budgetId: string) {
  const out = await t.doc.send(new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `budgets#settlements#${budgetId}` }, ConsistentRead: true }));
  return (out.Items ?? []) as Record<string, unknown>[];
}

/** The items of one payment (by its ULID), in sort-key order, what the tests compare of them. */
async function stored(budgetId: string, ulid: string) {
  return (await partition(budgetId))
    .filter((i) => String(i.sk).endsWith(`#${ulid}`))
    .map((i) => (i.kind === 'settlement-pointer' ? { sk: i.sk, kind: i.kind, id: i.id, movedTo: i.movedTo } : { sk: i.sk, kind: i.kind, id: i.id, paidOn: i.paidOn, version: i.version }));
}

type Row = { userId: string; paid: number; sent: number; received: number; owes: number; net: number };
const row = (b: { members: Row[] }, who: Account) => b.members.find((m) => m.userId === who.id)!;

/** A household of four with equal shares: the owner, sam and kim (editors), vic (a viewer). */
async function household() {
  const budgetId = (await createBudget(t.app, owner)).id;
  await addMember(t.app, owner, budgetId, sam, 'editor');
  await addMember(t.app, owner, budgetId, kim, 'editor');
  await addMember(t.app, owner, budgetId, vic, 'viewer');
  return budgetId;
}

describe('recording the suggested transfers settles the balances', () => {
  let budgetId: string;

  beforeAll(async () => {
    budgetId = await household();
    // November: owner 12,000, sam 3,000, kim 1,000; total 16,000, 4,000 each.
    await addExpense(t.app, owner, budgetId, { amount: 12_000, occurredOn: '2026-11-02' });
    await addExpense(t.app, sam, budgetId, { amount: 3_000, occurredOn: '2026-11-03' });
    await addExpense(t.app, kim, budgetId, { amount: 1_000, occurredOn: '2026-11-04' });
  });

  it('zeroes every net and leaves no suggestion, total and owes unchanged', async () => {
    const before = await balances(budgetId);
    expect(before.total).toBe(16_000);
    expect(before.settlements).toEqual([
      { from: vic.id, to: owner.id, amount: 4_000 },
      { from: kim.id, to: owner.id, amount: 3_000 },
      { from: sam.id, to: owner.id, amount: 1_000 },
    ]);

    // The owner records each transfer (a viewer cannot record, but can be the payer).
    for (const s of before.settlements as { from: string; to: string; amount: number }[]) {
      await recorded(budgetId, { fromUserId: s.from, toUserId: s.to, amount: s.amount, note: '  bank transfer  ' });
    }

    const after = await balances(budgetId);
    expect(after.total).toBe(16_000);
    expect(after.settlements).toEqual([]);
    expect(after.members.map((m: Row) => m.net)).toEqual([0, 0, 0, 0]);
    expect(after.members.map((m: Row) => m.owes)).toEqual(before.members.map((m: Row) => m.owes));
    expect(row(after, owner)).toMatchObject({ paid: 12_000, sent: 0, received: 8_000, owes: 4_000, net: 0 });
    expect(row(after, vic)).toMatchObject({ paid: 0, sent: 4_000, received: 0, owes: 4_000, net: 0 });
    expect(row(after, sam)).toMatchObject({ paid: 3_000, sent: 1_000, received: 0, net: 0 });
  });

  it('ignores payments paid outside the range, and counts them in theirs', async () => {
    await recorded(budgetId, { fromUserId: owner.id, toUserId: sam.id, amount: 500, paidOn: '2026-10-31' });
    await recorded(budgetId, { fromUserId: owner.id, toUserId: sam.id, amount: 700, paidOn: '2026-12-01' });
    const november = await balances(budgetId);
    expect(november.settlements).toEqual([]);
    const october = await balances(budgetId, '?from=2026-10-01&to=2026-10-31');
    expect(october.total).toBe(0);
    expect(row(october, owner)).toMatchObject({ sent: 500, net: 500 });
    expect(row(october, sam)).toMatchObject({ received: 500, net: -500 });
    expect(october.settlements).toEqual([{ from: sam.id, to: owner.id, amount: 500 }]);
  });
});

describe('a payment', () => {
  let budgetId: string;

  beforeAll(async () => {
    budgetId = await household();
  });

  it('answers 201 with Location and ETag, defaults paidOn to today in the budget time zone, and publishes its event', async () => {
    const res = await record(budgetId, { fromUserId: sam.id, toUserId: owner.id, amount: 4_200, note: '  cash ' }, sam);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ fromUserId: sam.id, toUserId: owner.id, amount: 4_200, currency: 'USD', paidOn: '2026-11-10', note: 'cash', recordedBy: sam.id });
    expect(res.json.id).toMatch(/^20261110-[0-9A-Z]{26}$/);
    expect(res.headers.get('location')).toBe(`${path(budgetId)}/${res.json.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    const got = await as(t.app, vic)('GET', `${path(budgetId)}/${res.json.id}`);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual(res.json);
    expect((await as(t.app, vic)('GET', `${path(budgetId)}/${res.json.id}`, { headers: { 'if-none-match': '"1"' } })).status).toBe(304);
    const event = await theEvent(t, 'budget.settlement_recorded', { settlementId: res.json.id });
    expect(event.envelope.data).toMatchObject({ budgetId, fromUserId: sam.id, toUserId: owner.id, amount: 4_200, currency: 'USD', paidOn: '2026-11-10', recordedBy: sam.id });
  });

  it('is refused with a problem naming the field: same person, non-member, bad amount, bad date, unknown field', async () => {
    const ok = { fromUserId: sam.id, toUserId: owner.id, amount: 100 };
    expectProblem(await record(budgetId, { ...ok, toUserId: sam.id }), 400, ['toUserId']);
    expectProblem(await record(budgetId, { ...ok, fromUserId: stranger.id }), 422, ['fromUserId']);
    expectProblem(await record(budgetId, { ...ok, toUserId: stranger.id }), 422, ['toUserId']);
    expectProblem(await record(budgetId, { ...ok, toUserId: 'nobody' }), 422, ['toUserId']);
    // Neither a member: both named in one answer, as every bad field is.
    expectProblem(await record(budgetId, { ...ok, fromUserId: stranger.id, toUserId: 'nobody' }), 422, ['fromUserId', 'toUserId']);
    for (const amount of [0, -5, 1.5, '100', null]) expectProblem(await record(budgetId, { ...ok, amount }), 400, ['amount']);
    expectProblem(await record(budgetId, { ...ok, amount: 1_000_000_000_001 }), 400, ['amount']);
    expectProblem(await record(budgetId, { ...ok, paidOn: '2026-02-30' }), 400, ['paidOn']);
    expectProblem(await record(budgetId, { ...ok, paidOn: '11/10/2026' }), 400, ['paidOn']);
    expectProblem(await record(budgetId, { ...ok, note: 'x'.repeat(201) }), 400, ['note']);
    expectProblem(await record(budgetId, { ...ok, extra: 1 }), 400, ['extra']);
    expectProblem(await record(budgetId, { amount: 100 }), 400, ['fromUserId', 'toUserId']);
    // Nothing of those was stored.
    const list = await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-10&to=2026-11-10`);
    expect(list.json.items.filter((s: { amount: number }) => s.amount === 100)).toEqual([]);
  });

  it('is recorded by the owner and editors; viewers get 403, strangers 404', async () => {
    const body = { fromUserId: kim.id, toUserId: owner.id, amount: 1 };
    expectProblem(await record(budgetId, body, vic), 403);
    expectProblem(await record(budgetId, body, stranger), 404);
    expectProblem(await as(t.app, stranger)('GET', path(budgetId)), 404);
    const mine = await recorded(budgetId, body, kim);
    expectProblem(await as(t.app, stranger)('GET', `${path(budgetId)}/${mine.id}`), 404);
    expect((await as(t.app, vic)('GET', path(budgetId))).status).toBe(200);

    // Delete: the owner, or the editor who recorded it; not another editor, not a viewer.
    expectProblem(await as(t.app, sam)('DELETE', `${path(budgetId)}/${mine.id}`), 403);
    expectProblem(await as(t.app, vic)('DELETE', `${path(budgetId)}/${mine.id}`), 403);
    expectProblem(await as(t.app, stranger)('DELETE', `${path(budgetId)}/${mine.id}`), 404);
    expect((await as(t.app, kim)('DELETE', `${path(budgetId)}/${mine.id}`)).status).toBe(204);
    const other = await recorded(budgetId, body, kim);
    expect((await as(t.app, owner)('DELETE', `${path(budgetId)}/${other.id}`)).status).toBe(204);
    expectProblem(await as(t.app, owner)('GET', `${path(budgetId)}/${other.id}`), 404);
    expectProblem(await as(t.app, owner)('DELETE', `${path(budgetId)}/${other.id}`), 404);
    expectProblem(await as(t.app, owner)('GET', `${path(budgetId)}/not-an-id`), 404);
  });

  it('past 10,000 payments is a 409 limit-reached (limit, collection settlements), nothing written', async () => {
    const full = await household();
    // As if 10,000 had been recorded: the count item the record's transaction conditions on.
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: `budgets#settlements#${full}`, sk: 'budgets#settlement-count', kind: 'settlement-count', count: 10_000 } }));
    const refused = await record(full, { fromUserId: sam.id, toUserId: owner.id, amount: 100 }, sam);
    expectProblem(refused, 409);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: 10_000, collection: 'settlements' });
    expect(refused.json.detail).toContain('at most 10000 settle-up payments');
    expect((await partition(full)).filter((i) => i.kind !== 'settlement-count')).toEqual([]);
  });

  it('replays a retry with the same Idempotency-Key: one payment', async () => {
    const body = { fromUserId: owner.id, toUserId: kim.id, amount: 333, paidOn: '2026-11-09' };
    const first = await record(budgetId, body, owner, { 'idempotency-key': 'settle-1' });
    const again = await record(budgetId, body, owner, { 'idempotency-key': 'settle-1' });
    expect(first.status, first.text).toBe(201);
    expect(again.status, again.text).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const list = await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-09&to=2026-11-09`);
    expect(list.json.items.map((s: { id: string }) => s.id)).toEqual([first.json.id]);
  });

  it('deleted, no longer counts: the balance is back where it was', async () => {
    await addExpense(t.app, owner, budgetId, { amount: 400, occurredOn: '2026-11-05' });
    const range = '?from=2026-11-05&to=2026-11-05';
    const before = await balances(budgetId, range);
    expect(row(before, owner).net).toBe(300);
    const paid = await recorded(budgetId, { fromUserId: sam.id, toUserId: owner.id, amount: 100, paidOn: '2026-11-05' }, sam);
    expect(row(await balances(budgetId, range), owner)).toMatchObject({ received: 100, net: 200 });
    expectProblem(await as(t.app, owner)('DELETE', `${path(budgetId)}/${paid.id}`, { headers: { 'if-match': '"2"' } }), 412);
    expect((await as(t.app, owner)('DELETE', `${path(budgetId)}/${paid.id}`, { headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect(await balances(budgetId, range)).toEqual(before);
    expect((await outboxEvents(t, 'budget.settlement_deleted')).some((e) => e.envelope.data.settlementId === paid.id && e.envelope.data.deletedBy === owner.id)).toBe(true);
  });
});

describe('correcting a payment (PATCH)', () => {
  let budgetId: string;
  const patch = (id: string, body: unknown, who: Account = owner, headers: Record<string, string> = {}) =>
    as(t.app, who)('PATCH', `${path(budgetId)}/${id}`, { body, headers });

  beforeAll(async () => {
    budgetId = await household();
    // 2026-11-07: the owner paid 800 for all four; 200 each.
    await addExpense(t.app, owner, budgetId, { amount: 800, occurredOn: '2026-11-07' });
  });

  it('changes the amount in one versioned write: balances follow, its event has before/after, a stale If-Match is a 412', async () => {
    const range = '?from=2026-11-07&to=2026-11-07';
    const paid = await recorded(budgetId, { fromUserId: sam.id, toUserId: owner.id, amount: 20, paidOn: '2026-11-07', note: 'typo' }, sam);
    expect(row(await balances(budgetId, range), sam)).toMatchObject({ sent: 20, net: -180 });

    const res = await patch(paid.id, { amount: 200, note: null }, sam, { 'if-match': '"1"' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.json).toMatchObject({ id: paid.id, amount: 200, paidOn: '2026-11-07', version: 2, updatedAt: '2026-11-10T12:00:00.000Z', recordedBy: sam.id });
    expect(res.json.note).toBeUndefined();
    expect(row(await balances(budgetId, range), sam)).toMatchObject({ sent: 200, net: 0 });
    expect((await as(t.app, vic)('GET', `${path(budgetId)}/${paid.id}`)).json).toEqual(res.json);

    const event = await theEvent(t, 'budget.settlement_updated', { settlementId: paid.id });
    expect(event.envelope.data).toEqual({
      budgetId, settlementId: paid.id, fromUserId: sam.id, toUserId: owner.id, amount: 200, currency: 'USD', paidOn: '2026-11-07',
      version: 2, updatedBy: sam.id, changes: { amount: { before: 20, after: 200 }, note: { before: 'typo', after: null } },
    });

    // The version read is no longer current: nothing changes, for a PATCH or a DELETE.
    expectProblem(await patch(paid.id, { amount: 1 }, owner, { 'if-match': '"1"' }), 412);
    expectProblem(await as(t.app, owner)('DELETE', `${path(budgetId)}/${paid.id}`, { headers: { 'if-match': '"1"' } }), 412);
    expect(row(await balances(budgetId, range), sam)).toMatchObject({ sent: 200 });
    // The same values again: 200, no new version, no second event.
    const same = await patch(paid.id, { amount: 200 }, owner, { 'if-match': '"2"' });
    expect(same.status, same.text).toBe(200);
    expect(same.json.version).toBe(2);
    expect((await outboxEvents(t, 'budget.settlement_updated')).filter((e) => e.envelope.data.settlementId === paid.id)).toHaveLength(1);
  });

  it('moves a payment to its new day under the SAME id: GET by it works, Location unchanged, the balances and the list count it once, at its new day', async () => {
    const paid = await recorded(budgetId, { fromUserId: kim.id, toUserId: owner.id, amount: 150, paidOn: '2026-11-07' }, kim);
    const ulid = paid.id.split('-')[1];
    const url = `${path(budgetId)}/${paid.id}`;
    const res = await patch(paid.id, { paidOn: '2026-11-08' }, kim);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: paid.id, paidOn: '2026-11-08', amount: 150, version: 2 });
    expect(res.headers.get('location')).toBe(url);
    expect(res.headers.get('etag')).toBe('"2"');
    const got = await as(t.app, vic)('GET', url);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual(res.json);
    expect(got.headers.get('etag')).toBe('"2"');
    expect((await as(t.app, vic)('GET', url, { headers: { 'if-none-match': '"2"' } })).status).toBe(304);
    // The id's day-prefix is not an alias: the new day's name for the ULID names nothing.
    expectProblem(await as(t.app, owner)('GET', `${path(budgetId)}/20261108-${ulid}`), 404);
    expect(row(await balances(budgetId, '?from=2026-11-07&to=2026-11-07'), kim)).toMatchObject({ sent: 0 });
    expect(row(await balances(budgetId, '?from=2026-11-08&to=2026-11-08'), kim)).toMatchObject({ sent: 150, net: 150 });
    expect(row(await balances(budgetId, '?from=2026-11-01&to=2026-11-30'), kim)).toMatchObject({ sent: 150 });
    const listed = (await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-01&to=2026-11-30`)).json.items.filter((s: { id: string }) => s.id === paid.id);
    expect(listed).toEqual([res.json]);
    expect((await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-07&to=2026-11-07`)).json.items.map((s: { id: string }) => s.id)).not.toContain(paid.id);
    const event = await theEvent(t, 'budget.settlement_updated', { settlementId: paid.id });
    expect(event.envelope.data).toMatchObject({ settlementId: paid.id, paidOn: '2026-11-08', changes: { paidOn: { before: '2026-11-07', after: '2026-11-08' } } });
    expect(event.envelope.data).not.toHaveProperty('previousSettlementId');
    // Stored: the payment under its new day (its id attribute kept), a pointer at the id's key.
    expect(await stored(budgetId, ulid)).toEqual([
      { sk: `budgets#settlement#2026-11-07#${ulid}`, kind: 'settlement-pointer', id: paid.id, movedTo: '2026-11-08' },
      { sk: `budgets#settlement#2026-11-08#${ulid}`, kind: 'settlement', id: paid.id, paidOn: '2026-11-08', version: 2 },
    ]);
  });

  it('moved twice keeps ONE pointer (no chain), and moved back home has none', async () => {
    const paid = await recorded(budgetId, { fromUserId: sam.id, toUserId: kim.id, amount: 55, paidOn: '2026-11-03' }, sam);
    const ulid = paid.id.split('-')[1];
    const url = `${path(budgetId)}/${paid.id}`;
    expect((await patch(paid.id, { paidOn: '2026-11-04' }, sam)).status).toBe(200);
    const second = await patch(paid.id, { paidOn: '2026-11-05', amount: 56 }, sam, { 'if-match': '"2"' });
    expect(second.status, second.text).toBe(200);
    expect(second.json).toMatchObject({ id: paid.id, paidOn: '2026-11-05', amount: 56, version: 3 });
    expect(second.headers.get('location')).toBe(url);
    expect(await stored(budgetId, ulid)).toEqual([
      { sk: `budgets#settlement#2026-11-03#${ulid}`, kind: 'settlement-pointer', id: paid.id, movedTo: '2026-11-05' },
      { sk: `budgets#settlement#2026-11-05#${ulid}`, kind: 'settlement', id: paid.id, paidOn: '2026-11-05', version: 3 },
    ]);
    expect((await as(t.app, owner)('GET', url)).json).toEqual(second.json);
    for (const day of ['03', '04']) expect(row(await balances(budgetId, `?from=2026-11-${day}&to=2026-11-${day}`), sam)).toMatchObject({ sent: 0 });
    expect(row(await balances(budgetId, '?from=2026-11-03&to=2026-11-05'), sam)).toMatchObject({ sent: 56 });
    const listed = (await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-03&to=2026-11-05`)).json.items.map((s: { id: string; paidOn: string }) => [s.id, s.paidOn]);
    expect(listed).toEqual([[paid.id, '2026-11-05']]);

    const home = await patch(paid.id, { paidOn: '2026-11-03' }, owner, { 'if-match': '"3"' });
    expect(home.status, home.text).toBe(200);
    expect(home.json).toMatchObject({ id: paid.id, paidOn: '2026-11-03', amount: 56, version: 4 });
    expect(await stored(budgetId, ulid)).toEqual([
      { sk: `budgets#settlement#2026-11-03#${ulid}`, kind: 'settlement', id: paid.id, paidOn: '2026-11-03', version: 4 },
    ]);
    expect((await as(t.app, owner)('GET', url)).json).toEqual(home.json);
    expect(row(await balances(budgetId, '?from=2026-11-03&to=2026-11-03'), sam)).toMatchObject({ sent: 56 });
    expect(row(await balances(budgetId, '?from=2026-11-04&to=2026-11-05'), sam)).toMatchObject({ sent: 0 });
    // And it can leave home again (a fresh pointer).
    expect((await patch(paid.id, { paidOn: '2026-11-06' }, owner)).json).toMatchObject({ id: paid.id, paidOn: '2026-11-06', version: 5 });
    expect((await stored(budgetId, ulid)).map((i) => [i.sk, i.kind])).toEqual([
      [`budgets#settlement#2026-11-03#${ulid}`, 'settlement-pointer'],
      [`budgets#settlement#2026-11-06#${ulid}`, 'settlement'],
    ]);
  });

  it('guards a moved payment with its version: a stale If-Match is a 412 for PATCH and DELETE, nothing changes', async () => {
    const paid = await recorded(budgetId, { fromUserId: kim.id, toUserId: sam.id, amount: 30, paidOn: '2026-11-02' }, kim);
    const ulid = paid.id.split('-')[1];
    expect((await patch(paid.id, { paidOn: '2026-11-01' }, kim, { 'if-match': '"1"' })).status).toBe(200);
    expectProblem(await patch(paid.id, { paidOn: '2026-11-09' }, kim, { 'if-match': '"1"' }), 412);
    expectProblem(await patch(paid.id, { paidOn: '2026-11-02' }, kim, { 'if-match': '"1"' }), 412);
    expectProblem(await as(t.app, kim)('DELETE', `${path(budgetId)}/${paid.id}`, { headers: { 'if-match': '"1"' } }), 412);
    expect(await stored(budgetId, ulid)).toEqual([
      { sk: `budgets#settlement#2026-11-01#${ulid}`, kind: 'settlement', id: paid.id, paidOn: '2026-11-01', version: 2 },
      { sk: `budgets#settlement#2026-11-02#${ulid}`, kind: 'settlement-pointer', id: paid.id, movedTo: '2026-11-01' },
    ]);
    expect((await patch(paid.id, { amount: 31 }, kim, { 'if-match': '"2"' })).json).toMatchObject({ id: paid.id, paidOn: '2026-11-01', amount: 31, version: 3 });
  });

  it('deleted after a move leaves nothing of it: payment and pointer in one transaction, the count back', async () => {
    const count = async () => (await partition(budgetId)).find((i) => i.kind === 'settlement-count')!.count as number;
    const paid = await recorded(budgetId, { fromUserId: owner.id, toUserId: vic.id, amount: 90, paidOn: '2026-11-09' });
    const ulid = paid.id.split('-')[1];
    const counted = await count();
    expect((await patch(paid.id, { paidOn: '2026-11-01' })).status).toBe(200);
    expect((await patch(paid.id, { paidOn: '2026-11-02' })).status).toBe(200);
    expect(await stored(budgetId, ulid)).toHaveLength(2);
    expect((await as(t.app, owner)('DELETE', `${path(budgetId)}/${paid.id}`, { headers: { 'if-match': '"3"' } })).status).toBe(204);
    expect(await stored(budgetId, ulid)).toEqual([]);
    expect(await count()).toBe(counted - 1);
    expectProblem(await as(t.app, owner)('GET', `${path(budgetId)}/${paid.id}`), 404);
    expectProblem(await as(t.app, owner)('DELETE', `${path(budgetId)}/${paid.id}`), 404);
    expectProblem(await patch(paid.id, { amount: 1 }), 404);
    const event = (await outboxEvents(t, 'budget.settlement_deleted')).find((e) => e.envelope.data.settlementId === paid.id);
    expect(event?.envelope.data).toMatchObject({ paidOn: '2026-11-02', deletedBy: owner.id });

    // Without If-Match too.
    const other = await recorded(budgetId, { fromUserId: owner.id, toUserId: vic.id, amount: 91, paidOn: '2026-11-09' });
    expect((await patch(other.id, { paidOn: '2026-11-01' })).status).toBe(200);
    expect((await as(t.app, owner)('DELETE', `${path(budgetId)}/${other.id}`)).status).toBe(204);
    expect(await stored(budgetId, other.id.split('-')[1])).toEqual([]);
  });

  it('replays a move retried with the same Idempotency-Key (its If-Match stale), writing nothing more; another body is a 422', async () => {
    const paid = await recorded(budgetId, { fromUserId: sam.id, toUserId: owner.id, amount: 40, paidOn: '2026-11-07' }, sam);
    const ulid = paid.id.split('-')[1];
    const headers = { 'idempotency-key': `move-${paid.id}`, 'if-match': '"1"' };
    const first = await patch(paid.id, { paidOn: '2026-11-06' }, sam, headers);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ id: paid.id, paidOn: '2026-11-06', version: 2 });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The answer was lost; the phone retries the very same request with the old If-Match.
    // Without the key that is a 412 (the version moved on); with it, the first answer comes back.
    const retry = await patch(paid.id, { paidOn: '2026-11-06' }, sam, headers);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('location')).toBe(`${path(budgetId)}/${paid.id}`);
    expect(retry.headers.get('etag')).toBe('"2"');
    // Another body under the same key: refused, nothing changes.
    expectProblem(await patch(paid.id, { paidOn: '2026-11-05' }, sam, headers), 422);
    expectProblem(await patch(paid.id, { paidOn: '2026-11-06' }, sam, { 'if-match': '"1"' }), 412);
    // One payment, still at version 2 on its new day, its pointer, and one update event.
    expect(await stored(budgetId, ulid)).toEqual([
      { sk: `budgets#settlement#2026-11-06#${ulid}`, kind: 'settlement', id: paid.id, paidOn: '2026-11-06', version: 2 },
      { sk: `budgets#settlement#2026-11-07#${ulid}`, kind: 'settlement-pointer', id: paid.id, movedTo: '2026-11-06' },
    ]);
    const events = (await outboxEvents(t, 'budget.settlement_updated')).filter((e) => e.envelope.data.settlementId === paid.id);
    expect(events).toHaveLength(1);
  });

  it('is for the owner or the editor who recorded it; payer, payee and bad values are 400s naming the field', async () => {
    const paid = await recorded(budgetId, { fromUserId: kim.id, toUserId: sam.id, amount: 10, paidOn: '2026-11-09' }, kim);
    expectProblem(await patch(paid.id, { amount: 11 }, sam), 403);
    expectProblem(await patch(paid.id, { amount: 11 }, vic), 403);
    expectProblem(await patch(paid.id, { amount: 11 }, stranger), 404);
    expectProblem(await patch('20261109-01JDQ5A1B2C3D4E5F6G7H8J9K0', { amount: 11 }), 404);
    expectProblem(await patch(paid.id, { fromUserId: sam.id }), 400, ['fromUserId']);
    expectProblem(await patch(paid.id, { amount: 11, toUserId: owner.id }), 400, ['toUserId']);
    expectProblem(await patch(paid.id, {}), 400, ['body']);
    expectProblem(await patch(paid.id, { extra: 1 }), 400, ['extra']);
    for (const amount of [0, -5, 1.5, '100', null]) expectProblem(await patch(paid.id, { amount }), 400, ['amount']);
    expectProblem(await patch(paid.id, { paidOn: '2026-02-30' }), 400, ['paidOn']);
    expectProblem(await patch(paid.id, { note: 'x'.repeat(201) }), 400, ['note']);
    // Nothing of those was stored; the owner may correct it.
    expect((await as(t.app, owner)('GET', `${path(budgetId)}/${paid.id}`)).json).toMatchObject({ amount: 10, version: 1 });
    const byOwner = await patch(paid.id, { amount: 12, note: 'cash' });
    expect(byOwner.status, byOwner.text).toBe(200);
    expect(byOwner.json).toMatchObject({ amount: 12, note: 'cash', version: 2 });
  });

  // Its webhook delivery: tests/integration/webhooks/watchers.test.ts (its system allows local URLs).
  it('shows in the activity log as settlement.updated with before/after', async () => {
    const paid = await recorded(budgetId, { fromUserId: owner.id, toUserId: kim.id, amount: 70, paidOn: '2026-11-09' });
    const res = await patch(paid.id, { amount: 75 });
    expect(res.status, res.text).toBe(200);
    await deliver(t, await theEvent(t, 'budget.settlement_recorded', { settlementId: paid.id }), await theEvent(t, 'budget.settlement_updated', { settlementId: paid.id }));

    const log = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/activity`);
    expect(log.status, log.text).toBe(200);
    const entry = log.json.items.find((e: { action: string; subject: { id: string } }) => e.action === 'settlement.updated' && e.subject.id === paid.id);
    expect(entry).toMatchObject({ actor: { type: 'user', id: owner.id }, subject: { type: 'settlement', id: paid.id }, changes: { amount: { before: 70, after: 75 } } });
  });
});

describe('a member who left', () => {
  it('stays in the balances of a range with their payments, share 0 and no name', async () => {
    const budgetId = await household();
    await recorded(budgetId, { fromUserId: sam.id, toUserId: owner.id, amount: 100, paidOn: '2026-11-06' }, sam);
    expect((await as(t.app, sam)('DELETE', `/v1/budgets/${budgetId}/members/${sam.id}`)).status).toBe(204);
    const b = await balances(budgetId);
    expect(b.members.find((m: Row) => m.userId === sam.id)).toEqual({ userId: sam.id, share: 0, paid: 0, sent: 100, received: 0, owes: 0, net: 100 });
    expect(b.settlements).toEqual([{ from: owner.id, to: sam.id, amount: 100 }]);
    // They can no longer be paid back through the app (current members only).
    expectProblem(await record(budgetId, { fromUserId: owner.id, toUserId: sam.id, amount: 100 }), 422, ['toUserId']);
  });
});

describe('the list', () => {
  it('pages newest paidOn first, keeps [from, to], and binds its cursor to the range', async () => {
    const budgetId = await household();
    const days = ['2026-11-03', '2026-11-01', '2026-11-05', '2026-11-04', '2026-11-02'];
    for (const [i, paidOn] of days.entries()) await recorded(budgetId, { fromUserId: sam.id, toUserId: kim.id, amount: i + 1, paidOn });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await as(t.app, vic)('GET', `${path(budgetId)}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.items.map((s: { paidOn: string }) => s.paidOn));
      cursor = res.json.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['2026-11-05', '2026-11-04', '2026-11-03', '2026-11-02', '2026-11-01']);

    const ranged = await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-02&to=2026-11-04&limit=2`);
    expect(ranged.json.items.map((s: { paidOn: string }) => s.paidOn)).toEqual(['2026-11-04', '2026-11-03']);
    const rest = await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-02&to=2026-11-04&limit=2&cursor=${encodeURIComponent(ranged.json.nextCursor)}`);
    expect(rest.json).toMatchObject({ items: [{ paidOn: '2026-11-02' }], nextCursor: null });
    expectProblem(await as(t.app, owner)('GET', `${path(budgetId)}?limit=2&cursor=${encodeURIComponent(ranged.json.nextCursor)}`), 400);
    expectProblem(await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-05&to=2026-11-01`), 400, ['query.from']);
  });
});

describe('the list with moved payments', () => {
  it('skips their pointers: each payment once, at its new day, pages full and cursors following on past pointers', async () => {
    const budgetId = await household();
    const ids: string[] = [];
    for (const day of ['01', '02', '03', '04', '05']) ids.push((await recorded(budgetId, { fromUserId: sam.id, toUserId: kim.id, amount: Number(day), paidOn: `2026-11-${day}` })).id);
    // 02, 03 and 04 move to the 6th: their pointers stay at 02, 03 and 04, between 05 and 01.
    for (const id of ids.slice(1, 4)) expect((await as(t.app, owner)('PATCH', `${path(budgetId)}/${id}`, { body: { paidOn: '2026-11-06' } })).status).toBe(200);
    expect((await partition(budgetId)).filter((i) => i.kind === 'settlement-pointer')).toHaveLength(3);

    const pages: [string, number][][] = [];
    let cursor: string | null = null;
    do {
      const res = await as(t.app, vic)('GET', `${path(budgetId)}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, res.text).toBe(200);
      pages.push(res.json.items.map((s: { paidOn: string; amount: number }) => [s.paidOn, s.amount]));
      cursor = res.json.nextCursor;
    } while (cursor && pages.length < 10);
    // Newest day first, then newest recorded first; the second page reads 3 pointers past 05 to find 01.
    expect(pages).toEqual([
      [['2026-11-06', 4], ['2026-11-06', 3]],
      [['2026-11-06', 2], ['2026-11-05', 5]],
      [['2026-11-01', 1]],
    ]);
    const all = await as(t.app, owner)('GET', `${path(budgetId)}?from=2026-11-02&to=2026-11-04`);
    expect(all.json).toEqual({ items: [], nextCursor: null });
    const b = await balances(budgetId, '?from=2026-11-01&to=2026-11-06');
    expect(row(b, sam)).toMatchObject({ sent: 15 });
    expect(row(b, kim)).toMatchObject({ received: 15 });
  });
});

describe('deleting the budget', () => {
  it('removes its payments and the pointers of moved ones (budget.deleted); no payment can be recorded after', async () => {
    const budgetId = await household();
    await recorded(budgetId, { fromUserId: sam.id, toUserId: owner.id, amount: 10 });
    const moved = await recorded(budgetId, { fromUserId: kim.id, toUserId: owner.id, amount: 20 });
    expect((await as(t.app, owner)('PATCH', `${path(budgetId)}/${moved.id}`, { body: { paidOn: '2026-11-01' } })).status).toBe(200);
    // two, the moved one's pointer and their count
    expect((await partition(budgetId)).map((i) => i.kind).sort()).toEqual(['settlement', 'settlement', 'settlement-count', 'settlement-pointer']);
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budgetId}`)).status).toBe(204);
    expectProblem(await record(budgetId, { fromUserId: sam.id, toUserId: owner.id, amount: 10 }), 404);
    const deleted = (await outboxEvents(t, 'budget.deleted')).filter((e) => e.envelope.data.budgetId === budgetId);
    await deliver(t, ...deleted);
    expect(await partition(budgetId)).toEqual([]);
    expect(await itemsUnder(t, `budgets#settlements#${budgetId}`)).toEqual([]);
  });
});
