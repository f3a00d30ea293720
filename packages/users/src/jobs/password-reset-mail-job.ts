import type { EmailSender, FanOutJob, PlatformDeps } from '@budgeting/platform';
import { ResetsRepository } from '../repository/resets.repository';
import { PasswordResetMailer } from '../service/reset-mail';
import { ResetTokens } from '../service/reset-tokens';
import { mailJob, type MailJobParts } from './mail-job';
import { PASSWORD_RESET_MAIL_JOB, type ResetMailUnit } from './names';

/**
 * The password-reset mail as a fan-out job without a schedule: POST /v1/auth/password-reset
 * queues one unit per request, for every email alike, and the lookup, the reset item and the
 * mail happen here, in another invocation (service/reset-mail.ts). A failed send is sent again
 * with the same token (mail-job.ts).
 */
export function passwordResetMailJob(
  deps: Pick<PlatformDeps, 'config'>,
  parts: MailJobParts,
  mail: EmailSender,
): FanOutJob<ResetMailUnit> {
  const mailer = new PasswordResetMailer({
    users: parts.users,
    resets: new ResetsRepository(parts.store, parts.keys),
    tokens: new ResetTokens(deps.config.tokenSigningKey),
    mail,
    ...(deps.config.passwordResetUrl ? { resetUrl: deps.config.passwordResetUrl } : {}),
  });
  return mailJob(PASSWORD_RESET_MAIL_JOB, mailer, parseResetUnit);
}

function parseResetUnit(raw: unknown): ResetMailUnit {
  const unit = raw as Partial<ResetMailUnit> | null;
  if (!unit || typeof unit.email !== 'string' || unit.email.length === 0 || !ResetTokens.isResetId(unit.resetId)) {
    throw new Error('password-reset unit needs an email and a resetId');
  }
  return { email: unit.email, resetId: unit.resetId };
}
