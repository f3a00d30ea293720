import type { Item, ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { SummariesRepository } from './summaries.repository';

/** A store whose every Query answers `answer` (DynamoDB Local cannot be made to cut a page at 1 MB cheaply). */
const storeAnswering = (answer: { items: Item[]; lastKey?: Record<string, unknown> }, queries: Record<string, unknown>[]) =>
  ({
    key: (...parts: (string | number)[]) => `notifications#${parts.join('#')}`,
    query: async (input: Record<string, unknown>) => {
      queries.push(input);
      return { ...answer, out: {} };
    },
  }) as unknown as ModuleStore;

const reservation = (userId: string, end: string): Item => ({
  pk: `notifications#user#${userId}`,
  sk: `notifications#summary#${end}`,
  gsi1pk: 'notifications#summarydue#3',
  gsi1sk: `notifications#summarydue#${end}#${userId}`,
  windowStart: '2026-12-03T22:00:00.000Z',
  windowEnd: end,
});

describe('SummariesRepository.summariesDue: the cursor', () => {
  it('a page DynamoDB cut short (1 of a limit of 4, with a LastEvaluatedKey): that key, so the planner pages on', async () => {
    const queries: Record<string, unknown>[] = [];
    const lastKey = { pk: 'notifications#user#u1', sk: 'x', gsi1pk: 'notifications#summarydue#3', gsi1sk: 'y' };
    const repo = new SummariesRepository(storeAnswering({ items: [reservation('u1', '2026-12-04T07:00:00.000Z')], lastKey }, queries));
    const page = await repo.summariesDue(3, '2026-12-04T08:00:00.000Z', 4);
    expect(queries[0]!.Limit).toBe(5);
    expect(page).toEqual({ entries: [{ userId: 'u1', windowStart: '2026-12-03T22:00:00.000Z', windowEnd: '2026-12-04T07:00:00.000Z' }], lastKey });
  });

  it('limit + 1 read: the first limit, resuming after the last of them; the end: no cursor', async () => {
    const items = [reservation('u1', '2026-12-04T06:00:00.000Z'), reservation('u2', '2026-12-04T07:00:00.000Z')];
    const page = await new SummariesRepository(storeAnswering({ items, lastKey: { pk: 'whatever' } }, [])).summariesDue(3, '2026-12-04T08:00:00.000Z', 1);
    expect(page.entries.map((e) => e.userId)).toEqual(['u1']);
    expect(page.lastKey).toEqual({ pk: 'notifications#user#u1', sk: 'notifications#summary#2026-12-04T06:00:00.000Z', gsi1pk: 'notifications#summarydue#3', gsi1sk: 'notifications#summarydue#2026-12-04T06:00:00.000Z#u1' });
    const end = await new SummariesRepository(storeAnswering({ items: items.slice(1) }, [])).summariesDue(3, '2026-12-04T08:00:00.000Z', 1);
    expect(end).toEqual({ entries: [expect.objectContaining({ userId: 'u2' })] });
  });
});
