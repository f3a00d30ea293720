import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../support/actors';
import { call } from '../support/http';
import { expectProblem } from '../support/problem';
import { responseValidator } from '../support/response-validator';
import { createTestSystem, type TestSystem } from '../support/test-system';
import { withKeysUnprocessed, withWritesThrottled } from '../support/throttled-writes';

/**
 * A route that declared no 503 of its own (until stop 56 neither did any users or budgets
 * route) still answers one when DynamoDB keeps throttling after the SDK's retries; the served
 * document must say so (platform openapi-finish.ts gives every operation that touches the
 * store its 503), or a client generated from it does not know the answer can come. Each answer
 * is checked against /v1/openapi.json as the system serves it: status, Retry-After, Problem body.
 */
let t: TestSystem;
let owner: Actor;
let document: any;

beforeAll(async () => {
  t = await createTestSystem();
  owner = await signUp(t.app, 'owner');
  const served = await call(t.app, 'GET', '/v1/openapi.json');
  expect(served.status, served.text).toBe(200);
  document = served.json;
});
afterAll(async () => {
  await t?.destroy();
});

describe('a throttled store answered as the document says', { timeout: 30_000 }, () => {
  it('POST /v1/budgets: its transaction throttled on every retry is a 503 problem with Retry-After, nothing written', async () => {
    // The budget's name is in the transaction's input: only that request's writes are refused.
    const name = `Throttled ${Math.random().toString(36).slice(2, 10)}`;
    const { result: res, attempts } = await withWritesThrottled(t.doc, name, () =>
      as(t.app, owner)('POST', '/v1/budgets', { body: { name, currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000 } }),
    );
    // More than one: the SDK retried, and every retry was refused.
    expect(attempts).toBeGreaterThan(1);
    expectProblem(res, 503);
    expect(res.json.type).toMatch(/\/service-unavailable$/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectDocumented('POST', '/v1/budgets', res);
    const listed = await as(t.app, owner)('GET', '/v1/budgets');
    expect(listed.json.items.map((b: { name: string }) => b.name)).not.toContain(name);
  });

  it('GET /v1/budgets/{budgetId}: its read throttled on every retry is a 503 problem with Retry-After', async () => {
    const budget = await createBudget(t.app, owner);
    const url = `/v1/budgets/${budget.id}`;
    const { result: res, attempts } = await withWritesThrottled(t.doc, budget.id, () => as(t.app, owner)('GET', url), ['BatchGetItemCommand']);
    expect(attempts).toBeGreaterThan(1);
    expectProblem(res, 503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectDocumented('GET', url, res);
  });

  it('GET /v1/budgets/{budgetId}: its read answered with every key unprocessed on every retry is a 503 problem with Retry-After, not a 500', async () => {
    // DynamoDB out of read capacity for a batch answers 200 with UnprocessedKeys; ours asks
    // again (with backoff), and when the keys stay unprocessed the client's request was still fine.
    const budget = await createBudget(t.app, owner);
    const url = `/v1/budgets/${budget.id}`;
    const { result: res, attempts } = await withKeysUnprocessed(t.doc, budget.id, () => as(t.app, owner)('GET', url));
    expect(attempts).toBeGreaterThan(1);
    expectProblem(res, 503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectDocumented('GET', url, res);
  });

  it.each([
    // As the SDK's HTTP handler throws them: a socket timeout, a connection reset by the far end.
    ['a timeout', () => Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' })],
    ['a reset connection', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('POST /v1/budgets: its transaction failing with %s on every retry is a 503 problem with Retry-After, not a 500; nothing written', async (_what, refusal) => {
    const name = `Unreachable ${Math.random().toString(36).slice(2, 10)}`;
    const { result: res, attempts } = await withWritesThrottled(
      t.doc,
      name,
      () => as(t.app, owner)('POST', '/v1/budgets', { body: { name, currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000 } }),
      ['TransactWriteItemsCommand'],
      refusal,
    );
    // The SDK took it for the transient fault it is, and retried.
    expect(attempts).toBeGreaterThan(1);
    expectProblem(res, 503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectDocumented('POST', '/v1/budgets', res);
    const listed = await as(t.app, owner)('GET', '/v1/budgets');
    expect(listed.json.items.map((b: { name: string }) => b.name)).not.toContain(name);
  });

  it('POST /v1/auth/login (public, undeclared before stop 56): its reads throttled on every retry are a 503 as documented', async () => {
    // Every command naming this table is refused for the request's duration (the email may be hashed in keys).
    const reads = ['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'UpdateItemCommand', 'PutItemCommand', 'TransactWriteItemsCommand'];
    const { result: res, attempts } = await withWritesThrottled(t.doc, t.tableName, () =>
      call(t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } }), reads);
    expect(attempts).toBeGreaterThan(1);
    expectProblem(res, 503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectDocumented('POST', '/v1/auth/login', res);
  });

  it('POST /v1/budgets/{budgetId}/invitations (no 503 of its own since stop 56): its transaction throttled is a 503 as documented, no invitation made', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `invited-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const url = `/v1/budgets/${budget.id}/invitations`;
    const { result: res, attempts } = await withWritesThrottled(t.doc, budget.id, () => as(t.app, owner)('POST', url, { body: { email, role: 'viewer' } }));
    expect(attempts).toBeGreaterThan(1);
    expectProblem(res, 503);
    expectDocumented('POST', url, res);
    expect((await as(t.app, owner)('GET', url)).json.items).toEqual([]);
  });
});

/** The answer conforms to the served document, which declares its 503 (with Retry-After) on that very operation. */
function expectDocumented(method: string, url: string, res: { status: number; headers: Headers; text: string }) {
  const operations = responseValidator(document);
  const operation = operations.operationOf(method, url);
  expect(operation, `${method} ${url}`).toBeDefined();
  const declared = document.paths[operation!.path][operation!.method].responses['503'];
  expect(declared?.headers?.['Retry-After'], `${method} ${operation!.path}`).toEqual({ $ref: '#/components/headers/Retry-After' });
  expect(operations.violations({ method, url, status: res.status, headers: res.headers, body: res.text })).toEqual([]);
}
