import { describe, expect, it } from 'vitest';
import { dataExportReadyMail } from './data-export-mail';

/** The texts written out by hand: English exactly as before locales, the others as the catalog should word them. */
describe('the data export ready email', () => {
  const EXPORT = '01JEXPORT7KQ';

  it('without a locale (or in a language the catalog lacks) is the text before locales, byte for byte', () => {
    const before = {
      id: `data-export-${EXPORT}`,
      to: 'ada@example.com',
      subject: 'Your data export is ready',
      text:
        'Your budgeting data export is ready.\n\n' +
        'Sign in to the app to download it (export 01JEXPORT7KQ). It is kept for 7 days.\n' +
        'If you did not ask for it, change your password and end your other sessions.\n',
      html:
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your data export is ready</title></head><body>\n' +
        '<p>Your budgeting data export is ready.</p><p>Sign in to the app to download it (export 01JEXPORT7KQ). It is kept for 7 days.</p><p>If you did not ask for it, change your password and end your other sessions.</p>' +
        '\n</body></html>',
    };
    expect(dataExportReadyMail(EXPORT, 'ada@example.com', null)).toEqual(before);
    expect(dataExportReadyMail(EXPORT, 'ada@example.com', undefined)).toEqual(before);
    expect(dataExportReadyMail(EXPORT, 'ada@example.com', 'ja-JP')).toEqual(before);
    // English words for en-GB too, its HTML declaring the locale's own English.
    expect(dataExportReadyMail(EXPORT, 'ada@example.com', 'en-GB')).toEqual({ ...before, html: before.html.replace('<html lang="en">', '<html lang="en-GB">') });
  });

  it('in German for de-AT', () => {
    const mail = dataExportReadyMail(EXPORT, 'ada@example.com', 'de-AT');
    expect(mail.id).toBe('data-export-01JEXPORT7KQ');
    expect(mail.subject).toBe('Ihr Datenexport ist bereit');
    expect(mail.text).toBe(
      'Ihr Datenexport aus der Budget-App ist bereit.\n\n' +
        'Melden Sie sich in der App an, um ihn herunterzuladen (Export 01JEXPORT7KQ). Er wird 7 Tage lang aufbewahrt.\n' +
        'Falls Sie ihn nicht angefordert haben, ändern Sie Ihr Passwort und beenden Sie Ihre anderen Sitzungen.\n',
    );
    expect(mail.html).toBe(
      '<!doctype html><html lang="de-AT"><head><meta charset="utf-8"><title>Ihr Datenexport ist bereit</title></head><body>\n' +
        '<p>Ihr Datenexport aus der Budget-App ist bereit.</p><p>Melden Sie sich in der App an, um ihn herunterzuladen (Export 01JEXPORT7KQ). Er wird 7 Tage lang aufbewahrt.</p><p>Falls Sie ihn nicht angefordert haben, ändern Sie Ihr Passwort und beenden Sie Ihre anderen Sitzungen.</p>' +
        '\n</body></html>',
    );
  });

  it('in French for fr-CA and Spanish for es-419', () => {
    const fr = dataExportReadyMail(EXPORT, 'ada@example.com', 'fr-CA');
    expect(fr.subject).toBe('Votre export de données est prêt');
    expect(fr.text).toBe(
      'Votre export de données de budget est prêt.\n\n' +
        "Connectez-vous à l'app pour le télécharger (export 01JEXPORT7KQ). Il est conservé 7 jours.\n" +
        "Si vous ne l'avez pas demandé, changez votre mot de passe et fermez vos autres sessions.\n",
    );
    const es = dataExportReadyMail(EXPORT, 'ada@example.com', 'es-419');
    expect(es.subject).toBe('Tu exportación de datos está lista');
    expect(es.html).toBe(
      '<!doctype html><html lang="es-419"><head><meta charset="utf-8"><title>Tu exportación de datos está lista</title></head><body>\n' +
        '<p>Tu exportación de datos de presupuesto está lista.</p><p>Inicia sesión en la app para descargarla (exportación 01JEXPORT7KQ). Se conserva 7 días.</p><p>Si no la has pedido, cambia tu contraseña y cierra tus otras sesiones.</p>' +
        '\n</body></html>',
    );
  });
});
