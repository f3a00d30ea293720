import { mailHtml, type EmailMessage, type EmailSender } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { MfaResetNoticeUnit } from '../jobs/names';
import type { User } from '../model';
import type { UsersRepository } from '../repository/users.repository';
import { whenIn } from './sign-in-alert-mail';

/**
 * The mail job's work for a support reset of two-factor sign-in (service/mfa-operator-reset.ts):
 * the account's address is told what support did and what to do if it was not them. It runs
 * in its own invocation, from the reset's own event, so a failed send is sent again by the job
 * (the same message id) instead of being logged and lost as when the operation mailed it.
 *
 * The address (and the locale, the mail's language) is the account's when the unit is worked: the reset does not change it, and an
 * email change right after it tells the old address itself (user.email_changed's notice). A
 * deleted account gets nothing, nor does one suspended after the reset, before the mail went
 * (the suspension's rule: no mail to the user; a reset of an account already suspended queues
 * no unit at all: subscriptions/mfa-reset-notice.ts).
 */
export class MfaResetNoticeMailer {
  constructor(private readonly d: { users: Pick<UsersRepository, 'getById'>; mail: EmailSender }) {}

  /** The number of mails sent (0 or 1). */
  async work(unit: MfaResetNoticeUnit): Promise<number> {
    const user = await this.d.users.getById(unit.userId);
    if (!user || user.suspendedAt) return 0;
    await this.d.mail.send(mfaResetNotice(unit.eventId, user, unit.at));
    return 1;
  }
}

/**
 * To the account's address: what support did, what it ended, and what to do if it was not you,
 * in the words of the profile's `locale` (platform locale-messages.ts: en, de, fr, es; any other
 * language or none: English). When: on the wall clock of the profile's time zone, in its
 * locale's date and time, the zone named, as the sign-in alert and the security notices say it
 * (until 2026-12-07 "2026-07-01 18:30 UTC", which a reader far from UTC had to convert). The
 * catalog's words and Intl's dates hold no markup character: nothing to escape.
 */
export function mfaResetNotice(eventId: string, user: Pick<User, 'email' | 'timezone' | 'locale'>, at: string): EmailMessage {
  const { fill, lang } = localeMessages(user.locale);
  const lines = [
    fill('mfaReset.email.done', { when: whenIn(at, user.timezone, user.locale) }),
    '',
    fill('mfaReset.email.signedOut'),
    '',
    fill('mfaReset.email.notYou'),
  ];
  const subject = fill('mfaReset.email.subject');
  const body = lines.filter((l) => l !== '').map((l) => `<p>${l}</p>`).join('\n');
  return { id: `mfa-reset-${eventId}`, to: user.email, subject, text: lines.join('\n'), html: mailHtml(lang, subject, body) };
}
