import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, signUp, type Actor } from '../support/actors';
import { everyRoute } from '../support/every-route';
import { call } from '../support/http';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * Authorization as a matrix, walked over the served OpenAPI document so that a route added
 * tomorrow is covered too, each operation called with its documented example body:
 * - every operation under a budget, for every kind of caller who is not a member (a user of
 *   another budget, a member removed, one who left, one with a pending invitation only), as it
 *   is, with the conditions a client sends (If-None-Match with the owner's ETag, If-Match),
 *   asking for HTML or CSV, with an Idempotency-Key, and as HEAD: exactly the answer of a budget that does not exist
 *   (status, problem, and no header that tells the two apart: ETag, Location...; SPEC "404 ...
 *   never reveal another user's data exists");
 * - a viewer is refused every operation that is not a read, but the documented writes of their
 *   own (VIEWERS_MAY), and the budget's change feed does not move;
 * - a member of another budget who puts this budget's resource ids (an expense, a comment, an
 *   import job, a rename job, a settlement...) under their own budget's path, and another user
 *   who puts an account's own ids (webhooks, deliveries, exports, sessions, tokens, devices) in
 *   the path, get the answer of an id that does not exist;
 * - a bearer that is not an access token (a calendar feed's secret, a refresh token, a webhook
 *   secret, an expired access token, a suspended account's access and personal tokens) is a 401 on
 *   every operation that takes a credential;
 * - a personal access token is refused on account management (as the document declares), and
 *   with the scope `read` on every method but GET.
 */
let t: TestSystem;
let owner: Actor;
let routes: Awaited<ReturnType<typeof everyRoute<{ requestBody?: { content?: Record<string, unknown> } }>>>;
const outsiders = {} as Record<'stranger' | 'removed' | 'left' | 'invited', Actor>;
let ownersResources: Record<string, string>;
let components: Record<string, { example?: unknown }>;
const MISSING_BUDGET = '01JDQ4V8M7ZK3X9A2B5C6D7E8F';

beforeAll(async () => {
  t = await createTestSystem({ env: { API_RATE_LIMIT_PER_MINUTE: '0', PUSH_DIR: mkdtempSync(join(tmpdir(), 'authorization-matrix-push-')) } });
  owner = await signUp(t.app, 'matrix-owner');
  routes = await everyRoute(t.app, owner, '01JDQ4V8M7ZK3X9A2B5C6D7E8G');
  components = (routes.openapi as unknown as { components: { schemas: Record<string, { example?: unknown }> } }).components.schemas;
  const budgetId = routes.ids.budgetId!;
  for (const name of ['stranger', 'removed', 'left', 'invited'] as const) outsiders[name] = await signUp(t.app, `matrix-${name}`);
  // A user of another budget: they own one of their own.
  expect((await as(t.app, outsiders.stranger)('POST', '/v1/budgets', { body: { name: 'Theirs', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 1 } })).status).toBe(201);
  await addMember(t.app, owner, budgetId, outsiders.removed, 'editor');
  expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budgetId}/members/${outsiders.removed.id}`)).status).toBe(204);
  await addMember(t.app, owner, budgetId, outsiders.left, 'viewer');
  expect((await as(t.app, outsiders.left)('DELETE', `/v1/budgets/${budgetId}/members/${outsiders.left.id}`)).status).toBe(204);
  const invited = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/invitations`, { body: { email: outsiders.invited.email, role: 'editor' } });
  expect(invited.status, invited.text).toBe(201);
  ownersResources = await resourcesOf(owner, budgetId);
});

/** The path of `template` with the owner's budget and its real resources. */
const fill = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'budgetId' ? routes.ids.budgetId! : (ownersResources[name] ?? routes.ids[name] ?? 'x')));
afterAll(() => t.destroy());

/** The operation's documented example body (the same for every call, so any difference is the caller's or the budget's). */
function bodyOf(op: { requestBody?: { content?: Record<string, unknown> } }): { body?: unknown; rawBody?: string; headers?: Record<string, string> } {
  const types = Object.keys(op.requestBody?.content ?? {});
  if (types.length === 0) return {};
  const type = types.includes('application/json') ? 'application/json' : types[0]!;
  const media = op.requestBody!.content![type] as { example?: unknown; schema?: { example?: unknown; $ref?: string } };
  const schema = media.schema?.$ref ? components[media.schema.$ref.split('/').pop()!] : media.schema;
  const example = structuredClone(media.example ?? schema?.example);
  if (type === 'application/json') return { body: example ?? {} };
  return { rawBody: typeof example === 'string' ? example : 'date,amount\n2026-11-20,1.00\n', headers: { 'content-type': type } };
}

/** What of an answer a caller sees, with the budget's id spelled the same for both budgets. */
function seen(res: Awaited<ReturnType<typeof call>>, budgetId: string) {
  const headers: Record<string, string | null> = {};
  for (const name of ['etag', 'location', 'last-modified', 'content-type', 'allow', 'content-length', 'cache-control', 'vary']) headers[name] = res.headers.get(name);
  return { status: res.status, headers, body: res.text.split(budgetId).join('{budgetId}') };
}

describe('a caller who is not a member of the budget', () => {
  it.each(['stranger', 'removed', 'left', 'invited'] as const)('(%s) gets the answer of a budget that does not exist, on every operation under a budget', { timeout: 180_000 }, async (name) => {
    const who = outsiders[name];
    const budgetId = routes.ids.budgetId!;
    const operations = Object.entries(routes.openapi.paths)
      .filter(([template]) => template.includes('{budgetId}'))
      .flatMap(([template, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), template, op })));
    expect(operations.length).toBeGreaterThan(100);
    const leaks: string[] = [];
    for (const { method, template, op } of operations) {
      const path = fill(template);
      // As it is, and with the conditions a client holding the owner's ETag (or guessing) sends.
      const ownersTag = method === 'GET' ? (await as(t.app, owner)('GET', path)).headers.get('etag') : null;
      const conditions: Record<string, string>[] = [{}, { 'if-none-match': ownersTag ?? '"1"' }, { 'if-match': '"999"' }, { 'if-match': '*' }, { accept: 'text/html' }, { accept: 'text/csv' }, { 'idempotency-key': `matrix-${name}` }];
      for (const [verb, condition] of [...conditions.map((c) => [method, c] as const), ...(method === 'GET' ? [['HEAD', {}] as const] : [])]) {
        const body = bodyOf(op);
        const options = { ...body, headers: { ...body.headers, ...condition }, token: who.token };
        const hidden = seen(await call(t.app, verb, path, options), budgetId);
        const missing = seen(await call(t.app, verb, path.replace(budgetId, MISSING_BUDGET), options), MISSING_BUDGET);
        if (hidden.status < 400) leaks.push(`${verb} ${template} ${JSON.stringify(condition)} answered ${hidden.status}`);
        else if (JSON.stringify(hidden) !== JSON.stringify(missing)) leaks.push(`${verb} ${template} ${JSON.stringify(condition)}: ${JSON.stringify(hidden)} vs missing ${JSON.stringify(missing)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});

/**
 * What a viewer may write, as documented: a copy of the budget (a new budget of their own,
 * packages/budgets/src/service/copy.service.ts), their own calendar feeds (secret URLs of their
 * own, packages/expenses/docs/recurring.md "Calendar feed"; a feed id not theirs is a 404).
 */
const VIEWERS_MAY = ['POST /v1/budgets/{budgetId}/copy', 'POST /v1/budgets/{budgetId}/calendar-feeds', 'DELETE /v1/budgets/{budgetId}/calendar-feeds/{feedId}'];

describe('a viewer (read-only member)', () => {
  it('is refused every operation under the budget that is not a read', { timeout: 180_000 }, async () => {
    const viewer = await signUp(t.app, 'matrix-viewer');
    await addMember(t.app, owner, routes.ids.budgetId!, viewer, 'viewer');
    const operations = Object.entries(routes.openapi.paths)
      .filter(([template]) => template.includes('{budgetId}'))
      .flatMap(([template, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), template, op })))
      .filter(({ method }) => method !== 'GET');
    const knowledge = async () => (await as(t.app, owner)('GET', `/v1/budgets/${routes.ids.budgetId}/changes`)).json.serverKnowledge as string;
    const before = await knowledge();
    const wrong: string[] = [];
    for (const { method, template, op } of operations) {
      const res = await call(t.app, method, fill(template), { ...bodyOf(op), token: viewer.token });
      if (res.status !== 403 && !VIEWERS_MAY.includes(`${method} ${template}`)) wrong.push(`${method} ${template} -> ${res.status} ${res.text.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(await knowledge()).toBe(before);
  });
});

/**
 * Every resource under a budget is reached through that budget: a member of budget B who puts
 * the id of budget A's expense, rule, import job... under B's path must get the answer of an id
 * that does not exist, never A's resource nor any sign that it exists.
 */
describe("a member of another budget using this budget's resource ids under their own budget", () => {
  it('gets the answer of an id that does not exist, on every operation under a budget', { timeout: 240_000 }, async () => {
    const a = ownersResources;
    const theirs = await as(t.app, outsiders.stranger)('GET', '/v1/budgets');
    const budgetB = theirs.json.items[0].id as string;
    const b = await resourcesOf(outsiders.stranger, budgetB);
    const unknown = Object.fromEntries(Object.keys(a).map((k) => [k, '01JDQ4V8M7ZK3X9A2B5C6D7E8H']));
    const fillWith = (template: string, ids: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'budgetId' ? budgetB : (ids[name] ?? b[name] ?? 'x')));
    const operations = Object.entries(routes.openapi.paths)
      .filter(([template]) => template.includes('{budgetId}') && (template.match(/\{/g) ?? []).length > 1)
      .flatMap(([template, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), template, op })))
      .sort((x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'));
    const leaks: string[] = [];
    let checked = 0;
    for (const { method, template, op } of operations) {
      const params = (template.match(/\{(\w+)\}/g) ?? []).map((p) => p.slice(1, -1)).filter((p) => p !== 'budgetId');
      for (const param of params) {
        // A report's id names its period: budget B's report of the same period has the same id.
        if (a[param] === undefined || a[param] === b[param]) continue;
        checked += 1;
        const options = { ...bodyOf(op), token: outsiders.stranger.token };
        const foreign = await call(t.app, method, fillWith(template, { [param]: a[param] }), options);
        const missing = await call(t.app, method, fillWith(template, { [param]: unknown[param]! }), options);
        const strip = (text: string, id: string) => text.split(id).join('{id}');
        if (foreign.status < 400 || foreign.status !== missing.status || strip(foreign.text, a[param]) !== strip(missing.text, unknown[param]!)) {
          leaks.push(`${method} ${template} with A's ${param}: ${foreign.status} ${foreign.text.slice(0, 160)} vs ${missing.status} ${missing.text.slice(0, 160)}`);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(48);
    expect(leaks).toEqual([]);
  });
});

/** One of each resource under `budgetId`, made by its owner `who`: their ids by the path parameter that names them. */
async function resourcesOf(who: Actor, budgetId: string): Promise<Record<string, string>> {
  const req = as(t.app, who);
  const base = `/v1/budgets/${budgetId}`;
  const ok = async (method: string, path: string, options: Parameters<typeof req>[2] = {}) => {
    const res = await req(method, path, options);
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return res;
  };
  const partner = await signUp(t.app, 'matrix-partner');
  await addMember(t.app, who, budgetId, partner, 'editor');
  const budget = (await ok('PATCH', base, { body: { categories: [{ name: 'Food' }, { name: 'Fun' }] } })).json;
  const categoryId = budget.categories[0].id as string;
  const expenseId = (await ok('POST', `${base}/expenses`, { body: { amount: 1200, occurredOn: '2026-11-20', merchant: 'Cafe Blue', categoryId, tags: ['trip'] } })).json.id as string;
  const attachmentId = (await ok('POST', `${base}/expenses/${expenseId}/attachments`, { body: { contentType: 'image/jpeg', size: 1000, fileName: 'r.jpg' } })).json.id as string;
  const commentId = (await ok('POST', `${base}/expenses/${expenseId}/comments`, { body: { text: 'hi' } })).json.id as string;
  const settlementId = (await ok('POST', `${base}/settlements`, { body: { fromUserId: partner.id, toUserId: who.id, amount: 100, paidOn: '2026-11-20' } })).json.id as string;
  const reportId = (await ok('POST', `${base}/reports`, { body: { date: '2026-10-15' } })).json.id as string;
  const invitationId = (await ok('POST', `${base}/invitations`, { body: { email: `invitee-${budgetId}@example.com`, role: 'viewer' } })).json.id as string;
  const imported = await ok('POST', `${base}/expenses/import`, { rawBody: 'date,amount,category,description,merchant\n2026-11-21,3.00,,x,Shop\n', headers: { 'content-type': 'text/csv', prefer: 'wait=5' } });
  const importId = imported.json.id as string;
  const bulkId = (await ok('POST', `${base}/expenses/bulk`, { body: { expenseIds: [expenseId], action: { type: 'recategorize', categoryId: budget.categories[1].id } } })).json.undo.id as string;
  const renameId = (await ok('POST', `${base}/merchants/rename`, { body: { from: ['Shop'], to: 'Store' }, headers: { prefer: 'wait=5' } })).json.id as string;
  const recurringExpenseId = (await ok('POST', `${base}/recurring-expenses`, { body: { amount: 500, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } } })).json.id as string;
  const ruleId = (await ok('POST', `${base}/rules`, { body: { merchant: { contains: 'cafe' }, categoryId } })).json.id as string;
  const profileId = (await ok('POST', `${base}/import-profiles`, { body: { name: 'Bank', mapping: { dateColumn: 'Date', amountColumn: 'Amount' } } })).json.id as string;
  const incomeId = (await ok('POST', `${base}/income`, { body: { amount: 5000, receivedOn: '2026-11-20' } })).json.id as string;
  const recurringIncomeId = (await ok('POST', `${base}/recurring-income`, { body: { amount: 5000, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } } })).json.id as string;
  const feedId = (await ok('POST', `${base}/calendar-feeds`, {})).json.id as string;
  return { categoryId, expenseId, attachmentId, commentId, settlementId, reportId, invitationId, importId, bulkId, renameId, recurringExpenseId, ruleId, profileId, incomeId, recurringIncomeId, feedId, userId: partner.id };
}

type Op = { security?: Record<string, unknown>[]; requestBody?: { content?: Record<string, unknown> } };

/** Every operation that takes a credential, with its path filled for `routes`' budget. */
function securedOperations() {
  return Object.entries(routes.openapi.paths)
    .flatMap(([template, item]) => Object.entries(item as Record<string, Op>).map(([method, op]) => ({ method: method.toUpperCase(), template, op })))
    .filter(({ op }) => (op.security ?? []).length > 0)
    .filter(({ method, template }) => !(method === 'DELETE' && (template === '/v1/me' || template === '/v1/budgets/{budgetId}')));
}

describe('a bearer that is not an access token', () => {
  it('(a calendar feed secret, a refresh token, a webhook secret, an expired access token, a suspended account\'s tokens) gets 401 on every operation that takes a credential', { timeout: 240_000 }, async () => {
    const req = as(t.app, owner);
    const feed = await req('POST', `/v1/budgets/${routes.ids.budgetId}/calendar-feeds`);
    expect(feed.status, feed.text).toBe(201);
    const feedSecret = new URL(feed.json.url as string).pathname.replace('/v1/calendar/', '').replace(/\.ics$/, '');
    const hook = await req('POST', '/v1/webhooks', { body: { url: 'https://93.184.215.14/hooks/budgets' } });
    expect(hook.status, hook.text).toBe(201);
    const expiredClock = (t.clock as unknown as { advance(ms: number): void });
    expiredClock.advance(-60 * 60_000);
    const expired = await t.system.deps.tokens.sign({ userId: owner.id });
    expiredClock.advance(60 * 60_000);
    // A suspended account's access token and personal access token (support's users-suspend).
    const suspended = await signUp(t.app, 'matrix-suspended');
    await addMember(t.app, owner, routes.ids.budgetId!, suspended, 'editor');
    const suspendedPat = await as(t.app, suspended)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'write' } });
    expect(suspendedPat.status, suspendedPat.text).toBe(201);
    const suspend = t.system.operations.find((o) => o.name === 'users-suspend')!;
    await suspend.run({ email: suspended.email, reason: 'TICKET-1: matrix', operator: 'support' }, { logger: createLogger('SILENT') });
    const bearers = {
      feedSecret,
      refreshToken: owner.refreshToken,
      webhookSecret: hook.json.secret as string,
      expired,
      suspendedAccessToken: suspended.token,
      suspendedPersonalToken: suspendedPat.json.token as string,
    };
    const wrong: string[] = [];
    for (const { method, template, op } of securedOperations()) {
      for (const [kind, token] of Object.entries(bearers)) {
        const res = await call(t.app, method, routes.fill(template), { ...bodyOf(op), token });
        // Any personal access token is refused first on account management (403, before any read): the same answer, suspended or not.
        const patRefused = kind === 'suspendedPersonalToken' && template.startsWith('/v1/me') && template !== '/v1/me/overview' && res.json?.type?.endsWith('/personal-token-not-allowed');
        if (res.status !== 401 && !patRefused) wrong.push(`${kind}: ${method} ${template} -> ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/**
 * The resources of an account (its webhooks and their deliveries, its data exports, sessions,
 * personal access tokens, devices) are reached only by it: another user who puts their ids in
 * the path gets the answer of an id that does not exist.
 */
describe("another user using an account's own resource ids", () => {
  it('gets the answer of an id that does not exist, on every operation outside budgets', { timeout: 240_000 }, async () => {
    const mine = await signUp(t.app, 'matrix-account');
    const req = as(t.app, mine);
    const made = async (method: string, path: string, body?: unknown) => {
      const res = await req(method, path, body === undefined ? {} : { body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
      return res.json;
    };
    const webhookId = (await made('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hooks/budgets' })).id as string;
    const deliveryId = (await made('POST', `/v1/webhooks/${webhookId}/ping`)).id as string;
    const exportId = (await made('POST', '/v1/me/export')).id as string;
    const tokenId = (await made('POST', '/v1/me/tokens', { name: 'script', scope: 'read' })).id as string;
    const deviceId = (await made('POST', '/v1/me/devices', { platform: 'apns', token: 'cd'.repeat(32) })).id as string;
    const sessionId = (await made('GET', '/v1/me/sessions')).items[0].id as string;
    const theirs: Record<string, string> = { webhookId, deliveryId, exportId, tokenId, deviceId, sessionId };
    const other = outsiders.stranger;
    const operations = Object.entries(routes.openapi.paths)
      .filter(([template]) => !template.includes('{budgetId}') && /\{(webhookId|deliveryId|exportId|tokenId|deviceId|sessionId|notificationId)\}/.test(template))
      .flatMap(([template, item]) => Object.entries(item as Record<string, Op>).map(([method, op]) => ({ method: method.toUpperCase(), template, op })))
      .sort((x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'));
    expect(operations.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    let checked = 0;
    for (const { method, template, op } of operations) {
      const params = (template.match(/\{(\w+)\}/g) ?? []).map((p) => p.slice(1, -1));
      for (const param of params) {
        if (theirs[param] === undefined) continue;
        checked += 1;
        const fillWith = (id: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => (name === param ? id : (theirs[name] ?? 'x')));
        const options = { ...bodyOf(op), token: other.token };
        const foreign = await call(t.app, method, fillWith(theirs[param]!), options);
        const unknownId = theirs[param]!.replace(/.{4}$/, 'ZZZZ');
        const missing = await call(t.app, method, fillWith(unknownId), options);
        const strip = (text: string, id: string) => text.split(id).join('{id}');
        if (foreign.status < 400 || foreign.status !== missing.status || strip(foreign.text, theirs[param]!) !== strip(missing.text, unknownId)) {
          leaks.push(`${method} ${template} with another's ${param}: ${foreign.status} ${foreign.text.slice(0, 160)} vs ${missing.status} ${missing.text.slice(0, 160)}`);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
    expect(leaks).toEqual([]);
    // And the account still has every one of them.
    expect((await req('GET', `/v1/webhooks/${webhookId}`)).status).toBe(200);
    expect((await req('GET', '/v1/me/tokens')).json.items.map((i: { id: string }) => i.id)).toContain(tokenId);
    expect((await req('GET', '/v1/me/devices')).json.items.map((i: { id: string }) => i.id)).toContain(deviceId);
    expect((await req('GET', '/v1/me/sessions')).json.items.map((i: { id: string }) => i.id)).toContain(sessionId);
  });
});

// Last: a write token's walk changes and deletes the owner's resources the walks above read.
describe('a personal access token', () => {
  it('is refused (403) on every operation of /v1/me and below but the overview, and with the scope read on every method but GET', { timeout: 240_000 }, async () => {
    const tokens: Record<string, string> = {};
    for (const scope of ['read', 'write']) {
      const made = await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: `matrix ${scope}`, scope } });
      expect(made.status, made.text).toBe(201);
      tokens[scope] = made.json.token as string;
    }
    const wrong: string[] = [];
    for (const { method, template, op } of securedOperations()) {
      const accountManagement = template.startsWith('/v1/me') && template !== '/v1/me/overview';
      const documented = (op.security ?? []).some((s) => 'personalAccessToken' in s);
      if (documented === accountManagement) wrong.push(`${method} ${template}: the document says personal access tokens ${documented ? 'may' : 'may not'} call it`);
      for (const [scope, token] of Object.entries(tokens)) {
        const refused = accountManagement || (scope === 'read' && method !== 'GET');
        const res = await call(t.app, method, fill(template), { ...bodyOf(op), token });
        if (refused ? res.status !== 403 : res.status === 403 || res.status === 401) wrong.push(`${scope}: ${method} ${template} -> ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
