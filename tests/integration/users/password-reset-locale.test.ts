import { describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { call } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import { mailingFanOutSuite } from '../jobs/support';

/**
 * The password reset mail in the account's profile `locale` (PATCH /v1/me): German words for
 * de-DE, the text before locales without one. The locale comes with the lookup of the address
 * the mail job does already: a reset sends the same DynamoDB requests with a locale as without.
 * Expected texts written out by hand.
 */
const fan = mailingFanOutSuite();
const { mail } = fan;

/** Requests a reset of `who`'s password and waits for its mail job, recording the requests of both. */
async function resetOf(who: Actor) {
  return commandsSentDuring(fan.s.t.doc, async () => {
    const res = await call(fan.s.t.app, 'POST', '/v1/auth/password-reset', { body: { email: who.email } });
    expect(res.status, res.text).toBe(202);
    await fan.s.queue.idle();
  });
}

describe("the password reset mail in the account's locale", { timeout: 120_000 }, () => {
  it('a de-DE account is mailed German words, an account without a locale the text before locales; the same requests for both', async () => {
    const [gerda, pat] = await Promise.all([signUp(fan.s.t.app, 'reset-locale-gerda'), signUp(fan.s.t.app, 'reset-locale-pat')]);
    const patched = await as(fan.s.t.app, gerda)('PATCH', '/v1/me', { body: { locale: 'de-DE' } });
    expect(patched.status, patched.text).toBe(200);

    const german = await resetOf(gerda);
    const plain = await resetOf(pat);

    const [toGerda, ...moreToGerda] = mail.filter((m) => m.to === gerda.email);
    expect(moreToGerda).toEqual([]);
    const gerdaToken = /\n([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\n/.exec(toGerda!.text)![1]!;
    expect(toGerda).toMatchObject({ subject: 'Passwort zurücksetzen' });
    expect(toGerda!.text).toBe(
      'Jemand (hoffentlich Sie) hat angefordert, das Passwort Ihres Kontos in der Budget-App zurückzusetzen.\n\n' +
        'Um ein neues Passwort festzulegen, geben Sie diesen Code zum Zurücksetzen in der App ein:\n' +
        `${gerdaToken}\n\n` +
        'Der Code funktioniert einmal und läuft in 30 Minuten ab. Mit einem neuen Passwort werden Sie überall abgemeldet.\n\n' +
        'Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
    );
    expect(toGerda!.html).toContain('<p>Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.</p>');

    const [toPat] = mail.filter((m) => m.to === pat.email);
    expect(toPat).toMatchObject({ subject: 'Reset your password' });
    expect(toPat!.text).toContain('\n\nThe code works once and expires in 30 minutes. Choosing a new password signs you out everywhere.\n\n');

    // The same requests with a locale as without (the job's lookup of the address has it).
    expect(german.commands.length).toBeGreaterThan(0);
    expect([...german.commands].sort()).toEqual([...plain.commands].sort());
  });
});
