import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { call } from '../../support/http';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { tableItems } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem } from './helpers';

/**
 * Personal access tokens (POST|GET /v1/me/tokens, DELETE /v1/me/tokens/{tokenId}) and their
 * use as `Authorization: Bearer bgt_...` on every module's routes, on DynamoDB Local through
 * HTTP. The DocumentClient's commands are counted: a token request may cost ONE GetItem more
 * than a session's, and `lastUsedAt` is written at most once an hour.
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
const sent: string[] = [];
/** The process dying right after a create's transaction committed (tests/support/crash-after-commit.ts). */
let crash: ReturnType<typeof crashAfterCommit>;
/** While set, recording a token's use (its lastUsedAt UpdateItem) fails. */
let failLastUsed = false;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      const input = args.input as { Key?: { pk?: string }; UpdateExpression?: string };
      const sk = String((input.Key as { sk?: string } | undefined)?.sk ?? '');
      if (failLastUsed && sk.startsWith('users#token#') && /lastUsedAt/.test(String(input.UpdateExpression ?? ''))) throw new Error('throttled');
      return next(args);
    },
    { step: 'initialize', name: 'commandLog' },
  );
  crash = crashAfterCommit(t.doc);
});
afterAll(async () => {
  await t.destroy();
});

interface Created {
  id: string;
  name: string;
  scope: 'read' | 'write';
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  token: string;
}

const makeToken = async (who: Pick<Actor, 'token'>, body: Record<string, unknown> = { name: 'Script', scope: 'write' }, headers: Record<string, string> = {}) => {
  const res = await as(t.app, who)('POST', '/v1/me/tokens', { body, headers });
  expect(res.status, res.text).toBe(201);
  return res.json as Created;
};
const bearer = (token: string) => ({ token });
const login = async (who: Actor) => {
  const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: who.email, password: who.password } });
  expect(res.status, res.text).toBe(200);
  return { ...who, token: res.json.tokens.accessToken as string };
};
const secretOf = (token: string) => token.slice(-43);
const tokenItems = async (userId: string) =>
  (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${userId}` && String(i.sk).startsWith('users#token#'));

describe('creating and listing personal access tokens', () => {
  it('shows the secret once, in the 201; the list never shows it; the table holds only its SHA-256', async () => {
    const owner = await signUp(t.app, 'pat-create');
    const res = await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: '  Sheet   sync ', scope: 'read' } });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const created = res.json as Created;
    expect(res.headers.get('location')).toBe(`/v1/me/tokens/${created.id}`);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      name: 'Sheet sync',
      scope: 'read',
      createdAt: '2026-11-24T12:00:00.000Z',
      expiresAt: '2027-02-22T12:00:00.000Z', // 90 days by default
      expired: false,
      lastUsedAt: null,
      token: expect.stringMatching(new RegExp(`^bgt_${owner.id}_${created.id}_[A-Za-z0-9_-]{43}$`)),
    });

    const list = await as(t.app, owner)('GET', '/v1/me/tokens');
    expect(list.status, list.text).toBe(200);
    const { token: _secret, ...listed } = created;
    expect(list.json).toEqual({ items: [listed] });
    expect(list.text).not.toContain(secretOf(created.token));

    const [item] = await tokenItems(owner.id);
    const raw = JSON.stringify(item);
    expect(raw).not.toContain(secretOf(created.token));
    expect(raw).not.toContain(created.token);
    expect(item!.secretHash).toBe(createHash('sha256').update(secretOf(created.token), 'utf8').digest('base64url'));
  });

  it("the create's Location answers 200 with the token as the list shows it, never its secret; another account's, an unknown or revoked id: 404", async () => {
    const owner = await signUp(t.app, 'pat-get');
    const stranger = await signUp(t.app, 'pat-get-stranger');
    const res = await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: 'Sheet', scope: 'read', expiresInDays: 1 } });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    const got = await as(t.app, owner)('GET', url);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual((await as(t.app, owner)('GET', '/v1/me/tokens')).json.items[0]);
    const { token: secret, ...shown } = res.json as Created;
    expect(got.json).toEqual(shown);
    expect(got.text).not.toContain(secretOf(secret));
    expect(got.headers.get('cache-control')).toBe('no-store');
    // Another account's id is the answer of an unknown one.
    const theirs = await as(t.app, stranger)('GET', url);
    const unknown = await as(t.app, stranger)('GET', `/v1/me/tokens/${res.json.id.replace(/.{4}$/, 'ZZZZ')}`);
    expectProblem(theirs, 404);
    expectProblem(unknown, 404);
    expect(theirs.json.detail).toBe(unknown.json.detail);
    expectProblem(await as(t.app, owner)('GET', '/v1/me/tokens/not-an-id'), 400);
    // Expired, it is still there (as in the list, until deleted), saying so.
    const start = clock.now().toISOString();
    clock.advance(2 * 24 * 3600 * 1000);
    try {
      const later = await login(owner);
      const expired = await as(t.app, later)('GET', url);
      expect(expired.status, expired.text).toBe(200);
      expect(expired.json.expired).toBe(true);
      expect((await as(t.app, later)('DELETE', url)).status).toBe(204);
      expectProblem(await as(t.app, later)('GET', url), 404);
    } finally {
      clock.set(start);
    }
  });

  it('without two-factor, needs a sign-in within the last 10 minutes (a refresh keeps the sign-in time): 403 reauthentication-required, nothing made', async () => {
    const owner = await signUp(t.app, 'pat-recent');
    const signedIn = await call(t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
    expect(signedIn.status, signedIn.text).toBe(200);
    const start = clock.now();
    clock.advance(11 * 60_000);
    try {
      // A refreshed access token of that sign-in: fresh, but its session signed in 11 minutes ago.
      const refreshed = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: signedIn.json.tokens.refreshToken } });
      expect(refreshed.status, refreshed.text).toBe(200);
      const refused = await as(t.app, { token: refreshed.json.tokens.accessToken })('POST', '/v1/me/tokens', { body: { name: 'Script', scope: 'write' } });
      expectProblem(refused, 403);
      expect(refused.json.type).toMatch(/reauthentication-required$/);
      expect(refused.json.detail).toMatch(/^Creating a personal access token requires a sign-in within the last 10 minutes/);
      expect(await tokenItems(owner.id)).toEqual([]);
      // Signed in again: made.
      expect((await makeToken(await login(owner))).scope).toBe('write');
      expect(await tokenItems(owner.id)).toHaveLength(1);
    } finally {
      // The file's other cases count from the fixed start.
      clock.set(start);
    }
  });

  it('takes expiresInDays 1..365 and refuses bad input naming the field', async () => {
    const owner = await signUp(t.app, 'pat-input');
    expect((await makeToken(owner, { name: 'Year', scope: 'write', expiresInDays: 365 })).expiresAt).toBe('2027-11-24T12:00:00.000Z');
    expect((await makeToken(owner, { name: 'Day', scope: 'read', expiresInDays: 1 })).expiresAt).toBe('2026-11-25T12:00:00.000Z');
    const post = (body: unknown) => as(t.app, owner)('POST', '/v1/me/tokens', { body });
    expectProblem(await post({ name: 'x', scope: 'write', expiresInDays: 366 }), 400, ['expiresInDays']);
    expectProblem(await post({ name: 'x', scope: 'write', expiresInDays: 0 }), 400, ['expiresInDays']);
    expectProblem(await post({ name: 'x', scope: 'write', expiresInDays: 1.5 }), 400, ['expiresInDays']);
    expectProblem(await post({ name: 'x', scope: 'admin' }), 400, ['scope']);
    expectProblem(await post({ name: '', scope: 'read' }), 400, ['name']);
    expectProblem(await post({ name: 'x'.repeat(101), scope: 'read' }), 400, ['name']);
    expectProblem(await post({ scope: 'read' }), 400, ['name']);
    expectProblem(await post({ name: 'x', scope: 'read', admin: true }), 400, ['admin']);
  });

  it('an Idempotency-Key retry answers the same token, secret included, and makes one; the stored answer holds no secret in clear', async () => {
    const owner = await signUp(t.app, 'pat-idem');
    const headers = { 'idempotency-key': '01JDQ7SZQ4W8E2R6T0Y4U8I2O6' };
    const first = await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: 'CI', scope: 'write' }, headers });
    expect(first.status, first.text).toBe(201);
    const again = await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: 'CI', scope: 'write' }, headers });
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.json).toEqual(first.json);
    expect(await tokenItems(owner.id)).toHaveLength(1);
    const secret = secretOf(first.json.token);
    const everything = JSON.stringify(await tableItems(t.doc, t.tableName));
    expect(everything).not.toContain(secret);
    // Not merely encoded: the key's record keeps the answer sealed (AES-256-GCM), and its body,
    // decoded, holds neither the secret nor the token (review 53, item 4).
    const records = (await tableItems(t.doc, t.tableName)).filter((i) => (i.response as { sealed?: boolean } | undefined)?.sealed !== undefined);
    expect(records).toHaveLength(1);
    const stored = records[0]!.response as { sealed: boolean; body: string };
    expect(stored.sealed).toBe(true);
    for (const decoded of [Buffer.from(stored.body, 'base64url').toString('latin1'), Buffer.from(stored.body, 'base64').toString('latin1')]) {
      expect(decoded).not.toContain(secret);
      expect(decoded).not.toContain('bgt_');
    }
    // The replayed token works.
    expect((await as(t.app, bearer(again.json.token))('GET', '/v1/budgets')).status).toBe(200);
  });
});

describe('an Idempotency-Key retry after the create committed but never answered', () => {
  it('replays the first 201 at once (its secret, which works), never a second token nor a new secret', async () => {
    clock.set('2026-11-24T12:00:00Z');
    const owner = await signUp(t.app, 'pat-crash');
    const headers = { 'idempotency-key': 'pat-crash-key-1' };
    const body = { name: 'Nightly', scope: 'write' };
    const first = await crash.during(() => as(t.app, owner)('POST', '/v1/me/tokens', { body, headers }));
    expect(first.status).toBeGreaterThanOrEqual(500);
    const [made] = await tokenItems(owner.id);
    expect(made).toBeDefined();
    // The key was completed with the 201 inside the create's transaction (platform keyCompletion):
    // the retry replays it at once, with no lease to wait for and no new secret written.
    const retry = await as(t.app, owner)('POST', '/v1/me/tokens', { body, headers });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('cache-control')).toBe('no-store');
    expect(retry.headers.get('location')).toBe(`/v1/me/tokens/${made!.tokenId}`);
    expect(retry.json.id).toBe(made!.tokenId);
    const after = await tokenItems(owner.id);
    expect(after).toHaveLength(1);
    expect(after[0]!.secretHash).toBe(made!.secretHash);
    expect(after[0]!.secretHash).toBe(createHash('sha256').update(secretOf(retry.json.token), 'utf8').digest('base64url'));
    expect((await as(t.app, bearer(retry.json.token))('GET', '/v1/budgets')).status).toBe(200);
    // The record keeps that answer sealed, as the middleware's own completion does.
    const everything = JSON.stringify(await tableItems(t.doc, t.tableName));
    expect(everything).not.toContain(secretOf(retry.json.token));
    // Still so once the lease would have run out.
    clock.advance(61_000);
    const later = await as(t.app, owner)('POST', '/v1/me/tokens', { body, headers });
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(later.json).toEqual(retry.json);
    clock.set('2026-11-24T12:00:00Z');
  });
});

describe('using a personal access token', () => {
  it('a write token reads a budget summary and records an expense, as its owner, at one GetItem more than a session token', async () => {
    const owner = await signUp(t.app, 'pat-use');
    const budget = await createBudget(t.app, owner, { name: 'Scripted' });
    const pat = await makeToken(owner, { name: 'Importer', scope: 'write' });
    // The first use records lastUsedAt (one UpdateItem); measure from the second.
    expect((await as(t.app, bearer(pat.token))('GET', `/v1/budgets/${budget.id}/summary`)).status).toBe(200);

    sent.length = 0;
    const bySession = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary`);
    expect(bySession.status, bySession.text).toBe(200);
    const sessionCommands = [...sent];
    sent.length = 0;
    const byToken = await as(t.app, bearer(pat.token))('GET', `/v1/budgets/${budget.id}/summary`);
    expect(byToken.status, byToken.text).toBe(200);
    expect(byToken.json).toEqual(bySession.json);
    expect(sent.sort()).toEqual([...sessionCommands, 'GetItemCommand'].sort());

    const expense = await addExpense(t.app, bearer(pat.token), budget.id, { amount: 1234, occurredOn: '2026-11-20', merchant: 'Script' });
    expect(expense.createdBy).toBe(owner.id);
    const listed = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/expenses`);
    expect(listed.json.items.map((e: { id: string }) => e.id)).toEqual([expense.id]);
  });

  it('a read token may GET but any other method is a 403 insufficient-scope, and nothing is written', async () => {
    const owner = await signUp(t.app, 'pat-read');
    const budget = await createBudget(t.app, owner, { name: 'Read only' });
    const pat = await makeToken(owner, { name: 'Dashboard', scope: 'read' });
    const reader = as(t.app, bearer(pat.token));
    expect((await reader('GET', `/v1/budgets/${budget.id}/summary`)).status).toBe(200);
    expect((await reader('GET', `/v1/budgets/${budget.id}/expenses`)).status).toBe(200);
    const refused = await reader('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-20' } });
    expectProblem(refused, 403);
    expect(refused.json.type).toBe('https://budgeting.dev/problems/insufficient-scope');
    expect(refused.json.title).toBe('Insufficient scope');
    expectProblem(await reader('PATCH', `/v1/budgets/${budget.id}`, { body: { name: 'Renamed' } }), 403);
    expectProblem(await reader('DELETE', `/v1/budgets/${budget.id}`), 403);
    expectProblem(await reader('POST', '/v1/budgets', { body: { name: 'New', limit: 100 } }), 403);
    expect((await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/expenses`)).json.items).toEqual([]);
    expect((await as(t.app, owner)('GET', '/v1/budgets')).json.items.map((b: { name: string }) => b.name)).toEqual(['Read only']);
  });

  it('is refused with 403 on every account-management operation (every documented path under /v1/me but the home overview), of either scope', async () => {
    const owner = await signUp(t.app, 'pat-me');
    const write = await makeToken(owner, { name: 'W', scope: 'write' });
    const read = await makeToken(owner, { name: 'R', scope: 'read' });
    const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../../../packages/app/src/http/openapi.generated.json', import.meta.url)), 'utf8')) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    // GET /v1/me/overview (budgets' home overview) is under /v1/me but takes a personal access
    // token, as its documented security says (tests/unit/openapi/document.test.ts pins it).
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path === '/v1/me' || path.startsWith('/v1/me/'))
      .flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([, op]) => !JSON.stringify(op.security).includes('personalAccessToken'))
          .map(([method]) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, '01JDQ7T0K3N5P7R9S1V3X5Z7B9') })),
      );
    expect(operations.length).toBeGreaterThanOrEqual(11);
    for (const { method, path } of operations) {
      for (const pat of [write, read]) {
        const res = await call(t.app, method, path, { token: pat.token, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
        expectProblem(res, 403);
        expect(res.json.type, `${method} ${path}`).toBe('https://budgeting.dev/problems/personal-token-not-allowed');
      }
    }
    // Nothing was done: the account and both tokens are still there.
    expect((await as(t.app, owner)('GET', '/v1/me')).status).toBe(200);
    expect((await as(t.app, owner)('GET', '/v1/me/tokens')).json.items).toHaveLength(2);
  });

  it('a read token is refused with 403 insufficient-scope on every documented operation but GET, of every module, and nothing is written', async () => {
    const owner = await signUp(t.app, 'pat-read-all');
    const read = await makeToken(owner, { name: 'R', scope: 'read' });
    const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../../../packages/app/src/http/openapi.generated.json', import.meta.url)), 'utf8')) as {
      paths: Record<string, Record<string, { security?: unknown; requestBody?: { content?: Record<string, unknown> } }>>;
    };
    // Every operation whose documented security takes a personal access token, but GET (HEAD is GET's).
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method, op]) => method !== 'get' && JSON.stringify(op.security).includes('personalAccessToken'))
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path: path.replace(/\{[^}]+\}/g, '01JDQ7T0K3N5P7R9S1V3X5Z7B9'),
          contentType: Object.keys(op.requestBody?.content ?? {})[0],
        })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(60);
    const before = (await tableItems(t.doc, t.tableName)).length;
    for (const { method, path, contentType } of operations) {
      const json = contentType === undefined || contentType === 'application/json';
      const res = await call(t.app, method, path, {
        token: read.token,
        ...(json ? { body: contentType ? {} : undefined } : { rawBody: '', headers: { 'content-type': contentType } }),
      });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
      expect(res.json.type, `${method} ${path}`).toBe('https://budgeting.dev/problems/insufficient-scope');
    }
    // Nothing written but what the owner's signup and token made (no idempotency record, no rate count).
    expect((await tableItems(t.doc, t.tableName)).length).toBe(before);
  });

  it('malformed, forged or unknown bgt_ tokens are a 401 (never a 500)', async () => {
    const owner = await signUp(t.app, 'pat-bad');
    const pat = await makeToken(owner);
    const secret = secretOf(pat.token);
    const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    const other = await signUp(t.app, 'pat-bad-other');
    for (const bad of [
      'bgt_',
      'bgt_x',
      `bgt_${owner.id}`,
      `bgt_${owner.id}_${pat.id}`,
      `bgt_${owner.id}_${pat.id}_`,
      `bgt_${owner.id}_${pat.id}_${secret}x`,
      `bgt_${owner.id}_${pat.id}_${flipped}`,
      `bgt_${other.id}_${pat.id}_${secret}`,
      `bgt_${owner.id}_01JDQ7T0K3N5P7R9S1V3X5Z7B9_${secret}`,
      `bgt_${owner.id.toLowerCase()}_${pat.id}_${secret}`,
      `bgt_${'Z'.repeat(26)}_${'Z'.repeat(26)}_${secret}`,
      `bgt_${'%'.repeat(5000)}`,
    ]) {
      const res = await call(t.app, 'GET', '/v1/budgets', { token: bad });
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await as(t.app, bearer(pat.token))('GET', '/v1/budgets')).status).toBe(200);
  });
});

describe('ending personal access tokens', () => {
  it('a revoked token gets 401 at once; another user cannot revoke it (404)', async () => {
    const owner = await signUp(t.app, 'pat-revoke');
    const stranger = await signUp(t.app, 'pat-stranger');
    const pat = await makeToken(owner);
    const kept = await makeToken(owner, { name: 'Kept', scope: 'read' });
    expectProblem(await as(t.app, stranger)('DELETE', `/v1/me/tokens/${pat.id}`), 404);
    expect((await as(t.app, bearer(pat.token))('GET', '/v1/budgets')).status).toBe(200);

    const revoked = await as(t.app, owner)('DELETE', `/v1/me/tokens/${pat.id}`);
    expect(revoked.status, revoked.text).toBe(204);
    const after = await as(t.app, bearer(pat.token))('GET', '/v1/budgets');
    expectProblem(after, 401);
    expect(after.json.detail).toBe('The personal access token is invalid or was revoked.');
    expectProblem(await as(t.app, owner)('DELETE', `/v1/me/tokens/${pat.id}`), 404);
    expect((await as(t.app, owner)('GET', '/v1/me/tokens')).json.items.map((i: { id: string }) => i.id)).toEqual([kept.id]);
    expect((await as(t.app, bearer(kept.token))('GET', '/v1/budgets')).status).toBe(200);
  });

  it('a password change ends every token of the account (401), also on writes, and nothing is written', async () => {
    const owner = await signUp(t.app, 'pat-password');
    const budget = await createBudget(t.app, owner, { name: 'Changed' });
    const pat = await makeToken(owner);
    const changed = await as(t.app, owner)('POST', '/v1/me/password', { body: { currentPassword: owner.password, newPassword: 'a changed passphrase' } });
    expect(changed.status, changed.text).toBe(200);
    const fresh = { token: changed.json.tokens.accessToken as string };
    expectProblem(await as(t.app, bearer(pat.token))('GET', `/v1/budgets/${budget.id}/summary`), 401);
    expectProblem(await as(t.app, bearer(pat.token))('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-20' } }), 401);
    expect((await as(t.app, fresh)('GET', `/v1/budgets/${budget.id}/expenses`)).json.items).toEqual([]);
    // A token made after the change works.
    const next = await makeToken(fresh);
    expect((await as(t.app, bearer(next.token))('GET', `/v1/budgets/${budget.id}/summary`)).status).toBe(200);
  });

  it('more than 50 sessions ended in one window move the session epoch: a token made before gets 401', async () => {
    const owner = await signUp(t.app, 'pat-many-ended');
    const budget = await createBudget(t.app, owner, { name: 'Many ended' });
    const pat = await makeToken(owner);
    const logInAndOut = async () => {
      const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
      expect(res.status, res.text).toBe(200);
      const out = await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: res.json.tokens.refreshToken } });
      expect(out.status, out.text).toBe(204);
    };
    // The clock stands still: every ending falls in one window. 50 fit in it (REVOKED_SESSIONS_PER_WINDOW)...
    for (let i = 0; i < 50; i++) await logInAndOut();
    expect((await as(t.app, bearer(pat.token))('GET', `/v1/budgets/${budget.id}/summary`)).status).toBe(200);
    const profile = async () => (await tableItems(t.doc, t.tableName)).find((i) => i.pk === `users#user#${owner.id}` && i.sk === 'users#profile')!;
    expect((await profile()).sessionEpoch ?? 0).toBe(0);

    // ...the 51st ends every session instead: the epoch moves, and the token made in the old one is refused.
    await logInAndOut();
    expect((await profile()).sessionEpoch).toBe(1);
    expectProblem(await as(t.app, bearer(pat.token))('GET', `/v1/budgets/${budget.id}/summary`), 401);
    expectProblem(await as(t.app, bearer(pat.token))('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-20' } }), 401);
    expectProblem(await as(t.app, owner)('GET', '/v1/me/tokens'), 401); // the signup session too
    // A token made in the new epoch works.
    const fresh = await login(owner);
    const next = await makeToken(fresh);
    expect((await as(t.app, bearer(next.token))('GET', `/v1/budgets/${budget.id}/summary`)).status).toBe(200);
    expect((await as(t.app, fresh)('GET', `/v1/budgets/${budget.id}/expenses`)).json.items).toEqual([]);
  }, 120_000); // 51 real logins (test scrypt cost) and logouts

  it('deleting the account ends its tokens and removes their items', async () => {
    const owner = await signUp(t.app, 'pat-delete');
    const pat = await makeToken(owner);
    expect((await as(t.app, owner)('DELETE', '/v1/me')).status).toBe(204);
    expectProblem(await as(t.app, bearer(pat.token))('GET', '/v1/budgets'), 401);
    expect((await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${owner.id}`)).toEqual([]);
  });

  it('at most 20 per account, also under 25 concurrent creates: 409 naming the limit; deleting one frees a place', async () => {
    const owner = await signUp(t.app, 'pat-cap');
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: `Token ${i}`, scope: 'read' } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(20);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(5);
    for (const r of refused) {
      expectProblem(r, 409);
      expect(r.json.type).toBe('https://budgeting.dev/problems/personal-token-limit');
      expect(r.json.detail).toContain('at most 20');
      expect(r.json.limit).toBe(20);
      expect(r.json.collection).toBe('personalTokens');
    }
    const listed = (await as(t.app, owner)('GET', '/v1/me/tokens')).json.items as { id: string }[];
    expect(listed).toHaveLength(20);
    expect(await tokenItems(owner.id)).toHaveLength(20);
    expectProblem(await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: 'One more', scope: 'read' } }), 409);
    expect((await as(t.app, owner)('DELETE', `/v1/me/tokens/${listed[0]!.id}`)).status).toBe(204);
    await makeToken(owner, { name: 'In its place', scope: 'read' });
    expectProblem(await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: 'Over again', scope: 'read' } }), 409);
  });
});

describe('time: expiry and lastUsedAt', () => {
  it('an expired token gets 401; lastUsedAt is written at most once an hour', async () => {
    clock.set('2026-11-24T12:00:00Z');
    const owner = await signUp(t.app, 'pat-time');
    const pat = await makeToken(owner, { name: 'Short', scope: 'read', expiresInDays: 2 });
    const use = () => as(t.app, bearer(pat.token))('GET', '/v1/budgets');
    const listed = async () => {
      const me = await login(owner);
      return ((await as(t.app, me)('GET', '/v1/me/tokens')).json.items as (Created & { expired: boolean })[]).find((i) => i.id === pat.id)!;
    };
    const lastUsed = async () => (await listed()).lastUsedAt;
    expect(await lastUsed()).toBeNull();

    sent.length = 0;
    expect((await use()).status).toBe(200);
    expect(sent.filter((c) => c === 'UpdateItemCommand')).toHaveLength(1);
    expect(await lastUsed()).toBe('2026-11-24T12:00:00.000Z');

    clock.advance(59 * 60 * 1000);
    sent.length = 0;
    expect((await use()).status).toBe(200);
    expect(sent.filter((c) => c === 'UpdateItemCommand')).toEqual([]);
    expect(await lastUsed()).toBe('2026-11-24T12:00:00.000Z');

    clock.advance(60 * 1000);
    expect((await use()).status).toBe(200);
    expect(await lastUsed()).toBe('2026-11-24T13:00:00.000Z');

    clock.set('2026-11-26T11:59:59Z');
    expect((await use()).status).toBe(200);
    expect((await listed()).expired).toBe(false);
    clock.set('2026-11-26T12:00:00Z');
    const expired = await use();
    expectProblem(expired, 401);
    expect(expired.json.detail).toBe('The personal access token has expired.');
    // Still listed (and counted) until deleted, and the list says it is dead from the same instant.
    expect(await listed()).toMatchObject({ lastUsedAt: '2026-11-26T11:59:59.000Z', expiresAt: '2026-11-26T12:00:00.000Z', expired: true });
    clock.set('2026-11-24T12:00:00Z');
  });

  it('a failed lastUsedAt write never fails the request', async () => {
    const owner = await signUp(t.app, 'pat-touch-fails');
    const pat = await makeToken(owner, { name: 'Flaky', scope: 'read' });
    failLastUsed = true;
    try {
      sent.length = 0;
      const res = await as(t.app, bearer(pat.token))('GET', '/v1/budgets');
      expect(res.status, res.text).toBe(200);
      expect(sent).toContain('UpdateItemCommand'); // it was tried
    } finally {
      failLastUsed = false;
    }
    expect(((await as(t.app, owner)('GET', '/v1/me/tokens')).json.items as Created[])[0]!.lastUsedAt).toBeNull();
  });
});
