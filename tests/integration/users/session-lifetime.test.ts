import { fixedClock } from '@budgeting/platform';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCommandMiddleware } from '../../support/command-middleware';
import { call } from '../../support/http';
import { commandsSentDuring, transactionSizesOf, writesAmong } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, type Account } from './helpers';

/**
 * A session's absolute lifetime (OWASP ASVS 3.3.2 / 3.3.4): 90 days from its sign-in, however
 * often it is refreshed. On DynamoDB Local, with the test system's clock moved forward.
 */
let t: TestSystem;
const clock = fixedClock('2026-12-01T09:00:00Z');
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
});
afterAll(() => t.destroy());

const DAY = 24 * 3600_000;
const NINETY_DAYS_S = 90 * 24 * 3600;

type Pair = { accessToken: string; refreshToken: string };

const refresh = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
const sessions = (accessToken: string) => call(t.app, 'GET', '/v1/me/sessions', { token: accessToken });
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

async function refreshed(refreshToken: string): Promise<Pair> {
  const res = await refresh(refreshToken);
  expect(res.status, res.text).toBe(200);
  return res.json.tokens;
}

async function login(a: Pick<Account, 'email' | 'password'>): Promise<Pair> {
  const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: a.email, password: a.password } });
  expect(res.status, res.text).toBe(200);
  return res.json.tokens;
}

const claimsOf = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8'));

/** The session's item, read by its key (a scan per session made the 51-session tests scan the table 51 times). */
async function sessionItem(userId: string, familyId: string) {
  const key = { pk: `users#user#${userId}`, sk: `users#session#${familyId}` };
  return (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }))).Item;
}

/** The body a refresh token past its own 30 days gets (the refusal the lifetime's must not differ from). */
async function expiredTokenRefusal(): Promise<unknown> {
  const other = await signup(t.app);
  clock.advance(30 * DAY + 1000);
  const res = await refresh(other.refreshToken);
  expectProblem(res, 401);
  return res.json;
}

describe('a session ends 90 days after its sign-in, however often it is refreshed', () => {
  it('refreshes until day 90; past it the refresh is the expired-token 401, the session is ended and its access token refused', async () => {
    const account = await signup(t.app);
    clock.advance(DAY);
    let pair = await login(account);
    const signedInAt = nowSeconds();
    const sid = claimsOf(pair.accessToken).sid as string;

    const listed = await sessions(pair.accessToken);
    expect(listed.status, listed.text).toBe(200);
    const mine = listed.json.items.find((s: { id: string }) => s.id === sid);
    expect(mine.expiresAt).toBe(new Date((signedInAt + NINETY_DAYS_S) * 1000).toISOString());

    // Refreshed every 20 days: each refresh alone would keep it for 30 more days.
    for (let day = 20; day <= 80; day += 20) {
      clock.advance(20 * DAY);
      pair = await refreshed(pair.refreshToken);
    }
    // The last refresh token lives to the session's end, not 30 days past the refresh.
    const token = (await scanTable(t.doc, t.tableName)).find((i) => i.kind === 'refresh-token' && i.familyId === sid && i.status === 'active');
    expect(token?.expiresAt).toBe(signedInAt + NINETY_DAYS_S);
    expect((await sessions(pair.accessToken)).json.items.find((s: { id: string }) => s.id === sid).expiresAt).toBe(mine.expiresAt);

    clock.advance(10 * DAY - 5 * 60_000); // day 90, five minutes before the end: still fine
    pair = await refreshed(pair.refreshToken);
    expect((await call(t.app, 'GET', '/v1/me', { token: pair.accessToken })).status).toBe(200);

    clock.advance(5 * 60_000); // the very end
    const res = await refresh(pair.refreshToken);
    expectProblem(res, 401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');

    // Ended, not merely refused: the item says so; and the session's last access token (issued 5 minutes before the end) expired at the end.
    const item = await sessionItem(account.user.id, sid);
    expect(item?.revokedAt).toEqual(expect.any(String));
    expect(item?.revokedReason).toBe('lifetime-ended');
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: pair.accessToken }), 401);
    // And presenting it again is the same refusal, not a reuse alarm.
    const again = await refresh(pair.refreshToken);
    expect(again.json).toEqual(res.json);

    // A new sign-in starts a new 90 days.
    const fresh = await login(account);
    const list = await sessions(fresh.accessToken);
    expect(list.json.items.map((s: { id: string }) => s.id)).not.toContain(sid);
    expect(list.json.items.find((s: { current: boolean }) => s.current).expiresAt).toBe(new Date((nowSeconds() + NINETY_DAYS_S) * 1000).toISOString());

    // No oracle: the same body as a refresh token past its own 30 days.
    expect(res.json).toEqual(await expiredTokenRefusal());
  });

  it('an access token ends with its session: one issued 5 minutes before the end lives 5 minutes, and its expiresIn says so', async () => {
    const account = await signup(t.app);
    const sid = claimsOf(account.accessToken).sid as string;
    const end = nowSeconds() + NINETY_DAYS_S;
    let pair = account as Pair;
    for (let day = 25; day < 90; day += 25) {
      clock.advance(25 * DAY);
      pair = await refreshed(pair.refreshToken);
    }
    clock.advance((end - nowSeconds() - 300) * 1000); // five minutes before the end
    const res = await refresh(pair.refreshToken);
    expect(res.status, res.text).toBe(200);
    expect(claimsOf(res.json.tokens.accessToken).exp).toBe(end);
    expect(res.json.tokens.expiresIn).toBe(300);
    // A repeat inside the grace window gets the very answer, its expiresIn too.
    clock.advance(2000);
    const repeat = await refresh(pair.refreshToken);
    expect(repeat.json.tokens).toEqual(res.json.tokens);
    // A refresh well before the end gets the full 15 minutes.
    expect(claimsOf(pair.accessToken).exp - claimsOf(pair.accessToken).iat).toBe(15 * 60);

    clock.advance(298_000 - 1000); // one second before the end: still fine
    expect((await call(t.app, 'GET', '/v1/me', { token: res.json.tokens.accessToken })).status).toBe(200);
    clock.advance(1000); // the end, with no refresh to end the session: the access token is refused by its own exp
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: res.json.tokens.accessToken }), 401);
    expect((await sessionItem(account.user.id, sid))?.revokedAt).toBeUndefined();
  });

  it('a refresh token that expired unused before its session\'s end is refused past the end exactly as before it: nothing written (review 53)', async () => {
    const account = await signup(t.app);
    const sid = claimsOf(account.accessToken).sid as string;
    clock.advance(20 * DAY);
    const pair = await refreshed(account.refreshToken); // its own 30 days end at day 50, before the session's day 90
    clock.advance(65 * DAY); // day 85: past its own expiry, not past the session's end
    const expired = await refresh(pair.refreshToken);
    expectProblem(expired, 401);
    expect((await sessionItem(account.user.id, sid))?.revokedAt).toBeUndefined();
    clock.advance(6 * DAY); // day 91 (DynamoDB's TTL may not have removed the token yet)
    const pastEnd = await refresh(pair.refreshToken);
    expect(pastEnd.json).toEqual(expired.json);
    // It could not have refreshed at the end, and no access token of the session lives since day 20:
    // there is nothing to end, and ending it would tell its holder which limit it hit by the write's time.
    expect((await sessionItem(account.user.id, sid))?.revokedAt).toBeUndefined();
  });

  it('the token current at the end, presented again after it, is a 401 with no write (the first presentation ends the session; a signed-out one is marked once)', async () => {
    const account = await signup(t.app);
    const sid = claimsOf(account.accessToken).sid as string;
    const other = await login(account);
    const otherSid = claimsOf(other.accessToken).sid as string;
    let pair: Pair = account;
    let otherPair = other;
    for (let day = 25; day <= 75; day += 25) {
      clock.advance(25 * DAY);
      pair = await refreshed(pair.refreshToken);
      otherPair = await refreshed(otherPair.refreshToken);
    } // day 75: these live to the sessions' end
    const signedOut = await call(t.app, 'DELETE', `/v1/me/sessions/${otherSid}`, { token: otherPair.accessToken });
    expect(signedOut.status, signedOut.text).toBe(204);
    clock.advance(15 * DAY + 60_000); // past both ends

    const first = await commandsSentDuring(t.doc, () => refresh(pair.refreshToken));
    expectProblem(first.result, 401);
    // One transaction: the family ended, its token marked and user.sessions_ended (what the
    // session left behind, its push devices, goes with it); nothing on the profile (no access token of it is live: item 1).
    expect(writesAmong(first.commands)).toEqual(['TransactWriteItemsCommand']);
    expect(transactionSizesOf(first.sent)).toEqual([3]);
    expect(JSON.stringify(first.sent)).not.toContain('users#profile');
    expect((await sessionItem(account.user.id, sid))?.revokedReason).toBe('lifetime-ended');
    for (let i = 0; i < 3; i++) {
      const again = await commandsSentDuring(t.doc, () => refresh(pair.refreshToken));
      expect(again.result.json).toEqual(first.result.json);
      expect(writesAmong(again.commands)).toEqual([]);
    }

    // Signed out before its end: past it, its current token writes once (the mark), then never.
    const marked = await commandsSentDuring(t.doc, () => refresh(otherPair.refreshToken));
    expect(marked.result.json).toEqual(first.result.json);
    expect(writesAmong(marked.commands)).toEqual(['TransactWriteItemsCommand', 'UpdateItemCommand']); // the ending refused (signed out already), then the mark
    expect((await sessionItem(account.user.id, otherSid))?.revokedReason).toBe('signed-out');
    const quiet = await commandsSentDuring(t.doc, () => refresh(otherPair.refreshToken));
    expect(quiet.result.json).toEqual(first.result.json);
    expect(writesAmong(quiet.commands)).toEqual([]);
  });

  it('sessions ending by their lifetime do not count towards the 51-ended rule: 51 reaching their end in one window sign nothing else out', async () => {
    const account = await signup(t.app);
    const pairs: Pair[] = [];
    for (let i = 0; i < 51; i++) pairs.push(await login(account));
    for (let day = 25; day <= 75; day += 25) {
      clock.advance(25 * DAY);
      for (let i = 0; i < pairs.length; i++) pairs[i] = await refreshed(pairs[i]!.refreshToken);
    } // day 75: these live to the sessions' end
    clock.advance(14 * DAY);
    const fresh = await login(account); // a session signed in a day before the others end
    clock.advance(DAY + 60_000); // past the 51 ends, all inside one 16-minute window
    for (const pair of pairs) expectProblem(await refresh(pair.refreshToken), 401);
    for (const pair of pairs) expect((await sessionItem(account.user.id, claimsOf(pair.accessToken).sid))?.revokedReason).toBe('lifetime-ended');
    // Nothing else ended: the fresh session refreshes, the epoch did not move, and the profile holds no ended id.
    expect((await refresh(fresh.refreshToken)).status).toBe(200);
    const profile = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#profile')!;
    expect(profile.sessionEpoch ?? 0).toBe(0);
    expect(profile.revokedSessions0 ?? profile.revokedSessions1).toBeUndefined();
  }, 120_000);

  it('logging out sessions whose access tokens are all over does not count either: 51 idle ones signed out in one window end nothing else', async () => {
    const account = await signup(t.app);
    const pairs: Pair[] = [];
    for (let i = 0; i < 51; i++) pairs.push(await login(account));
    clock.advance(17 * 60_000); // idle longer than an access token lives (plus its clock slack)
    const fresh = await login(account);
    for (const pair of pairs) expect((await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: pair.refreshToken } })).status).toBe(204);
    for (const pair of pairs) {
      expect((await sessionItem(account.user.id, claimsOf(pair.accessToken).sid))?.revokedReason).toBe('logout');
      expectProblem(await refresh(pair.refreshToken), 401);
    }
    expect((await call(t.app, 'GET', '/v1/me', { token: fresh.accessToken })).status).toBe(200);
    const profile = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#profile')!;
    expect(profile.sessionEpoch ?? 0).toBe(0);
    // A session with a live access token still counts, and its token is refused at once.
    const live = await login(account);
    expect((await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: live.refreshToken } })).status).toBe(204);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: live.accessToken }), 401);
  }, 120_000);

  it('an idle logout raced by a refresh of the same session records it after all: the access token the refresh handed out is refused at once', async () => {
    const account = await signup(t.app);
    clock.advance(17 * 60_000); // idle: its access token is over, so the logout plans no record
    let rotated: { status: number; json: { tokens: Pair } } | undefined;
    await withCommandMiddleware(
      t.doc,
      'refreshBeforeTheLogoutWrites',
      (next, context) => async (args) => {
        const input = JSON.stringify(args.input);
        if (!rotated && context.commandName === 'TransactWriteItemsCommand' && input.includes('"logout"') && !input.includes('users#profile')) {
          rotated = await refresh(account.refreshToken);
        }
        return next(args);
      },
      async () => {
        expect((await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: account.refreshToken } })).status).toBe(204);
      },
    );
    expect(rotated?.status).toBe(200);
    const sid = claimsOf(account.accessToken).sid as string;
    expect((await sessionItem(account.user.id, sid))?.revokedReason).toBe('logout');
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: rotated!.json.tokens.accessToken }), 401);
    const profile = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#profile')!;
    expect([...((profile.revokedSessions0 ?? profile.revokedSessions1) as Set<string>)]).toEqual([sid]);
  });

  it('ended within the clock slack of its end (a refresh or a logout), a session is recorded: an instance whose clock lags still refuses its last access token (review 54)', async () => {
    // Another instance's clock may read up to REVOKED_SESSIONS_CLOCK_SLACK_SECONDS (60 s) behind:
    // there a token whose exp is the end still verifies, so only the profile's record refuses it.
    const lagging = async (token: string) => {
      clock.advance(-30_000);
      try {
        return await call(t.app, 'GET', '/v1/me', { token });
      } finally {
        clock.advance(30_000);
      }
    };
    const account = await signup(t.app);
    const other = await login(account);
    const end = nowSeconds() + NINETY_DAYS_S;
    let pair = account as Pair;
    let otherPair = other;
    for (let day = 25; day < 90; day += 25) {
      clock.advance(25 * DAY);
      pair = await refreshed(pair.refreshToken);
      otherPair = await refreshed(otherPair.refreshToken);
    }
    clock.advance((end - nowSeconds() - 300) * 1000);
    pair = await refreshed(pair.refreshToken);
    otherPair = await refreshed(otherPair.refreshToken);
    expect(claimsOf(pair.accessToken).exp).toBe(end);
    clock.advance(301_000); // one second past the end
    expectProblem(await refresh(pair.refreshToken), 401);
    expect((await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: otherPair.refreshToken } })).status).toBe(204);
    expectProblem(await lagging(pair.accessToken), 401);
    expectProblem(await lagging(otherPair.accessToken), 401);
  });

  it('signed out by id within the clock slack after its end, a session is recorded (204): an instance whose clock lags refuses its last access token; past the slack, 404 with no write', async () => {
    // A one-hour lifetime on the same table and clock, so a session nears its end without 90 days of refreshes.
    const short = await createTestSystem({ clock, modules: ['users'], tableName: t.tableName, env: { SESSION_MAX_LIFETIME_SECONDS: '3600' } });
    const on = (method: 'GET' | 'POST' | 'DELETE', path: string, options: { token?: string; body?: unknown } = {}) => call(short.app, method, path, options);
    try {
      const account = await signup(short.app);
      const login1 = await on('POST', '/v1/auth/login', { body: { email: account.email, password: account.password } });
      const login2 = await on('POST', '/v1/auth/login', { body: { email: account.email, password: account.password } });
      const end = nowSeconds() + 3600;
      clock.advance(50 * 60_000);
      // Refreshed 10 minutes before the end: these access tokens expire exactly at it.
      const within = await on('POST', '/v1/auth/refresh', { body: { refreshToken: login1.json.tokens.refreshToken } });
      const past = await on('POST', '/v1/auth/refresh', { body: { refreshToken: login2.json.tokens.refreshToken } });
      expect(claimsOf(within.json.tokens.accessToken).exp).toBe(end);
      const signer = (await on('POST', '/v1/auth/login', { body: { email: account.email, password: account.password } })).json.tokens as Pair;
      const withinSid = claimsOf(within.json.tokens.accessToken).sid as string;
      const pastSid = claimsOf(past.json.tokens.accessToken).sid as string;

      clock.advance((end - nowSeconds() + 1) * 1000); // one second past the end
      const res = await on('DELETE', `/v1/me/sessions/${withinSid}`, { token: signer.accessToken });
      expect(res.status, res.text).toBe(204);
      expect((await sessionItem(account.user.id, withinSid))?.revokedReason).toBe('signed-out');
      // An instance whose clock reads 30 s behind still verifies the token (exp = the end): only the record refuses it.
      clock.advance(-30_000);
      try {
        expectProblem(await on('GET', '/v1/me', { token: within.json.tokens.accessToken }), 401);
      } finally {
        clock.advance(30_000);
      }
      const profile = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#profile')!;
      expect([...((profile.revokedSessions0 ?? profile.revokedSessions1) as Set<string>)]).toEqual([withinSid]);

      clock.advance(60_000); // the end plus the slack passed: no access token of it is accepted anywhere
      const late = await commandsSentDuring(short.doc, () => on('DELETE', `/v1/me/sessions/${pastSid}`, { token: signer.accessToken }));
      expectProblem(late.result, 404);
      expect(writesAmong(late.commands)).toEqual([]);
    } finally {
      await short.destroy();
    }
  });

  it('a session stored before lifetimes existed keeps working: its 90 days count from its first refresh after the change', async () => {
    const account = await signup(t.app);
    const pair = await login(account);
    const sid = claimsOf(pair.accessToken).sid as string;
    // As items written before this change: no session end on the family or its tokens.
    const items = (await scanTable(t.doc, t.tableName)).filter((i) => i.familyId === sid);
    expect(items.length).toBeGreaterThan(1);
    for (const item of items) {
      expect(typeof item.sessionExpiresAt).toBe('number');
      await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'REMOVE sessionExpiresAt' }));
    }
    // Not known yet: the list says so (null) rather than guessing.
    expect((await sessions(pair.accessToken)).json.items.find((s: { id: string }) => s.id === sid).expiresAt).toBeNull();

    clock.advance(100 * DAY - 1000); // its sign-in is long past 90 days, but it was refreshed meanwhile (pretend: the token is still live)
    for (const item of items.filter((i) => i.kind === 'refresh-token' || i.kind === 'session')) {
      await t.doc.send(
        new UpdateCommand({ TableName: t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET expiresAt = :e', ExpressionAttributeValues: { ':e': nowSeconds() + 3600 } }),
      );
    }
    let next = await refreshed(pair.refreshToken);
    const firstRefreshAt = nowSeconds();
    expect((await sessions(next.accessToken)).json.items.find((s: { id: string }) => s.id === sid).expiresAt).toBe(
      new Date((firstRefreshAt + NINETY_DAYS_S) * 1000).toISOString(),
    );
    clock.advance(29 * DAY);
    next = await refreshed(next.refreshToken);
    clock.advance(29 * DAY);
    next = await refreshed(next.refreshToken);
    clock.advance(29 * DAY);
    next = await refreshed(next.refreshToken);
    clock.advance(3 * DAY); // 90 days after that first refresh
    expectProblem(await refresh(next.refreshToken), 401);
    expect((await sessionItem(account.user.id, sid))?.revokedReason).toBe('lifetime-ended');
  });

  it('is configurable: SESSION_MAX_LIFETIME_SECONDS', async () => {
    const short = await createTestSystem({ clock, modules: ['users'], env: { SESSION_MAX_LIFETIME_SECONDS: '3600' } });
    try {
      const account = await signup(short.app);
      clock.advance(50 * 60_000);
      const res = await call(short.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
      expect(res.status, res.text).toBe(200);
      clock.advance(10 * 60_000);
      const late = await call(short.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: res.json.tokens.refreshToken } });
      expectProblem(late, 401);
    } finally {
      await short.destroy();
    }
  });
});
