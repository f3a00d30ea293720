import { dateInTimeZone, isTimeZone, mailHtml, timeInTimeZone, type EmailMessage, type EmailSender } from '@budgeting/platform';
import { localeMessages, type LocaleMessages } from '@budgeting/platform/locale-messages';
import type { DeviceParts } from '../domain/sign-in-place';
import type { SignInAlertUnit } from '../jobs/names';
import type { User } from '../model';
import type { UsersRepository } from '../repository/users.repository';

/**
 * The mail job's work for a sign-in from a new place (user.signed_in_from_new_place, queued by
 * the users-sign-in-alert subscriber): the account's address is told when, on what device and
 * from roughly which network, and what to do if it was not them. It runs in its own invocation,
 * after the sign-in committed, so the login never waits for it or fails with it; a failed
 * send is sent again by the job (the same message id, `sign-in-alert-<eventId>`).
 *
 * No opt-out: it is the only sign a stolen password gives its owner (as Google's and GitHub's).
 * The address, time zone and locale are the account's when the unit is worked; a deleted
 * or suspended account gets nothing. Never a token: the mail names no session and carries no link that signs in.
 */
export class SignInAlertMailer {
  constructor(private readonly d: { users: Pick<UsersRepository, 'getById'>; mail: EmailSender }) {}

  /** The number of mails sent (0 or 1). */
  async work(unit: SignInAlertUnit): Promise<number> {
    const user = await this.d.users.getById(unit.userId);
    // Suspended since the sign-in: nothing, as the reset's and the two-factor reset's mails
    // (support.md "No mail to the user": in a fraud case it would warn the thief, and it would
    // tell the owner to change a password no suspended account can change).
    if (!user || user.suspendedAt) return 0;
    await this.d.mail.send(signInAlertMail(unit, user));
    return 1;
  }
}

/**
 * When, on the wall clock of the profile's time zone: in its locale's medium date and short
 * time when the profile has one, else "YYYY-MM-DD HH:MM"; the zone named either way.
 */
export function whenIn(at: string, timezone: string, locale: string | null): string {
  const instant = new Date(at);
  const zone = isTimeZone(timezone) ? timezone : 'UTC';
  if (locale) {
    try {
      return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(instant)} (${zone})`;
    } catch {
      // A stored locale Intl no longer takes: the plain form below.
    }
  }
  return `${dateInTimeZone(instant, zone)} ${timeInTimeZone(instant, zone)} (${zone})`;
}

/**
 * A device in the recipient's words, from its parts: the browser, product and OS names as they
 * are, the rest from the catalog ("Chrome unter Windows", "une app sous Android", "un
 * dispositivo desconocido"). In English these are exactly domain/sign-in-place.ts's
 * `englishDevice` (sign-in-alert-mail.test.ts holds the two together).
 */
export function deviceWords(parts: DeviceParts, fill: LocaleMessages['fill']): string {
  if (parts.family !== undefined) return parts.os ? fill('signIn.device.onOs', { family: parts.family, os: parts.os }) : parts.family;
  if (parts.kind === 'app') return parts.os ? fill('signIn.device.appOnOs', { os: parts.os }) : fill('signIn.device.app');
  return parts.os ? fill('signIn.device.unknownAppOnOs', { os: parts.os }) : fill('signIn.device.unknown');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The mail: plain text and HTML, as the module's other mails, in the words of the profile's
 * `locale` (platform locale-messages.ts: en, de, fr, es; any other language or none: English,
 * byte for byte the text before locales).
 */
export function signInAlertMail(unit: SignInAlertUnit, user: Pick<User, 'email' | 'timezone' | 'locale'>): EmailMessage {
  const { fill, lang } = localeMessages(user.locale);
  const lines = [
    fill('signIn.email.intro'),
    '',
    fill('signIn.email.when', { when: whenIn(unit.at, user.timezone, user.locale) }),
    fill('signIn.email.device', { device: unit.deviceParts ? deviceWords(unit.deviceParts, fill) : unit.device }),
    fill('signIn.email.network', { network: unit.network }),
    '',
    fill('signIn.email.ifYou'),
    '',
    fill('signIn.email.notYou'),
  ];
  // The device comes from a client's User-Agent (reduced to a product name and an OS): escaped in the HTML.
  const subject = fill('signIn.email.subject');
  const body = lines.filter((l) => l !== '').map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
  return { id: `sign-in-alert-${unit.eventId}`, to: user.email, subject, text: lines.join('\n'), html: mailHtml(lang, subject, body) };
}
