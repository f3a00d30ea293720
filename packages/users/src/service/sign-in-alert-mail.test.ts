import { describe, expect, it } from 'vitest';
import { signInAlertMail, whenIn } from './sign-in-alert-mail';

const unit = { userId: 'U1', eventId: 'E1', at: '2026-07-01T18:30:00.000Z', device: 'Safari on macOS', network: '203.0.113.x' };

describe('the sign-in alert mail', () => {
  it('says when in the profile zone: plain without a locale, the locale form with one', () => {
    expect(whenIn(unit.at, 'UTC', null)).toBe('2026-07-01 18:30 (UTC)');
    expect(whenIn(unit.at, 'America/New_York', null)).toBe('2026-07-01 14:30 (America/New_York)');
    expect(whenIn(unit.at, 'Europe/Berlin', 'de-DE')).toBe('01.07.2026, 20:30 (Europe/Berlin)');
    // A zone the runtime does not know: UTC, named.
    expect(whenIn(unit.at, 'Mars/Olympus', null)).toBe('2026-07-01 18:30 (UTC)');
  });

  it('names the device, the network and what to do; text and HTML; its id is the event\'s', () => {
    const mail = signInAlertMail(unit, { email: 'a@example.com', timezone: 'UTC', locale: null });
    expect(mail).toMatchObject({ id: 'sign-in-alert-E1', to: 'a@example.com', subject: 'New sign-in to your budgeting account' });
    for (const part of [mail.text, mail.html!]) {
      expect(part).toContain('Safari on macOS');
      expect(part).toContain('203.0.113.x');
      expect(part).toContain('2026-07-01 18:30 (UTC)');
      expect(part).toContain('change your password');
      expect(part).toContain('GET /v1/me/sessions');
    }
  });

  it('escapes the device in the HTML part', () => {
    const mail = signInAlertMail({ ...unit, device: 'a<b>&"c' }, { email: 'a@example.com', timezone: 'UTC', locale: null });
    expect(mail.html).toContain('a&#60;b&#62;&#38;&#34;c');
    expect(mail.html).not.toContain('<b>');
  });
});
