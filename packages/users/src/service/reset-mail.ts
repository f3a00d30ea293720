import { epochSeconds, type EmailMessage, type EmailSender } from '@budgeting/platform';
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
    },
  ) {}

  /** `now`: the request's time (the unit's tick). The number of mails sent (0 or 1). */
  async work(unit: ResetMailUnit, now: Date): Promise<number> {
    const user = await this.d.users.findByEmail(unit.email);
    if (!user) return 0;
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
    await this.d.mail.send(resetEmail(unit.resetId, user.email, this.d.tokens.tokenFor(unit.resetId), this.d.resetUrl));
    return 1;
  }
}

/** The mail: what it is, the token (and the link, if configured), its lifetime, and "ignore it if it was not you". */
export function resetEmail(resetId: string, to: string, token: string, resetUrl?: string): EmailMessage {
  const link = resetUrl ? `${resetUrl}${encodeURIComponent(token)}` : undefined;
  const minutes = RESET_TTL_SECONDS / 60;
  const text = [
    'Someone (hopefully you) asked to reset the password of your budgeting account.',
    '',
    ...(link ? ['To choose a new password, open this link:', link, '', 'or enter this reset code in the app:'] : ['To choose a new password, enter this reset code in the app:']),
    token,
    '',
    `The code works once and expires in ${minutes} minutes. Choosing a new password signs you out everywhere.`,
    '',
    'If you did not ask for this, ignore this mail: your password stays as it is.',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    '<p>Someone (hopefully you) asked to reset the password of your budgeting account.</p>',
    link
      ? `<p>To choose a new password, <a href="${escapeHtml(link)}">open this link</a>, or enter this reset code in the app:</p>`
      : '<p>To choose a new password, enter this reset code in the app:</p>',
    `<p><code>${escapeHtml(token)}</code></p>`,
    `<p>The code works once and expires in ${minutes} minutes. Choosing a new password signs you out everywhere.</p>`,
    '<p>If you did not ask for this, ignore this mail: your password stays as it is.</p>',
    '</body></html>',
  ].join('\n');
  return { id: `password-reset-${resetId}`, to, subject: 'Reset your password', text, html };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** The configured URL is the operator's, but it still goes into an attribute: escaped. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
