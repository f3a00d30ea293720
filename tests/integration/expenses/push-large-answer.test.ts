import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * The largest answers a keyed route gives: an offline push of 100 creates, each expense as large
 * as its schema allows (a 500-character description, a 200-character merchant, 10 tags of 32,
 * split over parts carrying 500-character descriptions), answered with every expense whole. Up to
 * the 1 MB JSON body limit the answer is about as large as the body (each applied result echoes
 * its expense, plus its id, version and times), so it can be ~1 MB: far over the 400 KB a
 * DynamoDB item (the key's record) can hold. The key's completion must neither fail after the
 * mutations committed nor leave the retry to run the batch again. A bulk edit answers each of its
 * 100 expenses whole, so its answer is bounded by the stored expenses (~32 K characters each at
 * most), not by the request: ~3 MB.
 */
let h: Harness;
let owner: User;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('large-answer');
});
afterAll(() => h.destroy());

const changesPath = (b: Budget) => `/v1/budgets/${b.id}/changes`;
const clientId = (n: number) => `01JDYY${String(n).padStart(20, '0')}`;

/** `length` characters: repetitive prose (compresses well) or random base64url (compresses to ~3/4). */
const filler = (length: number, random: boolean, seed: number) =>
  random ? randomBytes(length).toString('base64url').slice(0, length) : `Expense ${seed} of the offline batch. `.repeat(length).slice(0, length);

/** The largest expense create with `parts` split parts (each part's description 500 characters). */
function largeExpense(n: number, parts: number, random: boolean) {
  return {
    amount: parts * 100,
    occurredOn: '2026-11-05',
    description: filler(500, random, n),
    merchant: filler(200, random, n + 1),
    tags: Array.from({ length: 10 }, (_, i) => `t${i}-${filler(28, random, n + i)}`.slice(0, 32)),
    splits: Array.from({ length: parts }, (_, i) => ({ categoryId: null, amount: 100, description: filler(500, random, n * 100 + i) })),
  };
}

const creates = (parts: number, random: boolean) =>
  Array.from({ length: 100 }, (_, n) => ({ op: 'create', id: clientId(n), expense: largeExpense(n, parts, random) }));

describe('POST /changes: an answer larger than a DynamoDB item', { timeout: 180_000 }, () => {
  it('answers 100 large creates (~600 KB answer), and the retry replays that answer without writing again', async () => {
    const b = await h.createBudget(owner);
    const body = { mutations: creates(10, false) };
    const key = 'large-answer-compressible';
    const first = await h.call('POST', changesPath(b), { token: owner.token, body, headers: { 'idempotency-key': key } });
    expect(first.status, first.text.slice(0, 300)).toBe(200);
    expect(first.text.length).toBeGreaterThan(500_000);
    expect(first.json.results.every((r: { status: string }) => r.status === 'applied')).toBe(true);

    const retry = await h.call('POST', changesPath(b), { token: owner.token, body, headers: { 'idempotency-key': key } });
    expect(retry.status, retry.text.slice(0, 300)).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect((await h.listExpenses(b, owner.token)).length).toBe(100);
  });

  it('answers 100 creates of random text (~900 KB, ~800 KB even compressed) and keeps no answer: the retry is a 409 idempotent-answer-not-kept, nothing runs twice', async () => {
    const b = await h.createBudget(owner);
    const body = { mutations: creates(15, true) };
    expect(JSON.stringify(body).length).toBeLessThan(1024 * 1024);
    const key = 'large-answer-random';
    const first = await h.call('POST', changesPath(b), { token: owner.token, body, headers: { 'idempotency-key': key } });
    expect(first.status, first.text.slice(0, 300)).toBe(200);
    expect(first.text.length).toBeGreaterThan(800_000);
    expect(first.json.results.every((r: { status: string }) => r.status === 'applied')).toBe(true);

    const retry = await h.call('POST', changesPath(b), { token: owner.token, body, headers: { 'idempotency-key': key } });
    expect(retry.status, retry.text.slice(0, 300)).toBe(409);
    expect(retry.json.type).toBe('https://budgeting.dev/problems/idempotent-answer-not-kept');
    // The key stays used: another body with it is a 422, as for any completed key.
    const other = await h.call('POST', changesPath(b), { token: owner.token, body: { mutations: creates(2, true).slice(0, 1) }, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    const listed = await h.listExpenses(b, owner.token);
    expect(listed.length).toBe(100);
    expect(listed.map((e) => e.version)).toEqual(Array(100).fill(1));
  });

  it('a bulk edit of 100 of the largest expenses (~3 MB answer: each result is the whole expense) completes, and its retry replays it', async () => {
    const b = await h.createBudget(owner);
    const ids: string[] = [];
    for (let n = 0; n < 100; n++) {
      const expense = { ...largeExpense(n, 50, false), tags: largeExpense(n, 0, false).tags.slice(0, 9) };
      const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: owner.token, body: expense });
      expect(res.status, res.text.slice(0, 300)).toBe(201);
      ids.push(res.json.id);
    }
    const body = { expenseIds: ids, action: { type: 'addTags', tags: ['bulk'] } };
    const key = 'large-answer-bulk';
    const first = await h.call('POST', `/v1/budgets/${b.id}/expenses/bulk`, { token: owner.token, body, headers: { 'idempotency-key': key } });
    expect(first.status, first.text.slice(0, 300)).toBe(200);
    expect(first.json.succeeded).toBe(100);
    expect(first.text.length).toBeGreaterThan(2_500_000);

    const retry = await h.call('POST', `/v1/budgets/${b.id}/expenses/bulk`, { token: owner.token, body, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
  });
});
