import type { EmailMessage } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { MailJobParts } from '../jobs/mail-job';
import type { SecurityNoticeUnit } from '../jobs/names';
import { securityNoticeMailJob } from '../jobs/security-notice-mail-job';
import type { User } from '../model';
import { SecurityNoticeMailer, securityNoticeMail } from './security-notice-mail';

const unit: SecurityNoticeUnit = { userId: 'U1', noticeId: 'N1', change: 'personal-token-created', at: '2026-12-07T21:30:00.000Z', tokenName: 'Sync' };
const profile = { email: 'ada@example.com', timezone: 'UTC', locale: null } as const;

/** A mailer over one stored account (or none), recording what it sends. */
function mailerFor(user: Partial<User> | undefined) {
  const sent: EmailMessage[] = [];
  const mailer = new SecurityNoticeMailer({ users: { getById: async () => (user ?? null) as User | null }, mail: { send: async (m) => void sent.push(m) } });
  return { mailer, sent };
}

describe('the security notice mail', () => {
  it('goes to the account as it is when worked; a deleted or suspended account gets nothing', async () => {
    const live = mailerFor({ ...profile, id: 'U1' });
    expect(await live.mailer.work(unit)).toBe(1);
    expect(live.sent.map((m) => [m.id, m.to])).toEqual([['security-N1', 'ada@example.com']]);
    for (const user of [undefined, { ...profile, id: 'U1', suspendedAt: '2026-12-07T21:31:00.000Z' }]) {
      const { mailer, sent } = mailerFor(user);
      expect(await mailer.work(unit)).toBe(0);
      expect(sent).toEqual([]);
    }
  });

  it("closes a bidi override in the token's name and escapes it in the HTML", () => {
    const mail = securityNoticeMail({ ...unit, tokenName: '\u202Egnp.exe <b>' }, profile);
    expect(mail.text).toContain('named “\u202Egnp.exe <b>\u202C” was created');
    expect(mail.html).toContain('\u202Egnp.exe &#60;b&#62;\u202C');
    expect(mail.html).not.toContain('<b>');
  });

  it('speaks the profile locale, and English for a language without a catalog', () => {
    const off = { ...unit, change: 'two-factor-off' as const };
    expect(securityNoticeMail(off, { ...profile, locale: 'es-MX' }).subject).toBe('Se ha desactivado el inicio de sesión en dos pasos');
    expect(securityNoticeMail(off, { ...profile, locale: 'fr-CA' }).subject).toBe('La connexion à deux facteurs a été désactivée');
    expect(securityNoticeMail(off, { ...profile, locale: 'ja-JP' }).subject).toBe('Two-factor sign-in was turned off');
  });
});

describe('the security notice unit', () => {
  const job = securityNoticeMailJob({} as MailJobParts, { send: async () => undefined });

  it('reads what a change wrote', async () => {
    expect(await job.parseUnit(unit)).toEqual(unit);
    const { tokenName: _name, ...changed } = { ...unit, change: 'password-changed' as const };
    expect(await job.parseUnit({ ...changed, tokenName: 'ignored' })).toEqual(changed);
  });

  it('refuses an unknown change, a token notice without its name, and a bad time', async () => {
    await expect(async () => job.parseUnit({ ...unit, change: 'password-guessed' })).rejects.toThrow(/a known change/);
    await expect(async () => job.parseUnit({ ...unit, tokenName: undefined })).rejects.toThrow(/its name/);
    await expect(async () => job.parseUnit({ ...unit, at: 'yesterday' })).rejects.toThrow(/`at`/);
  });

  const webhook: SecurityNoticeUnit = { userId: 'U1', noticeId: 'N2', change: 'webhook-created', at: '2026-12-07T21:30:00.000Z', removePath: '/v1/webhooks/W1', host: 'hooks.example.com' };
  const feed: SecurityNoticeUnit = { userId: 'U1', noticeId: 'N3', change: 'calendar-feed-created', at: '2026-12-07T21:30:00.000Z', removePath: '/v1/budgets/B1/calendar-feeds/F1' };

  it("a new webhook's or calendar feed's notice names the host and the route that deletes it, in each locale; a deleted or suspended account gets nothing", async () => {
    for (const locale of [null, 'de-DE', 'fr-FR', 'es-ES']) {
      const hook = securityNoticeMail(webhook, { ...profile, locale });
      expect(hook.text).toContain('hooks.example.com');
      expect(hook.text).toContain('DELETE /v1/webhooks/W1');
      expect(securityNoticeMail(feed, { ...profile, locale }).text).toContain('DELETE /v1/budgets/B1/calendar-feeds/F1');
    }
    expect(securityNoticeMail(webhook, profile).subject).toBe('A webhook was added to your account');
    expect(securityNoticeMail(feed, { ...profile, locale: 'fr-FR' }).subject).toBe('Un flux de calendrier a été créé');
    for (const user of [undefined, { ...profile, id: 'U1', suspendedAt: '2026-12-07T21:31:00.000Z' }]) {
      const { mailer, sent } = mailerFor(user);
      expect(await mailer.work(webhook)).toBe(0);
      expect(await mailer.work(feed)).toBe(0);
      expect(sent).toEqual([]);
    }
  });

  it('reads what a credential\'s create wrote, and refuses one without the route that deletes it', async () => {
    expect(await job.parseUnit(webhook)).toEqual(webhook);
    expect(await job.parseUnit(feed)).toEqual(feed);
    await expect(async () => job.parseUnit({ ...webhook, removePath: '/v1/me' })).rejects.toThrow(/deletes it/);
    await expect(async () => job.parseUnit({ ...webhook, host: 'evil host <b>' })).rejects.toThrow(/deletes it/);
  });
});
