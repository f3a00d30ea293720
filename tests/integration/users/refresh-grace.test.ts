import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_GRACE_SECONDS } from '../../../packages/users/src/service/sessions.service';
import { heldJobs } from '../../support/held-jobs';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup } from './helpers';

/**
 * A flaky network retries a refresh: the repeats of one refresh, within a few seconds, must
 * get the pair the first one got instead of revoking the session. After the window a reuse is
 * theft again and revokes the family.
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
/** The job units requests queue (the sessions cleanup's), held as SQS holds them until a worker runs them. */
const jobs = heldJobs('refresh-grace');
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'], jobs: { transport: jobs.transport } });
});
afterAll(async () => {
  await t.destroy();
  await jobs.stop();
});

const refresh = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
const me = (token: string) => call(t.app, 'GET', '/v1/me', { token });
const REFRESH_INVALID = 'The refresh token is invalid, expired or revoked; sign in again.';

describe('refresh grace window', () => {
  it('answers ten concurrent refreshes of one token with the same new pair, and the session lives on', async () => {
    const user = await signup(t.app);
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(user.refreshToken)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const pairs = new Set(results.map((r) => JSON.stringify(r.json.tokens)));
    expect(pairs.size).toBe(1);
    const { tokens } = results[0]!.json;
    expect(tokens.refreshToken).not.toBe(user.refreshToken);
    expect((await me(tokens.accessToken)).status).toBe(200);
    // The new refresh token is the family's current one: it rotates normally.
    expect((await refresh(tokens.refreshToken)).status).toBe(200);
  });

  it(`repeats the pair for ${REFRESH_GRACE_SECONDS} s; a reuse after that revokes the family`, async () => {
    const user = await signup(t.app);
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    clock.advance(REFRESH_GRACE_SECONDS * 1000);
    const repeat = await refresh(user.refreshToken);
    expect(repeat.status).toBe(200);
    expect(repeat.json.tokens).toEqual(first.json.tokens);

    clock.advance(1000);
    const late = await refresh(user.refreshToken);
    expectProblem(late, 401);
    expect(late.json.detail).toContain('already used');
    expectProblem(await refresh(first.json.tokens.refreshToken), 401);
  });

  it('treats a repeat as reuse once the new token was itself used', async () => {
    const user = await signup(t.app);
    const second = await refresh(user.refreshToken);
    const third = await refresh(second.json.tokens.refreshToken);
    expect(third.status).toBe(200);
    expectProblem(await refresh(user.refreshToken), 401);
    expectProblem(await refresh(third.json.tokens.refreshToken), 401);
  });

  it('does not revive a session ended by logout within the window', async () => {
    const user = await signup(t.app);
    const first = await refresh(user.refreshToken);
    expect((await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: first.json.tokens.refreshToken } })).status).toBe(204);
    expectProblem(await refresh(user.refreshToken), 401);
  });

  it('does not hand out the pair again once every session ended (a password change, the account deleted), before the cleanup job marks the family', async () => {
    // A password change elsewhere ends this session (the epoch moves); its family is marked by a job, still queued.
    const user = await signup(t.app);
    const other = await call(t.app, 'POST', '/v1/auth/login', { body: { email: user.email, password: user.password } });
    const first = await refresh(other.json.tokens.refreshToken);
    expect(first.status, first.text).toBe(200);
    const changed = await call(t.app, 'POST', '/v1/me/password', { token: user.accessToken, body: { currentPassword: user.password, newPassword: 'a brand new passphrase for this' } });
    expect(changed.status, changed.text).toBe(200);
    expectProblem(await me(first.json.tokens.accessToken), 401);
    const repeat = await refresh(other.json.tokens.refreshToken);
    expectProblem(repeat, 401);
    expect(repeat.json.detail).toBe(REFRESH_INVALID);

    // The account deleted: its sessions' items go with a job, still queued.
    const gone = await signup(t.app);
    const spent = gone.refreshToken;
    const next = await refresh(spent);
    expect(next.status, next.text).toBe(200);
    expect((await call(t.app, 'DELETE', '/v1/me', { token: next.json.tokens.accessToken })).status).toBe(204);
    const afterDeletion = await refresh(spent);
    expectProblem(afterDeletion, 401);
    expect(afterDeletion.json.detail).toBe(REFRESH_INVALID);
    jobs.held.splice(0);
  });

  it('keeps the repeated pair only sealed with the spent token: no token appears in clear in the table', async () => {
    const user = await signup(t.app);
    const first = await refresh(user.refreshToken);
    const dump = JSON.stringify(await scanTable(t.doc, t.tableName));
    expect(dump).not.toContain(first.json.tokens.refreshToken);
    expect(dump).not.toContain(first.json.tokens.accessToken);
    expect(dump).not.toContain(user.refreshToken);
  });
});
