import type { EmailSender, FanOutJob } from '@budgeting/platform';
import { MfaResetNoticeMailer } from '../service/mfa-reset-notice';
import { mailJob, type MailJobParts } from './mail-job';
import { MFA_RESET_NOTICE_MAIL_JOB, type MfaResetNoticeUnit } from './names';

const ID = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);

/** The support reset's notice as a fan-out job without a schedule (mail-job.ts: a failed send is sent again). */
export function mfaResetNoticeMailJob(parts: MailJobParts, mail: EmailSender): FanOutJob<MfaResetNoticeUnit> {
  return mailJob(MFA_RESET_NOTICE_MAIL_JOB, new MfaResetNoticeMailer({ users: parts.users, mail }), parseUnit, { parts, mailIdOf: (unit) => `mfa-reset-${unit.eventId}` });
}

function parseUnit(raw: unknown): MfaResetNoticeUnit {
  const unit = raw as Partial<Record<string, unknown>> | null;
  if (unit && ID(unit.userId) && ID(unit.eventId) && typeof unit.at === 'string' && !Number.isNaN(Date.parse(unit.at))) {
    return { userId: unit.userId, eventId: unit.eventId, at: unit.at };
  }
  throw new Error('mfa-reset notice unit needs a userId, an eventId and the reset time `at`');
}
