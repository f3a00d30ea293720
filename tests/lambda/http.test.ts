import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from '../support/actors';
import { lambdaContext, loadBundledHandler, httpResult, type BundledHandler } from './support/bundle';
import { lambdaEnvironment } from './support/environment';
import { apiEvent, type ApiFixture, type HttpRequestSpec } from './support/fixtures';

/**
 * The BUNDLED handler (dist/lambda/handler.mjs) answering real API Gateway HTTP API payloads
 * (format 2.0) on DynamoDB Local: what API Gateway would send, what it would get back.
 */
let env: Awaited<ReturnType<typeof lambdaEnvironment>>;
let handler: BundledHandler;

beforeAll(async () => {
  env = await lambdaEnvironment();
  handler = await loadBundledHandler(env.env);
});
afterAll(() => env?.destroy());

async function invoke(fixture: ApiFixture, spec: HttpRequestSpec) {
  return httpResult(await handler(apiEvent(fixture, spec), lambdaContext()));
}

function expectProblem(res: ReturnType<typeof httpResult>, status: number) {
  expect(res.status, res.text).toBe(status);
  expect(res.header('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
}

describe('bundled handler: API Gateway v2 events', () => {
  it.each([
    ['apigw-v2-request-no-authorizer', 'LV7fzho-PHcEJPw='],
    ['apigw-v2-request-jwt-authorizer', 'id'],
    ['apigw-v2-request-iam', 'id'],
  ] as const)('GET /health from %s, with API Gateway\'s request id', async (fixture, requestId) => {
    const res = await invoke(fixture, { path: '/health' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
    expect(res.header('x-request-id')).toBe(requestId);
  });

  it('keeps the query string and cookies of the fixture without tripping over them', async () => {
    // The jwt fixture carries cookies, repeated query parameters and a body on a GET.
    const res = await invoke('apigw-v2-request-jwt-authorizer', { path: '/health?parameter1=value1&parameter1=value2' });
    expect(res.status, res.text).toBe(200);
  });

  it('answers an unknown route with a 404 problem naming the route', async () => {
    const res = await invoke('apigw-v2-request-no-authorizer', { path: '/v1/nothing-here' });
    expectProblem(res, 404);
    expect(res.json.detail).toContain('/v1/nothing-here');
  });

  it('answers a wrong method with a 405 problem and Allow', async () => {
    const res = await invoke('apigw-v2-request-no-authorizer', { method: 'DELETE', path: '/health' });
    expectProblem(res, 405);
    expect(res.header('allow')).toContain('GET');
  });

  it('serves the OpenAPI 3.1 document', async () => {
    const res = await invoke('apigw-v2-request-no-authorizer', { path: '/v1/openapi.json' });
    expect(res.status, res.text).toBe(200);
    expect(res.header('content-type')).toContain('application/json');
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/v1/auth/signup', '/v1/me']));
  });

  it('serves /docs with Scalar pinned to the locked version and its integrity hash, nothing else from outside', async () => {
    const res = await invoke('apigw-v2-request-no-authorizer', { path: '/docs' });
    expect(res.status, res.text).toBe(200);
    const scripts = [...res.text.matchAll(/<script src="([^"]+)"([^>]*)>/g)];
    expect(scripts).toHaveLength(1);
    const [, src, attributes] = scripts[0]!;
    // The hash of the file in node_modules, computed here independently of the build.
    const root = join(dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')), '..');
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    const sha384 = createHash('sha384').update(readFileSync(join(root, 'dist/browser/standalone.js'))).digest('base64');
    expect(src).toBe(`https://cdn.jsdelivr.net/npm/@scalar/api-reference@${version}/dist/browser/standalone.js`);
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(attributes).toContain(`integrity="sha384-${sha384}"`);
    expect(attributes).toContain('crossorigin="anonymous"');
    expect(res.text.match(/https?:\/\//g)).toHaveLength(1);
  });

  it('answers malformed JSON with a 400 problem, not a 5xx', async () => {
    const res = await invoke('apigw-v2-request-jwt-authorizer', {
      method: 'POST',
      path: '/v1/auth/signup',
      rawBody: '{"email": "ada@example.com", "password": ',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400);
  });

  it('answers a body that is not JSON with a 415 problem', async () => {
    const res = await invoke('apigw-v2-request-no-authorizer', {
      method: 'POST',
      path: '/v1/auth/signup',
      rawBody: 'email=ada@example.com',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 415);
  });

  it('names the invalid fields of a signup in a 400 problem', async () => {
    const res = await invoke('apigw-v2-request-iam', {
      method: 'POST',
      path: '/v1/auth/signup',
      body: { email: 'not-an-email', password: 'short', nickname: 'x' },
    });
    expectProblem(res, 400);
    const paths = (res.json.errors ?? []).map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'password', 'nickname']));
  });
});

describe('bundled handler: the users flow over API Gateway events', () => {
  const email = uniqueEmail('lambda');
  const password = PASSWORD;
  let accessToken: string;
  let userId: string;

  it('signs up (POST /v1/auth/signup) and returns the user and tokens', async () => {
    const res = await invoke('apigw-v2-request-no-authorizer', {
      method: 'POST',
      path: '/v1/auth/signup',
      body: { email, password, name: 'Lambda Tester' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.user).toMatchObject({ email, name: 'Lambda Tester' });
    expect(res.json.tokens).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    accessToken = res.json.tokens.accessToken;
    userId = res.json.user.id;
  });

  it('reads the account (GET /v1/me) with the access token', async () => {
    const res = await invoke('apigw-v2-request-jwt-authorizer', {
      path: '/v1/me',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: userId, email });
  });

  it('refuses GET /v1/me without a token, or with a forged one, with 401 problems', async () => {
    expectProblem(await invoke('apigw-v2-request-no-authorizer', { path: '/v1/me' }), 401);
    const [head, , sig] = accessToken.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'someone-else', exp: 4102444800 })).toString('base64url');
    const forged = await invoke('apigw-v2-request-no-authorizer', {
      path: '/v1/me',
      headers: { authorization: `Bearer ${head}.${forgedPayload}.${sig}` },
    });
    expectProblem(forged, 401);
  });

  it('logs in with a base64-encoded body, as API Gateway sends binary-safe payloads', async () => {
    const res = await invoke('apigw-v2-request-iam', {
      method: 'POST',
      path: '/v1/auth/login',
      body: { email, password },
      base64: true,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.user.id).toBe(userId);
  });

  it('reads a Windows-1252 bank CSV that API Gateway passed as bytes (application/vnd.ms-excel, base64)', async () => {
    const budget = await invoke('apigw-v2-request-jwt-authorizer', {
      method: 'POST',
      path: '/v1/budgets',
      headers: { authorization: `Bearer ${accessToken}` },
      body: { name: 'Lambda import', currency: 'EUR', limit: 100_000, categories: [{ name: 'Café' }] },
    });
    expect(budget.status, budget.text).toBe(201);
    // Date,Amount,Category,Payee  /  2026-03-05,12.50,Café,Bäckerei  /  2026-03-06,3.20,Crèche,Müller
    // (0xE9 é, 0xE4 ä, 0xE8 è, 0xFC ü: Windows-1252, not UTF-8): the first row's category is the
    // budget's, the second's is none of them, and its error quotes the cell as decoded.
    const bytes = new Uint8Array(
      Buffer.concat([
        Buffer.from('Date,Amount,Category,Payee\r\n2026-03-05,12.50,Caf'), Buffer.from([0xe9]), Buffer.from(',B'), Buffer.from([0xe4]), Buffer.from('ckerei\r\n'),
        Buffer.from('2026-03-06,3.20,Cr'), Buffer.from([0xe8]), Buffer.from('che,M'), Buffer.from([0xfc]), Buffer.from('ller\r\n'),
      ]),
    );
    const query = new URLSearchParams({ dryRun: 'true', dateColumn: 'Date', amountColumn: 'Amount', categoryColumn: 'Category', merchantColumn: 'Payee' });
    const res = await invoke('apigw-v2-request-jwt-authorizer', {
      method: 'POST',
      path: `/v1/budgets/${budget.json.id}/expenses/import?${query.toString()}`,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/vnd.ms-excel' },
      bytes,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ dryRun: true, charset: 'windows-1252', total: 2, imported: 1, errorCount: 1 });
    expect(res.json.errors[0].message).toContain('Crèche');
  });

  it('reads a camt.053 statement and a QIF file through the bundled handler: their lazily loaded readers are in the bundle', async () => {
    const auth = { authorization: `Bearer ${accessToken}` };
    const budget = await invoke('apigw-v2-request-jwt-authorizer', {
      method: 'POST',
      path: '/v1/budgets',
      headers: auth,
      body: { name: 'Lambda bank files', currency: 'EUR', limit: 100_000, categories: [{ name: 'Groceries' }, { name: 'Household' }] },
    });
    expect(budget.status, budget.text).toBe(201);
    const importPath = `/v1/budgets/${budget.json.id}/expenses/import?dryRun=true`;

    const camt = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>',
      '<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>',
      '<Ntry><Amt Ccy="EUR">45.20</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>R-1</AcctSvcrRef></Ntry>',
      '<Ntry><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-04</Dt></BookgDt><AcctSvcrRef>R-2</AcctSvcrRef></Ntry>',
      '<Ntry><Amt Ccy="EUR">2500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-05</Dt></BookgDt><AcctSvcrRef>R-3</AcctSvcrRef></Ntry>',
      '</Stmt></BkToCstmrStmt></Document>',
      '',
    ].join('\r\n');
    const statement = await invoke('apigw-v2-request-jwt-authorizer', {
      method: 'POST',
      path: importPath,
      headers: { ...auth, 'content-type': 'application/vnd.iso20022.camt.053+xml' },
      bytes: new Uint8Array(Buffer.from(camt)),
    });
    expect(statement.status, statement.text).toBe(200);
    expect(statement.json).toMatchObject({ dryRun: true, total: 1, imported: 1, errorCount: 0, skipped: 2, skippedLines: [5, 6] });
    // The validator is in the bundle too: a broken document is a 400 naming body with its position.
    const broken = await invoke('apigw-v2-request-jwt-authorizer', {
      method: 'POST',
      path: importPath,
      headers: { ...auth, 'content-type': 'application/vnd.iso20022.camt.053+xml' },
      bytes: new Uint8Array(Buffer.from(camt.replace('</Ntry>', '</Ntri>'))),
    });
    expectProblem(broken, 400);
    expect(broken.json.errors).toEqual([{ path: 'body', message: expect.stringMatching(/^Line 4, column \d+: Not well-formed XML: /) }]);

    const qif = ['!Type:Bank', "D11/21'26", 'T-30.00', 'PCostco', 'LGroceries/Vacation', 'SGroceries', '$-20.00', 'SHousehold', '$-10.00', '^', "D11/22'26", 'T-5.00', 'PKiosk', '^', ''].join('\r\n');
    const quicken = await invoke('apigw-v2-request-jwt-authorizer', {
      method: 'POST',
      path: importPath,
      headers: { ...auth, 'content-type': 'application/qif' },
      bytes: new Uint8Array(Buffer.from(qif)),
    });
    expect(quicken.status, quicken.text).toBe(200);
    expect(quicken.json).toMatchObject({ dryRun: true, total: 2, imported: 2, errorCount: 0, importLines: [2, 11] });
  });

  it('sends the QIF export base64-encoded (application/qif is not a text type to the adapter), which API Gateway decodes to the file', async () => {
    const auth = { authorization: `Bearer ${accessToken}` };
    const budget = await invoke('apigw-v2-request-jwt-authorizer', { method: 'POST', path: '/v1/budgets', headers: auth, body: { name: 'Lambda QIF export', currency: 'EUR', limit: 100_000, categories: [{ name: 'Café' }] } });
    expect(budget.status, budget.text).toBe(201);
    const categoryId = budget.json.categories[0].id;
    const created = await invoke('apigw-v2-request-jwt-authorizer', {
      method: 'POST',
      path: `/v1/budgets/${budget.json.id}/expenses`,
      headers: auth,
      body: { amount: 450, occurredOn: '2026-11-03', categoryId, merchant: 'Crème & Co', description: 'Two\nlines' },
    });
    expect(created.status, created.text).toBe(201);
    const res = await invoke('apigw-v2-request-jwt-authorizer', { path: `/v1/budgets/${budget.json.id}/expenses/export?format=qif`, headers: auth });
    expect(res.status, res.text).toBe(200);
    expect(res.header('content-type')).toBe('application/qif; charset=utf-8');
    expect(res.raw.isBase64Encoded).toBe(true);
    expect(res.text).toBe('!Type:Bank\r\nD2026-11-03\r\nT-4.50\r\nPCrème & Co\r\nMTwo lines\r\nLCafé\r\n^\r\n');
  });

  it('refuses a second signup with the same email (any case) with a 409 problem', async () => {
    const res = await invoke('apigw-v2-request-no-authorizer', {
      method: 'POST',
      path: '/v1/auth/signup',
      body: { email: email.toUpperCase(), password },
    });
    expectProblem(res, 409);
  });
});
