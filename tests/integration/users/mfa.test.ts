import { createHash } from 'node:crypto';
import { createLogger, fixedClock, OperatorInputError, type EmailMessage } from '@budgeting/platform';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../../support/actors';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { withCommandMiddleware } from '../../support/command-middleware';
import { busEvent, deliver, theEvent } from '../../support/events';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import { call, fromAddress } from '../../support/http';
import { TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TotpSecretSealer } from '../../../packages/users/src/domain/totp-secret-sealer';
import { MFA_MAX_FAILURES } from '../../../packages/users/src/service/mfa-sign-in.service';
import { captureLogLines } from '../../support/log-lines';
import { createTestSystem, TEST_MFA_SECRETS_KEY, TEST_WEBHOOK_SECRETS_KEY, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, throttleKeysOf, type Account } from './helpers';

/**
 * TOTP two-factor sign-in over HTTP on DynamoDB Local: enrolment and confirmation, login's
 * `mfa-required` and POST /v1/auth/login/mfa, the limits (5 wrong codes per mfaToken, the
 * sign-in throttle, one use per code), recovery codes, turning it off, the password reset's
 * confirmation, and what the table holds. Codes are made here with the otpauth library from
 * the secret the enrolment answers, at the test system's fixed clock.
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:10Z');
const mails: EmailMessage[] = [];
/** The security notices (turning two-factor on: docs/security-notices.md) are not what these tests look for. */
const SECURITY_NOTICE = 'security-';
/** While set, every mail fails to send (SES unavailable). */
let mailOutage = false;
/** While set, every DynamoDB command's name and input (the client caches its middleware: added once, here). */
let recording: string[] | undefined;

/** Records `doc`'s commands into `recording` while it is set. */
const recordCommands = (doc: TestSystem['doc']) =>
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      recording?.push(`${String(context.commandName)} ${JSON.stringify(args.input)}`);
      return next(args);
    },
    { step: 'initialize', name: 'mfaTestLog' },
  );

beforeAll(async () => {
  const send = async (m: EmailMessage) => {
    if (mailOutage) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
    mails.push(m);
  };
  t = await createTestSystem({ clock, modules: ['users'], mail: { send } });
  recordCommands(t.doc);
});
afterAll(async () => {
  await t.destroy();
});

/** The code the app would show now (or `offsetSteps` steps away). */
const codeFor = (secret: string, offsetSteps = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() + offsetSteps * 30_000 });
/** Six digits that are none of the codes the secret's window accepts now. */
const notTheCode = (secret: string) => {
  const accepted = new Set([-1, 0, 1].map((step) => codeFor(secret, step)));
  return ['111111', '222222', '333333', '444444'].find((c) => !accepted.has(c))!;
};
/** Moves to the next 30-second step, so the app shows a new code. */
const nextStep = () => clock.advance(30_000);

/** `app`: another deploy of this file's table (default: the file's own system). */
const login = (a: Pick<Account, 'email' | 'password'>, sourceIp?: string, app = t.app) =>
  call(app, 'POST', '/v1/auth/login', { body: { email: a.email, password: a.password }, ...(sourceIp ? { env: fromAddress(sourceIp) } : {}) });
const loginMfa = (mfaToken: string, code: string, sourceIp?: string, app = t.app) =>
  call(app, 'POST', '/v1/auth/login/mfa', { body: { mfaToken, code }, ...(sourceIp ? { env: fromAddress(sourceIp) } : {}) });
const me = (a: Pick<Account, 'accessToken'>) => as(t.app, { token: a.accessToken });

/** A signed-up account (or `account`) with two-factor on: its secret and recovery codes. */
async function withMfa(existing?: Account): Promise<Account & { secret: string; recoveryCodes: string[] }> {
  const account = existing ?? (await signup(t.app));
  const enrol = await me(account)('POST', '/v1/me/mfa/totp', { body: { password: account.password } });
  expect(enrol.status, enrol.text).toBe(201);
  const confirm = await me(account)('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(enrol.json.secret) } });
  expect(confirm.status, confirm.text).toBe(200);
  nextStep();
  return { ...account, secret: enrol.json.secret, recoveryCodes: confirm.json.recoveryCodes };
}

/** Login with the right password: the mfaToken of its 401 `mfa-required`. */
async function mfaTokenOf(a: Pick<Account, 'email' | 'password'>, sourceIp?: string, app = t.app): Promise<string> {
  const res = await login(a, sourceIp, app);
  expectProblem(res, 401);
  expect(res.json.type).toBe('https://budgeting.dev/problems/mfa-required');
  expect(res.json.tokens).toBeUndefined();
  expect(res.json.mfaToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // The mfaToken stands for the password just checked: no cache keeps it, as none keeps tokens.
  expect(res.headers.get('cache-control')).toBe('no-store');
  return res.json.mfaToken;
}

/**
 * Runs `work` (a login/mfa with `mfaToken`) with its write that ends the challenge (DeleteItem or
 * TransactWriteItems naming it) held until `meanwhile` has completed: the answers of both.
 */
async function holdingChallengeEnd<T>(mfaToken: string, meanwhile: () => Promise<T>, work: () => Promise<T>): Promise<{ first: T; meanwhile: T }> {
  const challengePk = `users#mfa-challenge#${createHash('sha256').update(mfaToken, 'utf8').digest('base64url')}`;
  let other: T | undefined;
  let held = false;
  return withCommandMiddleware(
    t.doc,
    'holdFirstChallengeEnd',
    (next, context) => async (args) => {
      const ends = context.commandName === 'DeleteItemCommand' || context.commandName === 'TransactWriteItemsCommand';
      if (!held && ends && JSON.stringify(args.input).includes(challengePk)) {
        held = true;
        other = await meanwhile();
      }
      return next(args);
    },
    async () => {
      const first = await work();
      expect(held).toBe(true);
      return { first, meanwhile: other as T };
    },
  );
}

describe('two-factor sign-in (TOTP)', () => {
  it('enrols (pending, shown once), confirms with a code (10 recovery codes) and shows the state', async () => {
    const account = await signup(t.app);
    expect((await me(account)('GET', '/v1/me/mfa')).json).toEqual({ totp: 'off', recoveryCodesLeft: 0 });

    const first = await me(account)('POST', '/v1/me/mfa/totp', { body: { password: account.password } });
    expect(first.status).toBe(201);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.json).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUri: expect.any(String), status: 'pending' });
    const uri = new URL(first.json.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Budgeting:${account.email}`);
    expect(uri.searchParams.get('issuer')).toBe('Budgeting');
    expect(uri.searchParams.get('secret')).toBe(first.json.secret);
    expect((await me(account)('GET', '/v1/me/mfa')).json).toEqual({ totp: 'pending', recoveryCodesLeft: 0 });
    // Pending: sign-in does not ask for a code yet.
    expect((await login(account)).status).toBe(200);

    // A new enrolment replaces the pending one: the first secret's code no longer confirms.
    const second = await me(account)('POST', '/v1/me/mfa/totp', { body: { password: account.password } });
    expect(second.json.secret).not.toBe(first.json.secret);
    expectProblem(await me(account)('POST', '/v1/me/mfa/totp/confirm', { body: { code: '000000' } }), 422, ['code']);
    const wrong = await me(account)('POST', '/v1/me/mfa/totp', { body: { password: 'not the password' } });
    expectProblem(wrong, 422, ['password']);

    const confirmed = await me(account)('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(second.json.secret) } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    expect(confirmed.json.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.json.recoveryCodes).size).toBe(10);
    expect((await me(account)('GET', '/v1/me/mfa')).json).toEqual({ totp: 'on', enabledAt: clock.now().toISOString(), recoveryCodesLeft: 10 });
    // On: no second enrolment, and nothing left to confirm.
    expectProblem(await me(account)('POST', '/v1/me/mfa/totp', { body: { password: account.password } }), 409);
    expectProblem(await me(account)('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(second.json.secret) } }), 409);
    // Turning it on left this session (and the others) signed in.
    expect((await me(account)('GET', '/v1/me')).status).toBe(200);
  });

  it('login answers mfa-required, login/mfa with a code answers tokens; a wrong code is refused; a replayed code too', async () => {
    const account = await withMfa();
    const mfaToken = await mfaTokenOf(account);

    const wrong = await loginMfa(mfaToken, codeFor(account.secret) === '123456' ? '654321' : '123456');
    expectProblem(wrong, 401, ['code']);
    expect(wrong.json).toMatchObject({ type: 'https://budgeting.dev/problems/invalid-mfa-code', attemptsLeft: 4 });

    const code = codeFor(account.secret);
    const ok = await loginMfa(mfaToken, code);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(ok.json.user).toMatchObject({ id: account.user.id, email: account.email });
    expect(ok.json.user.mfaOn).toBeUndefined();
    expect((await me({ accessToken: ok.json.tokens.accessToken })('GET', '/v1/me')).status).toBe(200);
    // The session refreshes without a code.
    expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: ok.json.tokens.refreshToken } })).status).toBe(200);

    // The mfaToken worked once; the same code on a new sign-in is a replay.
    expectProblem(await loginMfa(mfaToken, code), 401, ['mfaToken']);
    const again = await mfaTokenOf(account);
    const replay = await loginMfa(again, code);
    expectProblem(replay, 401, ['code']);
    // So is the previous step's code (the one accepted was later); the next step's works.
    expectProblem(await loginMfa(again, codeFor(account.secret, -1)), 401, ['code']);
    nextStep();
    expect((await loginMfa(again, codeFor(account.secret))).status).toBe(200);
  });

  it('a code typed in other digits signs in: full-width (a Japanese or Chinese IME) and Persian; a full-width recovery code too', async () => {
    const account = await withMfa();
    // U+FF10.. full-width digits, U+06F0.. Extended Arabic-Indic (a Persian keyboard's).
    const inDigits = (code: string, zero: number) => code.replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));
    const fullWidth = await loginMfa(await mfaTokenOf(account), inDigits(codeFor(account.secret), 0xff10));
    expect(fullWidth.status, fullWidth.text).toBe(200);
    nextStep();
    const persian = await loginMfa(await mfaTokenOf(account), inDigits(codeFor(account.secret), 0x06f0));
    expect(persian.status, persian.text).toBe(200);
    // A recovery code from a full-width IME: its letters, digits and dash (U+FF01..U+FF5E are ASCII + 0xFEE0).
    const wide = account.recoveryCodes[0]!.replace(/[!-~]/g, (ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0));
    const recovery = await loginMfa(await mfaTokenOf(account), wide);
    expect(recovery.status, recovery.text).toBe(200);
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(9);
    // Copied from a screen that showed it with a non-breaking hyphen (U+2011), so it never wraps.
    const copied = await loginMfa(await mfaTokenOf(account), account.recoveryCodes[1]!.replace('-', '\u2011'));
    expect(copied.status, copied.text).toBe(200);
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(8);
  });

  it('5 wrong codes void the mfaToken; wrong codes also count toward the sign-in throttle', async () => {
    const account = await withMfa();
    const bad = codeFor(account.secret) === '111111' ? '222222' : '111111';
    // Each wrong code from its own address: the per-client throttle stays clear, the token's limit is met.
    const mfaToken = await mfaTokenOf(account, '198.51.100.1');
    for (let i = 1; i <= 5; i++) {
      const res = await loginMfa(mfaToken, bad, `198.51.100.${10 + i}`);
      expectProblem(res, 401, ['code']);
      expect(res.json.attemptsLeft).toBe(5 - i);
    }
    const voided = await loginMfa(mfaToken, codeFor(account.secret), '198.51.100.30');
    expectProblem(voided, 401, ['mfaToken']);
    expect(voided.json.type).toBe('https://budgeting.dev/problems/invalid-mfa-token');

    // From one address: the password step counts as an attempt until a code completes it, and
    // each wrong code is a failed attempt: login + 4 wrong codes, then the throttle's 429.
    const fresh = await mfaTokenOf(account, '203.0.113.7');
    for (let i = 0; i < 4; i++) expectProblem(await loginMfa(fresh, bad, '203.0.113.7'), 401, ['code']);
    const limited = await loginMfa(fresh, codeFor(account.secret), '203.0.113.7');
    expectProblem(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a code whose count on the challenge committed but whose answer was lost (the SDK sent the ADD again) is counted once: the fifth, right, code signs in', async () => {
    const account = await withMfa();
    const bad = codeFor(account.secret) === '111111' ? '222222' : '111111';
    const mfaToken = await mfaTokenOf(account, '198.51.100.40');
    const challengePk = `users#mfa-challenge#${createHash('sha256').update(mfaToken, 'utf8').digest('base64url')}`;
    const count = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes(challengePk) && input.includes('ADD failures');
    const { result: first, resent } = await withFirstAnswerLost(t.doc, count, () => loginMfa(mfaToken, bad, '198.51.100.41'));
    expect(resent).toBe(true);
    expectProblem(first, 401, ['code']);
    expect(first.json.attemptsLeft).toBe(4);
    for (let i = 2; i <= 4; i++) expect((await loginMfa(mfaToken, bad, `198.51.100.${40 + i}`)).json.attemptsLeft).toBe(5 - i);
    const { result: right, resent: resentRight } = await withFirstAnswerLost(t.doc, count, () => loginMfa(mfaToken, codeFor(account.secret), '198.51.100.45'));
    expect(resentRight).toBe(true);
    expect(right.status, right.text).toBe(200);
  });

  it('at most 5 codes of one mfaToken are ever checked, also when they arrive at once', async () => {
    const account = await withMfa();
    const mfaToken = await mfaTokenOf(account, '198.51.100.40');
    // Ten requests at once, each from its own address (the per-client throttle stays clear),
    // each with another valid recovery code: a checked recovery code is spent, so the codes
    // left tell how many were checked. The token takes 5; the rest must not be looked at.
    const answers = await Promise.all(account.recoveryCodes.map((code, i) => loginMfa(mfaToken, code, `198.51.100.${50 + i}`)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    // At most 5 were checked, and only the one that signed in was spent (a code is spent in the
    // transaction that ends the challenge, so a sign-in that lost the race keeps its code).
    expect(MFA_MAX_FAILURES).toBe(5);
    const status = await me(account)('GET', '/v1/me/mfa');
    expect(status.json.recoveryCodesLeft).toBe(account.recoveryCodes.length - 1);
  });

  it('confirming an enrolment counts wrong codes as failed sign-in attempts: the 6th from one client is a 429', async () => {
    const account = await signup(t.app);
    const enrol = await me(account)('POST', '/v1/me/mfa/totp', { body: { password: account.password } });
    expect(enrol.status, enrol.text).toBe(201);
    const ip = '192.0.2.77';
    for (let i = 0; i < 5; i++) {
      expectProblem(await me(account)('POST', '/v1/me/mfa/totp/confirm', { body: { code: notTheCode(enrol.json.secret) }, env: fromAddress(ip) }), 422, ['code']);
    }
    // Without a limit a stolen access token could guess the pending secret's code (1 in ~333,000
    // per guess) for as long as the enrolment waits, and would be shown the recovery codes.
    const limited = await me(account)('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(enrol.json.secret) }, env: fromAddress(ip) });
    expectProblem(limited, 429);
    expect((await me(account)('GET', '/v1/me/mfa')).json.totp).toBe('pending');
    // Another client confirms with a right code, and that success clears nothing it should not.
    const confirmed = await me(account)('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(enrol.json.secret) }, env: fromAddress('192.0.2.78') });
    expect(confirmed.status, confirmed.text).toBe(200);
  });

  it('one code sent with two sign-ins at once completes one of them: a recovery code, and a TOTP code', async () => {
    const account = await withMfa();
    const recovery = account.recoveryCodes[0]!;
    const [a, b] = [await mfaTokenOf(account, '198.51.100.81'), await mfaTokenOf(account, '198.51.100.82')];
    const byRecovery = await Promise.all([loginMfa(a, recovery, '198.51.100.81'), loginMfa(b, recovery, '198.51.100.82')]);
    expect(byRecovery.map((r) => r.status).sort()).toEqual([200, 401]);
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(account.recoveryCodes.length - 1);

    nextStep();
    const [c, d] = [await mfaTokenOf(account, '198.51.100.83'), await mfaTokenOf(account, '198.51.100.84')];
    const code = codeFor(account.secret);
    const byTotp = await Promise.all([loginMfa(c, code, '198.51.100.83'), loginMfa(d, code, '198.51.100.84')]);
    expect(byTotp.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('two different right recovery codes sent at once with one mfaToken: one signs in, and only its code is spent', async () => {
    const account = await withMfa();
    const [first, second] = account.recoveryCodes as [string, string];
    const mfaToken = await mfaTokenOf(account, '198.51.100.90');
    // The first request's write that ends the challenge (after its code was checked) is held
    // until the second request, with the other code, has completed: both checked a right code.
    const { first: firstAnswer, meanwhile: second200 } = await holdingChallengeEnd(
      mfaToken,
      () => loginMfa(mfaToken, second, '198.51.100.92'),
      () => loginMfa(mfaToken, first, '198.51.100.91'),
    );
    expect(second200?.status, second200?.text).toBe(200);
    expectProblem(firstAnswer, 401, ['mfaToken']);
    // The sign-in that lost spent nothing: one code fewer, and the first still works.
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(account.recoveryCodes.length - 1);
    expect((await loginMfa(await mfaTokenOf(account, '198.51.100.93'), first, '198.51.100.93')).status).toBe(200);
    expectProblem(await loginMfa(await mfaTokenOf(account, '198.51.100.94'), second, '198.51.100.94'), 401, ['code']);
  });

  it('two right TOTP codes (the previous step\'s and the current one\'s) sent at once with one mfaToken: only the completing one is spent (review 53)', async () => {
    const account = await withMfa();
    nextStep(); // the previous step is now later than the one the enrolment spent
    const [previous, current] = [codeFor(account.secret, -1), codeFor(account.secret)];
    expect(previous).not.toBe(current);
    const mfaToken = await mfaTokenOf(account, '198.51.100.97');
    const { first, meanwhile } = await holdingChallengeEnd(
      mfaToken,
      () => loginMfa(mfaToken, previous, '198.51.100.98'),
      () => loginMfa(mfaToken, current, '198.51.100.97'),
    );
    expect(meanwhile.status, meanwhile.text).toBe(200);
    expectProblem(first, 401, ['mfaToken']);
    // The current step was not spent by the request that lost: it still signs in (spent apart, it was, and this was a 401).
    expect((await loginMfa(await mfaTokenOf(account, '198.51.100.99'), current, '198.51.100.99')).status).toBe(200);
  });

  it('a code arriving while another request\'s transaction ends the challenge is no 500: DynamoDB refuses its count (TransactionConflictException), it waits and finds the token used (review 53)', async () => {
    const account = await withMfa();
    const [first, second] = account.recoveryCodes as [string, string];
    const ip = '198.51.100.95';
    const mfaToken = await mfaTokenOf(account, ip);
    const challengePk = `users#mfa-challenge#${createHash('sha256').update(mfaToken, 'utf8').digest('base64url')}`;
    // What DynamoDB Local does not show: a plain write to an item an ongoing TransactWriteItems
    // includes is refused with TransactionConflictException (not retried by the SDK). The first
    // request's transaction (code + challenge) is held until the second request's count on the
    // challenge was refused so; while it is in flight every such count is refused.
    let inFlight = false;
    let refused = 0;
    let countRefused!: () => void;
    const countWasRefused = new Promise<void>((resolve) => (countRefused = resolve));
    await withCommandMiddleware(
      t.doc,
      'challengeInTransaction',
      (next, context) => async (args) => {
        const onChallenge = JSON.stringify(args.input).includes(challengePk);
        if (onChallenge && context.commandName === 'TransactWriteItemsCommand') {
          inFlight = true;
          await countWasRefused;
          try {
            return await next(args);
          } finally {
            inFlight = false;
          }
        }
        if (onChallenge && context.commandName === 'UpdateItemCommand' && inFlight) {
          refused++;
          countRefused();
          throw new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} });
        }
        return next(args);
      },
      async () => {
        const winner = loginMfa(mfaToken, first, ip);
        // The second starts once the first's transaction is in flight.
        while (!inFlight) await new Promise((r) => setTimeout(r, 5));
        const loser = await loginMfa(mfaToken, second, '198.51.100.96');
        expect((await winner).status).toBe(200);
        expect(refused).toBeGreaterThan(0);
        expectProblem(loser, 401, ['mfaToken']);
        expect(loser.json.type).toBe('https://budgeting.dev/problems/invalid-mfa-token');
      },
    );
    // Its code was never checked: not spent.
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(account.recoveryCodes.length - 1);
  });

  it('a recovery code signs in once; new recovery codes void the old ones', async () => {
    const account = await withMfa();
    const [first, second] = account.recoveryCodes as [string, string];
    const ok = await loginMfa(await mfaTokenOf(account), first.toUpperCase());
    expect(ok.status, ok.text).toBe(200);
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(9);
    expectProblem(await loginMfa(await mfaTokenOf(account), first), 401, ['code']);

    // Regenerating needs the password and a code; the old codes stop working at once.
    expectProblem(await me(account)('POST', '/v1/me/mfa/recovery-codes', { body: { password: account.password, code: first } }), 422, ['code']);
    expectProblem(await me(account)('POST', '/v1/me/mfa/recovery-codes', { body: { password: 'wrong password', code: codeFor(account.secret) } }), 422, ['password']);
    const fresh = await me(account)('POST', '/v1/me/mfa/recovery-codes', { body: { password: account.password, code: codeFor(account.secret) } });
    expect(fresh.status, fresh.text).toBe(200);
    expect(fresh.json.recoveryCodes).toHaveLength(10);
    expect(fresh.json.recoveryCodes).not.toContain(second);
    expectProblem(await loginMfa(await mfaTokenOf(account), second), 401, ['code']);
    expect((await loginMfa(await mfaTokenOf(account), fresh.json.recoveryCodes[0])).status).toBe(200);
  });

  it('a right code whose spend committed but whose answer was lost (the SDK sent the UpdateItem again and met it) is spent once and accepted, not a 422 incorrect code: a recovery code, and a TOTP code', async () => {
    const account = await withMfa();
    const spendOf = (expression: string) => (name: string, input: string) => name === 'UpdateItemCommand' && input.includes(`users#user#${account.user.id}`) && input.includes(expression);
    const recovery = account.recoveryCodes[5]!;
    const { result: renewed, resent } = await withFirstAnswerLost(t.doc, spendOf('DELETE recoveryHashes'), () =>
      me(account)('POST', '/v1/me/mfa/recovery-codes', { body: { password: account.password, code: recovery } }),
    );
    expect(resent).toBe(true);
    expect(renewed.status, renewed.text).toBe(200);
    expect(renewed.json.recoveryCodes).toHaveLength(10);

    const { result: off, resent: resentStep } = await withFirstAnswerLost(t.doc, spendOf('lastStep = :step'), () =>
      me(account)('DELETE', '/v1/me/mfa/totp', { body: { password: account.password, code: codeFor(account.secret) } }),
    );
    expect(resentStep).toBe(true);
    expect(off.status, off.text).toBe(204);
    expect((await me(account)('GET', '/v1/me/mfa')).json).toEqual({ totp: 'off', recoveryCodesLeft: 0 });
  });

  it('turns off with the password and a code: login answers tokens again, the item and flag are gone', async () => {
    const account = await withMfa();
    expectProblem(await me(account)('DELETE', '/v1/me/mfa/totp', { body: { password: account.password, code: '000000' === codeFor(account.secret) ? '999999' : '000000' } }), 422, ['code']);
    const off = await me(account)('DELETE', '/v1/me/mfa/totp', { body: { password: account.password, code: account.recoveryCodes[3] } });
    expect(off.status, off.text).toBe(204);
    expect((await me(account)('GET', '/v1/me/mfa')).json).toEqual({ totp: 'off', recoveryCodesLeft: 0 });
    expect((await login(account)).status).toBe(200);
    const items = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}`);
    expect(items.find((i) => i.sk === 'users#mfa')).toBeUndefined();
    expect(items.find((i) => i.sk === 'users#profile')!.mfaOn).toBeUndefined();
    expectProblem(await me(account)('DELETE', '/v1/me/mfa/totp', { body: { password: account.password, code: '123456' } }), 409);
  });

  it('a password reset sets the new password but does not sign in without a code', async () => {
    const account = await withMfa();
    expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: account.email } })).status).toBe(202);
    const mail = mails.filter((m) => m.to === account.email).at(-1)!;
    const token = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    const newPassword = 'a brand new passphrase';
    const res = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword } });
    expectProblem(res, 401);
    expect(res.json.type).toBe('https://budgeting.dev/problems/mfa-required');
    expect(res.json.tokens).toBeUndefined();
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The password changed (and every session ended), and the code finishes the sign-in.
    expectProblem(await me(account)('GET', '/v1/me'), 401);
    expectProblem(await login(account), 401);
    const signedIn = await loginMfa(res.json.mfaToken, codeFor(account.secret));
    expect(signedIn.status, signedIn.text).toBe(200);
    expect((await mfaTokenOf({ email: account.email, password: newPassword })).length).toBe(43);
  });

  it('refuses personal access tokens on every /v1/me/mfa route', async () => {
    const account = await signup(t.app);
    const created = await me(account)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'write' } });
    expect(created.status, created.text).toBe(201);
    const bearer = as(t.app, { token: created.json.token });
    const body = { password: account.password, code: '123456' };
    for (const [method, path, b] of [
      ['GET', '/v1/me/mfa', undefined],
      ['POST', '/v1/me/mfa/totp', { password: account.password }],
      ['POST', '/v1/me/mfa/totp/confirm', { code: '123456' }],
      ['DELETE', '/v1/me/mfa/totp', body],
      ['POST', '/v1/me/mfa/recovery-codes', body],
    ] as const) {
      const res = await bearer(method, path, b ? { body: b } : {});
      expectProblem(res, 403);
      expect(res.json.type, `${method} ${path}`).toBe('https://budgeting.dev/problems/personal-token-not-allowed');
    }
    expect((await me(account)('GET', '/v1/me/mfa')).json.totp).toBe('off');
  });

  it('an account without two-factor signs in as before, with no read of the MFA item', async () => {
    const account = await signup(t.app);
    recording = [];
    const res = await login(account);
    const sent = recording;
    recording = undefined;
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ user: { id: account.user.id }, tokens: { accessToken: expect.any(String), refreshToken: expect.any(String) } });
    // The profile login reads carries the flag: nothing of two-factor is read or written.
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((c) => c.includes('users#mfa'))).toEqual([]);
    expect(sent.filter((c) => c.includes('users#profile') && /^(Get|BatchGet)/.test(c))).toHaveLength(1);
  });

  it('keeps an enrolment sealed before MFA had its own key (v1, WEBHOOK_SECRETS_KEY) working, and the first accepted code reseals it', async () => {
    const account = await withMfa();
    const key = { pk: `users#user#${account.user.id}`, sk: 'users#mfa' };
    // What the earlier code stored: the same label's key derived from WEBHOOK_SECRETS_KEY, tagged v1.
    const legacy = new TotpSecretSealer(TEST_WEBHOOK_SECRETS_KEY).seal(account.secret, account.user.id).replace(/^v2\./, 'v1.');
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: key, UpdateExpression: 'SET sealedSecret = :s', ExpressionAttributeValues: { ':s': legacy } }));
    const sealedNow = async () => (await scanTable(t.doc, t.tableName)).find((i) => i.pk === key.pk && i.sk === key.sk)!.sealedSecret as string;

    // A wrong code changes nothing.
    const mfaToken = await mfaTokenOf(account);
    expectProblem(await loginMfa(mfaToken, codeFor(account.secret) === '123456' ? '654321' : '123456'), 401, ['code']);
    expect(await sealedNow()).toBe(legacy);
    // The right one signs in, and the same write reseals the secret under MFA_SECRETS_KEY.
    recording = [];
    const ok = await loginMfa(mfaToken, codeFor(account.secret));
    const mfaWrites = recording.filter((c) => !c.startsWith('GetItemCommand') && c.includes('"sk":"users#mfa"'));
    recording = undefined;
    expect(ok.status, ok.text).toBe(200);
    // The one write that spends the step (with the challenge's end, in its transaction) swaps the seal.
    expect(mfaWrites, mfaWrites.join('\n')).toEqual([expect.stringMatching(/^TransactWriteItemsCommand .*users#mfa-challenge.*sealedSecret = :to/)]);
    const resealed = await sealedNow();
    expect(resealed).toMatch(/^v2\./);
    expect(new TotpSecretSealer(TEST_MFA_SECRETS_KEY).open(resealed, account.user.id)).toBe(account.secret);
    // The authenticator keeps working on the resealed secret.
    nextStep();
    expect((await loginMfa(await mfaTokenOf(account), codeFor(account.secret))).status).toBe(200);
  });

  it('stores the secret sealed (not in plain text), recovery codes as hashes, and deletes them with the account', async () => {
    const account = await withMfa();
    const item = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#mfa')!;
    expect(item).toMatchObject({ state: 'on', sealedSecret: expect.stringMatching(/^v2\./) });
    // Sealed under MFA_SECRETS_KEY: the webhooks' key does not open it.
    expect(new TotpSecretSealer(TEST_MFA_SECRETS_KEY).open(item.sealedSecret, account.user.id)).toBe(account.secret);
    expect(() => new TotpSecretSealer(TEST_WEBHOOK_SECRETS_KEY).open(item.sealedSecret, account.user.id)).toThrow(/does not open/);
    const raw = JSON.stringify(item, (_k, v) => (v instanceof Set ? [...v] : v));
    expect(raw).not.toContain(account.secret);
    expect(raw.toLowerCase()).not.toContain(account.secret.toLowerCase());
    for (const code of account.recoveryCodes) {
      expect(raw).not.toContain(code);
      expect(raw).not.toContain(code.replace('-', ''));
    }
    expect((item.recoveryHashes as Set<string>).size).toBe(10);
    const profile = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#profile')!;
    expect(profile.mfaOn).toBe(true);

    expect((await me(account)('DELETE', '/v1/me')).status).toBe(204);
    const left = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}`);
    expect(left.map((i) => i.sk)).not.toContain('users#mfa');
  });
});

describe('rotating MFA_SECRETS_KEY: the old key as MFA_SECRETS_KEY_PREVIOUS', () => {
  // The file's system seals under TEST_MFA_SECRETS_KEY (the "old" key here); a deploy that
  // changed the key is another system serving the same table with other keys.
  const NEW_KEY = Buffer.alloc(32, 0x6e).toString('base64');
  const WRONG_KEY = Buffer.alloc(32, 0x77).toString('base64');
  const deploys: TestSystem[] = [];
  async function deployWith(env: Record<string, string>): Promise<TestSystem> {
    const deploy = await createTestSystem({ clock, modules: ['users'], tableName: t.tableName, env });
    recordCommands(deploy.doc);
    deploys.push(deploy);
    return deploy;
  }
  afterAll(async () => {
    for (const deploy of deploys) await deploy.destroy();
  });
  const sealedOf = async (userId: string) =>
    (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `users#user#${userId}`, sk: 'users#mfa' } }))).Item!.sealedSecret as string;
  /** A code step on `app`, with the commands touching the MFA item other than its read. */
  async function signInWithCode(account: Account & { secret: string }, app: TestSystem['app'], sourceIp?: string) {
    const mfaToken = await mfaTokenOf(account, sourceIp, app);
    recording = [];
    const res = await loginMfa(mfaToken, codeFor(account.secret), sourceIp, app);
    const mfaWrites = recording.filter((c) => !c.startsWith('GetItemCommand') && c.includes('"sk":"users#mfa"'));
    recording = undefined;
    return { res, mfaWrites };
  }

  it('signs in with a secret sealed under the old key, resealing it under the new key in the same write; then the new key alone opens it', async () => {
    const account = await withMfa();
    const old = await sealedOf(account.user.id);
    expect(new TotpSecretSealer(TEST_MFA_SECRETS_KEY).open(old, account.user.id)).toBe(account.secret);

    const rotating = await deployWith({ MFA_SECRETS_KEY: NEW_KEY, MFA_SECRETS_KEY_PREVIOUS: TEST_MFA_SECRETS_KEY });
    const first = await signInWithCode(account, rotating.app);
    expect(first.res.status, first.res.text).toBe(200);
    // The conditional update that spends the step (in the transaction that ends the challenge) swaps the seal: no extra request.
    expect(first.mfaWrites, first.mfaWrites.join('\n')).toEqual([expect.stringMatching(/^TransactWriteItemsCommand .*users#mfa-challenge.*sealedSecret = :to/)]);
    const resealed = await sealedOf(account.user.id);
    expect(resealed).toMatch(/^v2\./);
    expect(resealed).not.toBe(old);
    expect(new TotpSecretSealer(NEW_KEY).open(resealed, account.user.id)).toBe(account.secret);
    expect(() => new TotpSecretSealer(TEST_MFA_SECRETS_KEY).open(resealed, account.user.id)).toThrow(/does not open/);

    // Now current: the next sign-in records its step only.
    nextStep();
    const second = await signInWithCode(account, rotating.app);
    expect(second.res.status, second.res.text).toBe(200);
    expect(second.mfaWrites).toHaveLength(1);
    expect(second.mfaWrites[0]).not.toContain('sealedSecret');

    // MFA_SECRETS_KEY_PREVIOUS dropped: the moved secret keeps working under the new key alone.
    const rotated = await deployWith({ MFA_SECRETS_KEY: NEW_KEY });
    nextStep();
    const third = await signInWithCode(account, rotated.app);
    expect(third.res.status, third.res.text).toBe(200);
    expect(await sealedOf(account.user.id)).toBe(resealed);
  });

  it('without the old key (or with a wrong one as previous) such a secret does not open: a plain 500 problem naming nothing secret, the cause in the log, nothing written; a recovery code still signs in', async () => {
    const account = await withMfa();
    const old = await sealedOf(account.user.id);
    const withoutOldKey: Record<string, string>[] = [{ MFA_SECRETS_KEY: NEW_KEY }, { MFA_SECRETS_KEY: NEW_KEY, MFA_SECRETS_KEY_PREVIOUS: WRONG_KEY }];
    for (const env of withoutOldKey) {
      const deploy = await deployWith({ ...env, LOG_LEVEL: 'ERROR' });
      const log = captureLogLines();
      let attempt;
      try {
        attempt = await signInWithCode(account, deploy.app);
      } finally {
        log.restore();
      }
      // What any unopenable secret has always answered: the generic internal error, no stack, no secret.
      expectProblem(attempt.res, 500);
      expect(attempt.res.json.type).toBe('https://budgeting.dev/problems/internal-error');
      expect(attempt.res.text).not.toContain(account.secret);
      expect(attempt.res.text).not.toMatch(/UnopenableSecretError|totp-secret-sealer|\bat /);
      // The operator's log line says what to fix.
      const failed = log.lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'request failed');
      expect(failed, log.lines.join('\n')).toHaveLength(1);
      expect(JSON.stringify(failed[0].error)).toMatch(/does not open with MFA_SECRETS_KEY.*MFA_SECRETS_KEY_PREVIOUS/);
      expect(JSON.stringify(failed[0])).not.toContain(account.secret);
      expect(attempt.mfaWrites).toEqual([]);
      expect(await sealedOf(account.user.id)).toBe(old);
      nextStep();
    }
    // A recovery code needs no secret: the account is not locked out meanwhile. (From another
    // client: each failed attempt above stays counted by the sign-in throttle, as any 500 does.)
    const deploy = deploys.at(-1)!;
    const ip = '198.51.100.201';
    const recovered = await loginMfa(await mfaTokenOf(account, ip, deploy.app), account.recoveryCodes[0]!, ip, deploy.app);
    expect(recovered.status, recovered.text).toBe(200);
    // And the old key as previous opens the untouched seal again.
    const rotating = await deployWith({ MFA_SECRETS_KEY: NEW_KEY, MFA_SECRETS_KEY_PREVIOUS: TEST_MFA_SECRETS_KEY });
    const again = await signInWithCode(account, rotating.app, '198.51.100.202');
    expect(again.res.status, again.res.text).toBe(200);
    expect(new TotpSecretSealer(NEW_KEY).open(await sealedOf(account.user.id), account.user.id)).toBe(account.secret);
  });

  /**
   * Runs `work` on `deploy` with the reseal job's write (users-mfa-reseal: the same secret sealed
   * under the new key, conditioned on the seal read) landing just before the request's first
   * write of the MFA item: the request read the old seal, the job moved it meanwhile.
   */
  async function resealedBeforeTheCodeIsSpent<T>(deploy: TestSystem, userId: string, secret: string, work: () => Promise<T>): Promise<{ result: T; raced: boolean }> {
    let raced = false;
    const result = await withCommandMiddleware(
      deploy.doc,
      'resealMeanwhile',
      (next, context) => async (args) => {
        const writesMfa = ['UpdateItemCommand', 'TransactWriteItemsCommand'].includes(String(context.commandName)) && JSON.stringify(args.input).includes('"sk":"users#mfa"');
        if (!raced && writesMfa) {
          raced = true;
          const from = await sealedOf(userId);
          await t.doc.send(
            new UpdateCommand({
              TableName: t.tableName,
              Key: { pk: `users#user#${userId}`, sk: 'users#mfa' },
              UpdateExpression: 'SET sealedSecret = :to',
              ConditionExpression: 'sealedSecret = :from',
              ExpressionAttributeValues: { ':from': from, ':to': new TotpSecretSealer(NEW_KEY).seal(secret, userId) },
            }),
          );
        }
        return next(args);
      },
      work,
    );
    return { result, raced };
  }

  it('a right code is accepted while the reseal job moves that very seal: the sign-in and a step-up (re-read once, no wrong-code answer)', async () => {
    const account = await withMfa();
    const rotating = await deployWith({ MFA_SECRETS_KEY: NEW_KEY, MFA_SECRETS_KEY_PREVIOUS: TEST_MFA_SECRETS_KEY });
    const ip = '198.51.100.211';
    const mfaToken = await mfaTokenOf(account, ip, rotating.app);
    const signIn = await resealedBeforeTheCodeIsSpent(rotating, account.user.id, account.secret, () => loginMfa(mfaToken, codeFor(account.secret), ip, rotating.app));
    expect(signIn.raced).toBe(true);
    expect(signIn.result.status, signIn.result.text).toBe(200);
    // The job's seal stays (it is current); the step was recorded: the same code does not work twice.
    expect(new TotpSecretSealer(NEW_KEY).open(await sealedOf(account.user.id), account.user.id)).toBe(account.secret);
    const replay = await loginMfa(await mfaTokenOf(account, ip, rotating.app), codeFor(account.secret), ip, rotating.app);
    expectProblem(replay, 401, ['code']);
    expect(replay.json.type).toBe('https://budgeting.dev/problems/invalid-mfa-code');

    // A step-up (token creation) on a seal still under the old key, moved by the job meanwhile.
    const stepUp = await withMfa();
    nextStep();
    const made = await resealedBeforeTheCodeIsSpent(rotating, stepUp.user.id, stepUp.secret, () =>
      as(rotating.app, { token: stepUp.accessToken })('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'read', code: codeFor(stepUp.secret) } }),
    );
    expect(made.raced).toBe(true);
    expect(made.result.status, made.result.text).toBe(201);
  });
});

describe('step-up: sensitive account changes take a code when two-factor is on', () => {
  const wrongCode = (secret: string) => (codeFor(secret) === '123456' ? '654321' : '123456');

  it('email change, password change and token creation: 403 mfa-code-required without a code, 422 with a wrong one, a code works once', async () => {
    const account = await withMfa();
    const requests = [
      ['POST', '/v1/me/tokens', { name: 'script', scope: 'read' }],
      ['POST', '/v1/me/email', { newEmail: `moved-${account.user.id.toLowerCase()}@example.com`, password: account.password }],
      ['POST', '/v1/me/password', { currentPassword: account.password, newPassword: 'a changed passphrase here' }],
    ] as const;
    for (const [method, path, body] of requests) {
      const missing = await me(account)(method, path, { body });
      expectProblem(missing, 403, ['code']);
      expect(missing.json.type, path).toBe('https://budgeting.dev/problems/mfa-code-required');
      const wrong = await me(account)(method, path, { body: { ...body, code: wrongCode(account.secret) } });
      expectProblem(wrong, 422, ['code']);
      expect(wrong.json.type, path).toBe('https://budgeting.dev/problems/incorrect-mfa-code');
    }

    // A TOTP code works once (the same step again is a replay); a recovery code is spent.
    const code = codeFor(account.secret);
    const made = await me(account)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'read', code } });
    expect(made.status, made.text).toBe(201);
    expectProblem(await me(account)('POST', '/v1/me/tokens', { body: { name: 'again', scope: 'read', code } }), 422, ['code']);
    const recovery = account.recoveryCodes[0]!;
    expect((await me(account)('POST', '/v1/me/email', { body: { ...requests[1][2], code: recovery } })).status).toBe(202);
    expectProblem(await me(account)('POST', '/v1/me/email', { body: { ...requests[1][2], code: recovery } }), 422, ['code']);
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(9);
    nextStep();
    const changed = await me(account)('POST', '/v1/me/password', { body: { ...requests[2][2], code: codeFor(account.secret) } });
    expect(changed.status, changed.text).toBe(200);
  });

  it('a password change refused for a common new password spends neither its TOTP nor its recovery code (review 52)', async () => {
    const account = await withMfa();
    const code = codeFor(account.secret);
    const recovery = account.recoveryCodes[1]!;
    for (const c of [code, recovery]) {
      const refused = await me(account)('POST', '/v1/me/password', { body: { currentPassword: account.password, newPassword: 'Password123', code: c } });
      expectProblem(refused, 400, ['newPassword']);
    }
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(10);
    // The same step's code still changes it: the refusal was no use of it.
    const changed = await me(account)('POST', '/v1/me/password', { body: { currentPassword: account.password, newPassword: 'a changed passphrase here', code } });
    expect(changed.status, changed.text).toBe(200);
  });

  it('an email change to the account\'s own address (any case) spends neither its TOTP nor its recovery code', async () => {
    const account = await withMfa();
    const code = codeFor(account.secret);
    const recovery = account.recoveryCodes[2]!;
    for (const c of [code, recovery]) {
      const refused = await me(account)('POST', '/v1/me/email', { body: { newEmail: account.email.toUpperCase(), password: account.password, code: c } });
      expectProblem(refused, 422, ['newEmail']);
      expect(refused.json.type).toBe('https://budgeting.dev/problems/same-email');
    }
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(10);
    // The same step's code still makes the change the user meant: the refusal was no use of it.
    const requested = await me(account)('POST', '/v1/me/email', { body: { newEmail: `moved-${account.user.id.toLowerCase()}@example.com`, password: account.password, code } });
    expect(requested.status, requested.text).toBe(202);
  });

  it('a token creation refused for the cap of 20 spends neither its TOTP nor its recovery code', async () => {
    const before = await signup(t.app);
    for (let i = 0; i < 20; i++) {
      const made = await me(before)('POST', '/v1/me/tokens', { body: { name: `script ${i}`, scope: 'read' } });
      expect(made.status, made.text).toBe(201);
    }
    const account = await withMfa(before);
    const code = codeFor(account.secret);
    for (const c of [code, account.recoveryCodes[4]!]) {
      const refused = await me(account)('POST', '/v1/me/tokens', { body: { name: 'one more', scope: 'read', code: c } });
      expectProblem(refused, 409);
      expect(refused.json.type).toBe('https://budgeting.dev/problems/personal-token-limit');
    }
    expect((await me(account)('GET', '/v1/me/mfa')).json.recoveryCodesLeft).toBe(10);
    // One deleted: the same step's code makes the token, the refusals were no use of it.
    const listed = (await me(account)('GET', '/v1/me/tokens')).json.items as { id: string }[];
    expect((await me(account)('DELETE', `/v1/me/tokens/${listed[0]!.id}`)).status).toBe(204);
    const made = await me(account)('POST', '/v1/me/tokens', { body: { name: 'one more', scope: 'read', code } });
    expect(made.status, made.text).toBe(201);
  });

  it('a step-up whose code met a turn-off that committed first is no wrong code: two-factor is off, the change goes through', async () => {
    const account = await withMfa();
    let turnedOff: Awaited<ReturnType<ReturnType<typeof me>>> | undefined;
    const made = await withCommandMiddleware(
      t.doc,
      'holdStepUpSpend',
      (next, context) => async (args) => {
        const input = JSON.stringify(args.input);
        if (!turnedOff && context.commandName === 'UpdateItemCommand' && input.includes('users#mfa') && input.includes('lastStep')) {
          // The turn-off (with a recovery code) commits while the token creation's code waits.
          turnedOff = await me(account)('DELETE', '/v1/me/mfa/totp', { body: { password: account.password, code: account.recoveryCodes[5] } });
        }
        return next(args);
      },
      () => me(account)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'read', code: codeFor(account.secret) } }),
    );
    expect(turnedOff?.status, turnedOff?.text).toBe(204);
    // Before: 422 incorrect-mfa-code, a failed sign-in attempt, for a right code.
    expect(made.status, made.text).toBe(201);
  });

  it('wrong step-up codes are failed sign-in attempts: the 6th from one client is a 429', async () => {
    const account = await withMfa();
    const ip = '192.0.2.66';
    for (let i = 0; i < 5; i++) {
      expectProblem(await me(account)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'read', code: wrongCode(account.secret) }, env: fromAddress(ip) }), 422, ['code']);
    }
    const limited = await me(account)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'read', code: codeFor(account.secret) }, env: fromAddress(ip) });
    expectProblem(limited, 429);
  });

  it('an account without two-factor: no read of the MFA item on these routes, and a code sent is ignored', async () => {
    const account = await signup(t.app);
    recording = [];
    const token = await me(account)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'read', code: '123456' } });
    const email = await me(account)('POST', '/v1/me/email', { body: { newEmail: `new-${account.user.id.toLowerCase()}@example.com`, password: account.password } });
    const password = await me(account)('POST', '/v1/me/password', { body: { currentPassword: account.password, newPassword: 'a changed passphrase here' } });
    const sent = recording;
    recording = undefined;
    expect([token.status, email.status, password.status]).toEqual([201, 202, 200]);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((c) => c.includes('users#mfa'))).toEqual([]);
  });
});

describe('the sign-in throttle and a two-factor sign-in', () => {
  it('a completed sign-in from a new client gives back both steps\' counts in the email-wide cap', async () => {
    const account = await withMfa();
    const emailWide = async () =>
      (await scanTable(t.doc, t.tableName)).find((i) => i.pk === throttleKeysOf(account.email).pk && i.sk === 'users#throttle')?.attempts as number | undefined;
    const ip = '198.51.100.200';
    const mfaToken = await mfaTokenOf(account, ip);
    expect(await emailWide()).toBe(1);
    expect((await loginMfa(mfaToken, codeFor(account.secret), ip)).status).toBe(200);
    // The password step's attempt and the code step's, both refunded (it was 1 before: the code step's only).
    expect(await emailWide()).toBe(0);
  });

  /** A client's failed-attempt count for the account's email (absent: none). */
  const clientCount = async (account: Account, ip: string) =>
    (await scanTable(t.doc, t.tableName)).find((i) => i.pk === throttleKeysOf(account.email).pk && i.sk === throttleKeysOf(account.email).clientSk(ip))?.attempts as
      | number
      | undefined;

  it('the password alone is no success while two-factor is on: an enrolment refused with 409 mfa-already-on clears no failed code (nor makes its client known)', async () => {
    // A stolen session and a phished password, no code: between its guesses at the code step
    // the attacker sends the password to POST /v1/me/mfa/totp. Were that right password a
    // success of the throttle, it would clear the client's count each time (and make the client
    // known, exempt from the email-wide cap): unlimited guesses at the code.
    const account = await withMfa();
    const ip = '198.51.100.230';
    const wrong = notTheCode(account.secret);
    const mfaToken = await mfaTokenOf(account, ip);
    for (let i = 0; i < 3; i++) expectProblem(await loginMfa(mfaToken, wrong, ip), 401, ['code']);
    const enrol = await me(account)('POST', '/v1/me/mfa/totp', { body: { password: account.password }, env: fromAddress(ip) });
    expectProblem(enrol, 409);
    expect(enrol.json.type).toBe('https://budgeting.dev/problems/mfa-already-on');
    // The password step and 3 wrong codes: the 5th attempt is a wrong code, the 6th a 429.
    expectProblem(await loginMfa(mfaToken, wrong, ip), 401, ['code']);
    expectProblem(await loginMfa(mfaToken, codeFor(account.secret), ip), 429);
    expect(await clientCount(account, ip)).toBeGreaterThanOrEqual(5);
  });

  it('turning off, or renewing the codes of, an account whose two-factor is not on is a 409 that counts no failed attempt', async () => {
    // A client whose screen still shows two-factor on (turned off on another device) and retries.
    const account = await signup(t.app);
    const ip = '198.51.100.231';
    for (let i = 0; i < 3; i++) {
      const off = await me(account)('DELETE', '/v1/me/mfa/totp', { body: { password: account.password, code: '123456' }, env: fromAddress(ip) });
      expectProblem(off, 409);
      expect(off.json.type).toBe('https://budgeting.dev/problems/mfa-not-on');
      const renew = await me(account)('POST', '/v1/me/mfa/recovery-codes', { body: { password: account.password, code: '123456' }, env: fromAddress(ip) });
      expectProblem(renew, 409);
      expect(renew.json.type).toBe('https://budgeting.dev/problems/mfa-not-on');
    }
    expect(await clientCount(account, ip)).toBeFalsy();
    expect((await login(account, ip)).status).toBe(200);
  });

  it('an mfaToken already used is refused without counting: replayed 7 times from one client, no 429, nothing counted', async () => {
    const account = await withMfa();
    const ip = '198.51.100.220';
    const mfaToken = await mfaTokenOf(account, ip);
    const code = codeFor(account.secret);
    expect((await loginMfa(mfaToken, code, ip)).status).toBe(200);
    // A client retrying after a lost answer: each is the token's 401, never the throttle's 429.
    for (let i = 0; i < 7; i++) {
      const res = await loginMfa(mfaToken, code, ip);
      expectProblem(res, 401, ['mfaToken']);
      expect(res.json.type).toBe('https://budgeting.dev/problems/invalid-mfa-token');
    }
    expect(await clientCount(account, ip)).toBeUndefined();
    expect((await login(account, ip)).json.type).toBe('https://budgeting.dev/problems/mfa-required');
  });

  it('a request that loses its mfaToken to a concurrent one (the same sign-in sent twice) counts no failed attempt', async () => {
    const account = await withMfa();
    const emailWide = async () =>
      (await scanTable(t.doc, t.tableName)).find((i) => i.pk === throttleKeysOf(account.email).pk && i.sk === 'users#throttle')?.attempts as number | undefined;
    // The phone sends the code, loses its answer, and sends it again from another network.
    const [wifi, cellular] = ['198.51.100.230', '198.51.100.231'];
    const mfaToken = await mfaTokenOf(account, wifi);
    const code = codeFor(account.secret);
    const { first, meanwhile } = await holdingChallengeEnd(
      mfaToken,
      () => loginMfa(mfaToken, code, cellular),
      () => loginMfa(mfaToken, code, wifi),
    );
    expect(meanwhile.status, meanwhile.text).toBe(200);
    expectProblem(first, 401, ['mfaToken']);
    // The loser's attempt is given back: the wifi client keeps only its password step's count
    // (the sign-in completed elsewhere), and the email-wide cap holds nothing of this sign-in.
    expect(await clientCount(account, wifi)).toBe(1);
    expect(await emailWide()).toBe(0);
  });
});

describe('the attempt given back cannot buy guesses (review 53: the attack, written out)', () => {
  /** Wrong codes sent at once with one mfaToken: how many were checked (invalid-mfa-code), given back (invalid-mfa-token), refused (429). */
  const burst = async (mfaToken: string, code: string, ips: string[]) => {
    const answers = await Promise.all(ips.map((ip) => loginMfa(mfaToken, code, ip)));
    const typeOf = (r: (typeof answers)[number]) => (r.status === 429 ? '429' : String(r.json.type).split('/').pop());
    for (const r of answers) expect(['invalid-mfa-code', 'invalid-mfa-token', '429'], r.text).toContain(typeOf(r));
    return { checked: answers.filter((r) => typeOf(r) === 'invalid-mfa-code').length, refused: answers.filter((r) => r.status === 429).length };
  };

  it('from many addresses: bursts of 10 wrong codes per mfaToken check at most 5 each, and all of them with the logins stay within the email-wide 25', async () => {
    const account = await withMfa();
    const wrong = notTheCode(account.secret);
    let checked = 0;
    let logins = 0;
    for (let round = 0; round < 10; round++) {
      const res = await login(account, `203.0.113.${200 + round}`);
      if (res.status === 429) break;
      expect(res.json.type).toBe('https://budgeting.dev/problems/mfa-required');
      logins++;
      const ips = Array.from({ length: 10 }, (_, i) => `198.18.${round}.${i + 1}`);
      const out = await burst(res.json.mfaToken, wrong, ips);
      expect(out.checked).toBeLessThanOrEqual(5);
      checked += out.checked;
    }
    // The email-wide cap (25 attempts in 15 minutes from clients that never signed in) holds
    // every password step and every code checked; only codes never checked were given back.
    expect(logins).toBeGreaterThan(1);
    expect(checked + logins).toBeLessThanOrEqual(25);
    expectProblem(await login(account, '203.0.113.250'), 429);
  });

  it('from one address: a burst of 10 wrong codes checks at most what the client\'s 5 failures leave, and the next login is a 429', async () => {
    const account = await withMfa();
    const ip = '198.18.100.1';
    const mfaToken = await mfaTokenOf(account, ip);
    const out = await burst(mfaToken, notTheCode(account.secret), Array.from({ length: 10 }, () => ip));
    // The password step is the client's first attempt: 4 codes at most.
    expect(out.checked).toBeLessThanOrEqual(4);
    expect(out.refused).toBeGreaterThanOrEqual(6);
    expectProblem(await login(account, ip), 429);
  });
});

describe("the challenge item holds no email (packages/users/docs/two-factor-sign-in.md \"Two-factor sign-in\")", () => {
  const challengeItem = async (mfaToken: string) => {
    const hash = createHash('sha256').update(mfaToken, 'utf8').digest('base64url');
    return (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#mfa-challenge#${hash}`);
  };

  it('stores the user id, the epoch, the expiry, the failures and what the password step counted, never the email', async () => {
    const account = await withMfa();
    const ip = '198.51.100.210';
    const mfaToken = await mfaTokenOf(account, ip);
    const item = (await challengeItem(mfaToken))!;
    expect(item).toMatchObject({ kind: 'mfa-challenge', userId: account.user.id, failures: 0, epoch: expect.any(Number), expiresAt: expect.any(Number) });
    expect(item.email).toBeUndefined();
    const raw = JSON.stringify(item).toLowerCase();
    expect(raw).not.toContain(account.email.toLowerCase());
    expect(raw).not.toContain(account.email.split('@')[0]!.toLowerCase());
    // The sign-in still completes, and the throttle still hears of it: both steps refunded.
    expect((await loginMfa(mfaToken, codeFor(account.secret), ip)).status).toBe(200);
    const emailWide = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === throttleKeysOf(account.email).pk && i.sk === 'users#throttle');
    expect(emailWide?.attempts).toBe(0);
  });

  it('a challenge whose PutItem committed but whose answer was lost (the SDK sent it again and met it) is the sign-in\'s: 401 mfa-required with its token, not a 500', async () => {
    const account = await withMfa();
    const ip = '198.51.100.211';
    const put = (name: string, input: string) => name === 'PutItemCommand' && input.includes('users#mfa-challenge#');
    const { result: mfaToken, resent } = await withFirstAnswerLost(t.doc, put, () => mfaTokenOf(account, ip));
    expect(resent).toBe(true);
    expect((await challengeItem(mfaToken))?.userId).toBe(account.user.id);
    // The token it answered completes the sign-in.
    expect((await loginMfa(mfaToken, codeFor(account.secret), ip)).status).toBe(200);
  });

  it('a challenge written before (with the email) still completes during its life, its counts given back', async () => {
    const account = await withMfa();
    const ip = '198.51.100.211';
    const mfaToken = await mfaTokenOf(account, ip);
    const item = (await challengeItem(mfaToken))!;
    // The old code's item: the normalized email beside the rest.
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET email = :email', ExpressionAttributeValues: { ':email': account.email.toLowerCase() } }));
    expect((await challengeItem(mfaToken))!.email).toBe(account.email.toLowerCase());
    nextStep();
    const wrong = await loginMfa(mfaToken, '000000', ip);
    expect(wrong.status, wrong.text).toBe(401);
    const done = await loginMfa(mfaToken, codeFor(account.secret), ip);
    expect(done.status, done.text).toBe(200);
    expect(done.json.tokens.accessToken).toEqual(expect.any(String));
    expect(await challengeItem(mfaToken)).toBeUndefined();
    const emailWide = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === throttleKeysOf(account.email).pk && i.sk === 'users#throttle');
    // The password step's and the good code's attempts refunded; the wrong code's stays.
    expect(emailWide?.attempts).toBe(1);
  });
});

describe('support turns two-factor off (operator operation users-mfa-reset)', () => {
  const operation = () => t.system.operations.find((o) => o.name === 'users-mfa-reset')!;
  const run = (args: Record<string, string>) => operation().run(args, { logger: createLogger('INFO') });
  const auditItems = async (userId: string) =>
    (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${userId}` && String(i.sk).startsWith('users#audit#'));

  it('turns it off in one go: sign-in needs no code, every session and token ended, the audit kept, the user mailed from its event', async () => {
    const account = await signup(t.app);
    const pat = await me(account)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'read' } });
    expect(pat.status, pat.text).toBe(201);
    const withIt = await withMfa(account);
    const other = await loginMfa(await mfaTokenOf(account), codeFor(withIt.secret));
    expect(other.status, other.text).toBe(200);

    // No reason (or only blanks), an unknown account: refused, nothing changed.
    await expect(run({ email: account.email, reason: '  ', operator: 'support-alice' })).rejects.toThrow(OperatorInputError);
    await expect(run({ email: account.email, operator: 'support-alice' })).rejects.toThrow(/reason/);
    await expect(run({ email: 'nobody-here@example.com', reason: 'T-1', operator: 'support-alice' })).rejects.toThrow(OperatorInputError);
    expect((await me(account)('GET', '/v1/me/mfa')).json.totp).toBe('on');
    expect(await auditItems(account.user.id)).toEqual([]);

    const log = captureLogLines();
    let result;
    try {
      result = await run({ email: account.email.toUpperCase(), reason: 'TICKET-4711', operator: 'support-alice' });
    } finally {
      log.restore();
    }
    expect(result).toMatchObject({ ok: true, summary: { operation: 'users-mfa-reset', outcome: 'reset', userId: account.user.id, at: clock.now().toISOString() } });
    expect((result!.summary as { notice: string }).notice).toContain('users-mfa-reset-notice-mail');

    // The password alone signs in again; the item and the flag are gone (one transaction).
    expect((await login(account)).status).toBe(200);
    const items = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}`);
    expect(items.find((i) => i.sk === 'users#mfa')).toBeUndefined();
    expect(items.find((i) => i.sk === 'users#profile')!.mfaOn).toBeUndefined();

    // Every session and personal access token ended: access tokens at once, refresh refused.
    expectProblem(await me(account)('GET', '/v1/me'), 401);
    expectProblem(await me({ accessToken: other.json.tokens.accessToken })('GET', '/v1/me'), 401);
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: other.json.tokens.refreshToken } }), 401);
    // The personal access token's epoch is no longer the account's: requireAuth's account check refuses it (as after a password change).
    const grant = await t.system.facades.users.personalToken(pat.json.token);
    expect(grant).toMatchObject({ userId: account.user.id, sessionEpoch: 0 });
    expect(await t.system.facades.users.accountExists(account.user.id, (grant as { sessionEpoch: number }).sessionEpoch)).toBe(false);
    expect(await t.system.facades.users.accountExists(account.user.id, 1)).toBe(true);
    // (the sign-in just above is of the new epoch, 1)
    const sessions = items.filter((i) => String(i.sk).startsWith('users#session#') && (i.epoch ?? 0) === 0);
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect(sessions.every((i) => i.revokedReason === 'mfa-reset')).toBe(true);

    // The durable record (who, why, when), which is also the published event; and the log line.
    const [audit, ...more] = await auditItems(account.user.id);
    expect(more).toEqual([]);
    expect(audit).toMatchObject({ action: 'mfa-reset-by-operator', operator: 'support-alice', reason: 'TICKET-4711', at: clock.now().toISOString(), publishes: true });
    expect(audit!.expiresAt).toBeGreaterThan(clock.now().getTime() / 1000 + 365 * 24 * 3600);
    const event = await theEvent(t, 'user.mfa_reset_by_operator', { userId: account.user.id });
    expect(event.envelope.data).toEqual({ userId: account.user.id, operator: 'support-alice', reason: 'TICKET-4711' });

    // The notice to the account's address comes from the event, not from the operation: nothing
    // mailed yet; delivered, the users module's subscriber queues it and the mail job sends it.
    const toUser = () => mails.filter((m) => m.to === account.email && m.id === `mfa-reset-${event.envelope.id}`);
    expect(toUser()).toEqual([]);
    await deliver(t, event);
    const [notice, ...again] = toUser();
    expect(again).toEqual([]);
    expect(notice!.subject).toBe('Two-factor sign-in was turned off by support');
    expect(notice!.text).toContain('If this was not you');
    // The account's zone is UTC (signup's default): the time on its wall clock, the zone named.
    expect(notice!.text).toContain(`${event.envelope.occurredAt.slice(0, 16).replace('T', ' ')} (UTC)`);
    // Delivered again (an EventBridge retry): the inbox keeps it from queueing a second notice.
    await deliver(t, event);
    expect(toUser()).toHaveLength(1);
    const line = log.lines.map((l) => JSON.parse(l)).find((l) => l.audit === 'mfa-reset-by-operator');
    expect(line).toMatchObject({ userId: account.user.id, operator: 'support-alice', reason: 'TICKET-4711', at: clock.now().toISOString() });

    // Again: nothing to do, nothing changed, no second notice or record.
    const mailCount = mails.length;
    expect(await run({ email: account.email, reason: 'TICKET-4711', operator: 'support-alice' })).toMatchObject({ ok: true, summary: { outcome: 'not-on' } });
    expect(mails.length).toBe(mailCount);
    expect(await auditItems(account.user.id)).toHaveLength(1);
  });

  it('a suspended account: reset as any other, but no mail to it (the suspension\'s rule); the summary and the audit record say the notice was withheld', async () => {
    const account = await signup(t.app);
    await withMfa(account);
    const suspend = t.system.operations.find((o) => o.name === 'users-suspend')!;
    expect(await suspend.run({ email: account.email, reason: 'FRAUD-1', operator: 'support-alice' }, { logger: createLogger('SILENT') })).toMatchObject({ summary: { outcome: 'suspended' } });

    const result = await run({ email: account.email, reason: 'TICKET-4713', operator: 'support-alice' });
    expect(result).toMatchObject({ ok: true, summary: { outcome: 'reset', userId: account.user.id } });
    expect((result.summary as { notice: string }).notice).toMatch(/withheld.*suspended/);
    // Reset all the same: the flag and the enrolment are gone.
    const items = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}`);
    expect(items.find((i) => i.sk === 'users#mfa')).toBeUndefined();
    expect(items.find((i) => i.sk === 'users#profile')!.mfaOn).toBeUndefined();

    const audit = (await auditItems(account.user.id)).find((i) => i.action === 'mfa-reset-by-operator');
    expect(audit).toMatchObject({ operator: 'support-alice', reason: 'TICKET-4713', noticeWithheld: 'account-suspended' });
    const event = await theEvent(t, 'user.mfa_reset_by_operator', { userId: account.user.id });
    expect(event.envelope.data).toEqual({ userId: account.user.id, operator: 'support-alice', reason: 'TICKET-4713', noticeWithheld: 'account-suspended' });
    // Delivered (and again): nothing mailed to the account's address, even once the suspension is lifted.
    await deliver(t, event);
    const unsuspend = t.system.operations.find((o) => o.name === 'users-unsuspend')!;
    await unsuspend.run({ email: account.email, reason: 'FRAUD-1 closed', operator: 'support-alice' }, { logger: createLogger('SILENT') });
    await deliver(t, event);
    expect(mails.filter((m) => m.to === account.email && !m.id.startsWith(SECURITY_NOTICE))).toEqual([]);
  });

  it('an account suspended after the reset, before its notice went out: the mail job sends nothing', async () => {
    const account = await signup(t.app);
    await withMfa(account);
    expect(await run({ email: account.email, reason: 'TICKET-4714', operator: 'support-bob' })).toMatchObject({ summary: { outcome: 'reset', notice: expect.stringContaining('users-mfa-reset-notice-mail') } });
    const event = await theEvent(t, 'user.mfa_reset_by_operator', { userId: account.user.id });
    expect(event.envelope.data).not.toHaveProperty('noticeWithheld');
    const suspend = t.system.operations.find((o) => o.name === 'users-suspend')!;
    await suspend.run({ email: account.email, reason: 'FRAUD-2', operator: 'support-bob' }, { logger: createLogger('SILENT') });
    await deliver(t, event);
    expect(mails.filter((m) => m.to === account.email && !m.id.startsWith(SECURITY_NOTICE))).toEqual([]);
  });

  it('a suspension lifted between the reset\'s read and its write: the reset reads again and the owner is told (the notice follows the suspension the write saw)', async () => {
    const account = await signup(t.app);
    await withMfa(account);
    const suspend = t.system.operations.find((o) => o.name === 'users-suspend')!;
    const unsuspend = t.system.operations.find((o) => o.name === 'users-unsuspend')!;
    await suspend.run({ email: account.email, reason: 'FRAUD-3', operator: 'support-carol' }, { logger: createLogger('SILENT') });

    // The reset has read the suspended profile; the lift lands just before its transaction.
    let lifted = false;
    const result = await withCommandMiddleware(
      t.doc,
      'liftBeforeTheReset',
      (next, context) => async (args) => {
        if (!lifted && context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes('mfa-reset-by-operator')) {
          lifted = true;
          await unsuspend.run({ email: account.email, reason: 'FRAUD-3 closed', operator: 'support-carol' }, { logger: createLogger('SILENT') });
        }
        return next(args);
      },
      () => run({ email: account.email, reason: 'TICKET-4715', operator: 'support-carol' }),
    );
    expect(lifted).toBe(true);
    expect(result).toMatchObject({ ok: true, summary: { outcome: 'reset', notice: expect.stringContaining('users-mfa-reset-notice-mail') } });
    const event = await theEvent(t, 'user.mfa_reset_by_operator', { userId: account.user.id });
    expect(event.envelope.data).not.toHaveProperty('noticeWithheld');
    await deliver(t, event);
    expect(mails.filter((m) => m.to === account.email && m.id === `mfa-reset-${event.envelope.id}`)).toHaveLength(1);
  });

  it('a notice that cannot be sent is not lost: the delivery fails, and the next one sends it', async () => {
    const account = await signup(t.app);
    await withMfa(account);
    // The operation does not mail, so a mail outage does not fail the reset.
    mailOutage = true;
    try {
      expect(await run({ email: account.email, reason: 'TICKET-4712', operator: 'support-bob' })).toMatchObject({ ok: true, summary: { outcome: 'reset' } });
      const event = await theEvent(t, 'user.mfa_reset_by_operator', { userId: account.user.id });
      // The job's send fails, so the delivery fails (EventBridge delivers again) and the inbox records nothing.
      await expect(createBusDelivery(t.system)(busEvent(event))).rejects.toThrow(/users-mfa-reset-notice/);
      expect(mails.filter((m) => m.to === account.email && !m.id.startsWith(SECURITY_NOTICE))).toEqual([]);
      mailOutage = false;
      await deliver(t, event);
      const notices = mails.filter((m) => m.to === account.email && !m.id.startsWith(SECURITY_NOTICE));
      expect(notices.map((m) => [m.id, m.subject])).toEqual([[`mfa-reset-${event.envelope.id}`, 'Two-factor sign-in was turned off by support']]);
    } finally {
      mailOutage = false;
    }
  });
});
