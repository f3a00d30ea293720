import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, fixedClock } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { REVOKED_SESSIONS_PER_WINDOW, windowAt, windowSeconds } from '../../../packages/users/src/domain/revoked-sessions';
import { SessionsRepository } from '../../../packages/users/src/repository/sessions.repository';
import { ADDRESS_LIMIT } from '../../../packages/users/src/service/address-limit';
import { LOGIN_THROTTLE } from '../../../packages/users/src/service/login-throttle';
import { PasswordHasher } from '../../../packages/users/src/service/passwords';
import { call, fromAddress } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, throttleKeysOf, type Account } from './helpers';

/**
 * Account security over HTTP on DynamoDB Local: changing the password (which ends every other
 * session), listing where the account is signed in, and signing one session out.
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
});
afterAll(() => t.destroy());
afterEach(() => vi.restoreAllMocks());

const login = (email: string, password: string, sourceIp?: string) =>
  call(t.app, 'POST', '/v1/auth/login', { body: { email, password }, ...(sourceIp ? { env: fromAddress(sourceIp) } : {}) });
const refresh = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
const changePassword = (token: string, body: unknown, sourceIp?: string) =>
  call(t.app, 'POST', '/v1/me/password', { token, body, ...(sourceIp ? { env: fromAddress(sourceIp) } : {}) });
const listSessions = (token: string, query = '') => call(t.app, 'GET', `/v1/me/sessions${query}`, { token });
const endSession = (token: string, sessionId: string) => call(t.app, 'DELETE', `/v1/me/sessions/${sessionId}`, { token });

/** A second sign-in of the account: another device, another session. */
async function signInAgain(account: Account) {
  clock.advance(1_000);
  const res = await login(account.email, account.password);
  expect(res.status, res.text).toBe(200);
  return res.json.tokens as { accessToken: string; refreshToken: string };
}

/** The session id (claim `sid`) an access token names. */
const sid = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string | undefined;

describe('POST /v1/me/password', () => {
  it('stores the new password, ends every session and hands the caller a new one', async () => {
    const account = await signup(t.app); // session A (the signup)
    const phone = await signInAgain(account); // session B
    const res = await changePassword(phone.accessToken, { currentPassword: account.password, newPassword: 'a brand new passphrase' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.tokens).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });

    expectProblem(await login(account.email, account.password), 401);
    expect((await login(account.email, 'a brand new passphrase')).status).toBe(200);
    // Both earlier sessions are over, also the one the change was made from.
    expectProblem(await refresh(account.refreshToken), 401);
    expectProblem(await refresh(phone.refreshToken), 401);
    // The new pair works: its access token, then its refresh token.
    expect((await call(t.app, 'GET', '/v1/me', { token: res.json.tokens.accessToken })).json.id).toBe(account.user.id);
    clock.advance(1_000);
    const renewed = await refresh(res.json.tokens.refreshToken);
    expect(renewed.status, renewed.text).toBe(200);

    // The items say so too: the profile's epoch moved, the old families are marked ended.
    const items = await scanTable(t.doc, t.tableName);
    expect(items.find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#profile')).toMatchObject({ sessionEpoch: 1 });
    const families = items.filter((i) => i.pk === `users#user#${account.user.id}` && String(i.sk).startsWith('users#session#'));
    const ended = families.filter((i) => i.revokedReason === 'password-changed').map((i) => i.familyId);
    expect(ended.sort()).toEqual([sid(account.accessToken), sid(phone.accessToken)].sort());
    expect(families.find((i) => i.familyId === sid(res.json.tokens.accessToken))).toMatchObject({ epoch: 1 });
    expect(families.find((i) => i.familyId === sid(res.json.tokens.accessToken))).not.toHaveProperty('revokedAt');
  });

  it('ends the other sessions by the write itself, even if the job marking them ended fails afterwards', async () => {
    const account = await signup(t.app);
    const phone = await signInAgain(account);
    vi.spyOn(SessionsRepository.prototype, 'markPageBeforeEpoch').mockRejectedValue(new Error('process died here'));
    const res = await changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'a brand new passphrase' });
    expect(res.status, res.text).toBe(200);
    const unmarked = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}` && 'revokedAt' in i);
    expect(unmarked).toEqual([]);
    clock.advance(1_000);
    expectProblem(await refresh(phone.refreshToken), 401);
    expectProblem(await refresh(account.refreshToken), 401);
    const listed = await listSessions(res.json.tokens.accessToken);
    expect(listed.json.items.map((s: { id: string }) => s.id)).toEqual([sid(res.json.tokens.accessToken)]);
    expect((await refresh(res.json.tokens.refreshToken)).status).toBe(200);
  });

  it('leaves alone a sign-in with the new password that lands before the old sessions are marked ended', async () => {
    const account = await signup(t.app);
    let early: { accessToken: string; refreshToken: string } | undefined;
    const mark = SessionsRepository.prototype.markPageBeforeEpoch;
    // The sessions cleanup job's first page (the test system works its unit inline, after the change's commit).
    vi.spyOn(SessionsRepository.prototype, 'markPageBeforeEpoch').mockImplementation(async function (this: SessionsRepository, ...args) {
      if (!early) {
        const res = await login(account.email, 'a brand new passphrase');
        expect(res.status, res.text).toBe(200);
        early = res.json.tokens;
      }
      return mark.apply(this, args);
    });
    const res = await changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'a brand new passphrase' });
    expect(res.status, res.text).toBe(200);
    vi.restoreAllMocks();
    const listed = await listSessions(res.json.tokens.accessToken);
    expect(listed.json.items.map((s: { id: string }) => s.id).sort()).toEqual([sid(res.json.tokens.accessToken), sid(early!.accessToken)].sort());
    clock.advance(1_000);
    expect((await refresh(early!.refreshToken)).status).toBe(200);
    expectProblem(await refresh(account.refreshToken), 401);
  });

  it('refuses a wrong current password with 422 naming currentPassword, and counts it like a failed sign-in', async () => {
    const account = await signup(t.app);
    const guesser = '203.0.113.50';
    // Failed sign-ins and failed password changes from one client share one count.
    expectProblem(await login(account.email, 'wrong password 1', guesser), 401);
    expectProblem(await login(account.email, 'wrong password 2', guesser), 401);
    for (let i = 0; i < LOGIN_THROTTLE.maxFailuresPerClient - 2; i++) {
      const res = await changePassword(account.accessToken, { currentPassword: `wrong password x${i}`, newPassword: 'a brand new passphrase' }, guesser);
      expectProblem(res, 422, ['currentPassword']);
      expect(res.json.type).toMatch(/incorrect-password$/);
    }
    const counter = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === throttleKeysOf(account.email).pk && i.sk === throttleKeysOf(account.email).clientSk('203.0.113.50'));
    expect(counter?.attempts).toBe(LOGIN_THROTTLE.maxFailuresPerClient);

    // Over the limit: even the right current password (and a sign-in) gets 429 from there.
    const blocked = await changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'a brand new passphrase' }, guesser);
    expectProblem(blocked, 429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expectProblem(await login(account.email, account.password, guesser), 429);
    // Nothing changed: the old password still works elsewhere, and the signup's session too.
    expect((await login(account.email, account.password, '198.51.100.50')).status).toBe(200);
    expect((await refresh(account.refreshToken)).status).toBe(200);
  });

  it('is held to the per-address hashing allowance of sign-in (cost guard), before the password is checked', async () => {
    const account = await signup(t.app);
    const busy = '203.0.113.60';
    for (let i = 0; i < ADDRESS_LIMIT.maxAttempts; i++) expectProblem(await login(`nobody-${i}@example.com`, 'wrong password!!', busy), 401);
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    const res = await changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'a brand new passphrase' }, busy);
    expectProblem(res, 429);
    expect(res.json.detail).toMatch(/network address/);
    expect(verify).not.toHaveBeenCalled();
    expect((await login(account.email, account.password)).status).toBe(200);
  });

  it('validates the new password like signup: 400 naming newPassword', async () => {
    const account = await signup(t.app);
    expectProblem(await changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'short' }), 400, ['newPassword']);
    expectProblem(await changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'x'.repeat(129) }), 400, ['newPassword']);
    expectProblem(await changePassword(account.accessToken, { newPassword: 'a brand new passphrase' }), 400, ['currentPassword']);
    expectProblem(await call(t.app, 'POST', '/v1/me/password', { body: { currentPassword: account.password, newPassword: 'a brand new passphrase' } }), 401);
    expect((await login(account.email, account.password)).status).toBe(200);
  });

  it('of two concurrent changes with the right password, exactly one is applied', async () => {
    const account = await signup(t.app);
    const [first, second] = await Promise.all([
      changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'first new passphrase' }),
      changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'second new passphrase' }),
    ]);
    const statuses = [first.status, second.status];
    expect(statuses.filter((s) => s === 200), `${first.text} ${second.text}`).toHaveLength(1);
    // The loser either met the winner's write (409) or already found the password changed (422).
    expect([409, 422]).toContain(statuses.find((s) => s !== 200));
    await expectOnlyWinner(account, first.status === 200 ? 'first new passphrase' : 'second new passphrase', first.status === 200 ? 'second new passphrase' : 'first new passphrase');
    expect((await refresh((first.status === 200 ? first : second).json.tokens.refreshToken)).status).toBe(200);
  });

  it('when both checked the old password before either wrote, the second write is refused with 409', async () => {
    const account = await signup(t.app);
    // Hold each request after its password check until both have made it: both verified the
    // old hash, so only the write's condition can tell them apart.
    let arrived = 0;
    let release!: () => void;
    const bothChecked = new Promise<void>((resolve) => (release = resolve));
    const hash = PasswordHasher.prototype.hash;
    vi.spyOn(PasswordHasher.prototype, 'hash').mockImplementation(async function (this: PasswordHasher, password: string) {
      if (++arrived === 2) release();
      await Promise.race([bothChecked, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      return hash.call(this, password);
    });
    const [first, second] = await Promise.all([
      changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'first new passphrase' }),
      changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'second new passphrase' }),
    ]);
    vi.restoreAllMocks();
    expect(arrived).toBe(2);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expectProblem(loser, 409);
    await expectOnlyWinner(account, first.status === 200 ? 'first new passphrase' : 'second new passphrase', first.status === 200 ? 'second new passphrase' : 'first new passphrase');
  });

  async function expectOnlyWinner(account: Account, winner: string, loser: string) {
    expect((await login(account.email, winner)).status).toBe(200);
    expectProblem(await login(account.email, loser), 401);
    expectProblem(await login(account.email, account.password), 401);
  }
});

describe('GET /v1/me/sessions', () => {
  it('lists each sign-in, newest first, marks the caller\'s, and drops ended ones', async () => {
    const account = await signup(t.app);
    const phone = await signInAgain(account);
    const res = await listSessions(phone.accessToken);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      items: [
        // expiresAt: the sign-in + 90 days (the absolute lifetime), however often it is refreshed.
        { id: sid(phone.accessToken), createdAt: clock.now().toISOString(), lastUsedAt: clock.now().toISOString(), current: true, expiresAt: new Date(clock.now().getTime() + 90 * 86_400_000).toISOString() },
        { id: sid(account.accessToken), createdAt: expect.any(String), lastUsedAt: expect.any(String), current: false, expiresAt: expect.any(String) },
      ],
      nextCursor: null,
    });
    expect(res.json.items[0].id).not.toBe(res.json.items[1].id);

    // A refresh moves lastUsedAt (and keeps the session id).
    clock.advance(60_000);
    const renewed = await refresh(account.refreshToken);
    expect(sid(renewed.json.tokens.accessToken)).toBe(sid(account.accessToken));
    const after = await listSessions(renewed.json.tokens.accessToken);
    expect(after.json.items.find((s: { id: string }) => s.id === sid(account.accessToken))).toMatchObject({ lastUsedAt: clock.now().toISOString(), current: true });

    // Logged out and signed-out sessions are not listed.
    expect((await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: renewed.json.tokens.refreshToken } })).status).toBe(204);
    expect((await listSessions(phone.accessToken)).json.items.map((s: { id: string }) => s.id)).toEqual([sid(phone.accessToken)]);
    const third = await signInAgain(account);
    expect((await endSession(third.accessToken, sid(phone.accessToken)!)).status).toBe(204);
    expect((await listSessions(third.accessToken)).json.items.map((s: { id: string }) => s.id)).toEqual([sid(third.accessToken)]);
  });

  it('pages with limit and cursor; a cursor of another account is refused', async () => {
    const account = await signup(t.app);
    const second = await signInAgain(account);
    const third = await signInAgain(account);
    const page1 = await listSessions(third.accessToken, '?limit=2');
    expect(page1.json.items.map((s: { id: string }) => s.id)).toEqual([sid(third.accessToken), sid(second.accessToken)]);
    expect(page1.json.nextCursor).toEqual(expect.any(String));
    const page2 = await listSessions(third.accessToken, `?limit=2&cursor=${page1.json.nextCursor}`);
    expect(page2.json).toEqual({ items: [expect.objectContaining({ id: sid(account.accessToken) })], nextCursor: null });

    const other = await signup(t.app);
    expectProblem(await listSessions(other.accessToken, `?limit=2&cursor=${page1.json.nextCursor}`), 400, ['query.cursor']);
    expectProblem(await listSessions(third.accessToken, '?limit=0'), 400);
  });

  it('a page holding the oldest session has no cursor, also when it is full (100 sessions at limit=100)', async () => {
    const account = await signup(t.app);
    const family = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${account.user.id}` && String(i.sk).startsWith('users#session#'))!;
    // 99 more sign-ins, older than the account's own: its family's item under other ids.
    for (let i = 0; i < 99; i++) {
      const familyId = `01JD0000000000000000000${String(i).padStart(3, '0')}`;
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...family, sk: `users#session#${familyId}`, familyId } }));
    }
    const full = await listSessions(account.accessToken, '?limit=100');
    expect(full.status, full.text).toBe(200);
    expect(full.json.items).toHaveLength(100);
    expect(full.json.nextCursor).toBeNull();
    const first = await listSessions(account.accessToken, '?limit=50');
    const second = await listSessions(account.accessToken, `?limit=50&cursor=${first.json.nextCursor}`);
    expect([...first.json.items, ...second.json.items].map((s: { id: string }) => s.id)).toEqual(full.json.items.map((s: { id: string }) => s.id));
    expect(second.json.nextCursor).toBeNull();
  });

  it('does not list sessions a password change ended', async () => {
    const account = await signup(t.app);
    await signInAgain(account);
    const changed = await changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'a brand new passphrase' });
    const res = await listSessions(changed.json.tokens.accessToken);
    expect(res.json.items).toEqual([expect.objectContaining({ id: sid(changed.json.tokens.accessToken), current: true })]);
  });

  it('still answers for an access token without a session id: nothing is current', async () => {
    const account = await signup(t.app);
    const legacy = await t.system.deps.tokens.sign({ userId: account.user.id });
    expect(sid(legacy)).toBeUndefined();
    const res = await listSessions(legacy);
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([expect.objectContaining({ id: sid(account.accessToken), current: false })]);
  });
});

describe('DELETE /v1/me/sessions/{sessionId}', () => {
  it('ends that session only: its refresh fails, the other one keeps working', async () => {
    const account = await signup(t.app);
    const phone = await signInAgain(account);
    expect((await endSession(account.accessToken, sid(phone.accessToken)!)).status).toBe(204);
    expectProblem(await refresh(phone.refreshToken), 401);
    clock.advance(1_000);
    expect((await refresh(account.refreshToken)).status).toBe(200);
    // Already ended: nothing to end any more.
    expectProblem(await endSession(account.accessToken, sid(phone.accessToken)!), 404);
  });

  it('answers 404 for another account\'s session or an unknown id, and leaves theirs alone', async () => {
    const mine = await signup(t.app);
    const theirs = await signup(t.app);
    expectProblem(await endSession(mine.accessToken, sid(theirs.accessToken)!), 404);
    expectProblem(await endSession(mine.accessToken, '01JDQ40M2XKX3G9T5N7B8C6D4E'), 404);
    expectProblem(await endSession(mine.accessToken, 'not%23valid'), 400, ['param.sessionId']);
    expect((await refresh(theirs.refreshToken)).status).toBe(200);
  });

  it('may end the current session (sign out this device): its refresh and its access token stop at once', async () => {
    const account = await signup(t.app);
    expect((await endSession(account.accessToken, sid(account.accessToken)!)).status).toBe(204);
    expectProblem(await refresh(account.refreshToken), 401);
    expectProblem(await listSessions(account.accessToken), 401);
    const other = await signInAgain(account);
    expect((await listSessions(other.accessToken)).json.items).toEqual([expect.objectContaining({ id: sid(other.accessToken), current: true })]);
  });
});

describe('ended sessions kept on the profile (their access tokens are refused until they expire)', () => {
  const TTL = 900;
  const profileOf = async (userId: string) => (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${userId}` && i.sk === 'users#profile')!;
  /** The profile's ended-session slots: per slot its window and ids. */
  const slots = async (userId: string) => {
    const item = await profileOf(userId);
    return [0, 1].map((s) => ({ window: item[`revokedWindow${s}`], ids: [...((item[`revokedSessions${s}`] as Set<string> | undefined) ?? [])].sort() }));
  };
  const windowNow = () => windowAt(epochSeconds(clock.now()), TTL);
  /** Moves the clock to the start of the next window (and 5 s in). */
  const nextWindow = () => clock.set(new Date(((windowNow().window + 1) * windowSeconds(TTL) + 5) * 1000));

  it('are pruned: an id stays for its window and the next, and goes when its slot is written two windows later', async () => {
    nextWindow();
    const account = await signup(t.app);
    // Each session signed in within the window it is signed out in: one idle longer than an access
    // token lives would end with no id recorded (nothing of it can be live).
    const a = await signInAgain(account);
    const w = windowNow().window;
    expect((await endSession(account.accessToken, sid(a.accessToken)!)).status).toBe(204);
    expect((await slots(account.user.id))[w % 2]).toEqual({ window: w, ids: [sid(a.accessToken)] });

    nextWindow();
    const fresh = await signInAgain(account); // the signup's access token has expired by now
    const b = await signInAgain(account);
    expect((await endSession(fresh.accessToken, sid(b.accessToken)!)).status).toBe(204);
    const held = await slots(account.user.id);
    expect(held[w % 2]).toEqual({ window: w, ids: [sid(a.accessToken)] });
    expect(held[(w + 1) % 2]).toEqual({ window: w + 1, ids: [sid(b.accessToken)] });

    nextWindow();
    const later = await signInAgain(account);
    const c = await signInAgain(account);
    expect((await endSession(later.accessToken, sid(c.accessToken)!)).status).toBe(204);
    const pruned = await slots(account.user.id);
    expect(pruned[w % 2]).toEqual({ window: w + 2, ids: [sid(c.accessToken)] });
    expect(pruned[(w + 1) % 2]).toEqual({ window: w + 1, ids: [sid(b.accessToken)] });
    // c's token is refused at once; a's had expired before its id was pruned.
    expectProblem(await listSessions(c.accessToken), 401);
    expect((await listSessions(later.accessToken)).status).toBe(200);
  });

  it('are bounded: past PER_WINDOW in one window, every session ends (the epoch moves) and the slots are cleared', async () => {
    nextWindow();
    const account = await signup(t.app);
    const [phone, tablet] = [await signInAgain(account), await signInAgain(account)];
    // PER_WINDOW - 1 sessions already ended in this window (written directly: as many sign-ins would take long).
    const { window, slot } = windowNow();
    const others = Array.from({ length: REVOKED_SESSIONS_PER_WINDOW - 1 }, (_, i) => `01KENDED${String(i).padStart(18, '0')}`);
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: { pk: `users#user#${account.user.id}`, sk: 'users#profile' },
        UpdateExpression: `SET revokedSessions${slot} = :ids, revokedWindow${slot} = :w`,
        ExpressionAttributeValues: { ':ids': new Set(others), ':w': window },
      }),
    );
    // The last one that fits.
    expect((await endSession(account.accessToken, sid(phone.accessToken)!)).status).toBe(204);
    expect((await slots(account.user.id))[slot]!.ids).toHaveLength(REVOKED_SESSIONS_PER_WINDOW);
    expectProblem(await listSessions(phone.accessToken), 401);
    expect((await listSessions(account.accessToken)).status).toBe(200);

    // One more (a logout, which guesses without reading): every session ends instead.
    expect((await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: tablet.refreshToken } })).status).toBe(204);
    const item = await profileOf(account.user.id);
    expect(item.sessionEpoch).toBe(1);
    expect(Object.keys(item).filter((k) => k.startsWith('revoked'))).toEqual([]);
    for (const token of [account.accessToken, tablet.accessToken]) expectProblem(await listSessions(token), 401);
    expectProblem(await refresh(account.refreshToken), 401);
    const families = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}` && String(i.sk).startsWith('users#session#'));
    expect(Object.fromEntries(families.map((f) => [f.familyId, f.revokedReason]))).toEqual({
      [sid(account.accessToken)!]: 'too-many-ended',
      [sid(phone.accessToken)!]: 'signed-out',
      [sid(tablet.accessToken)!]: 'logout',
    });
    // Signing in again works, in the new epoch.
    const again = await signInAgain(account);
    expect((await listSessions(again.accessToken)).status).toBe(200);
  });

  it('are cleared by a password change (every session they name is of the earlier epoch)', async () => {
    const account = await signup(t.app);
    const phone = await signInAgain(account);
    expect((await endSession(account.accessToken, sid(phone.accessToken)!)).status).toBe(204);
    expect((await slots(account.user.id)).flatMap((s) => s.ids)).toEqual([sid(phone.accessToken)]);
    expect((await changePassword(account.accessToken, { currentPassword: account.password, newPassword: 'a brand new passphrase' })).status).toBe(200);
    expect(Object.keys(await profileOf(account.user.id)).filter((k) => k.startsWith('revoked'))).toEqual([]);
  });
});
