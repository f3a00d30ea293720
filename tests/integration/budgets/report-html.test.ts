import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, signup, type Account } from './helpers';
import { tokenAtClock } from '../../support/actors';

/**
 * The HTML representation of reports: chosen by Accept, self-contained, charts present, and
 * user-named things (budget, category, merchant) escaped, never markup.
 */
const clock = fixedClock('2026-10-10T12:00:00Z');
let t: TestSystem;
let owner: Account;
let budgetId: string;
let reportPath: string;

const EVIL_BUDGET = `<script>alert("budget")</script> & Tom's`;
const EVIL_CATEGORY = '<img src=x onerror=alert(1)>';
const EVIL_MERCHANT = '"><svg onload=alert(2)>';
const EVIL_GROUP = '<b>Fun</b> & more';

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signup(t.app, 'owner');
  const budget = await createBudget(t.app, owner, {
    name: EVIL_BUDGET,
    limit: 10_000,
    categories: [{ name: EVIL_CATEGORY, limit: 3_000, group: EVIL_GROUP }, { name: 'Rent' }],
  });
  budgetId = budget.id;
  await addExpense(t.app, owner, budgetId, { amount: 4_000, occurredOn: '2026-10-02', categoryId: budget.categories[0]!.id, merchant: EVIL_MERCHANT });
  await addExpense(t.app, owner, budgetId, { amount: 2_550, occurredOn: '2026-10-20', categoryId: budget.categories[1]!.id });
  await addExpense(t.app, owner, budgetId, { amount: 99, occurredOn: '2026-10-31' });
  clock.set('2026-11-02T00:00:00Z');
  owner.token = await tokenAtClock(t, owner);
  const created = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/reports`, { body: { date: '2026-10-01' } });
  expect(created.status, created.text).toBe(201);
  reportPath = created.headers.get('location')!;
});
afterAll(() => t.destroy());

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('GET a report as HTML', () => {
  it('serves a page with both charts when the client ranks text/html first', async () => {
    const res = await as(t.app, owner)('GET', reportPath, { headers: { accept: BROWSER } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
    expect(res.headers.get('vary')).toContain('Accept');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.text.startsWith('<!doctype html>')).toBe(true);
    const svgs = res.text.match(/<svg [^>]*>/g) ?? [];
    expect(svgs).toHaveLength(2);
    expect(res.text).toContain('<title>Spend by category</title>');
    expect(res.text).toContain('<title>Cumulative spend against the limit</title>');
    // One bar per category plus uncategorized, and a line with one point per day of October.
    expect(res.text.match(/<rect /g)).toHaveLength(3);
    const points = /<polyline points="([^"]+)"/.exec(res.text)![1]!.split(' ');
    expect(points).toHaveLength(31);
    expect(res.text).toContain('<span>66.49</span>'); // spent, in major units
    // Each chart says what its colours and marks mean, and the line ends on the total.
    expect(res.text).toContain("dashed marker: the category's limit");
    expect(res.text).toContain("the budget's limit (100.00)");
    expect(res.text).toMatch(/<text [^>]*>total 66\.49<\/text>/);
    // They scale to the page: a viewBox and no fixed width.
    for (const svg of svgs) {
      expect(svg).toMatch(/viewBox="0 0 640 \d+"/);
      expect(svg).not.toMatch(/ width="/);
    }
    // No script and no external asset: the only URLs are the SVG namespace.
    expect(res.text).not.toMatch(/<script|<img|<link|<iframe|<object/i);
    expect(res.text.match(/[a-z]+:\/\/[^"\s]*/gi)).toEqual(['http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg']);
  });

  it('escapes budget, category and merchant names', async () => {
    const res = await as(t.app, owner)('GET', reportPath, { headers: { accept: 'text/html' } });
    expect(res.text).toContain('&lt;script&gt;alert(&quot;budget&quot;)&lt;/script&gt; &amp; Tom&#39;s');
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.text).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt;');
    // The group table: its label escaped, its figures those of its one category (limit 30.00, spent 40.00).
    expect(res.text).toContain(
      '<h2>Spend by group</h2><table><tr><th>Group</th><th class="n">Limit</th><th class="n">Spent</th><th class="n">Left</th></tr>' +
        '<tr><td>&lt;b&gt;Fun&lt;/b&gt; &amp; more</td><td class="n"><span>30.00</span></td><td class="n"><span>40.00</span></td>' +
        '<td class="n"><span class="neg">-10.00</span></td></tr></table>',
    );
    for (const raw of [EVIL_BUDGET, EVIL_CATEGORY, EVIL_MERCHANT, EVIL_GROUP, '<script', '<img', 'onload=alert(2)>']) {
      expect(res.text).not.toContain(raw);
    }
  });

  it.each([
    ['no Accept', undefined],
    ['*/*', '*/*'],
    ['application/json', 'application/json'],
    ['JSON ranked above HTML', 'text/html;q=0.5, application/json'],
    ['HTML refused explicitly', 'text/html;q=0, */*'],
  ])('answers JSON for %s', async (_label, accept) => {
    const res = await as(t.app, owner)('GET', reportPath, accept ? { headers: { accept } } : {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.json).toMatchObject({ budgetName: EVIL_BUDGET, spent: 6_649 });
  });

  it('keeps errors problem+json whatever the Accept header', async () => {
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/reports/20200101-20200131`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('shows a category savings target as a row under its category, its status a word with a class; none without targets', async () => {
    // October is the budget's first period: Sinking fund carried nothing in, 50.00 limit, 20.00 spent, 30.00 remaining.
    // October..March: 6 periods. 30.00 + 5 x 50.00 = 280.00 >= 250.00: on track;
    // needed = (250.00 - (30.00 - 50.00)) / 6 = 270.00 / 6 = 45.00 a period.
    clock.set('2026-10-10T12:00:00Z');
    owner.token = await tokenAtClock(t, owner);
    const budget = await createBudget(t.app, owner, {
      name: 'Savings',
      limit: 10_000,
      categories: [{ name: 'Sinking <fund>', limit: 5_000, rollover: true, target: { amount: 25_000, by: '2027-03-31' } }, { name: 'Rent' }],
    });
    await addExpense(t.app, owner, budget.id, { amount: 2_000, occurredOn: '2026-10-05', categoryId: budget.categories[0]!.id });
    clock.set('2026-11-02T00:00:00Z');
    owner.token = await tokenAtClock(t, owner);
    const created = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-01' } });
    expect(created.status, created.text).toBe(201);
    const res = await as(t.app, owner)('GET', created.headers.get('location')!, { headers: { accept: BROWSER } });
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<tr class="has-target"><td>Sinking &lt;fund&gt;</td><td class="n"><span>50.00</span> (<span>0.00</span> carried over)</td>' +
        '<td class="n"><span>20.00</span></td><td class="n"><span>30.00</span></td></tr>' +
        '<tr class="target"><td colspan="4">Target 250.00 by 2027-03-31 · 45.00 a period · <span class="target-on-track">On track</span></td></tr>' +
        '<tr><td>Rent</td>',
    );
    expect(res.text).toMatch(/<style>[^<]*\.target-on-track\{color:/);
    // The first report's page (no target): no target row, class or style.
    const plain = await as(t.app, owner)('GET', reportPath, { headers: { accept: BROWSER } });
    expect(plain.text).not.toContain('target');
  });

  it('lists reports as a page of links', async () => {
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/reports`, { headers: { accept: BROWSER } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain(`<a href="${reportPath}">2026-10-01 to 2026-10-31</a>`);
    expect(res.text).not.toContain(EVIL_BUDGET);
  });

  it('keeps the page size asked in the list page\'s link to older reports', async () => {
    // A second report (September, before the budget's creation: expenses can be backdated).
    const september = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/reports`, { body: { date: '2026-09-15' } });
    expect(september.status, september.text).toBe(201);
    const list = `/v1/budgets/${budgetId}/reports`;
    const first = await as(t.app, owner)('GET', `${list}?limit=1`, { headers: { accept: BROWSER } });
    expect(first.status).toBe(200);
    expect(first.text.match(/<li>/g)).toHaveLength(1);
    const href = /<a href="(\?[^"]+)">Older reports<\/a>/.exec(first.text)?.[1]?.replaceAll('&amp;', '&');
    expect(href).toMatch(/^\?limit=1&cursor=/);
    // Followed as a browser does (relative to the list): the next page, of the same size.
    const older = await as(t.app, owner)('GET', `${list}${href}`, { headers: { accept: BROWSER } });
    expect(older.status).toBe(200);
    expect(older.text).toContain(`<a href="${list}/20260901-20260930">2026-09-01 to 2026-09-30</a>`);
    expect(older.text.match(/<li>/g)).toHaveLength(1);
  });

  it("writes the page and the list in the VIEWER's locale (German words and figures), read with the access check: no request added", async () => {
    const viewer = await signup(t.app, 'viewer');
    await addMember(t.app, owner, budgetId, viewer, 'viewer');
    const get = (who: Account, accept: string, path = reportPath) => commandsSentDuring(t.doc, () => as(t.app, who)('GET', path, { headers: { accept } }));
    const before = await get(viewer, BROWSER);
    expect(before.result.text).toContain('<span>66.49</span>'); // no locale yet: the plain formats
    const set = await as(t.app, viewer)('PATCH', '/v1/me', { body: { locale: 'de-DE' } });
    expect(set.status, set.text).toBe(200);

    const page = await get(viewer, BROWSER);
    expect(page.result.status).toBe(200);
    const usd = (amount: string) => `${amount}\u00A0$`; // de-DE writes dollars after the amount, a no-break space between
    expect(page.result.text.startsWith('<!doctype html><html lang="de-DE"><head>')).toBe(true);
    expect(page.result.text).toContain(`<th>Ausgegeben</th><td class="n"><span>${usd('66,49')}</span></td>`);
    expect(page.result.text).toContain(`das Limit des Budgets (${usd('100,00')})`);
    // The amounts carry the sign: no "Beträge in USD" in the intro.
    expect(page.result.text).toContain('<p>Bericht vom 01.10.2026 bis 31.10.2026.</p>');
    expect(page.result.text).toContain('<tr><th>Kategorie</th><th class="n">Limit</th><th class="n">Ausgegeben</th><th class="n">Übrig</th></tr>');
    expect(page.result.text).toContain('<h2>Kumulierte Ausgaben</h2>');
    expect(page.result.text).not.toContain('66.49');
    // The same requests as before the locale was set, and as the JSON answer: the viewer's profile
    // travels in the one BatchGetItem with the account check (the very same item), budget and membership.
    expect(page.commands).toEqual(before.commands);
    expect(page.commands[0]).toBe('BatchGetItemCommand');
    const batchKeys = JSON.stringify(page.sent[0]!.input);
    expect(batchKeys.split(`users#user#${viewer.id}`)).toHaveLength(2); // the profile key, once
    const json = await get(viewer, 'application/json');
    expect(json.result.json).toMatchObject({ spent: 6_649, limit: 10_000, periodStart: '2026-10-01' }); // JSON unchanged
    expect(json.commands).toEqual(page.commands);
    // The owner has no locale: their page keeps the plain formats.
    const owners = await as(t.app, owner)('GET', reportPath, { headers: { accept: BROWSER } });
    expect(owners.text).toContain('<span>66.49</span>');
    expect(owners.text).toContain('<p>Report of 2026-10-01 to 2026-10-31, amounts in USD.</p>');
    // The list page too, in the viewer's locale, with the same requests as its JSON.
    const list = await get(viewer, BROWSER, `/v1/budgets/${budgetId}/reports`);
    expect(list.result.text).toContain(`<a href="${reportPath}">01.10.2026 bis 31.10.2026</a>: ${usd('66,49')} ausgegeben</li>`);
    expect(list.commands).toEqual((await get(viewer, 'application/json', `/v1/budgets/${budgetId}/reports`)).commands);
  });
});
