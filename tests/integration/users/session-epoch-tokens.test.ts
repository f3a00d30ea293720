import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { call } from '../../support/http';
import { tableItems } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem } from './helpers';

/**
 * A password change or reset ends every access token issued before it AT ONCE, not when it
 * expires: tokens carry the account's session epoch (`sep`) and the account check every
 * protected request already makes requires the profile to still be at it. On DynamoDB Local,
 * counting the requests, since the check must still cost none of its own: on a read route it
 * rides the route's BatchGetItem (evaluated on the item), on a write it rides the transaction
 * as a ConditionCheck (evaluated by DynamoDB).
 */
let t: TestSystem;
const mailDir = mkdtempSync(join(tmpdir(), 'epoch-mail-'));
const sent: string[] = [];

beforeAll(async () => {
  t = await createTestSystem({ env: { MAIL_DIR: mailDir } });
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'commandLog' },
  );
});
afterAll(async () => {
  await t.destroy();
  await rm(mailDir, { recursive: true, force: true });
});

const login = async (who: Actor, password = who.password) => {
  const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: who.email, password } });
  expect(res.status, res.text).toBe(200);
  return { ...who, token: res.json.tokens.accessToken as string };
};
const budgetNames = async (who: Pick<Actor, 'token'>) => ((await as(t.app, who)('GET', '/v1/budgets')).json.items as { name: string }[]).map((b) => b.name);
const ENDED = 'The account of this access token no longer exists, or its session was ended (signed out, or a password change or reset).';

describe('access tokens issued before a password change', () => {
  it('are refused at once on read and write routes, and nothing is written; the new session works', async () => {
    const owner = await signUp(t.app, 'epoch');
    const phone = await login(owner);
    const budget = await createBudget(t.app, owner, { name: 'Before' });
    const changed = await as(t.app, owner)('POST', '/v1/me/password', { body: { currentPassword: owner.password, newPassword: 'a changed passphrase' } });
    expect(changed.status, changed.text).toBe(200);
    const fresh = { token: changed.json.tokens.accessToken as string };

    for (const old of [owner, phone]) {
      const read = await as(t.app, old)('GET', '/v1/me');
      expectProblem(read, 401);
      expect(read.json.detail).toBe(ENDED);
      expectProblem(await as(t.app, old)('GET', `/v1/budgets/${budget.id}/summary`), 401);
      expectProblem(await as(t.app, old)('POST', '/v1/budgets', { body: { name: 'Written by a stale token', limit: 100 } }), 401);
      expectProblem(await as(t.app, old)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-20' } }), 401);
    }
    expect(await budgetNames(fresh)).toEqual(['Before']);
    expect((await tableItems(t.doc, t.tableName)).filter((i) => String(i.pk).startsWith(`expenses#budget#${budget.id}`) && i.kind === 'expense')).toEqual([]);
    expect((await as(t.app, fresh)('GET', '/v1/me')).status).toBe(200);
    await addExpense(t.app, fresh, budget.id, { amount: 100, occurredOn: '2026-11-20' });
  });

  it('are refused at once after a password reset too', async () => {
    const owner = await signUp(t.app, 'epoch-reset');
    expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: owner.email } })).status).toBe(202);
    const mails = await Promise.all((await readdir(mailDir)).map((f) => readFile(join(mailDir, f), 'utf8')));
    const mail = mails.find((m) => m.includes(`To: ${owner.email}\r\n`))!.replace(/=\r\n/g, '');
    const token = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/.exec(mail)![0];
    expect((await as(t.app, owner)('GET', '/v1/me')).status).toBe(200);
    const confirmed = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'a reset passphrase' } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expectProblem(await as(t.app, owner)('GET', '/v1/me'), 401);
    expect((await as(t.app, { token: confirmed.json.tokens.accessToken })('GET', '/v1/me')).status).toBe(200);
  });

  it('costs no request of its own: a read is one BatchGetItem, a warm write one transaction carrying it', async () => {
    const owner = await signUp(t.app, 'epoch-cost');
    const budget = await createBudget(t.app, owner);
    sent.length = 0;
    expect((await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/expenses?limit=1`)).status).toBe(200);
    expect(sent.filter((c) => c !== 'QueryCommand')).toEqual(['BatchGetItemCommand']);

    // A create reads its change shard's counter the first time a process meets the shard (the
    // account check rides that read); once the shard is known the create is its transaction
    // alone and the check rides it as a ConditionCheck. Creates until one goes that way, at
    // the profile's first epoch (0: the attribute is absent) and after a change (1).
    const createsAlone = async (who: Pick<Actor, 'token'>, label: string) => {
      for (let i = 0; i < 400; i++) {
        sent.length = 0;
        const res = await as(t.app, who)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 1, occurredOn: '2026-11-20' }, headers: { 'idempotency-key': `${label}-${i}` } });
        expect(res.status, res.text).toBe(201);
        if (sent.length === 1 && sent[0] === 'TransactWriteItemsCommand') return true;
      }
      return false;
    };
    expect(await createsAlone(owner, 'epoch-0')).toBe(true);
    const changed = await as(t.app, owner)('POST', '/v1/me/password', { body: { currentPassword: owner.password, newPassword: 'a changed passphrase' } });
    expect(changed.status, changed.text).toBe(200);
    const fresh = { token: changed.json.tokens.accessToken as string };
    expect(await createsAlone(fresh, 'epoch-1')).toBe(true);

    // The stale token: refused whichever way its check goes, and at least once by the riding
    // ConditionCheck alone (a transaction was sent, and cancelled); nothing written either way.
    const before = (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === 'expense').length;
    let refusedByRider = false;
    for (let i = 0; i < 400 && !refusedByRider; i++) {
      sent.length = 0;
      const stale = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 1, occurredOn: '2026-11-20' }, headers: { 'idempotency-key': `stale-${i}` } });
      expectProblem(stale, 401);
      expect(stale.json.detail).toBe(ENDED);
      refusedByRider = sent.length === 1 && sent[0] === 'TransactWriteItemsCommand';
    }
    expect(refusedByRider).toBe(true);
    expect((await tableItems(t.doc, t.tableName)).filter((i) => i.kind === 'expense').length).toBe(before);
  });

  it('still accepts a token without the epoch claim (issued before tokens carried it) until it expires', async () => {
    const owner = await signUp(t.app, 'epoch-legacy');
    const legacy = { token: await t.system.deps.tokens.sign({ userId: owner.id }) };
    expect((await as(t.app, owner)('POST', '/v1/me/password', { body: { currentPassword: owner.password, newPassword: 'a changed passphrase' } })).status).toBe(200);
    expect((await as(t.app, legacy)('GET', '/v1/me')).status).toBe(200);
  });
});
