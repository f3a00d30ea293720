import type { EmailSender, FanOutJob } from '@budgeting/platform';
import { SecurityNoticeMailer } from '../service/security-notice-mail';
import { mailJob, type MailJobParts } from './mail-job';
import { CREDENTIAL_CHANGES, SECURITY_CHANGES, SECURITY_NOTICE_MAIL_JOB, type CredentialChange, type SecurityChange, type SecurityNoticeUnit } from './names';

const ID = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
const CHANGE = (v: unknown): v is SecurityChange => SECURITY_CHANGES.includes(v as SecurityChange);
/** A token's name: 1 to 100 characters at creation (personal-tokens.schemas.ts); a unit with more is not ours. */
const TOKEN_NAME = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 400;
const CREDENTIAL = (v: unknown): v is CredentialChange => CREDENTIAL_CHANGES.includes(v as CredentialChange);
/** The route that deletes a new webhook or calendar feed (ids as ours: ULIDs). */
const REMOVE_PATH = (v: unknown): v is string => typeof v === 'string' && /^\/v1\/(webhooks\/[A-Za-z0-9_-]{1,64}|budgets\/[A-Za-z0-9_-]{1,64}\/calendar-feeds\/[A-Za-z0-9_-]{1,64})$/.test(v);
/** A URL's host as WHATWG URL writes it (ASCII: an IDN in punycode), with its port. */
const HOST = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9.:[\]-]{1,300}$/.test(v);

/**
 * The security notices as a fan-out job without a schedule (mail-job.ts: a failed send is sent
 * again). Each unit is written in its change's transaction and relayed, so the runner's claim
 * works it once: no mail-once mark of its own.
 */
export function securityNoticeMailJob(parts: MailJobParts, mail: EmailSender): FanOutJob<SecurityNoticeUnit> {
  return mailJob(SECURITY_NOTICE_MAIL_JOB, new SecurityNoticeMailer({ users: parts.users, mail }), parseUnit);
}

function parseUnit(raw: unknown): SecurityNoticeUnit {
  const unit = raw as Partial<Record<string, unknown>> | null;
  if (unit && ID(unit.userId) && ID(unit.noticeId) && CHANGE(unit.change) && typeof unit.at === 'string' && !Number.isNaN(Date.parse(unit.at))) {
    if (CREDENTIAL(unit.change)) {
      if (REMOVE_PATH(unit.removePath) && (unit.host === undefined || HOST(unit.host))) {
        return { userId: unit.userId, noticeId: unit.noticeId, change: unit.change, at: unit.at, removePath: unit.removePath, ...(unit.host !== undefined ? { host: unit.host } : {}) };
      }
    } else if (unit.change !== 'personal-token-created') return { userId: unit.userId, noticeId: unit.noticeId, change: unit.change, at: unit.at };
    if (TOKEN_NAME(unit.tokenName)) return { userId: unit.userId, noticeId: unit.noticeId, change: unit.change, at: unit.at, tokenName: unit.tokenName };
  }
  throw new Error('security notice unit needs a userId, a noticeId, a known change, the time `at` and, for a new personal token, its name, for a new webhook or calendar feed the path that deletes it');
}
