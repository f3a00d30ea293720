import { newId, type ModuleStore } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Expense } from '@budgeting/expenses';
import {
  CHANGE_RETENTION_SECONDS,
  CHANGE_SHARDS,
  ChangeLog,
  changeShardOf,
} from '../../../packages/expenses/src/repository/change-log';
import { ExpensesRepository } from '../../../packages/expenses/src/repository/expenses.repository';
import { TotalsRepository } from '../../../packages/expenses/src/repository/totals.repository';
import { recordedEvent } from '../../../packages/expenses/src/service/expense-facts';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The change log that delta sync reads: every expense write numbers itself inside its own
 * transaction (see change-log.ts). These tests use the repository directly; the route's tests
 * are in changes*.test.ts.
 */
let t: TestSystem;
let store: ModuleStore;
let repository: ExpensesRepository;
let log: ChangeLog;

beforeAll(async () => {
  t = await createTestSystem();
  store = t.system.deps.storeFor('expenses');
  repository = new ExpensesRepository(store, new TotalsRepository(store));
  log = new ChangeLog(store);
});
afterAll(() => t.destroy());

function anExpense(budgetId: string, id = newId(t.clock.now().getTime())): Expense {
  const now = t.clock.now().toISOString();
  return { id, budgetId, amount: 100, categoryId: null, occurredOn: '2026-11-20', reviewed: true, createdBy: 'u1', version: 1, createdAt: now, updatedAt: now };
}
const publish = (e: Expense) => recordedEvent(e, t.clock);

/** An id whose change shard is `shard` (ids are random, so draw until one fits). */
function idInShard(shard: number): string {
  for (;;) {
    const id = newId(t.clock.now().getTime());
    if (changeShardOf(id) === shard) return id;
  }
}

/**
 * DynamoDB Local answers a transaction that waited too long for an item lock with an
 * InternalServerError ("will succeed in actual DynamoDB"); the HTTP layer turns it into a 503
 * clients retry. Here, without HTTP, the test retries it: nothing was written.
 */
async function retryingLocalLocks<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt > 10 || (err as Error).name !== 'InternalServerError') throw err;
    }
  }
}

async function allEntries(budgetId: string) {
  const out = [];
  for (let shard = 0; shard < CHANGE_SHARDS; shard++) out.push(...(await log.entriesAfter(budgetId, shard, 0, 1000)));
  return out;
}

describe('the change log', { timeout: 120_000 }, () => {
  it('numbers a create, an update and a delete (a tombstone) in one shard, with a 90-day expiry', async () => {
    const budgetId = newId();
    const created = anExpense(budgetId);
    expect(await repository.create(created, await publish(created))).toBe('created');
    const updated = { ...created, amount: 200, version: 2 };
    await repository.replace(created, updated, await publish(updated));
    await repository.remove(updated, await publish(updated), updated.createdBy);

    const shard = changeShardOf(created.id);
    expect(await log.entriesAfter(budgetId, shard, 0, 10)).toEqual([
      { shard, seq: 1, expenseId: created.id, deleted: false },
      { shard, seq: 2, expenseId: created.id, deleted: false },
      { shard, seq: 3, expenseId: created.id, deleted: true },
    ]);
    expect(await log.entriesAfter(budgetId, shard, 2, 10)).toEqual([{ shard, seq: 3, expenseId: created.id, deleted: true }]);
    const counters = await log.counters(budgetId);
    expect(counters[shard]).toBe(3);
    expect(counters.reduce((a, b) => a + b, 0)).toBe(3);

    const items = await store.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `expenses#changes#${budgetId}` },
    });
    const entry = items.find((i) => i.kind === 'expense-change')!;
    expect(entry.expiresAt).toBe(Math.floor(t.clock.now().getTime() / 1000) + CHANGE_RETENTION_SECONDS);
    // The counters never expire: serverKnowledge counts on them.
    expect(items.filter((i) => i.kind === 'change-counter').every((i) => i.expiresAt === undefined)).toBe(true);
  });

  it('a write whose condition fails leaves no entry and does not move the counter', async () => {
    const budgetId = newId();
    const e = anExpense(budgetId);
    await repository.create(e, await publish(e));
    expect(await repository.create(e, await publish(e))).toBe('exists');
    await expect(repository.replace({ ...e, version: 7 }, { ...e, version: 8 }, await publish(e))).rejects.toThrow('changed concurrently');
    expect(await allEntries(budgetId)).toHaveLength(1);
  });

  it('concurrent writers get consecutive numbers in every shard, one per write', async () => {
    const budgetId = newId();
    const expenses = Array.from({ length: 100 }, () => anExpense(budgetId));
    await Promise.all(expenses.map((e) => retryingLocalLocks(async () => repository.create(e, await publish(e)))));
    const changed = expenses.slice(0, 40).map((e) => ({ ...e, amount: 5, version: 2 }));
    await Promise.all([
      ...changed.map((e, i) => retryingLocalLocks(async () => repository.replace(expenses[i]!, e, await publish(e)))),
      ...expenses.slice(40, 60).map((e) => retryingLocalLocks(async () => repository.remove(e, await publish(e), e.createdBy))),
    ]);

    const entries = await allEntries(budgetId);
    expect(entries).toHaveLength(100 + 40 + 20);
    const counters = await log.counters(budgetId);
    for (let shard = 0; shard < CHANGE_SHARDS; shard++) {
      const seqs = entries.filter((e) => e.shard === shard).map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: counters[shard]! }, (_, i) => i + 1));
    }
    expect(entries.filter((e) => e.deleted).map((e) => e.expenseId).sort()).toEqual(expenses.slice(40, 60).map((e) => e.id).sort());
  });

  /**
   * The reason the number is taken inside the transaction. Forced interleaving: writer A has
   * read its shard's counter (v) and is about to commit; meanwhile writer B (same shard)
   * commits, and a syncing reader reads the counters and the entries. A must not commit with
   * a number the reader has already moved past; it must come after, so the reader's next sync
   * gets it. With a number reserved before the commit (a timestamp, a separate counter
   * update) A would commit v + 1 below the reader's v + 2, and the reader would never see it.
   */
  it('a write that read the counter before a concurrent write commits is numbered after what a reader saw', async () => {
    const budgetId = newId();
    const shard = 5;
    const first = anExpense(budgetId, idInShard(shard));
    await repository.create(first, await publish(first));

    let seen: number[] = [];
    let held = false;
    const racing: ModuleStore = Object.create(store);
    racing.transactWrite = async (...args: Parameters<ModuleStore['transactWrite']>) => {
      if (!held) {
        held = true;
        // A has read the counter (1) and built its transaction. B commits first...
        const b = anExpense(budgetId, idInShard(shard));
        expect(await repository.create(b, await publish(b))).toBe('created');
        // ...and a client syncs: it now knows shard 5 up to 2, with entries 1 and 2.
        seen = await log.counters(budgetId);
        expect(seen[shard]).toBe(2);
        expect((await log.entriesAfter(budgetId, shard, 0, 10)).map((e) => e.seq)).toEqual([1, 2]);
      }
      return store.transactWrite(...args);
    };
    const a = anExpense(budgetId, idInShard(shard));
    expect(await new ExpensesRepository(racing, new TotalsRepository(racing)).create(a, await publish(a))).toBe('created');

    // A's change is after what the client knows: its next sync (since 2) returns it.
    expect(await log.entriesAfter(budgetId, shard, seen[shard]!, 10)).toEqual([{ shard, seq: 3, expenseId: a.id, deleted: false }]);
  });

  it('the budget.deleted cleanup removes the counters and entries', async () => {
    const budgetId = newId();
    const e = anExpense(budgetId);
    await repository.create(e, await publish(e));
    await repository.remove(e, await publish(e), e.createdBy);
    expect(await log.allKeys(budgetId)).toHaveLength(3);
    await t.system.facades.spending.deleteAllForBudget(budgetId);
    expect(await log.allKeys(budgetId)).toEqual([]);
    expect(await log.counters(budgetId)).toEqual(new Array(CHANGE_SHARDS).fill(0));
  });
});
