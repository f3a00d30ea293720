import type { EmailSender, FanOutJob, ModuleStore, PlatformDeps } from '@budgeting/platform';
import { EmailChangesRepository } from '../repository/email-changes.repository';
import type { UsersKeys } from '../repository/keys';
import type { UsersRepository } from '../repository/users.repository';
import { EMAIL_CHANGE_TOKEN_LABEL } from '../service/email-change.service';
import { EmailChangeMailer } from '../service/email-change-mail';
import { ResetTokens } from '../service/reset-tokens';
import { EMAIL_CHANGE_MAIL_JOB, type EmailChangeMailUnit } from './names';

const ADDRESS = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 254;

/**
 * The email change's mails as a fan-out job without a schedule (service/email-change-mail.ts):
 * POST /v1/me/email and its confirmation queue one unit each. A send that fails throws: the
 * unit is delivered again and the same mail is sent.
 */
export function emailChangeMailJob(
  deps: Pick<PlatformDeps, 'config'>,
  parts: { store: ModuleStore; keys: UsersKeys; users: UsersRepository },
  mail: EmailSender,
): FanOutJob<EmailChangeMailUnit> {
  const mailer = new EmailChangeMailer({
    users: parts.users,
    changes: new EmailChangesRepository(parts.store, parts.keys),
    tokens: new ResetTokens(deps.config.tokenSigningKey, undefined, EMAIL_CHANGE_TOKEN_LABEL),
    mail,
  });
  return {
    name: EMAIL_CHANGE_MAIL_JOB,
    async work(unit, now) {
      return { done: await mailer.work(unit, now) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<Record<string, unknown>> | null;
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0 || !ResetTokens.isResetId(unit.changeId)) {
        throw new Error('email-change unit needs a userId and a changeId');
      }
      if (unit.kind === 'code') return { kind: 'code', userId: unit.userId, changeId: unit.changeId };
      if (unit.kind === 'changed' && ADDRESS(unit.previousEmail) && ADDRESS(unit.email)) {
        return { kind: 'changed', userId: unit.userId, changeId: unit.changeId, previousEmail: unit.previousEmail, email: unit.email };
      }
      throw new Error('email-change unit needs kind "code", or kind "changed" with both addresses');
    },
  };
}
