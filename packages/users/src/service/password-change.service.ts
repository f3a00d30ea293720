import type { SessionsEndedEvent } from './sessions-ended-event';
import type { Clock } from '@budgeting/platform';
import { SESSIONS_CLEANUP_JOB, type SessionsCleanupUnit } from '../jobs/names';
import type { TransactItem } from '../repository/transact';
import type { UsersRepository } from '../repository/users.repository';
import type { AddressLimit } from './address-limit';
import type { LoginThrottle } from './login-throttle';
import type { MfaStepUp } from './mfa-step-up';
import type { PasswordPolicy } from './common-passwords';
import type { PasswordHasher } from './passwords';
import { userProblems } from './problems';
import { securityNotice } from './security-notices';
import type { SessionService, TokenPair } from './sessions.service';
import type { SignInClient, SignInPlaces } from './sign-in-places';

/**
 * POST /v1/me/password. The current password is checked exactly as a sign-in checks it (same
 * scrypt, same cost guard per address, same throttle per email and client, which a wrong
 * current password counts toward), so a stolen access token is no faster a guessing oracle
 * than the login route. With two-factor on, a current code too (MfaStepUp; a wrong one counts
 * like a wrong password).
 *
 * The new hash, the raised session epoch (every existing session of the account ends) and a
 * new session for the caller are ONE transaction conditioned on the hash and epoch that were
 * checked: of two concurrent changes exactly one commits, the other gets 409. The new session is
 * a sign-in: its place is checked and recorded as a login's (docs/sign-in-alerts.md "Sign-in alerts"), in that
 * same transaction (a session's token may be stolen, and the owner must hear of a change made
 * from a place the account does not know). The earlier sessions' items are marked ended by a
 * job whose unit is in that transaction too (jobs/sessions-cleanup-job.ts): their number grows
 * with the account's sign-ins, and the raised epoch refuses them already. The account's
 * address is told (a security notice, docs/security-notices.md): its unit is in that
 * transaction as well.
 */
export class PasswordChangeService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly addressLimit: AddressLimit,
    private readonly clock: Clock,
    private readonly stepUp: MfaStepUp,
    private readonly places: SignInPlaces,
    private readonly policy: PasswordPolicy,
    /** A job unit as an item of the change's transaction (platform queuedUnitPut under the module's prefix). */
    private readonly queueUnit: (job: string, unit: unknown, tick: Date) => TransactItem,
    /** user.sessions_ended (every session) as an item of the change's transaction. */
    private readonly sessionsEnded: SessionsEndedEvent,
  ) {}

  /** `code`: the second factor, required when the account has two-factor on (MfaStepUp). */
  async change(userId: string, currentPassword: string, newPassword: string, client: SignInClient = {}, code?: string): Promise<TokenPair> {
    const clientAddress = client.address;
    await this.addressLimit.admit(clientAddress);
    const user = await this.users.getById(userId);
    if (!user) throw userProblems.accountGone();
    // Before the current password and code are checked: a refused new password spends neither a
    // throttle attempt nor a two-factor code, and tells nothing about the current password.
    await this.policy.check(newPassword, user.email, 'newPassword');
    this.stepUp.require(user, code);
    const admission = await this.throttle.admit(user.email, clientAddress);
    if (!(await this.passwords.verify(currentPassword, user.passwordHash))) throw userProblems.incorrectCurrentPassword();
    await this.stepUp.spend(user, code);
    await this.throttle.succeeded(user.email, clientAddress, admission);

    const epoch = user.sessionEpoch + 1;
    const session = this.sessions.prepare(user.id, epoch);
    const place = await this.places.writesFor(user, client);
    const now = this.clock.now();
    const marks = this.queueUnit(SESSIONS_CLEANUP_JOB, earlierSessionsEnded(user.id, epoch, now), now);
    const outcome = await this.users.changePassword(user, await this.passwords.hash(newPassword), now.toISOString(), [...session.writes, marks, securityNotice(this.queueUnit, user.id, 'password-changed', now), await this.sessionsEnded(user.id, 'password-changed')], place);
    if (outcome === 'stale') {
      if (!(await this.users.getById(userId))) throw userProblems.accountGone();
      throw userProblems.passwordChangedMeanwhile();
    }
    return this.sessions.pairFor(session);
  }
}

/** The unit that marks the families of the epochs before `epoch` ended, at the change's time `at` (jobs/sessions-cleanup-job.ts). */
export function earlierSessionsEnded(userId: string, epoch: number, at: Date): SessionsCleanupUnit {
  return { kind: 'earlier-epochs', userId, epoch, reason: 'password-changed', at: at.toISOString() };
}
