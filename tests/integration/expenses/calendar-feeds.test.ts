import { createHash } from 'node:crypto';
import { createLogger, fixedClock, GUARDS } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { expectArchived, holdingWrites } from '../../support/archive-race';
import { deliver, tableItems, theEvent } from '../../support/events';
import { captureLogLines, type LogCapture } from '../../support/log-lines';
import { expectProblem } from '../../support/problem';
import { responseValidator } from '../../support/response-validator';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Calendar feeds: POST|GET /v1/budgets/{budgetId}/calendar-feeds, DELETE .../{feedId}, and the
 * public GET /v1/calendar/{token}.ics. The test clock is 2026-11-24T12:00Z; the budget is in
 * Pacific/Kiritimati (UTC+14), where it is already 2026-11-25, so the feed's 90 days are
 * 2026-11-25..2027-02-22 and every date below is written out by hand from that.
 */
let t: TestSystem;
let owner: Actor;
let viewer: Actor;
let stranger: Actor;
let budgetId: string;
/** The access lines (INFO, to see what they say of a feed's path), kept off the terminal. */
let log: LogCapture;
/** The per-feed read limit of this file's system (no test but the last reads a feed more often). */
const READS_PER_HOUR = 3;
/** The file's clock (createTestSystem's default start): the last test moves it an hour on and back. */
const clock = fixedClock('2026-11-24T12:00:00Z');

const feeds = (id = budgetId) => `/v1/budgets/${id}/calendar-feeds`;
/** The path of a feed's URL (the answer's `url` is absolute, on the request's origin). */
const pathOf = (url: string) => new URL(url).pathname;
const read = (path: string, headers: Record<string, string> = {}) => as(t.app, { token: '' })('GET', path, { headers });

/** The answer's violations of the document the app serves (status, headers, body): none expected. */
async function undocumented(path: string, res: Awaited<ReturnType<typeof read>>): Promise<string[]> {
  const served = await t.app.request('/v1/openapi.json');
  return responseValidator(await served.json()).violations({ method: 'GET', url: path, status: res.status, headers: res.headers, body: res.text });
}

async function createFeed(who: Actor, id = budgetId) {
  const res = await as(t.app, who)('POST', feeds(id));
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; url: string; createdAt: string };
}

/** The feed's content lines, unfolded (RFC 5545 3.1: CRLF followed by a space continues the line). */
function contentLines(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l !== '');
}

/** Each VEVENT as its property lines (name -> value, parameters kept in the name). */
function events(lines: string[]): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      out.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return out;
}

beforeAll(async () => {
  // 3 reads per feed and hour (production: 60), its count shared every 3rd read (as production's 60 / 20).
  t = await createTestSystem({ clock, env: { LOG_LEVEL: 'INFO' }, expenses: { calendarFeeds: { readLimit: { limit: READS_PER_HOUR, flushEvery: 3 } } } });
  log = captureLogLines();
  [owner, viewer, stranger] = (await Promise.all(['owner', 'viewer', 'stranger'].map((label) => signUp(t.app, label)))) as [Actor, Actor, Actor];
  const budget = await createBudget(t.app, owner, {
    name: 'Home; Kiritimati',
    currency: 'EUR',
    limit: 500_000,
    timezone: 'Pacific/Kiritimati',
    categories: [{ name: 'Housing' }, { name: 'Fun' }],
  });
  budgetId = budget.id;
  await addMember(t.app, owner, budgetId, viewer, 'viewer');
  const housing = budget.categories[0]!.id;
  const rent = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/recurring-expenses`, {
    body: { amount: 120_000, merchant: 'Rent, Flat 2', categoryId: housing, schedule: { frequency: 'monthly', startsOn: '2026-11-25' } },
  });
  expect(rent.status, rent.text).toBe(201);
  // Starts after the window ends: not in the feed.
  const later = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/recurring-expenses`, {
    body: { amount: 999, description: 'Later', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2027-02-23' } },
  });
  expect(later.status, later.text).toBe(201);
});
afterAll(async () => {
  log.restore();
  await t.destroy();
});

describe('calendar feeds', { timeout: 60_000 }, () => {
  it("serves a member's feed: the monthly rent on its dates, in the budget's time zone, with its amount", async () => {
    const feed = await createFeed(viewer);
    expect(feed).toEqual({ id: expect.any(String), createdAt: '2026-11-24T12:00:00.000Z', url: expect.stringMatching(/^http:\/\/localhost\/v1\/calendar\/[^/]+\.ics$/) });

    const res = await read(pathOf(feed.url));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    const lines = contentLines(res.text);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('X-WR-CALNAME:Home\\; Kiritimati');
    expect(lines).toContain('X-WR-TIMEZONE:Pacific/Kiritimati');
    const rentId = (await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/recurring-expenses`)).json.items.find((r: any) => r.merchant).id;
    // DTSTAMP (an instant, UTC): when the feed's day began in the budget's zone, 2026-11-25T00:00+14:00,
    // so never after the read (12:00Z), and the same all that day (a stable ETag).
    expect(events(lines).map((e) => [e.UID, e['DTSTART;VALUE=DATE'], e['DTEND;VALUE=DATE'], e.SUMMARY, e.DTSTAMP])).toEqual([
      [`${rentId}-2026-11-25@${budgetId}.budgeting`, '20261125', '20261126', 'Rent\\, Flat 2: 1200.00 EUR', '20261124T100000Z'],
      [`${rentId}-2026-12-25@${budgetId}.budgeting`, '20261225', '20261226', 'Rent\\, Flat 2: 1200.00 EUR', '20261124T100000Z'],
      [`${rentId}-2027-01-25@${budgetId}.budgeting`, '20270125', '20270126', 'Rent\\, Flat 2: 1200.00 EUR', '20261124T100000Z'],
    ]);
    expect(events(lines)[0]!.DESCRIPTION).toContain('Category: Housing');

    // The same feed again: the same text and ETag; If-None-Match with it gets 304.
    const again = await read(pathOf(feed.url));
    expect(again.text).toBe(res.text);
    expect(again.headers.get('etag')).toBe(res.headers.get('etag'));
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const notModified = await read(pathOf(feed.url), { 'if-none-match': res.headers.get('etag')! });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    // RFC 9110 15.4.5: the 304 carries the ETag (as the 200 would); the document declares it.
    expect(notModified.headers.get('etag')).toBe(res.headers.get('etag'));
    expect(await undocumented(pathOf(feed.url), notModified)).toEqual([]);
    // The weak form, which a feed past 256 KiB is sent compressed with (http/answer-fit.ts): the same
    // 304 (another feed of the budget: this one has had its 3 reads of the hour).
    const second = await createFeed(owner);
    const secondEtag = (await read(pathOf(second.url))).headers.get('etag')!;
    expect((await read(pathOf(second.url), { 'if-none-match': `W/${secondEtag}` })).status).toBe(304);
  });

  it('costs one BatchGetItem (feed, budget, membership, the owner\'s profile for its locale) for any well-formed token, known or not; the known one then one Query', async () => {
    const feed = await createFeed(owner);
    const known = await commandsSentDuring(t.doc, () => read(pathOf(feed.url)));
    expect(known.result.status).toBe(200);
    expect(known.commands).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    const keysRead = (sent: { input: Record<string, any> }) => (Object.values(sent.input.RequestItems)[0] as { Keys: { sk: string }[] }).Keys.map((k) => k.sk.split('#')[1]).sort();
    expect(keysRead(known.sent[0]!)).toEqual(['budget', 'calfeed', 'member', 'profile']);
    const wrongSecret = pathOf(feed.url).replace(/\.[A-Za-z0-9_-]{42}([AEIMQUYcgkosw048])\.ics$/, `.${'A'.repeat(42)}$1.ics`);
    expect(wrongSecret).not.toBe(pathOf(feed.url));
    const unknown = await commandsSentDuring(t.doc, () => read(wrongSecret));
    expectProblem(unknown.result, 404);
    expect(unknown.commands).toEqual(['BatchGetItemCommand']);
    expect(keysRead(unknown.sent[0]!)).toEqual(['budget', 'calfeed', 'member', 'profile']);
    // Not a token at all: nothing read; and the suffix is required.
    for (const path of ['/v1/calendar/nonsense.ics', pathOf(feed.url).slice(0, -'.ics'.length)]) {
      const bad = await commandsSentDuring(t.doc, () => read(path));
      expectProblem(bad.result, 404);
      expect(bad.commands).toEqual([]);
    }
  });

  it("speaks the feed owner's locale, read at every poll: a de-DE member's feed in German with German amounts, its archived note too", async () => {
    const german = await signUp(t.app, 'german');
    const home = await createBudget(t.app, german, { name: 'Wohnung', currency: 'EUR', limit: 100_000, timezone: 'UTC', categories: [{ name: 'Miete' }] });
    const rent = await as(t.app, german)('POST', `/v1/budgets/${home.id}/recurring-expenses`, {
      body: { amount: 120_000, merchant: 'Vermieter', categoryId: home.categories[0]!.id, schedule: { frequency: 'monthly', startsOn: '2026-11-25', count: 4 } },
    });
    expect(rent.status, rent.text).toBe(201);
    const feed = await createFeed(german, home.id);
    const before = events(contentLines((await read(pathOf(feed.url))).text));
    // Without a locale: English, as before locales.
    expect(before[0]!.SUMMARY).toBe('Vermieter (1/4): 1200.00 EUR');
    // The profile's locale is read with the feed (no request more): the next poll says it in German.
    expect((await as(t.app, german)('PATCH', '/v1/me', { body: { locale: 'de-DE' } })).status).toBe(200);
    const polled = await commandsSentDuring(t.doc, () => read(pathOf(feed.url)));
    expect(polled.commands).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    const lines = contentLines(polled.result.text);
    expect(events(lines).map((e) => e.SUMMARY)).toEqual(['Vermieter (1/4): 1.200\\,00\u00A0€', 'Vermieter (2/4): 1.200\\,00\u00A0€', 'Vermieter (3/4): 1.200\\,00\u00A0€']);
    expect(events(lines)[0]!.DESCRIPTION).toBe('Kategorie: Miete\\nEine wiederkehrende Ausgabe dieses Budgets\\, noch nicht erfasst.');

    expect((await as(t.app, german)('POST', `/v1/budgets/${home.id}/archive`)).status).toBe(200);
    expect(contentLines((await read(pathOf(feed.url))).text)).toContain(
      'X-WR-CALDESC:Dieses Budget ist archiviert: Seine wiederkehrenden Ausgaben werden nicht erfasst\\, daher wird keine Rechnung angezeigt. Hole es aus dem Archiv\\, um sie wieder zu sehen.',
    );
  });

  it('stores only a hash of the secret: no item holds the token', async () => {
    const feed = await createFeed(owner);
    const token = pathOf(feed.url).slice('/v1/calendar/'.length, -'.ics'.length);
    const secret = token.split('.')[3]!;
    const items = await tableItems(t.doc, t.tableName);
    expect(items.some((i) => JSON.stringify(i).includes(secret))).toBe(false);
    const stored = items.find((i) => i.kind === 'calendar-feed' && i.id === feed.id)!;
    expect(stored).toMatchObject({ pk: `expenses#budget#${budgetId}`, sk: `expenses#calfeed#${owner.id}#${feed.id}`, userId: owner.id });
    expect(stored.secretHash).toBe(createHash('sha256').update(secret).digest('base64url'));
  });

  it("never logs a feed's secret: the access line keeps the ids only", async () => {
    const feed = await createFeed(owner);
    const token = pathOf(feed.url).slice('/v1/calendar/'.length, -'.ics'.length);
    const [ids, secret] = [token.split('.').slice(0, 3).join('.'), token.split('.')[3]!];
    log.clear();
    expect((await read(pathOf(feed.url))).status).toBe(200);
    expect((await as(t.app, { token: '' })('POST', pathOf(feed.url))).status).toBe(405);
    const lines = log.lines.filter((l) => l.includes('/v1/calendar/'));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(secret);
      expect(JSON.parse(line).path).toBe(`/v1/calendar/${ids}.<redacted>`);
    }
    // The URL under another prefix (a doubled slash or /v1, another letter case: a client's join
    // of a base URL and the feed's, a typo): no route, and the line keeps no more of it.
    const path = pathOf(feed.url);
    for (const misrouted of [`/${path}`, `/v1${path}`, path.replace('/v1/', '/V1/')]) {
      log.clear();
      expectProblem(await read(misrouted), 404);
      const [line, ...more] = log.lines.filter((l) => l.includes('calendar'));
      expect(more).toEqual([]);
      expect(line).not.toContain(secret);
      expect(JSON.parse(line!).path).toBe(`${misrouted.slice(0, misrouted.indexOf('calendar/') + 'calendar/'.length)}${ids}.<redacted>`);
    }
  });

  it('lists the caller\'s own feeds without URLs; revoking one makes its URL 404 at once', async () => {
    const mine = await as(t.app, viewer)('GET', feeds());
    expect(mine.status).toBe(200);
    expect(mine.json.items.length).toBeGreaterThan(0);
    for (const item of mine.json.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'id']);
    const ownerIds = (await as(t.app, owner)('GET', feeds())).json.items.map((f: any) => f.id);
    expect(ownerIds.some((id: string) => mine.json.items.some((f: any) => f.id === id))).toBe(false);

    const feed = await createFeed(viewer);
    expect((await read(pathOf(feed.url))).status).toBe(200);
    // Another member cannot revoke it.
    expectProblem(await as(t.app, owner)('DELETE', `${feeds()}/${feed.id}`), 404);
    expect((await as(t.app, viewer)('DELETE', `${feeds()}/${feed.id}`)).status).toBe(204);
    expectProblem(await read(pathOf(feed.url)), 404);
    expectProblem(await as(t.app, viewer)('DELETE', `${feeds()}/${feed.id}`), 404);
    expect((await as(t.app, viewer)('GET', feeds())).json.items.map((f: any) => f.id)).not.toContain(feed.id);
  });

  it('answers a create with 201 and the Location of the feed it made (the one DELETE revokes), documented, as every other create', async () => {
    const res = await as(t.app, viewer)('POST', feeds());
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe(`${feeds()}/${res.json.id}`);
    const served = await (await t.app.request('/v1/openapi.json')).json();
    expect(responseValidator(served).violations({ method: 'POST', url: feeds(), status: res.status, headers: res.headers, body: res.text })).toEqual([]);
    expect(served.paths['/v1/budgets/{budgetId}/calendar-feeds'].post.responses['201'].headers.Location).toBeDefined();
    expect((await as(t.app, viewer)('DELETE', res.headers.get('location')!)).status).toBe(204);
  });

  it("the create's Location answers 200 with the feed as the list shows it, never its URL; another member's, a stranger, an unknown or revoked id: 404", async () => {
    const res = await as(t.app, viewer)('POST', feeds());
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    const got = await as(t.app, viewer)('GET', url);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual((await as(t.app, viewer)('GET', feeds())).json.items.find((f: { id: string }) => f.id === res.json.id));
    expect(got.json).toEqual({ id: res.json.id, createdAt: res.json.createdAt });
    expect(got.text).not.toContain(pathOf(res.json.url).replace('/v1/calendar/', '').replace(/\.ics$/, ''));
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(await undocumented(url, got)).toEqual([]);
    // Another member's feed is none of theirs (as the list and DELETE), a stranger's the answer of no budget.
    const owners = await as(t.app, owner)('GET', url);
    const unknown = await as(t.app, owner)('GET', `${feeds()}/01JDQ4V8M7ZK3X9A2B5C6D7E8H`);
    expectProblem(owners, 404);
    expectProblem(unknown, 404);
    expect(owners.json.detail).toBe(unknown.json.detail);
    expectProblem(await as(t.app, stranger)('GET', url), 404);
    const theirs = await createBudget(t.app, stranger, { name: 'Theirs', currency: 'EUR', limit: 1, timezone: 'UTC' });
    expectProblem(await as(t.app, viewer)('GET', `${feeds(theirs.id)}/${res.json.id}`), 404);
    expect((await as(t.app, viewer)('DELETE', url)).status).toBe(204);
    expectProblem(await as(t.app, viewer)('GET', url), 404);
  });

  it('refuses a non-member (404) and a member past 5 feeds (409, until one is revoked)', async () => {
    expectProblem(await as(t.app, stranger)('POST', feeds()), 404);
    expectProblem(await as(t.app, stranger)('GET', feeds()), 404);
    const member = await signUp(t.app, 'capped');
    await addMember(t.app, owner, budgetId, member, 'editor');
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createFeed(member));
    const refused = await as(t.app, member)('POST', feeds());
    expectProblem(refused, 409);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', limit: 5, collection: 'calendarFeeds' });
    expect((await as(t.app, member)('DELETE', `${feeds()}/${made[0]!.id}`)).status).toBe(204);
    await createFeed(member);
  });

  it('ends with the membership: a member who leaves gets 404 at once, and member_removed deletes their feeds', async () => {
    const leaver = await signUp(t.app, 'leaver');
    await addMember(t.app, owner, budgetId, leaver, 'viewer');
    const feed = await createFeed(leaver);
    expect((await read(pathOf(feed.url))).status).toBe(200);
    expect((await as(t.app, leaver)('DELETE', `/v1/budgets/${budgetId}/members/${leaver.id}`)).status).toBe(204);
    expectProblem(await read(pathOf(feed.url)), 404);

    const theirs = async () => (await tableItems(t.doc, t.tableName)).filter((i) => String(i.sk).includes(`#${leaver.id}`) && String(i.kind).startsWith('calendar-feed'));
    expect((await theirs()).map((i) => i.kind).sort()).toEqual(['calendar-feed', 'calendar-feed-count']);
    await deliver(t, await theEvent(t, 'budget.member_removed', { budgetId, userId: leaver.id }));
    expect(await theirs()).toEqual([]);
    // Back as a member, the old URL stays dead: the feed is gone.
    await addMember(t.app, owner, budgetId, leaver, 'viewer');
    expectProblem(await read(pathOf(feed.url)), 404);
  });

  it("stops while its member's account is suspended by support (404, as any dead feed), and serves again once that is lifted", async () => {
    const suspended = await signUp(t.app, 'suspended');
    await addMember(t.app, owner, budgetId, suspended, 'viewer');
    const feed = await createFeed(suspended);
    const served = await read(pathOf(feed.url));
    expect(served.status, served.text).toBe(200);
    const operate = (name: string) => t.system.operations.find((o) => o.name === name)!.run({ email: suspended.email, reason: 'TICKET-1: a stolen account', operator: 'support' }, { logger: createLogger('SILENT') });
    await operate('users-suspend');
    // Still a member (a suspension keeps the account's data and memberships), but its URL is a
    // credential like its tokens, which the suspension ended: the same 404 as a revoked feed.
    const whileSuspended = await read(pathOf(feed.url));
    expectProblem(whileSuspended, 404);
    expect(whileSuspended.text).not.toContain('BEGIN:VCALENDAR');
    await operate('users-unsuspend');
    expect((await read(pathOf(feed.url))).text).toBe(served.text);
  });

  it('ends with the account at once: a deleted member\'s feed is 404 before the budgets cascade removes the membership', async () => {
    const leaving = await signUp(t.app, 'deleted');
    await addMember(t.app, owner, budgetId, leaving, 'viewer');
    const feed = await createFeed(leaving);
    expect((await read(pathOf(feed.url))).status).toBe(200);
    expect((await as(t.app, leaving)('DELETE', '/v1/me')).status).toBe(204);
    // user.deleted not delivered yet: the membership (and the feed's item) are still there.
    expect((await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/members`)).json.items.map((m: { userId: string }) => m.userId)).toContain(leaving.id);
    expectProblem(await read(pathOf(feed.url)), 404);
  });

  it("ends with the budget: 404 at once, and budget.deleted's cleanup deletes every feed of it", async () => {
    const other = await createBudget(t.app, owner, { name: 'Doomed', currency: 'EUR', limit: 1_000, categories: [{ name: 'Bills' }] });
    const feed = await createFeed(owner, other.id);
    expect((await read(pathOf(feed.url))).status).toBe(200);
    const feedsOf = async () => (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `expenses#budget#${other.id}` && String(i.kind).startsWith('calendar-feed'));
    expect(await feedsOf()).toHaveLength(2);
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${other.id}`)).status).toBe(204);
    expectProblem(await read(pathOf(feed.url)), 404);
    await deliver(t, await theEvent(t, 'budget.deleted', { budgetId: other.id }));
    expect(await feedsOf()).toEqual([]);
  });

  it("one definition id in two budgets (an offline push's client id) gives two events in one calendar: the UID names the budget", async () => {
    const id = '01JDX3Q7K9M2N4P6R8S0T1V3W9';
    const budgets = await Promise.all(['Flat A', 'Flat B'].map((name) => createBudget(t.app, owner, { name, currency: 'EUR', limit: 100_000, timezone: 'UTC' })));
    for (const b of budgets) {
      const pushed = await as(t.app, owner)('POST', `/v1/budgets/${b.id}/changes`, {
        body: { mutations: [{ type: 'recurringExpense', op: 'create', id, recurringExpense: { amount: 50_000, merchant: 'Landlord', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-11-25' } } }] },
      });
      expect(pushed.status, pushed.text).toBe(200);
      expect(pushed.json.results[0]).toMatchObject({ status: 'applied', recurringExpense: { id } });
    }
    const [a, b] = await Promise.all(budgets.map(async (budget) => events(contentLines((await read(pathOf((await createFeed(owner, budget.id)).url))).text)).map((e) => e.UID)));
    expect(a).toEqual([`${id}-2026-11-25@${budgets[0]!.id}.budgeting`, `${id}-2026-12-25@${budgets[0]!.id}.budgeting`, `${id}-2027-01-25@${budgets[0]!.id}.budgeting`]);
    expect(b).toEqual([`${id}-2026-11-25@${budgets[1]!.id}.budgeting`, `${id}-2026-12-25@${budgets[1]!.id}.budgeting`, `${id}-2027-01-25@${budgets[1]!.id}.budgeting`]);
  });

  it("an archived budget's feed: a valid calendar with no event and a note, no definitions read; a new feed is 409; the bills come back on unarchiving", async () => {
    const home = await createBudget(t.app, owner, { name: 'Old flat', currency: 'EUR', limit: 100_000, timezone: 'UTC', categories: [{ name: 'Bills' }] });
    const rent = await as(t.app, owner)('POST', `/v1/budgets/${home.id}/recurring-expenses`, {
      body: { amount: 50_000, merchant: 'Landlord', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-11-25' } },
    });
    expect(rent.status, rent.text).toBe(201);
    const feed = await createFeed(owner, home.id);
    const uids = (text: string) => events(contentLines(text)).map((e) => e.UID);
    const active = await read(pathOf(feed.url));
    expect(uids(active.text)).toEqual([`${rent.json.id}-2026-11-25@${home.id}.budgeting`, `${rent.json.id}-2026-12-25@${home.id}.budgeting`, `${rent.json.id}-2027-01-25@${home.id}.budgeting`]);

    expect((await as(t.app, owner)('POST', `/v1/budgets/${home.id}/archive`)).status).toBe(200);
    const archived = await commandsSentDuring(t.doc, () => read(pathOf(feed.url)));
    expect(archived.result.status, archived.result.text).toBe(200);
    // Only the access read: the definitions are not read for a feed that lists none.
    expect(archived.commands).toEqual(['BatchGetItemCommand']);
    expect(archived.result.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const lines = contentLines(archived.result.text);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('X-WR-CALNAME:Old flat');
    expect(lines).toContain('X-WR-CALDESC:This budget is archived: its recurring expenses are not recorded\\, so no bill is shown. Unarchive it to see them again.');
    expect(lines.filter((l) => l.startsWith('BEGIN:VEVENT'))).toEqual([]);
    expect(archived.result.headers.get('etag')).not.toBe(active.headers.get('etag'));

    // No new feed of an archived budget; listing and revoking stay (a member may stop sharing).
    const refused = await as(t.app, owner)('POST', feeds(home.id));
    expectProblem(refused, 409);
    expect(refused.json.type).toMatch(/budget-archived$/);
    const other = await as(t.app, viewer)('POST', feeds(home.id));
    expectProblem(other, 404);
    expect((await as(t.app, owner)('GET', feeds(home.id))).json.items).toEqual([{ id: feed.id, createdAt: feed.createdAt }]);

    expect((await as(t.app, owner)('POST', `/v1/budgets/${home.id}/unarchive`)).status).toBe(200);
    const back = await read(pathOf(feed.url));
    expect(back.text).toBe(active.text);
    expect(back.headers.get('etag')).toBe(active.headers.get('etag'));
  });

  it('a create held past its access check while the budget is archived: 409 budget-archived, no feed written', async () => {
    const home = await createBudget(t.app, owner, { name: 'Held', currency: 'EUR', limit: 100_000, categories: [{ name: 'Bills' }] });
    const feedItems = async () => (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `expenses#budget#${home.id}` && String(i.kind).startsWith('calendar-feed'));
    const archive = async () => expect((await as(t.app, owner)('POST', `/v1/budgets/${home.id}/archive`)).status).toBe(200);
    const { result } = await holdingWrites(t, 'calfeed', archive, () => as(t.app, owner)('POST', feeds(home.id)));
    expectArchived(result);
    expect(await feedItems()).toEqual([]);
    expect((await as(t.app, owner)('POST', `/v1/budgets/${home.id}/unarchive`)).status).toBe(200);
    await createFeed(owner, home.id);
    expect((await feedItems()).map((i) => i.kind).sort()).toEqual(['calendar-feed', 'calendar-feed-count']);
  });

  it('limits the reads of one feed per hour (429 with Retry-After, before any read); other feeds are unaffected; the next hour it serves again', async () => {
    const poller = await signUp(t.app, 'poller');
    await addMember(t.app, owner, budgetId, poller, 'viewer');
    const [leaked, other] = [await createFeed(poller), await createFeed(poller)];
    // Below the count's sharing point a read costs what it always did: no write of the count.
    for (let i = 1; i < 3; i++) {
      const ok = await commandsSentDuring(t.doc, () => read(pathOf(leaked.url)));
      expect(ok.result.status, ok.result.text).toBe(200);
      expect(ok.commands).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    }
    expect((await read(pathOf(leaked.url))).status).toBe(200);
    log.clear();
    const refused = await commandsSentDuring(t.doc, () => read(pathOf(leaked.url)));
    expectProblem(refused.result, 429);
    // Its access line names the guard (infra counts it with the account limit's refusals).
    const refusedLines = log.lines.filter((l) => l.includes('request refused')).map((l) => JSON.parse(l));
    expect(refusedLines).toMatchObject([{ status: 429, refusedBy: GUARDS.calendarFeedRateLimit }]);
    expect(refused.result.json.type).toMatch(/too-many-requests$/);
    // The clock is at 12:00:00Z, the window's start: the rest of the hour.
    expect(refused.result.headers.get('retry-after')).toBe('3600');
    expect(refused.result.headers.get('ratelimit-policy')).toBe(`"user";q=${READS_PER_HOUR};w=3600`);
    // Its RateLimit fields are in the document, as on the authenticated operations' 429.
    expect(await undocumented(pathOf(leaked.url), refused.result)).toEqual([]);
    // Only the count is shared (one UpdateItem): neither the feed nor the budget is read.
    expect(refused.commands).toEqual(['UpdateItemCommand']);
    // Refused locally from now on: no request at all.
    const again = await commandsSentDuring(t.doc, () => read(pathOf(leaked.url)));
    expectProblem(again.result, 429);
    expect(again.commands).toEqual([]);
    expect((await read(pathOf(other.url))).status).toBe(200);

    clock.advance(3_600_000);
    try {
      expect((await read(pathOf(leaked.url))).status).toBe(200);
    } finally {
      clock.set('2026-11-24T12:00:00Z');
    }
  });
});
