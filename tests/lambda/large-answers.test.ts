import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from '../support/actors';
import { lambdaContext, loadBundledHandler, httpResult, type BundledHandler } from './support/bundle';
import { lambdaEnvironment } from './support/environment';
import { apiEvent, type HttpRequestSpec } from './support/fixtures';

/**
 * Lambda sends a synchronous answer of at most 6 MB (6,291,456 bytes) of the RESULT JSON, in
 * which the body is a JSON string: a JSON body's `\` and `"` are escaped again (a backslash in a
 * text takes 4 bytes). Lists and bulk answers are bounded in expenses, not in those bytes: 100
 * expenses whose texts are backslashes (each ~26 K characters, 50 split parts of 500) pass it,
 * and Lambda answered them with an opaque 5xx. The BUNDLED handler must answer them compressed
 * to a client that accepts gzip, and otherwise with a problem saying what to do.
 */
const LAMBDA_RESULT_MAX_BYTES = 6_291_456;
const EXPENSES = 64;

let env: Awaited<ReturnType<typeof lambdaEnvironment>>;
let handler: BundledHandler;
let auth: Record<string, string>;
let budgetId: string;
const ids: string[] = [];

async function invoke(spec: HttpRequestSpec) {
  const raw = await handler(apiEvent('apigw-v2-request-jwt-authorizer', spec), lambdaContext());
  // What the Lambda runtime sends: the result serialized as JSON.
  return { res: httpResult(raw), resultBytes: Buffer.byteLength(JSON.stringify(raw)) };
}

/** The body as the client reads it once API Gateway decoded base64 and the client decoded gzip. */
const decoded = (raw: { body: string; isBase64Encoded?: boolean; headers?: Record<string, string> }) => {
  expect(raw.isBase64Encoded).toBe(true);
  return JSON.parse(gunzipSync(Buffer.from(raw.body, 'base64')).toString('utf8'));
};

/** The largest expense: 50 parts whose descriptions are 500 backslashes, and backslash texts elsewhere. */
const backslashes = (n: number) => '\\'.repeat(n);
const largeExpense = () => ({
  amount: 5000,
  occurredOn: '2026-11-05',
  description: backslashes(500),
  merchant: backslashes(200),
  splits: Array.from({ length: 50 }, () => ({ categoryId: null, amount: 100, description: backslashes(500) })),
});

beforeAll(async () => {
  env = await lambdaEnvironment();
  handler = await loadBundledHandler(env.env);
  const signup = await invoke({ method: 'POST', path: '/v1/auth/signup', body: { email: uniqueEmail('large-answers'), password: PASSWORD } });
  expect(signup.res.status, signup.res.text).toBe(201);
  auth = { authorization: `Bearer ${signup.res.json.tokens.accessToken}` };
  const budget = await invoke({ method: 'POST', path: '/v1/budgets', headers: auth, body: { name: 'Large answers', currency: 'EUR', limit: 100_000 } });
  expect(budget.res.status, budget.res.text).toBe(201);
  budgetId = budget.res.json.id;
  for (let n = 0; n < EXPENSES; n++) {
    const created = await invoke({ method: 'POST', path: `/v1/budgets/${budgetId}/expenses`, headers: auth, body: largeExpense() });
    expect(created.res.status, created.res.text.slice(0, 300)).toBe(201);
    ids.push(created.res.json.id);
  }
}, 300_000);
afterAll(() => env?.destroy());

describe('answers larger than a Lambda result may be (6,291,456 bytes once escaped)', { timeout: 120_000 }, () => {
  const listPath = () => `/v1/budgets/${budgetId}/expenses?limit=100`;

  it('a list of expenses whose texts are backslashes is compressed for a client that accepts gzip, and fits', async () => {
    const { res, resultBytes } = await invoke({ path: listPath(), headers: { ...auth, 'accept-encoding': 'gzip, deflate, br' } });
    expect(resultBytes).toBeLessThanOrEqual(LAMBDA_RESULT_MAX_BYTES);
    expect(res.status).toBe(200);
    expect(res.header('content-encoding')).toBe('gzip');
    expect(res.header('vary')?.toLowerCase()).toContain('accept-encoding');
    expect(res.header('content-type')).toContain('application/json');
    const list = decoded(res.raw);
    expect(list.items).toHaveLength(EXPENSES);
    expect(list.items[0].splits[0].description).toBe(backslashes(500));
    // Sent plain, the same answer would not have fitted: the case this test is about.
    expect(Buffer.byteLength(JSON.stringify(JSON.stringify(list)))).toBeGreaterThan(LAMBDA_RESULT_MAX_BYTES);
  });

  it('the same list to a client that accepts no compression is a 406 problem naming what to do, not an answer Lambda cannot send', async () => {
    const { res, resultBytes } = await invoke({ path: listPath(), headers: auth });
    expect(resultBytes).toBeLessThanOrEqual(LAMBDA_RESULT_MAX_BYTES);
    expect(res.status, res.text.slice(0, 300)).toBe(406);
    expect(res.header('content-type')).toBe('application/problem+json');
    expect(res.header('vary')?.toLowerCase()).toContain('accept-encoding');
    expect(res.json).toMatchObject({ type: 'https://budgeting.dev/problems/answer-too-large', status: 406, title: expect.any(String) });
    expect(res.json.detail).toMatch(/Accept-Encoding: gzip/);
    expect(res.json.detail).toMatch(/limit/);
  });

  it('a smaller page of the same list is sent plain, uncompressed', async () => {
    const { res, resultBytes } = await invoke({ path: `/v1/budgets/${budgetId}/expenses?limit=10`, headers: auth });
    expect(resultBytes).toBeLessThanOrEqual(LAMBDA_RESULT_MAX_BYTES);
    expect(res.status).toBe(200);
    expect(res.header('content-encoding')).toBeUndefined();
    expect(res.json.items).toHaveLength(10);
  });

  it('a keyed bulk edit whose answer is too large says it was applied, and its replay with gzip accepted returns the answer', async () => {
    const body = { expenseIds: ids, action: { type: 'addTags', tags: ['bulk'] } };
    const headers = { ...auth, 'idempotency-key': 'large-bulk-answer' };
    const first = await invoke({ method: 'POST', path: `/v1/budgets/${budgetId}/expenses/bulk`, headers, body });
    expect(first.resultBytes).toBeLessThanOrEqual(LAMBDA_RESULT_MAX_BYTES);
    expect(first.res.status, first.res.text.slice(0, 300)).toBe(406);
    expect(first.res.json.type).toBe('https://budgeting.dev/problems/answer-too-large');
    expect(first.res.json.detail).toMatch(/was applied/);
    expect(first.res.json.detail).toMatch(/same Idempotency-Key/);

    const replay = await invoke({ method: 'POST', path: `/v1/budgets/${budgetId}/expenses/bulk`, headers: { ...headers, 'accept-encoding': 'gzip' }, body });
    expect(replay.resultBytes).toBeLessThanOrEqual(LAMBDA_RESULT_MAX_BYTES);
    expect(replay.res.status).toBe(200);
    expect(replay.res.header('idempotent-replayed')).toBe('true');
    expect(replay.res.header('content-encoding')).toBe('gzip');
    const answer = decoded(replay.res.raw);
    expect(answer.succeeded).toBe(EXPENSES);
    // Applied once: every expense carries the tag, one version later.
    const listed = decoded((await invoke({ path: listPath(), headers: { ...auth, 'accept-encoding': 'gzip' } })).res.raw);
    expect(listed.items.every((e: { tags: string[]; version: number }) => e.tags.includes('bulk') && e.version === 2)).toBe(true);
  });

  it('leaves body-less answers alone: a 304 to If-None-Match, and HEAD of the large list', async () => {
    const item = await invoke({ path: `/v1/budgets/${budgetId}/expenses/${ids[0]}`, headers: auth });
    const etag = item.res.header('etag');
    expect(etag).toBe('"2"');
    const notModified = await invoke({ path: `/v1/budgets/${budgetId}/expenses/${ids[0]}`, headers: { ...auth, 'if-none-match': etag!, 'accept-encoding': 'gzip' } });
    expect(notModified.res.status).toBe(304);
    expect(notModified.res.header('etag')).toBe(etag);
    expect(notModified.res.header('content-encoding')).toBeUndefined();
    const head = await invoke({ method: 'HEAD', path: listPath(), headers: auth });
    expect(head.res.status).toBe(200);
    expect(head.res.text).toBe('');
  });

  it('small answers are never compressed, whatever the client accepts', async () => {
    const { res } = await invoke({ path: `/v1/budgets/${budgetId}/expenses/${ids[0]}`, headers: { ...auth, 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.header('content-encoding')).toBeUndefined();
    expect(res.raw.isBase64Encoded).toBe(false);
    const summary = await invoke({ path: `/v1/budgets/${budgetId}/summary`, headers: { ...auth, 'accept-encoding': 'gzip, br' } });
    expect(summary.res.status, summary.res.text).toBe(200);
    expect(summary.res.header('content-encoding')).toBeUndefined();
  });
});
