import type { EmailSender, FanOutJob } from '@budgeting/platform';
import type { DeviceParts } from '../domain/sign-in-place';
import { SignInAlertMailer } from '../service/sign-in-alert-mail';
import { mailJob, type MailJobParts } from './mail-job';
import { SIGN_IN_ALERT_MAIL_JOB, type SignInAlertUnit } from './names';

const ID = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
const TEXT = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The new-place sign-in mail as a fan-out job without a schedule (mail-job.ts: a failed send is sent again). */
export function signInAlertMailJob(parts: MailJobParts, mail: EmailSender): FanOutJob<SignInAlertUnit> {
  return mailJob(SIGN_IN_ALERT_MAIL_JOB, new SignInAlertMailer({ users: parts.users, mail }), parseUnit, { parts, mailIdOf: (unit) => `sign-in-alert-${unit.eventId}` });
}

function parseUnit(raw: unknown): SignInAlertUnit {
  const unit = raw as Partial<Record<string, unknown>> | null;
  if (unit && ID(unit.userId) && ID(unit.eventId) && typeof unit.at === 'string' && !Number.isNaN(Date.parse(unit.at)) && TEXT(unit.device, 120) && TEXT(unit.network, 60)) {
    const deviceParts = partsOf(unit.deviceParts);
    return { userId: unit.userId, eventId: unit.eventId, at: unit.at, device: unit.device, ...(deviceParts ? { deviceParts } : {}), network: unit.network };
  }
  throw new Error('sign-in alert unit needs a userId, an eventId, the sign-in time `at`, a device and a network');
}

/**
 * The unit's device parts when they are whole; else none, and the mail shows the English
 * `device` (as for a unit queued before the parts existed) rather than failing the mail.
 */
function partsOf(raw: unknown): DeviceParts | undefined {
  const parts = raw as Partial<Record<string, unknown>> | null | undefined;
  if (!parts || typeof parts !== 'object') return undefined;
  if (parts.os !== undefined && !TEXT(parts.os, 40)) return undefined;
  const os = parts.os === undefined ? {} : { os: parts.os };
  if (TEXT(parts.family, 40) && parts.kind === undefined) return { family: parts.family, ...os };
  if ((parts.kind === 'app' || parts.kind === 'unknown') && parts.family === undefined) return { kind: parts.kind, ...os };
  return undefined;
}
