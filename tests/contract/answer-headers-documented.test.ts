import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitAnswer, type HttpResult } from '../../packages/app/src/http/answer-fit';
import { addExpense, createBudget, signUp, type Actor } from '../support/actors';
import { call } from '../support/http';
import { fetchOpenApiDocument } from '../support/openapi';
import { responseValidator } from '../support/response-validator';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * The header fields the app adds to answers besides the routes' own, against the document that
 * says which fields each answer carries (response-validator.ts: every header of ours an answer
 * carries is documented for its operation and status):
 * - `Vary: Origin` on every answer when the deployment allows only some CORS origins (cors.ts);
 * - `Vary: Accept-Encoding` on an answer too large to send plain: compressed, or the 406
 *   `answer-too-large` problem (answer-fit.ts, applied by the Lambda handler to every answer);
 * - `Idempotent-Replayed` kept on that 406 when it stands for a keyed write's replayed answer;
 * - `WWW-Authenticate` on a 401, which RFC 9110 section 15.5.2 says MUST carry a challenge.
 */
let validator: ReturnType<typeof responseValidator>;
let t: TestSystem;
let owner: Actor;
let budgetId: string;
let expenseId: string;

beforeAll(async () => {
  validator = responseValidator(await fetchOpenApiDocument());
  t = await createTestSystem();
  owner = await signUp(t.app, 'answer-headers');
  budgetId = (await createBudget(t.app, owner)).id;
  expenseId = (await addExpense(t.app, owner, budgetId, { amount: 1250, occurredOn: '2026-11-05' })).id;
});
afterAll(() => t?.destroy());

/** An answer of the app as hono/aws-lambda hands it to the fitting, its JSON body made `bytes` longer (trailing whitespace: the same JSON). */
async function asLambdaResult(res: { status: number; headers: Headers; text: string }, bytes: number): Promise<HttpResult> {
  return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: res.text + ' '.repeat(bytes), isBase64Encoded: false };
}

/** The violations of a fitted answer, its body as the client reads it (decompressed). */
function violationsOf(method: string, url: string, fitted: HttpResult): string[] {
  const headers = new Headers(fitted.headers);
  const body = fitted.isBase64Encoded ? gunzipSync(Buffer.from(fitted.body ?? '', 'base64')).toString('utf8') : (fitted.body ?? '');
  return validator.violations({ method, url, status: fitted.statusCode, headers, body });
}

describe('the header fields added to every kind of answer are documented', () => {
  it('Vary on a large answer, compressed for a client that accepts gzip, and on the 406 when it accepts none', async () => {
    const url = `/v1/budgets/${budgetId}/expenses`;
    const res = await call(t.app, 'GET', url, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    const large = await asLambdaResult(res, 7_000_000);

    const compressed = fitAnswer(large, { method: 'GET', acceptEncoding: 'gzip', idempotencyKey: false });
    expect(compressed.statusCode).toBe(200);
    expect(compressed.headers?.['content-encoding']).toBe('gzip');
    expect(violationsOf('GET', url, compressed)).toEqual([]);

    const refused = fitAnswer(large, { method: 'GET', idempotencyKey: false });
    expect(refused.statusCode).toBe(406);
    expect(refused.headers?.vary).toBe('Accept-Encoding');
    expect(violationsOf('GET', url, refused)).toEqual([]);
  });

  it('Vary: Origin on the answers of a deployment that allows only some CORS origins', async () => {
    const restricted = await createTestSystem({ env: { CORS_ORIGINS: 'https://app.example' } });
    try {
      const headers = { origin: 'https://app.example' };
      const who = await signUp(restricted.app, 'answer-headers-cors');
      const exchanges = [
        { method: 'GET', url: '/v1/me', res: await call(restricted.app, 'GET', '/v1/me', { token: who.token, headers }) },
        { method: 'GET', url: '/v1/budgets/01JDQ4V8M7ZK3X9A2B5C6D7E8F', res: await call(restricted.app, 'GET', '/v1/budgets/01JDQ4V8M7ZK3X9A2B5C6D7E8F', { token: who.token, headers }) },
        { method: 'POST', url: '/v1/budgets', res: await call(restricted.app, 'POST', '/v1/budgets', { token: who.token, headers, body: { name: 'Cors', currency: 'EUR', limit: 1000 } }) },
        { method: 'GET', url: '/health', res: await call(restricted.app, 'GET', '/health', { headers }) },
      ];
      expect(exchanges.map((x) => x.res.status)).toEqual([200, 404, 201, 200]);
      for (const x of exchanges) expect(x.res.headers.get('vary'), x.url).toContain('Origin');
      expect(exchanges.flatMap((x) => validator.violations({ method: x.method, url: x.url, status: x.res.status, headers: x.res.headers, body: x.res.text }))).toEqual([]);
    } finally {
      await restricted.destroy();
    }
  });

  it('Idempotent-Replayed on the 406 standing for the replayed answer of a keyed write too large to send', async () => {
    const url = `/v1/budgets/${budgetId}/expenses/bulk`;
    const request = { token: owner.token, headers: { 'idempotency-key': 'answer-headers-bulk' }, body: { expenseIds: [expenseId], action: { type: 'addTags', tags: ['bulk'] } } };
    expect((await call(t.app, 'POST', url, request)).status).toBe(200);
    const replay = await call(t.app, 'POST', url, request);
    expect(replay.status, replay.text).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const refused = fitAnswer(await asLambdaResult(replay, 7_000_000), { method: 'POST', idempotencyKey: true });
    expect(refused.statusCode).toBe(406);
    expect(refused.headers?.['idempotent-replayed']).toBe('true');
    expect(violationsOf('POST', url, refused)).toEqual([]);
  });

  it('WWW-Authenticate on every 401: a missing token, a wrong password, a two-factor sign-in that expired', async () => {
    const exchanges = [
      { method: 'GET', url: '/v1/me', res: await call(t.app, 'GET', '/v1/me') },
      { method: 'POST', url: '/v1/auth/login', res: await call(t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: 'not the password at all' } }) },
      {
        method: 'POST',
        url: '/v1/auth/login/mfa',
        res: await call(t.app, 'POST', '/v1/auth/login/mfa', { body: { mfaToken: 'Jq0sVnQ2m8b1vR4xKc7TtYw3ZpLdE6uHfA9oNiGkMjs', code: '492039' } }),
      },
    ];
    expect(exchanges.map((x) => [x.res.status, x.res.json?.type])).toEqual([
      [401, 'https://budgeting.dev/problems/unauthorized'],
      [401, 'https://budgeting.dev/problems/unauthorized'],
      [401, 'https://budgeting.dev/problems/invalid-mfa-token'],
    ]);
    for (const x of exchanges) expect(x.res.headers.get('www-authenticate'), x.url).toBe('Bearer');
    expect(exchanges.flatMap((x) => validator.violations({ method: x.method, url: x.url, status: x.res.status, headers: x.res.headers, body: x.res.text }))).toEqual([]);
  });
});
