import type { EmailSender, FanOutJob, PlatformDeps } from '@budgeting/platform';
import { ResetsRepository } from '../repository/resets.repository';
import { PasswordResetMailer } from '../service/reset-mail';
import { ResetTokens } from '../service/reset-tokens';
import { labelledSealer } from '../service/token-answer-sealer';
import { mailJob, type MailJobParts } from './mail-job';
import { PASSWORD_RESET_MAIL_JOB, RESET_UNIT_SEAL_LABEL, type ResetMailUnit, type SealedResetMailUnit } from './names';

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
    clock: parts.clock,
    ...(deps.config.passwordResetUrl ? { resetUrl: deps.config.passwordResetUrl } : {}),
  });
  const sealer = labelledSealer(RESET_UNIT_SEAL_LABEL, 'reset unit address', deps.config.tokenSigningKey, deps.config.tokenSigningKeyPrevious);
  return mailJob(PASSWORD_RESET_MAIL_JOB, mailer, (raw) => parseResetUnit(raw, (sealed, resetId) => sealer.open(sealed, resetId)));
}

/** The unit with its address opened (a unit queued before sealing carries it in clear). */
function parseResetUnit(raw: unknown, open: (sealed: string, resetId: string) => string): ResetMailUnit {
  const unit = raw as Partial<ResetMailUnit & SealedResetMailUnit> | null;
  if (!unit || !ResetTokens.isResetId(unit.resetId)) throw new Error('password-reset unit needs a resetId');
  const email = typeof unit.sealedEmail === 'string' ? open(unit.sealedEmail, unit.resetId) : unit.email;
  if (typeof email !== 'string' || email.length === 0) throw new Error('password-reset unit needs an email');
  return { email, resetId: unit.resetId };
}
