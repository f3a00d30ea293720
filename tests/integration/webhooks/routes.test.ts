import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoster } from '../../../packages/webhooks/src/service/http-poster';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { expectPatchesChangeNothing } from '../../support/no-change-patch';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { startReceiver, type Receiver } from './receiver';

/**
 * /v1/webhooks over HTTP on DynamoDB Local, configured as in AWS (no WEBHOOK_ALLOW_LOCAL_URLS):
 * registration and changes, and the SSRF guard at registration, at PATCH and at delivery time.
 * Delivery itself is tested end to end in tests/e2e/webhooks.test.ts.
 */
let t: TestSystem;
let alice: Actor;
let bob: Actor;
let receiver: Receiver;

beforeAll(async () => {
  t = await createTestSystem();
  [alice, bob] = [await signUp(t.app, 'alice'), await signUp(t.app, 'bob')];
  receiver = await startReceiver();
});
afterAll(async () => {
  await t?.destroy();
  await receiver?.close();
});

const PUBLIC_URL = 'https://93.184.215.14/hooks/budgets';

describe('the SSRF guard (AWS mode)', () => {
  it.each([
    ['the instance metadata service', 'https://169.254.169.254/latest/meta-data/'],
    ['a private address', 'https://10.0.0.5/hook'],
    ['loopback', 'https://127.0.0.1/hook'],
    ['a name resolving to loopback', 'https://localhost:8443/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['an IPv4-mapped private address', 'https://[::ffff:192.168.0.1]/hook'],
    ['plain http', 'http://93.184.215.14/hook'],
    ['credentials in the URL', 'https://user:pass@93.184.215.14/hook'],
    ['not a URL', 'hooks.example.com'],
  ])('refuses %s with a 400 naming url', async (_what, url) => {
    expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url } }), 400, ['url']);
  });

  it('accepts an https URL of a public address, and refuses a PATCH to a private one', async () => {
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL } });
    expect(created.status, created.text).toBe(201);
    expectProblem(await as(t.app, alice)('PATCH', `/v1/webhooks/${created.json.id}`, { body: { url: 'https://10.1.2.3/x' } }), 400, ['url']);
    expect((await as(t.app, alice)('GET', `/v1/webhooks/${created.json.id}`)).json.url).toBe(PUBLIC_URL);
  });

  it('a description of only spaces is none (null), as an empty one is an expense\'s: it was stored and shown as ""', async () => {
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, description: '  \t ' } });
    expect(created.status, created.text).toBe(201);
    expect(created.json.description).toBeNull();
    const url = `/v1/webhooks/${created.json.id}`;
    expect((await as(t.app, alice)('PATCH', url, { body: { description: ' Dashboard ' } })).json.description).toBe('Dashboard');
    const cleared = await as(t.app, alice)('PATCH', url, { body: { description: '' } });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.description).toBeNull();
    expect((await as(t.app, alice)('GET', url)).json.description).toBeNull();
  });

  it('at delivery time, refuses loopback whether literal or resolved, and sends nothing', async () => {
    const post = createPoster({ mode: 'public-https' });
    const port = new URL(receiver.url('/')).port;
    for (const url of [`https://127.0.0.1:${port}/x`, `https://localhost:${port}/x`, `http://127.0.0.1:${port}/x`]) {
      const result = await post(url, {}, '{}');
      expect(result.status, url).toBeNull();
      expect(result.error, url).toMatch(/refused/);
    }
    expect(receiver.received).toEqual([]);
    // The same request in local mode (npm start) reaches the receiver.
    expect((await createPoster({ mode: 'local' })(receiver.url('/ok'), {}, '{}')).status).toBe(204);
    expect(receiver.on('/ok')).toHaveLength(1);
  });
});

describe('/v1/webhooks', () => {
  it('shows the secret once, lists and reads without it, changes with If-Match, deletes', async () => {
    const budget = await createBudget(t.app, alice);
    const created = await as(t.app, alice)('POST', '/v1/webhooks', {
      body: { url: PUBLIC_URL, budgetIds: [budget.id], eventTypes: ['expense.recorded', 'budget.member_role_changed', 'expense.comment_added'], description: 'Dashboard' },
      headers: { 'idempotency-key': 'create-1' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ url: PUBLIC_URL, budgetIds: [budget.id], status: 'enabled', version: 1, secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) });
    expect(created.headers.get('location')).toBe(`/v1/webhooks/${created.json.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    const replay = await as(t.app, alice)('POST', '/v1/webhooks', {
      body: { url: PUBLIC_URL, budgetIds: [budget.id], eventTypes: ['expense.recorded', 'budget.member_role_changed', 'expense.comment_added'], description: 'Dashboard' },
      headers: { 'idempotency-key': 'create-1' },
    });
    expect(replay.json).toEqual(created.json);

    const id = created.json.id;
    const read = await as(t.app, alice)('GET', `/v1/webhooks/${id}`);
    expect(read.json.secret).toBeUndefined();
    expect(JSON.stringify((await as(t.app, alice)('GET', '/v1/webhooks')).json)).not.toContain(created.json.secret);
    expect((await as(t.app, alice)('GET', '/v1/webhooks')).json.items.map((w: { id: string }) => w.id)).toContain(id);
    expectProblem(await as(t.app, bob)('GET', `/v1/webhooks/${id}`), 404);
    expect((await as(t.app, bob)('GET', '/v1/webhooks')).json.items).toEqual([]);

    expectProblem(await as(t.app, alice)('PATCH', `/v1/webhooks/${id}`, { body: { description: 'x' }, headers: { 'if-match': '"7"' } }), 412);
    const patched = await as(t.app, alice)('PATCH', `/v1/webhooks/${id}`, { body: { enabled: false, eventTypes: null }, headers: { 'if-match': '"1"' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ status: 'disabled', eventTypes: null, version: 2, description: 'Dashboard' });

    expect((await as(t.app, alice)('GET', `/v1/webhooks/${id}/deliveries`)).json).toEqual({ items: [], nextCursor: null });
    expectProblem(await as(t.app, alice)('DELETE', `/v1/webhooks/${id}`, { headers: { 'if-match': '"1"' } }), 412);
    expect((await as(t.app, alice)('DELETE', `/v1/webhooks/${id}`, { headers: { 'if-match': '"2"' } })).status).toBe(204);
    expectProblem(await as(t.app, alice)('GET', `/v1/webhooks/${id}`), 404);
  });

  it('a PATCH whose write committed but whose answer was lost (the SDK sent it again and met the version it wrote) answers 200 with the change, not 412 "changed meanwhile"', async () => {
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, description: 'Before' } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    const put = (name: string, input: string) => name === 'PutItemCommand' && input.includes(id) && input.includes('version = :previous');
    const { result: patched, resent } = await withFirstAnswerLost(t.doc, put, () => as(t.app, alice)('PATCH', `/v1/webhooks/${id}`, { body: { description: 'After' } }));
    expect(resent).toBe(true);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ description: 'After', version: 2 });
    expect(patched.headers.get('etag')).toBe('"2"');
    expect((await as(t.app, alice)('GET', `/v1/webhooks/${id}`)).json).toMatchObject({ description: 'After', version: 2 });
  });

  it('a PATCH that changes nothing writes nothing: 200 with the stored webhook and its ETag; If-Match and unknown fields still checked', async () => {
    const budget = await createBudget(t.app, alice);
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, budgetIds: [budget.id], eventTypes: ['expense.recorded'], description: 'Dashboard' } });
    expect(created.status, created.text).toBe(201);
    const url = `/v1/webhooks/${created.json.id}`;
    const stored = (await as(t.app, alice)('GET', url)).json;
    const same = [{ url: PUBLIC_URL }, { budgetIds: [budget.id], eventTypes: ['expense.recorded'] }, { description: 'Dashboard' }, { enabled: true }];
    await expectPatchesChangeNothing(t.doc, same, { json: stored, etag: '"1"' }, (body, headers) => as(t.app, alice)('PATCH', url, { body, headers }));
    expectProblem(await as(t.app, alice)('PATCH', url, { body: { description: 'Dashboard' }, headers: { 'if-match': '"2"' } }), 412);
    expectProblem(await as(t.app, alice)('PATCH', url, { body: { description: 'Dashboard', colour: 'red' } }), 400);
    expectProblem(await as(t.app, alice)('PATCH', url, { body: { url: 'https://10.1.2.3/x' } }), 400, ['url']);
    expect((await as(t.app, alice)('GET', url)).json).toEqual(stored);
    const changed = await as(t.app, alice)('PATCH', url, { body: { description: 'Board' }, headers: { 'if-match': '"1"' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
  });

  it('a budget of its filter deleted, or left, since: a PATCH sending the stored budgetIds back is not refused for it; a budget added that the owner cannot read still is', async () => {
    const own = await createBudget(t.app, alice);
    const [shared, left, strangers] = [await createBudget(t.app, bob), await createBudget(t.app, bob), await createBudget(t.app, bob)];
    await addMember(t.app, bob, shared.id, alice, 'editor');
    await addMember(t.app, bob, left.id, alice, 'viewer');
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, budgetIds: [own.id, shared.id, left.id] } });
    expect(created.status, created.text).toBe(201);
    const url = `/v1/webhooks/${created.json.id}`;
    // Bob deletes one of the budgets and removes alice from the other: the webhook still names both (a delivery checks access).
    expect((await as(t.app, bob)('DELETE', `/v1/budgets/${shared.id}`)).status).toBe(204);
    expect((await as(t.app, bob)('DELETE', `/v1/budgets/${left.id}/members/${alice.id}`)).status).toBe(204);
    const stored = (await as(t.app, alice)('GET', url)).json;
    expect(stored.budgetIds).toEqual([own.id, shared.id, left.id]);
    // A client saving its form with another URL sends the filter back as it read it.
    const saved = await as(t.app, alice)('PATCH', url, { body: { url: `${PUBLIC_URL}/v2`, budgetIds: stored.budgetIds, eventTypes: stored.eventTypes, description: stored.description } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json).toMatchObject({ url: `${PUBLIC_URL}/v2`, budgetIds: [own.id, shared.id, left.id], version: 2 });
    // A budget it did not name before is checked as at creation, named at its place in the list sent.
    expectProblem(await as(t.app, alice)('PATCH', url, { body: { budgetIds: [own.id, shared.id, strangers.id] } }), 400, ['budgetIds.2']);
    const narrowed = await as(t.app, alice)('PATCH', url, { body: { budgetIds: [own.id] } });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.json.budgetIds).toEqual([own.id]);
  });

  it('names bad fields: a budget the caller cannot read, an unknown event type, an unknown field', async () => {
    const bobs = await createBudget(t.app, bob);
    expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, budgetIds: [bobs.id] } }), 400, ['budgetIds.0']);
    expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, eventTypes: ['expense.exploded'] } }), 400, ['eventTypes.0']);
    expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, secret: 'mine' } }), 400);
    expectProblem(await as(t.app, alice)('GET', '/v1/webhooks'.replace('webhooks', 'webhooks/nope/deliveries')), 404);
  });

  it('names a refused url and a budget the caller cannot read in one 400, at create and PATCH (the url alone was named, the budget left for a second attempt)', async () => {
    const bobs = await createBudget(t.app, bob);
    expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'https://10.0.0.5/hook', budgetIds: [bobs.id] } }), 400, ['url', 'budgetIds.0']);
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL } });
    expect(created.status, created.text).toBe(201);
    expectProblem(await as(t.app, alice)('PATCH', `/v1/webhooks/${created.json.id}`, { body: { url: 'http://93.184.215.14/hook', budgetIds: [bobs.id] } }), 400, ['url', 'budgetIds.0']);
    expect((await as(t.app, alice)('DELETE', `/v1/webhooks/${created.json.id}`)).status).toBe(204);
  });

  it('refuses a webhook id longer than an id can be with a 400 naming it (past the 1 KB of a sort key, every webhook route answered 500; tests/integration/hostile-input.test.ts sends it to each)', async () => {
    const long = 'a'.repeat(1100);
    expectProblem(await as(t.app, alice)('GET', `/v1/webhooks/${long}`), 400, ['param.webhookId']);
    expectProblem(await as(t.app, alice)('POST', `/v1/webhooks/${long}/deliveries/msg_01JDQ5B1C2D3E4F5G6H7J8K9M0/redeliver`), 400, ['param.webhookId']);
  });

  it('refuses an event type or budget named twice, and more event types than there are, naming the field (30,000 of them was a 500: the item past 400 KB)', async () => {
    const budget = await createBudget(t.app, alice);
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL } });
    expect(created.status, created.text).toBe(201);
    const url = `/v1/webhooks/${created.json.id}`;
    const stored = (await as(t.app, alice)('GET', url)).json;
    const before = (await as(t.app, alice)('GET', '/v1/webhooks')).json.items.length;
    const many = { eventTypes: Array<string>(30_000).fill('expense.recorded') };
    const twice = [
      [{ eventTypes: ['expense.recorded', 'expense.deleted', 'expense.recorded'] }, 'eventTypes.2'],
      [{ budgetIds: [budget.id, budget.id] }, 'budgetIds.1'],
    ] as const;
    expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, ...many } }), 400, ['eventTypes']);
    expectProblem(await as(t.app, alice)('PATCH', url, { body: many }), 400, ['eventTypes']);
    for (const [body, path] of twice) {
      expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, ...body } }), 400, [path]);
      expectProblem(await as(t.app, alice)('PATCH', url, { body }), 400, [path]);
    }
    expect((await as(t.app, alice)('GET', url)).json).toEqual(stored);
    expect((await as(t.app, alice)('GET', '/v1/webhooks')).json.items).toHaveLength(before);
  });

  it('refuses NUL, other control characters and lone surrogates in description and url (create and PATCH), storing nothing', async () => {
    const created = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, description: 'Dashboard' } });
    expect(created.status, created.text).toBe(201);
    const url = `/v1/webhooks/${created.json.id}`;
    const stored = (await as(t.app, alice)('GET', url)).json;
    const before = (await as(t.app, alice)('GET', '/v1/webhooks')).json.items.length;
    for (const bad of ['a\u0000b', '\ud800', 'x\udc00y', 'a\u0007b']) {
      expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: PUBLIC_URL, description: bad } }), 400, ['description']);
      expectProblem(await as(t.app, alice)('PATCH', url, { body: { description: bad } }), 400, ['description']);
    }
    // The URL parser drops tabs and line breaks and rewrites the rest: the URL shown would not be the one called.
    for (const bad of [`${PUBLIC_URL}/a\u0000b`, `${PUBLIC_URL}/\ud800`, `${PUBLIC_URL}/a\tb`, `${PUBLIC_URL}/a\nb`, `${PUBLIC_URL}/a b`]) {
      expectProblem(await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: bad } }), 400, ['url']);
      expectProblem(await as(t.app, alice)('PATCH', url, { body: { url: bad } }), 400, ['url']);
    }
    expect((await as(t.app, alice)('GET', url)).json).toEqual(stored);
    expect((await as(t.app, alice)('GET', '/v1/webhooks')).json.items).toHaveLength(before);
  });
});
