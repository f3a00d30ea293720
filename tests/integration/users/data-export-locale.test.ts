import { describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { commandsSentDuring } from '../../support/sent-commands';
import { mailingFanOutSuite } from '../jobs/support';

/**
 * The email that a data export is ready, in the user's profile `locale` (PATCH /v1/me): German
 * words for de-DE, the text before locales without one. The locale comes with the profile read
 * that fetches the address already: the export (its units and the mail) sends the same DynamoDB
 * requests with a locale as without. Expected texts written out by hand.
 */
const fan = mailingFanOutSuite();
const { mail } = fan;

/** Starts `who`'s export and waits for it to be over, recording the requests of the start and of its units. */
async function exportOf(who: Actor) {
  const run = await commandsSentDuring(fan.s.t.doc, async () => {
    const start = await as(fan.s.t.app, who)('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    await fan.s.queue.idle();
    return start.json.id as string;
  });
  const done = await as(fan.s.t.app, who)('GET', `/v1/me/exports/${run.result}`);
  expect(done.json.status).toBe('succeeded');
  return { exportId: run.result, ...run };
}

describe("the data export's email in the user's locale", { timeout: 120_000 }, () => {
  it('a de-DE user is mailed German words, a user without a locale the text before locales; the same requests for both', async () => {
    const [gerda, pat] = await Promise.all([signUp(fan.s.t.app, 'export-locale-gerda'), signUp(fan.s.t.app, 'export-locale-pat')]);
    const patched = await as(fan.s.t.app, gerda)('PATCH', '/v1/me', { body: { locale: 'de-DE' } });
    expect(patched.status, patched.text).toBe(200);

    const german = await exportOf(gerda);
    const plain = await exportOf(pat);

    const mailTo = (who: Actor) => mail.filter((m) => m.to === who.email);
    expect(mailTo(gerda)).toEqual([
      {
        id: `data-export-${german.exportId}`,
        to: gerda.email,
        subject: 'Ihr Datenexport ist bereit',
        text:
          'Ihr Datenexport aus der Budget-App ist bereit.\n\n' +
          `Melden Sie sich in der App an, um ihn herunterzuladen (Export ${german.exportId}). Er wird 7 Tage lang aufbewahrt.\n` +
          'Falls Sie ihn nicht angefordert haben, ändern Sie Ihr Passwort und beenden Sie Ihre anderen Sitzungen.\n',
        // In the mails' one shell, declaring the language of its words (platform mail-html.ts).
        html:
          '<!doctype html><html lang="de-DE"><head><meta charset="utf-8"><title>Ihr Datenexport ist bereit</title></head><body>\n' +
          '<p>Ihr Datenexport aus der Budget-App ist bereit.</p>' +
          `<p>Melden Sie sich in der App an, um ihn herunterzuladen (Export ${german.exportId}). Er wird 7 Tage lang aufbewahrt.</p>` +
          '<p>Falls Sie ihn nicht angefordert haben, ändern Sie Ihr Passwort und beenden Sie Ihre anderen Sitzungen.</p>' +
          '\n</body></html>',
      },
    ]);
    expect(mailTo(pat)).toEqual([
      {
        id: `data-export-${plain.exportId}`,
        to: pat.email,
        subject: 'Your data export is ready',
        text:
          'Your budgeting data export is ready.\n\n' +
          `Sign in to the app to download it (export ${plain.exportId}). It is kept for 7 days.\n` +
          'If you did not ask for it, change your password and end your other sessions.\n',
        html:
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your data export is ready</title></head><body>\n' +
          '<p>Your budgeting data export is ready.</p>' +
          `<p>Sign in to the app to download it (export ${plain.exportId}). It is kept for 7 days.</p>` +
          '<p>If you did not ask for it, change your password and end your other sessions.</p>' +
          '\n</body></html>',
      },
    ]);

    // The same requests with a locale as without (the profile read for the address has it).
    expect(german.commands.length).toBeGreaterThan(0);
    expect([...german.commands].sort()).toEqual([...plain.commands].sort());
    const profileReads = (run: typeof german, who: Actor) => run.sent.filter((c) => JSON.stringify(c.input).includes(`users#user#${who.id}`)).map((c) => c.name);
    expect(profileReads(german, gerda)).toContain('GetItemCommand');
    expect(profileReads(german, gerda)).toEqual(profileReads(plain, pat));
  });
});
