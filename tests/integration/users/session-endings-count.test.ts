import { fixedClock } from '@budgeting/platform';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCommandMiddleware } from '../../support/command-middleware';
import { call } from '../../support/http';
import { captureLogLines } from '../../support/log-lines';
import { commandsSentDuring, writesAmong } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { withWritesThrottled } from '../../support/throttled-writes';
import { expectProblem, scanTable, signup, type Account } from './helpers';

/**
 * What an ending records on the profile (and so counts towards the window's 50 ended sessions,
 * the 51st signing every session out), and what presenting a dead session's tokens writes
 * (review 55). On DynamoDB Local, with the test system's clock moved forward.
 */
let t: TestSystem;
const clock = fixedClock('2026-12-01T09:00:00Z');
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
});
afterAll(() => t.destroy());

type Pair = { accessToken: string; refreshToken: string; expiresIn?: number };
const IDLE = 17 * 60_000; // longer than an access token lives (15 minutes) plus the 60 s clock slack

const refresh = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
const logout = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken } });
const signOut = (accessToken: string, sessionId: string) => call(t.app, 'DELETE', `/v1/me/sessions/${sessionId}`, { token: accessToken });
const sidOf = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')).sid as string;

async function login(a: Pick<Account, 'email' | 'password'>): Promise<Pair> {
  const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: a.email, password: a.password } });
  expect(res.status, res.text).toBe(200);
  return res.json.tokens;
}

async function refreshed(refreshToken: string): Promise<Pair> {
  const res = await refresh(refreshToken);
  expect(res.status, res.text).toBe(200);
  return res.json.tokens;
}

async function profileOf(userId: string) {
  return (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${userId}` && i.sk === 'users#profile')!;
}

async function sessionItem(userId: string, familyId: string) {
  return (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${userId}` && i.sk === `users#session#${familyId}`);
}

const endedIds = (profile: Record<string, unknown>) => [...((profile.revokedSessions0 as Set<string>) ?? []), ...((profile.revokedSessions1 as Set<string>) ?? [])];

describe('signing a session out by id (DELETE /v1/me/sessions/{id}) records only a session that may have a live access token', () => {
  it('an idle session signed out is ended (204) with nothing on the profile: 51 of them in one window sign nothing else out', async () => {
    const account = await signup(t.app);
    const pairs: Pair[] = [];
    for (let i = 0; i < 51; i++) pairs.push(await login(account));
    clock.advance(IDLE);
    const current = await login(account);
    for (const pair of pairs) {
      const res = await signOut(current.accessToken, sidOf(pair.accessToken));
      expect(res.status, res.text).toBe(204);
    }
    for (const pair of pairs) {
      expect((await sessionItem(account.user.id, sidOf(pair.accessToken)))?.revokedReason).toBe('signed-out');
      expectProblem(await refresh(pair.refreshToken), 401);
    }
    const profile = await profileOf(account.user.id);
    expect(profile.sessionEpoch ?? 0).toBe(0);
    expect(endedIds(profile)).toEqual([]);
    expect((await call(t.app, 'GET', '/v1/me', { token: current.accessToken })).status).toBe(200);
    // A session with a live access token still counts, and its token is refused at once.
    const live = await login(account);
    expect((await signOut(current.accessToken, sidOf(live.accessToken))).status).toBe(204);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: live.accessToken }), 401);
    expect(endedIds(await profileOf(account.user.id))).toEqual([sidOf(live.accessToken)]);
  }, 120_000);

  it('an idle session refreshed between the read and the write (the rotation wins) is recorded as any other: the access token the refresh handed out is refused at once', async () => {
    const account = await signup(t.app);
    const other = await login(account);
    clock.advance(IDLE);
    const current = await login(account);
    let raced: Awaited<ReturnType<typeof refresh>> | undefined;
    const res = await withCommandMiddleware(
      t.doc,
      'refreshBeforeTheEnding',
      (next, context) => async (args) => {
        const input = JSON.stringify(args.input);
        // The idle ending's write (conditioned on the current token, no profile item): a refresh commits first.
        if (!raced && context.commandName === 'TransactWriteItemsCommand' && input.includes('revokedReason') && input.includes('currentHash = :current')) {
          raced = await refresh(other.refreshToken);
        }
        return next(args);
      },
      () => signOut(current.accessToken, sidOf(other.accessToken)),
    );
    expect(raced?.status, raced?.text).toBe(200);
    expect(res.status, res.text).toBe(204);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: raced!.json.tokens.accessToken }), 401);
    expect(endedIds(await profileOf(account.user.id))).toEqual([sidOf(other.accessToken)]);
    expectProblem(await refresh(raced!.json.tokens.refreshToken), 401);
  });

  it('a session that already ended (signed out, or logged out idle) is a 404 with no write at all', async () => {
    const account = await signup(t.app);
    const signedOut = await login(account);
    const loggedOut = await login(account);
    expect((await signOut(account.accessToken, sidOf(signedOut.accessToken))).status).toBe(204);
    clock.advance(IDLE);
    expect((await logout(loggedOut.refreshToken)).status).toBe(204);
    const current = await login(account);
    const before = await profileOf(account.user.id);
    for (const sid of [sidOf(signedOut.accessToken), sidOf(loggedOut.accessToken)]) {
      const again = await commandsSentDuring(t.doc, () => signOut(current.accessToken, sid));
      expectProblem(again.result, 404);
      expect(writesAmong(again.commands)).toEqual([]);
    }
    expect(endedIds(await profileOf(account.user.id))).toEqual(endedIds(before));
    expect((await call(t.app, 'GET', '/v1/me', { token: current.accessToken })).status).toBe(200);
  });

  it('a session of an earlier session epoch (a password change ended it, its item not marked yet) is a 404 with no write either', async () => {
    const account = await signup(t.app);
    const other = await login(account);
    const changed = await call(t.app, 'POST', '/v1/me/password', {
      token: account.accessToken,
      body: { currentPassword: account.password, newPassword: 'another new passphrase 55' },
    });
    expect(changed.status, changed.text).toBe(200);
    // As if the change's bookkeeping (marking the earlier families) had failed: the epoch alone ends it.
    const sid = sidOf(other.accessToken);
    await t.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { pk: `users#user#${account.user.id}`, sk: `users#session#${sid}` }, UpdateExpression: 'REMOVE revokedAt, revokedReason' }),
    );
    const res = await commandsSentDuring(t.doc, () => signOut(changed.json.tokens.accessToken, sid));
    expectProblem(res.result, 404);
    expect(writesAmong(res.commands)).toEqual([]);
    expect(endedIds(await profileOf(account.user.id))).toEqual([]);
  });
});

describe('a reuse detection records only a session that may have a live access token', () => {
  it('a rotated token presented when the session is idle ends it (401, reuse-detected) with nothing on the profile; presented again, nothing is written', async () => {
    const account = await signup(t.app);
    const next = await refreshed(account.refreshToken);
    clock.advance(IDLE);
    const reused = await refresh(account.refreshToken);
    expectProblem(reused, 401);
    const sid = sidOf(next.accessToken);
    expect((await sessionItem(account.user.id, sid))?.revokedReason).toBe('reuse-detected');
    expect(endedIds(await profileOf(account.user.id))).toEqual([]);
    expectProblem(await refresh(next.refreshToken), 401);

    // The family is ended already: the stolen token's next presentations write nothing, and get the same answer.
    for (let i = 0; i < 2; i++) {
      const again = await commandsSentDuring(t.doc, () => refresh(account.refreshToken));
      expect(again.result.json).toEqual(reused.json);
      expect(writesAmong(again.commands)).toEqual([]);
    }
  });

  it('a reuse while an access token of the session may be live is recorded as before: that token is refused at once', async () => {
    const account = await signup(t.app);
    const next = await refreshed(account.refreshToken);
    clock.advance(60_000);
    expectProblem(await refresh(account.refreshToken), 401);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: next.accessToken }), 401);
    expect(endedIds(await profileOf(account.user.id))).toEqual([sidOf(next.accessToken)]);
  });

  it('its warning says the session was revoked only when this presentation revoked it; a replay on the ended family says so', async () => {
    // The same table and clock, logging warnings: what an operator reads in CloudWatch Logs.
    const warned = await createTestSystem({ clock, modules: ['users'], tableName: t.tableName, env: { LOG_LEVEL: 'WARN' } });
    const account = await signup(warned.app);
    const next = await call(warned.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
    expect(next.status, next.text).toBe(200);
    clock.advance(60_000);
    const messagesOf = async () => {
      const log = captureLogLines();
      try {
        expectProblem(await call(warned.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } }), 401);
      } finally {
        log.restore();
      }
      return log.lines.map((l) => JSON.parse(l).message as string);
    };
    try {
      expect(await messagesOf()).toEqual(['refresh token reuse detected; session revoked']);
      // Nothing is revoked by a replay: the line must not claim it (an alarm on it would count each replay as a new theft).
      expect(await messagesOf()).toEqual(['refresh token reuse detected; session already ended']);
    } finally {
      await warned.destroy();
    }
  });
});

describe('the current refresh token of a session signed out before its end', () => {
  it('is refused with the same 401 each time, and from its second presentation on with no write', async () => {
    const account = await signup(t.app);
    const other = await login(account);
    expect((await signOut(account.accessToken, sidOf(other.accessToken))).status).toBe(204);
    const first = await refresh(other.refreshToken);
    expectProblem(first, 401);
    for (let i = 0; i < 3; i++) {
      const again = await commandsSentDuring(t.doc, () => refresh(other.refreshToken));
      expect(again.result.json).toEqual(first.json);
      expect(writesAmong(again.commands)).toEqual([]);
    }
    // Nor does logging it out again write anything.
    const out = await commandsSentDuring(t.doc, () => logout(other.refreshToken));
    expect(out.result.status).toBe(204);
    expect(writesAmong(out.commands)).toEqual([]);
  });

  it('so is the current token of a session a password change ended', async () => {
    const account = await signup(t.app);
    const other = await login(account);
    const changed = await call(t.app, 'POST', '/v1/me/password', {
      token: account.accessToken,
      body: { currentPassword: account.password, newPassword: 'a brand new passphrase 55' },
    });
    expect(changed.status, changed.text).toBe(200);
    const first = await refresh(other.refreshToken);
    expectProblem(first, 401);
    const again = await commandsSentDuring(t.doc, () => refresh(other.refreshToken));
    expect(again.result.json).toEqual(first.json);
    expect(writesAmong(again.commands)).toEqual([]);
  });
});

describe('marking an ended session\'s current refresh token fails (throttled)', () => {
  it('the refresh still answers the same 401, logs the failed mark, and the mark is written at the next presentation', async () => {
    // The same table and clock, logging warnings: what an operator reads in CloudWatch Logs.
    const warned = await createTestSystem({ clock, modules: ['users'], tableName: t.tableName, env: { LOG_LEVEL: 'WARN' } });
    try {
      const account = await signup(warned.app);
      const other = await login(account);
      expect((await signOut(account.accessToken, sidOf(other.accessToken))).status).toBe(204);
      const refused = { status: 401, detail: 'The refresh token is invalid, expired or revoked; sign in again.' };
      const log = captureLogLines();
      let first;
      try {
        first = await withWritesThrottled(
          warned.doc,
          'SET sessionEnded',
          () => call(warned.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: other.refreshToken } }),
          ['UpdateItemCommand'],
        );
      } finally {
        log.restore();
      }
      expect(first.attempts).toBeGreaterThan(0);
      expect(first.result.status, first.result.text).toBe(401);
      expect(first.result.json).toMatchObject(refused);
      const lines = log.lines.map((l) => JSON.parse(l));
      expect(lines.find((l) => l.message === 'marking an ended session\'s refresh token failed; it is refused anyway, and marked at its next presentation')).toMatchObject({
        level: 'WARN',
        userId: account.user.id,
        familyId: sidOf(other.accessToken),
      });
      // Not marked: the next presentation is the refused rotation again, and writes the mark; then nothing.
      const second = await commandsSentDuring(warned.doc, () => call(warned.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: other.refreshToken } }));
      expect(second.result.json).toEqual(first.result.json);
      expect(writesAmong(second.commands)).toEqual(['TransactWriteItemsCommand', 'UpdateItemCommand']);
      const third = await commandsSentDuring(warned.doc, () => call(warned.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: other.refreshToken } }));
      expect(third.result.json).toEqual(first.result.json);
      expect(writesAmong(third.commands)).toEqual([]);
    } finally {
      await warned.destroy();
    }
  });
});

describe('marking an ended session\'s current refresh token fails with a bug of ours (review 55e)', () => {
  it('a TypeError is no failed saving: the refresh answers 500 (as before small 55), not the 401 with a warning that hides the bug', async () => {
    const account = await signup(t.app);
    const other = await login(account);
    expect((await signOut(account.accessToken, sidOf(other.accessToken))).status).toBe(204);
    const log = captureLogLines();
    let first;
    try {
      first = await withWritesThrottled(
        t.doc,
        'SET sessionEnded',
        () => refresh(other.refreshToken),
        ['UpdateItemCommand'],
        () => new TypeError("Cannot read properties of undefined (reading 'S')"),
      );
    } finally {
      log.restore();
    }
    expect(first.attempts).toBe(1); // not retried: the SDK retries AWS's transient errors only
    expect(first.result.status, first.result.text).toBe(500);
  });
});

describe('the idle rule holds however late a session\'s first access token is signed', () => {
  it('a sign-in whose write took two minutes: its access token lives no longer than 15 minutes from its refresh token\'s issue, so an idle logout leaves it no use', async () => {
    const account = await signup(t.app);
    const startedAt = clock.now().getTime();
    const slow: Pair = await withCommandMiddleware(
      t.doc,
      'slowSignInWrite',
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes('users#session#')) clock.advance(120_000);
        return next(args);
      },
      () => login(account),
    );
    expect(slow.expiresIn).toBe(15 * 60 - 120);
    // Past the idle rule's line (the refresh token's issue + 15 minutes + the 60 s slack), not past 15 minutes from the signing.
    clock.advance(startedAt + 961_000 - clock.now().getTime());
    expect((await logout(slow.refreshToken)).status).toBe(204);
    expect(endedIds(await profileOf(account.user.id))).not.toContain(sidOf(slow.accessToken));
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: slow.accessToken }), 401);
    // Nor does an instance whose clock lags by the allowed slack (60 s) accept it.
    clock.advance(-60_000);
    try {
      expectProblem(await call(t.app, 'GET', '/v1/me', { token: slow.accessToken }), 401);
    } finally {
      clock.advance(60_000);
    }
  });
});
