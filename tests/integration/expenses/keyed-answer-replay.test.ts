import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * A keyed write completing its Idempotency-Key inside its own transaction (platform
 * keyCompletion) stores an answer it BUILDS (jsonAnswer) rather than the one the handler sent:
 * its replay must still be exactly that first answer (status, body bytes, Content-Type, ETag,
 * Location), as the middleware's own completion (a copy of the answer sent) made it.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
let h: Harness;
let owner: User;
let budget: Budget;

beforeAll(async () => {
  h = await createHarness({ clock });
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { currency: 'USD' });
});
afterAll(() => h.destroy());

const base = (resource: string) => `/v1/budgets/${budget.id}/${resource}`;
const call = (method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => h.call(method, url, { token: owner.token, ...options });

/** Sends the keyed request twice: the second is a replay, equal to the first in all it says. */
async function expectReplayed(url: string, label: string, body: unknown, status: number) {
  const key = keyOf(label);
  const first = await call('POST', url, { body, headers: { 'idempotency-key': key } });
  expect(first.status, first.text).toBe(status);
  const replay = await call('POST', url, { body, headers: { 'idempotency-key': key } });
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.status).toBe(first.status);
  expect(replay.text).toBe(first.text);
  for (const name of ['content-type', 'etag', 'location']) expect(replay.headers.get(name), name).toBe(first.headers.get(name));
  return first;
}

describe.each(['recurring-income', 'recurring-expenses'])('a keyed %s write replayed', (kind) => {
  const schedule = { frequency: 'monthly', startsOn: '2026-11-24' };
  it('create, skip and record-next: exactly the first answer', async () => {
    const created = await expectReplayed(base(kind), `${kind}-create`, { amount: 4_200, description: `replayed ${kind}`, schedule }, 201);
    const url = `${base(kind)}/${created.json.id}`;
    await expectReplayed(`${url}/skip`, `${kind}-skip`, {}, 200);
    await expectReplayed(`${url}/record-next`, `${kind}-record-next`, {}, 200);
  });
});

describe.each([
  { resource: 'income', body: { amount: 7_700, receivedOn: '2026-11-20', description: 'replayed restore' } },
  { resource: 'expenses', body: { amount: 7_700, occurredOn: '2026-11-20', description: 'replayed restore' } },
])('a keyed $resource restore replayed', ({ resource, body }) => {
  it('exactly the first answer', async () => {
    const created = await call('POST', base(resource), { body });
    expect(created.status, created.text).toBe(201);
    const url = `${base(resource)}/${created.json.id}`;
    expect((await call('DELETE', url)).status).toBe(204);
    await expectReplayed(`${url}/restore`, `${resource}-restore`, undefined, 200);
  });
});

describe('a keyed comment, rule and import-profile create replayed (completed in their own transaction since stop 53)', () => {
  it('exactly the first answer (a comment: no ETag)', async () => {
    const expense = await call('POST', base('expenses'), { body: { amount: 1_400, occurredOn: '2026-11-20', description: 'replayed comment' } });
    expect(expense.status, expense.text).toBe(201);
    const comment = await expectReplayed(`${base('expenses')}/${expense.json.id}/comments`, 'comment-create', { text: 'replayed comment' }, 201);
    expect(comment.headers.get('etag')).toBeNull();
    const rule = await expectReplayed(base('rules'), 'rule-create', { merchant: { contains: 'replayed' }, renameTo: 'Replayed' }, 201);
    expect(rule.headers.get('etag')).toBe('"1"');
    const profile = await expectReplayed(base('import-profiles'), 'profile-create', { name: 'Replayed bank', mapping: { dateColumn: 'Datum', amountColumn: 'Betrag' } }, 201);
    expect(profile.headers.get('location')).toBe(`${base('import-profiles')}/${profile.json.id}`);
  });
});
