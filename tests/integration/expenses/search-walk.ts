import { expect } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { call } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import type { Harness, Team } from './harness';

/** One walk through a searched list: every id in order, and per page its size, cursor and the Limits of its index Queries. */
export interface Walk {
  ids: string[];
  pages: { items: number; nextCursor: boolean; queryLimits: number }[];
}

/** An app whose expenses module examines at most `maxExamined` stored expenses per searched list request. */
export function boundApp(h: Harness, maxExamined: number): App {
  return h.expensesAppWith({ list: { maxExamined } });
}

/**
 * Follows nextCursor from the first page to the end of `GET .../expenses?limit&<query>` as the
 * team's viewer (on `app`, the harness's own by default), recording what each page sent.
 */
export async function walkSearch(h: Harness, team: Team, query: string, limit: number, app: App = h.t.app): Promise<Walk> {
  const out: Walk = { ids: [], pages: [] };
  let cursor: string | null = null;
  do {
    const url: string = `/v1/budgets/${team.budget.id}/expenses?limit=${limit}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { result: res, sent } = await commandsSentDuring(h.t.doc, () => call(app, 'GET', url, { token: team.viewer.token }));
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.length).toBeLessThanOrEqual(limit);
    const queryLimits = sent
      .filter((c) => c.name === 'QueryCommand' && /^gsi[12]$/.test(String(c.input.IndexName)))
      .reduce((sum, c) => sum + Number(c.input.Limit), 0);
    out.ids.push(...res.json.items.map((x: { id: string }) => x.id));
    out.pages.push({ items: res.json.items.length, nextCursor: res.json.nextCursor !== null, queryLimits });
    cursor = res.json.nextCursor;
  } while (cursor && out.pages.length < 400);
  return out;
}

/** Whether a listing by `categoryId` must show the expense: filed under it, or one of its parts is. */
export const inCategory = (r: { categoryId: string | null; splits?: { categoryId: string | null }[] }, categoryId: string) =>
  r.categoryId === categoryId || (r.splits ?? []).some((p) => p.categoryId === categoryId);
