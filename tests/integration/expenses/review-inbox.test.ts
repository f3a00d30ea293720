import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, type SentCommand } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * The review inbox (DynamoDB Local): an expense that needs review carries a sparse index entry
 * (gsi3 `expenses#review#<budgetId>`, sorted as the date index), which GET .../expenses?reviewed=false
 * (and the export's) reads, one Query a page, and the overview's `toReview` counts (one Query,
 * capped at 99 with `toReviewMore`). Every write keeps it in step: the import's rows, PATCH
 * reviewed true/false, bulk markReviewed, delete and restore; a manual (reviewed) create
 * stores nothing for it. Items written before the index get it from the operator job
 * `expenses-review-index-backfill`.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries', 'Travel'] });
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
async function fresh(): Promise<Budget> {
  const b = await h.createBudget(team.owner, { categories: ['Groceries', 'Travel'] });
  await h.addMember(b, team.owner, team.editor, 'editor');
  await h.addMember(b, team.owner, team.viewer, 'viewer');
  return b;
}
const importFile = async (b: Budget, body: string) => {
  const res = await h.call('POST', `${path(b)}/import`, { token: team.editor.token, rawBody: body, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
  expect(res.status, res.text).toBe(200);
  expect(res.json).toMatchObject({ status: 'succeeded' });
  return res.json;
};
const rawItem = async (b: Budget, id: string) =>
  (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#expense#${id}` } }))).Item;
const inbox = async (b: Budget, query = '', token = team.viewer.token) => {
  const res = await h.call('GET', `${path(b)}?reviewed=false${query}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.json as { items: any[]; nextCursor: string | null };
};
/** Every merchant of the inbox, walking its pages of `limit`. */
async function walk(b: Budget, limit: number, query = ''): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: any[]; nextCursor: string | null } = await inbox(b, `&limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    seen.push(...page.items.map((e) => e.merchant));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}
/** The overview's figures of `b` for its owner. */
async function toReview(b: Budget): Promise<{ toReview: number; toReviewMore: boolean }> {
  const res = await h.call('GET', '/v1/me/overview?limit=25', { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  const item = res.json.items.find((i: any) => i.budgetId === b.id);
  expect(item, 'the budget is on the overview').toBeDefined();
  return { toReview: item.toReview, toReviewMore: item.toReviewMore };
}
const queries = (sent: SentCommand[], index?: string) => sent.filter((c) => c.name === 'QueryCommand' && (index === undefined || c.input.IndexName === index));

/** Four bank rows on four days (Bakery oldest, Fuel newest), and one expense recorded by hand between them. */
async function seeded() {
  const b = await fresh();
  await importFile(b, 'date,amount,category,description,merchant\n2026-11-01,1.00,,,Bakery\n2026-11-03,3.00,Groceries,,Market\n2026-11-05,5.00,,,Fuel\n2026-11-02,2.00,,,Kiosk\n');
  const manual = await h.call('POST', path(b), { token: team.owner.token, body: { amount: 400, occurredOn: '2026-11-04', merchant: 'By hand' } });
  expect(manual.status, manual.text).toBe(201);
  const all = await h.listExpenses(b, team.owner.token);
  const byMerchant: Record<string, any> = Object.fromEntries(all.map((e) => [e.merchant, e]));
  return { b, byMerchant, manual: manual.json };
}

describe('the review inbox', { timeout: 240_000 }, () => {
  it("imported rows carry the index entry and come out newest first, one gsi3 Query a page, every row once over cursor pages; a manual expense carries none", async () => {
    const { b, byMerchant, manual } = await seeded();
    const fuel = (await rawItem(b, byMerchant.Fuel.id))!;
    expect(fuel).toMatchObject({ unreviewed: true, gsi3pk: `expenses#review#${b.id}`, gsi3sk: fuel.gsi1sk });
    expect(fuel.gsi3sk).toBe(`expenses#date#2026-11-05#${byMerchant.Fuel.id}`);
    const byHand = (await rawItem(b, manual.id))!;
    expect(Object.keys(byHand).filter((k) => k.startsWith('gsi3') || k === 'unreviewed')).toEqual([]);

    const { result, sent } = await commandsSentDuring(h.t.doc, () => inbox(b));
    expect(result.items.map((e) => [e.merchant, e.reviewed])).toEqual([
      ['Fuel', false],
      ['Market', false],
      ['Kiosk', false],
      ['Bakery', false],
    ]);
    expect(result.nextCursor).toBeNull();
    expect(queries(sent)).toHaveLength(1);
    expect(queries(sent, 'gsi3')).toHaveLength(1);

    // Pages of 1 and 3: each page one Query of the index, every row exactly once, in order.
    expect(await walk(b, 1)).toEqual(['Fuel', 'Market', 'Kiosk', 'Bakery']);
    expect(await walk(b, 3)).toEqual(['Fuel', 'Market', 'Kiosk', 'Bakery']);
    const first = await inbox(b, '&limit=2');
    const { result: second, sent: secondSent } = await commandsSentDuring(h.t.doc, () => inbox(b, `&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`));
    expect(second.items.map((e) => e.merchant)).toEqual(['Kiosk', 'Bakery']);
    expect(queries(secondSent)).toEqual(queries(secondSent, 'gsi3'));
    expect(queries(secondSent)).toHaveLength(1);

    // from/to are the index's key condition; the other filters apply to its items.
    expect(await walk(b, 1, '&from=2026-11-02&to=2026-11-04')).toEqual(['Market', 'Kiosk']);
    expect((await inbox(b, '&minAmount=200')).items.map((e) => e.merchant)).toEqual(['Fuel', 'Market', 'Kiosk']);
    expect((await inbox(b, '&q=ark')).items.map((e) => e.merchant)).toEqual(['Market']);
    // With a category it reads the category's partition, as before.
    expect((await inbox(b, `&categoryId=${b.categories[0]!.id}`)).items.map((e) => e.merchant)).toEqual(['Market']);
    // reviewed=true is unchanged: the date index with the filter.
    const { result: reviewed, sent: reviewedSent } = await commandsSentDuring(h.t.doc, () => h.call('GET', `${path(b)}?reviewed=true`, { token: team.viewer.token }));
    expect(reviewed.json.items.map((e: any) => e.merchant)).toEqual(['By hand']);
    expect(queries(reviewedSent, 'gsi3')).toHaveLength(0);

    // The export of reviewed=false reads the index too.
    const { result: exported, sent: exportSent } = await commandsSentDuring(h.t.doc, () => h.call('GET', `${path(b)}/export?reviewed=false`, { token: team.viewer.token }));
    expect(exported.status, exported.text).toBe(200);
    expect((parse(exported.text) as string[][]).slice(1).map((r) => [r[4], r[8]])).toEqual([
      ['Fuel', 'false'],
      ['Market', 'false'],
      ['Kiosk', 'false'],
      ['Bakery', 'false'],
    ]);
    expect(queries(exportSent)).toEqual(queries(exportSent, 'gsi3'));
  });

  it('a cursor given before the inbox existed (a date index position, same binding) resumes at the same place in it', async () => {
    const { b, byMerchant } = await seeded();
    const market = (await rawItem(b, byMerchant.Market.id))!;
    // What the list of reviewed=false answered before: DynamoDB's LastEvaluatedKey on gsi1, bound to the budget and the filters.
    const binding = JSON.stringify(['expenses', b.id, null, null, null, null, null, null, null, null, 'reviewed', false]);
    const old = h.t.system.deps.cursors.encode({ pk: market.pk, sk: market.sk, gsi1pk: market.gsi1pk, gsi1sk: market.gsi1sk }, binding)!;
    const page = await inbox(b, `&cursor=${encodeURIComponent(old)}`);
    expect(page.items.map((e) => e.merchant)).toEqual(['Kiosk', 'Bakery']);
    expect(page.nextCursor).toBeNull();
  });

  it('a filtered inbox keeps the search bound: at most maxExamined unreviewed expenses a request, then a cursor resuming there', async () => {
    const { b } = await seeded();
    const app = h.expensesAppWith({ list: { maxExamined: 2 } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let requests = 0;
    do {
      const res = await app.request(`${path(b)}?reviewed=false&q=a&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${team.viewer.token}` } });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: any[]; nextCursor: string | null };
      seen.push(...page.items.map((e) => e.merchant));
      cursor = page.nextCursor;
      requests++;
    } while (cursor && requests < 20);
    // Bakery, Market (Fuel and Kiosk have no "a"): newest first, each once.
    expect(seen).toEqual(['Market', 'Bakery']);
    expect(requests).toBeGreaterThan(1);
  });

  it('PATCH reviewed: true takes it out of the inbox and the count, reviewed: false puts it back; bulk markReviewed empties it', async () => {
    const { b, byMerchant } = await seeded();
    expect(await toReview(b)).toEqual({ toReview: 4, toReviewMore: false });
    const id = byMerchant.Market.id;
    const res = await h.call('PATCH', `${path(b)}/${id}`, { token: team.owner.token, body: { reviewed: true } });
    expect(res.status, res.text).toBe(200);
    const item = (await rawItem(b, id))!;
    expect(Object.keys(item).filter((k) => k.startsWith('gsi3') || k === 'unreviewed')).toEqual([]);
    expect((await inbox(b)).items.map((e) => e.merchant)).toEqual(['Fuel', 'Kiosk', 'Bakery']);
    expect(await toReview(b)).toEqual({ toReview: 3, toReviewMore: false });

    // A PATCH of the date moves its entry with it.
    expect((await h.call('PATCH', `${path(b)}/${byMerchant.Bakery.id}`, { token: team.owner.token, body: { occurredOn: '2026-11-06' } })).status).toBe(200);
    expect((await rawItem(b, byMerchant.Bakery.id))!.gsi3sk).toBe(`expenses#date#2026-11-06#${byMerchant.Bakery.id}`);
    expect((await inbox(b)).items.map((e) => e.merchant)).toEqual(['Bakery', 'Fuel', 'Kiosk']);

    const back = await h.call('PATCH', `${path(b)}/${id}`, { token: team.owner.token, body: { reviewed: false } });
    expect(back.status, back.text).toBe(200);
    expect((await rawItem(b, id))!).toMatchObject({ unreviewed: true, gsi3pk: `expenses#review#${b.id}`, gsi3sk: `expenses#date#2026-11-03#${id}` });
    expect((await inbox(b)).items.map((e) => e.merchant)).toEqual(['Bakery', 'Fuel', 'Market', 'Kiosk']);
    expect(await toReview(b)).toEqual({ toReview: 4, toReviewMore: false });

    const ids = ['Bakery', 'Fuel', 'Market', 'Kiosk'].map((m) => byMerchant[m].id);
    const bulk = await h.call('POST', `${path(b)}/bulk`, { token: team.editor.token, body: { expenseIds: ids.slice(0, 3), action: { type: 'markReviewed' } } });
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.json).toMatchObject({ succeeded: 3, failed: 0 });
    expect((await inbox(b)).items.map((e) => e.merchant)).toEqual(['Kiosk']);
    expect(await toReview(b)).toEqual({ toReview: 1, toReviewMore: false });
  });

  it('delete takes it out (its restorable copy carries no entry), restore puts it back', async () => {
    const { b, byMerchant } = await seeded();
    const id = byMerchant.Fuel.id;
    expect((await h.call('DELETE', `${path(b)}/${id}`, { token: team.owner.token })).status).toBe(204);
    expect((await inbox(b)).items.map((e) => e.merchant)).toEqual(['Market', 'Kiosk', 'Bakery']);
    expect(await toReview(b)).toEqual({ toReview: 3, toReviewMore: false });
    const copy = (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#deleted#${id}` } }))).Item!;
    expect(copy.unreviewed).toBe(true);
    expect(Object.keys(copy).filter((k) => k.startsWith('gsi3'))).toEqual([]);

    const restored = await h.call('POST', `${path(b)}/${id}/restore`, { token: team.owner.token });
    expect(restored.status, restored.text).toBe(200);
    expect((await rawItem(b, id))!).toMatchObject({ unreviewed: true, gsi3pk: `expenses#review#${b.id}` });
    expect((await inbox(b)).items.map((e) => e.merchant)).toEqual(['Fuel', 'Market', 'Kiosk', 'Bakery']);
    expect(await toReview(b)).toEqual({ toReview: 4, toReviewMore: false });
  });

  it("the overview's toReview is capped at 99 with toReviewMore past it (one COUNT Query, Limit 100, a budget)", async () => {
    const b = await fresh();
    const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => `2026-10-${String(1 + ((from + i) % 28)).padStart(2, '0')},${from + i + 1}.00,,,Shop ${from + i}`);
    await importFile(b, ['date,amount,category,description,merchant', ...rows(99, 0), ''].join('\n'));
    expect(await toReview(b)).toEqual({ toReview: 99, toReviewMore: false });
    await importFile(b, ['date,amount,category,description,merchant', ...rows(3, 99), ''].join('\n'));
    const { result, sent } = await commandsSentDuring(h.t.doc, () => toReview(b));
    expect(result).toEqual({ toReview: 99, toReviewMore: true });
    const counts = queries(sent, 'gsi3').filter((c) => (c.input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'] === `expenses#review#${b.id}`);
    expect(counts).toHaveLength(1);
    expect(counts[0]!.input).toMatchObject({ Select: 'COUNT', Limit: 100 });
    // The inbox itself lists all 102, newest first.
    expect((await walk(b, 100)).length).toBe(102);
    // Reviewing three brings it under the cap again.
    const ids = (await inbox(b, '&limit=3')).items.map((e) => e.id);
    expect((await h.call('POST', `${path(b)}/bulk`, { token: team.owner.token, body: { expenseIds: ids, action: { type: 'markReviewed' } } })).status).toBe(200);
    expect(await toReview(b)).toEqual({ toReview: 99, toReviewMore: false });
  });

  it("the overview's toReview counts every unreviewed expense up to the cap even when they are as large as the schema allows (DynamoDB's 1 MB page)", async () => {
    const b = await fresh();
    // 3 bytes a character (UTF-8): each expense's item is ~80 KB, so a 1 MB page holds about a dozen.
    const text = (n: number, seed: number) => `${seed}語`.padEnd(n, '語');
    const large = (n: number) => ({
      amount: 5_000,
      occurredOn: '2026-11-05',
      reviewed: false,
      description: text(500, n),
      merchant: text(200, n),
      tags: Array.from({ length: 10 }, (_, i) => text(32, n * 10 + i)),
      splits: Array.from({ length: 50 }, (_, i) => ({ categoryId: null, amount: 100, description: text(500, n * 100 + i) })),
    });
    for (let n = 0; n < 20; n++) {
      const res = await h.call('POST', path(b), { token: team.owner.token, body: large(n) });
      expect(res.status, res.text.slice(0, 300)).toBe(201);
    }
    expect((await walk(b, 100)).length).toBe(20);
    expect(await toReview(b)).toEqual({ toReview: 20, toReviewMore: false });
  });

  it("is the budget's own: another budget's inbox and count do not see it; a non-member is refused", async () => {
    const { b } = await seeded();
    const other = await fresh();
    expect((await inbox(other)).items).toEqual([]);
    expect(await toReview(other)).toEqual({ toReview: 0, toReviewMore: false });
    // A cursor of one budget's inbox is no cursor of another's.
    const first = await inbox(b, '&limit=1');
    expectProblem(await h.call('GET', `${path(other)}?reviewed=false&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`, { token: team.viewer.token }), 400, ['query.cursor']);
    const stranger = await h.signup('inbox-stranger');
    expectProblem(await h.call('GET', `${path(b)}?reviewed=false`, { token: stranger.token }), 404);
  });

  it('a manual create writes exactly what it wrote before: no index entry, no flag', async () => {
    const b = await fresh();
    const { result, sent } = await commandsSentDuring(h.t.doc, () => h.call('POST', path(b), { token: team.owner.token, body: { amount: 500, occurredOn: '2026-11-03', categoryId: b.categories[0]!.id } }));
    expect(result.status, result.text).toBe(201);
    const put = sent
      .filter((c) => c.name === 'TransactWriteItemsCommand')
      .flatMap((c) => c.input.TransactItems as Record<string, any>[])
      .find((i) => i.Put?.Item?.kind === 'expense')!.Put.Item as Record<string, unknown>;
    expect(Object.keys(put).sort()).toEqual(
      ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'kind', 'id', 'budgetId', 'amount', 'categoryId', 'occurredOn', 'createdBy', 'version', 'createdAt', 'updatedAt'].sort(),
    );
  });

  it('the operator job adds the entry to unreviewed expenses written before the index, and nothing else; a second run changes nothing', async () => {
    const { b, byMerchant, manual } = await seeded();
    const deleted = byMerchant.Kiosk.id;
    expect((await h.call('DELETE', `${path(b)}/${deleted}`, { token: team.owner.token })).status).toBe(204);
    const unreviewed = ['Fuel', 'Market', 'Bakery'].map((m) => byMerchant[m].id);
    const written = new Map(await Promise.all(unreviewed.map(async (id) => [id, (await rawItem(b, id))!] as const)));
    // As the code before the index stored them: the flag without the entry.
    for (const id of unreviewed) {
      await h.t.doc.send(new UpdateCommand({ TableName: h.t.tableName, Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#expense#${id}` }, UpdateExpression: 'REMOVE gsi3pk, gsi3sk' }));
    }
    expect((await inbox(b)).items).toEqual([]);
    expect(await toReview(b)).toEqual({ toReview: 0, toReviewMore: false });
    const manualBefore = await rawItem(b, manual.id);
    const copyKey = { pk: `expenses#budget#${b.id}`, sk: `expenses#deleted#${deleted}` };
    const copyBefore = (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: copyKey }))).Item;

    const ctx = { logger: h.t.system.deps.logger };
    await h.t.system.jobs.plan('expenses-review-index-backfill', new Date(), ctx);
    for (const id of unreviewed) expect(await rawItem(b, id)).toEqual(written.get(id));
    expect((await inbox(b)).items.map((e) => e.merchant)).toEqual(['Fuel', 'Market', 'Bakery']);
    expect(await toReview(b)).toEqual({ toReview: 3, toReviewMore: false });
    expect(await rawItem(b, manual.id)).toEqual(manualBefore);
    expect((await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: copyKey }))).Item).toEqual(copyBefore);

    await h.t.system.jobs.plan('expenses-review-index-backfill', new Date(), ctx);
    for (const id of unreviewed) expect(await rawItem(b, id)).toEqual(written.get(id));
  });
});
