import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { tableItems } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * An Idempotency-Key's promise (root README "HTTP conventions"): a retry of the same request with the
 * same key answers what the first answered, for the key's 24 h, whatever happened to the created
 * resource since. A keyed create retried after its resource was deleted replays the first 201
 * (same body, same Location) and writes nothing: the expense's (its record rides on the expense's
 * tombstone, key-record-on-expense.test.ts) is the reference the income create must match.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
let h: Harness;
let owner: User;
let budget: Budget;
let crash: ReturnType<typeof crashAfterCommit>;

beforeAll(async () => {
  h = await createHarness({ clock });
  // The process dying after the create's transaction committed, before it answered.
  crash = crashAfterCommit(h.t.doc);
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { currency: 'USD' });
});
afterAll(() => h.destroy());

const base = (resource: string) => `/v1/budgets/${budget.id}/${resource}`;
const post = (resource: string, label: string, body: unknown) =>
  h.call('POST', base(resource), { token: owner.token, body, headers: { 'idempotency-key': keyOf(label) } });
/** Every item of the budget's partitions (entries, copies, tombstones, totals, change log). */
const budgetItems = async () => (await tableItems(h.t.doc, h.t.tableName)).filter((i) => String(i.pk).includes(budget.id));

describe.each([
  { resource: 'expenses', body: { amount: 3_000, occurredOn: '2026-11-04', description: 'deleted then retried' } },
  { resource: 'income', body: { amount: 3_000, receivedOn: '2026-11-04', description: 'deleted then retried' } },
])('a keyed POST $resource retried after its entry was deleted', ({ resource, body }) => {
  it('replays the first 201 (body, Location, ETag) and writes nothing', async () => {
    const label = `${resource}-then-deleted`;
    const first = await post(resource, label, body);
    expect(first.status, first.text).toBe(201);
    const id = String(first.json.id);
    expect(first.headers.get('location')).toBe(`${base(resource)}/${id}`);
    const deleted = await h.call('DELETE', `${base(resource)}/${id}`, { token: owner.token });
    expect(deleted.status, deleted.text).toBe(204);
    const itemsAfterDelete = await budgetItems();

    const retry = await post(resource, label, body);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    // Nothing written: no entry again, no total moved, no event, no change stamp.
    expect(await budgetItems()).toEqual(itemsAfterDelete);
    expectProblem(await h.call('GET', `${base(resource)}/${id}`, { token: owner.token }), 404);
    // The same key with another body is still a 422.
    expectProblem(await post(resource, label, { ...body, amount: 3_001 }), 422);
  });
});

describe.each([
  { resource: 'expenses', body: { amount: 4_000, occurredOn: '2026-11-05', description: 'crashed, deleted, retried' } },
  { resource: 'income', body: { amount: 4_000, receivedOn: '2026-11-05', description: 'crashed, deleted, retried' } },
])('a keyed POST $resource whose answer was lost (crash after the commit), retried after the entry was deleted', ({ resource, body }) => {
  it('answers the 201 the first attempt would have (body, Location, ETag) and writes nothing', async () => {
    const label = `${resource}-crashed-then-deleted`;
    const lost = await crash.during(() => post(resource, label, body));
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const listed = await h.call('GET', `${base(resource)}?limit=100`, { token: owner.token });
    const committed = listed.json.items.filter((e: { description?: string }) => e.description === body.description);
    expect(committed).toHaveLength(1);
    const id = String(committed[0].id);
    const original = await h.call('GET', `${base(resource)}/${id}`, { token: owner.token });
    expect(original.json.version).toBe(1);
    expect((await h.call('DELETE', `${base(resource)}/${id}`, { token: owner.token })).status).toBe(204);
    const itemsAfterDelete = await budgetItems();

    // Past the lease of a key whose record was never completed (idempotency.ts): the retry runs.
    clock.advance(61_000);
    const retry = await post(resource, label, body);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(original.json);
    expect(retry.headers.get('location')).toBe(`${base(resource)}/${id}`);
    expect(retry.headers.get('etag')).toBe(original.headers.get('etag'));
    expect(await budgetItems()).toEqual(itemsAfterDelete);
    expectProblem(await h.call('GET', `${base(resource)}/${id}`, { token: owner.token }), 404);
  });
});
