import { expect } from 'vitest';
import type { Budget, Harness } from './harness';

/**
 * What a member sees of a budget after a write over many expenses (a rule apply, a category
 * reassign): the month's spending by category, and what a syncing device gets. Shared by those
 * suites so each asserts its own figures, not its own copy of these reads.
 */

/** The summary of the month containing `date`: spent per category (zeros left out) and uncategorized. */
export async function monthSpent(h: Harness, token: string, b: Budget, date: string) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/summary?date=${date}`, { token });
  expect(res.status, res.text).toBe(200);
  const byCategory = Object.fromEntries((res.json.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
  return { byCategory, uncategorized: res.json.uncategorizedSpent as number };
}

/** The budget's delta-sync knowledge now (a device that just synced). */
export async function syncKnowledge(h: Harness, token: string, b: Budget): Promise<string> {
  let since: string | undefined;
  for (;;) {
    const res = await h.call('GET', `/v1/budgets/${b.id}/changes${since ? `?since=${encodeURIComponent(since)}` : ''}`, { token });
    expect(res.status, res.text).toBe(200);
    since = res.json.serverKnowledge;
    if (!res.json.hasMore) return since!;
  }
}

/** What a device that synced at `since` gets next, every page. */
export async function changesSince(h: Harness, token: string, b: Budget, since: string): Promise<any[]> {
  const all: any[] = [];
  for (let next = since; ; ) {
    const res = await h.call('GET', `/v1/budgets/${b.id}/changes?since=${encodeURIComponent(next)}`, { token });
    expect(res.status, res.text).toBe(200);
    all.push(...res.json.expenses);
    next = res.json.serverKnowledge;
    if (!res.json.hasMore) return all;
  }
}
