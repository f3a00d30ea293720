import { newId } from '@budgeting/platform';
import { SECURITY_NOTICE_MAIL_JOB, type SecurityChange, type SecurityNoticeUnit } from '../jobs/names';
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
