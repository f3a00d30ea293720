import { createEvent, epochSeconds, OperatorInputError, publishedFields, type Clock, type Logger, type ModuleStore } from '@budgeting/platform';
import { userMfaResetByOperator } from '../events';
import { normalizeEmail } from '../model';
import type { UsersKeys } from '../repository/keys';
import type { MfaRepository } from '../repository/mfa.repository';
import type { SessionsRepository } from '../repository/sessions.repository';
import type { UsersRepository } from '../repository/users.repository';

/** How long the audit record of a reset is kept (also after the account is deleted): two years, its TTL. */
export const AUDIT_RETENTION_SECONDS = 2 * 365 * 24 * 60 * 60;
/** The longest reason and operator name accepted (the event's schema says the same). */
export const MAX_REASON_LENGTH = 500;
export const MAX_OPERATOR_LENGTH = 200;
/** Reads and transactions made before giving up, when the profile keeps moving (sign-ins meanwhile cannot move it: only a password change, a reset or the 51st sign-out). */
const MAX_ATTEMPTS = 3;

/** What the summary says of the user's notice: it is not mailed here, it follows from the event. */
const NOTICE = 'queued through user.mfa_reset_by_operator (job users-mfa-reset-notice-mail)';

export interface MfaResetRequest {
  email: string;
  reason: string;
  operator: string;
}

export type MfaResetOutcome =
  /** `notice`: the user's mail follows from the event (subscriptions/mfa-reset-notice.ts), sent and retried by a job. */
  | { outcome: 'reset'; userId: string; at: string; eventId: string; notice: typeof NOTICE }
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
    const reason = request.reason.trim();
    const operator = request.operator.trim();
    if (reason.length === 0) throw new OperatorInputError('--reason is required: the support ticket (or a short note) this reset answers');
    if (reason.length > MAX_REASON_LENGTH) throw new OperatorInputError(`--reason is at most ${MAX_REASON_LENGTH} characters`);
    if (operator.length === 0 || operator.length > MAX_OPERATOR_LENGTH) throw new OperatorInputError(`the operator's name is required, at most ${MAX_OPERATOR_LENGTH} characters`);
    const email = normalizeEmail(request.email ?? '');
    if (!email.includes('@')) throw new OperatorInputError('--email must be the account\'s email address');

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const user = await this.d.users.findByEmail(email);
      if (!user) throw new OperatorInputError(`no account has the email ${email}`);
      if (!user.mfaOn) return { outcome: 'not-on', userId: user.id };

      const event = await createEvent(userMfaResetByOperator, { userId: user.id, operator, reason }, this.d.clock);
      const at = event.occurredAt;
      const audit = {
        Put: {
          Item: {
            ...this.d.keys.audit(user.id, at, event.id),
            kind: 'audit',
            action: 'mfa-reset-by-operator',
            userId: user.id,
            operator,
            reason,
            at,
            expiresAt: epochSeconds(new Date(at)) + AUDIT_RETENTION_SECONDS,
            ...publishedFields(userMfaResetByOperator, event),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
      const outcome = await this.d.mfa.resetByOperator(user.id, this.d.users.endEverySession(user.id, user.sessionEpoch, { mfaOff: true }), audit);
      if (outcome === 'not-on') return { outcome: 'not-on', userId: user.id };
      // The epoch moved (a password change meanwhile) or the flag went with the owner's own DELETE: read again.
      if (outcome === 'profile-moved') continue;

      this.d.logger.warn('two-factor sign-in turned off by an operator', { audit: 'mfa-reset-by-operator', userId: user.id, operator, reason, at, eventId: event.id });
      await this.markEarlierEnded(user.id, user.sessionEpoch + 1, at);
      return { outcome: 'reset', userId: user.id, at, eventId: event.id, notice: NOTICE };
    }
    throw new Error(`the profile of ${email} changed ${MAX_ATTEMPTS} times during the reset; run it again`);
  }

  /** Bookkeeping, as after a password reset: the epoch already refuses every earlier session. */
  private async markEarlierEnded(userId: string, epoch: number, at: string): Promise<void> {
    try {
      await this.d.sessions.revokeBeforeEpoch(userId, epoch, 'mfa-reset', at);
    } catch (err) {
      this.d.logger.warn('marking sessions ended after a two-factor reset failed; their refreshes are refused by the epoch anyway', { userId, error: errorMessage(err) });
    }
  }
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
