import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createHarness, type Harness, type Team } from './harness';

/**
 * GET /v1/budgets/{budgetId}/expenses searched: `q` (text in merchant or description),
 * `merchant` (whole), `minAmount`/`maxAmount`, `createdBy`, each alone and combined with each
 * other and with from/to/categoryId; case and accents ignored; bad values named; the CSV
 * export takes the same filters. Every expectation below is written out by hand from the
 * expenses created here (names, not code). Paging through a large, sparsely matching set and
 * the per-request examination bound: search-paging.test.ts.
 */
let h: Harness;
let team: Team;
/** The expenses created, by name. */
const e: Record<string, { id: string }> = {};
const list = (query: string) => `/v1/budgets/${team.budget.id}/expenses?${query}`;

async function search(query: string, token = team.owner.token): Promise<string[]> {
  const res = await h.call('GET', list(query), { token });
  expect(res.status, res.text).toBe(200);
  expect(res.json.nextCursor, query).toBeNull();
  return res.json.items.map((x: { id: string }) => name(x.id));
}
const name = (id: string) => Object.keys(e).find((k) => e[k]!.id === id) ?? id;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Food', 'Home'] });
  const [food, home] = team.budget.categories;
  const { owner, editor } = team;
  const add = async (key: string, who: typeof owner, body: Record<string, unknown>) => {
    const res = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token: who.token, body });
    expect(res.status, res.text).toBe(201);
    e[key] = res.json;
  };
  // Dates all differ, so "newest first" is plain date order: E7, E3, E6, E2, E1, E4, E5.
  await add('E1', owner, { amount: 450, occurredOn: '2026-11-10', categoryId: food!.id, merchant: 'Café Zoë', description: 'Flat white' });
  await add('E2', editor, { amount: 1200, occurredOn: '2026-11-12', merchant: 'CAFE ZOE' });
  await add('E3', owner, { amount: 3000, occurredOn: '2026-11-15', categoryId: food!.id, merchant: 'Corner Market', description: 'weekly shop and a CAFÉ' });
  await add('E4', editor, { amount: 99, occurredOn: '2026-11-01', description: "Zoë's birthday" });
  await add('E5', owner, { amount: 5000, occurredOn: '2026-10-20', categoryId: home!.id, merchant: 'Bäckerei Müller', description: 'Brot' });
  await add('E6', editor, { amount: 450, occurredOn: '2026-11-14', categoryId: home!.id, merchant: 'corner  MARKET' });
  await add('E7', owner, { amount: 200, occurredOn: '2026-11-20', merchant: 'Cafeteria' });
});
afterAll(() => h.destroy());

describe('searching the expense list', () => {
  it('q: text anywhere in merchant or description, ignoring case and accents', async () => {
    expect(await search('q=cafe')).toEqual(['E7', 'E3', 'E2', 'E1']);
    expect(await search('q=CAF%C3%89')).toEqual(['E7', 'E3', 'E2', 'E1']);
    expect(await search(`q=${encodeURIComponent('zoë')}`)).toEqual(['E2', 'E1', 'E4']);
    expect(await search('q=ZOE')).toEqual(['E2', 'E1', 'E4']);
    expect(await search(`q=${encodeURIComponent('  MULLER ')}`)).toEqual(['E5']);
    expect(await search('q=brot')).toEqual(['E5']);
    expect(await search('q=shop%20and')).toEqual(['E3']);
    // A decomposed accent (e + U+0301) is the same letter.
    expect(await search(`q=${encodeURIComponent('cafe\u0301 zoe')}`)).toEqual(['E2', 'E1']);
    expect(await search('q=espresso')).toEqual([]);
  });

  it('merchant: the whole merchant, ignoring case, accents and repeated spaces', async () => {
    expect(await search(`merchant=${encodeURIComponent('cafe zoe')}`)).toEqual(['E2', 'E1']);
    expect(await search('merchant=corner%20market')).toEqual(['E3', 'E6']);
    expect(await search('merchant=cafe')).toEqual([]);
    expect(await search('merchant=Market')).toEqual([]);
  });

  it('minAmount and maxAmount: inclusive bounds in minor units', async () => {
    expect(await search('minAmount=450')).toEqual(['E3', 'E6', 'E2', 'E1', 'E5']);
    expect(await search('maxAmount=450')).toEqual(['E7', 'E6', 'E1', 'E4']);
    expect(await search('minAmount=450&maxAmount=450')).toEqual(['E6', 'E1']);
    expect(await search('minAmount=100&maxAmount=1200')).toEqual(['E7', 'E6', 'E2', 'E1']);
    expect(await search('minAmount=5001')).toEqual([]);
  });

  it('createdBy: the member who recorded it', async () => {
    expect(await search(`createdBy=${team.editor.id}`)).toEqual(['E6', 'E2', 'E4']);
    expect(await search(`createdBy=${team.owner.id}`)).toEqual(['E7', 'E3', 'E1', 'E5']);
    expect(await search(`createdBy=${team.stranger.id}`)).toEqual([]);
  });

  it('combines every filter with AND, also with from, to and categoryId', async () => {
    const [food, home] = team.budget.categories;
    expect(await search(`q=cafe&createdBy=${team.owner.id}&maxAmount=1000`)).toEqual(['E7', 'E1']);
    expect(await search(`q=cafe&categoryId=${food!.id}`)).toEqual(['E3', 'E1']);
    expect(await search(`q=cafe&categoryId=${food!.id}&from=2026-11-11`)).toEqual(['E3']);
    expect(await search(`merchant=corner%20market&minAmount=1000`)).toEqual(['E3']);
    expect(await search(`merchant=corner%20market&createdBy=${team.editor.id}&categoryId=${home!.id}`)).toEqual(['E6']);
    expect(await search('q=zoe&from=2026-11-05&to=2026-11-11')).toEqual(['E1']);
    expect(await search(`minAmount=400&maxAmount=5000&createdBy=${team.editor.id}&to=2026-11-13`)).toEqual(['E2']);
    expect(await search(`q=zoe&merchant=${encodeURIComponent('Café Zoë')}&minAmount=1000`)).toEqual(['E2']);
  });

  it('pages a search with a cursor bound to it (text by its folded form)', async () => {
    const first = await h.call('GET', list('q=cafe&limit=2'), { token: team.owner.token });
    expect(first.json.items.map((x: { id: string }) => name(x.id))).toEqual(['E7', 'E3']);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(first.json.nextCursor);
    // The same search spelled another way continues it.
    const next = await h.call('GET', list(`q=CAF%C3%89&limit=2&cursor=${cursor}`), { token: team.owner.token });
    expect(next.status, next.text).toBe(200);
    expect(next.json.items.map((x: { id: string }) => name(x.id))).toEqual(['E2', 'E1']);
    expect(next.json.nextCursor).toBeNull();
    // Another search, or none, refuses it.
    for (const query of ['q=zoe', '', 'merchant=cafe', 'q=cafe&minAmount=1', `q=cafe&createdBy=${team.owner.id}`]) {
      const res = await h.call('GET', list(`${query}&limit=2&cursor=${cursor}`), { token: team.owner.token });
      expectProblem(res, 400, ['query.cursor']);
    }
  });

  it('viewers and editors may search; a stranger gets a 404', async () => {
    expect(await search('q=cafe', team.viewer.token)).toEqual(['E7', 'E3', 'E2', 'E1']);
    expect(await search(`createdBy=${team.owner.id}&maxAmount=300`, team.editor.token)).toEqual(['E7']);
    const res = await h.call('GET', list('q=cafe'), { token: team.stranger.token });
    expectProblem(res, 404);
  });

  it.each([
    ['query.q', 'q='],
    ['query.q', 'q=%20%20'],
    ['query.q', 'q=%E2%80%8B'],
    ['query.q', `q=${'a'.repeat(101)}`],
    ['query.q', 'q=%00abc'],
    ['query.merchant', 'merchant='],
    ['query.merchant', `merchant=${'m'.repeat(201)}`],
    ['query.minAmount', 'minAmount=-1'],
    ['query.minAmount', 'minAmount=12.5'],
    ['query.minAmount', 'minAmount=ten'],
    // Forms Number() would take: an empty bound is not 0, hex and exponents are not amounts.
    ['query.minAmount', 'minAmount='],
    ['query.minAmount', 'minAmount=0x10'],
    ['query.maxAmount', 'maxAmount=1e3'],
    ['query.maxAmount', 'maxAmount=%2010'],
    ['query.limit', 'limit=1e1'],
    ['query.maxAmount', 'maxAmount=1e20'],
    ['query.maxAmount', 'maxAmount=abc'],
    ['query.minAmount', 'minAmount=500&maxAmount=100'],
    ['query.createdBy', 'createdBy='],
    ['query.createdBy', `createdBy=${'u'.repeat(129)}`],
  ])('names %s for ?%s (400 problem+json)', async (path, query) => {
    const res = await h.call('GET', list(query), { token: team.viewer.token });
    expectProblem(res, 400, [path]);
  });

  it('finds expenses stored before search existed (an item of the earlier shape, written directly)', async () => {
    const b = await h.createBudget(team.owner);
    const id = '01JDOLDEXPENSE000000000001';
    await h.t.doc.send(
      new PutCommand({
        TableName: h.t.tableName,
        Item: {
          pk: `expenses#budget#${b.id}`,
          sk: `expenses#expense#${id}`,
          gsi1pk: `expenses#budget#${b.id}`,
          gsi1sk: `expenses#date#2026-03-02#${id}`,
          gsi2pk: `expenses#budget#${b.id}#uncategorized`,
          gsi2sk: `expenses#date#2026-03-02#${id}`,
          kind: 'expense',
          shard: 3,
          deleted: false,
          id,
          budgetId: b.id,
          amount: 777,
          categoryId: null,
          occurredOn: '2026-03-02',
          merchant: 'Crêperie Noël',
          createdBy: team.owner.id,
          version: 1,
          createdAt: '2026-03-02T10:00:00.000Z',
          updatedAt: '2026-03-02T10:00:00.000Z',
        },
      }),
    );
    const found = async (query: string) => {
      const res = await h.call('GET', `/v1/budgets/${b.id}/expenses?${query}`, { token: team.owner.token });
      expect(res.status, res.text).toBe(200);
      return res.json.items.map((x: { id: string }) => x.id);
    };
    expect(await found('q=creperie')).toEqual([id]);
    expect(await found('merchant=CREPERIE%20NOEL')).toEqual([id]);
    expect(await found(`minAmount=777&maxAmount=777&createdBy=${team.owner.id}`)).toEqual([id]);
    expect(await found('q=noel&maxAmount=776')).toEqual([]);
  });

  it('accepts a q of exactly 100 characters', async () => {
    const res = await h.call('GET', list(`q=${'a'.repeat(100)}`), { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toEqual([]);
  });
});

describe('searching the CSV export', () => {
  const exportOf = async (query: string) => {
    const res = await h.call('GET', `/v1/budgets/${team.budget.id}/expenses/export?${query}`, { token: team.viewer.token });
    expect(res.status, res.text).toBe(200);
    const rows: string[][] = parse(res.text);
    return rows.slice(1).map((r) => `${r[0]} ${r[1]} ${r[4]}`);
  };

  it('exports only the matching expenses, newest first', async () => {
    expect(await exportOf('q=cafe')).toEqual(['2026-11-20 2.00 Cafeteria', '2026-11-15 30.00 Corner Market', '2026-11-12 12.00 CAFE ZOE', '2026-11-10 4.50 Café Zoë']);
    expect(await exportOf(`createdBy=${team.editor.id}&minAmount=400`)).toEqual(['2026-11-14 4.50 corner  MARKET', '2026-11-12 12.00 CAFE ZOE']);
    expect(await exportOf('merchant=corner%20market&to=2026-11-14')).toEqual(['2026-11-14 4.50 corner  MARKET']);
    expect(await exportOf('q=nothing-like-this')).toEqual([]);
  });

  it('refuses a filtered export that would read more than its bound (400 naming from and to), not an unfiltered one', async () => {
    // Pages of 2 and at most 5 expenses read: the 7 expenses of the budget are more.
    const app = h.expensesAppWith({ csv: { exportPageSize: 2, exportMaxExamined: 5 } });
    const exportPath = `/v1/budgets/${team.budget.id}/expenses/export`;
    expectProblem(await call(app, 'GET', `${exportPath}?q=zoe`, { token: team.owner.token }), 400, ['query.from', 'query.to']);
    // Fewer than 5 expenses (from 2026-11-12: E7, E3, E6, E2) it answers.
    const narrow = await call(app, 'GET', `${exportPath}?q=zoe&from=2026-11-12`, { token: team.owner.token });
    expect(narrow.status, narrow.text).toBe(200);
    expect(parse(narrow.text).slice(1).map((r: string[]) => r[4])).toEqual(['CAFE ZOE']);
    const all = await call(app, 'GET', exportPath, { token: team.owner.token });
    expect(all.status, all.text).toBe(200);
    expect(parse(all.text)).toHaveLength(1 + 7);
  });

  it('names the bad filter', async () => {
    const res = await h.call('GET', `/v1/budgets/${team.budget.id}/expenses/export?minAmount=500&maxAmount=100`, { token: team.viewer.token });
    expectProblem(res, 400, ['query.minAmount']);
    const blank = await h.call('GET', `/v1/budgets/${team.budget.id}/expenses/export?q=`, { token: team.viewer.token });
    expectProblem(blank, 400, ['query.q']);
  });
});
