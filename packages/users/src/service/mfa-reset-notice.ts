import type { EmailMessage, EmailSender } from '@budgeting/platform';
import type { MfaResetNoticeUnit } from '../jobs/names';
import type { UsersRepository } from '../repository/users.repository';

/**
 * The mail job's work for a support reset of two-factor sign-in (service/mfa-operator-reset.ts):
 * the account's address is told what support did and what to do if it was not them. It runs
 * in its own invocation, from the reset's own event, so a failed send is sent again by the job
 * (the same message id) instead of being logged and lost as when the operation mailed it.
 *
 * The address is the account's when the unit is worked: the reset does not change it, and an
 * email change right after it tells the old address itself (user.email_changed's notice). A
 * deleted account gets nothing.
 */
export class MfaResetNoticeMailer {
  constructor(private readonly d: { users: Pick<UsersRepository, 'getById'>; mail: EmailSender }) {}

  /** The number of mails sent (0 or 1). */
  async work(unit: MfaResetNoticeUnit): Promise<number> {
    const user = await this.d.users.getById(unit.userId);
    if (!user) return 0;
    await this.d.mail.send(mfaResetNotice(unit.eventId, user.email, unit.at));
    return 1;
  }
}

/** To the account's address: what support did, what it ended, and what to do if it was not you. */
export function mfaResetNotice(eventId: string, to: string, at: string): EmailMessage {
  const lines = [
    `Two-factor sign-in was turned off for your budgeting account by support on ${at.slice(0, 16).replace('T', ' ')} UTC, at a request made to our support team.`,
    '',
    'Every device was signed out and every personal access token stopped working. Sign in with your password, then turn two-factor sign-in on again with your authenticator app.',
    '',
    'If this was not you, someone may be trying to take over your account: reset your password right away (Forgot password, with this address) and contact support.',
  ];
  const html = ['<!doctype html><html><body>', ...lines.filter((l) => l !== '').map((l) => `<p>${l}</p>`), '</body></html>'].join('\n');
  return { id: `mfa-reset-${eventId}`, to, subject: 'Two-factor sign-in was turned off by support', text: lines.join('\n'), html };
}
