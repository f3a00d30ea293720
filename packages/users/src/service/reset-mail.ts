import { epochSeconds, mailHtml, type Clock, type EmailMessage, type EmailSender } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { ResetMailUnit } from '../jobs/names';
import type { ResetsRepository } from '../repository/resets.repository';
import type { UsersRepository } from '../repository/users.repository';
import type { ResetTokens } from './reset-tokens';

/** How long a reset token works after it was requested. */
export const RESET_TTL_SECONDS = 30 * 60;

/**
 * The mail job's work for one password-reset request (runs in its own invocation, never in
 * the request): an email without an account gets nothing; otherwise the reset is written
 * (the profile's session epoch recorded, expiring 30 minutes after the request) and its token
 * mailed. Idempotent: a redelivered unit finds the reset its first delivery wrote and sends
 * the same mail again (same token, same message id), unless the reset was used meanwhile.
 */
export class PasswordResetMailer {
  constructor(
    private readonly d: {
      users: UsersRepository;
      resets: ResetsRepository;
      tokens: ResetTokens;
      mail: EmailSender;
      /** PASSWORD_RESET_URL: the token is appended to it; absent, the mail gives the token only. */
      resetUrl?: string;
      /** When the job runs (the tick is the request's time). */
      clock: Clock;
    },
  ) {}

  /** `now`: the request's time (the unit's tick). The number of mails sent (0 or 1). */
  async work(unit: ResetMailUnit, now: Date): Promise<number> {
    // Run late (a backlog, a retry, a dead letter replayed): the code expires 30 minutes after the
    // request, so the mail states the whole minutes it has left, not the 30 partly spent. Less than
    // one left (or none): the code would be dead on arrival; nothing is written or sent (the user asks again).
    const minutesLeft = Math.floor((epochSeconds(now) + RESET_TTL_SECONDS - epochSeconds(this.d.clock.now())) / 60);
    if (minutesLeft < 1) return 0;
    const user = await this.d.users.findByEmail(unit.email);
    // A suspended account gets nothing either (its request was answered as anyone's): the
    // reset could not be confirmed, and the mailbox may be a fraudster's.
    if (!user || user.suspendedAt) return 0;
    const created = await this.d.resets.create({
      resetId: unit.resetId,
      userId: user.id,
      epoch: user.sessionEpoch,
      email: user.email,
      createdAt: now.toISOString(),
      expiresAt: epochSeconds(now) + RESET_TTL_SECONDS,
    });
    if (created === 'exists') {
      const earlier = await this.d.resets.get(unit.resetId);
      if (!earlier || earlier.usedAt || earlier.userId !== user.id) return 0;
    }
    await this.d.mail.send(resetEmail(unit.resetId, user.email, this.d.tokens.tokenFor(unit.resetId), this.d.resetUrl, user.locale, Math.min(minutesLeft, RESET_TTL_SECONDS / 60)));
    return 1;
  }
}

/**
 * The mail: what it is, the token (and the link, if configured), its lifetime (`minutes`: what is
 * left of it when the job runs; 30 when it runs at once), and "ignore it if it was not you", in the words of the account's profile `locale` (platform locale-messages.ts:
 * en, de, fr, es; any other language or none: English, byte for byte the text before locales).
 */
export function resetEmail(resetId: string, to: string, token: string, resetUrl?: string, locale?: string | null, minutes = RESET_TTL_SECONDS / 60): EmailMessage {
  const { fill, lang } = localeMessages(locale);
  const link = resetUrl ? `${resetUrl}${encodeURIComponent(token)}` : undefined;
  const asked = fill('reset.email.asked');
  const expires = fill('reset.email.expires', { minutes });
  const notYou = fill('reset.email.notYou');
  const text = [
    asked,
    '',
    ...(link ? [fill('reset.email.openLink'), link, '', fill('reset.email.orCode')] : [fill('reset.email.codeOnly')]),
    token,
    '',
    expires,
    '',
    notYou,
  ].join('\n');
  // The catalog's words hold no markup character (an apostrophe in text content needs no escape); the link and token are escaped.
  const subject = fill('reset.email.subject');
  const body = [
    `<p>${asked}</p>`,
    link
      ? `<p>${fill('reset.email.linkHtml', { link: `<a href="${escapeHtml(link)}">${fill('reset.email.linkLabel')}</a>` })}</p>`
      : `<p>${fill('reset.email.codeOnly')}</p>`,
    `<p><code>${escapeHtml(token)}</code></p>`,
    `<p>${expires}</p>`,
    `<p>${notYou}</p>`,
  ].join('\n');
  return { id: `password-reset-${resetId}`, to, subject, text, html: mailHtml(lang, subject, body) };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** The configured URL is the operator's, but it still goes into an attribute: escaped. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
