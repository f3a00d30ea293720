import { epochSeconds } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowAt } from '../../../packages/users/src/domain/revoked-sessions';
import { as, createBudget, signUp, type Actor, type CreatedBudget } from '../../support/actors';
import { tableItems } from '../../support/events';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem } from './helpers';

/**
 * Ending ONE session ends that session's access tokens AT ONCE, not when they expire: sign out
 * a device (DELETE /v1/me/sessions/{id}) and logout record the session id on the profile in
 * the same transaction that ends the refresh family, and the account check every protected
 * request already makes refuses a token whose `sid` is recorded. On DynamoDB Local, counting
 * the requests: on a read route the check rides the route's BatchGetItem (evaluated on the
 * item), on a write it rides the transaction as a ConditionCheck (evaluated by DynamoDB); the
 * other sessions of the account keep working either way.
 */
let t: TestSystem;
const sent: string[] = [];

beforeAll(async () => {
  t = await createTestSystem();
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'commandLog' },
  );
});
afterAll(() => t.destroy());

const ENDED = 'The account of this access token no longer exists, or its session was ended (signed out, or a password change or reset).';

/** Another sign-in of the account: another device, another session. */
const login = async (who: Actor) => {
  const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: who.email, password: who.password } });
  expect(res.status, res.text).toBe(200);
  return { ...who, token: res.json.tokens.accessToken as string, refreshToken: res.json.tokens.refreshToken as string };
};
const sid = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
const signOut = (by: Pick<Actor, 'token'>, ended: Pick<Actor, 'token'>) => as(t.app, by)('DELETE', `/v1/me/sessions/${sid(ended.token)}`);
const logout = (who: Pick<Actor, 'refreshToken'>) => call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: who.refreshToken } });
const profile = async (userId: string) => (await tableItems(t.doc, t.tableName)).find((i) => i.pk === `users#user#${userId}` && i.sk === 'users#profile')!;
const expenseCount = async (budgetId: string) =>
  (await tableItems(t.doc, t.tableName)).filter((i) => String(i.pk).startsWith(`expenses#budget#${budgetId}`) && i.kind === 'expense').length;

let n = 0;
const postExpense = (who: Pick<Actor, 'token'>, budgetId: string) =>
  as(t.app, who)('POST', `/v1/budgets/${budgetId}/expenses`, { body: { amount: 1, occurredOn: '2026-11-20' }, headers: { 'idempotency-key': `end-${n++}` } });

/**
 * A create reads its change shard's counter the first time the process meets the shard (the
 * account check then rides that read); once every shard is known a create is its transaction
 * alone and the check rides it as a ConditionCheck. Creates with `who` until one goes that way.
 */
async function warmWrites(who: Pick<Actor, 'token'>, budgetId: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    sent.length = 0;
    const res = await postExpense(who, budgetId);
    expect(res.status, res.text).toBe(201);
    if (sent.length === 1 && sent[0] === 'TransactWriteItemsCommand') return;
  }
  throw new Error('no create went as its transaction alone');
}

/**
 * `ended`'s token is refused on a read route (/v1/me: the profile read; the summary: the budget
 * route's BatchGetItem) and on a write route, at least once by the ConditionCheck riding the
 * write's transaction alone (one transaction sent, and cancelled); nothing is written.
 */
async function expectEnded(ended: Pick<Actor, 'token'>, budget: CreatedBudget): Promise<void> {
  const me = await as(t.app, ended)('GET', '/v1/me');
  expectProblem(me, 401);
  expect(me.json.detail).toBe(ENDED);
  sent.length = 0;
  expectProblem(await as(t.app, ended)('GET', `/v1/budgets/${budget.id}/summary`), 401);
  expect(sent[0]).toBe('BatchGetItemCommand');
  const before = await expenseCount(budget.id);
  let refusedByRider = false;
  for (let i = 0; i < 400 && !refusedByRider; i++) {
    sent.length = 0;
    const res = await postExpense(ended, budget.id);
    expectProblem(res, 401);
    expect(res.json.detail).toBe(ENDED);
    refusedByRider = sent.length === 1 && sent[0] === 'TransactWriteItemsCommand';
  }
  expect(refusedByRider).toBe(true);
  expect(await expenseCount(budget.id)).toBe(before);
}

/** `who`'s token still reads and writes, the write by its transaction alone (the check riding it held). */
async function expectWorking(who: Pick<Actor, 'token'>, budget: CreatedBudget): Promise<void> {
  expect((await as(t.app, who)('GET', '/v1/me')).status).toBe(200);
  expect((await as(t.app, who)('GET', `/v1/budgets/${budget.id}/summary`)).status).toBe(200);
  await warmWrites(who, budget.id);
}

describe('signing one session out (DELETE /v1/me/sessions/{id})', () => {
  it('refuses that session\'s access token at once on read and write routes; the other sessions keep working', async () => {
    const owner = await signUp(t.app, 'end-one');
    const phone = await login(owner);
    const budget = await createBudget(t.app, owner);
    await warmWrites(phone, budget.id); // the phone's token works, also on the riding path

    expect((await signOut(owner, phone)).status).toBe(204);
    await expectEnded(phone, budget);
    await expectWorking(owner, budget);
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: phone.refreshToken } }), 401);
  });

  it('costs no request more than before: the profile read rides the account check\'s BatchGetItem, the rest is one transaction', async () => {
    const owner = await signUp(t.app, 'end-cost');
    const phone = await login(owner);
    sent.length = 0;
    expect((await signOut(owner, phone)).status).toBe(204);
    expect(sent).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
  });
});

describe('POST /v1/auth/logout', () => {
  it('refuses the logged-out session\'s access token at once on read and write routes; the other sessions keep working', async () => {
    const owner = await signUp(t.app, 'logout');
    const tablet = await login(owner);
    const budget = await createBudget(t.app, owner);
    await warmWrites(tablet, budget.id);

    sent.length = 0;
    expect((await logout(tablet)).status).toBe(204);
    // The refresh token's read and one transaction (the family and the profile), as before.
    expect(sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    await expectEnded(tablet, budget);
    await expectWorking(owner, budget);
    // Idempotent: a second logout ends nothing more and answers the same.
    expect((await logout(tablet)).status).toBe(204);
    await expectWorking(owner, budget);
  });

  it('a second session ended in the same window joins the first (the guess is refused, the profile read, the id added)', async () => {
    const owner = await signUp(t.app, 'logout-two');
    const [a, b] = [await login(owner), await login(owner)];
    const windowNow = () => windowAt(epochSeconds(new Date()), t.system.deps.tokens.ttlSeconds).window;
    const first = windowNow();
    expect((await logout(a)).status).toBe(204);
    sent.length = 0;
    expect((await logout(b)).status).toBe(204);
    // (Across a window boundary, once in about a thousand runs, the guess is right again.)
    if (windowNow() === first) expect(sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    else expect(sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    for (const ended of [a, b]) expectProblem(await as(t.app, ended)('GET', '/v1/me'), 401);
    expect((await as(t.app, owner)('GET', '/v1/me')).status).toBe(200);
  });
});

describe('concurrent endings', () => {
  it('do not lose one another: sessions signed out and logged out at once are all refused, the remaining one works', async () => {
    const owner = await signUp(t.app, 'end-race');
    const signedOut = await Promise.all(Array.from({ length: 4 }, () => login(owner)));
    const loggedOut = await Promise.all(Array.from({ length: 4 }, () => login(owner)));
    const answers = await Promise.all([...signedOut.map((s) => signOut(owner, s)), ...loggedOut.map((s) => logout(s))]);
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(204));

    for (const ended of [...signedOut, ...loggedOut]) expectProblem(await as(t.app, ended)('GET', '/v1/me'), 401);
    expect((await as(t.app, owner)('GET', '/v1/me')).status).toBe(200);
    const item = await profile(owner.id);
    const recorded = [...((item.revokedSessions0 as Set<string>) ?? []), ...((item.revokedSessions1 as Set<string>) ?? [])];
    expect(recorded.sort()).toEqual([...signedOut, ...loggedOut].map((s) => sid(s.token)).sort());
  });

  it('two DELETEs at once both stick', async () => {
    const owner = await signUp(t.app, 'end-two');
    const [a, b] = [await login(owner), await login(owner)];
    const [ra, rb] = await Promise.all([signOut(owner, a), signOut(owner, b)]);
    expect([ra.status, rb.status]).toEqual([204, 204]);
    expectProblem(await as(t.app, a)('GET', '/v1/me'), 401);
    expectProblem(await as(t.app, b)('GET', '/v1/me'), 401);
    expect((await as(t.app, owner)('GET', '/v1/me')).status).toBe(200);
  });
});

it('a token without a session id is not affected by ended sessions', async () => {
  const owner = await signUp(t.app, 'end-legacy');
  const legacy = { token: await t.system.deps.tokens.sign({ userId: owner.id, sessionEpoch: 0 }) };
  const phone = await login(owner);
  expect((await signOut(owner, phone)).status).toBe(204);
  expect((await as(t.app, legacy)('GET', '/v1/me')).status).toBe(200);
});
