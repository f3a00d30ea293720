import type { EmailMessage } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { Invitation, Report } from '../../../packages/budgets/src/model';
import { reportEmail } from '../../../packages/budgets/src/reports/html/report-email';
import { invitationEmail } from '../../../packages/budgets/src/service/invitation-mail';
import type { BudgetAlertNotification, BudgetPaceNotification } from '../../../packages/notifications/src/model';
import { alertEmail } from '../../../packages/notifications/src/domain/alert-message';
import { paceEmail } from '../../../packages/notifications/src/domain/pace-message';
import { dataExportReadyMail } from '../../../packages/users/src/service/data-export-mail';
import { addressInUseNotice, changedNotice, codeMail } from '../../../packages/users/src/service/email-change-mail';
import { mfaResetNotice } from '../../../packages/users/src/service/mfa-reset-notice';
import { resetEmail } from '../../../packages/users/src/service/reset-mail';
import { securityNoticeMail } from '../../../packages/users/src/service/security-notice-mail';
import { signInAlertMail } from '../../../packages/users/src/service/sign-in-alert-mail';
import type { Webhook } from '../../../packages/webhooks/src/model';
import { disabledEmail } from '../../../packages/webhooks/src/domain/disabled-email';

/**
 * Every mail's HTML part declares the language its words are in (`<html lang>`), its charset and
 * a title: a screen reader reads a German mail with German pronunciation only when the document
 * says it is German. Until 2026-12-08 only the report mail did; the others sent
 * `<!doctype html><html><body>` or bare paragraphs. Table-driven over every EmailMessage builder
 * (`grep -rn "html:" packages/*\/src`), each in the languages of the catalog and two that fall back to English.
 */
const invitation: Invitation = { budgetId: 'b1', id: 'i1', email: 'alex@example.com', role: 'editor', invitedBy: 'u1', createdAt: '2026-11-24T12:00:00.000Z', expiresAt: '2026-12-01T12:00:00.000Z', nonce: 'n1' };
const alert: BudgetAlertNotification = {
  id: 'n1', userId: 'u1', kind: 'budget.alert', budgetId: 'b1', budgetName: 'Household', currency: 'EUR', scope: 'budget', categoryId: null,
  categoryName: null, threshold: 80, spent: 123_456, limit: 150_000, periodStart: '2027-06-01', periodEnd: '2027-06-30', createdAt: '2027-06-20T10:00:00.000Z', readAt: null,
};
const pace: BudgetPaceNotification = {
  id: 'n2', userId: 'u1', kind: 'budget.pace', budgetId: 'b1', budgetName: 'Household', currency: 'EUR', categoryId: 'c1', categoryName: 'Dining',
  limit: 50_000, spent: 31_000, projected: 62_000, periodStart: '2026-11-01', periodEnd: '2026-11-30', message: '', createdAt: '2026-11-15T12:00:00.000Z', readAt: null,
};
const report: Report = {
  id: '20261001-20261031', budgetId: 'b1', budgetName: 'Home', ownerId: 'u1', periodStart: '2026-10-01', periodEnd: '2026-10-31',
  currency: 'EUR', limit: 100_000, carriedOver: 0, available: 100_000, spent: 13_777, remaining: 86_223,
  byCategory: [{ categoryId: 'e', name: 'Power', limit: 7_000, group: null, spent: 7_777 }], groups: [], uncategorizedSpent: 0,
  byDay: [{ date: '2026-10-01', spent: 13_777 }], topMerchants: [], previousPeriod: null, generatedAt: '2026-11-01T00:00:00.000Z',
};
const webhook = { id: 'wh1', url: 'https://hooks.example.com/in?a=1&b=2' } as Webhook;
const account = (locale: string | null) => ({ email: 'a@example.com', timezone: 'Europe/Berlin', locale });

/** Every builder of a mail, by name, for a recipient with `locale`. */
const BUILDERS: [string, (locale: string | null) => EmailMessage][] = [
  ['invitation', (locale) => invitationEmail({ id: 'm1', invitation, budgetName: 'Home', inviterName: 'Sam', token: 'b1.i1.SECRET', locale })],
  ['report', (locale) => reportEmail(report, 'a@example.com', 'm1', locale ?? undefined)],
  ['budget alert', (locale) => alertEmail(alert, 'a@example.com', locale)],
  ['pace alert', (locale) => paceEmail(pace, 'a@example.com', locale)],
  ['password reset', (locale) => resetEmail('r1', 'a@example.com', 'the.token', 'https://app.example.com/reset?token=', locale)],
  ['email change code', (locale) => codeMail('c1', 'new@example.com', 'code.token', locale)],
  ['email change, address in use', (locale) => addressInUseNotice('c1', 'new@example.com', locale)],
  ['email changed', (locale) => changedNotice('e1', 'old@example.com', 'new@example.com', locale)],
  ['data export ready', (locale) => dataExportReadyMail('x1', 'a@example.com', locale)],
  ['two-factor reset by support', (locale) => mfaResetNotice('e2', account(locale), '2026-07-01T18:30:12.000Z')],
  ['security notice', (locale) => securityNoticeMail({ userId: 'u1', noticeId: 's1', change: 'personal-token-created', at: '2026-07-01T18:30:00.000Z', tokenName: 'CI' }, account(locale))],
  ['sign-in alert', (locale) => signInAlertMail({ userId: 'u1', eventId: 'e3', at: '2026-07-01T18:30:00.000Z', device: 'Safari on macOS', network: '203.0.113.x' }, account(locale))],
  ['webhook disabled', (locale) => disabledEmail(webhook, 'owner@example.com', 'HTTP 500', 'd1', locale)],
];

/** The recipient's profile locale, and the `lang` its mail must declare: the locale when the catalog has its language, else en (the words are English). */
const LANGUAGES: [string | null, string][] = [
  ['de-DE', 'de-DE'],
  ['fr-CA', 'fr-CA'],
  ['es-419', 'es-419'],
  ['en-GB', 'en-GB'],
  [null, 'en'],
  ['ja-JP', 'en'],
];

const CASES = BUILDERS.flatMap(([name, build]) => LANGUAGES.map(([locale, lang]) => [name, locale, lang, build] as const));

describe("every mail's HTML part", () => {
  it.each(CASES)('%s (locale %s): declares lang="%s", its charset and a title, in one document', (_name, locale, lang, build) => {
    const { html } = build(locale);
    expect(html.startsWith(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">`), html.slice(0, 120)).toBe(true);
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toMatch(/<title>[^<]+<\/title>/);
    expect(html).toMatch(/<\/head><body>[\s\S]+<\/body><\/html>$/);
    expect(html.match(/<html|<body/g)).toEqual(['<html', '<body']);
  });

  it.each(BUILDERS.filter(([name]) => name !== 'report'))("%s: its title is the mail's subject, escaped", (_name, build) => {
    const mail = build('de-DE');
    const title = /<title>([^<]*)<\/title>/.exec(mail.html)?.[1];
    expect(title).toBe(mail.subject.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;'));
  });

  it("escapes a user's name in the title (an invitation's budget)", () => {
    const mail = invitationEmail({ id: 'm1', invitation, budgetName: 'A&B <Home>', inviterName: 'Sam', token: 'b1.i1.SECRET' });
    expect(mail.subject).toBe('Join the budget "A&B <Home>"');
    expect(mail.html).toContain('<title>Join the budget &quot;A&amp;B &lt;Home&gt;&quot;</title>');
  });
});
