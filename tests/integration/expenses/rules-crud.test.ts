import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { tableItems } from '../../support/events';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { expectPatchesChangeNothing } from '../../support/no-change-patch';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Categorization rules as a resource (DynamoDB Local): create/list/get/PATCH/DELETE with ETag,
 * If-Match and Idempotency-Key as the other budget resources; 400s naming the field; managed
 * by the owner only (who may edit the categories), read by every member, 404 for a stranger;
 * at most N per budget (409 past it, also under concurrent creates), a deletion gives a place
 * back. How rules apply to new expenses: rules-apply.test.ts.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries', 'Eating out'] });
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/rules`;
const post = (b: Budget, body: unknown, token = team.owner.token, headers: Record<string, string> = {}) => h.call('POST', path(b), { token, body, headers });
const fresh = () => h.createBudget(team.owner, { categories: ['Groceries', 'Eating out'] });
const rulesIn = async (b: Budget) => (await tableItems(h.t.doc, h.t.tableName)).filter((i) => i.pk === `expenses#budget#${b.id}` && i.kind === 'categorization-rule');

describe('categorization rules: the resource', { timeout: 120_000 }, () => {
  it('creates, gets, lists in rule order, patches (ETag, If-Match) and deletes', async () => {
    const b = await fresh();
    const [groceries, eating] = b.categories;
    const created = await post(b, { merchant: { contains: '  Café ' }, categoryId: eating!.id, tags: ['Coffee', 'coffee', 'work'] });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(String),
      budgetId: b.id,
      merchant: { contains: 'Café' },
      categoryId: eating!.id,
      tags: ['Coffee', 'work'],
      position: 0,
      createdBy: team.owner.id,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await h.expectCreated(created, path(b), team.owner);

    const second = await post(b, { merchant: { equals: 'Corner Market' }, categoryId: groceries!.id, position: -5 });
    expect(second.status, second.text).toBe(201);
    expect('tags' in second.json).toBe(false);
    const third = await post(b, { merchant: { equals: 'Bakery' }, categoryId: groceries!.id });
    // Rule order: position -5 first, then the two at 0 in creation order.
    const listed = await h.call('GET', path(b), { token: team.owner.token });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items.map((r: { id: string }) => r.id)).toEqual([second.json.id, created.json.id, third.json.id]);
    expect(listed.json.nextCursor).toBeNull();

    const url = `${path(b)}/${created.json.id}`;
    const stale = await h.call('PATCH', url, { token: team.owner.token, body: { position: 9 }, headers: { 'if-match': '"7"' } });
    expectProblem(stale, 412);
    const patched = await h.call('PATCH', url, {
      token: team.owner.token,
      body: { merchant: { equals: 'Le Café' }, categoryId: groceries!.id, tags: null, position: -10 },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(patched.json).toMatchObject({ merchant: { equals: 'Le Café' }, categoryId: groceries!.id, position: -10, version: 2 });
    expect('tags' in patched.json).toBe(false);
    const reordered = await h.call('GET', path(b), { token: team.owner.token });
    expect(reordered.json.items.map((r: { id: string }) => r.id)).toEqual([created.json.id, second.json.id, third.json.id]);

    expectProblem(await h.call('DELETE', url, { token: team.owner.token, headers: { 'if-match': '"1"' } }), 412);
    expect((await h.call('DELETE', url, { token: team.owner.token, headers: { 'if-match': '"2"' } })).status).toBe(204);
    expectProblem(await h.call('GET', url, { token: team.owner.token }), 404);
    expect((await rulesIn(b)).map((r) => r.id).sort()).toEqual([second.json.id, third.json.id].sort());
  });

  it('pages as every list does (limit, cursor): each rule once in rule order, the last page null, a cursor bound to its budget', async () => {
    const b = await fresh();
    const [groceries] = b.categories;
    const ids: string[] = [];
    for (const [merchant, position] of [['A', 3], ['B', -1], ['C', 3], ['D', 0], ['E', -1]] as const) {
      const res = await post(b, { merchant: { equals: merchant }, categoryId: groceries!.id, position });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id);
    }
    // Rule order: position, then creation: B, E (-1), D (0), A, C (3).
    const order = [ids[1], ids[4], ids[3], ids[0], ids[2]];
    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await h.call('GET', `${path(b)}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: team.owner.token });
      expect(res.status, res.text).toBe(200);
      walked.push(...res.json.items.map((r: { id: string }) => r.id));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(walked).toEqual(order);
    expect(pages).toBe(3);
    // Without a limit, every rule in one page (the default is the cap), as before the list paged.
    const all = await h.call('GET', path(b), { token: team.owner.token });
    expect(all.json.items).toHaveLength(5);
    expect(all.json.nextCursor).toBeNull();
    const first = await h.call('GET', `${path(b)}?limit=2`, { token: team.owner.token });
    expectProblem(await h.call('GET', `${path(await fresh())}?cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: team.owner.token }), 400, ['query.cursor']);
    expectProblem(await h.call('GET', `${path(b)}?limit=101`, { token: team.owner.token }), 400, ['query.limit']);
  });

  it('a PATCH that changes nothing writes nothing: 200 with the stored rule and its ETag; If-Match and unknown fields still checked', async () => {
    const b = await fresh();
    const eating = b.categories[1]!;
    const made = await post(b, { merchant: { contains: 'Café' }, categoryId: eating.id, tags: ['Coffee', 'work'], position: 3 });
    expect(made.status, made.text).toBe(201);
    const url = `${path(b)}/${made.json.id}`;
    // The values it has: the merchant condition before trimming, the same tags (a duplicate in
    // another case is dropped as on create), a removal of a condition it has not.
    const same = [
      { merchant: { contains: '  Café ' } },
      { categoryId: eating.id, position: 3 },
      { tags: ['Coffee', 'coffee', 'work'] },
      { renameTo: null, amount: null, description: null, split: null },
    ];
    await expectPatchesChangeNothing(h.t.doc, same, { json: made.json, etag: '"1"' }, (body, headers) => h.call('PATCH', url, { token: team.owner.token, body, headers }));
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { position: 3 }, headers: { 'if-match': '"2"' } }), 412);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { position: 3, colour: 'red' } }), 400, ['colour']);
    expect((await h.call('GET', url, { token: team.owner.token })).json).toEqual(made.json);
    const moved = await h.call('PATCH', url, { token: team.owner.token, body: { position: 4 }, headers: { 'if-match': '"1"' } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.headers.get('etag')).toBe('"2"');
  });

  it('a PATCH sending back the category the rule files under, removed since on another device, applies; moving a rule into it is still the 400', async () => {
    const b = await fresh();
    const [groceries, eating] = [b.categories[0]!.id, b.categories[1]!.id];
    const filing = (await post(b, { merchant: { contains: 'Café' }, categoryId: eating })).json;
    const splitting = (await post(b, { merchant: { contains: 'Market' }, split: [{ categoryId: eating, percent: 50 }, { categoryId: groceries, percent: 50 }] })).json;
    const other = (await post(b, { merchant: { contains: 'Bakery' }, categoryId: groceries })).json;
    const budget = (await h.call('GET', `/v1/budgets/${b.id}`, { token: team.owner.token })).json;
    const removed = await h.call('PATCH', `/v1/budgets/${b.id}`, {
      token: team.owner.token,
      headers: { 'if-match': `"${budget.version}"` },
      body: { categories: budget.categories.filter((c: { id: string }) => c.id !== eating) },
    });
    expect(removed.status, removed.text).toBe(200);
    // The owner's phone edited the rules offline, sending the form whole (its category, its split).
    const patch = (rule: { id: string }, body: object) => h.call('PATCH', `${path(b)}/${rule.id}`, { token: team.owner.token, body, headers: { 'if-match': '"1"' } });
    const renamed = await patch(filing, { merchant: { contains: 'Coffee' }, categoryId: eating });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json).toMatchObject({ merchant: { contains: 'Coffee' }, categoryId: eating, version: 2 });
    const resplit = await patch(splitting, { split: [{ categoryId: eating, percent: 30 }, { categoryId: groceries, percent: 70 }] });
    expect(resplit.status, resplit.text).toBe(200);
    expectProblem(await patch(other, { categoryId: eating }), 400, ['categoryId']);
  });

  it('replays a create with the same Idempotency-Key instead of adding it twice', async () => {
    const b = await fresh();
    const body = { merchant: { equals: 'Gym' }, categoryId: b.categories[0]!.id };
    const first = await post(b, body, team.owner.token, { 'idempotency-key': 'rule-once' });
    const again = await post(b, body, team.owner.token, { 'idempotency-key': 'rule-once' });
    expect(first.status, first.text).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.id).toBe(first.json.id);
    expect(await rulesIn(b)).toHaveLength(1);
  });

  it('refuses bad bodies with a 400 naming the field, writing nothing', async () => {
    const b = await fresh();
    const cat = b.categories[0]!.id;
    const cases: [unknown, string][] = [
      [{ merchant: { equals: 'a', contains: 'b' }, categoryId: cat }, 'merchant'],
      [{ merchant: {}, categoryId: cat }, 'merchant'],
      [{ merchant: { equals: '' }, categoryId: cat }, 'merchant.equals'],
      [{ merchant: { contains: '   ' }, categoryId: cat }, 'merchant.contains'],
      [{ merchant: { contains: 'x'.repeat(201) }, categoryId: cat }, 'merchant.contains'],
      [{ merchant: { starts: 'x' }, categoryId: cat }, 'merchant'],
      [{ merchant: { equals: 'x' } }, 'categoryId'],
      [{ merchant: { equals: 'x' }, categoryId: 'not-a-category' }, 'categoryId'],
      [{ merchant: { equals: 'x' }, categoryId: null }, 'categoryId'],
      [{ merchant: { equals: 'x' }, categoryId: cat, tags: ['ok', ''] }, 'tags.1'],
      [{ merchant: { equals: 'x' }, categoryId: cat, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
      [{ merchant: { equals: 'x' }, categoryId: cat, position: 1.5 }, 'position'],
      [{ merchant: { equals: 'x' }, categoryId: cat, position: 10_001 }, 'position'],
      [{ merchant: { equals: 'x' }, categoryId: cat, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) expectProblem(await post(b, body), 400, [field]);
    // A category of another budget is not one of this budget's.
    const other = await fresh();
    expectProblem(await post(b, { merchant: { equals: 'x' }, categoryId: other.categories[0]!.id }), 400, ['categoryId']);
    expect(await rulesIn(b)).toHaveLength(0);

    const made = await post(b, { merchant: { equals: 'x' }, categoryId: cat });
    const url = `${path(b)}/${made.json.id}`;
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: {} }), 400, ['body']);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { categoryId: 'gone' } }), 400, ['categoryId']);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { categoryId: null } }), 400, ['categoryId']);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { merchant: { equals: 'a', contains: 'a' } } }), 400, ['merchant']);
    expect((await h.call('GET', url, { token: team.owner.token })).json.version).toBe(1);
  });

  it('lets only the owner manage rules; editors and viewers read them (403 to change), strangers get 404', async () => {
    const b = team.budget;
    const body = { merchant: { equals: 'Pharmacy' }, categoryId: b.categories[0]!.id };
    expectProblem(await post(b, body, team.editor.token), 403);
    expectProblem(await post(b, body, team.viewer.token), 403);
    expectProblem(await post(b, body, team.stranger.token), 404);
    const made = await post(b, body);
    expect(made.status, made.text).toBe(201);
    const url = `${path(b)}/${made.json.id}`;
    for (const who of [team.owner, team.editor, team.viewer]) {
      expect((await h.call('GET', url, { token: who.token })).status).toBe(200);
      expect((await h.call('GET', path(b), { token: who.token })).json.items.map((r: { id: string }) => r.id)).toContain(made.json.id);
    }
    expectProblem(await h.call('GET', url, { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', path(b), { token: team.stranger.token }), 404);
    for (const who of [team.editor, team.viewer]) {
      expectProblem(await h.call('PATCH', url, { token: who.token, body: { position: 1 } }), 403);
      expectProblem(await h.call('DELETE', url, { token: who.token }), 403);
    }
    expectProblem(await h.call('PATCH', url, { token: team.stranger.token, body: { position: 1 } }), 404);
    expectProblem(await h.call('DELETE', url, { token: team.stranger.token }), 404);
    expect((await h.call('GET', url, { token: team.owner.token })).json.version).toBe(1);
    expect((await h.call('DELETE', url, { token: team.owner.token })).status).toBe(204);
  });
});

describe('the cap on rules per budget', { timeout: 120_000 }, () => {
  const CAP = 3;
  let app: App;
  beforeAll(() => {
    app = h.expensesAppWith({ rules: { maxPerBudget: CAP } });
  });
  const as = (method: string, url: string, body?: unknown) => call(app, method, url, { token: team.owner.token, ...(body === undefined ? {} : { body }) });
  const body = (b: Budget, n: number) => ({ merchant: { equals: `shop ${n}` }, categoryId: b.categories[0]!.id });

  it('refuses the one past the cap with 409, writing nothing; a deletion makes room again', async () => {
    const b = await fresh();
    const urls: string[] = [];
    for (let i = 1; i <= CAP; i++) {
      const res = await as('POST', path(b), body(b, i));
      expect(res.status, res.text).toBe(201);
      urls.push(res.headers.get('location')!);
    }
    const refused = await as('POST', path(b), body(b, 99));
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain(`at most ${CAP} categorization rules`);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', limit: CAP, collection: 'rules' });
    expect(await rulesIn(b)).toHaveLength(CAP);
    expect((await as('DELETE', urls[0]!)).status).toBe(204);
    expect((await as('POST', path(b), body(b, 4))).status).toBe(201);
    expect(await rulesIn(b)).toHaveLength(CAP);
    // The count item is no rule: the list shows exactly the rules.
    expect((await as('GET', path(b))).json.items).toHaveLength(CAP);
  });

  it('a deletion that finds no count item (a rule older than the count) starts it at 0, never below: the cap then holds exactly', async () => {
    const b = await fresh();
    const countKey = { pk: `expenses#budget#${b.id}`, sk: 'expenses#rule-count' };
    const old = await as('POST', path(b), body(b, 0));
    expect(old.status, old.text).toBe(201);
    // As if the rule predated the count: its item is gone (the platform's giveBackPlace, absent item).
    await h.t.doc.send(new DeleteCommand({ TableName: h.t.tableName, Key: countKey }));
    expect((await as('DELETE', old.headers.get('location')!)).status).toBe(204);
    const count = (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: countKey, ConsistentRead: true }))).Item;
    // Started at 0 (a place given back from the one deleted), not -1, which would let CAP + 1 in.
    expect(count).toMatchObject({ kind: 'rule-count', count: 0 });
    for (let i = 1; i <= CAP; i++) expect((await as('POST', path(b), body(b, i))).status).toBe(201);
    expectProblem(await as('POST', path(b), body(b, 99)), 409);
    expect(await rulesIn(b)).toHaveLength(CAP);
  });

  it('holds under concurrent creates: exactly the cap get in', async () => {
    const b = await fresh();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => as('POST', path(b), body(b, i))));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(CAP);
    expect(answers.filter((a) => a.status !== 201).map((a) => a.status)).toEqual([409, 409, 409, 409, 409]);
    expect(await rulesIn(b)).toHaveLength(CAP);
  });
});
