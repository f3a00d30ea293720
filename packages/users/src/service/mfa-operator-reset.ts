import { createEvent, type Clock, type Logger, type ModuleStore } from '@budgeting/platform';
import { userMfaResetByOperator } from '../events';
import type { UsersKeys } from '../repository/keys';
import type { MfaRepository } from '../repository/mfa.repository';
import type { SessionsRepository } from '../repository/sessions.repository';
import type { UsersRepository } from '../repository/users.repository';
import { auditRecord, checkedRequest, markEarlierSessionsEnded, noAccount, type OperatorRequest } from './operator-audit';

/** Reads and transactions made before giving up, when the profile keeps moving (sign-ins meanwhile cannot move it: only a password change, a reset or the 51st sign-out). */
const MAX_ATTEMPTS = 3;

/** What the summary says of the user's notice: it is not mailed here, it follows from the event. */
const NOTICE = 'queued through user.mfa_reset_by_operator (job users-mfa-reset-notice-mail)';
/** ... unless the account is suspended: then no mail at all (account-suspension.ts: a fraud case would warn the fraudster). */
const NOTICE_WITHHELD = 'withheld: the account is suspended (no mail to a suspended account; tell the owner through the ticket)';

export type MfaResetRequest = OperatorRequest;

export type MfaResetOutcome =
  /**
   * `notice`: the user's mail follows from the event (subscriptions/mfa-reset-notice.ts), sent
   * and retried by a job; or, for a suspended account, it is withheld (none is queued).
   */
  | { outcome: 'reset'; userId: string; at: string; eventId: string; notice: typeof NOTICE | typeof NOTICE_WITHHELD }
  /** Nothing changed: the account's two-factor sign-in is not on (a pending enrolment is left alone: sign-in ignores it). */
  | { outcome: 'not-on'; userId: string };

/**
 * Support's recovery of an account whose owner lost both the authenticator and the recovery
 * codes (the operator operation `users-mfa-reset`). Identity is proven to support outside this
 * system (the ticket `reason` refers to); this does what the owner's own DELETE
 * /v1/me/mfa/totp does, and more, because whoever asked may not be the owner:
 *
 * ONE transaction: the enrolment deleted (only while on), the profile's `mfaOn` removed with
 * the session epoch moved on (UsersRepository.endEverySession, a password reset's way of
 * ending every session: each refresh token, access token and personal access token carries
 * the epoch it was made in), and the audit record put, which is also the
 * `user.mfa_reset_by_operator` event (publishedFields: the relay publishes it). Then, as after
 * a password reset, the earlier sessions are marked ended (bookkeeping) and one structured log
 * line says who, why and when. The owner's notice (if it was not them, they can still reset the
 * password: their mailbox is theirs) follows from the event: the users-mfa-reset-notice
 * subscriber queues it to a mail job, which sends it again until it goes out.
 *
 * A suspended account is reset all the same, but its owner is not mailed: the suspension's
 * rule is no mail to the user (a fraud case would warn the fraudster; support tells the owner
 * through the ticket). The decision is made on the profile read whose epoch and suspension
 * mark condition the transaction (a suspension meanwhile moves the epoch, a lift does not, so
 * the mark is a condition of its own: either way, read again), and is written into the
 * event and the audit record (`noticeWithheld: 'account-suspended'`), so the subscriber queues
 * nothing even when the suspension is lifted before the event is delivered.
 *
 * Idempotent: an account whose two-factor is not on is left as it is ('not-on').
 */
export class MfaOperatorReset {
  constructor(
    private readonly d: {
      store: ModuleStore;
      keys: UsersKeys;
      users: UsersRepository;
      mfa: MfaRepository;
      sessions: SessionsRepository;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  async reset(request: MfaResetRequest): Promise<MfaResetOutcome> {
    const { email, reason, operator } = checkedRequest(request, 'this reset');
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const user = await this.d.users.findByEmail(email);
      if (!user) throw noAccount(email);
      if (!user.mfaOn) return { outcome: 'not-on', userId: user.id };

      const withheld = user.suspendedAt ? { noticeWithheld: 'account-suspended' as const } : {};
      const event = await createEvent(userMfaResetByOperator, { userId: user.id, operator, reason, ...withheld }, this.d.clock);
      const at = event.occurredAt;
      const audit = auditRecord(this.d.keys, userMfaResetByOperator, event, { action: 'mfa-reset-by-operator', userId: user.id, operator, reason, ...withheld });
      const outcome = await this.d.mfa.resetByOperator(user.id, this.d.users.endEverySession(user.id, user.sessionEpoch, { mfaOff: true, suspended: Boolean(user.suspendedAt) }), audit);
      if (outcome === 'not-on') return { outcome: 'not-on', userId: user.id };
      // The epoch moved (a password change or a suspension meanwhile), a suspension was lifted, or the flag went with the owner's own DELETE: read again.
      if (outcome === 'profile-moved') continue;

      this.d.logger.warn('two-factor sign-in turned off by an operator', { audit: 'mfa-reset-by-operator', userId: user.id, operator, reason, at, eventId: event.id, ...withheld });
      // Bookkeeping, as after a password reset: the epoch already refuses every earlier session.
      await markEarlierSessionsEnded(this.d, user.id, user.sessionEpoch + 1, 'mfa-reset', at);
      return { outcome: 'reset', userId: user.id, at, eventId: event.id, notice: user.suspendedAt ? NOTICE_WITHHELD : NOTICE };
    }
    throw new Error(`the profile of ${email} changed ${MAX_ATTEMPTS} times during the reset; run it again`);
  }
}
