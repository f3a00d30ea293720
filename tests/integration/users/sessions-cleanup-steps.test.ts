import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, fixedClock, newId } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REVOKED_SESSIONS_PER_WINDOW, windowAt } from '../../../packages/users/src/domain/revoked-sessions';
import { usersKeys } from '../../../packages/users/src/repository/keys';
import { sessionsCleanupJob } from '../../../packages/users/src/jobs/sessions-cleanup-job';
import type { SessionsCleanupUnit } from '../../../packages/users/src/jobs/names';
import { SessionsRepository } from '../../../packages/users/src/repository/sessions.repository';
import { heldJobs } from '../../support/held-jobs';
import { call, fromAddress } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, type Account } from './helpers';

/**
 * The work that grows with an account's sessions is off the request (README "How to operate",
 * job users-sessions-cleanup): a password change answers without touching its earlier
 * sessions, and DELETE /v1/me without deleting them; each queues a unit with its write, which
 * later invocations work in steps. Units are held (heldJobs) so the request's own commands can
 * be told from the job's, and every invocation's time budget is 0: each does one step only and
 * queues the rest, so a few hundred seeded items take several invocations.
 */
let t: TestSystem;
const clock = fixedClock('2026-12-07T09:00:00Z');
const jobs = heldJobs('sessions-cleanup');
const held = jobs.held;
const JOB = 'users-sessions-cleanup';

beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'], jobs: { transport: jobs.transport, unitBudgetMs: 0 } });
});
beforeEach(() => void held.splice(0));
afterAll(async () => {
  await jobs.stop();
  await t.destroy();
});

/** More families than one step of the job handles (a page of 100 marks, 100 keys deleted). */
const MANY = 110;

/**
 * `count` more sessions of the account in epoch 0, written straight to the table as a sign-in
 * writes them (SessionsRepository.startItems), in batches: the sign-ins of a script.
 */
async function seedSessions(userId: string, count: number): Promise<void> {
  const store = t.system.deps.storeFor('users');
  const repo = new SessionsRepository(store, usersKeys(store));
  const now = epochSeconds(clock.now());
  const items = Array.from({ length: count }, (_, i) =>
    repo.startItems({
      tokenHash: randomBytes(32).toString('hex'),
      userId,
      familyId: newId(clock.now().getTime() - (count - i) * 60_000),
      generation: 1,
      epoch: 0,
      issuedAt: clock.now().toISOString(),
      expiresAt: now + 30 * 86_400,
      sessionExpiresAt: now + 90 * 86_400,
    }),
  ).flatMap((writes) => writes.map((w) => (w as { Put: { Item: Record<string, unknown> } }).Put.Item));
  for (let i = 0; i < items.length; i += 25) {
    await t.doc.send(new BatchWriteCommand({ RequestItems: { [t.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

/** The sessions job's held units, worked one invocation each, until none is left; how many rounds that took. */
async function runSessionJobToEnd(): Promise<number> {
  let rounds = 0;
  while (held.some((m) => m.job === JOB)) {
    expect(held.every((m) => m.job === JOB)).toBe(true);
    rounds++;
    await jobs.run();
    expect(rounds).toBeLessThan(20);
  }
  return rounds;
}

const families = async (userId: string) => (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${userId}` && String(i.sk).startsWith('users#session#'));
const tokensOf = async (userId: string) => (await scanTable(t.doc, t.tableName)).filter((i) => i.kind === 'refresh-token' && i.userId === userId);
/** The DynamoDB commands among `sent` that read or write the account's sessions or refresh tokens. */
const touchingSessions = (sent: { name: string; input: Record<string, unknown> }[]) =>
  sent.filter((c) => /users#session#|users#refresh#/.test(JSON.stringify(c.input)) || c.input.IndexName === 'gsi1');
const sid = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;

describe('POST /v1/me/password with many sessions', () => {
  it('answers without reading or marking the earlier sessions; the job marks them ended in several invocations', async () => {
    const account: Account = await signup(t.app);
    await seedSessions(account.user.id, MANY);
    const { result: res, sent } = await commandsSentDuring(t.doc, () =>
      call(t.app, 'POST', '/v1/me/password', { token: account.accessToken, body: { currentPassword: account.password, newPassword: 'a brand new passphrase' } }),
    );
    expect(res.status, res.text).toBe(200);
    // The one write that touches them is the change's transaction (the caller's new session).
    expect(touchingSessions(sent).map((c) => c.name)).toEqual(['TransactWriteItemsCommand']);
    expect(held.map((m) => (m.type === 'unit' ? [m.job, m.unit] : m.type))).toEqual([
      [JOB, { kind: 'earlier-epochs', userId: account.user.id, epoch: 1, reason: 'password-changed', at: clock.now().toISOString() }],
      // The change's security notice (docs/security-notices.md), in the same transaction.
      ['users-security-notice-mail', { userId: account.user.id, noticeId: expect.stringMatching(/^[0-9A-Z]{26}$/), change: 'password-changed', at: clock.now().toISOString() }],
    ]);
    held.splice(1, 1); // the notice: only the sessions job is worked below
    // Ended already: the epoch refuses them, and the list shows only the new session.
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } }), 401);
    const listed = await call(t.app, 'GET', '/v1/me/sessions', { token: res.json.tokens.accessToken });
    expect(listed.json.items.map((s: { id: string }) => s.id)).toEqual([sid(res.json.tokens.accessToken)]);
    expect((await families(account.user.id)).filter((f) => 'revokedAt' in f)).toEqual([]);

    expect(await runSessionJobToEnd()).toBeGreaterThan(1);
    const after = await families(account.user.id);
    expect(after).toHaveLength(MANY + 2);
    const newFamily = sid(res.json.tokens.accessToken);
    expect(after.filter((f) => f.familyId !== newFamily).every((f) => f.revokedReason === 'password-changed' && f.revokedAt === clock.now().toISOString())).toBe(true);
    expect(after.find((f) => f.familyId === newFamily)).not.toHaveProperty('revokedAt');
  });
});

describe('DELETE /v1/me with many sessions', () => {
  it('answers without reading or deleting the sessions, and queues their deletion', async () => {
    const account = await signup(t.app);
    await seedSessions(account.user.id, MANY);
    const { result: res, sent } = await commandsSentDuring(t.doc, () => call(t.app, 'DELETE', '/v1/me', { token: account.accessToken }));
    expect(res.status, res.text).toBe(204);
    expect(touchingSessions(sent)).toEqual([]);
    expect(held.filter((m) => m.job === JOB).map((m) => (m.type === 'unit' ? m.unit : m.type))).toEqual([
      { kind: 'account-deleted', userId: account.user.id },
      // The address's sign-in counters (below, "an address tried from many client buckets").
      { kind: 'sign-in-counters', userId: account.user.id, partitions: [expect.stringMatching(/^users#throttle#/)] },
    ]);
    // Refused at once: the profile is gone.
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } }), 401);
    expect(await families(account.user.id)).toHaveLength(MANY + 1);
  });

  it('the job deletes every family and refresh token of the account in bounded steps, one per invocation here', async () => {
    const account = await signup(t.app);
    await seedSessions(account.user.id, MANY);
    expect((await call(t.app, 'DELETE', '/v1/me', { token: account.accessToken })).status).toBe(204);
    // Each BatchWriteItem of 25 keys "takes" 40 ms of a stepped clock, and each invocation has
    // 100 ms: its first step (100 keys) runs, the next would not fit (platform deleteInSteps).
    let virtualMs = 0;
    const store = t.system.deps.storeFor('users');
    const timed = { batchDelete: async (keys: Parameters<typeof store.batchDelete>[0]) => ((virtualMs += 40), store.batchDelete(keys)) };
    const job = sessionsCleanupJob({ store: timed, sessions: new SessionsRepository(store, usersKeys(store)), now: () => virtualMs });
    let unit: SessionsCleanupUnit | undefined = { kind: 'account-deleted', userId: account.user.id };
    const invocations: number[] = [];
    while (unit) {
      const outcome = await job.work(unit, clock.now(), { logger: t.system.deps.logger, deadline: virtualMs + 100 });
      invocations.push(outcome?.done ?? 0);
      unit = outcome?.again;
      expect(invocations.length).toBeLessThan(20);
    }
    // 111 families (the signup's and the seeded), then their 111 refresh tokens: a step of 100
    // keys, a step of the 11 left, alike for the tokens, then an invocation that finds none left.
    expect(invocations).toEqual([100, 11, 100, 11, 0]);
    expect(await families(account.user.id)).toEqual([]);
    expect(await tokensOf(account.user.id)).toEqual([]);
  });
});

describe('a sign-out past its window of ended sessions (every session ends) with many sessions', () => {
  it('answers without reading or marking the earlier sessions; the job marks them too-many-ended', async () => {
    const account = await signup(t.app);
    await seedSessions(account.user.id, MANY);
    clock.advance(1_000);
    const tablet = await call(t.app, 'POST', '/v1/auth/login', { body: { email: account.email, password: account.password } });
    expect(tablet.status, tablet.text).toBe(200);
    // The window's ended sessions are full already (written directly, as in account-security.test.ts).
    const { window, slot } = windowAt(epochSeconds(clock.now()), 900);
    const others = new Set(Array.from({ length: REVOKED_SESSIONS_PER_WINDOW }, (_, i) => `01KENDED${String(i).padStart(18, '0')}`));
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: { pk: `users#user#${account.user.id}`, sk: 'users#profile' },
        UpdateExpression: `SET revokedSessions${slot} = :ids, revokedWindow${slot} = :w`,
        ExpressionAttributeValues: { ':ids': others, ':w': window },
      }),
    );
    const { result: res, sent } = await commandsSentDuring(t.doc, () => call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: tablet.json.tokens.refreshToken } }));
    expect(res.status, res.text).toBe(204);
    // The token's read and the family's end (a guess the profile refused, then every session's), nothing else of them.
    expect(touchingSessions(sent).map((c) => c.name)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand', 'TransactWriteItemsCommand']);
    expect(held.map((m) => (m.type === 'unit' ? [m.job, m.unit] : m.type))).toEqual([
      [JOB, { kind: 'earlier-epochs', userId: account.user.id, epoch: 1, reason: 'too-many-ended', at: clock.now().toISOString() }],
    ]);
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } }), 401);

    expect(await runSessionJobToEnd()).toBeGreaterThan(1);
    const after = await families(account.user.id);
    expect(after).toHaveLength(MANY + 2);
    const reasons = after.map((f) => (f.familyId === sid(tablet.json.tokens.accessToken) ? 'the tablet' : f.revokedReason));
    expect(new Set(reasons)).toEqual(new Set(['the tablet', 'too-many-ended']));
  });
});

describe('DELETE /v1/me of an address tried from many client buckets', () => {
  /** Client counters in the address's partition: one per bucket (IPv6 /64) that tried it, anyone's. */
  const BUCKETS = 600;

  it("answers without reading or deleting the address's sign-in counters; a unit of its transaction deletes them in steps", async () => {
    const account = await signup(t.app);
    // One failed sign-in: the address's partition, as every bucket's attempt leaves it.
    expectProblem(await call(t.app, 'POST', '/v1/auth/login', { body: { email: account.email, password: 'not the password at all' }, env: fromAddress('2001:db8:1:1::1') }), 401);
    const counter = (await scanTable(t.doc, t.tableName)).find((i) => String(i.pk).startsWith('users#throttle#') && String(i.sk).startsWith('users#throttle#client#'));
    expect(counter).toBeDefined();
    const partition = String(counter!.pk);
    // Written straight to the table as those attempts write them: a counter per bucket.
    const counters = Array.from({ length: BUCKETS }, (_, n) => ({ ...counter!, sk: `users#throttle#client#bucket${String(n).padStart(6, '0')}` }));
    for (let i = 0; i < counters.length; i += 25) {
      await t.doc.send(new BatchWriteCommand({ RequestItems: { [t.tableName]: counters.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const inPartition = async () => (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === partition);
    expect((await inPartition()).length).toBeGreaterThan(BUCKETS);

    const { result: res, sent } = await commandsSentDuring(t.doc, () => call(t.app, 'DELETE', '/v1/me', { token: account.accessToken }));
    expect(res.status, res.text).toBe(204);
    // No read or delete of the partition in the request: its cost does not grow with others' attempts.
    expect(sent.filter((c) => c.name !== 'TransactWriteItemsCommand' && JSON.stringify(c.input).includes(partition)).map((c) => c.name)).toEqual([]);
    expect(held.filter((m) => m.job === JOB).map((m) => (m.type === 'unit' ? m.unit : m.type))).toEqual([
      { kind: 'account-deleted', userId: account.user.id },
      { kind: 'sign-in-counters', userId: account.user.id, partitions: [partition] },
    ]);
    // The unit, worked as the job's invocations would (each BatchWriteItem of 25 keys "takes"
    // 40 ms of a stepped clock, each invocation has 100 ms: one step of 100 keys each).
    let virtualMs = 0;
    const store = t.system.deps.storeFor('users');
    const timed = { batchDelete: async (keys: Parameters<typeof store.batchDelete>[0]) => ((virtualMs += 40), store.batchDelete(keys)) };
    const job = sessionsCleanupJob({ store: timed, sessions: new SessionsRepository(store, usersKeys(store)), now: () => virtualMs });
    let unit: SessionsCleanupUnit | undefined = { kind: 'sign-in-counters', userId: account.user.id, partitions: [partition] };
    const invocations: number[] = [];
    while (unit) {
      const outcome = await job.work(unit, clock.now(), { logger: t.system.deps.logger, deadline: virtualMs + 100 });
      invocations.push(outcome?.done ?? 0);
      unit = outcome?.again;
      expect(invocations.length).toBeLessThan(20);
    }
    expect(invocations.length).toBeGreaterThan(BUCKETS / 100);
    expect(invocations.reduce((a, b) => a + b, 0)).toBeGreaterThan(BUCKETS);
    expect(await inPartition()).toEqual([]);
  });
});
