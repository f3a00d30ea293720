import type { SessionsEndedEvent } from './sessions-ended-event';
import { epochSeconds, type Clock, type Logger } from '@budgeting/platform';
import { PASSWORD_RESET_MAIL_JOB, SESSIONS_CLEANUP_JOB, type SealedResetMailUnit } from '../jobs/names';
import { normalizeEmail, toPublicUser } from '../model';
import type { ThrottleKeys } from '../repository/throttle-keys';
import type { ResetsRepository } from '../repository/resets.repository';
import type { TransactItem } from '../repository/transact';
import type { ThrottleRepository } from '../repository/throttle.repository';
import type { UsersRepository } from '../repository/users.repository';
import type { AddressLimit, AddressPolicy } from './address-limit';
import type { AuthResult } from './auth.service';
import type { PasswordPolicy } from './common-passwords';
import type { LoginThrottle } from './login-throttle';
import type { MfaSignIn } from './mfa-sign-in.service';
import { earlierSessionsEnded } from './password-change.service';
import type { PasswordHasher } from './passwords';
import { userProblems } from './problems';
import { ResetTokens } from './reset-tokens';
import { securityNotice } from './security-notices';
import type { SessionService } from './sessions.service';
import type { SignInClient, SignInPlaces } from './sign-in-places';

/** Reset requests per email (any client, account or not): three an hour. */
export const RESET_EMAIL_LIMIT: AddressPolicy = { maxAttempts: 3, windowSeconds: 60 * 60 };

/**
 * Forgot password. The request (`request`) does the same work for every email: validate, then
 * ONE transaction that counts the attempt and writes the mail job's unit (platform
 * queuedUnitPut; the table stream's relay queues it, docs/passwords.md "Forgot password"); whether the
 * email has an account is first looked at by the job, in another invocation, so neither the
 * answer nor its timing tells. The confirmation (`confirm`) checks the token's HMAC before any
 * read, then the reset, then writes the new password like a password change: ONE transaction
 * (new hash and session epoch + 1 on the profile, the reset spent, the caller's new session).
 */
export class PasswordResetService {
  constructor(
    private readonly d: {
      users: UsersRepository;
      resets: ResetsRepository;
      sessions: SessionService;
      passwords: PasswordHasher;
      tokens: ResetTokens;
      throttle: ThrottleRepository;
      loginThrottle: LoginThrottle;
      /** The reset requests' counter per email (a keyed hash of it: ThrottleKeys). */
      throttleKeys: ThrottleKeys;
      requestLimit: AddressLimit;
      confirmLimit: AddressLimit;
      emailLimit: AddressPolicy;
      /** A job unit as an item of a transaction (platform queuedUnitPut under the module's prefix): the request's mail, the confirmation's session marks. */
      queueUnit: (job: string, unit: unknown, tick: Date) => TransactItem;
      /** Seals the address in the unit, bound to its resetId (jobs/names.ts SealedResetMailUnit). */
      sealEmail: (email: string, resetId: string) => string;
      clock: Clock;
      logger: Logger;
      /** Two-factor sign-in: an account with it on gets the challenge, not a session. */
      mfa: Pick<MfaSignIn, 'challenge'>;
      /** Sign-in alerts: the session the confirmation starts records its place as a login's. */
      places: SignInPlaces;
      /** Refuses a common or guessable new password. */
      policy: PasswordPolicy;
      /** user.sessions_ended (every session) as an item of the confirmation's transaction. */
      sessionsEnded: SessionsEndedEvent;
    },
  ) {}

  async request(email: string, clientAddress?: string): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.d.requestLimit.admit(clientAddress);
    const now = this.d.clock.now();
    const nowSeconds = epochSeconds(now);
    const resetId = ResetTokens.newResetId();
    const unit: SealedResetMailUnit = { sealedEmail: this.d.sealEmail(normalized, resetId), resetId };
    // The attempt is counted with the mail's unit, or (over the limit) neither is written: a
    // process that dies after the commit still mails (the relay queues the unit), and the
    // request never waits on the queue (its refusal is the relay's to retry).
    const outcome = await this.d.throttle.admitAttempt(this.d.throttleKeys.reset(normalized), nowSeconds, this.d.emailLimit.windowSeconds, this.d.emailLimit.maxAttempts, [
      this.d.queueUnit(PASSWORD_RESET_MAIL_JOB, unit, now),
    ]);
    if (!outcome.admitted) throw userProblems.tooManyResetRequests(outcome.windowEndsAt - nowSeconds);
  }

  async confirm(token: string, newPassword: string, client: SignInClient = {}): Promise<AuthResult> {
    const clientAddress = client.address;
    await this.d.confirmLimit.admit(clientAddress);
    // Forged or tampered tokens end here, before any read.
    const resetId = this.d.tokens.resetIdOf(token);
    if (!resetId) throw userProblems.invalidResetToken();
    const now = this.d.clock.now();
    const reset = await this.d.resets.get(resetId);
    if (!reset || reset.usedAt || reset.expiresAt <= epochSeconds(now)) throw userProblems.invalidResetToken();
    const user = await this.d.users.getById(reset.userId);
    // A password change (or another reset) since the request raised the epoch: this one is void.
    // A suspension moved the epoch as well; the mark is checked too, so no code signs a suspended account in
    // (one of its own epoch: mailed by a job still running the code from before suspensions, during their deploy).
    if (!user || user.sessionEpoch !== reset.epoch || user.suspendedAt) throw userProblems.invalidResetToken();
    // An email change since the request: the code went to an address the account no longer has.
    if (reset.email !== undefined && reset.email !== user.email) throw userProblems.invalidResetToken();
    // Only a valid code learns whether the new password is allowed (it needs the account's
    // email), and a refusal writes nothing: the code stays usable for a better password.
    await this.d.policy.check(newPassword, user.email, 'newPassword');

    const epoch = user.sessionEpoch + 1;
    // With two-factor on, the mailed code stands for the password only: the new password is
    // set (and every session ends) but no session starts; the answer is login's 401
    // `mfa-required`, and a code finishes the sign-in. A mailbox alone never signs in.
    const session = user.mfaOn ? undefined : this.d.sessions.prepare(user.id, epoch);
    // The session it starts is a sign-in: a reset from a place the account does not know is the
    // one its owner must hear of (a mailbox taken over), so its place is checked and recorded as
    // a login's, in the same transaction. With two-factor on no session starts here: the code
    // step records the place (docs/sign-in-alerts.md "Sign-in alerts").
    const place = session ? await this.d.places.writesFor(user, client) : {};
    const at = now.toISOString();
    const outcome = await this.d.users.resetPassword(
      user,
      await this.d.passwords.hash(newPassword),
      at,
      [
        this.d.resets.markUsed(resetId, at),
        ...(session?.writes ?? []),
        // The earlier sessions' marks: a job's (its unit in this transaction), as after a password change.
        this.d.queueUnit(SESSIONS_CLEANUP_JOB, earlierSessionsEnded(user.id, epoch, now), now),
        // The account's address is told (docs/security-notices.md), with two-factor on too.
        securityNotice(this.d.queueUnit, user.id, 'password-reset', now),
        // Every session ended: other modules hear of it (user.sessions_ended).
        await this.d.sessionsEnded(user.id, 'password-changed'),
      ],
      place,
    );
    // Spent, voided or the account deleted meanwhile (a concurrent confirmation of the same token won).
    if (outcome === 'stale') throw userProblems.invalidResetToken();
    if (!session) throw await this.d.mfa.challenge({ ...user, sessionEpoch: epoch });
    // The confirmation proved control of the email, as a sign-in proves the password: the
    // failed sign-ins this client ran up (often why the password was reset) no longer lock it
    // out, and it becomes a known client of the account, exempt from the email-wide cap. The
    // reset committed above (the password set, the code spent), so a failure here is logged,
    // not answered: a 5xx lost the new session, and the retry got a 422 (the code spent).
    try {
      await this.d.loginThrottle.succeeded(normalizeEmail(user.email), clientAddress, { countedForEmail: false });
    } catch (err) {
      this.d.logger.warn("a password reset's sign-in marks failed after its commit; the client stays counted until the window ends", { userId: user.id, error: err instanceof Error ? err.message : String(err) });
    }
    return { user: toPublicUser(user), tokens: await this.d.sessions.pairFor(session) };
  }
}
