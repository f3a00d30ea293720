import type { EmailSender, FanOutJob, PlatformDeps } from '@budgeting/platform';
import { EmailChangesRepository } from '../repository/email-changes.repository';
import { EMAIL_CHANGE_TOKEN_LABEL } from '../service/email-change.service';
import { EmailChangeMailer } from '../service/email-change-mail';
import { ResetTokens } from '../service/reset-tokens';
import { mailJob, unitLocale, type MailJobParts } from './mail-job';
import { EMAIL_CHANGE_MAIL_JOB, type EmailChangeMailUnit } from './names';

const ADDRESS = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 254;
const EVENT_ID = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);

/**
 * The email change's mails as a fan-out job without a schedule (service/email-change-mail.ts):
 * POST /v1/me/email queues a `code` unit, the user.email_changed subscriber a `changed` one
 * (mail-job.ts: a failed send is sent again).
 */
export function emailChangeMailJob(
  deps: Pick<PlatformDeps, 'config'>,
  parts: MailJobParts,
  mail: EmailSender,
): FanOutJob<EmailChangeMailUnit> {
  const mailer = new EmailChangeMailer({
    users: parts.users,
    changes: new EmailChangesRepository(parts.store, parts.keys),
    tokens: new ResetTokens(deps.config.tokenSigningKey, undefined, EMAIL_CHANGE_TOKEN_LABEL),
    mail,
    clock: parts.clock,
  });
  // The notice to the old address once per event (sentOnce); a code unit is a relayed one, which the runner's claim runs once.
  return mailJob(EMAIL_CHANGE_MAIL_JOB, mailer, parseEmailChangeUnit, { parts, mailIdOf: (unit) => (unit.kind === 'changed' ? `email-changed-${unit.eventId}` : undefined) });
}

function parseEmailChangeUnit(raw: unknown): EmailChangeMailUnit {
  const unit = raw as Partial<Record<string, unknown>> | null;
  if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0) throw new Error('email-change unit needs a userId');
  if (unit.kind === 'code' && ResetTokens.isResetId(unit.changeId)) return { kind: 'code', userId: unit.userId, changeId: unit.changeId, ...unitLocale(unit.locale) };
  // A unit a confirmation queued before the notice moved to the event carries its changeId instead: the same mail id as then.
  const eventId = unit.eventId ?? unit.changeId;
  if (unit.kind === 'changed' && EVENT_ID(eventId) && ADDRESS(unit.previousEmail) && ADDRESS(unit.email)) {
    return { kind: 'changed', userId: unit.userId, eventId, previousEmail: unit.previousEmail, email: unit.email, ...unitLocale(unit.locale) };
  }
  throw new Error('email-change unit needs kind "code" with a changeId, or kind "changed" with an eventId and both addresses');
}
