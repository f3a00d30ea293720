import { describe, expect, it } from 'vitest';
import { addressInUseNotice, changedNotice, codeMail } from './email-change-mail';
import { mfaResetNotice } from './mfa-reset-notice';
import { resetEmail } from './reset-mail';
import { signInAlertMail } from './sign-in-alert-mail';

/**
 * The users module's account mails in the recipient's locale (platform locale-messages.ts): the
 * subject and a key sentence of each written out here by hand, and an unknown language (ja-JP)
 * exactly the English mail (the mail without a locale, which the module's other tests pin).
 */
const signIn = { userId: 'U1', eventId: 'E1', at: '2026-07-01T18:30:00.000Z', device: 'Safari on macOS', network: '203.0.113.x' };
const link = 'https://app.example.com/reset?token=';

/** Every mail of the module for one locale. */
const mails = (locale: string | null) => ({
  reset: resetEmail('r1', 'a@example.com', 'the.token', link, locale),
  resetNoLink: resetEmail('r1', 'a@example.com', 'the.token', undefined, locale),
  code: codeMail('c1', 'new@example.com', 'code.token', locale),
  inUse: addressInUseNotice('c1', 'new@example.com', locale),
  changed: changedNotice('e1', 'old@example.com', 'new@example.com', locale),
  mfa: mfaResetNotice('e2', { email: 'a@example.com', timezone: 'Europe/Berlin', locale }, '2026-07-01T18:30:12.000Z'),
  signIn: signInAlertMail(signIn, { email: 'a@example.com', timezone: 'UTC', locale }),
});

describe("the users module's mails in the recipient's locale", () => {
  it('German', () => {
    const m = mails('de-DE');
    expect(m.reset.subject).toBe('Passwort zurücksetzen');
    expect(m.reset.text).toContain('Der Code funktioniert einmal und läuft in 30 Minuten ab.');
    expect(m.reset.html).toContain(
      `<p>Um ein neues Passwort festzulegen, <a href="${link}the.token">öffnen Sie diesen Link</a> oder geben Sie diesen Code zum Zurücksetzen in der App ein:</p>`,
    );
    expect(m.resetNoLink.text).toContain('Um ein neues Passwort festzulegen, geben Sie diesen Code zum Zurücksetzen in der App ein:\nthe.token\n');
    expect(m.code.subject).toBe('Bestätigen Sie Ihre neue E-Mail-Adresse');
    expect(m.code.html).toContain('<p><code>code.token</code></p>');
    expect(m.code.text).toContain('läuft in 30 Minuten ab');
    expect(m.inUse.subject).toBe('Ihre E-Mail-Adresse wurde nicht geändert');
    expect(m.changed.subject).toBe('Ihre E-Mail-Adresse wurde geändert');
    expect(m.changed.text).toContain('Die E-Mail-Adresse Ihres Kontos in der Budget-App wurde in new@example.com geändert.');
    expect(m.mfa.subject).toBe('Die Zwei-Faktor-Anmeldung wurde vom Support deaktiviert');
    // On the wall clock of the profile's zone, as the sign-in alert (until 2026-12-07: "18:30 UTC").
    expect(m.mfa.text).toContain('wurde die Zwei-Faktor-Anmeldung für Ihr Konto in der Budget-App am 01.07.2026, 20:30 (Europe/Berlin) vom Support deaktiviert.');
    expect(m.signIn.subject).toBe('Neue Anmeldung bei Ihrem Konto in der Budget-App');
    expect(m.signIn.text).toContain('\nWann: 01.07.2026, 18:30 (UTC)\nGerät: Safari on macOS\nNetzwerk: 203.0.113.x (ungefähr)\n');
  });

  it('French, with its no-break spaces', () => {
    const m = mails('fr-FR');
    expect(m.reset.subject).toBe('Réinitialisez votre mot de passe');
    expect(m.reset.text).toContain("Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail\u00A0: votre mot de passe reste inchangé.");
    expect(m.code.subject).toBe('Confirmez votre nouvelle adresse e-mail');
    expect(m.code.text).toContain("Pour confirmer, saisissez ce code dans l'app en étant connecté\u00A0:\ncode.token\n");
    // The HTML part escapes the paragraphs as before: the apostrophe too.
    expect(m.code.html).toContain('<p>Pour confirmer, saisissez ce code dans l&#39;app en étant connecté\u00A0:</p>');
    expect(m.inUse.subject).toBe("Votre adresse e-mail n'a pas été modifiée");
    expect(m.changed.text).toContain("L'adresse e-mail de votre compte de budget a été remplacée par new@example.com.");
    expect(m.mfa.subject).toBe('La connexion à deux facteurs a été désactivée par le support');
    expect(m.signIn.subject).toBe('Nouvelle connexion à votre compte de budget');
    expect(m.signIn.text).toContain('Appareil\u00A0: Safari on macOS');
  });

  it('Spanish', () => {
    const m = mails('es-ES');
    expect(m.reset.subject).toBe('Restablece tu contraseña');
    expect(m.reset.text).toContain('El código funciona una sola vez y caduca en 30 minutos.');
    expect(m.code.subject).toBe('Confirma tu nueva dirección de correo');
    expect(m.inUse.subject).toBe('Tu dirección de correo no se ha cambiado');
    expect(m.changed.subject).toBe('Tu dirección de correo se ha cambiado');
    expect(m.changed.text).toContain('El correo de tu cuenta de presupuestos se ha cambiado a new@example.com.');
    expect(m.mfa.subject).toBe('El soporte ha desactivado el inicio de sesión en dos pasos');
    expect(m.signIn.subject).toBe('Nuevo inicio de sesión en tu cuenta de presupuestos');
    expect(m.signIn.text).toContain('Si fuiste tú, no tienes que hacer nada.');
  });

  it('a language the catalog does not have: the English mail exactly', () => {
    const japanese = mails('ja-JP');
    const english = mails(null);
    // The sign-in alert's and the support reset's times follow the locale itself (Intl), their words are English.
    const { signIn: japaneseSignIn, mfa: japaneseMfa, ...rest } = japanese;
    const { signIn: englishSignIn, mfa: englishMfa, ...englishRest } = english;
    expect(rest).toEqual(englishRest);
    expect(englishMfa.text).toContain('turned off for your budgeting account by support on 2026-07-01 20:30 (Europe/Berlin), at a request');
    expect(japaneseMfa.subject).toBe(englishMfa.subject);
    expect(japanese.reset.subject).toBe('Reset your password');
    expect(japanese.changed.text).toBe(
      'The email of your budgeting account was changed to new@example.com. From now on, sign in with that address; mail about the account goes there.\n\nIf this was not you, someone may know your password: reset it right away with your new address if you can still reach it, and contact support.',
    );
    expect(japaneseSignIn.subject).toBe(englishSignIn.subject);
    expect(japaneseSignIn.text.replace(/^When: .*$/m, '')).toBe(englishSignIn.text.replace(/^When: .*$/m, ''));
  });
});
