import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { signup, type Account } from './helpers';

/**
 * Security notices of the credentials other modules make (packages/users/docs/security-notices.md):
 * a new webhook (it receives the household's data) and a new calendar feed (its URL reads a
 * budget's upcoming bills) mail the account once, in the profile's locale, with how to
 * delete it. Over HTTP on DynamoDB Local, the whole system; the test system relays job units
 * inline, so the mail is sent before the request answers.
 */
let t: TestSystem;
const clock = fixedClock('2026-12-07T21:30:00Z');
const mails: EmailMessage[] = [];

beforeAll(async () => {
  t = await createTestSystem({ clock, mail: { send: async (m: EmailMessage) => void mails.push(m) } });
});
afterAll(async () => {
  await t.destroy();
});

const noticesTo = (a: Pick<Account, 'email'>) => mails.filter((m) => m.to === a.email && m.id.startsWith('security-'));
const me = (a: Pick<Account, 'accessToken'>) => as(t.app, { token: a.accessToken });

describe('security notices of new credentials', () => {
  it('a new webhook mails the account once, naming its host and how to delete it; a keyed retry of the create mails nothing more', async () => {
    const account = await signup(t.app);
    const create = () => me(account)('POST', '/v1/webhooks', { body: { url: 'https://93.184.215.14/hooks/thief' }, headers: { 'idempotency-key': 'notice-webhook-1' } });
    const first = await create();
    expect(first.status, first.text).toBe(201);
    const again = await create();
    expect(again.status, again.text).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    const notices = noticesTo(account);
    expect(notices.map((m) => m.subject)).toEqual(['A webhook was added to your account']);
    expect(notices[0]!.text).toContain('93.184.215.14');
    expect(notices[0]!.text).not.toContain('/hooks/thief');
    expect(notices[0]!.text).toContain(`DELETE /v1/webhooks/${first.json.id}`);
    expect(notices[0]!.text).toContain('2026-12-07 21:30');
  });

  it('a new calendar feed mails the account once, in the profile locale, with how to revoke it', async () => {
    const account = await signup(t.app, { locale: 'de-DE', timezone: 'Europe/Berlin' });
    const budget = await createBudget(t.app, { token: account.accessToken });
    const created = await me(account)('POST', `/v1/budgets/${budget.id}/calendar-feeds`);
    expect(created.status, created.text).toBe(201);
    const notices = noticesTo(account);
    expect(notices.map((m) => m.subject)).toEqual(['Ein Kalender-Feed wurde erstellt']);
    expect(notices[0]!.text).toContain(`DELETE /v1/budgets/${budget.id}/calendar-feeds/${created.json.id}`);
  });

  it('a refused webhook (not a URL the API sends to) mails nothing', async () => {
    const account = await signup(t.app);
    const refused = await me(account)('POST', '/v1/webhooks', { body: { url: 'ftp://example.com/hook' } });
    expect(refused.status).toBe(400);
    expect(noticesTo(account)).toEqual([]);
  });
});
