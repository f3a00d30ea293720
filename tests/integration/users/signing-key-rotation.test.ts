import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor, type CreatedBudget } from '../../support/actors';
import { call } from '../../support/http';
import { createTestSystem, TEST_SIGNING_KEY, type TestSystem } from '../../support/test-system';
import { expectProblem } from './helpers';

/**
 * Rotating the token signing key (root README, "Rotating the token signing key"), on DynamoDB
 * Local: three systems on ONE table, as three deployments of the same stage would be:
 * - `before`: the old key K1 only (what ran until the rotation);
 * - `rotated`: the new key K2, with K1 as TOKEN_SIGNING_KEY_PREVIOUS (the rotation's deploy);
 * - `after`: K2 only (the previous key removed, once everything K1 made has expired).
 * What K1 made just before the rotation (an access token, a pagination cursor, a mailed
 * password-reset code) keeps working on `rotated`; what `rotated` makes is made with K2 only.
 */
const K2 = 'the-new-signing-key-after-rotation-0123456789abcdef';
const mailDir = mkdtempSync(join(tmpdir(), 'rotation-mail-'));
let before: TestSystem;
let rotated: TestSystem;
let after: TestSystem;
let owner: Actor;
let budget: CreatedBudget;

beforeAll(async () => {
  before = await createTestSystem({ modules: ['users', 'budgets', 'expenses'], env: { MAIL_DIR: mailDir } });
  const sameTable = { TABLE_NAME: before.tableName, MAIL_DIR: mailDir };
  rotated = await createTestSystem({ env: { ...sameTable, TOKEN_SIGNING_KEY: K2, TOKEN_SIGNING_KEY_PREVIOUS: TEST_SIGNING_KEY } });
  after = await createTestSystem({ env: { ...sameTable, TOKEN_SIGNING_KEY: K2 } });
  owner = await signUp(before.app, 'rotation');
  budget = await createBudget(before.app, owner);
  for (const day of ['2026-11-20', '2026-11-21', '2026-11-22']) await addExpense(before.app, owner, budget.id, { amount: 100, occurredOn: day });
});
afterAll(async () => {
  await Promise.all([before, rotated, after].map((s) => s?.destroy()));
  await rm(mailDir, { recursive: true, force: true });
});

/** The reset code of the one mail to `email` (the mail job runs inline: no queue configured). */
async function resetCode(system: TestSystem, email: string): Promise<string> {
  expect((await call(system.app, 'POST', '/v1/auth/password-reset', { body: { email } })).status).toBe(202);
  const mails = await Promise.all((await readdir(mailDir)).map((f) => readFile(join(mailDir, f), 'utf8')));
  const mine = mails.filter((m) => m.includes(`To: ${email}\r\n`)).map((m) => m.replace(/=\r\n/g, ''));
  const codes = mine.map((m) => /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/.exec(m)![0]);
  return codes.at(-1)!;
}

const firstPage = async (system: TestSystem, who: Pick<Actor, 'token'>) => {
  const res = await as(system.app, who)('GET', `/v1/budgets/${budget.id}/expenses?limit=1`);
  expect(res.status, res.text).toBe(200);
  return res.json as { items: { id: string }[]; nextCursor: string | null };
};

describe('rotating the token signing key', () => {
  it('keeps access tokens signed with the previous key working, and signs new ones with the new key only', async () => {
    expect((await as(rotated.app, owner)('GET', '/v1/me')).status).toBe(200);
    expectProblem(await as(after.app, owner)('GET', '/v1/me'), 401);

    const login = await call(rotated.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
    expect(login.status, login.text).toBe(200);
    const fresh = { token: login.json.tokens.accessToken as string };
    expect((await as(after.app, fresh)('GET', '/v1/me')).status).toBe(200);
    expectProblem(await as(before.app, fresh)('GET', '/v1/me'), 401);
  });

  it('lets a client page on with a cursor sealed under the previous key', async () => {
    const page1 = await firstPage(before, owner);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const next = await as(rotated.app, owner)('GET', `/v1/budgets/${budget.id}/expenses?limit=1&cursor=${page1.nextCursor}`);
    expect(next.status, next.text).toBe(200);
    expect(next.json.items).toHaveLength(1);
    expect(next.json.items[0].id).not.toBe(page1.items[0]!.id);
    // Without the previous key the same cursor is refused, naming it (asked with a token of the new key).
    const login = await call(after.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
    const fresh = { token: login.json.tokens.accessToken as string };
    expectProblem(await as(after.app, fresh)('GET', `/v1/budgets/${budget.id}/expenses?limit=1&cursor=${page1.nextCursor}`), 400, ['query.cursor']);
  });

  it('accepts a password-reset code mailed under the previous key', async () => {
    const account = await signUp(before.app, 'rotation-reset');
    const refused = await resetCode(before, account.email);
    expectProblem(await call(after.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: refused, newPassword: 'a brand new passphrase' } }), 422, ['token']);
    const code = await resetCode(before, account.email);
    const confirmed = await call(rotated.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: code, newPassword: 'a brand new passphrase' } });
    expect(confirmed.status, confirmed.text).toBe(200);
  });

  it('refuses a previous key shorter than a real key, naming the variable', async () => {
    await expect(createTestSystem({ env: { TOKEN_SIGNING_KEY_PREVIOUS: 'too-short' } })).rejects.toThrow(/TOKEN_SIGNING_KEY_PREVIOUS/);
  });
});
