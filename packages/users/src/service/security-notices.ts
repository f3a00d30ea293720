import { newId } from '@budgeting/platform';
import { SECURITY_NOTICE_MAIL_JOB, type SecurityChange, type SecurityNoticeUnit } from '../jobs/names';
import type { CredentialNotice } from '../contract';
import type { TransactItem } from '../repository/transact';

/** A job unit as an item of a change's transaction (platform queuedUnitPut under the module's prefix). */
export type QueueUnit = (job: string, unit: unknown, tick: Date) => TransactItem;

/**
 * The security notice of `change` (docs/security-notices.md) as an item of the change's own
 * transaction: the mail exists exactly when the change committed, and a change that fails
 * writes none. `tokenName`: the new personal access token's, which the mail names.
 */
export function securityNotice(queueUnit: QueueUnit, userId: string, change: SecurityChange, at: Date, tokenName?: string): TransactItem {
  const unit: SecurityNoticeUnit = { userId, noticeId: newId(at.getTime()), change, at: at.toISOString(), ...(tokenName !== undefined ? { tokenName } : {}) };
  return queueUnit(SECURITY_NOTICE_MAIL_JOB, unit, at);
}

/**
 * The security notice of a credential another module made (UsersFacade.credentialNotice): a
 * unit as securityNotice's, for that module's own transaction.
 */
export function credentialNotice(queueUnit: QueueUnit, userId: string, notice: CredentialNotice, at: Date): TransactItem {
  const unit: SecurityNoticeUnit = { userId, noticeId: newId(at.getTime()), change: notice.change, at: at.toISOString(), removePath: notice.removePath, ...(notice.change === 'webhook-created' ? { host: notice.host } : {}) };
  return queueUnit(SECURITY_NOTICE_MAIL_JOB, unit, at);
}
