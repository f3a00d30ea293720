import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { transactionSizesDuring } from '../../support/sent-commands';
import { keyedTransactionHeld, leaseTakenOverBeforeTransaction, racedByItsRetry as racedByItsRetryOf } from '../../support/lease-taken-over';
import { call as httpCall } from '../../support/http';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * A keyed write completing its Idempotency-Key inside its own transaction (platform
 * keyCompletion) whose lease was taken over by its retry before that transaction (the lease ran
 * out while it still ran): the completion's condition fails, the repository tells it from its
 * own items' conditions by its position in the transaction ('key-taken', KeyTakenError), and
 * the attempt answers 409 "in use by another attempt" having written nothing. A position
 * counted wrong (the change stamp's items, a check or the guard moving it) answers a 500.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
let h: Harness;
let owner: User;
let budget: Budget;
let takeOver: ReturnType<typeof leaseTakenOverBeforeTransaction>;
let held: ReturnType<typeof keyedTransactionHeld>;

beforeAll(async () => {
  h = await createHarness({ clock });
  takeOver = leaseTakenOverBeforeTransaction(h.t.doc);
  held = keyedTransactionHeld(h.t.doc);
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { currency: 'USD' });
});
afterAll(() => h.destroy());

const base = (resource: string) => `/v1/budgets/${budget.id}/${resource}`;
const call = (method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => h.call(method, url, { token: owner.token, ...options });

/** The keyed request, its lease taken over just before its transaction: 409, nothing written. */
async function takenOver(url: string, label: string, body?: unknown) {
  takeOver.next();
  const res = await call('POST', url, { body, headers: { 'idempotency-key': keyOf(label) } });
  expect(takeOver.pending()).toBe(false);
  expect(res.status, res.text).toBe(409);
  expect(res.json.detail).toMatch(/in use by another attempt/);
}

describe.each(['recurring-income', 'recurring-expenses'])('a keyed %s write whose lease was taken over before its transaction', (kind) => {
  const schedule = { frequency: 'monthly', startsOn: '2026-11-24' };
  const named = async (description: string) => ((await call('GET', `${base(kind)}?limit=100`)).json.items as { description?: string }[]).filter((d) => d.description === description);

  it('create: 409, no definition', async () => {
    const description = `taken over create ${kind}`;
    await takenOver(base(kind), `${kind}-create`, { amount: 4_200, description, schedule });
    expect(await named(description)).toHaveLength(0);
  });

  it('skip and record-next: 409, the definition as it was, nothing recorded', async () => {
    const created = await call('POST', base(kind), { body: { amount: 4_300, description: `taken over ${kind}`, schedule } });
    expect(created.status, created.text).toBe(201);
    const url = `${base(kind)}/${created.json.id}`;
    await takenOver(`${url}/skip`, `${kind}-skip`, {});
    await takenOver(`${url}/record-next`, `${kind}-record-next`, {});
    expect((await call('GET', url)).json).toEqual(created.json);
  });

  it('record-next taken over by its retry, which recorded first: the first attempt answers the key\'s answer (the entry under the reserved id), not a 500', async () => {
    const created = await call('POST', base(kind), { body: { amount: 4_400, description: `taken over, retry first ${kind}`, schedule } });
    expect(created.status, created.text).toBe(201);
    const url = `${base(kind)}/${created.json.id}/record-next`;
    const options = { token: owner.token, body: {}, headers: { 'idempotency-key': keyOf(`${kind}-record-next-raced`) } };
    const atTransaction = held.hold();
    const slow = h.call('POST', url, options);
    await atTransaction;
    clock.advance(61_000);
    // The retry in another process (its own change counters' queue: this one's waits behind the held attempt).
    const retry = await httpCall(h.expensesAppWith({}), 'POST', url, options);
    expect(retry.status, retry.text).toBe(200);
    held.release();
    const first = await slow;
    expect(first.status, first.text).toBe(200);
    expect(first.text).toBe(retry.text);
    expect(first.headers.get('etag')).toBe(retry.headers.get('etag'));
  });
});

describe.each([
  { resource: 'income', body: { amount: 7_700, receivedOn: '2026-11-20', description: 'taken over restore' } },
  { resource: 'expenses', body: { amount: 7_700, occurredOn: '2026-11-20', description: 'taken over restore' } },
])('a keyed $resource restore whose lease was taken over before its transaction', ({ resource, body }) => {
  it('409, still deleted', async () => {
    const created = await call('POST', base(resource), { body });
    expect(created.status, created.text).toBe(201);
    const url = `${base(resource)}/${created.json.id}`;
    expect((await call('DELETE', url)).status).toBe(204);
    await takenOver(`${url}/restore`, `${resource}-restore`);
    expect((await call('GET', url)).status).toBe(404);
  });
});

/**
 * The keyed request `url`, held just before its transaction while its lease runs out and its
 * retry (another process: its own change counters' queue) takes it over and commits first: the
 * slower attempt then answers the key's answer, the retry's, whatever its own write found.
 */
async function racedByItsRetry(url: string, label: string, body?: unknown) {
  const options = { token: owner.token, body, headers: { 'idempotency-key': keyOf(label) } };
  const { first, retry } = await racedByItsRetryOf(
    held,
    () => clock.advance(61_000),
    () => h.call('POST', url, options),
    () => httpCall(h.expensesAppWith({}), 'POST', url, options),
  );
  expect(retry.status, retry.text).toBeLessThan(300);
  expect(first.status, first.text).toBe(retry.status);
  expect(first.text).toBe(retry.text);
  for (const name of ['etag', 'location']) expect(first.headers.get(name), name).toBe(retry.headers.get(name));
  return retry;
}

describe.each(['recurring-income', 'recurring-expenses'])('a keyed %s create and skip taken over by their retry, which wrote first', (kind) => {
  const schedule = { frequency: 'monthly', startsOn: '2026-11-24' };
  it("the slower attempt answers the key's answer; one definition, one date skipped", async () => {
    const description = `raced create ${kind}`;
    const created = await racedByItsRetry(base(kind), `${kind}-create-raced`, { amount: 4_500, description, schedule });
    const listed = ((await call('GET', `${base(kind)}?limit=100`)).json.items as { description?: string }[]).filter((d) => d.description === description);
    expect(listed).toHaveLength(1);
    const url = `${base(kind)}/${created.json.id}`;
    const skipped = await racedByItsRetry(`${url}/skip`, `${kind}-skip-raced`, {});
    expect(skipped.json.nextOccurrenceOn).toBe('2026-12-24');
    expect((await call('GET', url)).json).toEqual(skipped.json);
  });
});

describe.each([
  { resource: 'income', body: { amount: 7_800, receivedOn: '2026-11-21', description: 'raced restore' } },
  { resource: 'expenses', body: { amount: 7_800, occurredOn: '2026-11-21', description: 'raced restore' } },
])('a keyed $resource restore taken over by its retry, which restored first', ({ resource, body }) => {
  it("the slower attempt answers the key's answer (not 409 'not deleted')", async () => {
    const created = await call('POST', base(resource), { body });
    expect(created.status, created.text).toBe(201);
    const url = `${base(resource)}/${created.json.id}`;
    expect((await call('DELETE', url)).status).toBe(204);
    await racedByItsRetry(`${url}/restore`, `${resource}-restore-raced`);
  });
});

/**
 * The comment, rule and import-profile creates complete their key in their own transaction too
 * (since stop 53): taken over before it, 409 with nothing written (the completion's index counted
 * after the capped create's items, the expense's check, the event, the name claim); raced by their
 * retry that created first, the key's answer (not the 'exists' read-back or a 409 of the name).
 */
describe.each([
  { resource: 'comment', body: (n: string) => ({ text: n }) },
  { resource: 'rule', body: (n: string) => ({ merchant: { contains: n }, renameTo: n }) },
  { resource: 'import-profile', body: (n: string) => ({ name: n, mapping: { dateColumn: 'Datum', amountColumn: 'Betrag' } }) },
])('a keyed $resource create taken over', ({ resource, body }) => {
  /** The collection the create posts to (a comment's: an expense's, created here). */
  async function collection() {
    if (resource === 'rule') return base('rules');
    if (resource === 'import-profile') return base('import-profiles');
    const expense = await call('POST', base('expenses'), { body: { amount: 1_300, occurredOn: '2026-11-20', description: 'commented' } });
    expect(expense.status, expense.text).toBe(201);
    return `${base('expenses')}/${expense.json.id}/comments`;
  }
  const count = async (path: string) => ((await call('GET', path)).json.items as unknown[]).length;

  it('before its transaction: 409, nothing created', async () => {
    const path = await collection();
    const before = await count(path);
    await takenOver(path, `${resource}-create-taken`, body(`taken ${resource}`));
    expect(await count(path)).toBe(before);
  });

  it("by its retry, which created first: the key's answer, created once", async () => {
    const path = await collection();
    const before = await count(path);
    const created = await racedByItsRetry(path, `${resource}-create-raced`, body(`raced ${resource}`));
    expect(created.status).toBe(201);
    expect(await count(path)).toBe(before + 1);
  });
});

describe('item counts: a comment, rule and import-profile create, unkeyed as before, keyed one item more (the completion)', () => {
  /** The item counts of the TransactWriteItems sent while `run` runs (the account check that may ride along left out). */
  async function transactions(run: () => Promise<{ status: number; text: string }>) {
    const { result: res, sizes } = await transactionSizesDuring(h.t.doc, run);
    expect(res.status, res.text).toBe(201);
    return sizes;
  }

  it('comment 6 / 7 (its own five and the writer guard), rule 4 / 5, import profile 5 / 6', async () => {
    const expense = await call('POST', base('expenses'), { body: { amount: 1_500, occurredOn: '2026-11-20', description: 'counted' } });
    expect(expense.status, expense.text).toBe(201);
    const cases = [
      { path: `${base('expenses')}/${expense.json.id}/comments`, body: (n: string) => ({ text: n }), sizes: [[6], [7]] },
      { path: base('rules'), body: (n: string) => ({ merchant: { contains: n }, renameTo: n }), sizes: [[4], [5]] },
      { path: base('import-profiles'), body: (n: string) => ({ name: n, mapping: { dateColumn: 'Datum', amountColumn: 'Betrag' } }), sizes: [[5], [6]] },
    ];
    for (const { path, body, sizes } of cases) {
      const unkeyed = await transactions(() => call('POST', path, { body: body('counted unkeyed') }));
      const keyed = await transactions(() => call('POST', path, { body: body('counted keyed'), headers: { 'idempotency-key': keyOf(`${path}-counted`) } }));
      expect([unkeyed, keyed], path).toEqual(sizes);
    }
  });
});
