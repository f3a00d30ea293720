import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * An Idempotency-Key's promise (root README "HTTP conventions"): the retry of a keyed request answers
 * what the first attempt answered, whatever happened since. The keyed writes of the recurring
 * income and the recurring expenses (create, skip, record-next) and the income and expense restores
 * complete their key INSIDE their own transaction, as the income create does
 * (income-key-after-delete.test.ts): a process dying after the commit, before the answer, leaves
 * the answer stored. Without it the retry (once the lease ran out) ran again: a deleted
 * definition was created again, a second date skipped, the next one recorded, a restored income
 * entry or expense answered 409. The comment, rule and import-profile creates do too (since stop 53):
 * their retry created them again after a deletion, or answered them as changed since.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
let h: Harness;
let owner: User;
let budget: Budget;
let crash: ReturnType<typeof crashAfterCommit>;

beforeAll(async () => {
  h = await createHarness({ clock });
  crash = crashAfterCommit(h.t.doc);
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { currency: 'USD' });
});
afterAll(() => h.destroy());

const base = (resource: string) => `/v1/budgets/${budget.id}/${resource}`;
const call = (method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => h.call(method, url, { token: owner.token, ...options });
const keyed = (url: string, label: string, body: unknown = {}) => call('POST', url, { body, headers: { 'idempotency-key': keyOf(label) } });

/** The keyed request `send`, its process dying right after its commit: the client never gets the answer. */
async function lost(send: () => Promise<{ status: number }>) {
  const res = await crash.during(send);
  expect(res.status).toBeGreaterThanOrEqual(500);
}

/** Past the lease of a key whose record the middleware never completed (platform idempotency.ts): a retry would run again. */
const pastTheLease = () => clock.advance(61_000);

/** The two kinds of definitions, whose keyed create, skip and record-next are built alike. */
const kinds = [
  { kind: 'recurring-income', entries: 'income', filter: 'recurringIncomeId', entry: 'income', definition: 'recurringIncome' },
  { kind: 'recurring-expenses', entries: 'expenses', filter: 'recurringExpenseId', entry: 'expense', definition: 'recurringExpense' },
] as const;

describe.each(kinds)('a keyed $kind write whose answer was lost (crash after the commit)', ({ kind, entries: entriesPath, filter, entry, definition: defKey }) => {
  async function definition(description: string) {
    const res = await call('POST', base(kind), { body: { amount: 25_000, description, schedule: { frequency: 'monthly', startsOn: '2026-11-24' } } });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; nextOccurrenceOn: string };
  }

  it('create, retried after the definition was deleted: the first 201 (body, Location, ETag), not created again', async () => {
    const body = { amount: 31_000, description: `crashed create ${kind}`, schedule: { frequency: 'monthly', startsOn: '2026-11-28' } };
    await lost(() => keyed(base(kind), `${kind}-create`, body));
    const listed = await call('GET', `${base(kind)}?limit=100`);
    const committed = listed.json.items.filter((d: { description?: string }) => d.description === body.description);
    expect(committed).toHaveLength(1);
    const url = `${base(kind)}/${committed[0].id}`;
    const original = await call('GET', url);
    expect((await call('DELETE', url)).status).toBe(204);

    pastTheLease();
    const retry = await keyed(base(kind), `${kind}-create`, body);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(original.json);
    expect(retry.headers.get('location')).toBe(url);
    expect(retry.headers.get('etag')).toBe(original.headers.get('etag'));
    expectProblem(await call('GET', url), 404);
  });

  it('skip, retried: the first 200, one occurrence skipped (not the one after too)', async () => {
    const def = await definition(`crashed skip ${kind}`);
    expect(def.nextOccurrenceOn).toBe('2026-11-24');
    const url = `${base(kind)}/${def.id}`;
    await lost(() => keyed(`${url}/skip`, `${kind}-skip`));
    const skipped = await call('GET', url);
    expect(skipped.json.nextOccurrenceOn).toBe('2026-12-24');

    pastTheLease();
    const retry = await keyed(`${url}/skip`, `${kind}-skip`);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toEqual(skipped.json);
    expect(retry.headers.get('etag')).toBe(skipped.headers.get('etag'));
    expect((await call('GET', url)).json).toEqual(skipped.json);
  });

  it('record-next, retried after the entry was deleted: the first 200, the next occurrence not recorded', async () => {
    const def = await definition(`crashed record-next ${kind}`);
    const url = `${base(kind)}/${def.id}`;
    await lost(() => keyed(`${url}/record-next`, `${kind}-record-next`));
    const entries = async () => (await call('GET', `${base(entriesPath)}?limit=100&${filter}=${def.id}`)).json.items as { id: string }[];
    const recorded = await entries();
    expect(recorded).toHaveLength(1);
    const entryUrl = `${base(entriesPath)}/${recorded[0]!.id}`;
    const written = (await call('GET', entryUrl)).json;
    const advanced = await call('GET', url);
    expect(advanced.json.nextOccurrenceOn).toBe('2026-12-24');
    expect((await call('DELETE', entryUrl)).status).toBe(204);

    pastTheLease();
    const retry = await keyed(`${url}/record-next`, `${kind}-record-next`);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toEqual({ [entry]: written, [defKey]: advanced.json });
    expect(retry.headers.get('etag')).toBe(advanced.headers.get('etag'));
    expect(await entries()).toHaveLength(0);
    expect((await call('GET', url)).json).toEqual(advanced.json);
  });
});

describe.each([
  { resource: 'income', body: { amount: 7_700, receivedOn: '2026-11-20', description: 'crashed restore' } },
  { resource: 'expenses', body: { amount: 7_700, occurredOn: '2026-11-20', description: 'crashed restore' } },
])('a keyed $resource restore whose answer was lost (crash after the commit)', ({ resource, body }) => {
  it('retried: the first 200 (the restored item, its ETag), not a 409', async () => {
    const created = await call('POST', base(resource), { body });
    expect(created.status, created.text).toBe(201);
    const url = `${base(resource)}/${created.json.id}`;
    expect((await call('DELETE', url)).status).toBe(204);
    await lost(() => keyed(`${url}/restore`, `${resource}-restore`));
    const restored = await call('GET', url);
    expect(restored.status, restored.text).toBe(200);

    pastTheLease();
    const retry = await keyed(`${url}/restore`, `${resource}-restore`);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toEqual(restored.json);
    expect(retry.headers.get('etag')).toBe(restored.headers.get('etag'));
  });
});

/** An item of a list answer. */
type Listed = { id: string } & Record<string, unknown>;
/** Every item of the collection at `path` (a rule's and a profile's list is one page, without `limit`). */
const listed = async (path: string) => (await call('GET', path)).json.items as Listed[];

describe.each([
  { resource: 'comment', body: { text: 'crashed comment' }, match: (i: Listed) => i.text === 'crashed comment' },
  { resource: 'rule', body: { merchant: { contains: 'crashed rule' }, renameTo: 'Crashed' }, match: (i: Listed) => i.renameTo === 'Crashed' },
  { resource: 'import-profile', body: { name: 'Crashed bank', mapping: { dateColumn: 'Datum', amountColumn: 'Betrag' } }, match: (i: Listed) => i.name === 'Crashed bank' },
])('a keyed $resource create whose answer was lost (crash after the commit)', ({ resource, body, match }) => {
  /** The collection the create posts to (a comment's: an expense's, created here). */
  async function collection() {
    if (resource === 'rule') return base('rules');
    if (resource === 'import-profile') return base('import-profiles');
    const expense = await call('POST', base('expenses'), { body: { amount: 1_200, occurredOn: '2026-11-20', description: 'commented' } });
    expect(expense.status, expense.text).toBe(201);
    return `${base('expenses')}/${expense.json.id}/comments`;
  }

  it('retried after it was deleted: the first 201 (body, Location, ETag), not created again', async () => {
    const path = await collection();
    await lost(() => keyed(path, `${resource}-create`, body));
    const committed = (await listed(path)).filter(match);
    expect(committed).toHaveLength(1);
    const url = `${path}/${committed[0]!.id}`;
    // A comment has no GET of its own: the list shows it as its create answered it.
    const original = resource === 'comment' ? { json: committed[0], etag: null } : await call('GET', url).then((r) => ({ json: r.json, etag: r.headers.get('etag') }));
    expect((await call('DELETE', url)).status).toBe(204);

    pastTheLease();
    const retry = await keyed(path, `${resource}-create`, body);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(original.json);
    expect(retry.headers.get('location')).toBe(url);
    expect(retry.headers.get('etag')).toBe(original.etag);
    expect((await listed(path)).filter(match)).toHaveLength(0);
  });
});
