import { checkedAuthor, epochSeconds, OperatorInputError, publishedFields, type EventContract, type EventEnvelope, type Logger } from '@budgeting/platform';
import { normalizeEmail } from '../model';
import type { UsersKeys } from '../repository/keys';
import type { RevokeReason, SessionsRepository } from '../repository/sessions.repository';
import type { TransactItem } from '../repository/transact';

/**
 * What support's operations on one account share (users-mfa-reset, users-suspend,
 * users-unsuspend; users-show reads the records back): the arguments they take, checked alike,
 * and the durable audit record each commits with its change, which is also that change's event.
 */

/** How long an audit record is kept (also after the account is deleted): two years, its TTL. */
export const AUDIT_RETENTION_SECONDS = 2 * 365 * 24 * 60 * 60;

/** The arguments of an operator operation on one account. */
export interface OperatorRequest {
  email: string;
  reason: string;
  operator: string;
}

/**
 * The request trimmed and its email normalized; an OperatorInputError (the CLI's exit 2,
 * nothing changed) for a missing or too long reason or operator, or an email that is none.
 * `what`: the operation's change, for the message ("this reset", "this suspension").
 */
export function checkedRequest(request: Partial<OperatorRequest>, what: string): OperatorRequest {
  const { reason, operator } = checkedAuthor(request, what);
  return { email: checkedEmail(request.email), reason, operator };
}

/** The email normalized; an OperatorInputError (exit 2) when it is none. */
export function checkedEmail(given: string | undefined): string {
  const email = normalizeEmail(given ?? '');
  if (!email.includes('@')) throw new OperatorInputError("--email must be the account's email address");
  return email;
}

/** The email names no account: the operator's input error, as a typo is. */
export const noAccount = (email: string) => new OperatorInputError(`no account has the email ${email}`);

/**
 * The audit record of an operator's change to `userId` (who, why, when; kept two years), put
 * in the change's own transaction, and published as `event` of `contract` (publishedFields:
 * the relay publishes the item itself), so the record and the event exist exactly when the
 * change committed. In the user's partition: a data export or deletion finds it there.
 */
export function auditRecord(
  keys: UsersKeys,
  contract: EventContract,
  event: EventEnvelope,
  fields: { action: string; userId: string; operator: string; reason: string; noticeWithheld?: string },
): TransactItem {
  const at = event.occurredAt;
  return {
    Put: {
      Item: {
        ...keys.audit(fields.userId, at, event.id),
        kind: 'audit',
        ...fields,
        at,
        expiresAt: epochSeconds(new Date(at)) + AUDIT_RETENTION_SECONDS,
        ...publishedFields(contract, event),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Bookkeeping after an operator's change moved the session epoch on to `epoch`, as after a
 * password reset: the earlier sessions marked ended with `reason`. The epoch already refuses
 * every one of their tokens, so a failure is logged, not raised: the change is done.
 */
export async function markEarlierSessionsEnded(d: { sessions: SessionsRepository; logger: Logger }, userId: string, epoch: number, reason: RevokeReason, at: string): Promise<void> {
  try {
    await d.sessions.revokeBeforeEpoch(userId, epoch, reason, at);
  } catch (err) {
    d.logger.warn(`marking sessions ended after an operator's ${reason} failed; their refreshes are refused by the epoch anyway`, { userId, error: err instanceof Error ? err.message : String(err) });
  }
}
