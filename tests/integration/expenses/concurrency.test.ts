import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * Many clients at once, with retries: the budget's spending must equal exactly the sum of
 * the expenses that exist, after concurrent creates (some retried with the same
 * Idempotency-Key, some of those retries concurrent with the original), and after
 * concurrent changes and deletes of the same expenses.
 */
let h: Harness;
let owner: User;
let editor: User;
let budget: Budget;
const path = () => `/v1/budgets/${budget.id}/expenses`;
const MONTH_END = '2026-11-30';

// Deterministic pseudo-random numbers, so a failure can be replayed.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
const day = () => `2026-11-${String(1 + Math.floor(random() * 30)).padStart(2, '0')}`;

interface Listed {
  id: string;
  amount: number;
  categoryId: string | null;
  occurredOn: string;
  version: number;
}

const listAll = (): Promise<Listed[]> => h.listExpenses(budget, owner.token);

/** The budget's spending (summary) must equal the expenses that exist, also per category. */
async function expectTotalsToMatch(expenses: Listed[]) {
  const sum = (xs: Listed[]) => xs.reduce((s, e) => s + e.amount, 0);
  expect(await h.spent(budget, owner.token, '2026-11-15')).toBe(sum(expenses));
  const totals = await h.spending.totalsBetween(budget.id, '2026-11-01', MONTH_END);
  expect(totals.total).toBe(sum(expenses));
  expect(totals.uncategorized).toBe(sum(expenses.filter((e) => e.categoryId === null)));
  for (const c of budget.categories) {
    expect(totals.byCategory[c.id] ?? 0).toBe(sum(expenses.filter((e) => e.categoryId === c.id)));
  }
  // Partial-month ranges come from day buckets: they must agree too.
  const firstHalf = await h.spending.totalsBetween(budget.id, '2026-11-01', '2026-11-15');
  expect(firstHalf.total).toBe(sum(expenses.filter((e) => e.occurredOn <= '2026-11-15')));
}

/**
 * A client that retries 409 (same key still in flight) and 503 until it gets an answer.
 * Keys are scoped per user, so a retry comes from the same user as the original.
 */
async function post(user: User, body: unknown, key: string) {
  for (let attempt = 0; ; attempt++) {
    const res = await h.call('POST', path(), { token: user.token, body, headers: { 'idempotency-key': key } });
    if ((res.status !== 409 && res.status !== 503) || attempt > 50) return res;
    await new Promise((r) => setTimeout(r, 20 + random() * 50));
  }
}

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  editor = await h.signup('editor');
  budget = await h.createBudget(owner, { categories: ['Groceries', 'Transport', 'Fun'] });
  await h.addMember(budget, owner, editor, 'editor');
});
afterAll(() => h.destroy());

// Hundreds of requests against one shared DynamoDB Local: allow for a busy machine.
describe('concurrent writes keep the totals exact', { timeout: 180_000 }, () => {
  const categories = () => [null, ...budget.categories.map((c) => c.id)];

  it('200 concurrent POSTs with retried and concurrently duplicated Idempotency-Keys record each expense once', async () => {
    const wanted = Array.from({ length: 200 }, (_, i) => ({
      key: `create-${i}`,
      user: i % 2 === 0 ? owner : editor,
      body: { amount: 1 + Math.floor(random() * 100_000), occurredOn: day(), categoryId: pick(categories()) },
    }));
    // Every 4th request is sent twice at the same moment (a client retrying too early).
    const sends = wanted.flatMap((w, i) => (i % 4 === 0 ? [w, w] : [w]));
    const first = await Promise.all(sends.map((w) => post(w.user, w.body, w.key)));
    expect(first.every((r) => r.status === 201)).toBe(true);
    // Every 5th is retried afterwards (the response was lost): replayed, not recorded again.
    const retried = await Promise.all(wanted.filter((_, i) => i % 5 === 0).map((w) => post(w.user, w.body, w.key)));
    expect(retried.every((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true')).toBe(true);

    const idsByKey = new Map<string, Set<string>>();
    [...first, ...retried].forEach((res, i) => {
      const key = i < sends.length ? sends[i]!.key : wanted.filter((_, j) => j % 5 === 0)[i - sends.length]!.key;
      idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(res.json.id));
    });
    expect([...idsByKey.values()].every((ids) => ids.size === 1)).toBe(true);

    const listed = await listAll();
    expect(listed).toHaveLength(200);
    expect(new Set(listed.map((e) => e.id))).toEqual(new Set([...idsByKey.values()].map((ids) => [...ids][0])));
    const byId = new Map(listed.map((e) => [e.id, e]));
    for (const w of wanted) {
      const e = byId.get([...idsByKey.get(w.key)!][0]!)!;
      expect({ amount: e.amount, occurredOn: e.occurredOn, categoryId: e.categoryId }).toEqual(w.body);
    }
    await expectTotalsToMatch(listed);
  });

  it('concurrent PATCHes (with and without If-Match) and DELETEs of the same expenses keep them exact', async () => {
    const before = await listAll();
    const targets = before.slice(0, 80);
    const requests: Promise<{ status: number; kind: string }>[] = [];
    const send = (kind: string, method: string, id: string, opts: { body?: unknown; headers?: Record<string, string> }) =>
      requests.push(
        h.call(method, `${path()}/${id}`, { token: pick([owner, editor]).token, ...opts }).then((r) => ({ status: r.status, kind })),
      );
    targets.forEach((e, i) => {
      const change = () => ({ amount: 1 + Math.floor(random() * 100_000), occurredOn: day(), categoryId: pick(categories()) });
      send('patch', 'PATCH', e.id, { body: change() });
      send('patch', 'PATCH', e.id, { body: change() });
      send('patch-if-match', 'PATCH', e.id, { body: change(), headers: { 'if-match': `"${e.version}"` } });
      if (i % 3 === 0) {
        send('delete', 'DELETE', e.id, {});
        send('delete', 'DELETE', e.id, {});
      }
    });
    // Interleave the writes on each expense.
    const results = await Promise.all(requests);

    const allowed: Record<string, number[]> = {
      patch: [200, 404, 409],
      'patch-if-match': [200, 404, 412],
      delete: [204, 404, 409],
    };
    for (const r of results) expect(allowed[r.kind]).toContain(r.status);
    expect(results.filter((r) => r.kind === 'delete' && r.status === 204)).toHaveLength(targets.filter((_, i) => i % 3 === 0).length);
    expect(results.some((r) => r.kind === 'patch' && r.status === 200)).toBe(true);

    const after = await listAll();
    expect(after).toHaveLength(before.length - targets.filter((_, i) => i % 3 === 0).length);
    await expectTotalsToMatch(after);
  });
});
