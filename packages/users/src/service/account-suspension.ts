import { createEvent, type Clock, type Logger } from '@budgeting/platform';
import { userSuspended, userUnsuspended } from '../events';
import type { UsersKeys } from '../repository/keys';
import type { SessionsRepository } from '../repository/sessions.repository';
import type { UsersRepository } from '../repository/users.repository';
import { auditRecord, checkedRequest, markEarlierSessionsEnded, noAccount, type OperatorRequest } from './operator-audit';

/** Reads and transactions made before giving up, when the profile keeps moving (only a password change, a reset, a two-factor reset or the 51st sign-out moves its epoch). */
const MAX_ATTEMPTS = 3;

export type SuspendOutcome =
  | { outcome: 'suspended'; userId: string; at: string; eventId: string }
  /** Nothing changed: the account was suspended already (since `suspendedAt`). */
  | { outcome: 'already-suspended'; userId: string; suspendedAt: string };

export type UnsuspendOutcome =
  | { outcome: 'unsuspended'; userId: string; at: string; eventId: string }
  /** Nothing changed: the account is not suspended (never was, or was lifted already). */
  | { outcome: 'not-suspended'; userId: string };

/**
 * Support stops an account at once (abuse, fraud, a stolen account in use) without deleting
 * anything, and lifts that later: the operator operations `users-suspend` and `users-unsuspend`
 * (docs/support.md).
 *
 * Suspending is ONE transaction: the profile's `suspendedAt` set with the session epoch moved on
 * (UsersRepository.endEverySession, the write a support two-factor reset and a password reset
 * end every session with: each refresh token, access token and personal access token carries
 * the epoch it was made in), and the audit record put, which is also the `user.suspended`
 * event. While the mark is there, sign-in answers 403 `account-suspended` once the password
 * (and code) proved right, and a password reset mails nothing and confirms nothing. A sign-in
 * or refresh in flight read the old epoch: its session write is conditioned on it, and its
 * tokens carry it, so nothing it makes survives the suspension.
 *
 * Lifting removes the mark with its own audit record (`user.unsuspended`); the epoch stays, so
 * no session comes back: the user signs in again.
 *
 * No mail to the user either way: in a fraud case the mail would warn the fraudster, and a
 * stolen account's mailbox may be the thief's too. Support tells the owner through the ticket;
 * the owner who tries to sign in is told to contact support. The reason is internal: it is in
 * the audit record, the event and the log line, never in a mail or an API answer.
 */
export class AccountSuspension {
  constructor(
    private readonly d: {
      keys: UsersKeys;
      users: UsersRepository;
      sessions: SessionsRepository;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  async suspend(request: Partial<OperatorRequest>): Promise<SuspendOutcome> {
    const { email, reason, operator } = checkedRequest(request, 'this suspension');
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const user = await this.d.users.findByEmail(email);
      if (!user) throw noAccount(email);
      if (user.suspendedAt) return { outcome: 'already-suspended', userId: user.id, suspendedAt: user.suspendedAt };

      const event = await createEvent(userSuspended, { userId: user.id, operator, reason }, this.d.clock);
      const at = event.occurredAt;
      const audit = auditRecord(this.d.keys, userSuspended, event, { action: 'suspended-by-operator', userId: user.id, operator, reason });
      // The epoch moved (a password change meanwhile) or another suspension came first: read again.
      if ((await this.d.users.suspend(user.id, user.sessionEpoch, at, audit)) === 'profile-moved') continue;

      this.d.logger.warn('account suspended by an operator', { audit: 'suspended-by-operator', userId: user.id, operator, reason, at, eventId: event.id });
      await markEarlierSessionsEnded(this.d, user.id, user.sessionEpoch + 1, 'suspended', at);
      return { outcome: 'suspended', userId: user.id, at, eventId: event.id };
    }
    throw new Error(`the profile of ${email} changed ${MAX_ATTEMPTS} times during the suspension; run it again`);
  }

  async unsuspend(request: Partial<OperatorRequest>): Promise<UnsuspendOutcome> {
    const { email, reason, operator } = checkedRequest(request, 'the lift');
    const user = await this.d.users.findByEmail(email);
    if (!user) throw noAccount(email);
    if (!user.suspendedAt) return { outcome: 'not-suspended', userId: user.id };

    const event = await createEvent(userUnsuspended, { userId: user.id, operator, reason }, this.d.clock);
    const at = event.occurredAt;
    const audit = auditRecord(this.d.keys, userUnsuspended, event, { action: 'unsuspended-by-operator', userId: user.id, operator, reason });
    // Lifted meanwhile (another operator): nothing to do.
    if ((await this.d.users.unsuspend(user.id, audit)) === 'not-suspended') return { outcome: 'not-suspended', userId: user.id };
    this.d.logger.warn('account suspension lifted by an operator', { audit: 'unsuspended-by-operator', userId: user.id, operator, reason, at, eventId: event.id });
    return { outcome: 'unsuspended', userId: user.id, at, eventId: event.id };
  }
}
