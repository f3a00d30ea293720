import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAtClock } from '../../support/actors';
import { captureLogLines } from '../../support/log-lines';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addExpense, asUser, createBudget, deliver, outboxEvents, signup, type User } from '../subscribers/support';

/**
 * The one-click unsubscribe (RFC 8058) of the optional mails over HTTP on DynamoDB Local: a
 * period report's mail carries its URL (PUBLIC_API_URL set), a mailbox provider's POST of
 * `List-Unsubscribe=One-Click` to it turns report mails off, and the next report is not mailed.
 */
const clock = fixedClock('2026-10-10T12:00:00Z');
const mails: EmailMessage[] = [];
let t: TestSystem;
let owner: User;

beforeAll(async () => {
  t = await createTestSystem({ clock, env: { PUBLIC_API_URL: 'https://api.example.com/' }, mail: { send: async (m: EmailMessage) => void mails.push(m) } });
  owner = await signup(t.app, 'owner');
});
afterAll(async () => {
  await t.destroy();
});

/** A budget of the owner's with an October expense, its October report generated and its event delivered: the mails sent. */
async function reportMailed(name: string): Promise<EmailMessage[]> {
  clock.set('2026-10-10T12:00:00Z');
  owner.token = await tokenAtClock(t, owner);
  const budget = await createBudget(t.app, owner, { name });
  await addExpense(t.app, owner, budget.id, { amount: 1_250, occurredOn: '2026-10-03' });
  clock.set('2026-11-01T08:00:00Z');
  owner.token = await tokenAtClock(t, owner);
  expect((await asUser(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-03' } })).status).toBe(201);
  const before = mails.length;
  await deliver(t, ...(await outboxEvents(t, 'report.generated')).filter((e) => e.envelope.data.budgetId === budget.id));
  return mails.slice(before);
}

const oneClick = (url: string, body = 'List-Unsubscribe=One-Click', type = 'application/x-www-form-urlencoded') =>
  call(t.app, 'POST', new URL(url).pathname, { rawBody: body, headers: { 'content-type': type } });

describe('one-click unsubscribe', () => {
  it("turns report mails off from the report mail's own URL, once or again, and the next report is not mailed", async () => {
    const [mail] = await reportMailed('Household');
    expect(mail!.unsubscribeUrl).toMatch(new RegExp(`^https://api\\.example\\.com/v1/unsubscribe/${owner.id}\\.reports\\.[A-Za-z0-9_-]{22}$`));

    const res = await oneClick(mail!.unsubscribeUrl!);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ unsubscribed: 'reports' });
    const me = await asUser(t.app, owner)('GET', '/v1/me');
    expect(me.json.notifications.email).toEqual({ budgetAlerts: false, reports: false });
    // A provider retrying, or a multipart body: the same answer.
    expect((await oneClick(mail!.unsubscribeUrl!, '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n', 'multipart/form-data; boundary=b')).json).toEqual({ unsubscribed: 'reports' });

    expect(await reportMailed('Second')).toEqual([]);
  });

  it('refuses a token that is not ours with a 404, and changes nothing', async () => {
    const other = await signup(t.app, 'other');
    const forged = `/v1/unsubscribe/${other.id}.reports.${'A'.repeat(22)}`;
    const res = await call(t.app, 'POST', forged, { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status, res.text).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await asUser(t.app, other)('GET', '/v1/me')).json.notifications.email.reports).toBe(true);
  });

  it("turns budget alert mails off with an alert mail's kind of token, and answers the same for a deleted account", async () => {
    const alerted = await signup(t.app, 'alerted');
    expect((await asUser(t.app, alerted)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: true } } } })).status).toBe(200);
    const url = t.system.facades.users.unsubscribeUrl(alerted.id, 'budget-alerts')!;
    expect((await oneClick(url)).json).toEqual({ unsubscribed: 'budget-alerts' });
    expect((await asUser(t.app, alerted)('GET', '/v1/me')).json.notifications.email).toEqual({ budgetAlerts: false, reports: true });
    expect((await asUser(t.app, alerted)('DELETE', '/v1/me')).status).toBe(204);
    expect((await oneClick(url)).json).toEqual({ unsubscribed: 'budget-alerts' });
  });
});

/** What a browser sends: a mail client without one-click support opens the header's URL in one. */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the unsubscribe link opened in a browser', () => {
  it('GET answers a self-contained page in the profile language with a button that POSTs, and changes nothing', async () => {
    const reader = await signup(t.app, 'reader');
    expect((await asUser(t.app, reader)('PATCH', '/v1/me', { body: { locale: 'de-DE', notifications: { email: { budgetAlerts: true } } } })).status).toBe(200);
    const path = new URL(t.system.facades.users.unsubscribeUrl(reader.id, 'budget-alerts')!).pathname;

    // A link scanner or mail gateway prefetching the URL (a GET, any Accept) turns nothing off.
    for (const accept of [BROWSER, '*/*', undefined]) {
      const page = await call(t.app, 'GET', path, accept ? { headers: { accept } } : {});
      expect(page.status, page.text).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html; ?charset=utf-8$/i);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('x-robots-tag')).toBe('noindex');
      expect(page.text).toMatch(/^<!doctype html><html lang="de-DE"><head><meta charset="utf-8">/);
      expect(page.text).not.toMatch(/<script|\ssrc=|<link|https?:\/\//i);
      // One form that POSTs the one-click body to the very URL (no action: the page's own), one button.
      expect(page.text).toMatch(/<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">[^<]+<\/button><\/form>/);
      expect(page.text).toContain('Budget-Warnungen');
    }
    expect((await asUser(t.app, reader)('GET', '/v1/me')).json.notifications.email).toEqual({ budgetAlerts: true, reports: true });

    // The button: a browser's form POST gets a confirmation page, a provider's POST still JSON.
    const confirmed = await call(t.app, 'POST', path, { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.headers.get('content-type')).toMatch(/^text\/html/i);
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    expect(confirmed.text).toMatch(/^<!doctype html><html lang="de-DE">/);
    expect(confirmed.text).not.toMatch(/<script|<form/i);
    expect((await asUser(t.app, reader)('GET', '/v1/me')).json.notifications.email).toEqual({ budgetAlerts: false, reports: true });
    expect((await oneClick(`https://api.example.com${path}`)).json).toEqual({ unsubscribed: 'budget-alerts' });
  });

  it('answers a page in English for a report mail of an account without a locale', async () => {
    const plain = await signup(t.app, 'plain');
    const page = await call(t.app, 'GET', new URL(t.system.facades.users.unsubscribeUrl(plain.id, 'reports')!).pathname, { headers: { accept: BROWSER } });
    expect(page.status, page.text).toBe(200);
    expect(page.text).toMatch(/^<!doctype html><html lang="en">/);
    expect(page.text).toContain('period report');
  });

  it('answers a forged token with the 404 of the POST (a page for a browser), and changes nothing', async () => {
    const other = await signup(t.app, 'forged');
    const forged = `/v1/unsubscribe/${other.id}.reports.${'A'.repeat(22)}`;
    const res = await call(t.app, 'GET', forged);
    expect(res.status, res.text).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const page = await call(t.app, 'GET', forged, { headers: { accept: BROWSER } });
    expect(page.status, page.text).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/i);
    expect(page.text).not.toMatch(/<form/i);
    expect((await asUser(t.app, other)('GET', '/v1/me')).json.notifications.email.reports).toBe(true);
  });
});

describe('the access line of an unsubscribe', () => {
  it("never logs a token's MAC (the credential): the line keeps whose and which mail only", async () => {
    const logged = await createTestSystem({ clock, env: { PUBLIC_API_URL: 'https://api.example.com/', LOG_LEVEL: 'INFO' } });
    const log = captureLogLines();
    try {
      const member = await signup(logged.app, 'logged');
      const url = logged.system.facades.users.unsubscribeUrl(member.id, 'reports')!;
      const path = new URL(url).pathname;
      const mac = path.split('.').at(-1)!;
      log.clear();
      const answer = await call(logged.app, 'POST', path, { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(answer.status, answer.text).toBe(200);
      // The page a browser opens (GET), another method (405) and the URL under another prefix or letter case (no route: 404) carry the same credential.
      expect((await call(logged.app, 'GET', path)).status).toBe(200);
      expect((await call(logged.app, 'PUT', path)).status).toBe(405);
      for (const misrouted of [`/${path}`, `/v1${path}`, path.replace('/v1/', '/V1/')]) expect((await call(logged.app, 'POST', misrouted)).status).toBe(404);
      const lines = log.lines.filter((l) => l.includes('unsubscribe'));
      expect(lines).toHaveLength(6);
      for (const line of lines) {
        expect(line).not.toContain(mac);
        expect(JSON.parse(line).path).toMatch(new RegExp(`unsubscribe/${member.id}\\.reports\\.<redacted>$`));
      }
    } finally {
      log.restore();
      await logged.destroy();
    }
  });
});
