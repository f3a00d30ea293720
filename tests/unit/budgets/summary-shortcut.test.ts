import { describe, expect, it } from 'vitest';
import { SummaryQuery } from '../../../packages/budgets/src/schemas/summary.schemas';
import { plainSummaryQuery } from '../../../packages/budgets/src/routes/summary.shortcut';

/**
 * The summary's shortcut (packages/budgets/src/routes/summary.shortcut.ts) answers without the
 * router's zod validators, so it may accept only queries those accept, and must hand the handler
 * what they would. Each query below goes through both: the shortcut's check on Hono's
 * `c.req.queries()` shape, and SummaryQuery on what Hono's validator makes of it (one value per
 * key as a string, repeated keys as an array).
 */
const queries: Record<string, string[]>[] = [
  {},
  { date: ['2026-11-24'] },
  { date: ['2024-02-29'] },
  { date: ['1970-01-01'] },
  { date: ['9998-12-31'] },
  { date: ['9999-01-01'] },
  { date: ['2023-02-29'] },
  { date: ['2026-13-01'] },
  { date: ['24-11-2026'] },
  { date: ['today'] },
  { date: ['1800-01-01'] },
  { date: [''] },
  { date: ['2026-11-24 '] },
  { date: ['2026-11-24', '2026-11-25'] },
  { date: ['2026-11-24', '2026-11-24'] },
  { foo: ['1'] },
  { date: ['2026-11-24'], foo: ['1'] },
  { Date: ['2026-11-24'] },
];

function asValidatorSees(query: Record<string, string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

describe('summary shortcut: accepts only what the route\'s validators accept', () => {
  it.each(queries.map((q) => [JSON.stringify(q), q] as const))('%s', (_label, query) => {
    const shortcut = plainSummaryQuery(query);
    const zod = SummaryQuery.safeParse(asValidatorSees(query));
    // Declined (null), the router and its validators answer the query; taken, the validators accept it and read it alike.
    expect(shortcut === null || zod.success).toBe(true);
    if (shortcut !== null) expect(shortcut).toEqual(zod.data);
  });

  it('takes the common requests (no query, one valid date) and leaves the rest to the router', () => {
    const taken = queries.filter((q) => plainSummaryQuery(q) !== null).map((q) => JSON.stringify(q));
    expect(taken).toEqual(['{}', '{"date":["2026-11-24"]}', '{"date":["2024-02-29"]}', '{"date":["1970-01-01"]}', '{"date":["9998-12-31"]}']);
  });
});
