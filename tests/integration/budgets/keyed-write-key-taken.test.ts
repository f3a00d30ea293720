import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { transactionSizesDuring } from '../../support/sent-commands';
import { keyedTransactionHeld, leaseTakenOverBeforeTransaction, racedByItsRetry as racedByItsRetryOf } from '../../support/lease-taken-over';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { as, createBudget, signup, type Account } from './helpers';

/**
 * The keyed budgets writes completing their Idempotency-Key inside their own transaction
 * (platform keyCompletion: budget create, move-money, the period limit PUT, member add,
 * invitation accept), as the expenses ones (../expenses/keyed-write-key-taken.test.ts):
 * - their lease taken over by their retry just before their transaction: the completion's
 *   condition fails, told from their own items' by its position ('key-taken'), 409 "in use by
 *   another attempt", nothing written (a position counted wrong answers a 500);
 * - raced by their retry, which took the lease over and committed first: the slower attempt
 *   answers the key's answer (the retry's), whatever its own transaction met (its budget or
 *   membership there already, the version moved, the invitation used), and nothing twice;
 * - replayed: exactly the first answer (status, body, ETag, Location) though it is built
 *   (jsonAnswer), not copied from the one sent.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
const sent: EmailMessage[] = [];
let t: TestSystem;
let owner: Account;
let takeOver: ReturnType<typeof leaseTakenOverBeforeTransaction>;
let held: ReturnType<typeof keyedTransactionHeld>;

beforeAll(async () => {
  t = await createTestSystem({ clock, mail: { send: async (m) => void sent.push(m) } });
  takeOver = leaseTakenOverBeforeTransaction(t.doc);
  held = keyedTransactionHeld(t.doc);
  owner = await signup(t.app, 'owner');
});
afterAll(() => t.destroy());

type Send = { method: string; url: string; body?: unknown; who?: Account };
const send = (r: Send, key: string) => as(t.app, r.who ?? owner)(r.method, r.url, { body: r.body, headers: { 'idempotency-key': key } });

/** The keyed request, its lease taken over just before its transaction: 409, nothing written. */
async function takenOver(r: Send, label: string) {
  takeOver.next();
  const res = await send(r, keyOf(label));
  expect(takeOver.pending()).toBe(false);
  expect(res.status, res.text).toBe(409);
  expect(res.json.detail).toMatch(/in use by another attempt/);
}

/** Held just before its transaction while its lease runs out and its retry commits first: the slower one answers the retry's answer. */
async function racedByItsRetry(r: Send, label: string) {
  const key = keyOf(label);
  const { first, retry } = await racedByItsRetryOf(held, () => clock.advance(61_000), () => send(r, key));
  expect(retry.status, retry.text).toBeLessThan(300);
  expect(first.status, first.text).toBe(retry.status);
  expect(first.text).toBe(retry.text);
  for (const name of ['etag', 'location']) expect(first.headers.get(name), name).toBe(retry.headers.get(name));
  return retry;
}

/** Sent twice: the second is a replay, equal to the first in all it says. */
async function replayed(r: Send, label: string, status: number) {
  const key = keyOf(label);
  const first = await send(r, key);
  expect(first.status, first.text).toBe(status);
  const replay = await send(r, key);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.status).toBe(first.status);
  expect(replay.text).toBe(first.text);
  for (const name of ['content-type', 'etag', 'location']) expect(replay.headers.get(name), name).toBe(first.headers.get(name));
  return first;
}

const myBudgets = async (name: string) => ((await as(t.app, owner)('GET', '/v1/budgets?limit=100')).json.items as { name: string }[]).filter((b) => b.name === name);

/** A budget whose two categories have limits, and the move and the PUT of one of its limits. */
async function twoLimits() {
  const budget = await createBudget(t.app, owner, { categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Fun', limit: 20_000 }] });
  const [groceries, fun] = budget.categories as { id: string }[];
  const url = `/v1/budgets/${budget.id}`;
  return {
    url,
    move: { method: 'POST', url: `${url}/move-money`, body: { from: groceries!.id, to: fun!.id, amount: 5_000, date: '2026-11-24' } },
    put: { method: 'PUT', url: `${url}/period-limits`, body: { categoryId: fun!.id, limit: 30_000, date: '2026-11-24' } },
  };
}

const TOKEN = /[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}/;

/** A budget of the owner's, `who` invited to it (the invitation's token from its mail). */
async function invited(who: Account) {
  const budgetId = (await createBudget(t.app, owner)).id;
  const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/invitations`, { body: { email: who.email, role: 'viewer' } });
  expect(res.status, res.text).toBe(201);
  const token = sent.filter((m) => m.to === who.email).at(-1)!.text.match(TOKEN)![0];
  return { budgetId, accept: { method: 'POST', url: '/v1/invitations/accept', body: { token }, who } };
}
const memberIds = async (budgetId: string) => ((await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/members`)).json.items as { userId: string }[]).map((m) => m.userId);

describe('a keyed budgets write whose lease was taken over before its transaction: 409, nothing written', () => {
  it('budget create', async () => {
    await takenOver({ method: 'POST', url: '/v1/budgets', body: { name: 'Taken over', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000, categories: [] } }, 'budget-taken');
    expect(await myBudgets('Taken over')).toHaveLength(0);
  });

  it('move-money and the period limit PUT', async () => {
    const { url, move, put } = await twoLimits();
    const before = await as(t.app, owner)('GET', url);
    await takenOver(move, 'move-taken');
    await takenOver(put, 'put-taken');
    const after = await as(t.app, owner)('GET', url);
    expect(after.json).toEqual(before.json);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
  });

  it('member add and invitation accept', async () => {
    const ann = await signup(t.app, 'ann-taken');
    const budgetId = (await createBudget(t.app, owner)).id;
    await takenOver({ method: 'POST', url: `/v1/budgets/${budgetId}/members`, body: { email: ann.email, role: 'editor' } }, 'add-taken');
    expect(await memberIds(budgetId)).toEqual([owner.id]);
    const invitation = await invited(ann);
    await takenOver(invitation.accept, 'accept-taken');
    expect(await memberIds(invitation.budgetId)).toEqual([owner.id]);
  });
});

describe('a keyed budgets write raced by its retry, which committed first', () => {
  it("budget create: the key's answer, one budget", async () => {
    await racedByItsRetry({ method: 'POST', url: '/v1/budgets', body: { name: 'Raced', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000, categories: [] } }, 'budget-raced');
    expect(await myBudgets('Raced')).toHaveLength(1);
  });

  it("move-money and the period limit PUT: the key's answer, each once", async () => {
    const { url, move, put } = await twoLimits();
    const moved = await racedByItsRetry(move, 'move-raced');
    expect(moved.json.version).toBe(2);
    const set = await racedByItsRetry(put, 'put-raced');
    expect(set.json.version).toBe(3);
    expect((await as(t.app, owner)('GET', url)).json).toEqual(set.json);
  });

  it("member add and invitation accept: the key's answer, a member once", async () => {
    const bo = await signup(t.app, 'bo-raced');
    const budgetId = (await createBudget(t.app, owner)).id;
    await racedByItsRetry({ method: 'POST', url: `/v1/budgets/${budgetId}/members`, body: { email: bo.email, role: 'editor' } }, 'add-raced');
    expect(await memberIds(budgetId)).toHaveLength(2);
    const invitation = await invited(bo);
    await racedByItsRetry(invitation.accept, 'accept-raced');
    expect(await memberIds(invitation.budgetId)).toHaveLength(2);
  });
});

describe('a keyed budgets write replayed: exactly the first answer', () => {
  it('budget create, move-money, the period limit PUT, member add, invitation accept', async () => {
    const created = await replayed({ method: 'POST', url: '/v1/budgets', body: { name: 'Replayed', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000, categories: [] } }, 'budget-replayed', 201);
    expect(created.headers.get('location')).toBe(`/v1/budgets/${created.json.id}`);
    const { move, put } = await twoLimits();
    expect((await replayed(move, 'move-replayed', 200)).headers.get('etag')).toBe('"2"');
    expect((await replayed(put, 'put-replayed', 200)).headers.get('etag')).toBe('"3"');
    const cy = await signup(t.app, 'cy-replayed');
    const budgetId = (await createBudget(t.app, owner)).id;
    const added = await replayed({ method: 'POST', url: `/v1/budgets/${budgetId}/members`, body: { email: cy.email, role: 'editor' } }, 'add-replayed', 201);
    expect(added.headers.get('etag')).toBe('"1"');
    const accepted = await replayed((await invited(cy)).accept, 'accept-replayed', 201);
    expect(accepted.headers.get('etag')).toBeNull();
  });
});

describe('item counts: the transaction of each write, unkeyed as before, keyed one item more (the completion)', () => {
  /** The item counts of the TransactWriteItems sent while `run` runs (the account check that may ride along left out). */
  async function transactions(run: () => Promise<{ status: number; text: string }>) {
    const { result: res, sizes } = await transactionSizesDuring(t.doc, run);
    expect(res.status, res.text).toBeLessThan(300);
    return sizes;
  }
  /** `r` unkeyed, then `again()` (made before it is counted) keyed. */
  const both = async (r: Send, label: string, again: () => Promise<Send>) => {
    const unkeyed = await transactions(() => as(t.app, r.who ?? owner)(r.method, r.url, { body: r.body }));
    const keyed = await again();
    return [unkeyed, await transactions(() => send(keyed, keyOf(label)))];
  };

  it('budget create 4 / 5 (since 2026-12-05 the owned-budgets count is one item of it; the owner account check, left out of the count as every caller account check, too), move-money and the period limit PUT 2 / 3, member add 5 / 6 and invitation accept 7 / 8 (since 2026-12-07 the check of the account\'s former membership, whose last version the new one continues, is one item of each)', async () => {
    const budget = (name: string): Send => ({ method: 'POST', url: '/v1/budgets', body: { name, currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000, categories: [] } });
    expect(await both(budget('Counted'), 'budget-counted', async () => budget('Counted keyed'))).toEqual([[4], [5]]);
    const limits = await twoLimits();
    expect(await both(limits.move, 'move-counted', async () => limits.move)).toEqual([[2], [3]]);
    expect(await both({ ...limits.put, body: { ...(limits.put.body as object), limit: 31_000 } }, 'put-counted', async () => limits.put)).toEqual([[2], [3]]);
    const [dee, eve] = [await signup(t.app, 'dee-counted'), await signup(t.app, 'eve-counted')];
    const budgetId = (await createBudget(t.app, owner)).id;
    const add = (who: Account): Send => ({ method: 'POST', url: `/v1/budgets/${budgetId}/members`, body: { email: who.email, role: 'editor' } });
    expect(await both(add(dee), 'add-counted', async () => add(eve))).toEqual([[5], [6]]);
    const [fay, gus] = [await signup(t.app, 'fay-counted'), await signup(t.app, 'gus-counted')];
    const fayInvited = await invited(fay);
    expect(await both(fayInvited.accept, 'accept-counted', async () => (await invited(gus)).accept)).toEqual([[7], [8]]);
  });
});

describe('invitation create (since feat/jobunits54: the key completed with the invitation and its mail unit)', () => {
  const invite = (budgetId: string, email: string): Send => ({ method: 'POST', url: `/v1/budgets/${budgetId}/invitations`, body: { email, role: 'viewer' } });
  const listed = async (budgetId: string) => (await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/invitations`)).json.items as { email: string }[];
  const mailsTo = (to: string) => sent.filter((m) => m.to === to);

  it('taken over before its transaction: 409, no invitation and no mail', async () => {
    const budgetId = (await createBudget(t.app, owner)).id;
    await takenOver(invite(budgetId, 'taken-invitee@example.com'), 'invite-taken');
    expect(await listed(budgetId)).toEqual([]);
    expect(mailsTo('taken-invitee@example.com')).toEqual([]);
  });

  it("raced by its retry, which committed first: the retry's answer, one invitation, one mail", async () => {
    const budgetId = (await createBudget(t.app, owner)).id;
    const retry = await racedByItsRetry(invite(budgetId, 'raced-invitee@example.com'), 'invite-raced');
    expect((await listed(budgetId)).map((i) => i.email)).toEqual(['raced-invitee@example.com']);
    expect(retry.json.email).toBe('raced-invitee@example.com');
    expect(mailsTo('raced-invitee@example.com')).toHaveLength(1);
  });

  it('replayed: exactly the first answer, one mail; the transaction 4 items unkeyed, 5 keyed (3 / 4 for a re-invite)', async () => {
    const budgetId = (await createBudget(t.app, owner)).id;
    const first = await replayed(invite(budgetId, 'replayed-invitee@example.com'), 'invite-replayed', 201);
    expect(first.headers.get('location')).toBe(`/v1/budgets/${budgetId}/invitations/${first.json.id}`);
    expect(mailsTo('replayed-invitee@example.com')).toHaveLength(1);
    const counted = async (r: Send, key?: string) => {
      const { result, sizes } = await transactionSizesDuring(t.doc, () => (key ? send(r, key) : as(t.app, owner)(r.method, r.url, { body: r.body })));
      expect(result.status, result.text).toBe(201);
      return sizes;
    };
    expect(await counted(invite(budgetId, 'counted-1@example.com'))).toEqual([4]);
    expect(await counted(invite(budgetId, 'counted-2@example.com'), keyOf('invite-counted'))).toEqual([5]);
    expect(await counted(invite(budgetId, 'counted-1@example.com'))).toEqual([3]); // a re-invite
    expect(await counted(invite(budgetId, 'counted-2@example.com'), keyOf('reinvite-counted'))).toEqual([4]);
  });
});
