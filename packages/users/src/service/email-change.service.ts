import { createEvent, epochSeconds, outboxPut, type Clock, type Logger, type ModuleStore } from '@budgeting/platform';
import { userEmailChanged } from '../events';
import { EMAIL_CHANGE_MAIL_JOB, SESSIONS_CLEANUP_JOB, type EmailChangeMailUnit, type SessionsCleanupUnit } from '../jobs/names';
import { normalizeEmail, toPublicUser, type PublicUser } from '../model';
import type { EmailChangesRepository } from '../repository/email-changes.repository';
import type { TransactItem } from '../repository/transact';
import type { ThrottleRepository } from '../repository/throttle.repository';
import type { UsersRepository } from '../repository/users.repository';
import type { AddressLimit } from './address-limit';
import type { LoginThrottle } from './login-throttle';
import type { MfaStepUp } from './mfa-step-up';
import type { PasswordHasher } from './passwords';
import { userProblems } from './problems';
import { ResetTokens } from './reset-tokens';

/** How long an email-change code works after it was requested (as a password reset's). */
export const EMAIL_CHANGE_TTL_SECONDS = 30 * 60;
/** The HKDF label of the email-change codes' MAC key: never a password-reset code, nor the reverse. */
export const EMAIL_CHANGE_TOKEN_LABEL = 'users-email-change-token-hmac-sha256';

/**
 * Changing the account's email (POST /v1/me/email, then .../confirm with the code mailed to
 * the new address).
 *
 * The request checks the password exactly as the password change does (same scrypt, cost
 * guard per address and throttle per email and client; with two-factor on, a code too:
 * MfaStepUp), stores the pending change (replacing
 * an earlier one) with the code mail's job unit in ONE transaction (the stream relay queues it). It never looks at whether the new address is taken:
 * the answer, and the request's DynamoDB work, are the same either way (the job looks, in its
 * own invocation, and mails a taken address a notice without a code).
 *
 * The confirmation moves the address in ONE transaction (UsersRepository.changeEmail): the
 * new reservation only if absent, so of two accounts confirming one address exactly one wins.
 * The same transaction writes user.email_changed with both addresses; the module's own
 * subscriber tells the old address (a job unit: the mail never leaves in the request), so a
 * queue that refuses is retried with the event instead of losing the notice.
 */
export class EmailChangeService {
  constructor(
    private readonly d: {
      store: ModuleStore;
      users: UsersRepository;
      changes: EmailChangesRepository;
      passwords: PasswordHasher;
      loginThrottle: LoginThrottle;
      hashingLimit: AddressLimit;
      throttle: ThrottleRepository;
      tokens: ResetTokens;
      /** A job unit as an item of the request's transaction (platform queuedUnitPut under the module's prefix). */
      queueUnit: (job: string, unit: unknown, tick: Date) => TransactItem;
      clock: Clock;
      logger: Logger;
      stepUp: MfaStepUp;
    },
  ) {}

  /** `code`: the second factor, required when the account has two-factor on (MfaStepUp). */
  async request(userId: string, newEmail: string, password: string, clientAddress?: string, code?: string): Promise<void> {
    await this.d.hashingLimit.admit(clientAddress);
    const user = await this.d.users.getById(userId);
    if (!user) throw userProblems.accountGone();
    // Before the password and code are checked, as the password change's policy: a request that
    // is refused anyway spends neither a throttle attempt nor a two-factor code (until
    // 2026-12-07 the account's own address, in any case, burnt the TOTP step or recovery code
    // sent with it). The session already knows its address: nothing told.
    const email = normalizeEmail(newEmail);
    if (email === user.email) throw userProblems.sameEmail();
    this.d.stepUp.require(user, code);
    const admission = await this.d.loginThrottle.admit(user.email, clientAddress);
    if (!(await this.d.passwords.verify(password, user.passwordHash))) throw userProblems.incorrectPassword('password');
    await this.d.stepUp.spend(user, code);
    await this.d.loginThrottle.succeeded(user.email, clientAddress, admission);

    const now = this.d.clock.now();
    const changeId = ResetTokens.newResetId();
    // The requester's locale, the code mail's language, from this read (none: left out, English).
    const unit: EmailChangeMailUnit = { kind: 'code', userId, changeId, ...(user.locale ? { locale: user.locale } : {}) };
    // The code mail's unit is written with the request (the table stream's relay queues it): a
    // process that dies right after the commit still mails, and the request never waits on the queue.
    const stored = await this.d.changes.replace(
      { userId, changeId, newEmail: email, createdAt: now.toISOString(), expiresAt: epochSeconds(now) + EMAIL_CHANGE_TTL_SECONDS },
      this.d.users.accountCheck(userId),
      [this.d.queueUnit(EMAIL_CHANGE_MAIL_JOB, unit, now)],
    );
    // Deleted after the read above: nothing stored, no mail (EmailChangesRepository.replace).
    if (stored === 'account-gone') throw userProblems.accountGone();
  }

  async confirm(userId: string, token: string): Promise<PublicUser> {
    // Forged, tampered and password-reset codes end here, before any read.
    const changeId = this.d.tokens.resetIdOf(token);
    if (!changeId) throw userProblems.emailChangeNotFound();
    const user = await this.d.users.getById(userId);
    if (!user) throw userProblems.accountGone();
    const pending = await this.d.changes.get(userId);
    // Another user's code, or one a newer request replaced, or one already used: not this account's pending change.
    if (!pending || pending.changeId !== changeId) throw userProblems.emailChangeNotFound();
    const now = this.d.clock.now();
    if (pending.expiresAt <= epochSeconds(now)) throw userProblems.emailChangeExpired();

    const at = now.toISOString();
    // The event carries both addresses: its subscriber mails the old one (subscriptions/email-changed-notice.ts),
    // so the notice is as durable as the change itself.
    const event = await createEvent(userEmailChanged, { userId, previousEmail: user.email, email: pending.newEmail, ...(user.locale ? { locale: user.locale } : {}) }, this.d.clock);
    // The old address's sign-in counters and known clients belong to an address this account
    // no longer has: whoever signs up with it next must not inherit them (as account deletion).
    // Deleted by a unit of the change's own transaction, in steps: anyone may try the address
    // from as many client buckets as they hold, each leaving a counter, so their number is not
    // the account's (until 2026-12-07 this request deleted them all after its commit).
    const counters = this.d.queueUnit(SESSIONS_CLEANUP_JOB, { kind: 'sign-in-counters', userId, partitions: this.d.throttle.hashedPartitionsOf(user.email) } satisfies SessionsCleanupUnit, now);
    const outcome = await this.d.users.changeEmail(user, pending.newEmail, at, [this.d.changes.spend(userId, changeId), outboxPut(this.d.store, userEmailChanged, event), counters]);
    if (outcome === 'email-taken') throw userProblems.newEmailTaken();
    if (outcome === 'stale') {
      if (!(await this.d.users.getById(userId))) throw userProblems.accountGone();
      throw userProblems.emailChangedMeanwhile();
    }
    // Those written before the keys were hashed (the address in clear, so not in the unit; nothing
    // writes them any more). The change committed above, so a failure here is logged, not
    // answered: a 5xx told the client the change had failed, and its retry got a 404 (the code
    // spent). What it leaves goes with its TTL (the counters' window; 90 days for a known client).
    try {
      await this.d.throttle.removeLegacy(user.email);
    } catch (err) {
      this.d.logger.warn("removing the old address's sign-in counters after an email change failed; their TTL removes them", { userId, error: err instanceof Error ? err.message : String(err) });
    }
    const changed = await this.d.users.getById(userId);
    if (!changed) throw userProblems.accountGone();
    return toPublicUser(changed);
  }
}
