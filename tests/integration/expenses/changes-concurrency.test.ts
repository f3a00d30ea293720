import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * "A client that starts without `since` and keeps passing the last serverKnowledge never
 * misses a change and ends equal to the server", under concurrent writers: clients sync over
 * and over (small pages) WHILE 50 writers create, change and delete expenses, and keep a
 * replica built only from the sync responses. After the writers stop, one more round of
 * syncs must make each replica exactly the server's list. A client that starts in the middle
 * of the writes (its first sync pages through expenses being changed) must end equal too.
 */
let h: Harness;
let owner: User;
let editor: User;
let budget: Budget;
const path = () => `/v1/budgets/${budget.id}/expenses`;

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const day = () => `2026-11-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  editor = await h.signup('editor');
  budget = await h.createBudget(owner, { categories: ['Groceries', 'Transport'] });
  await h.addMember(budget, owner, editor, 'editor');
});
afterAll(() => h.destroy());

/** A client of the API: retries what a mobile client retries (409 in flight, 503 busy). */
async function send(method: string, url: string, user: User, body?: unknown, headers?: Record<string, string>) {
  for (let attempt = 0; ; attempt++) {
    const res = await h.call(method, url, { token: user.token, body, headers });
    if ((res.status !== 409 && res.status !== 503) || attempt > 50) return res;
    await new Promise((r) => setTimeout(r, 10 + random() * 40));
  }
}

class SyncClient {
  readonly replica = new Map<string, any>();
  token: string | undefined;
  syncs = 0;
  /** Syncs that returned changes while writers were running. */
  busySyncs = 0;

  /** One call; returns hasMore. */
  async syncOnce(during: boolean): Promise<boolean> {
    const query = new URLSearchParams({ limit: '20', ...(this.token ? { since: this.token } : {}) });
    const res = await send('GET', `/v1/budgets/${budget.id}/changes?${query}`, owner);
    expect(res.status, res.text).toBe(200);
    for (const { kind: _kind, ...e } of res.json.expenses) {
      // Kept as GET shows them (without the item's kind).
      if (e.deleted) this.replica.delete(e.id);
      else this.replica.set(e.id, e);
    }
    this.token = res.json.serverKnowledge;
    this.syncs++;
    if (during && res.json.expenses.length > 0) this.busySyncs++;
    return res.json.hasMore;
  }

  async syncUntilDone(): Promise<void> {
    while (await this.syncOnce(false));
  }

  /** Syncs continuously (following hasMore, pausing a little otherwise) until `done()`. */
  async syncWhile(done: () => boolean): Promise<void> {
    while (!done()) {
      const more = await this.syncOnce(true);
      if (!more) await new Promise((r) => setTimeout(r, 5 + random() * 20));
    }
  }
}

const listAll = () => h.listExpenses(budget, owner.token);

/** One writer: creates an expense, then changes or deletes it (or another one) a few times. */
async function writer(i: number, existing: string[]) {
  const user = i % 2 === 0 ? owner : editor;
  const body = () => ({ amount: 1 + Math.floor(random() * 10_000), occurredOn: day(), categoryId: random() < 0.3 ? null : budget.categories[Math.floor(random() * 2)]!.id });
  const created = await send('POST', path(), user, body(), { 'idempotency-key': `w-${i}` });
  expect(created.status, created.text).toBe(201);
  const mine = created.json.id as string;
  const target = i % 3 === 0 ? existing[i % existing.length]! : mine;
  for (let step = 0; step < 3; step++) {
    const res = await send('PATCH', `${path()}/${target}`, user, body());
    expect([200, 404]).toContain(res.status);
  }
  if (i % 4 === 0) expect([204, 404]).toContain((await send('DELETE', `${path()}/${mine}`, user)).status);
  if (i % 5 === 0) expect([204, 404]).toContain((await send('DELETE', `${path()}/${target}`, user)).status);
}

describe('delta sync under concurrent writers', { timeout: 600_000 }, () => {
  it('clients syncing during 50 concurrent writers end exactly equal to the server', async () => {
    const existing: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await send('POST', path(), owner, { amount: 100 + i, occurredOn: day() }, { 'idempotency-key': `seed-${i}` });
      existing.push(res.json.id);
    }
    const early = new SyncClient();
    await early.syncUntilDone();
    expect(early.replica.size).toBe(20);

    let writing = true;
    const late = new SyncClient();
    const writers = Promise.all(Array.from({ length: 50 }, (_, i) => writer(i, existing))).finally(() => {
      writing = false;
    });
    // The late client's first sync starts while the writers are at it.
    const lateStart = new Promise((r) => setTimeout(r, 300)).then(() => late.syncWhile(() => !writing));
    await Promise.all([writers, early.syncWhile(() => !writing), lateStart]);

    expect(early.busySyncs, 'syncs interleaved with the writes').toBeGreaterThan(3);
    expect(late.syncs).toBeGreaterThan(1);

    await early.syncUntilDone();
    await late.syncUntilDone();
    const server = new Map((await listAll()).map((e) => [e.id, e] as const));
    expect(server.size).toBeGreaterThan(40);
    expect(early.replica).toEqual(server);
    expect(late.replica).toEqual(server);
    // Nothing more to come.
    expect((await h.call('GET', `/v1/budgets/${budget.id}/changes?since=${early.token}`, { token: owner.token })).json.expenses).toEqual([]);
  });
});
