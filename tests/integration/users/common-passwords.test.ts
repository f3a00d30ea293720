import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../../packages/users/src/service/passwords';
import { call } from '../../support/http';
import { heldJobs } from '../../support/held-jobs';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, PASSWORD, signup, uniqueEmail } from './helpers';

/**
 * ASVS 2.1.7 / NIST SP 800-63B 5.1.1.2: a NEW password (signup, password change, reset
 * confirmation) on the list of common passwords, or the account's email, its local part or the
 * app's name, is refused with 400 naming the field, without echoing the password. Sign-in never
 * checks it: an existing password keeps working.
 */
let t: TestSystem;
const mailDir = mkdtempSync(join(tmpdir(), 'common-passwords-mail-'));
const jobs = heldJobs('common-passwords');

beforeAll(async () => {
  t = await createTestSystem({
    modules: ['users'],
    env: { MAIL_DIR: mailDir, PASSWORD_RESET_URL: 'https://app.example.com/reset-password?token=' },
    jobs: { transport: jobs.transport },
  });
});
afterAll(async () => {
  await jobs.stop();
  await t.destroy();
  await rm(mailDir, { recursive: true, force: true });
});

/** 128 random bits as hex: on no list, nobody's email. */
const strongPassword = () => `${crypto.randomUUID()}`;

const signupWith = (email: string, password: string) => call(t.app, 'POST', '/v1/auth/signup', { body: { email, password } });
const login = (email: string, password: string) => call(t.app, 'POST', '/v1/auth/login', { body: { email, password } });
const changePassword = (token: string, currentPassword: string, newPassword: string) =>
  call(t.app, 'POST', '/v1/me/password', { token, body: { currentPassword, newPassword } });
const confirmReset = (token: string, newPassword: string) => call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword } });

const TOKEN = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/;
async function resetTokenFor(email: string): Promise<string> {
  expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email } })).status).toBe(202);
  await jobs.run();
  const files = await readdir(mailDir);
  const mails = await Promise.all(files.map((f) => readFile(join(mailDir, f), 'utf8')));
  const mine = mails.filter((m) => m.includes(`To: ${email}\r\n`)).map((m) => m.replace(/=\r\n/g, ''));
  expect(mine).toHaveLength(1);
  return TOKEN.exec(mine[0]!)![0];
}

/** A 400 naming `field` whose body does not contain the refused password. */
function expectRefused(res: Awaited<ReturnType<typeof call>>, field: string, password: string, reason: RegExp) {
  expectProblem(res, 400, [field]);
  expect(res.json.type).toMatch(/validation-error$/);
  const error = res.json.errors.find((e: { path: string }) => e.path === field);
  expect(error.message).toMatch(reason);
  expect(res.text.toLowerCase()).not.toContain(password.toLowerCase());
}

const COMMON = /common/i;
const EMAIL = /email/i;
const APP = /app/i;

describe('POST /v1/auth/signup refuses common and guessable passwords', () => {
  it('refuses a password on the list ("password123" style), in any letter case', async () => {
    expectRefused(await signupWith(uniqueEmail('common'), 'password123'), 'password', 'password123', COMMON);
    expectRefused(await signupWith(uniqueEmail('common'), 'QwertyUIOP'), 'password', 'QwertyUIOP', COMMON);
    expectRefused(await signupWith(uniqueEmail('common'), '1q2w3e4r5t'), 'password', '1q2w3e4r5t', COMMON);
    // Full-width letters are the same password after NFKC.
    expectRefused(await signupWith(uniqueEmail('common'), 'ｐａｓｓｗｏｒｄ１２３'), 'password', 'password123', COMMON);
  });

  it('refuses the email and its local part, in any letter case, and the app name', async () => {
    const email = uniqueEmail('selfnamed');
    expectRefused(await signupWith(email, email.toUpperCase()), 'password', email, EMAIL);
    expectRefused(await signupWith(email, email.split('@')[0]!), 'password', email.split('@')[0]!, EMAIL);
    expectRefused(await signupWith(email, 'Budgeting2026'), 'password', 'budgeting2026', APP);
    // Nothing was created: the email is still free.
    expect((await signupWith(email, strongPassword())).status).toBe(201);
  });

  it('accepts a strong random password', async () => {
    const email = uniqueEmail('strong');
    const password = strongPassword();
    const res = await signupWith(email, password);
    expect(res.status, res.text).toBe(201);
    expect((await login(email, password)).status).toBe(200);
  });
});

describe('POST /v1/me/password refuses a common new password', () => {
  it('refuses a list word in another case and the email, keeps the old password, then accepts a strong one', async () => {
    const account = await signup(t.app);
    expectRefused(await changePassword(account.accessToken, account.password, 'PassWord123'), 'newPassword', 'password123', COMMON);
    expectRefused(await changePassword(account.accessToken, account.password, account.email), 'newPassword', account.email, EMAIL);
    expect((await login(account.email, PASSWORD)).status).toBe(200);
    const fresh = strongPassword();
    expect((await changePassword(account.accessToken, account.password, fresh)).status).toBe(200);
    expect((await login(account.email, fresh)).status).toBe(200);
  });
});

describe('POST /v1/auth/password-reset/confirm refuses a common new password', () => {
  it('refuses it without spending the code, which then sets a strong one', async () => {
    const account = await signup(t.app);
    const token = await resetTokenFor(account.email);
    expectRefused(await confirmReset(token, 'Password1234'), 'newPassword', 'password1234', COMMON);
    expectRefused(await confirmReset(token, account.email.split('@')[0]!), 'newPassword', account.email.split('@')[0]!, EMAIL);
    expect((await login(account.email, account.password)).status).toBe(200);
    const fresh = strongPassword();
    const done = await confirmReset(token, fresh);
    expect(done.status, done.text).toBe(200);
    expect((await login(account.email, fresh)).status).toBe(200);
  });
});

describe('the order of the checks (review 52): a refused password costs nothing and tells nothing', () => {
  it('a password change with a wrong current password and a common new one: 400, counted as no failed sign-in', async () => {
    const account = await signup(t.app);
    // More than the sign-in throttle's failures for one email (5): none of them is counted.
    for (let i = 0; i < 6; i++) expectRefused(await changePassword(account.accessToken, 'not the password!', 'password123'), 'newPassword', 'password123', COMMON);
    expect((await login(account.email, account.password)).status).toBe(200);
  });

  it('a reset confirmation with a wrong or spent code answers 422 naming token whatever the new password', async () => {
    const account = await signup(t.app);
    const token = await resetTokenFor(account.email);
    // One character changed in the middle: the last one of a base64url token may carry padding bits a
    // decoder ignores ('A' and 'B' can decode alike), so flipping it forged nothing now and then (a CI run).
    const middle = token.length >> 1;
    const forged = `${token.slice(0, middle)}${token[middle] === 'A' ? 'B' : 'A'}${token.slice(middle + 1)}`;
    for (const password of ['password123', strongPassword()]) expectProblemOnly(await confirmReset(forged, password), 422, 'token');
    const fresh = strongPassword();
    expect((await confirmReset(token, fresh)).status).toBe(200);
    // Spent: the common password is not examined, so its answer cannot tell it from a good one.
    for (const password of ['password123', strongPassword()]) expectProblemOnly(await confirmReset(token, password), 422, 'token');
  });
});

function expectProblemOnly(res: Awaited<ReturnType<typeof call>>, status: number, field: string) {
  expectProblem(res, status, [field]);
  expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual([field]);
}

describe('sign-in never checks the list (NIST: existing passwords keep working)', () => {
  it('signs in an account whose stored password is now on the list', async () => {
    // The account's password predates the check: its stored hash is swapped for one of a listed
    // password, as an older signup stored it.
    const email = uniqueEmail('legacy');
    const account = await signup(t.app, { email });
    const hash = await new PasswordHasher({ logN: 4, r: 8, p: 1 }).hash('password123');
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: { pk: `users#user#${account.user.id}`, sk: 'users#profile' },
        UpdateExpression: 'SET passwordHash = :h',
        ExpressionAttributeValues: { ':h': hash },
      }),
    );
    expect((await login(email, 'password123')).status).toBe(200);
  });
});
