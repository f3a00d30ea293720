import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withArchiveFlicker } from '../../support/archive-flicker';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

let t: TestSystem;
let owner: Account;
let sam: Account;
let kim: Account;

beforeAll(async () => {
  t = await createTestSystem();
  owner = await signup(t.app, 'owner');
  sam = await signup(t.app, 'sam');
  kim = await signup(t.app, 'kim');
});
afterAll(() => t.destroy());

describe('adding members', () => {
  it('adds an account by email (any case, surrounding spaces) with a role; the member then sees and uses the budget', async () => {
    const budget = await createBudget(t.app, owner);
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, {
      body: { email: ` ${sam.email.toUpperCase()} `, role: 'editor' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({ userId: sam.id, email: sam.email, name: 'sam', role: 'editor', addedAt: expect.any(String), share: 1, version: 1 });
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe(`/v1/budgets/${budget.id}/members/${sam.id}`);

    const seen = await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.role).toBe('editor');
    const mine = await as(t.app, sam)('GET', '/v1/budgets');
    expect(mine.json.items.map((b: { id: string; role: string }) => [b.id, b.role])).toContainEqual([budget.id, 'editor']);
    // Editors record expenses (authorized by the membership through the budgets facade).
    await addExpense(t.app, sam, budget.id, { amount: 100, occurredOn: '2026-11-24' });
    expect(await t.system.facades.budgets.getAccess(budget.id, sam.id)).toMatchObject({ role: 'editor', currency: 'USD' });
  });

  it('lists members, owner included, page by page', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    await addMember(t.app, owner, budget.id, kim, 'viewer');
    const first = await as(t.app, kim)('GET', `/v1/budgets/${budget.id}/members?limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    const second = await as(t.app, kim)('GET', `/v1/budgets/${budget.id}/members?limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.nextCursor).toBeNull();
    const all = [...first.json.items, ...second.json.items];
    expect(all.map((m: { userId: string; role: string }) => [m.userId, m.role]).sort()).toEqual(
      [
        [owner.id, 'owner'],
        [sam.id, 'editor'],
        [kim.id, 'viewer'],
      ].sort(),
    );
    // A cursor of another budget's member list is refused.
    const other = await createBudget(t.app, owner);
    const foreign = await as(t.app, owner)('GET', `/v1/budgets/${other.id}/members?cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expectProblem(foreign, 400, ['query.cursor']);
  });

  it('refuses an email without an account (404 naming email) and someone already a member (409)', async () => {
    const budget = await createBudget(t.app, owner);
    const unknown = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, {
      body: { email: 'nobody@example.com', role: 'viewer' },
    });
    expectProblem(unknown, 404, ['email']);
    await addMember(t.app, owner, budget.id, sam, 'viewer');
    const again = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: sam.email, role: 'editor' } });
    expectProblem(again, 409);
    const self = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: owner.email, role: 'editor' } });
    expectProblem(self, 409);
    const members = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/members`);
    expect(members.json.items.find((m: { userId: string }) => m.userId === sam.id).role).toBe('viewer');
  });

  it('refuses an add to a budget of 50 members with 409 limit-reached (limit, collection members), adding nobody', async () => {
    const budget = await createBudget(t.app, owner);
    // As if 49 others had joined (memberCount is what the add's transaction conditions on).
    await t.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { pk: `budgets#budget#${budget.id}`, sk: 'budgets#budget' }, UpdateExpression: 'SET memberCount = :full', ExpressionAttributeValues: { ':full': 50 } }),
    );
    const refused = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: kim.email, role: 'viewer' } });
    expectProblem(refused, 409);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: 50, collection: 'members' });
    expect(refused.json.detail).toContain('at most 50 members');
    expect((await as(t.app, kim)('GET', `/v1/budgets/${budget.id}`)).status).toBe(404);
  });

  it('an add whose write met an archive undone right after is not refused as full: 201, the budget far below 50 members', async () => {
    const budget = await createBudget(t.app, owner);
    const call = as(t.app, owner);
    // The add's transaction meets the budget archived; the owner unarchives it before the add reads why it failed.
    const res = await withArchiveFlicker(t.doc, call, budget.id, kim.id, () => call('POST', `/v1/budgets/${budget.id}/members`, { body: { email: kim.email, role: 'viewer' } }));
    expect(res.status, res.text).toBe(201);
    expect((await as(t.app, kim)('GET', `/v1/budgets/${budget.id}`)).status).toBe(200);
  });

  it('replays an add retried with the same Idempotency-Key', async () => {
    const budget = await createBudget(t.app, owner);
    const request = { body: { email: kim.email, role: 'viewer' }, headers: { 'idempotency-key': 'add-kim' } };
    const first = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, request);
    const again = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, request);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
  });
});

describe('reading one member', () => {
  it("the add's Location answers 200 with the member as the list shows it, to any member, with its ETag (If-None-Match: 304)", async () => {
    const budget = await createBudget(t.app, owner);
    const added = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: sam.email, role: 'editor' } });
    expect(added.status, added.text).toBe(201);
    await addMember(t.app, owner, budget.id, kim, 'viewer');
    await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}/members/${sam.id}`, { body: { share: 2 } });
    const listed = (await as(t.app, kim)('GET', `/v1/budgets/${budget.id}/members`)).json.items.find((m: { userId: string }) => m.userId === sam.id);
    for (const who of [owner, sam, kim]) {
      const got = await as(t.app, who)('GET', added.headers.get('location')!);
      expect(got.status, got.text).toBe(200);
      expect(got.json).toEqual(listed);
      expect(got.headers.get('etag')).toBe('"2"');
      expect(got.headers.get('cache-control')).toBe('no-store');
    }
    const owners = await as(t.app, kim)('GET', `/v1/budgets/${budget.id}/members/${owner.id}`);
    expect(owners.json).toMatchObject({ userId: owner.id, role: 'owner' });
    const unchanged = await as(t.app, kim)('GET', added.headers.get('location')!, { headers: { 'if-none-match': '"2"' } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe('"2"');
    expect((await as(t.app, kim)('GET', added.headers.get('location')!, { headers: { 'if-none-match': '"1"' } })).status).toBe(200);
  });

  it('is a 404 for an unknown id, someone removed, a member of another budget, and to a caller who is not a member', async () => {
    const budget = await createBudget(t.app, owner);
    const other = await createBudget(t.app, kim);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    const path = (userId: string, budgetId = budget.id) => `/v1/budgets/${budgetId}/members/${userId}`;
    expectProblem(await as(t.app, owner)('GET', path('01JDQ4V8M7ZK3X9A2B5C6D7E8H')), 404);
    expectProblem(await as(t.app, owner)('GET', path('not-an-id')), 404);
    // kim owns another budget: a member there, not here.
    expectProblem(await as(t.app, owner)('GET', path(kim.id)), 404);
    // Not a member of the budget: the answer of a budget that does not exist, whoever's id.
    const strangers = await as(t.app, kim)('GET', path(sam.id));
    const missing = await as(t.app, kim)('GET', path(sam.id, '01JDQ4V8M7ZK3X9A2B5C6D7E8F'));
    expectProblem(strangers, 404);
    expect(strangers.json.detail).toBe(missing.json.detail.replace('01JDQ4V8M7ZK3X9A2B5C6D7E8F', budget.id));
    expectProblem(await as(t.app, owner)('GET', path(owner.id, other.id)), 404);
    expect((await as(t.app, owner)('DELETE', path(sam.id))).status).toBe(204);
    expectProblem(await as(t.app, owner)('GET', path(sam.id)), 404);
    expectProblem(await as(t.app, sam)('GET', path(owner.id)), 404);
  });
});

describe('changing roles', () => {
  it('lets the owner change a member role, which takes effect at once', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}/members/${sam.id}`, { body: { role: 'viewer' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ userId: sam.id, role: 'viewer' });
    expect((await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`)).json.role).toBe('viewer');
    const write = await as(t.app, sam)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 5, occurredOn: '2026-11-24' } });
    expectProblem(write, 403);
  });

  it("never changes the owner's role, and 404s for someone who is not a member", async () => {
    const budget = await createBudget(t.app, owner);
    expectProblem(
      await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}/members/${owner.id}`, { body: { role: 'editor' } }),
      409,
    );
    expectProblem(await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}/members/${kim.id}`, { body: { role: 'editor' } }), 404);
    expect((await as(t.app, owner)('GET', `/v1/budgets/${budget.id}`)).json.role).toBe('owner');
  });
});

describe('If-Match and Idempotency-Key on a member change', () => {
  const path = (budgetId: string, userId: string) => `/v1/budgets/${budgetId}/members/${userId}`;
  const change = (budgetId: string, userId: string, body: unknown, headers: Record<string, string> = {}) =>
    as(t.app, owner)('PATCH', path(budgetId, userId), { body, headers });
  const memberOf = async (budgetId: string, userId: string) =>
    (await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/members`)).json.items.find((m: { userId: string }) => m.userId === userId);

  it('versions the membership: 1 when added, one more per change (in the list and as the ETag); a no-op keeps it', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    expect((await memberOf(budget.id, sam.id)).version).toBe(1);
    expect((await memberOf(budget.id, owner.id)).version).toBe(1);
    const res = await change(budget.id, sam.id, { share: 2 });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.json).toMatchObject({ share: 2, version: 2 });
    const again = await change(budget.id, sam.id, { share: 2, role: 'editor' });
    expect(again.headers.get('etag')).toBe('"2"');
    expect((await change(budget.id, sam.id, { role: 'viewer' })).headers.get('etag')).toBe('"3"');
    expect(await memberOf(budget.id, sam.id)).toMatchObject({ role: 'viewer', share: 2, version: 3 });
  });

  it('a stale If-Match is a 412 problem that changes nothing; the current one (or a list holding it, or *) goes through', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    expect((await change(budget.id, sam.id, { share: 3 }, { 'if-match': '"1"' })).status).toBe(200);
    const before = await memberOf(budget.id, sam.id);
    const stale = await change(budget.id, sam.id, { share: 5, role: 'viewer' }, { 'if-match': '"1"' });
    expectProblem(stale, 412);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expectProblem(await change(budget.id, sam.id, { share: 5 }, { 'if-match': 'W/"2"' }), 412);
    expect(await memberOf(budget.id, sam.id)).toEqual(before);
    expectProblem(await change(budget.id, sam.id, { share: 5 }, { 'if-match': '2' }), 400, ['header.If-Match']);
    expect((await change(budget.id, sam.id, { share: 5 }, { 'if-match': '"9", "2"' })).headers.get('etag')).toBe('"3"');
    expect((await change(budget.id, sam.id, { share: 6 }, { 'if-match': '*' })).headers.get('etag')).toBe('"4"');
    // A no-op is checked too: the caller's copy is stale whatever they send.
    expectProblem(await change(budget.id, sam.id, { share: 6 }, { 'if-match': '"3"' }), 412);
    // The owner's membership has a version too (their share can change).
    expect((await change(budget.id, owner.id, { share: 2 }, { 'if-match': '"1"' })).headers.get('etag')).toBe('"2"');
  });

  it('a membership stored before versions existed (no version attribute) is at version 1 and changes from there', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, kim, 'viewer');
    const key = { pk: `budgets#budget#${budget.id}`, sk: `budgets#member#${kim.id}` };
    const stored = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }));
    expect(stored.Item).toBeDefined();
    expect(stored.Item).not.toHaveProperty('version'); // the first version is not stored
    const res = await change(budget.id, kim.id, { role: 'editor' }, { 'if-match': '"1"' });
    expect(res.headers.get('etag')).toBe('"2"');
    const after = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }));
    expect(after.Item).toMatchObject({ role: 'editor', version: 2 });
  });

  it('replays a change retried with the same Idempotency-Key (its If-Match now stale), once; another body or If-Match with the key is a 422', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    const headers = { 'idempotency-key': `share-${budget.id}`, 'if-match': '"1"' };
    const first = await change(budget.id, sam.id, { share: 4 }, headers);
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    // The answer was lost; the phone retries the very same request. Without the key the stale
    // If-Match would be a 412; with it, the first answer comes back and nothing changes again.
    const retry = await change(budget.id, sam.id, { share: 4 }, headers);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('etag')).toBe('"2"');
    expect(retry.json).toEqual(first.json);
    expect((await memberOf(budget.id, sam.id)).version).toBe(2);
    expectProblem(await change(budget.id, sam.id, { share: 7 }, headers), 422);
    expectProblem(await change(budget.id, sam.id, { share: 4 }, { ...headers, 'if-match': '"2"' }), 422);
    // Without the key, the same stale request is the 412 it is.
    expectProblem(await change(budget.id, sam.id, { share: 4 }, { 'if-match': '"1"' }), 412);
  });

  it('frees a key whose change was refused (412), and replays nothing to a caller who lost the right', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    await addMember(t.app, owner, budget.id, kim, 'viewer');
    const key = { 'idempotency-key': `freed-${budget.id}` };
    expectProblem(await change(budget.id, sam.id, { share: 2 }, { ...key, 'if-match': '"5"' }), 412);
    const corrected = await change(budget.id, sam.id, { share: 2 }, { ...key, 'if-match': '"1"' });
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    // Kim (a viewer) cannot change members: her retry gets the 403, not somebody's stored answer.
    const kims = { 'idempotency-key': `kim-${budget.id}` };
    expectProblem(await as(t.app, kim)('PATCH', path(budget.id, sam.id), { body: { share: 9 }, headers: kims }), 403);
    expectProblem(await as(t.app, kim)('PATCH', path(budget.id, sam.id), { body: { share: 9 }, headers: kims }), 403);
    expect((await memberOf(budget.id, sam.id)).share).toBe(2);
  });
});

describe('a member removed and added again', () => {
  const url = (budgetId: string, userId: string) => `/v1/budgets/${budgetId}/members/${userId}`;

  it("continues the membership's versions, so an ETag of the earlier membership is stale (412) on the new one", async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'viewer');
    // A device of the owner's keeps the ETag of Sam as a viewer ("1"), another changes his share ("2").
    expect((await as(t.app, owner)('PATCH', url(budget.id, sam.id), { body: { share: 2 } })).headers.get('etag')).toBe('"2"');
    expect((await as(t.app, owner)('DELETE', url(budget.id, sam.id))).status).toBe(204);
    const again = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: sam.email, role: 'viewer' } });
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('etag')).toBe('"3"');
    expect(again.json).toMatchObject({ role: 'viewer', share: 1, version: 3 });
    // Either old tag names the earlier membership: the new one is not changed or removed with it.
    for (const stale of ['"1"', '"2"']) {
      expectProblem(await as(t.app, owner)('PATCH', url(budget.id, sam.id), { body: { role: 'editor' }, headers: { 'if-match': stale } }), 412);
      expectProblem(await as(t.app, owner)('DELETE', url(budget.id, sam.id), { headers: { 'if-match': stale } }), 412);
    }
    expect((await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`)).json.role).toBe('viewer');
    const changed = await as(t.app, owner)('PATCH', url(budget.id, sam.id), { body: { role: 'editor' }, headers: { 'if-match': '"3"' } });
    expect(changed.headers.get('etag')).toBe('"4"');
    // Leaving records the last version too: the third membership starts after it.
    expect((await as(t.app, sam)('DELETE', url(budget.id, sam.id), { headers: { 'if-match': '"4"' } })).status).toBe(204);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    const third = (await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/members`)).json.items.find((m: { userId: string }) => m.userId === sam.id);
    expect(third.version).toBe(5);
  });

  it('a removal racing a re-add never gives the new membership a version the earlier one had', async () => {
    for (let round = 0; round < 3; round++) {
      const budget = await createBudget(t.app, owner);
      await addMember(t.app, owner, budget.id, kim, 'viewer');
      await as(t.app, owner)('PATCH', url(budget.id, kim.id), { body: { share: 3 } });
      const [removed, added] = await Promise.all([
        as(t.app, owner)('DELETE', url(budget.id, kim.id)),
        as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: kim.email, role: 'editor' } }),
      ]);
      expect(removed.status, removed.text).toBe(204);
      // The add met the membership (409) or came after the removal: then it continues from 2.
      if (added.status === 201) expect(added.json.version).toBe(3);
      else expectProblem(added, 409);
    }
  });
});

describe('removing members and leaving', () => {
  it("honours If-Match as the member PATCH does: a stale one is a 412 that removes nobody, the member's current ETag removes", async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'viewer');
    // Another device of the owner's makes Sam an editor (version 2) after this one read version 1.
    expect((await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}/members/${sam.id}`, { body: { role: 'editor' } })).headers.get('etag')).toBe('"2"');
    const stale = await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`, { headers: { 'if-match': '"1"' } });
    expectProblem(stale, 412);
    expect((await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`)).json.role).toBe('editor');
    expectProblem(await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`, { headers: { 'if-match': '2' } }), 400, ['header.If-Match']);
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`, { headers: { 'if-match': '"2"' } })).status).toBe(204);
    expectProblem(await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`), 404);
    // Leaving with one's own membership's ETag too.
    await addMember(t.app, owner, budget.id, kim, 'viewer');
    expectProblem(await as(t.app, kim)('DELETE', `/v1/budgets/${budget.id}/members/${kim.id}`, { headers: { 'if-match': '"3"' } }), 412);
    expect((await as(t.app, kim)('DELETE', `/v1/budgets/${budget.id}/members/${kim.id}`, { headers: { 'if-match': '"1"' } })).status).toBe(204);
  });

  it('a DELETE and a PATCH with the same If-Match at once: never both applied (the write holds the version read)', async () => {
    for (let round = 0; round < 4; round++) {
      const budget = await createBudget(t.app, owner);
      await addMember(t.app, owner, budget.id, sam, 'viewer');
      const url = `/v1/budgets/${budget.id}/members/${sam.id}`;
      const [removed, changed] = await Promise.all([
        as(t.app, owner)('DELETE', url, { headers: { 'if-match': '"1"' } }),
        as(t.app, owner)('PATCH', url, { body: { share: 4 }, headers: { 'if-match': '"1"' } }),
      ]);
      const statuses = [removed.status, changed.status];
      expect([[204, 404], [412, 200]], `${removed.text} ${changed.text}`).toContainEqual(statuses);
      expect((await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`)).status).toBe(removed.status === 204 ? 404 : 200);
    }
  });


  it('lets the owner remove a member, who then gets 404 everywhere', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`)).status).toBe(204);
    expectProblem(await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`), 404);
    expectProblem(await as(t.app, sam)('GET', `/v1/budgets/${budget.id}/summary`), 404);
    expect(await t.system.facades.budgets.getAccess(budget.id, sam.id)).toBeNull();
    const mine = await as(t.app, sam)('GET', '/v1/budgets?limit=100');
    expect(mine.json.items.map((b: { id: string }) => b.id)).not.toContain(budget.id);
    expectProblem(await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`), 404);
    // They can be added back.
    await addMember(t.app, owner, budget.id, sam, 'viewer');
  });

  it('lets any member leave, but not the owner', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, kim, 'viewer');
    expect((await as(t.app, kim)('DELETE', `/v1/budgets/${budget.id}/members/${kim.id}`)).status).toBe(204);
    expectProblem(await as(t.app, kim)('GET', `/v1/budgets/${budget.id}`), 404);
    expectProblem(await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${owner.id}`), 409);
    expect((await as(t.app, owner)('GET', `/v1/budgets/${budget.id}`)).status).toBe(200);
  });

  it('does not let a member remove someone else', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    await addMember(t.app, owner, budget.id, kim, 'viewer');
    expectProblem(await as(t.app, sam)('DELETE', `/v1/budgets/${budget.id}/members/${kim.id}`), 403);
    expectProblem(await as(t.app, sam)('DELETE', `/v1/budgets/${budget.id}/members/${owner.id}`), 403);
    expect((await as(t.app, kim)('GET', `/v1/budgets/${budget.id}`)).status).toBe(200);
  });

  it('refuses a deletion whose member list went stale while the count stayed equal (one removed, one added in between)', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    const budgetPk = `budgets#budget#${budget.id}`;
    // Forces the interleaving: the deletion has read its member list (owner, sam); just before
    // its transaction is sent, sam is removed and kim added, so the count is 2 again.
    const send = t.doc.send.bind(t.doc) as (command: unknown) => Promise<unknown>;
    let interleaved = false;
    const spy = vi.spyOn(t.doc, 'send').mockImplementation((async (command: unknown) => {
      const isBudgetDelete =
        command instanceof TransactWriteCommand &&
        command.input.TransactItems?.some((i) => i.Delete?.Key?.pk === budgetPk && i.Delete.Key.sk === 'budgets#budget');
      if (isBudgetDelete && !interleaved) {
        interleaved = true;
        expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`)).status).toBe(204);
        expect((await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: kim.email, role: 'viewer' } })).status).toBe(201);
      }
      return send(command);
    }) as never);
    try {
      const res = await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}`);
      expect(interleaved).toBe(true);
      expect(res.status, res.text).toBe(204);
    } finally {
      spy.mockRestore();
    }
    const left = await t.doc.send(
      new QueryCommand({
        TableName: t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': budgetPk },
        ConsistentRead: true,
      }),
    );
    expect(left.Items).toEqual([]);
    expect(await t.system.facades.budgets.getAccess(budget.id, kim.id)).toBeNull();
  });

  it('keeps memberships consistent when members are added and removed concurrently with a deletion', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    const results = await Promise.all([
      as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: kim.email, role: 'viewer' } }),
      as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${sam.id}`),
      as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}`),
    ]);
    expect(results[2]!.status, results[2]!.text).toBe(204);
    // Whatever order they ran in, no membership item outlives the budget (read the table itself:
    // the API would hide an orphan).
    const left = await t.doc.send(
      new QueryCommand({
        TableName: t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `budgets#budget#${budget.id}` },
        ConsistentRead: true,
      }),
    );
    expect(left.Items).toEqual([]);
    for (const who of [owner, sam, kim]) {
      expect(await t.system.facades.budgets.getAccess(budget.id, who.id)).toBeNull();
    }
  });
});
