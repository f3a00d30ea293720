import { parse } from 'csv-parse/sync';
import { fixedClock } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenAtClock } from '../../support/actors';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';
import { callAs, runRecurringJob } from './recurring-harness';

/**
 * "Every payment of this bill": `GET .../expenses?recurringExpenseId=` (and the export, which
 * takes the list's search filters) on DynamoDB Local with the real recurring job. Two bills
 * recorded month by month (the job on their days, one paid early by record-next) beside
 * expenses entered by hand, one of them the same bill typed in. Every expected list and line
 * below is written out by hand from the dates set up here.
 *
 * Newest first, the budget holds: G3 2026-11-12 (Gym, record-next), N3 2026-11-10 (Netflix, job),
 * market 2026-10-20 (hand), G2 2026-10-15 (job), handNetflix 2026-10-11 (hand, merchant Netflix),
 * N2 2026-10-10 (job), G1 2026-09-15 (job), N1 2026-09-10 (job).
 */
const START = '2026-09-10T12:00:00Z';
const clock = fixedClock(START);
let h: Harness;
let team: Team;
let budget: Budget;
/** Where the export is imported back (created while the team's tokens are valid). */
let other: Budget;
const netflix = { id: '', url: '' };
const gym = { id: '', url: '' };
/** The expenses, by name. */
const e: Record<string, string> = {};

const req = (who: User, method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => callAs(h, who, method, url, options);
const list = (query: string) => `/v1/budgets/${budget.id}/expenses?${query}`;
const name = (id: string) => Object.keys(e).find((k) => e[k] === id) ?? id;

/** The one page of `query` (asserting there is no other), as names. */
async function listed(query: string, who: User = team.owner): Promise<string[]> {
  const res = await req(who, 'GET', list(query));
  expect(res.status, res.text).toBe(200);
  expect(res.json.nextCursor, query).toBeNull();
  return res.json.items.map((x: { id: string }) => name(x.id));
}

async function define(body: Record<string, unknown>) {
  const res = await req(team.owner, 'POST', `/v1/budgets/${budget.id}/recurring-expenses`, { body });
  expect(res.status, res.text).toBe(201);
  return { id: res.json.id as string, url: res.headers.get('location')! };
}

/** The job run on `day` (its clock at noon UTC), expecting it to record `recorded` expenses. */
async function runOn(day: string, recorded: number) {
  clock.set(`${day}T12:00:00Z`);
  expect(await runRecurringJob(h)).toMatchObject({ recorded, failed: 0 });
}

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team({ timezone: 'UTC' });
  budget = team.budget;
  other = await h.createBudget(team.owner, { timezone: 'UTC' });
  Object.assign(netflix, await define({ amount: 1_549, merchant: 'Netflix', schedule: { frequency: 'monthly', startsOn: '2026-09-10' } }));
  Object.assign(gym, await define({ amount: 3_000, merchant: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-09-15' } }));
  for (const [day, n] of [['2026-09-10', 1], ['2026-09-15', 1], ['2026-10-10', 1], ['2026-10-15', 1], ['2026-11-10', 1]] as const) await runOn(day, n);
  // Gym's November (due 2026-11-15) paid early, on the 12th.
  clock.set('2026-11-12T12:00:00Z');
  const early = await req(team.owner, 'POST', `${gym.url}/record-next`, { body: { occurredOn: '2026-11-12' } });
  expect(early.status, early.text).toBe(200);
  clock.set('2026-11-20T12:00:00Z');
  for (const [key, body] of [
    ['handNetflix', { amount: 1_549, merchant: 'Netflix', occurredOn: '2026-10-11' }],
    ['market', { amount: 2_000, merchant: 'Market', occurredOn: '2026-10-20' }],
  ] as const) {
    const res = await req(team.editor, 'POST', `/v1/budgets/${budget.id}/expenses`, { body });
    expect(res.status, res.text).toBe(201);
    e[key] = res.json.id;
  }
  // Name the recorded ones by their bill and date (each bill has one expense a day).
  const all = await req(team.owner, 'GET', list('limit=100'));
  for (const x of all.json.items as { id: string; occurredOn: string; recurringExpenseId?: string }[]) {
    if (x.recurringExpenseId === netflix.id) e[`N${Number(x.occurredOn.slice(5, 7)) - 8}`] = x.id;
    if (x.recurringExpenseId === gym.id) e[`G${Number(x.occurredOn.slice(5, 7)) - 8}`] = x.id;
  }
  expect((all.json.items as { id: string }[]).map((x) => name(x.id))).toEqual(['G3', 'N3', 'market', 'G2', 'handNetflix', 'N2', 'G1', 'N1']);
});
afterEach(() => clock.set('2026-11-20T12:00:00Z'));
afterAll(async () => {
  // The job sees every definition of the table: remove this file's.
  for (const url of [netflix.url, gym.url]) await req(team.owner, 'DELETE', url);
  await h.destroy();
});

describe('the payments of a recurring expense (?recurringExpenseId=)', { timeout: 120_000 }, () => {
  it("lists exactly the expenses that bill recorded, newest first: not the same bill entered by hand, not the other bill's", async () => {
    expect(await listed(`recurringExpenseId=${netflix.id}`)).toEqual(['N3', 'N2', 'N1']);
    expect(await listed(`recurringExpenseId=${gym.id}`)).toEqual(['G3', 'G2', 'G1']);
    // The merchant alone also finds the one typed in by hand; with the id, only the bill's.
    expect(await listed('merchant=netflix')).toEqual(['N3', 'handNetflix', 'N2', 'N1']);
    expect(await listed(`merchant=netflix&recurringExpenseId=${netflix.id}`)).toEqual(['N3', 'N2', 'N1']);
    // An id no definition ever had: nothing, and no further page.
    expect(await listed('recurringExpenseId=01JDNOSUCHRECURRING0000000')).toEqual([]);
  });

  it('combines with from/to and the other filters (AND)', async () => {
    expect(await listed(`recurringExpenseId=${netflix.id}&from=2026-10-01&to=2026-10-31`)).toEqual(['N2']);
    expect(await listed(`recurringExpenseId=${gym.id}&from=2026-10-15`)).toEqual(['G3', 'G2']);
    expect(await listed(`recurringExpenseId=${gym.id}&to=2026-10-14`)).toEqual(['G1']);
    expect(await listed(`recurringExpenseId=${netflix.id}&minAmount=1600`)).toEqual([]);
    expect(await listed(`recurringExpenseId=${gym.id}&maxAmount=3000&createdBy=${team.owner.id}`)).toEqual(['G3', 'G2', 'G1']);
    expect(await listed(`recurringExpenseId=${gym.id}&createdBy=${team.editor.id}`)).toEqual([]);
    expect(await listed(`recurringExpenseId=${gym.id}&reviewed=true&q=gy`)).toEqual(['G3', 'G2', 'G1']);
  });

  it("is ONE Query of the bill's partition of the payments index (gsi4), and pages with a cursor bound to the id", async () => {
    const { result, sent } = await commandsSentDuring(h.t.doc, () => req(team.viewer, 'GET', list(`recurringExpenseId=${netflix.id}&limit=2`)));
    expect(result.status, result.text).toBe(200);
    const queries = sent.filter((c) => c.name === 'QueryCommand');
    expect(queries).toHaveLength(1);
    expect(queries[0]!.input.IndexName).toBe('gsi4');
    expect(queries[0]!.input.FilterExpression).toBeUndefined();
    expect(queries[0]!.input.ExpressionAttributeValues).toMatchObject({ ':pk': `expenses#budget#${budget.id}#recurring#${netflix.id}` });
    expect(result.json.items.map((x: { id: string }) => name(x.id))).toEqual(['N3', 'N2']);
    const cursor = encodeURIComponent(result.json.nextCursor);
    const next = await req(team.viewer, 'GET', list(`recurringExpenseId=${netflix.id}&limit=2&cursor=${cursor}`));
    expect(next.status, next.text).toBe(200);
    expect(next.json.items.map((x: { id: string }) => name(x.id))).toEqual(['N1']);
    expect(next.json.nextCursor).toBeNull();
    // Another bill, no filter, or the id with one more filter: the cursor is refused.
    for (const query of [`recurringExpenseId=${gym.id}`, '', `recurringExpenseId=${netflix.id}&minAmount=1`, `merchant=netflix`]) {
      expectProblem(await req(team.viewer, 'GET', list(`${query}&limit=2&cursor=${cursor}`)), 400, ['query.cursor']);
    }
  });

  it('examines a bounded number of payments per request: only the bill\'s are read, so every page is full, and the walk meets each payment once', async () => {
    const app = h.expensesAppWith({ list: { maxExamined: 2 } });
    const token = await tokenAtClock(h.t, team.viewer);
    const ids: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = list(`recurringExpenseId=${gym.id}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      const res = await call(app, 'GET', url, { token });
      expect(res.status, res.text).toBe(200);
      ids.push(...res.json.items.map((x: { id: string }) => name(x.id)));
      sizes.push(res.json.items.length);
      cursor = res.json.nextCursor;
    } while (cursor && sizes.length < 20);
    expect(ids).toEqual(['G3', 'G2', 'G1']);
    // Two examined a request, all of them the bill's: no empty page (the date index walk had some).
    expect(sizes).toEqual([1, 1, 1]);
  });

  it('may be read by a viewer; a stranger gets a 404', async () => {
    expect(await listed(`recurringExpenseId=${gym.id}`, team.viewer)).toEqual(['G3', 'G2', 'G1']);
    expectProblem(await req(team.stranger, 'GET', list(`recurringExpenseId=${gym.id}`)), 404);
  });

  it.each([
    ['empty', 'recurringExpenseId='],
    ['longer than an id (128)', `recurringExpenseId=${'r'.repeat(129)}`],
    ['repeated', 'recurringExpenseId=a&recurringExpenseId=b'],
  ])('refuses an id that is %s: a 400 naming query.recurringExpenseId', async (_, query) => {
    expectProblem(await req(team.viewer, 'GET', list(query)), 400, ['query.recurringExpenseId']);
    expectProblem(await req(team.viewer, 'GET', `/v1/budgets/${budget.id}/expenses/export?${query}`), 400, ['query.recurringExpenseId']);
  });

  it('exports the bill\'s payments (the list\'s filter), each row ending in its recurringExpenseId; the file imports back without the link', async () => {
    const header = 'date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,reviewed,recurringExpenseId';
    const gymOnly = await req(team.viewer, 'GET', `/v1/budgets/${budget.id}/expenses/export?recurringExpenseId=${gym.id}`);
    expect(gymOnly.status, gymOnly.text).toBe(200);
    expect(gymOnly.text).toBe(
      `${header}\r\n` + `2026-11-12,30.00,,,Gym,,,,true,${gym.id}\r\n` + `2026-10-15,30.00,,,Gym,,,,true,${gym.id}\r\n` + `2026-09-15,30.00,,,Gym,,,,true,${gym.id}\r\n`,
    );
    const all = await req(team.viewer, 'GET', `/v1/budgets/${budget.id}/expenses/export`);
    expect(all.status, all.text).toBe(200);
    expect(all.text.split('\r\n')).toEqual([
      header,
      `2026-11-12,30.00,,,Gym,,,,true,${gym.id}`,
      `2026-11-10,15.49,,,Netflix,,,,true,${netflix.id}`,
      '2026-10-20,20.00,,,Market,,,,true,',
      `2026-10-15,30.00,,,Gym,,,,true,${gym.id}`,
      '2026-10-11,15.49,,,Netflix,,,,true,',
      `2026-10-10,15.49,,,Netflix,,,,true,${netflix.id}`,
      `2026-09-15,30.00,,,Gym,,,,true,${gym.id}`,
      `2026-09-10,15.49,,,Netflix,,,,true,${netflix.id}`,
      '',
    ]);
    // Into another budget: every row back, none linked to a recurring expense (the column is read past).
    const imported = await callAs(h, team.owner, 'POST', `/v1/budgets/${other.id}/expenses/import`, {
      rawBody: all.text,
      headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
    });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({ status: 'succeeded', imported: 8, errorCount: 0 });
    const back = await req(team.owner, 'GET', `/v1/budgets/${other.id}/expenses?limit=100`);
    expect(back.json.items.map((x: { occurredOn: string; merchant: string }) => `${x.occurredOn} ${x.merchant}`)).toEqual([
      '2026-11-12 Gym', '2026-11-10 Netflix', '2026-10-20 Market', '2026-10-15 Gym', '2026-10-11 Netflix', '2026-10-10 Netflix', '2026-09-15 Gym', '2026-09-10 Netflix',
    ]);
    expect(back.json.items.filter((x: { recurringExpenseId?: string }) => x.recurringExpenseId !== undefined)).toEqual([]);
    expect(parse(all.text)[1]).toEqual(['2026-11-12', '30.00', '', '', 'Gym', '', '', '', 'true', gym.id]);
  });

  it("still finds a bill's payments after its definition is deleted (they keep its id)", async () => {
    expect((await req(team.owner, 'DELETE', netflix.url)).status).toBe(204);
    expect((await req(team.owner, 'GET', netflix.url)).status).toBe(404);
    expect(await listed(`recurringExpenseId=${netflix.id}`, team.viewer)).toEqual(['N3', 'N2', 'N1']);
    expect(await listed(`recurringExpenseId=${netflix.id}&from=2026-10-01`, team.viewer)).toEqual(['N3', 'N2']);
    const exported = await req(team.viewer, 'GET', `/v1/budgets/${budget.id}/expenses/export?recurringExpenseId=${netflix.id}&to=2026-09-30`);
    expect(exported.text.split('\r\n')).toEqual([expect.stringMatching(/^date,/), `2026-09-10,15.49,,,Netflix,,,,true,${netflix.id}`, '']);
  });
});
