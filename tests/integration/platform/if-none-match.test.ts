import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Conditional GET (If-None-Match, RFC 9110 section 13.1.2) on every versioned item's GET,
 * through HTTP: 304 with the ETag and no body when the header names the current version (one
 * tag, a list, `*`, a weak tag), the full 200 otherwise (an old tag after a PATCH, a header
 * that is no list of tags), the same DynamoDB requests either way, and the access check
 * first: a stranger who guesses the tag gets the 404 a stranger gets, never a 304.
 */
let t: TestSystem;
let owner: Actor;
let stranger: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  [owner, stranger] = [await signUp(t.app, 'owner'), await signUp(t.app, 'stranger')];
});
afterAll(() => t.destroy());

/** A call as `who`, with If-None-Match when given. */
const get = (url: string, ifNoneMatch?: string, who: Actor = owner) =>
  as(t.app, who)('GET', url, { headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch } });

async function created(path: string, body: unknown): Promise<string> {
  const res = await as(t.app, owner)('POST', path, { body });
  expect(res.status, res.text).toBe(201);
  return `${path}/${res.json.id}`;
}

const newBudget = async () => `/v1/budgets/${(await createBudget(t.app, owner)).id}`;

/**
 * Each kind of versioned item: how to make one (at version 1) and a PATCH body that changes it;
 * `tag`, the ETag its GET answers at a version when it is not the plain `"<version>"` (a recurring
 * expense's names its next occurrence too, which its job moves without a new version).
 */
const resources: Record<string, { create: () => Promise<string>; change: unknown; tag?: (version: number) => string }> = {
  budget: { create: newBudget, change: { limit: 12_345 } },
  expense: {
    create: async () => created(`${await newBudget()}/expenses`, { amount: 1_000, occurredOn: '2026-11-20' }),
    change: { amount: 2_000 },
  },
  'recurring expense': {
    create: async () => created(`${await newBudget()}/recurring-expenses`, { amount: 500, schedule: { frequency: 'monthly', startsOn: '2026-11-01' } }),
    change: { amount: 700 },
    tag: (version) => `"${version}-n20261201"`,
  },
  rule: {
    create: async () => {
      const budget = await createBudget(t.app, owner, { categories: [{ name: 'Eating out' }] });
      return created(`/v1/budgets/${budget.id}/rules`, { merchant: { contains: 'cafe' }, categoryId: budget.categories[0]!.id });
    },
    change: { tags: ['tea'] },
  },
  'import profile': {
    create: async () => created(`${await newBudget()}/import-profiles`, { name: 'Bank', mapping: { amountColumn: 'Amount' } }),
    change: { name: 'Other bank' },
  },
  webhook: {
    create: () => created('/v1/webhooks', { url: 'https://93.184.215.14/hooks/budgets' }),
    change: { description: 'Dashboard' },
  },
};

/** A 304: the ETag, and no body at all. */
function expectNotModified(res: Awaited<ReturnType<typeof get>>, etag: string) {
  expect(res.status, res.text).toBe(304);
  expect(res.headers.get('etag')).toBe(etag);
  expect(res.text).toBe('');
  expect(res.headers.get('content-type')).toBeNull();
}

describe.each(Object.entries(resources))('If-None-Match on the GET of a %s', (_name, resource) => {
  const tag = resource.tag ?? ((version: number) => `"${version}"`);
  /** The opaque part of the ETag at `version`, for weak tags and lists. */
  const opaque = (version: number) => tag(version).slice(1, -1);
  let url: string;
  let first: Awaited<ReturnType<typeof get>>;
  beforeAll(async () => {
    url = await resource.create();
    first = await get(url);
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('etag')).toBe(tag(1));
  });

  it('answers 304 with the ETag and no body for the current ETag, at the same DynamoDB requests as the 200', async () => {
    const full = await commandsSentDuring(t.doc, () => get(url));
    const conditional = await commandsSentDuring(t.doc, () => get(url, tag(1)));
    expectNotModified(conditional.result, tag(1));
    expect(full.result.status).toBe(200);
    expect(conditional.commands).toEqual(full.commands);
    expect(conditional.commands.length).toBeGreaterThan(0);
  });

  it.each([
    ['a list holding the current ETag', () => `"7", ${tag(1)}`],
    ['a list with empty elements', () => ` , "9",, ${tag(1)} ,`],
    ['`*` (the item exists)', () => '*'],
    ['the weak tag of the current version (weak comparison)', () => `W/${tag(1)}`],
  ])('answers 304 for %s', async (_case, header) => {
    expectNotModified(await get(url, header()), tag(1));
  });

  it.each([
    ['another version', () => tag(2)],
    ['a tag spelled with a leading zero', () => `"0${opaque(1)}"`],
    ['garbage', () => 'not-an-etag'],
    ['an unquoted version', () => opaque(1)],
    ['an empty header', () => ''],
  ])('answers the full 200 for %s', async (_case, header) => {
    const res = await get(url, header());
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual(first.json);
    expect(res.headers.get('etag')).toBe(tag(1));
  });

  it('gives a stranger with a guessed ETag (or `*`) the 404 of anyone without access, never a 304', async () => {
    for (const header of [tag(1), '*', `W/${tag(1)}`]) {
      const res = await get(url, header, stranger);
      expect(res.status, res.text).toBe(404);
      expect(res.headers.get('etag')).toBeNull();
    }
  });

  it('after a PATCH the old ETag gets the changed item with its new ETag, and the new one a 304', async () => {
    const patched = await as(t.app, owner)('PATCH', url, { body: resource.change });
    expect(patched.status, patched.text).toBe(200);
    const changed = patched.headers.get('etag');
    expect(changed).toBe(tag(2));
    const res = await get(url, tag(1));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe(tag(2));
    expect(res.json).toEqual(patched.json);
    expect(res.json).not.toEqual(first.json);
    expectNotModified(await get(url, `${tag(1)}, ${tag(2)}`), tag(2));
  });

  it('a deleted item is a 404 even with `*`', async () => {
    const scratch = await resource.create();
    expect((await as(t.app, owner)('DELETE', scratch)).status).toBe(204);
    expect((await get(scratch, '*')).status).toBe(404);
  });
});

/**
 * The profile (GET /v1/me) is versioned too, but it is the caller's own: no stranger can ask
 * for it, and it is made by a signup, not a POST. Its version counts PATCH /v1/me's changes.
 */
describe('If-None-Match on GET /v1/me', () => {
  let me: Actor;
  let first: Awaited<ReturnType<typeof get>>;
  beforeAll(async () => {
    me = await signUp(t.app, 'profile-etag');
    first = await get('/v1/me', undefined, me);
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.json.version).toBe(1);
  });

  it('answers 304 with the ETag and no body for the current ETag, at the same DynamoDB requests as the 200', async () => {
    const full = await commandsSentDuring(t.doc, () => get('/v1/me', undefined, me));
    const conditional = await commandsSentDuring(t.doc, () => get('/v1/me', '"1"', me));
    expectNotModified(conditional.result, '"1"');
    expect(full.result.status).toBe(200);
    expect(conditional.commands).toEqual(full.commands);
    expect(conditional.commands.length).toBeGreaterThan(0);
  });

  it.each([
    ['a list holding the current ETag', '"7", "1"'],
    ['`*` (the profile exists)', '*'],
    ['the weak tag of the current version (weak comparison)', 'W/"1"'],
  ])('answers 304 for %s', async (_case, header) => {
    expectNotModified(await get('/v1/me', header, me), '"1"');
  });

  it.each([
    ['another version', '"2"'],
    ['a tag spelled with a leading zero', '"01"'],
    ['garbage', 'not-an-etag'],
  ])('answers the full 200 for %s', async (_case, header) => {
    const res = await get('/v1/me', header, me);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual(first.json);
    expect(res.headers.get('etag')).toBe('"1"');
  });

  it('after a PATCH the old ETag gets the changed profile with its new ETag, and the new one a 304', async () => {
    const patched = await as(t.app, me)('PATCH', '/v1/me', { body: { name: 'Changed' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    const res = await get('/v1/me', '"1"', me);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.json).toEqual(patched.json);
    expect(res.json.name).toBe('Changed');
    expectNotModified(await get('/v1/me', '"1", "2"', me), '"2"');
  });

  it('a deleted account is a 401 even with `*`, never a 304', async () => {
    const gone = await signUp(t.app, 'profile-etag-gone');
    expect((await as(t.app, gone)('DELETE', '/v1/me')).status).toBe(204);
    const res = await get('/v1/me', '*', gone);
    expect(res.status, res.text).toBe(401);
    expect(res.headers.get('etag')).toBeNull();
  });
});

/**
 * A budget answers with the caller's `role`: an editor's and a viewer's GET of one budget at one
 * version are different answers, and a member's own answer changes when the owner changes their
 * role, though the budget's version does not. Its ETag must change with it, or the member's
 * conditional GET keeps their client on the old role (a 304) while every write it offers is a 403.
 */
describe("If-None-Match on a member's GET of a budget", () => {
  it("a role change gets the member the 200 with the new role (never a 304 for the old one); the new ETag a 304; it still works as If-Match", async () => {
    const member = await signUp(t.app, 'etag-member');
    const budget = await createBudget(t.app, owner, { categories: [{ name: 'Food', limit: 5_000 }] });
    await addMember(t.app, owner, budget.id, member, 'editor');
    const url = `/v1/budgets/${budget.id}`;
    const asEditor = await get(url, undefined, member);
    expect(asEditor.status, asEditor.text).toBe(200);
    expect(asEditor.json.role).toBe('editor');
    const editorTag = asEditor.headers.get('etag')!;
    // The owner's answer at the same version is another answer: not the editor's tag.
    expect((await get(url)).headers.get('etag')).not.toBe(editorTag);
    expectNotModified(await get(url, editorTag, member), editorTag);

    // The editor writes under If-Match with the ETag it read (period limits take it from editors).
    const set = await as(t.app, member)('PUT', `${url}/period-limits`, {
      body: { categoryId: budget.categories[0]!.id, limit: 4_000, date: '2026-11-20' },
      headers: { 'if-match': editorTag },
    });
    expect(set.status, set.text).toBe(200);
    const afterSet = await get(url, editorTag, member);
    expect(afterSet.status, afterSet.text).toBe(200);
    const currentTag = afterSet.headers.get('etag')!;

    const demoted = await as(t.app, owner)('PATCH', `${url}/members/${member.id}`, { body: { role: 'viewer' } });
    expect(demoted.status, demoted.text).toBe(200);
    const asViewer = await get(url, currentTag, member);
    expect(asViewer.status, asViewer.text).toBe(200);
    expect(asViewer.json.role).toBe('viewer');
    expect(asViewer.json.version).toBe(afterSet.json.version);
    const viewerTag = asViewer.headers.get('etag')!;
    expect(viewerTag).not.toBe(currentTag);
    expectNotModified(await get(url, viewerTag, member), viewerTag);
  });
});
