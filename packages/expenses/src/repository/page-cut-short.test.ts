import type { Item, ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { RecurringExpense } from '../model';
import { ChangeLog } from './change-log';
import { CommentsRepository } from './comments.repository';
import type { ExpensesRepository } from './expenses.repository';
import type { ExpenseQueries } from './expense-queries.repository';
import { RecurringRepository } from './recurring.repository';

/**
 * A page DynamoDB cuts short at 1 MB (fewer items than the Limit, with a LastEvaluatedKey) must
 * still carry a cursor: a fake store answers each Query with what it is given and keeps the
 * request. Items are built by the repositories' own writes (put), so they map as stored ones.
 */
function fakeStore() {
  const puts: Item[] = [];
  const queries: Record<string, unknown>[] = [];
  let answer: { items: Item[]; lastKey?: Record<string, unknown> } = { items: [] };
  const store = {
    key: (...parts: (string | number)[]) => `expenses#${parts.join('#')}`,
    put: async (input: { Item: Item }) => {
      puts.push(input.Item);
      return {};
    },
    // A definition's write is a transaction with its change stamp (delta sync): its Put is kept,
    // the counter (never written here: read as absent) and its entry are not.
    get: async () => undefined,
    transactWrite: async (items: { Put?: { Item: Item } }[]) => {
      for (const item of items) if (item.Put && item.Put.Item.kind !== 'expense-change') puts.push(item.Put.Item);
    },
    query: async (input: Record<string, unknown>) => {
      queries.push(input);
      return { ...answer, out: {} };
    },
  } as unknown as ModuleStore;
  return { store, puts, queries, answer: (a: typeof answer) => (answer = a) };
}

const definition = (id: string): RecurringExpense => ({
  id,
  budgetId: 'b',
  amount: 900,
  categoryId: null,
  schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-01' },
  nextOccurrenceOn: '2026-12-01',
  paused: false,
  createdBy: 'u',
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
});

async function storedDefinitions(ids: string[]) {
  const fake = fakeStore();
  const repo = new RecurringRepository(fake.store, { changes: new ChangeLog(fake.store) } as ExpensesRepository, {} as ExpenseQueries);
  for (const id of ids) await repo.replace(definition(id), definition(id), 'UTC');
  return { ...fake, repo, items: fake.puts.map(({ ...i }) => i) };
}

describe('RecurringRepository pages cut short by DynamoDB', () => {
  it('page: 1 of a limit of 3 read, with a LastEvaluatedKey: that key is the cursor', async () => {
    const { repo, items, answer, queries } = await storedDefinitions(['r1']);
    answer({ items, lastKey: { pk: 'expenses#budget#b', sk: 'expenses#recurring#r1' } });
    const page = await repo.page('b', 3);
    expect(queries[0]!.Limit).toBe(4);
    expect(page.items.map((r) => r.id)).toEqual(['r1']);
    expect(page.lastKey).toEqual({ pk: 'expenses#budget#b', sk: 'expenses#recurring#r1' });
  });

  it('page: limit + 1 read: the first limit and the key of the last of them; the end: no cursor', async () => {
    const { repo, items, answer } = await storedDefinitions(['r1', 'r2', 'r3']);
    answer({ items, lastKey: { pk: 'expenses#budget#b', sk: 'expenses#recurring#r3' } });
    const page = await repo.page('b', 2);
    expect(page.items.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(page.lastKey).toEqual({ pk: 'expenses#budget#b', sk: 'expenses#recurring#r2' });
    answer({ items: items.slice(2) });
    expect(await repo.page('b', 2)).toEqual({ items: [expect.objectContaining({ id: 'r3' })] });
  });

  it('duePage: 1 entry of a limit of 5 read, with a LastEvaluatedKey: the planner gets it (and pages on)', async () => {
    const { repo, items, answer } = await storedDefinitions(['r1']);
    const entry = items[0]!;
    expect(entry.gsi1sk).toBeDefined();
    const lastKey = { pk: entry.pk, sk: entry.sk, gsi1pk: entry.gsi1pk, gsi1sk: entry.gsi1sk };
    answer({ items, lastKey });
    const page = await repo.duePage(Number(String(entry.gsi1pk).split('#').pop()), '2026-12-02T00:00:00.000Z', 5);
    expect(page.entries.map((e) => e.id)).toEqual(['r1']);
    expect(page.lastKey).toEqual(lastKey);
  });
});

describe('CommentsRepository.page cut short by DynamoDB', () => {
  const comment = (id: string): Item => ({ pk: 'expenses#budget#b', sk: `expenses#expense#e#comment#${id}`, kind: 'comment', id, budgetId: 'b', expenseId: 'e', authorId: 'u', text: 'hi', createdAt: '2026-11-01T00:00:00.000Z' });

  it('2 comments of a limit of 5 read, with a LastEvaluatedKey: that key is the cursor', async () => {
    const { store, answer } = fakeStore();
    answer({ items: [comment('c1'), comment('c2')], lastKey: { pk: 'expenses#budget#b', sk: 'expenses#expense#e#comment#c2' } });
    const page = await new CommentsRepository(store).page('b', 'e', 5);
    expect(page.items.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(page.lastKey).toEqual({ pk: 'expenses#budget#b', sk: 'expenses#expense#e#comment#c2' });
  });

  it('the count item read (it sorts after every comment): the end, though DynamoDB gives a LastEvaluatedKey at its Limit', async () => {
    const { store, answer } = fakeStore();
    const count: Item = { pk: 'expenses#budget#b', sk: 'expenses#expense#e#commentcount', kind: 'comment-count', count: 2 };
    answer({ items: [comment('c2'), count], lastKey: { pk: 'expenses#budget#b', sk: 'expenses#expense#e#commentcount' } });
    expect(await new CommentsRepository(store).page('b', 'e', 1)).toEqual({ items: [expect.objectContaining({ id: 'c2' })] });
  });
});

describe('ExpenseQueries.importedOfAmount cut short by DynamoDB', () => {
  it("reads on past a page DynamoDB cut at 1 MB before the amount filter (up to the job's Limit of expenses examined): the bill behind it is found", async () => {
    const queries: Record<string, unknown>[] = [];
    const imported: Item = { id: 'e13', amount: 120_000, merchant: 'ACME RENTALS', occurredOn: '2026-10-31', importId: 'i1' };
    // 1 MB of large expenses of the window read first (12 examined, none of the amount), then the bill.
    const pages = [
      { items: [], lastKey: { pk: 'expenses#budget#b', sk: 'expenses#expense#e12', gsi1pk: 'expenses#budget#b', gsi1sk: 'expenses#date#2026-10-30#e12' }, out: { ScannedCount: 12, Count: 0 } },
      { items: [imported], out: { ScannedCount: 2, Count: 1 } },
    ];
    const store = {
      key: (...parts: (string | number)[]) => `expenses#${parts.join('#')}`,
      query: async (input: Record<string, unknown>) => {
        queries.push(input);
        return pages[queries.length - 1] ?? { items: [], out: {} };
      },
    } as unknown as ModuleStore;
    const { ExpenseQueries } = await import('./expense-queries.repository');
    const found = await new ExpenseQueries(store, new ChangeLog(store)).importedOfAmount('b', 120_000, '2026-10-30', '2026-11-06', 300);
    expect(found.map((e) => e.id)).toEqual(['e13']);
    // Still at most 300 examined in all: the second Query asks for what is left.
    expect(queries.map((q) => [q.Limit, q.ExclusiveStartKey])).toEqual([
      [300, undefined],
      [288, pages[0]!.lastKey],
    ]);
  });
});
