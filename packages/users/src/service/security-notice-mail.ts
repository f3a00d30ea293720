import { closedBidi, mailHtml, type EmailMessage, type EmailSender } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { SecurityNoticeUnit } from '../jobs/names';
import type { User } from '../model';
import type { UsersRepository } from '../repository/users.repository';
import { whenIn } from './sign-in-alert-mail';

/**
 * The mail job's work for a security notice (docs/security-notices.md): the account's address
 * is told what changed about who can get into it, when, and what to do if it was not them. A
 * stolen session or password can change these; the mailbox is where the owner hears of it (as
 * Google, GitHub and the banks do). It runs in its own invocation, after the change committed,
 * so the change never waits for it or fails with it; a failed send is sent again by the job
 * (the same message id, `security-<noticeId>`).
 *
 * No opt-out, as the sign-in alert. The address, time zone and locale are the account's when
 * the unit is worked (an email change right after it tells the old address itself); a deleted
 * account gets nothing, nor does a suspended one (docs/support.md "No mail to the user").
 */
export class SecurityNoticeMailer {
  constructor(private readonly d: { users: Pick<UsersRepository, 'getById'>; mail: EmailSender }) {}

  /** The number of mails sent (0 or 1). */
  async work(unit: SecurityNoticeUnit): Promise<number> {
    const user = await this.d.users.getById(unit.userId);
    if (!user || user.suspendedAt) return 0;
    await this.d.mail.send(securityNoticeMail(unit, user));
    return 1;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The mail, plain text and HTML, in the words of the profile's `locale` (platform
 * locale-messages.ts: en, de, fr, es; else English), the time on the profile zone's wall clock.
 * A token's name is the user's own text: its direction closed (a bidi override in it must not
 * turn the sentence around) and escaped in the HTML.
 */
export function securityNoticeMail(unit: SecurityNoticeUnit, user: Pick<User, 'email' | 'timezone' | 'locale'>): EmailMessage {
  const { fill, lang } = localeMessages(user.locale);
  const when = whenIn(unit.at, user.timezone, user.locale);
  const done = doneLine(unit, fill, when);
  // A new credential is deleted by its own route: that comes first, then the password.
  const notYou = unit.removePath !== undefined ? fill('security.email.notYou.credential', { remove: `DELETE ${unit.removePath}` }) : fill('security.email.notYou');
  const lines = [done, '', fill('security.email.ifYou'), '', notYou];
  const subject = fill(`security.email.subject.${unit.change}`);
  const body = lines.filter((l) => l !== '').map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
  return { id: `security-${unit.noticeId}`, to: user.email, subject, text: lines.join('\n'), html: mailHtml(lang, subject, body) };
}

/** What changed and when: a token's name, a webhook's host in their sentences. */
function doneLine(unit: SecurityNoticeUnit, fill: ReturnType<typeof localeMessages>['fill'], when: string): string {
  switch (unit.change) {
    case 'personal-token-created':
      return fill('security.email.done.personal-token-created', { when, name: closedBidi(unit.tokenName ?? '') });
    case 'webhook-created':
      return fill('security.email.done.webhook-created', { when, host: unit.host ?? '' });
    default:
      return fill(`security.email.done.${unit.change}`, { when });
  }
}
