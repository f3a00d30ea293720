import { describe, expect, it } from 'vitest';
import { localeMessages } from '@budgeting/platform/locale-messages';
import { englishDevice, type DeviceParts } from '../domain/sign-in-place';
import { deviceWords, signInAlertMail, whenIn } from './sign-in-alert-mail';

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

describe("the sign-in alert's device in the recipient's words, from the event's parts", () => {
  const chrome: DeviceParts = { family: 'Chrome', os: 'Windows' };
  const appOnAndroid: DeviceParts = { kind: 'app', os: 'Android' };
  const curl: DeviceParts = { family: 'curl' };
  const unknown: DeviceParts = { kind: 'unknown' };
  const deviceLine = (parts: DeviceParts, locale: string | null) =>
    signInAlertMail({ ...unit, device: englishDevice(parts), deviceParts: parts }, { email: 'a@example.com', timezone: 'UTC', locale }).text.split('\n')[3];

  it('German', () => {
    expect(deviceLine(chrome, 'de-DE')).toBe('Gerät: Chrome unter Windows');
    expect(deviceLine(appOnAndroid, 'de-DE')).toBe('Gerät: eine App unter Android');
    expect(deviceLine(curl, 'de-DE')).toBe('Gerät: curl');
    expect(deviceLine(unknown, 'de-DE')).toBe('Gerät: ein unbekanntes Gerät');
    expect(deviceLine({ kind: 'unknown', os: 'Android' }, 'de-AT')).toBe('Gerät: eine unbekannte App unter Android');
    expect(deviceLine({ kind: 'app' }, 'de')).toBe('Gerät: eine App');
  });

  it('French, with its no-break space', () => {
    expect(deviceLine(chrome, 'fr-FR')).toBe('Appareil\u00A0: Chrome sous Windows');
    expect(deviceLine(appOnAndroid, 'fr-FR')).toBe('Appareil\u00A0: une app sous Android');
    expect(deviceLine(curl, 'fr-FR')).toBe('Appareil\u00A0: curl');
    expect(deviceLine(unknown, 'fr-CA')).toBe('Appareil\u00A0: un appareil inconnu');
    expect(deviceLine({ kind: 'unknown', os: 'iOS' }, 'fr')).toBe('Appareil\u00A0: une app inconnue sous iOS');
  });

  it('Spanish', () => {
    expect(deviceLine(chrome, 'es-ES')).toBe('Dispositivo: Chrome en Windows');
    expect(deviceLine(appOnAndroid, 'es-ES')).toBe('Dispositivo: una app en Android');
    expect(deviceLine(curl, 'es-MX')).toBe('Dispositivo: curl');
    expect(deviceLine(unknown, 'es-ES')).toBe('Dispositivo: un dispositivo desconocido');
    expect(deviceLine({ kind: 'app' }, 'es')).toBe('Dispositivo: una app');
  });

  it('English (and a language the catalog lacks): the hashed English words, byte for byte', () => {
    const shapes: [DeviceParts, string][] = [
      [chrome, 'Chrome on Windows'],
      [appOnAndroid, 'an app on Android'],
      [{ kind: 'app' }, 'an app'],
      [{ kind: 'unknown', os: 'macOS' }, 'an unknown app on macOS'],
      [curl, 'curl'],
      [unknown, 'an unknown device'],
    ];
    for (const [parts, english] of shapes) {
      expect(deviceWords(parts, localeMessages(null).fill)).toBe(english);
      expect(englishDevice(parts)).toBe(english);
      expect(deviceLine(parts, null)).toBe(`Device: ${english}`);
      expect(deviceLine(parts, 'ja-JP')).toBe(`Device: ${english}`);
    }
  });

  it('an event from before the parts: the English device string as it is, in any language', () => {
    expect(signInAlertMail(unit, { email: 'a@example.com', timezone: 'UTC', locale: 'de-DE' }).text).toContain('\nGerät: Safari on macOS\n');
    expect(signInAlertMail(unit, { email: 'a@example.com', timezone: 'UTC', locale: null }).text).toContain('\nDevice: Safari on macOS\n');
  });

  it('escapes a product name in the HTML part', () => {
    const mail = signInAlertMail({ ...unit, device: 'x', deviceParts: { family: 'a<b>', os: 'Linux' } }, { email: 'a@example.com', timezone: 'UTC', locale: 'de' });
    expect(mail.html).toContain('<p>Gerät: a&#60;b&#62; unter Linux</p>');
  });
});
