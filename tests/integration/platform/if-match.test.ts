import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * If-Match (RFC 9110 section 13.1.1) on the two versioned resources, through HTTP: the strong
 * comparison (a weak tag never matches), lists (any listed tag may match), `*`, and malformed
 * headers. Every refused write is checked to have changed nothing. The parser's corner cases
 * are in packages/platform/src/http/if-match.test.ts.
 */
let t: TestSystem;
let token: string;

beforeAll(async () => {
  t = await createTestSystem();
  const res = await call(t.app, 'POST', '/v1/auth/signup', {
    body: { email: `if-match-${Date.now()}@example.com`, password: 'correct horse battery staple' },
  });
  expect(res.status, res.text).toBe(201);
  token = res.json.tokens.accessToken;
});
afterAll(() => t.destroy());

const send = (method: string, url: string, ifMatch?: string, body?: unknown) =>
  call(t.app, method, url, { token, body, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

async function newBudget(): Promise<string> {
  const res = await send('POST', '/v1/budgets', undefined, {
    name: 'Household', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000,
  });
  expect(res.status, res.text).toBe(201);
  return `/v1/budgets/${res.json.id}`;
}

/** Each versioned resource: how to make one (at version 1), a PATCH body setting a number, and where GET shows it. */
const resources = {
  budget: { create: newBudget, change: (n: number) => ({ limit: n }), read: (json: any) => json.limit },
  expense: {
    create: async () => {
      const budget = await newBudget();
      const res = await send('POST', `${budget}/expenses`, undefined, { amount: 1_000, occurredOn: '2026-11-20' });
      expect(res.status, res.text).toBe(201);
      return `${budget}/expenses/${res.json.id}`;
    },
    change: (n: number) => ({ amount: n }),
    read: (json: any) => json.amount,
  },
};

describe.each(Object.entries(resources))('If-Match on the %s', (_name, resource) => {
  /** A fresh resource at version 1, and its state as GET shows it. */
  async function fresh() {
    const url = await resource.create();
    const before = await send('GET', url);
    expect(before.headers.get('etag')).toBe('"1"');
    return { url, before: before.json };
  }

  async function expectUnchanged(url: string, before: unknown) {
    const now = await send('GET', url);
    expect(now.status).toBe(200);
    expect(now.json).toEqual(before);
    expect(now.headers.get('etag')).toBe('"1"');
  }

  it('PATCH and DELETE with the weak tag of the current version are a 412 (strong comparison) and change nothing', async () => {
    const { url, before } = await fresh();
    const ifMatch = 'W/"1"';
    expectProblem(await send('PATCH', url, ifMatch, resource.change(7)), 412);
    expectProblem(await send('DELETE', url, ifMatch), 412);
    await expectUnchanged(url, before);
  });

  it('a list containing the current tag matches, for PATCH and DELETE', async () => {
    const { url } = await fresh();
    const patched = await send('PATCH', url, '"7", W/"2",  "1"', resource.change(7));
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(resource.read(patched.json)).toBe(7);
    const deleted = await send('DELETE', url, '"1", "2"');
    expect(deleted.status, deleted.text).toBe(204);
    expectProblem(await send('GET', url), 404);
  });

  it.each(['"2", "3"', 'W/"1", "2"'])(
    'a well-formed If-Match without the current strong tag (%s) is a 412 and changes nothing',
    async (ifMatch) => {
      const { url, before } = await fresh();
      expectProblem(await send('PATCH', url, ifMatch, resource.change(7)), 412);
      expectProblem(await send('DELETE', url, ifMatch), 412);
      await expectUnchanged(url, before);
    },
  );

  it.each(['1', '"1", 2'])(
    'a malformed If-Match (%s) is a 400 naming the header and changes nothing',
    async (ifMatch) => {
      const { url, before } = await fresh();
      expectProblem(await send('PATCH', url, ifMatch, resource.change(7)), 400, ['header.If-Match']);
      expectProblem(await send('DELETE', url, ifMatch), 400, ['header.If-Match']);
      await expectUnchanged(url, before);
    },
  );

  it('`*` matches whatever version exists, and a deleted resource stays a 404', async () => {
    const { url } = await fresh();
    await send('PATCH', url, undefined, resource.change(5)); // now at version 2
    const patched = await send('PATCH', url, '*', resource.change(7));
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"3"');
    expect((await send('DELETE', url, ' * ')).status).toBe(204);
    expectProblem(await send('PATCH', url, '*', resource.change(9)), 404);
  });
});
