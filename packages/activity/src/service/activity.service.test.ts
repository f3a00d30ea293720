import { createCursorCodec, type EventEnvelope } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { ExpenseActivitySource } from '@budgeting/expenses';
import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../model';
import type { ActivityRepository } from '../repository/activity.repository';
import { ActivityService } from './activity.service';

/**
 * The merge of the two sources when one stops short: DynamoDB ends a page at 1 MB read, before
 * its Limit. Sources here are in-memory lists read as the repositories read them (newest first,
 * strictly before `before`, `limit` + 1), each stopping after `cut` items with `readTo`.
 */
type Position = { at: string; id: string };
const newestFirst = <T extends Position>(all: T[], before: Position | undefined, take: number) => {
  const below = all.filter((e) => !before || `${e.at}#${e.id}` < `${before.at}#${before.id}`);
  const read = below.slice(0, take);
  return { read, more: below.length > read.length };
};
const at = (minute: number) => `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`;

// Budget settings changes (own entries) at even minutes, expense deletions (events) at odd ones: 0..19.
const own: ActivityEntry[] = Array.from({ length: 10 }, (_, i) => ({
  id: `own${String(i).padStart(2, '0')}`, budgetId: 'b1', at: at(2 * i), actor: { type: 'user', id: 'u1' }, action: 'budget.settings_changed', subject: { type: 'budget', id: 'b1' },
})) as ActivityEntry[];
const events: EventEnvelope[] = Array.from({ length: 10 }, (_, i) => ({
  id: `exp${String(i).padStart(2, '0')}`, occurredAt: at(2 * i + 1), type: 'expense.deleted', source: 'budgeting.expenses', version: 1,
  data: { budgetId: 'b1', expenseId: `e${i}`, deletedBy: 'u1', amount: 100 },
})) as unknown as EventEnvelope[];
const byTimeDesc = <T>(list: T[], pos: (t: T) => Position) => [...list].sort((a, b) => (`${pos(a).at}#${pos(a).id}` < `${pos(b).at}#${pos(b).id}` ? 1 : -1));

function service(cuts: { own: number; expenses: number }) {
  const ownSorted = byTimeDesc(own, (e) => e);
  const eventsSorted = byTimeDesc(events, (e) => ({ at: e.occurredAt, id: e.id }));
  const repository = {
    page: async (_b: string, limit: number, before?: Position) => {
      const { read, more } = newestFirst(ownSorted, before, Math.min(limit + 1, cuts.own));
      const last = read[read.length - 1];
      return more && last ? { entries: read, readTo: { at: last.at, id: last.id } } : { entries: read };
    },
  } as unknown as ActivityRepository;
  const expenses: ExpenseActivitySource = {
    events: async (_b, limit, before) => {
      const asPositions = eventsSorted.map((e) => ({ at: e.occurredAt, id: e.id, e }));
      const { read, more } = newestFirst(asPositions, before, Math.min(limit + 1, cuts.expenses));
      const last = read[read.length - 1];
      return { events: read.map((r) => r.e), ...(more && last ? { readTo: { at: last.at, id: last.id } } : {}) };
    },
  };
  return new ActivityService({
    repository,
    expenses,
    budgets: { getAccess: async () => ({ role: 'owner' }), memberNames: async () => [{ userId: 'u1', name: 'Ada' }] } as unknown as BudgetsFacade,
    cursors: createCursorCodec('a test secret of enough length for the codec'),
  });
}

async function walk(s: ActivityService, limit: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await s.list('b1', 'u1', { limit, ...(cursor ? { cursor } : {}) } as never);
    pages.push(page.items.map((e) => e.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 30);
  return pages;
}

const everything = byTimeDesc([...own.map((e) => ({ at: e.at, id: e.id })), ...events.map((e) => ({ at: e.occurredAt, id: e.id }))], (p) => p).map((p) => p.id);

describe('ActivityService.list: a source cut short skips nothing', () => {
  it('neither cut: pages of 5, each entry once, newest first, no empty last page', async () => {
    const pages = await walk(service({ own: 100, expenses: 100 }), 5);
    expect(pages.flat()).toEqual(everything);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5]);
  });

  it('the expense events cut after 2 items a read: each page stops where they stopped, every entry once, in order', async () => {
    const pages = await walk(service({ own: 100, expenses: 2 }), 5);
    expect(pages.flat()).toEqual(everything);
    // exp09 (minute 19) and exp08 (17) read: the page ends at minute 17 (exp09, own09, exp08), and so on.
    expect(pages[0]).toEqual(['exp09', 'own09', 'exp08']);
  });

  it('both cut after 1 item a read: still every entry once, in order', async () => {
    const pages = await walk(service({ own: 1, expenses: 1 }), 5);
    expect(pages.flat()).toEqual(everything);
  });
});
